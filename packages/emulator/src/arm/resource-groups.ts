// Microsoft.Resources/resourceGroups: check existence (HEAD 204/404), get, create or update (201/200), patch,
// delete (202 + Location, polled to completion, removing what the group contains), list with $top/$filter.
// Shapes and codes: azure-rest-api-specs specification/resources/resource-manager/Microsoft.Resources/resources/
// stable/2025-04-01/resources.json (ResourceGroup, ResourceGroupListResult, ResourceGroups_*).
import { z } from "zod";
import { VAULT_RESOURCE_TYPE } from "../identifiers.ts";
import { RESOURCE_GROUP_NAME } from "../state/scenario-schema.ts";
import { normalizeLocation, type ResourceGroupRecord, resourceGroupId } from "../state/world-state.ts";
import { armErrors } from "./arm-errors.ts";
import { type ArmProvider, type ArmRequest, parseArmBody } from "./arm-request.ts";
import { softDeleteVault } from "./deleted-vaults.ts";
import { pageOf } from "./paging.ts";
import { existingGroup } from "./resource-envelope.ts";
import { readableInSubscription } from "./resource-requests.ts";

const READ = "Microsoft.Resources/subscriptions/resourcegroups/read";
const WRITE = "Microsoft.Resources/subscriptions/resourcegroups/write";
const DELETE = "Microsoft.Resources/subscriptions/resourcegroups/delete";
const GROUP_PATH = "/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName";

const tagsSchema = z.record(z.string(), z.string());
const createSchema = z.looseObject({
  location: z.string({ error: "location is required" }).optional(),
  tags: tagsSchema.optional(),
  managedBy: z.string().optional(),
  properties: z.looseObject({}).optional(),
});
const patchSchema = z.looseObject({
  name: z.string().optional(),
  tags: tagsSchema.optional(),
  managedBy: z.string().optional(),
  properties: z.looseObject({}).optional(),
});

function resourceGroupBody(group: ResourceGroupRecord): Record<string, unknown> {
  return {
    id: resourceGroupId(group.subscriptionId, group.name),
    name: group.name,
    type: "Microsoft.Resources/resourceGroups",
    location: group.location,
    ...(group.managedBy ? { managedBy: group.managedBy } : {}),
    ...(Object.keys(group.tags).length ? { tags: group.tags } : {}),
    properties: { provisioningState: group.provisioningState },
  };
}

const groupScope = (request: ArmRequest) =>
  `/subscriptions/${request.params.subscriptionId}/resourcegroups/${request.params.resourceGroupName}`;

/** `$filter=tagName eq 'x' [and tagValue eq 'y']`, the filters ResourceGroups_List supports. */
function tagFilter(filter: string | null): ((group: ResourceGroupRecord) => boolean) | undefined {
  if (!filter) return undefined;
  const match = /^\s*tagname\s+eq\s+'((?:[^']|'')*)'(?:\s+and\s+tagvalue\s+eq\s+'((?:[^']|'')*)')?\s*$/i.exec(
    filter,
  );
  if (!match) throw armErrors.invalidFilter(filter);
  const name = (match[1] ?? "").replaceAll("''", "'").toLowerCase();
  const value = match[2]?.replaceAll("''", "'");
  return (group) => {
    const key = Object.keys(group.tags).find((k) => k.toLowerCase() === name);
    return key !== undefined && (value === undefined || group.tags[key] === value);
  };
}

export const resourceGroupsProvider: ArmProvider = {
  name: "Microsoft.Resources/resourceGroups",
  routes: [
    {
      // checkExistence: the SDK accepts only 204 or 404 here (200 is an error to it).
      method: "HEAD",
      path: GROUP_PATH,
      handler: (request) => {
        request.authorize(READ, groupScope(request));
        const group = request.world.getResourceGroup(
          request.params.subscriptionId ?? "",
          request.params.resourceGroupName ?? "",
        );
        return { status: group ? 204 : 404 };
      },
    },
    {
      method: "GET",
      path: GROUP_PATH,
      handler: (request) => {
        request.authorize(READ, groupScope(request));
        return { status: 200, body: resourceGroupBody(existingGroup(request)) };
      },
    },
    {
      method: "PUT",
      path: GROUP_PATH,
      handler: async (request) => {
        request.authorize(WRITE, groupScope(request));
        const subscriptionId = request.params.subscriptionId ?? "";
        const name = request.params.resourceGroupName ?? "";
        if (!RESOURCE_GROUP_NAME.test(name) || name.endsWith("."))
          throw armErrors.invalidResourceGroupName(name);
        const input = parseArmBody(createSchema, request.body);
        if (!input.location) throw armErrors.locationRequired();
        const location = normalizeLocation(input.location);
        const existing = request.world.getResourceGroup(subscriptionId, name);
        if (existing?.provisioningState === "Deleting")
          throw armErrors.resourceGroupBeingDeleted(existing.name);
        if (existing && existing.location !== location)
          throw armErrors.invalidResourceGroupLocation(location, existing.location);
        const record: ResourceGroupRecord = {
          subscriptionId,
          // An update keeps the name's original casing, as ARM does.
          name: existing?.name ?? name,
          location,
          tags: input.tags ?? {},
          ...(input.managedBy ? { managedBy: input.managedBy } : {}),
          provisioningState: "Succeeded",
          createdTime: existing?.createdTime ?? new Date().toISOString(),
        };
        request.world.putResourceGroup(record);
        await request.world.commit();
        return { status: existing ? 200 : 201, body: resourceGroupBody(record) };
      },
    },
    {
      method: "PATCH",
      path: GROUP_PATH,
      handler: async (request) => {
        request.authorize(WRITE, groupScope(request));
        const existing = existingGroup(request);
        const input = parseArmBody(patchSchema, request.body);
        const record: ResourceGroupRecord = {
          ...existing,
          ...(input.tags !== undefined ? { tags: input.tags } : {}),
          ...(input.managedBy !== undefined ? { managedBy: input.managedBy } : {}),
        };
        request.world.putResourceGroup(record);
        await request.world.commit();
        return { status: 200, body: resourceGroupBody(record) };
      },
    },
    {
      method: "DELETE",
      path: GROUP_PATH,
      handler: async (request) => {
        request.authorize(DELETE, groupScope(request));
        const existing = existingGroup(request);
        const subscriptionId = existing.subscriptionId;
        if (existing.provisioningState !== "Deleting") {
          request.world.putResourceGroup({ ...existing, provisioningState: "Deleting" });
          await request.world.commit();
        }
        return request.operations.startAccepted(
          {
            subscriptionId,
            location: existing.location,
            realisticDurationMs: 4000,
            run: async () => {
              // Vaults deleted with their group stay soft-deleted, as when deleted alone.
              for (const vault of request.world.listResources({
                subscriptionId,
                resourceGroup: existing.name,
                type: VAULT_RESOURCE_TYPE,
              }))
                softDeleteVault(request.world, vault);
              request.world.deleteResourceGroup(subscriptionId, existing.name);
              await request.world.commit();
              return undefined;
            },
          },
          request,
        );
      },
    },
    {
      method: "GET",
      path: "/subscriptions/:subscriptionId/resourcegroups",
      handler: (request) => {
        const subscriptionId = request.params.subscriptionId ?? "";
        const keep = tagFilter(request.query.get("$filter"));
        const groups = readableInSubscription(
          request,
          READ,
          request.world.listResourceGroups(subscriptionId),
          (g) => resourceGroupId(g.subscriptionId, g.name),
        )
          .filter((g) => keep?.(g) ?? true)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(resourceGroupBody);
        return { status: 200, body: pageOf(groups, request) };
      },
    },
  ],
};
