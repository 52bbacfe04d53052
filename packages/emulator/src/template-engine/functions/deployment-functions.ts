// Deployment functions (ARM docs: "Template functions - deployment") and copyIndex().

import type { TemplateObject } from "../template-values.ts";
import { asInteger, asString, type FunctionLibrary } from "./function-types.ts";

/** docs (environment): the object returned "when deployed to global Azure". */
const AZURE_CLOUD: TemplateObject = {
  name: "AzureCloud",
  gallery: "https://gallery.azure.com/",
  graph: "https://graph.windows.net/",
  portal: "https://portal.azure.com",
  graphAudience: "https://graph.windows.net/",
  activeDirectoryDataLake: "https://datalake.azure.net/",
  batch: "https://batch.core.windows.net/",
  media: "https://rest.media.azure.net",
  sqlManagement: "https://management.core.windows.net:8443/",
  vmImageAliasDoc:
    "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json",
  resourceManager: "https://management.azure.com/",
  authentication: {
    loginEndpoint: "https://login.microsoftonline.com/",
    audiences: ["https://management.core.windows.net/", "https://management.azure.com/"],
    tenant: "common",
    identityProvider: "AAD",
  },
  suffixes: {
    acrLoginServer: ".azurecr.io",
    azureDatalakeAnalyticsCatalogAndJob: "azuredatalakeanalytics.net",
    azureDatalakeStoreFileSystem: "azuredatalakestore.net",
    azureFrontDoorEndpointSuffix: "azurefd.net",
    keyvaultDns: ".vault.azure.net",
    sqlServerHostname: ".database.windows.net",
    storage: "core.windows.net",
  },
};

export const deploymentFunctions: FunctionLibrary = {
  parameters: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([name], call) => call.scope.state.parameter(asString(call, name)),
  },
  variables: {
    minArgs: 1,
    maxArgs: 1,
    locations: ["variables", "resources", "outputs"],
    invoke: ([name], call) => call.scope.state.variable(asString(call, name)),
  },
  deployment: { minArgs: 0, maxArgs: 0, invoke: (_args, call) => call.scope.state.deploymentObject() },
  environment: { minArgs: 0, maxArgs: 0, invoke: () => structuredClone(AZURE_CLOUD) },
  copyindex: {
    minArgs: 0,
    maxArgs: 2,
    // copyIndex(), copyIndex(offset), copyIndex('loopName'), copyIndex('loopName', offset).
    invoke: ([first, second], call) => {
      if (typeof first === "string")
        return call.scope.copyIndex(first) + (second === undefined ? 0 : asInteger(call, second));
      return call.scope.copyIndex(undefined) + (first === undefined ? 0 : asInteger(call, first));
    },
  },
};
