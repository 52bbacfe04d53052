/**
 * @summary Deploys an ARM template that creates a storage account, signed in as the Azure VM's managed
 * identity: makes sure the resource group exists, deploys in Incremental mode while showing progress, prints
 * the deployment's state and outputs, and reads the storage account back. Ports the .NET sample
 * Azure-Samples/windowsvm-msi-arm-dotnet to the current Azure SDK for JavaScript.
 */

import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { ResourceManagementClient } from "@azure/arm-resources";
import { type DeploymentParameter, DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { StorageManagementClient } from "@azure/arm-storage";
import {
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
  resolveSetting,
  resolveSettings,
  resourceGroupSetting,
  subscriptionIdSetting,
  UsageError,
  validateDeploymentName,
  validateStorageAccountName,
} from "@msi-samples/identity";

const usage = formatUsage(
  "Deploys an ARM template that creates a storage account, signed in with the VM's managed identity.",
  [
    [
      "--resource-group NAME",
      "Resource group, created if missing (env RESOURCE_GROUP_NAME; default: msi-sample-rg)",
    ],
    ["--location REGION", "Region for a new resource group (env AZURE_LOCATION; default: the VM's region)"],
    ["--deployment-name NAME", "Deployment name (default: msi-sample-<UTC date and time>)"],
    ["--template-file FILE", "Template to deploy (default: the sample's template/azuredeploy.json)"],
    ["--template-uri URI", "Deploy a linked template from this URI instead of a file"],
    ["--parameters-file FILE", "Parameters file (default: template/azuredeploy.parameters.json with the"],
    ["", "sample's own template, none with --template-file or --template-uri)"],
    ["--storage-account-name NAME", "Sets the template's storageAccountName parameter"],
    ["", "(default: the template's own, derived from the resource group's ID)"],
    ["--subscription-id ID", "Subscription (env AZURE_SUBSCRIPTION_ID; default: the VM's own subscription)"],
    ["--json", "Print the result as JSON on stdout (messages go to stderr)"],
    ...identitySelectorUsage,
  ],
);

const sampleTemplateFile = fileURLToPath(new URL("../template/azuredeploy.json", import.meta.url));
const sampleParametersFile = fileURLToPath(
  new URL("../template/azuredeploy.parameters.json", import.meta.url),
);

async function main(): Promise<void> {
  const { values } = parseSampleArgs({
    usage,
    options: {
      ...identitySelectorOptions,
      "resource-group": { type: "string" },
      location: { type: "string" },
      "deployment-name": { type: "string" },
      "template-file": { type: "string" },
      "template-uri": { type: "string" },
      "parameters-file": { type: "string" },
      "storage-account-name": { type: "string" },
      "subscription-id": { type: "string" },
      json: { type: "boolean" },
    },
  });
  const say = values.json ? console.error : console.log;

  // <snippet_sign_in>
  // The identity flags are checked here, before any request.
  const credential = createManagedIdentityCredential(managedIdentityOptionsFrom(values));
  // </snippet_sign_in>

  // Every setting is resolved and checked, and the files are read, before the first request to Azure.
  // <snippet_resolve_settings>
  const { template, templateLink, parameters } = await readTemplateAndParameters({
    templateFile: values["template-file"],
    templateUri: values["template-uri"],
    parametersFile: values["parameters-file"],
  });
  const settings = await resolveSettings({
    resourceGroup: { ...resourceGroupSetting, flag: values["resource-group"], default: "msi-sample-rg" },
    deploymentName: {
      name: "deployment-name",
      flag: values["deployment-name"],
      default: `msi-sample-${new Date().toISOString().replace(/[-:]|\.\d+/g, "")}`,
      validate: validateDeploymentName,
    },
    storageAccountName: {
      name: "storage-account-name",
      flag: values["storage-account-name"],
      validate: validateStorageAccountName,
      optional: true, // the template has its own default
    },
    subscription: { ...subscriptionIdSetting, flag: values["subscription-id"] },
    // Only creating the group needs a region: a flag or variable is checked now, the VM's region and the prompt
    // are asked only then.
    location: {
      ...locationSetting,
      flag: values.location,
      fromMetadata: undefined,
      prompt: undefined,
      optional: true,
    },
  });
  const resourceGroup = settings.resourceGroup.value;
  const deploymentName = settings.deploymentName.value;
  const { subscription } = settings;
  if (settings.storageAccountName) {
    parameters.storageAccountName = { value: settings.storageAccountName.value };
  }
  // </snippet_resolve_settings>
  say(formatPrincipal(await describePrincipal(credential)));

  // <snippet_ensure_resource_group>
  const resources = new ResourceManagementClient(credential, subscription.value);
  const { body: groupExists } = await resources.resourceGroups.checkExistence(resourceGroup);
  if (groupExists) {
    say(`Using existing resource group '${resourceGroup}'.`);
  } else {
    const location =
      settings.location ??
      (await resolveSetting({
        ...locationSetting,
        prompt: "Region for the resource group (for example westeurope):",
      }));
    say(`Creating resource group '${resourceGroup}' in '${location.value}'...`);
    await resources.resourceGroups.createOrUpdate(resourceGroup, { location: location.value });
  }
  // </snippet_ensure_resource_group>

  const templateName = templateLink?.uri ?? values["template-file"] ?? "template/azuredeploy.json";
  say(`Deploying ${templateName} as '${deploymentName}' in '${resourceGroup}' (Incremental mode)...`);
  // <snippet_deploy_template>
  const deployments = new DeploymentsClient(credential, subscription.value);
  const poller = deployments.deployments.createOrUpdate(resourceGroup, deploymentName, {
    properties: { mode: "Incremental", template, templateLink, parameters },
  });
  // Say when the state changes, and every 10 s while it does not.
  const startedAt = Date.now();
  let reported = { status: "", at: 0 };
  poller.onProgress(({ status }) => {
    const at = Math.round((Date.now() - startedAt) / 1000);
    if (status === reported.status && at - reported.at < 10) return;
    reported = { status, at };
    say(`  ${status} (${at} s)`);
  });
  const result = await poller.catch(async (error: unknown) => {
    // The poller's error only says "DeploymentFailed"; the causes (a taken name, a quota...) are on the deployment,
    // and exitWithError lists them.
    const failed = await deployments.deployments.get(resourceGroup, deploymentName).catch(() => undefined);
    const cause = failed?.properties?.error;
    throw cause ? new Error(`Deployment '${deploymentName}' failed.`, { cause }) : error;
  });
  // </snippet_deploy_template>

  const { provisioningState, duration, correlationId } = result.properties ?? {};
  const outputs: Record<string, { type?: string; value?: unknown }> = result.properties?.outputs ?? {};
  say(`Deployment '${deploymentName}': ${provisioningState} in ${duration}`);
  for (const [name, output] of Object.entries(outputs))
    say(`  output ${name} = ${JSON.stringify(output.value)}`);

  // Both the sample's template and the quickstart the original links to name their account in this output.
  const deployedAccount = outputs.storageAccountName?.value;
  let storageAccount: { id?: string; name?: string; primaryEndpoints?: object } | undefined;
  if (typeof deployedAccount === "string") {
    // <snippet_read_storage_account>
    const storage = new StorageManagementClient(credential, subscription.value);
    const account = await storage.storageAccounts.getProperties(resourceGroup, deployedAccount);
    // </snippet_read_storage_account>
    say(`Storage account '${account.name}' (${account.sku?.name}, ${account.kind}) in ${account.location}:`);
    for (const [service, endpoint] of Object.entries(account.primaryEndpoints ?? {})) {
      if (typeof endpoint === "string") say(`  ${service.padEnd(5)} ${endpoint}`);
    }
    storageAccount = { id: account.id, name: account.name, primaryEndpoints: account.primaryEndpoints };
  } else {
    say("The template has no 'storageAccountName' output, so there is no storage account to read back.");
  }

  if (values.json) {
    const summary = {
      resourceGroup: { name: resourceGroup, created: !groupExists },
      deployment: { name: deploymentName, provisioningState, duration, correlationId, outputs },
      storageAccount: storageAccount ?? null,
    };
    console.log(JSON.stringify(summary, null, 2));
  }
}

/**
 * The template (inline from a file, or linked by URI, as the original's two versions do) and the parameters,
 * checked before anything is sent: the files must exist and hold a template and a parameters file.
 */
async function readTemplateAndParameters(settings: {
  templateFile: string | undefined;
  templateUri: string | undefined;
  parametersFile: string | undefined;
}): Promise<{
  template?: Record<string, unknown>;
  templateLink?: { uri: string };
  parameters: Record<string, DeploymentParameter>;
}> {
  const { templateFile, templateUri } = settings;
  if (templateFile !== undefined && templateUri !== undefined) {
    throw new UsageError("Pass either --template-file or --template-uri, not both.", {
      setting: "--template-uri",
    });
  }
  if (templateUri !== undefined && !/^https?:$/.test(URL.parse(templateUri)?.protocol ?? "")) {
    throw new UsageError(`--template-uri '${templateUri}' is not an http(s) URL that Azure can download.`, {
      setting: "--template-uri",
    });
  }
  const usesSampleTemplate = templateFile === undefined && templateUri === undefined;
  const parametersFile = settings.parametersFile ?? (usesSampleTemplate ? sampleParametersFile : undefined);

  const template =
    templateUri === undefined
      ? await readJsonObject(templateFile ?? sampleTemplateFile, "--template-file")
      : undefined;
  if (template !== undefined && !("resources" in template)) {
    throw new UsageError(
      `The --template-file '${templateFile}' has no "resources": it is not an ARM template.`,
      {
        setting: "--template-file",
      },
    );
  }
  const parameters =
    parametersFile === undefined
      ? {}
      : (await readJsonObject(parametersFile, "--parameters-file")).parameters;
  const isParameter = (entry: unknown) =>
    typeof entry === "object" && entry !== null && ("value" in entry || "reference" in entry);
  if (
    typeof parameters !== "object" ||
    parameters === null ||
    Array.isArray(parameters) ||
    !Object.values(parameters).every(isParameter)
  ) {
    throw new UsageError(
      `The --parameters-file '${parametersFile}' is not an ARM parameters file: it needs a "parameters" object ` +
        'whose entries each have a "value" (or a Key Vault "reference").',
      { setting: "--parameters-file" },
    );
  }
  return {
    ...(template && { template }),
    ...(templateUri && { templateLink: { uri: templateUri } }),
    parameters: parameters as Record<string, DeploymentParameter>,
  };
}

/** Reads a file named by a setting as a JSON object; a missing or malformed file is a usage error. */
async function readJsonObject(path: string, setting: string): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const reason =
      error instanceof SyntaxError
        ? `is not valid JSON (${error.message})`
        : `cannot be read (${error instanceof Error ? error.message : error})`;
    throw new UsageError(`The ${setting} '${path}' ${reason}.`, { setting });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`The ${setting} '${path}' must hold a JSON object.`, { setting });
  }
  return value as Record<string, unknown>;
}

main().catch(exitWithError);
