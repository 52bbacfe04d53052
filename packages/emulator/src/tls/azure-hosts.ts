// Which host names and addresses belong to Azure: the proxy refuses these when no service emulates them, so that
// nothing a program sends under the emulator's environment reaches real Azure by accident.

/**
 * Domains of Azure's endpoints in every cloud (public, China, US Government, Germany): the endpoints and suffixes of
 * `az cloud list` (Azure CLI 2.45, azure/cli/core/cloud.py), plus Azure's service domains that list does not name
 * (App Service, Front Door, CDN, API Management, IoT Hub, AKS) and the Microsoft sign-in and telemetry domains the
 * SDKs and the Azure CLI call (login.live.com, dc.services.visualstudio.com). A host is Azure's when it is one of
 * these or ends with "." and one of these.
 */
export const AZURE_DOMAINS = [
  // Public cloud: Resource Manager, Key Vault, storage, SQL, sign-in, Graph, monitoring.
  "azure.com",
  "azure.net",
  "windows.net",
  "windowsazure.com",
  "microsoft.com",
  "microsoftonline.com",
  "microsoftonline-p.com",
  "msauth.net",
  "msftauth.net",
  "live.com",
  "visualstudio.com",
  "applicationinsights.io",
  "loganalytics.io",
  "azurecr.io",
  "azmk8s.io",
  "azuredatalakestore.net",
  "azuredatalakeanalytics.net",
  "azuresynapse.net",
  "azurewebsites.net",
  "cloudapp.net",
  "azurefd.net",
  "azureedge.net",
  "azure-api.net",
  "azure-devices.net",
  "trafficmanager.net",
  // Sovereign clouds.
  "azure.cn",
  "chinacloudapi.cn",
  "azurecr.cn",
  "azure.us",
  "usgovcloudapi.net",
  "microsoftonline.us",
  "microsoft.us",
  "azurecr.us",
  "cloudapi.de",
  "microsoftazure.de",
  "microsoftonline.de",
  "microsoft.de",
] as const;

/**
 * Addresses of the Azure platform itself, which only make sense on a VM: 169.254.0.0/16 (link-local, where IMDS
 * lives) and 168.63.129.16 (the WireServer), per "What is IP address 168.63.129.16?" (learn.microsoft.com).
 */
const AZURE_PLATFORM_ADDRESS = /^(169\.254\.\d{1,3}\.\d{1,3}|168\.63\.129\.16)$/;

export function isAzureHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  if (AZURE_PLATFORM_ADDRESS.test(name)) return true;
  return AZURE_DOMAINS.some((domain) => name === domain || name.endsWith(`.${domain}`));
}
