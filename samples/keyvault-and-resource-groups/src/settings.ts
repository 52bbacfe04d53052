// The command line of keyvault-and-resource-groups: its --help, its flags, and its settings from flags, the
// environment, the VM's instance metadata or a prompt, every one checked before the first request to Azure.
import { type ChosenIdentity, identityFromFlagsOrEnvironment } from "@msi-samples/identity";
import {
  formatUsage,
  identitySelectorOptions,
  identitySelectorUsage,
  parseSampleArgs,
  type ResolvedSetting,
  resolveSettings,
  subscriptionIdSetting,
  validateKeyVaultName,
  validateKeyVaultSecretName,
} from "@msi-samples/sample-cli";

const usage = formatUsage(
  "Reads a Key Vault secret and lists resource groups, signed in with the VM's managed identity.",
  [
    ["--vault-name NAME", "Key Vault to read from (env KEY_VAULT_NAME; asked for on a terminal)"],
    ["--secret-name NAME", "Secret to read (env KEY_VAULT_SECRET_NAME; default: sample-secret)"],
    ["--subscription-id ID", "Subscription whose resource groups to list"],
    ["", "(env AZURE_SUBSCRIPTION_ID; default: the VM's own subscription)"],
    ["--show-secret", "Print the secret's value in clear (masked by default)"],
    ["--json", "Print the result as JSON on stdout (messages go to stderr)"],
    ...identitySelectorUsage,
  ],
);

export interface Settings {
  identity: ChosenIdentity;
  vaultName: string;
  secretName: string;
  subscription: ResolvedSetting;
  showSecret: boolean;
  json: boolean;
}

/** Parses the flags (--help prints the usage and exits), then reads each setting from its flag, variable or IMDS. */
export async function settingsFromFlagsEnvironmentOrVm(): Promise<Settings> {
  const { values } = parseSampleArgs({
    usage,
    options: {
      ...identitySelectorOptions,
      "vault-name": { type: "string" },
      "secret-name": { type: "string" },
      "subscription-id": { type: "string" },
      "show-secret": { type: "boolean" },
      json: { type: "boolean" },
    },
  });
  const identity = identityFromFlagsOrEnvironment(values);
  const settings = await resolveSettings({
    vaultName: {
      name: "vault-name",
      flag: values["vault-name"],
      envName: "KEY_VAULT_NAME",
      prompt: "Key Vault name:",
      validate: validateKeyVaultName,
    },
    secretName: {
      name: "secret-name",
      flag: values["secret-name"],
      envName: "KEY_VAULT_SECRET_NAME",
      default: "sample-secret",
      validate: validateKeyVaultSecretName,
    },
    subscription: { ...subscriptionIdSetting, flag: values["subscription-id"] },
  });
  return {
    identity,
    vaultName: settings.vaultName.value,
    secretName: settings.secretName.value,
    subscription: settings.subscription,
    showSecret: values["show-secret"] ?? false,
    json: values.json ?? false,
  };
}
