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
  formatUsage,
  identitySelectorOptions,
  identitySelectorUsage,
  managedIdentityOptionsFrom,
  maskSecret,
  parseSampleArgs,
  resolveSettings,
  subscriptionIdSetting,
  validateKeyVaultName,
  validateKeyVaultSecretName,
} from "@msi-samples/identity";

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

async function main(): Promise<void> {
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
  const say = values.json ? console.error : console.log;

  // <snippet_sign_in>
  // The identity flags are checked here, before any request.
  const credential = createManagedIdentityCredential(managedIdentityOptionsFrom(values));
  // </snippet_sign_in>

  // Every setting is resolved and checked before the first request to Azure.
  // <snippet_resolve_settings>
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
  // </snippet_resolve_settings>
  const principal = await describePrincipal(credential);
  say(formatPrincipal(principal));

  // <snippet_get_secret>
  const vaultUrl = `https://${settings.vaultName.value}.vault.azure.net`;
  const secretClient = new SecretClient(vaultUrl, credential);
  const secret = await secretClient.getSecret(settings.secretName.value);
  const shownValue = values["show-secret"] ? (secret.value ?? "") : maskSecret(secret.value ?? "");
  // </snippet_get_secret>
  say(
    `Secret '${secret.name}' from ${vaultUrl} (version ${secret.properties.version ?? "?"}): ${shownValue}`,
  );
  if (!values["show-secret"]) say("  (masked; pass --show-secret to print the value)");

  // <snippet_list_resource_groups>
  const subscriptionId = settings.subscription.value;
  const resourceClient = new ResourceManagementClient(credential, subscriptionId);
  const resourceGroups = [];
  for await (const group of resourceClient.resourceGroups.list()) {
    resourceGroups.push({ name: group.name ?? "", location: group.location });
  }
  // </snippet_list_resource_groups>
  say(`Resource groups in subscription ${subscriptionId} (from ${settings.subscription.source}):`);
  for (const group of resourceGroups) say(`  ${group.name} (${group.location})`);
  if (resourceGroups.length === 0) say("  (none)");

  if (values.json) {
    const secretJson = {
      name: secret.name,
      version: secret.properties.version,
      value: shownValue,
      masked: !values["show-secret"],
    };
    console.log(
      JSON.stringify({ principal, vaultUrl, secret: secretJson, subscriptionId, resourceGroups }, null, 2),
    );
  }
}

main().catch(exitWithError);
