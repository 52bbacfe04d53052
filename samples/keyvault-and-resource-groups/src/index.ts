/**
 * @summary Reads a secret from Azure Key Vault and lists a subscription's resource groups, signed in as the
 * Azure VM's managed identity, and says which principal was used. Ports the .NET Core sample
 * Azure-Samples/linuxvm-msi-keyvault-arm-dotnet to the current Azure SDK for JavaScript.
 */

import { ResourceManagementClient } from "@azure/arm-resources";
import { SecretClient } from "@azure/keyvault-secrets";
import {
  createManagedIdentityCredential,
  describePrincipal,
  exitWithError,
  formatPrincipal,
  getInstanceMetadata,
  isGuid,
  maskSecret,
  parseSampleArgs,
  resolveSetting,
  UsageError,
} from "@msi-samples/identity";

const usage = `Reads a Key Vault secret and lists resource groups, signed in with the VM's managed identity.

Usage: pnpm start [options]

Options:
  --vault-name NAME     Key Vault to read from (env KEY_VAULT_NAME; asked for on a terminal)
  --secret-name NAME    Secret to read (env KEY_VAULT_SECRET_NAME; default: secret)
  --subscription-id ID  Subscription whose resource groups to list
                        (env AZURE_SUBSCRIPTION_ID; default: the VM's own subscription)
  --show-secret         Print the secret's value in clear (masked by default)
  --json                Print the result as JSON on stdout (messages go to stderr)
  --client-id ID        Sign in as the user-assigned identity with this client ID (env AZURE_CLIENT_ID)
  --object-id ID        ... or with this object ID (env AZURE_MANAGED_IDENTITY_OBJECT_ID)
  --resource-id ID      ... or with this resource ID (env AZURE_MANAGED_IDENTITY_RESOURCE_ID)
                        (none of the three: the VM's system-assigned identity)
  --verbose             Print stack traces on errors
  -h, --help            Show this help`;

// Key Vault's naming rules (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules):
// vaults 3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--";
// secrets 1-127 letters, digits and hyphens.
const vaultNamePattern = /^(?=.{3,24}$)[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/;
const secretNamePattern = /^[a-zA-Z0-9-]{1,127}$/;

async function main(): Promise<void> {
  const { values } = parseSampleArgs({
    usage,
    options: {
      "client-id": { type: "string" },
      "object-id": { type: "string" },
      "resource-id": { type: "string" },
      "vault-name": { type: "string" },
      "secret-name": { type: "string" },
      "subscription-id": { type: "string" },
      "show-secret": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const say = values.json ? console.error : console.log;

  // Every setting is resolved and checked before the first request to Azure.
  // <snippet_resolve_settings>
  const vaultName = await resolveSetting({
    name: "vault-name",
    flag: values["vault-name"],
    envName: "KEY_VAULT_NAME",
    prompt: "Key Vault name: ",
    validate: (value) =>
      vaultNamePattern.test(value)
        ? undefined
        : "must be 3-24 letters, digits and hyphens, start with a letter, end with a letter or digit, and have no '--'",
  });
  const secretName = values["secret-name"] ?? process.env.KEY_VAULT_SECRET_NAME ?? "secret";
  if (!secretNamePattern.test(secretName)) {
    throw new UsageError(
      `Invalid secret name '${secretName}' (--secret-name or KEY_VAULT_SECRET_NAME): use 1-127 letters, digits and hyphens.`,
      { setting: "--secret-name / KEY_VAULT_SECRET_NAME" },
    );
  }
  const subscription = await resolveSetting({
    name: "subscription-id",
    flag: values["subscription-id"],
    envName: "AZURE_SUBSCRIPTION_ID",
    fromMetadata: async () => (await getInstanceMetadata()).subscriptionId,
    prompt: "Subscription ID: ",
    validate: (value) =>
      isGuid(value) ? undefined : "must be a GUID such as 00000000-0000-0000-0000-000000000000",
  });
  // </snippet_resolve_settings>

  // <snippet_sign_in>
  const credential = createManagedIdentityCredential({
    clientId: values["client-id"],
    objectId: values["object-id"],
    resourceId: values["resource-id"],
  });
  const principal = await describePrincipal(credential);
  say(formatPrincipal(principal));
  // </snippet_sign_in>

  // <snippet_get_secret>
  const vaultUrl = `https://${vaultName.value}.vault.azure.net`;
  const secretClient = new SecretClient(vaultUrl, credential);
  const secret = await secretClient.getSecret(secretName);
  const shownValue = values["show-secret"] ? (secret.value ?? "") : maskSecret(secret.value ?? "");
  // </snippet_get_secret>
  say(
    `Secret '${secret.name}' from ${vaultUrl} (version ${secret.properties.version ?? "?"}): ${shownValue}`,
  );
  if (!values["show-secret"]) say("  (masked; pass --show-secret to print the value)");

  // <snippet_list_resource_groups>
  const resourceClient = new ResourceManagementClient(credential, subscription.value);
  const resourceGroups = [];
  for await (const group of resourceClient.resourceGroups.list()) {
    resourceGroups.push({ name: group.name ?? "", location: group.location });
  }
  // </snippet_list_resource_groups>
  say(`Resource groups in subscription ${subscription.value} (from ${subscription.source}):`);
  for (const group of resourceGroups) say(`  ${group.name} (${group.location})`);
  if (resourceGroups.length === 0) say("  (none)");

  if (values.json) {
    const secretJson = {
      name: secret.name,
      version: secret.properties.version,
      value: shownValue,
      masked: !values["show-secret"],
    };
    const result = {
      principal,
      vaultUrl,
      secret: secretJson,
      subscriptionId: subscription.value,
      resourceGroups,
    };
    console.log(JSON.stringify(result, null, 2));
  }
}

main().catch(exitWithError);
