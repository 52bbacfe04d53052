/**
 * @summary Creates an Azure Key Vault as a generic resource with an explicit api-version, prints its
 * properties, waits for confirmation, then deletes it, signed in as the Azure VM's managed identity. Ports
 * the Ruby sample Azure-Samples/resources-ruby-manage-resources-with-msi to the current Azure SDK for JavaScript.
 */

import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { isRestError, ResourceManagementClient } from "@azure/arm-resources";
import {
  checkBeforeCreating,
  createManagedIdentityCredential,
  describePrincipal,
  exitWithError,
  formatPrincipal,
  formatUsage,
  identitySelectorOptions,
  identitySelectorUsage,
  locationSetting,
  managedIdentityOptionsFrom,
  parseSampleArgs,
  resolveSettings,
  resourceGroupSetting,
  subscriptionIdSetting,
  UsageError,
  validateKeyVaultName,
} from "@msi-samples/identity";

// Generic resources take the caller's api-version. This is the newest stable one of Microsoft.KeyVault
// (azure-rest-api-specs: specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/2026-02-01).
const keyVaultApiVersion = "2026-02-01";

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

async function main(): Promise<void> {
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
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (!values.yes && !interactive) {
    throw new UsageError(
      "Not running on a terminal, so nobody can confirm the delete: pass --yes to create the vault and " +
        "delete it without waiting.",
      { setting: "--yes" },
    );
  }

  // <snippet_sign_in>
  // The identity flags are checked here, before any request.
  const credential = createManagedIdentityCredential(managedIdentityOptionsFrom(values));
  // </snippet_sign_in>

  // Every setting is checked before the first request to Azure.
  // <snippet_resolve_settings>
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
  const vaultName = settings.vaultName.value;
  const { subscription, resourceGroup, location } = settings;
  // </snippet_resolve_settings>
  const principal = await describePrincipal(credential);
  console.log(formatPrincipal(principal));

  const client = new ResourceManagementClient(credential, subscription.value);

  // The sample deletes what it creates, so it must never take over a vault that already exists. (A GET, not
  // resources.checkExistence: ARM answers HEAD on most resource types with 405.) checkBeforeCreating makes a denied
  // check name the role that creating the vault needs, not a role on a vault that does not exist.
  const existing = await checkBeforeCreating(
    client.resources.get(
      resourceGroup.value,
      "Microsoft.KeyVault",
      "",
      "vaults",
      vaultName,
      keyVaultApiVersion,
    ),
  ).catch((error: unknown) => {
    if (isRestError(error) && error.statusCode === 404) return undefined;
    throw error;
  });
  if (existing !== undefined) {
    throw new UsageError(
      `Key Vault '${vaultName}' already exists in resource group '${resourceGroup.value}'. This sample deletes ` +
        "the vault it creates, so it leaves existing ones alone: choose another --vault-name.",
      { setting: "--vault-name" },
    );
  }

  console.log(
    `Creating Key Vault '${vaultName}' in resource group '${resourceGroup.value}' (${location.value})...`,
  );
  // The tenant comes from the token; Azure RBAC (not access policies) authorizes data access, as is the
  // default for new vaults from api-version 2026-02-01.
  // <snippet_create_vault>
  const vault = await client.resources.createOrUpdate(
    resourceGroup.value,
    "Microsoft.KeyVault",
    "", // no parent resource
    "vaults",
    vaultName,
    keyVaultApiVersion,
    {
      location: location.value,
      properties: {
        tenantId: principal.tenantId,
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: true,
        softDeleteRetentionInDays: 7,
      },
    },
  );
  // </snippet_create_vault>

  console.log(`Created ${vault.id}`);
  const properties = vault.properties ?? {};
  for (const key of [
    "vaultUri",
    "tenantId",
    "sku",
    "enableRbacAuthorization",
    "enableSoftDelete",
    "softDeleteRetentionInDays",
    "provisioningState",
  ]) {
    if (properties[key] !== undefined) console.log(`  ${key}: ${JSON.stringify(properties[key])}`);
  }

  if (!values.yes) {
    const keepHint = `az keyvault delete --name ${vaultName} --resource-group ${resourceGroup.value}`;
    const terminal = createInterface({ input: process.stdin, output: process.stdout });
    // readline turns Ctrl-C into its own event; leave the vault and say how to delete it later.
    terminal.on("SIGINT", () => {
      console.log(`\nCancelled. The vault '${vaultName}' was kept; delete it later with:\n  ${keepHint}`);
      process.exit(130);
    });
    await terminal.question("Press Enter to delete the vault (Ctrl-C keeps it)... ");
    terminal.close();
  }

  console.log(`Deleting Key Vault '${vaultName}'...`);
  // <snippet_delete_vault>
  await client.resources.delete(
    resourceGroup.value,
    "Microsoft.KeyVault",
    "",
    "vaults",
    vaultName,
    keyVaultApiVersion,
  );
  // </snippet_delete_vault>
  console.log(
    `Deleted. Key Vault keeps deleted vaults for their retention period (7 days here), and the name stays ` +
      `taken until then. To free it now:\n  az keyvault purge --name ${vaultName} --location ${location.value}`,
  );
}

main().catch(exitWithError);
