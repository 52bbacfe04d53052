// The command line of deploy-arm-template: its --help, its flags, its settings from flags, the environment, the VM's
// instance metadata or a prompt, and the template files, every one checked before the first request to Azure.
import type { DeploymentParameter } from "@azure/arm-resourcesdeployments";
import { type ChosenIdentity, identityFromFlagsOrEnvironment } from "@msi-samples/identity";
import {
  formatUsage,
  identitySelectorOptions,
  identitySelectorUsage,
  locationSetting,
  parseSampleArgs,
  type ResolvedSetting,
  resolveSetting,
  resolveSettings,
  resourceGroupSetting,
  subscriptionIdSetting,
  validateDeploymentName,
  validateStorageAccountName,
} from "@msi-samples/sample-cli";
import { readTemplateAndParameters } from "./template-files.ts";

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

export interface Settings {
  identity: ChosenIdentity;
  subscriptionId: string;
  resourceGroup: string;
  deploymentName: string;
  /** What is deployed: an inline template or a link to one, and the parameters. */
  templateName: string;
  template?: Record<string, unknown>;
  templateLink?: { uri: string };
  parameters: Record<string, DeploymentParameter>;
  /** Only creating the group needs a region: a flag or variable now, else the VM's region or a prompt then. */
  location: () => Promise<string>;
  json: boolean;
}

/** Parses the flags (--help prints the usage and exits), then reads each setting and the template files. */
export async function settingsFromFlagsEnvironmentOrVm(): Promise<Settings> {
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
  const identity = identityFromFlagsOrEnvironment(values);
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
    location: {
      ...locationSetting,
      flag: values.location,
      fromMetadata: undefined,
      prompt: undefined,
      optional: true,
    },
  });
  if (settings.storageAccountName) {
    parameters.storageAccountName = { value: settings.storageAccountName.value };
  }
  const given: ResolvedSetting | undefined = settings.location;
  const location = async () =>
    (
      given ??
      (await resolveSetting({
        ...locationSetting,
        prompt: "Region for the resource group (for example westeurope):",
      }))
    ).value;
  return {
    identity,
    subscriptionId: settings.subscription.value,
    resourceGroup: settings.resourceGroup.value,
    deploymentName: settings.deploymentName.value,
    templateName: templateLink?.uri ?? values["template-file"] ?? "template/azuredeploy.json",
    ...(template && { template }),
    ...(templateLink && { templateLink }),
    parameters,
    location,
    json: values.json ?? false,
  };
}
