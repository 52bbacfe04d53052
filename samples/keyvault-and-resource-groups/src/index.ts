/**
 * @summary Reads a secret from Azure Key Vault and lists a subscription's resource groups, signed in as the
 * Azure VM's managed identity, and says which principal was used. Ports the .NET Core sample
 * Azure-Samples/linuxvm-msi-keyvault-arm-dotnet to the current Azure SDK for JavaScript.
 */

// <snippet_imports>
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
// </snippet_imports>
import { describePrincipal, maskSecret, withTokenDeadline } from "@msi-samples/identity";
import { exitWithError, installCtrlCAndUncaughtErrorHandlers } from "@msi-samples/sample-cli";
import { settingsFromFlagsEnvironmentOrVm } from "./settings.ts";

async function main(): Promise<void> {
  installCtrlCAndUncaughtErrorHandlers(); // Ctrl-C exits 130; an error nothing caught is explained
  const settings = await settingsFromFlagsEnvironmentOrVm();
  const say = settings.json ? console.error : console.log;

  // <snippet_credential>
  // A user-assigned identity is chosen by one of its IDs; with none, the VM's system-assigned identity signs in.
  const { clientId, objectId, resourceId } = settings.identity;
  const managedIdentity = clientId
    ? new ManagedIdentityCredential({ clientId })
    : objectId
      ? new ManagedIdentityCredential({ objectId })
      : resourceId
        ? new ManagedIdentityCredential({ resourceId })
        : new ManagedIdentityCredential();
  // </snippet_credential>
  // The SDK waits forever for an IMDS that never answers: give up after a deadline instead.
  const credential = withTokenDeadline(managedIdentity, settings.identity);
  const principal = await describePrincipal(credential);
  say(principal.description);

  // <snippet_get_secret>
  const vaultUrl = `https://${settings.vaultName}.vault.azure.net`;
  const secretClient = new SecretClient(vaultUrl, credential);
  const secret = await secretClient.getSecret(settings.secretName);
  // </snippet_get_secret>
  const shownValue = settings.showSecret ? (secret.value ?? "") : maskSecret(secret.value ?? "");
  say(
    `Secret '${secret.name}' from ${vaultUrl} (version ${secret.properties.version ?? "?"}): ${shownValue}`,
  );
  if (!settings.showSecret) say("  (masked; pass --show-secret to print the value)");

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

  if (settings.json) {
    const secretJson = {
      name: secret.name,
      version: secret.properties.version,
      value: shownValue,
      masked: !settings.showSecret,
    };
    const result = { principal, vaultUrl, secret: secretJson, subscriptionId, resourceGroups };
    console.log(JSON.stringify(result, null, 2));
  }
}

main().catch(exitWithError);
