/**
 * @summary Deploys an ARM template that creates a storage account, signed in as the Azure VM's managed
 * identity: makes sure the resource group exists, deploys in Incremental mode while showing progress, prints
 * the deployment's state and outputs, and reads the storage account back. Ports the .NET sample
 * Azure-Samples/windowsvm-msi-arm-dotnet to the current Azure SDK for JavaScript.
 */

// <snippet_imports>
import { ResourceManagementClient } from "@azure/arm-resources";
import { DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { type StorageAccount, StorageManagementClient } from "@azure/arm-storage";
import { ManagedIdentityCredential } from "@azure/identity";
// </snippet_imports>
import { describePrincipal, withTokenDeadline } from "@msi-samples/identity";
import { exitWithError, installCtrlCAndUncaughtErrorHandlers } from "@msi-samples/sample-cli";
import { settingsFromFlagsEnvironmentOrVm } from "./settings.ts";

async function main(): Promise<void> {
  installCtrlCAndUncaughtErrorHandlers(); // Ctrl-C exits 130; an error nothing caught is explained
  const settings = await settingsFromFlagsEnvironmentOrVm();
  const { subscriptionId, resourceGroup, deploymentName, template, templateLink, parameters } = settings;
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
  say((await describePrincipal(credential)).description);

  // <snippet_ensure_resource_group>
  const resources = new ResourceManagementClient(credential, subscriptionId);
  const { body: groupExists } = await resources.resourceGroups.checkExistence(resourceGroup);
  if (groupExists) {
    say(`Using existing resource group '${resourceGroup}'.`);
  } else {
    const location = await settings.location();
    say(`Creating resource group '${resourceGroup}' in '${location}'...`);
    await resources.resourceGroups.createOrUpdate(resourceGroup, { location });
  }
  // </snippet_ensure_resource_group>

  say(
    `Deploying ${settings.templateName} as '${deploymentName}' in '${resourceGroup}' (Incremental mode)...`,
  );
  // <snippet_deploy_template>
  const deployments = new DeploymentsClient(credential, subscriptionId);
  const poller = deployments.deployments.createOrUpdate(resourceGroup, deploymentName, {
    properties: { mode: "Incremental", template, templateLink, parameters },
  });
  const seen = new Set<string>();
  poller.onProgress(({ status }) => {
    if (!seen.has(status)) say(`  ${status}`);
    seen.add(status);
  });
  const result = await poller.catch(async (error: unknown) => {
    // The poller's error only says "DeploymentFailed"; the causes (a taken name, a quota...) are on the deployment.
    const failed = await deployments.deployments.get(resourceGroup, deploymentName).catch(() => undefined);
    const cause = failed?.properties?.error;
    throw cause ? new Error(`Deployment '${deploymentName}' failed.`, { cause }) : error;
  });
  // </snippet_deploy_template>

  const { provisioningState, duration, correlationId } = result.properties ?? {};
  const outputs: Record<string, { value?: unknown }> = result.properties?.outputs ?? {};
  say(`Deployment '${deploymentName}': ${provisioningState} in ${duration}`);
  for (const [name, { value }] of Object.entries(outputs)) say(`  output ${name} = ${JSON.stringify(value)}`);

  // Both the sample's template and the quickstart the original links to name their account in this output.
  const accountName = outputs.storageAccountName?.value;
  let account: StorageAccount | undefined;
  if (typeof accountName === "string") {
    // <snippet_read_storage_account>
    const storage = new StorageManagementClient(credential, subscriptionId);
    account = await storage.storageAccounts.getProperties(resourceGroup, accountName);
    // </snippet_read_storage_account>
    say(`Storage account '${account.name}' (${account.sku?.name}, ${account.kind}) in ${account.location}:`);
    for (const [service, url] of Object.entries(account.primaryEndpoints ?? {}))
      say(`  ${service.padEnd(5)} ${url}`);
  } else {
    say("The template has no 'storageAccountName' output, so there is no storage account to read back.");
  }

  if (settings.json) {
    const deployment = { name: deploymentName, provisioningState, duration, correlationId, outputs };
    const storageAccount = account
      ? { id: account.id, name: account.name, primaryEndpoints: account.primaryEndpoints }
      : null;
    console.log(
      JSON.stringify(
        { resourceGroup: { name: resourceGroup, created: !groupExists }, deployment, storageAccount },
        null,
        2,
      ),
    );
  }
}

main().catch(exitWithError);
