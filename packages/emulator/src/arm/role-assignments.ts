// Microsoft.Authorization roleAssignments and roleDefinitions at any scope (subscription, resource group, resource).
// Shapes: azure-rest-api-specs specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/
// authorization-RoleAssignmentsCalls.json and authorization-RoleDefinitionsCalls.json.
import { z } from "zod";
import {
  BUILT_IN_ROLES,
  findBuiltInRole,
  type RoleDefinition,
  roleDefinitionResourceId,
} from "../auth/built-in-roles.ts";
import { type RoleAssignmentRecord, scopeIsWithin } from "../auth/rbac.ts";
import type { Reply } from "../http/reply.ts";
import type { WorldState } from "../state/world-state.ts";
import { armErrors } from "./arm-errors.ts";
import type { ArmProvider, ArmRequest, ArmRoute } from "./arm-request.ts";
import { pageOf } from "./paging.ts";

const SCOPES = [
  "/subscriptions/:subscriptionId",
  "/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName",
  "/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/:providerNamespace/:resourceType/:resourceName",
];

/**
 * Stores an assignment as ARM's PUT does (the caller commits): another assignment of the same role to the same
 * principal at the same scope is RoleAssignmentExists; an existing name is replaced, keeping its createdOn.
 */
export function saveRoleAssignment(
  world: WorldState,
  assignment: Omit<RoleAssignmentRecord, "createdOn" | "updatedOn">,
): { record: RoleAssignmentRecord; created: boolean } {
  const sameName = (a: RoleAssignmentRecord) => a.name.toLowerCase() === assignment.name.toLowerCase();
  const duplicate = world.roleAssignments.some(
    (a) =>
      !sameName(a) &&
      a.scope.toLowerCase() === assignment.scope.toLowerCase() &&
      a.principalId.toLowerCase() === assignment.principalId.toLowerCase() &&
      a.roleDefinitionId === assignment.roleDefinitionId,
  );
  if (duplicate) throw armErrors.roleAssignmentExists();
  const existing = world.roleAssignments.find(sameName);
  const now = new Date().toISOString();
  const record: RoleAssignmentRecord = {
    ...assignment,
    createdOn: existing?.createdOn ?? now,
    updatedOn: now,
  };
  world.addRoleAssignment(record);
  return { record, created: !existing };
}

/** The scope a request addresses, rebuilt from its path (everything before /providers/Microsoft.Authorization). */
function scopeOf(request: ArmRequest): string {
  const at = request.path.toLowerCase().lastIndexOf("/providers/microsoft.authorization/");
  return request.path.slice(0, at).replace(/\/+/g, "/").replace(/\/$/, "");
}

function assignmentBody(assignment: RoleAssignmentRecord): Record<string, unknown> {
  const subscriptionId = assignment.scope.split("/")[2] ?? "";
  return {
    properties: {
      roleDefinitionId: roleDefinitionResourceId(subscriptionId, assignment.roleDefinitionId),
      principalId: assignment.principalId,
      principalType: assignment.principalType,
      scope: assignment.scope,
      condition: null,
      conditionVersion: null,
      createdOn: assignment.createdOn,
      updatedOn: assignment.updatedOn,
      createdBy: null,
      updatedBy: null,
      delegatedManagedIdentityResourceId: null,
      description: assignment.description ?? null,
    },
    id: `${assignment.scope}/providers/Microsoft.Authorization/roleAssignments/${assignment.name}`,
    type: "Microsoft.Authorization/roleAssignments",
    name: assignment.name,
  };
}

function definitionBody(role: RoleDefinition, subscriptionId: string): Record<string, unknown> {
  return {
    properties: {
      roleName: role.roleName,
      type: "BuiltInRole",
      description: role.description,
      assignableScopes: ["/"],
      permissions: [
        {
          actions: role.actions,
          notActions: role.notActions,
          dataActions: role.dataActions,
          notDataActions: role.notDataActions,
        },
      ],
      createdOn: "2015-02-02T21:55:09.8806423Z",
      updatedOn: "2024-01-01T00:00:00.0000000Z",
      createdBy: null,
      updatedBy: null,
    },
    id: roleDefinitionResourceId(subscriptionId, role.id),
    type: "Microsoft.Authorization/roleDefinitions",
    name: role.id,
  };
}

/** `$filter`: atScope(), principalId eq '{id}', assignedTo('{id}') (the filters RoleAssignments_ListForScope supports). */
function assignmentFilter(filter: string | null, scope: string): (a: RoleAssignmentRecord) => boolean {
  const atOrAbove = (a: RoleAssignmentRecord) => scopeIsWithin(scope, a.scope);
  const related = (a: RoleAssignmentRecord) => atOrAbove(a) || scopeIsWithin(a.scope, scope);
  if (!filter) return related;
  const f = filter.trim();
  if (/^atScope\(\)$/i.test(f)) return atOrAbove;
  const principal = /^(?:principalId\s+eq\s+'([^']+)'|assignedTo\('([^']+)'\))$/i.exec(f);
  if (principal) {
    const id = (principal[1] ?? principal[2] ?? "").toLowerCase();
    return (a) => related(a) && a.principalId.toLowerCase() === id;
  }
  const both = /^atScope\(\)\s+and\s+(?:principalId\s+eq\s+'([^']+)'|assignedTo\('([^']+)'\))$/i.exec(f);
  if (both) {
    const id = (both[1] ?? both[2] ?? "").toLowerCase();
    return (a) => atOrAbove(a) && a.principalId.toLowerCase() === id;
  }
  throw armErrors.invalidFilter(filter);
}

const createSchema = z.object({
  properties: z.looseObject({
    roleDefinitionId: z.string(),
    principalId: z.guid(),
    principalType: z.enum(["ServicePrincipal", "User", "Group"]).optional(),
    description: z.string().optional(),
  }),
});

function listAssignments(request: ArmRequest): Reply {
  const scope = scopeOf(request);
  request.authorize("Microsoft.Authorization/roleAssignments/read", scope);
  const keep = assignmentFilter(request.query.get("$filter"), scope);
  const value = request.world.roleAssignments.filter(keep).map(assignmentBody);
  return { status: 200, body: pageOf(value, request) };
}

function findAssignment(request: ArmRequest): RoleAssignmentRecord {
  const scope = scopeOf(request);
  const name = request.params.roleAssignmentName ?? "";
  const found = request.world.roleAssignments.find(
    (a) => a.name.toLowerCase() === name.toLowerCase() && a.scope.toLowerCase() === scope.toLowerCase(),
  );
  if (!found) throw armErrors.roleAssignmentNotFound(name);
  return found;
}

const routes: ArmRoute[] = [];
for (const scope of SCOPES) {
  const assignments = `${scope}/providers/Microsoft.Authorization/roleAssignments`;
  routes.push(
    { method: "GET", path: assignments, handler: listAssignments },
    {
      method: "GET",
      path: `${assignments}/:roleAssignmentName`,
      handler: (request) => {
        request.authorize("Microsoft.Authorization/roleAssignments/read", scopeOf(request));
        return { status: 200, body: assignmentBody(findAssignment(request)) };
      },
    },
    {
      method: "PUT",
      path: `${assignments}/:roleAssignmentName`,
      handler: async (request) => {
        const scope = scopeOf(request);
        request.authorize("Microsoft.Authorization/roleAssignments/write", scope);
        const input = createSchema.safeParse(request.body);
        if (!input.success)
          throw armErrors.invalidRequestContent(input.error.issues[0]?.message ?? "invalid role assignment");
        const role = findBuiltInRole(input.data.properties.roleDefinitionId);
        if (!role)
          throw armErrors.roleDefinitionNotFound(
            input.data.properties.roleDefinitionId.split("/").pop() ?? "",
          );
        const { record, created } = saveRoleAssignment(request.world, {
          name: request.params.roleAssignmentName ?? "",
          principalId: input.data.properties.principalId,
          principalType: input.data.properties.principalType ?? "ServicePrincipal",
          roleDefinitionId: role.id,
          scope,
          ...(input.data.properties.description ? { description: input.data.properties.description } : {}),
        });
        await request.world.commit();
        return { status: created ? 201 : 200, body: assignmentBody(record) };
      },
    },
    {
      method: "DELETE",
      path: `${assignments}/:roleAssignmentName`,
      handler: async (request) => {
        request.authorize("Microsoft.Authorization/roleAssignments/delete", scopeOf(request));
        const name = request.params.roleAssignmentName ?? "";
        const found = request.world.roleAssignments.find((a) => a.name.toLowerCase() === name.toLowerCase());
        if (!found) return { status: 204 };
        request.world.removeRoleAssignment(name);
        await request.world.commit();
        return { status: 200, body: assignmentBody(found) };
      },
    },
    {
      method: "GET",
      path: `${scope}/providers/Microsoft.Authorization/roleDefinitions`,
      handler: (request) => {
        request.authorize("Microsoft.Authorization/roleDefinitions/read", scopeOf(request));
        const subscriptionId = request.params.subscriptionId ?? "";
        const filter = request.query.get("$filter");
        const nameFilter = filter ? /^roleName\s+eq\s+'([^']+)'$/i.exec(filter.trim()) : null;
        if (filter && !nameFilter) throw armErrors.invalidFilter(filter);
        const roles = BUILT_IN_ROLES.filter(
          (r) => !nameFilter || r.roleName.toLowerCase() === (nameFilter[1] ?? "").toLowerCase(),
        );
        return { status: 200, body: { value: roles.map((r) => definitionBody(r, subscriptionId)) } };
      },
    },
    {
      method: "GET",
      path: `${scope}/providers/Microsoft.Authorization/roleDefinitions/:roleDefinitionId`,
      handler: (request) => {
        request.authorize("Microsoft.Authorization/roleDefinitions/read", scopeOf(request));
        const role = findBuiltInRole(request.params.roleDefinitionId ?? "");
        if (!role) throw armErrors.roleDefinitionNotFound(request.params.roleDefinitionId ?? "");
        return { status: 200, body: definitionBody(role, request.params.subscriptionId ?? "") };
      },
    },
  );
}

export const roleAssignmentsProvider: ArmProvider = { name: "Microsoft.Authorization", routes };
