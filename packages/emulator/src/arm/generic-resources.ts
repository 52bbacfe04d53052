// Generic resources: any resource type the emulator has no provider module for (virtual networks, VMs, managed
// identities...) is stored and returned as sent, by path or by ID, nested types included; and the resource lists of a
// group and of a subscription. Typed providers (storage accounts, vaults, deployments) declare exact routes, which
// the router prefers to the wildcard below.
// Shapes: azure-rest-api-specs specification/resources/resource-manager/Microsoft.Resources/resources/stable/
// 2025-04-01/resources.json (Resources_CreateOrUpdate, Resources_Get, Resources_ListByResourceGroup, GenericResource).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Reply } from "../http/reply.ts";
import { USER_ASSIGNED_IDENTITY_TYPE, VIRTUAL_MACHINE_TYPE } from "../identifiers.ts";
import { type ArmResourceRecord, normalizeLocation } from "../state/world-state.ts";
import { armErrors } from "./arm-errors.ts";
import { type ArmProvider, type ArmRequest, type ArmRoute, parseArmBody } from "./arm-request.ts";
import { pageOf } from "./paging.ts";
import {
  addressFromTail,
  checkLocationUnchanged,
  existingGroup,
  fullName,
  fullType,
  groupForWrite,
  parentOf,
  type ResourceAddress,
  requestScope,
  resourceBody,
  resourceIdOf,
} from "./resource-envelope.ts";
import { resolveIdentity, userAssignedIdentityProperties } from "./resource-identities.ts";
import {
  existingResource,
  hasRoleInSubscription,
  readableInSubscription,
  replyToDelete,
  replyToHead,
  replyWithSaved,
  storedResourceId,
} from "./resource-requests.ts";

const GROUP_PROVIDERS = "/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/*";
const DEPLOYMENT_TYPE = "microsoft.resources/deployments";

const genericBodySchema = z.looseObject({
  location: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  sku: z.looseObject({}).optional(),
  kind: z.string().optional(),
  identity: z.looseObject({ type: z.string() }).optional(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** Top-level fields other than the envelope that a generic resource keeps as sent. */
const TOP_LEVEL_FIELDS = ["plan", "zones", "extendedLocation", "managedBy", "etag"] as const;

/** The resource the wildcard part of the path names (`Microsoft.Compute/virtualMachines/vm1`). */
function addressOf(request: ArmRequest): ResourceAddress | undefined {
  const [namespace = "", ...rest] = (request.params["*"] ?? "").split("/").filter(Boolean);
  return addressFromTail(
    request.params.subscriptionId ?? "",
    request.params.resourceGroupName ?? "",
    namespace,
    rest,
  );
}

function requireAddress(request: ArmRequest): ResourceAddress {
  const address = addressOf(request);
  if (!address) throw armErrors.noRouteMatches(`${request.baseUrl}${request.path}`);
  return address;
}

/** What ARM lists in a group or subscription: top-level resources, not deployments. */
export function isListedResource(record: ArmResourceRecord): boolean {
  return record.type.split("/").length === 2 && record.type.toLowerCase() !== DEPLOYMENT_TYPE;
}

/** Compute's GET never returns the VM's secrets (customData, adminPassword) and adds its vmId. */
function virtualMachineProperties(
  input: Record<string, unknown>,
  existing: ArmResourceRecord | undefined,
): Record<string, unknown> {
  const properties = structuredClone(input);
  const osProfile = properties.osProfile as Record<string, unknown> | undefined;
  if (osProfile) {
    delete osProfile.customData;
    delete osProfile.adminPassword;
  }
  const vmId = existing?.properties.vmId;
  return { ...properties, vmId: typeof vmId === "string" ? vmId : randomUUID() };
}

function propertiesFor(
  request: ArmRequest,
  type: string,
  input: Record<string, unknown>,
  existing: ArmResourceRecord | undefined,
): Record<string, unknown> {
  const lower = type.toLowerCase();
  if (lower === USER_ASSIGNED_IDENTITY_TYPE.toLowerCase())
    return { ...input, ...userAssignedIdentityProperties(request.world, existing) };
  if (lower === VIRTUAL_MACHINE_TYPE.toLowerCase())
    return { ...virtualMachineProperties(input, existing), provisioningState: "Succeeded" };
  return { ...input, provisioningState: "Succeeded" };
}

async function putResource(request: ArmRequest): Promise<Reply> {
  const address = requireAddress(request);
  const type = fullType(address);
  request.authorize(`${type}/write`, requestScope(request));
  const group = groupForWrite(request);
  const parent = parentOf(address);
  if (parent && !request.world.getResource(resourceIdOf(parent)))
    throw armErrors.parentResourceNotFound(fullName(parent));
  const input = parseArmBody(genericBodySchema, request.body);
  const id = storedResourceId(request, address);
  const existing = request.world.getResource(id);
  const location = input.location === undefined ? undefined : normalizeLocation(input.location);
  checkLocationUnchanged(existing, location);
  const now = new Date().toISOString();
  const topLevel = Object.fromEntries(
    TOP_LEVEL_FIELDS.filter((field) => input[field] !== undefined).map((field) => [field, input[field]]),
  );
  // A system-assigned principal belongs to the resource: an update keeps it.
  const identity =
    input.identity === undefined ? undefined : resolveIdentity(request.world, id, input.identity, existing);
  const record: ArmResourceRecord = {
    id: existing?.id ?? id,
    subscriptionId: group.subscriptionId,
    resourceGroup: group.name,
    type: existing?.type ?? type,
    name: existing?.name ?? fullName(address),
    ...(location !== undefined ? { location } : {}),
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
    ...(input.kind !== undefined ? { kind: input.kind } : {}),
    ...(input.sku !== undefined ? { sku: input.sku } : {}),
    ...(identity !== undefined ? { identity } : {}),
    properties: propertiesFor(request, type, input.properties ?? {}, existing),
    createdTime: existing?.createdTime ?? now,
    changedTime: now,
    ...(Object.keys(topLevel).length ? { extra: { topLevel } } : {}),
  };
  return replyWithSaved(request, record, existing ? 200 : 201);
}

async function patchResource(request: ArmRequest): Promise<Reply> {
  const address = requireAddress(request);
  request.authorize(`${fullType(address)}/write`, requestScope(request));
  const existing = existingResource(request, address);
  const id = storedResourceId(request, address);
  const input = parseArmBody(genericBodySchema, request.body);
  if (input.location !== undefined) checkLocationUnchanged(existing, normalizeLocation(input.location));
  const identity = resolveIdentity(request.world, id, input.identity, existing);
  const record: ArmResourceRecord = {
    ...existing,
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
    ...(input.kind !== undefined ? { kind: input.kind } : {}),
    ...(input.sku !== undefined ? { sku: input.sku } : {}),
    ...(identity !== undefined ? { identity } : {}),
    properties: input.properties
      ? propertiesFor(request, existing.type, { ...existing.properties, ...input.properties }, existing)
      : existing.properties,
    changedTime: new Date().toISOString(),
  };
  return replyWithSaved(request, record, 200);
}

function deleteResource(request: ArmRequest): Promise<Reply> {
  const address = requireAddress(request);
  request.authorize(`${fullType(address)}/delete`, requestScope(request));
  return replyToDelete(request, storedResourceId(request, address));
}

function getResource(request: ArmRequest): Reply {
  const tail = (request.params["*"] ?? "").split("/").filter(Boolean);
  const address = requireAddressOrCollection(request, tail);
  if (address === "collection") return listCollection(request, tail);
  request.authorize(`${fullType(address)}/read`, requestScope(request));
  return { status: 200, body: resourceBody(existingResource(request, address)) };
}

function requireAddressOrCollection(request: ArmRequest, tail: string[]): ResourceAddress | "collection" {
  if (tail.length >= 2 && tail.length % 2 === 0 && !tail.some((s) => s.toLowerCase() === "providers"))
    return "collection";
  return requireAddress(request);
}

/** GET on a type (`.../providers/Microsoft.Compute/virtualMachines`): the group's resources of that type. */
function listCollection(request: ArmRequest, tail: string[]): Reply {
  const [namespace = "", ...rest] = tail;
  const types = rest.filter((_, index) => index % 2 === 0);
  const parentNames = rest.filter((_, index) => index % 2 === 1);
  const type = [namespace, ...types].join("/");
  request.authorize(`${type}/read`, requestScope(request));
  const group = existingGroup(request);
  const prefix = parentNames.length ? `${parentNames.join("/")}/`.toLowerCase() : "";
  const items = request.world
    .listResources({ subscriptionId: group.subscriptionId, resourceGroup: group.name, type })
    .filter((record) => record.name.toLowerCase().startsWith(prefix))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(resourceBody);
  return { status: 200, body: pageOf(items, request) };
}

/**
 * GET `/subscriptions/{s}/providers/{namespace}/{type}`: every tracked type has a list-by-subscription operation
 * (Vaults_ListBySubscription, ManagedHsms_ListBySubscription, VirtualMachines_ListAll...), which answers an empty list
 * when there are none, never 404 (`az keyvault list` also lists managed HSMs). Like the subscription's resource list,
 * it holds what the caller may read.
 */
function listTypeInSubscription(request: ArmRequest): Reply {
  const subscriptionId = request.params.subscriptionId ?? "";
  const type = `${request.params.providerNamespace ?? ""}/${request.params.resourceType ?? ""}`;
  const items = readableInSubscription(
    request,
    `${type}/read`,
    request.world.listResources({ subscriptionId, type }),
    (record) => record.id,
  )
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(resourceBody);
  return { status: 200, body: pageOf(items, request) };
}

function headResource(request: ArmRequest): Reply {
  const address = requireAddress(request);
  request.authorize(`${fullType(address)}/read`, requestScope(request));
  return replyToHead(request, storedResourceId(request, address));
}

/**
 * `$filter` of Resources_List: `resourceType eq '...'`, `name eq '...'`, `location eq '...'`,
 * `resourceGroup eq '...'`, `substringof('...', name)`, `tagName eq '...' [and tagValue eq '...']`, joined by `and`.
 */
function resourceFilter(filter: string | null): (record: ArmResourceRecord) => boolean {
  if (!filter?.trim()) return () => true;
  const tests: ((record: ArmResourceRecord) => boolean)[] = [];
  let tagName: string | undefined;
  let tagValue: string | undefined;
  for (const clause of filter.trim().split(/\s+and\s+/i)) {
    const eq = /^(\w+)\s+eq\s+'((?:[^']|'')*)'$/i.exec(clause.trim());
    const contains = /^substringof\(\s*'((?:[^']|'')*)'\s*,\s*name\s*\)$/i.exec(clause.trim());
    if (contains) {
      const part = (contains[1] ?? "").replaceAll("''", "'").toLowerCase();
      tests.push((r) => r.name.toLowerCase().includes(part));
      continue;
    }
    if (!eq) throw armErrors.invalidFilter(filter);
    const field = (eq[1] ?? "").toLowerCase();
    const value = (eq[2] ?? "").replaceAll("''", "'");
    const same = (a: string | undefined) => (a ?? "").toLowerCase() === value.toLowerCase();
    if (field === "resourcetype") tests.push((r) => same(r.type));
    else if (field === "name") tests.push((r) => same(r.name));
    else if (field === "location") tests.push((r) => same(r.location));
    else if (field === "resourcegroup") tests.push((r) => same(r.resourceGroup));
    else if (field === "tagname") tagName = value;
    else if (field === "tagvalue") tagValue = value;
    else throw armErrors.invalidFilter(filter);
  }
  if (tagValue !== undefined && tagName === undefined) throw armErrors.invalidFilter(filter);
  if (tagName !== undefined) {
    const wanted = tagName.toLowerCase();
    tests.push((r) => {
      const key = Object.keys(r.tags ?? {}).find((k) => k.toLowerCase() === wanted);
      return key !== undefined && (tagValue === undefined || r.tags?.[key] === tagValue);
    });
  }
  return (record) => tests.every((test) => test(record));
}

/** A list entry (GenericResourceExpanded): no properties; `$expand` adds the times and provisioning state. */
function listEntry(record: ArmResourceRecord, expand: string | null): Record<string, unknown> {
  const { properties: _properties, ...envelope } = resourceBody(record);
  const wanted = new Set((expand ?? "").split(",").map((part) => part.trim().toLowerCase()));
  return {
    ...envelope,
    ...(wanted.has("createdtime") ? { createdTime: record.createdTime } : {}),
    ...(wanted.has("changedtime") ? { changedTime: record.changedTime } : {}),
    ...(wanted.has("provisioningstate")
      ? { provisioningState: record.properties.provisioningState ?? "Succeeded" }
      : {}),
  };
}

function listResources(request: ArmRequest, records: ArmResourceRecord[]): Reply {
  const keep = resourceFilter(request.query.get("$filter"));
  const expand = request.query.get("$expand");
  const items = records
    .filter(isListedResource)
    .filter(keep)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((record) => listEntry(record, expand));
  return { status: 200, body: pageOf(items, request) };
}

const routes: ArmRoute[] = [
  { method: "PUT", path: GROUP_PROVIDERS, handler: putResource },
  { method: "PATCH", path: GROUP_PROVIDERS, handler: patchResource },
  { method: "DELETE", path: GROUP_PROVIDERS, handler: deleteResource },
  { method: "GET", path: GROUP_PROVIDERS, handler: getResource },
  { method: "HEAD", path: GROUP_PROVIDERS, handler: headResource },
  {
    method: "GET",
    path: "/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/resources",
    handler: (request) => {
      request.authorize(
        "Microsoft.Resources/subscriptions/resourceGroups/resources/read",
        requestScope(request).replace(/\/resources$/i, ""),
      );
      const group = existingGroup(request);
      return listResources(
        request,
        request.world.listResources({ subscriptionId: group.subscriptionId, resourceGroup: group.name }),
      );
    },
  },
  {
    method: "GET",
    path: "/subscriptions/:subscriptionId/providers/:providerNamespace/:resourceType",
    handler: listTypeInSubscription,
  },
  {
    method: "GET",
    path: "/subscriptions/:subscriptionId/resources",
    handler: (request) => {
      const subscriptionId = request.params.subscriptionId ?? "";
      if (!hasRoleInSubscription(request, subscriptionId))
        request.authorize(
          "Microsoft.Resources/subscriptions/resources/read",
          `/subscriptions/${subscriptionId}`,
        );
      // ARM lists what the caller may read, each resource by its own type's read action.
      const readable = request.world
        .listResources({ subscriptionId })
        .filter((record) => request.can(`${record.type}/read`, record.id));
      return listResources(request, readable);
    },
  },
];

export const genericResourcesProvider: ArmProvider = { name: "generic resources", routes };
