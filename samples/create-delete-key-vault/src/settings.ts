// The command line of create-delete-key-vault: its --help, its flags, and its settings from flags, the environment,
// the VM's instance metadata or a prompt, every one checked before the first request to Azure.
import { randomBytes } from "node:crypto";
import { type ChosenIdentity, identityFromFlagsOrEnvironment, UsageError } from "@msi-samples/identity";
import {
  formatUsage,
  identitySelectorOptions,
  identitySelectorUsage,
  locationSetting,
  parseSampleArgs,
  resolveSettings,
  resourceGroupSetting,
  subscriptionIdSetting,
  validateKeyVaultName,
} from "@msi-samples/sample-cli";

const usage = formatUsage(
  "Creates a Key Vault as a generic resource, shows it, then deletes it, signed in with the VM's\nmanaged identity.",
  [
    ["--resource-group NAME", "Existing resource group for the vault"],
    ["", "(env RESOURCE_GROUP_NAME; default: the VM's own resource group)"],
    ["--location REGION", "Region for the vault (env AZURE_LOCATION; default: the VM's region)"],
    ["--vault-name NAME", "Name for the new vault (default: msi-sample-<random>); it must not exist yet"],
    ["--subscription-id ID", "Subscription (env AZURE_SUBSCRIPTION_ID; default: the VM's own subscription)"],
    ["--yes", "Delete the vault without waiting for Enter (required when not on a terminal)"],
    ...identitySelectorUsage,
  ],
);

export interface Settings {
  identity: ChosenIdentity;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  vaultName: string;
  /** Delete without asking. */
  yes: boolean;
}

/** Parses the flags (--help prints the usage and exits), then reads each setting from its flag, variable or IMDS. */
export async function settingsFromFlagsEnvironmentOrVm(): Promise<Settings> {
  const { values } = parseSampleArgs({
    usage,
    options: {
      ...identitySelectorOptions,
      "resource-group": { type: "string" },
      location: { type: "string" },
      "vault-name": { type: "string" },
      "subscription-id": { type: "string" },
      yes: { type: "boolean" },
    },
  });
  // Without a terminal nobody can press Enter; like `az ... delete`, ask for an explicit --yes rather than
  // create a vault that the run could not delete as promised.
  if (!values.yes && !(process.stdin.isTTY && process.stdout.isTTY)) {
    throw new UsageError(
      "Not running on a terminal, so nobody can confirm the delete: pass --yes to create the vault and " +
        "delete it without waiting.",
      { setting: "--yes" },
    );
  }
  const identity = identityFromFlagsOrEnvironment(values);
  const settings = await resolveSettings({
    // A fresh random name by default, so that runs never collide with each other or with an existing vault.
    vaultName: {
      name: "vault-name",
      flag: values["vault-name"],
      default: `msi-sample-${randomBytes(4).toString("hex")}`,
      validate: validateKeyVaultName,
    },
    subscription: { ...subscriptionIdSetting, flag: values["subscription-id"] },
    resourceGroup: {
      ...resourceGroupSetting,
      flag: values["resource-group"],
      fromMetadata: "resourceGroupName",
      prompt: "Resource group:",
    },
    location: { ...locationSetting, flag: values.location },
  });
  return {
    identity,
    subscriptionId: settings.subscription.value,
    resourceGroup: settings.resourceGroup.value,
    location: settings.location.value,
    vaultName: settings.vaultName.value,
    yes: values.yes ?? false,
  };
}
