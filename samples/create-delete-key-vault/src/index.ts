/**
 * @summary Creates an Azure Key Vault as a generic resource with an explicit api-version, prints its
 * properties, waits for confirmation, then deletes it, signed in as the Azure VM's managed identity. Ports
 * the Ruby sample Azure-Samples/resources-ruby-manage-resources-with-msi to the current Azure SDK for JavaScript.
 */

// <snippet_imports>
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
// </snippet_imports>
import { describePrincipal, withTokenDeadline } from "@msi-samples/identity";
import { exitWithError, installCtrlCAndUncaughtErrorHandlers } from "@msi-samples/sample-cli";
import { settingsFromFlagsEnvironmentOrVm } from "./settings.ts";
import { ensureVaultDoesNotExist, waitForEnterToDelete } from "./vault-safety.ts";

// Generic resources take the caller's api-version. This is the newest stable one of Microsoft.KeyVault
// (azure-rest-api-specs: specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/2026-02-01).
const keyVaultApiVersion = "2026-02-01";

async function main(): Promise<void> {
  installCtrlCAndUncaughtErrorHandlers(); // Ctrl-C exits 130; an error nothing caught is explained
  const { identity, subscriptionId, resourceGroup, location, vaultName, yes } =
    await settingsFromFlagsEnvironmentOrVm();

  // <snippet_credential>
  // A user-assigned identity is chosen by one of its IDs; with none, the VM's system-assigned identity signs in.
  const { clientId, objectId, resourceId } = identity;
  const managedIdentity = clientId
    ? new ManagedIdentityCredential({ clientId })
    : objectId
      ? new ManagedIdentityCredential({ objectId })
      : resourceId
        ? new ManagedIdentityCredential({ resourceId })
        : new ManagedIdentityCredential();
  // </snippet_credential>
  // The SDK waits forever for an IMDS that never answers: give up after a deadline instead.
  const credential = withTokenDeadline(managedIdentity, identity);
  const principal = await describePrincipal(credential);
  console.log(principal.description);

  const client = new ResourceManagementClient(credential, subscriptionId);
  const vault = ["Microsoft.KeyVault", "", "vaults", vaultName, keyVaultApiVersion] as const; // "": no parent
  await ensureVaultDoesNotExist(client, resourceGroup, vault);

  console.log(`Creating Key Vault '${vaultName}' in resource group '${resourceGroup}' (${location})...`);
  // <snippet_create_vault>
  // The tenant comes from the token; Azure RBAC, not access policies, authorizes access to the vault's data.
  const created = await client.resources.createOrUpdate(resourceGroup, ...vault, {
    location,
    properties: {
      tenantId: principal.tenantId,
      sku: { family: "A", name: "standard" },
      enableRbacAuthorization: true,
      softDeleteRetentionInDays: 7,
    },
  });
  // </snippet_create_vault>
  console.log(`Created ${created.id}`);
  for (const [key, value] of Object.entries(created.properties ?? {})) {
    if (typeof value !== "object" || key === "sku") console.log(`  ${key}: ${JSON.stringify(value)}`);
  }

  if (!yes) await waitForEnterToDelete(vaultName, resourceGroup);
  console.log(`Deleting Key Vault '${vaultName}'...`);
  // <snippet_delete_vault>
  await client.resources.delete(resourceGroup, ...vault);
  // </snippet_delete_vault>
  console.log(
    `Deleted. Key Vault keeps a deleted vault for its retention period (7 days here) and its name stays taken ` +
      `until then. Purge protection is off, so you can free the name now:\n  az keyvault purge --name ${vaultName} --location ${location}`,
  );
}

main().catch(exitWithError);
