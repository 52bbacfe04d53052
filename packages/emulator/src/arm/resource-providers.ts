// The resource providers API (Microsoft.Resources/providers): which namespaces and resource types the subscription
// offers, in which regions, with which api-versions. Clients read it to pick an api-version: `az resource show --ids`
// without --api-version takes the first non-preview version of the type (azure-cli resource/custom.py
// _resolve_api_version), and `az provider show` prints it. Shapes: azure-rest-api-specs specification/resources/
// resource-manager/Microsoft.Resources/resources/stable/2025-04-01/resources.json (Provider, ProviderResourceType,
// Providers_List, Providers_Get, Providers_Register, Providers_ListAtTenantScope, Providers_GetAtTenantScope).
// Every namespace the emulator serves is Registered; registering is accepted and changes nothing.
import { armErrors } from "./arm-errors.ts";
import type { ArmProvider, ArmRequest } from "./arm-request.ts";
import { pageOf } from "./paging.ts";
import { REGIONS } from "./regions.ts";

interface ResourceTypeEntry {
  resourceType: string;
  /** Newest first, as ARM lists them. */
  apiVersions: readonly string[];
  /** Regional (tracked) types list the regions; others (operations, global types) none. */
  regional: boolean;
}

interface ProviderEntry {
  namespace: string;
  /** Microsoft.Resources and Microsoft.Authorization need no registration. */
  registrationPolicy: "RegistrationRequired" | "RegistrationFree";
  resourceTypes: readonly ResourceTypeEntry[];
}

// api-versions: the stable (and a few preview) folders of each namespace in azure-rest-api-specs, plus the versions
// the SDKs in use here send (see SDK-WIRE-FACTS: storage 2026-09-01, deployments 2026-06-01).
const RESOURCES_VERSIONS = [
  "2025-04-01",
  "2025-03-01",
  "2024-11-01",
  "2024-07-01",
  "2024-03-01",
  "2023-07-01",
  "2022-09-01",
  "2021-04-01",
  "2020-06-01",
  "2019-10-01",
];
const KEY_VAULT_VERSIONS = [
  "2026-02-01",
  "2024-11-01",
  "2024-04-01-preview",
  "2023-07-01",
  "2023-02-01",
  "2022-07-01",
  "2021-10-01",
  "2019-09-01",
  "2018-02-14",
];
const STORAGE_VERSIONS = [
  "2026-09-01",
  "2025-06-01",
  "2025-01-01",
  "2024-01-01",
  "2023-05-01",
  "2023-01-01",
  "2022-09-01",
  "2021-09-01",
  "2019-06-01",
];
const COMPUTE_VERSIONS = [
  "2024-11-01",
  "2024-07-01",
  "2024-03-01",
  "2023-09-01",
  "2023-07-01",
  "2023-03-01",
  "2022-11-01",
];
const NETWORK_VERSIONS = [
  "2024-05-01",
  "2024-03-01",
  "2024-01-01",
  "2023-11-01",
  "2023-09-01",
  "2023-05-01",
  "2022-09-01",
];
const IDENTITY_VERSIONS = ["2024-11-30", "2023-01-31", "2018-11-30"];
const AUTHORIZATION_VERSIONS = ["2022-04-01", "2020-10-01-preview", "2020-04-01-preview", "2015-07-01"];

const regional = (resourceType: string, apiVersions: readonly string[]): ResourceTypeEntry => ({
  resourceType,
  apiVersions,
  regional: true,
});
const global = (resourceType: string, apiVersions: readonly string[]): ResourceTypeEntry => ({
  resourceType,
  apiVersions,
  regional: false,
});

export const PROVIDER_CATALOG: readonly ProviderEntry[] = [
  {
    namespace: "Microsoft.Authorization",
    registrationPolicy: "RegistrationFree",
    resourceTypes: [
      global("roleAssignments", AUTHORIZATION_VERSIONS),
      global("roleDefinitions", AUTHORIZATION_VERSIONS),
      global("operations", AUTHORIZATION_VERSIONS),
    ],
  },
  {
    namespace: "Microsoft.Compute",
    registrationPolicy: "RegistrationRequired",
    resourceTypes: [
      regional("virtualMachines", COMPUTE_VERSIONS),
      regional("virtualMachines/extensions", COMPUTE_VERSIONS),
      regional("disks", COMPUTE_VERSIONS),
      global("operations", COMPUTE_VERSIONS),
    ],
  },
  {
    namespace: "Microsoft.KeyVault",
    registrationPolicy: "RegistrationRequired",
    resourceTypes: [
      regional("vaults", KEY_VAULT_VERSIONS),
      regional("vaults/secrets", KEY_VAULT_VERSIONS),
      regional("vaults/accessPolicies", KEY_VAULT_VERSIONS),
      global("deletedVaults", KEY_VAULT_VERSIONS),
      regional("locations/deletedVaults", KEY_VAULT_VERSIONS),
      regional("locations/operationResults", KEY_VAULT_VERSIONS),
      global("checkNameAvailability", KEY_VAULT_VERSIONS),
      global("operations", KEY_VAULT_VERSIONS),
    ],
  },
  {
    namespace: "Microsoft.ManagedIdentity",
    registrationPolicy: "RegistrationRequired",
    resourceTypes: [
      regional("userAssignedIdentities", IDENTITY_VERSIONS),
      regional("userAssignedIdentities/federatedIdentityCredentials", IDENTITY_VERSIONS),
      global("operations", IDENTITY_VERSIONS),
    ],
  },
  {
    namespace: "Microsoft.Network",
    registrationPolicy: "RegistrationRequired",
    resourceTypes: [
      regional("virtualNetworks", NETWORK_VERSIONS),
      regional("virtualNetworks/subnets", NETWORK_VERSIONS),
      regional("networkInterfaces", NETWORK_VERSIONS),
      regional("networkSecurityGroups", NETWORK_VERSIONS),
      regional("publicIPAddresses", NETWORK_VERSIONS),
      global("operations", NETWORK_VERSIONS),
    ],
  },
  {
    namespace: "Microsoft.Resources",
    registrationPolicy: "RegistrationFree",
    resourceTypes: [
      global("resourceGroups", RESOURCES_VERSIONS),
      global("deployments", ["2026-06-01", ...RESOURCES_VERSIONS]),
      global("deployments/operations", ["2026-06-01", ...RESOURCES_VERSIONS]),
      global("subscriptions", ["2022-12-01", ...RESOURCES_VERSIONS]),
      global("subscriptions/locations", ["2022-12-01", ...RESOURCES_VERSIONS]),
      global("tenants", ["2022-12-01", ...RESOURCES_VERSIONS]),
      global("providers", RESOURCES_VERSIONS),
      global("operations", RESOURCES_VERSIONS),
    ],
  },
  {
    namespace: "Microsoft.Storage",
    registrationPolicy: "RegistrationRequired",
    resourceTypes: [
      regional("storageAccounts", STORAGE_VERSIONS),
      regional("storageAccounts/blobServices", STORAGE_VERSIONS),
      regional("storageAccounts/blobServices/containers", STORAGE_VERSIONS),
      global("checkNameAvailability", STORAGE_VERSIONS),
      regional("locations/asyncoperations", STORAGE_VERSIONS),
      global("operations", STORAGE_VERSIONS),
    ],
  },
];

function findProvider(namespace: string): ProviderEntry {
  const found = PROVIDER_CATALOG.find((p) => p.namespace.toLowerCase() === namespace.toLowerCase());
  if (!found) throw armErrors.invalidResourceNamespace(namespace);
  return found;
}

/** Provider: with a subscription, its registration state; at tenant scope, only the namespace and its types. */
function providerBody(provider: ProviderEntry, subscriptionId?: string): Record<string, unknown> {
  const regions = REGIONS.map((region) => region.displayName);
  return {
    id: `${subscriptionId ? `/subscriptions/${subscriptionId}` : ""}/providers/${provider.namespace}`,
    namespace: provider.namespace,
    resourceTypes: provider.resourceTypes.map((type) => ({
      resourceType: type.resourceType,
      locations: type.regional ? regions : [],
      apiVersions: type.apiVersions,
      capabilities: type.regional
        ? "CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SupportsTags, SupportsLocation"
        : "None",
    })),
    ...(subscriptionId
      ? { registrationState: "Registered", registrationPolicy: provider.registrationPolicy }
      : {}),
  };
}

const subscriptionOf = (request: ArmRequest) => request.params.subscriptionId ?? "";

export const resourceProvidersProvider: ArmProvider = {
  name: "Microsoft.Resources/providers",
  routes: [
    {
      method: "GET",
      path: "/subscriptions/:subscriptionId/providers",
      handler: (request) => ({
        status: 200,
        body: pageOf(
          PROVIDER_CATALOG.map((provider) => providerBody(provider, subscriptionOf(request))),
          request,
        ),
      }),
    },
    {
      method: "GET",
      path: "/subscriptions/:subscriptionId/providers/:providerNamespace",
      handler: (request) => ({
        status: 200,
        body: providerBody(findProvider(request.params.providerNamespace ?? ""), subscriptionOf(request)),
      }),
    },
    {
      method: "POST",
      path: "/subscriptions/:subscriptionId/providers/:providerNamespace/register",
      handler: (request) => {
        const provider = findProvider(request.params.providerNamespace ?? "");
        request.authorize(
          `${provider.namespace}/register/action`,
          `/subscriptions/${subscriptionOf(request)}`,
        );
        return { status: 200, body: providerBody(provider, subscriptionOf(request)) };
      },
    },
    {
      method: "GET",
      path: "/providers",
      handler: (request) => ({
        status: 200,
        body: pageOf(
          PROVIDER_CATALOG.map((provider) => providerBody(provider)),
          request,
        ),
      }),
    },
    {
      method: "GET",
      path: "/providers/:providerNamespace",
      handler: (request) => ({
        status: 200,
        body: providerBody(findProvider(request.params.providerNamespace ?? "")),
      }),
    },
  ],
};
