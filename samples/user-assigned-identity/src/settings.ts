// The command line of user-assigned-identity: its --help, its flags, and its settings from flags or the
// environment, every one checked before the first request to Azure.
import { type ChosenIdentity, identityFromFlagsOrEnvironment } from "@msi-samples/identity";
import {
  formatUsage,
  identitySelectorOptions,
  identitySelectorUsage,
  parseSampleArgs,
  resolveSetting,
  subscriptionIdSetting,
} from "@msi-samples/sample-cli";

const usage = formatUsage(
  "Signs in with a managed identity, finds its subscription, and lists the resource groups.",
  [
    ...identitySelectorUsage,
    ["--subscription-id ID", "Skip discovery and use this subscription (env AZURE_SUBSCRIPTION_ID)"],
    ["--json", "Print the result as JSON on stdout (messages go to stderr)"],
  ],
);

export interface Settings {
  identity: ChosenIdentity;
  /** Given by --subscription-id or AZURE_SUBSCRIPTION_ID; otherwise the sample discovers it. */
  subscription?: { id: string; source: string };
  json: boolean;
}

/** Parses the flags (--help prints the usage and exits), then reads each setting from its flag or variable. */
export async function settingsFromFlagsOrEnvironment(): Promise<Settings> {
  const { values } = parseSampleArgs({
    usage,
    options: { ...identitySelectorOptions, "subscription-id": { type: "string" }, json: { type: "boolean" } },
  });
  const identity = identityFromFlagsOrEnvironment(values);
  const subscription = await resolveSetting({
    ...subscriptionIdSetting,
    flag: values["subscription-id"],
    // Neither the VM's subscription nor a prompt: without a flag or variable, the sample discovers it.
    fromMetadata: undefined,
    prompt: undefined,
    optional: true,
  });
  return {
    identity,
    ...(subscription && {
      subscription: {
        id: subscription.value,
        source: subscription.source === "flag" ? "--subscription-id" : "AZURE_SUBSCRIPTION_ID",
      },
    }),
    json: values.json ?? false,
  };
}
