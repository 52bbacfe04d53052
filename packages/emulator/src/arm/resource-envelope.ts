// What every ARM resource shares, whichever provider serves it: its ID, the checks ARM makes before a provider sees
// a write (the group exists, the location does not change), and the JSON envelope of a GET.
// Shapes: azure-rest-api-specs specification/common-types/resource-management/v5/types.json (TrackedResource).
import type { ArmResourceRecord, ResourceGroupRecord } from "../state/world-state.ts";
import { type ArmError, armErrors } from "./arm-errors.ts";
import type { ArmRequest } from "./arm-request.ts";

/** A resource in a resource group: `Microsoft.Network/virtualNetworks/subnets` named `vnet/default`. */
export interface ResourceAddress {
  subscriptionId: string;
  resourceGroup: string;
  namespace: string;
  /** Type segments after the namespace: ["virtualNetworks", "subnets"]. */
  types: string[];
  /** One name per type segment: ["vnet", "default"]. */
  names: string[];
}

export const fullType = (address: ResourceAddress) => [address.namespace, ...address.types].join("/");
export const fullName = (address: ResourceAddress) => address.names.join("/");

/** `/subscriptions/{s}/resourceGroups/{g}/providers/{namespace}/{type}/{name}[/{childType}/{childName}...]`. */
export function resourceIdOf(address: ResourceAddress): string {
  const pairs = address.types.map((type, index) => `/${type}/${address.names[index] ?? ""}`).join("");
  return `/subscriptions/${address.subscriptionId}/resourceGroups/${address.resourceGroup}/providers/${address.namespace}${pairs}`;
}

/** The parent of a nested resource, or undefined for a top-level one. */
export function parentOf(address: ResourceAddress): ResourceAddress | undefined {
  if (address.types.length < 2) return undefined;
  return { ...address, types: address.types.slice(0, -1), names: address.names.slice(0, -1) };
}

/**
 * Splits a resource ID (or the part of a path after `/providers/`) into its address. Undefined when it is not a
 * resource in a resource group (a collection, an action, an extension resource, another scope).
 */
export function parseResourceId(id: string): ResourceAddress | undefined {
  const segments = id.split("/").filter((segment) => segment !== "");
  if (segments.length < 7) return undefined;
  const [subscriptions, subscriptionId, groups, resourceGroup, providers, namespace, ...rest] = segments;
  if (
    subscriptions?.toLowerCase() !== "subscriptions" ||
    groups?.toLowerCase() !== "resourcegroups" ||
    providers?.toLowerCase() !== "providers" ||
    !subscriptionId ||
    !resourceGroup ||
    !namespace
  )
    return undefined;
  return addressFromTail(subscriptionId, resourceGroup, namespace, rest);
}

/** `{type}/{name}/{childType}/{childName}` after the namespace; undefined for an odd count or a nested `providers`. */
export function addressFromTail(
  subscriptionId: string,
  resourceGroup: string,
  namespace: string,
  rest: string[],
): ResourceAddress | undefined {
  if (rest.length === 0 || rest.length % 2 !== 0) return undefined;
  const types = rest.filter((_, index) => index % 2 === 0);
  const names = rest.filter((_, index) => index % 2 === 1);
  if (types.some((type) => type.toLowerCase() === "providers")) return undefined;
  return { subscriptionId, resourceGroup, namespace, types, names };
}

/**
 * The scope ARM names in AuthorizationFailed: the path as the client sent it, `//` collapsed
 * (so `resourcegroups` stays lowercase when the SDK wrote it so).
 */
export function requestScope(request: ArmRequest): string {
  return request.path.replace(/\/{2,}/g, "/").replace(/\/$/, "");
}

/** The group a request addresses; ResourceGroupNotFound when it does not exist. */
export function existingGroup(request: ArmRequest): ResourceGroupRecord {
  const name = request.params.resourceGroupName ?? "";
  const group = request.world.getResourceGroup(request.params.subscriptionId ?? "", name);
  if (!group) throw armErrors.resourceGroupNotFound(name);
  return group;
}

/** A write into a group: it must exist and not be on its way out. */
export function groupForWrite(request: ArmRequest): ResourceGroupRecord {
  const group = existingGroup(request);
  if (group.provisioningState === "Deleting") throw armErrors.resourceGroupBeingDeleted(group.name);
  return group;
}

/** ARM keeps a resource in the region it was created in. */
export function checkLocationUnchanged(
  existing: ArmResourceRecord | undefined,
  requested: string | undefined,
): void {
  if (!existing?.location || requested === undefined || existing.location === requested) return;
  throw armErrors.invalidResourceLocation(
    existing.name,
    existing.location,
    existing.resourceGroup,
    requested,
  );
}

/** The body of a GET: ARM's envelope around what the provider keeps in `properties`. */
export function resourceBody(record: ArmResourceRecord): Record<string, unknown> {
  const topLevel = (record.extra?.topLevel ?? {}) as Record<string, unknown>;
  return {
    id: record.id,
    name: record.name.split("/").pop() ?? record.name,
    type: record.type,
    ...(record.location !== undefined ? { location: record.location } : {}),
    ...(record.tags !== undefined ? { tags: record.tags } : {}),
    ...(record.kind !== undefined ? { kind: record.kind } : {}),
    ...(record.sku !== undefined ? { sku: record.sku } : {}),
    ...(record.identity !== undefined ? { identity: record.identity } : {}),
    ...topLevel,
    properties: record.properties,
  };
}

/** ResourceNotFound, worded with the type and name as ARM does. */
export function resourceNotFound(address: ResourceAddress): ArmError {
  return armErrors.resourceNotFound(fullType(address), fullName(address), address.resourceGroup);
}
