// The authorization Azure Resource Manager checks a request against (an action such as
// 'Microsoft.Storage/storageAccounts/read', at a scope), worked out from the request's method and URL, for the errors
// whose SDK dropped ARM's own message (arm-resources 8's pagers keep only the code AuthorizationFailed).
//
// ARM names actions {namespace}/{type}[/{child type}...]/{read|write|delete}, and {namespace}/{types}/{name}/action
// for POST operations; the types are the URL's type segments after the last /providers/{namespace}, or, without one,
// Microsoft.Resources' own: subscriptions, resourceGroups, ... (learn.microsoft.com/azure/role-based-access-control/
// permissions/management-and-governance#microsoftresources, "Permission strings have the following format:
// {Company}.{ProviderName}/{resourceType}/{action}").

export interface ArmAuthorization {
  /** e.g. `Microsoft.Resources/subscriptions/resourceGroups/read`. */
  action: string;
  /** The resource, or for a list the scope it lists, as the URL writes it: `/subscriptions/…/resourcegroups/rg`. */
  scope: string;
}

const verbs: Record<string, string> = {
  GET: "read",
  HEAD: "read",
  PUT: "write",
  PATCH: "write",
  DELETE: "delete",
};

// Microsoft.Resources' types as its operations list spells them (the SDKs write `resourcegroups`).
const resourcesTypeNames = new Map(
  [
    "subscriptions",
    "resourceGroups",
    "resources",
    "deployments",
    "providers",
    "locations",
    "tagNames",
    "tagValues",
    "tags",
  ].map((name) => [name.toLowerCase(), name]),
);

/** The action and scope of an ARM request, or undefined when the URL is not an ARM resource path. */
export function armAuthorizationOf(method: string, url: string): ArmAuthorization | undefined {
  let segments: string[];
  try {
    // Empty segments (a generic resource without a parent path gives `vaults//name`) carry no meaning.
    segments = new URL(url).pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const providerAt = segments.findLastIndex(
    (segment, index) => segment.toLowerCase() === "providers" && segments[index + 1]?.includes(".") === true,
  );
  const namespace = providerAt === -1 ? "Microsoft.Resources" : (segments[providerAt + 1] ?? "");
  const prefix = providerAt === -1 ? [] : segments.slice(0, providerAt + 2);
  const rest = providerAt === -1 ? segments : segments.slice(providerAt + 2);
  if (providerAt === -1 && rest[0]?.toLowerCase() !== "subscriptions") return undefined;

  const upperMethod = method.toUpperCase();
  // POST {resource}/{operation}: the last segment names the action, the rest is the resource.
  const isAction = upperMethod === "POST";
  if (isAction && rest.length % 2 === 0) return undefined;
  const resourcePath = isAction ? rest.slice(0, -1) : rest;
  const types = resourcePath.filter((_, index) => index % 2 === 0);
  const spelled =
    providerAt === -1 ? types.map((type) => resourcesTypeNames.get(type.toLowerCase()) ?? type) : types;
  const operation = isAction ? `${rest.at(-1)}/action` : verbs[upperMethod];
  if (!operation || (spelled.length === 0 && !isAction)) return undefined;
  const action = [namespace, ...spelled, operation].join("/");

  // A list (an odd number of segments: ends with a type) is authorized at the scope it lists.
  const resource = resourcePath.length % 2 === 1 ? resourcePath.slice(0, -1) : resourcePath;
  const scopeSegments = [...prefix, ...resource];
  // Without a resource after /providers/{namespace}, the scope is what comes before it.
  const scope = resource.length === 0 && providerAt !== -1 ? segments.slice(0, providerAt) : scopeSegments;
  return { action, scope: `/${scope.join("/")}` };
}
