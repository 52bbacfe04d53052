// Builds and splits Azure resource IDs the way resourceId() and friends do.

/** "Microsoft.Network/virtualNetworks/subnets" → namespace "Microsoft.Network", types ["virtualNetworks", "subnets"]. */
export function splitResourceType(type: string): { namespace: string; types: string[] } {
  const [namespace = "", ...types] = type.split("/");
  return { namespace, types };
}

/** Name arguments may also carry several segments ("vnet/subnet"). */
export function splitResourceNames(names: readonly string[]): string[] {
  return names.flatMap((name) => name.split("/"));
}

function providerPath(type: string, names: readonly string[]): string {
  const { namespace, types } = splitResourceType(type);
  const segments = splitResourceNames(names);
  let path = `/providers/${namespace}`;
  types.forEach((segment, index) => {
    path += `/${segment}/${segments[index] ?? ""}`;
  });
  return path;
}

/** True when a type has exactly one name segment per type segment. */
export function namesMatchType(type: string, names: readonly string[]): boolean {
  const { namespace, types } = splitResourceType(type);
  return namespace !== "" && types.length > 0 && types.length === splitResourceNames(names).length;
}

export function subscriptionId(subscription: string): string {
  return `/subscriptions/${subscription}`;
}

export function resourceGroupId(subscription: string, resourceGroupName: string): string {
  return `/subscriptions/${subscription}/resourceGroups/${resourceGroupName}`;
}

export function resourceGroupResourceId(
  subscription: string,
  resourceGroupName: string,
  type: string,
  names: readonly string[],
): string {
  return `${resourceGroupId(subscription, resourceGroupName)}${providerPath(type, names)}`;
}

export function subscriptionResourceId(subscription: string, type: string, names: readonly string[]): string {
  return `${subscriptionId(subscription)}${providerPath(type, names)}`;
}

export function tenantResourceId(type: string, names: readonly string[]): string {
  return providerPath(type, names);
}

export function extensionResourceId(scopeId: string, type: string, names: readonly string[]): string {
  return `${scopeId.replace(/\/+$/, "")}${providerPath(type, names)}`;
}

/**
 * A resource's `scope` may be a resource ID or, as ARM also accepts, the short form
 * "{namespace}/{type}/{name}[/{childType}/{childName}]" of a resource in the same group.
 * Returns undefined when the short form does not have that shape.
 */
export function scopeToResourceId(
  scope: string,
  subscription: string,
  resourceGroupName: string,
): string | undefined {
  if (scope.startsWith("/")) return scope;
  const [namespace, ...rest] = scope.split("/");
  if (namespace === undefined || !namespace.includes(".") || rest.length === 0 || rest.length % 2 !== 0)
    return undefined;
  const types = rest.filter((_, index) => index % 2 === 0);
  const names = rest.filter((_, index) => index % 2 === 1);
  return resourceGroupResourceId(subscription, resourceGroupName, [namespace, ...types].join("/"), names);
}
