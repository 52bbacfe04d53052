// The sample deletes the vault it creates: it never takes over a vault that exists, and on a terminal it waits for
// Enter before deleting (Ctrl-C at the prompt keeps the vault and says how to delete it later).
import { createInterface } from "node:readline/promises";
import { isRestError, type ResourceManagementClient } from "@azure/arm-resources";
import { checkBeforeCreating, UsageError } from "@msi-samples/identity";

type VaultId = readonly [
  namespace: string,
  parentPath: string,
  type: string,
  name: string,
  apiVersion: string,
];

/**
 * Fails with a UsageError when the vault exists. (A GET: ARM answers HEAD on most types with 405.) checkBeforeCreating
 * makes a denied check name the role that creating the vault needs, not a role on a vault that does not exist.
 */
export async function ensureVaultDoesNotExist(
  client: ResourceManagementClient,
  resourceGroup: string,
  vault: VaultId,
): Promise<void> {
  const existing = await checkBeforeCreating(client.resources.get(resourceGroup, ...vault)).catch(
    (error: unknown) => {
      if (isRestError(error) && error.statusCode === 404) return undefined;
      throw error;
    },
  );
  if (existing !== undefined) {
    throw new UsageError(
      `Key Vault '${vault[3]}' already exists in resource group '${resourceGroup}'. This sample deletes ` +
        "the vault it creates, so it leaves existing ones alone: choose another --vault-name.",
      { setting: "--vault-name" },
    );
  }
}

export async function waitForEnterToDelete(vaultName: string, resourceGroup: string): Promise<void> {
  const keepHint = `az keyvault delete --name ${vaultName} --resource-group ${resourceGroup}`;
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  // readline turns Ctrl-C into its own event, which the process-wide handler does not see.
  terminal.on("SIGINT", () => {
    console.log(`\nCancelled. The vault '${vaultName}' was kept; delete it later with:\n  ${keepHint}`);
    process.exit(130);
  });
  await terminal.question("Press Enter to delete the vault (Ctrl-C keeps it)... ");
  terminal.close();
}
