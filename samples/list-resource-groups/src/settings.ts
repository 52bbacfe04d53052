// The command line of list-resource-groups: its --help, its flags, and its settings from flags, the environment or
// the VM's instance metadata, every one checked before the first request to Azure.
import { type ChosenIdentity, identityFromFlagsOrEnvironment } from "@msi-samples/identity";
import {
  formatUsage,
  identitySelectorOptions,
  identitySelectorUsage,
  parseSampleArgs,
  type ResolvedSetting,
  resolveSetting,
  subscriptionIdSetting,
} from "@msi-samples/sample-cli";

const usage = formatUsage(
  "Lists the resource groups of a subscription, signed in with the VM's managed identity.",
  [
    [
      "--subscription-id ID",
      "Subscription to list (env AZURE_SUBSCRIPTION_ID; default: the VM's own subscription)",
    ],
    ["--json", "Print the resource groups as JSON on stdout (messages go to stderr)"],
    ...identitySelectorUsage,
  ],
);

export interface Settings {
  identity: ChosenIdentity;
  subscription: ResolvedSetting;
  json: boolean;
}

/** Parses the flags (--help prints the usage and exits), then reads each setting from its flag, variable or IMDS. */
export async function settingsFromFlagsEnvironmentOrVm(): Promise<Settings> {
  const { values } = parseSampleArgs({
    usage,
    options: { ...identitySelectorOptions, "subscription-id": { type: "string" }, json: { type: "boolean" } },
  });
  const identity = identityFromFlagsOrEnvironment(values);
  const subscription = await resolveSetting({ ...subscriptionIdSetting, flag: values["subscription-id"] });
  return { identity, subscription, json: values.json ?? false };
}
