// Grant and revoke from the dashboard: the same change `az role assignment create --assignee-object-id ...
// --assignee-principal-type ServicePrincipal --role R --scope S` and `az role assignment delete --ids ...` make (a PUT
// of roleAssignments/{new GUID}, a DELETE of one), checked like ARM checks them and committed like any other change.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { ArmError, armErrors } from "../arm/arm-errors.ts";
import { saveRoleAssignment } from "../arm/role-assignments.ts";
import { findBuiltInRole } from "../auth/built-in-roles.ts";
import type { RoleAssignmentRecord } from "../auth/rbac.ts";
import type { Reply } from "../http/reply.ts";
import type { WorldState } from "../state/world-state.ts";

export const grantSchema = z
  .object({ principalId: z.guid(), role: z.string().min(1), scope: z.string().startsWith("/subscriptions/") })
  .strict();

/** The ARM error for a scope that does not exist (subscription, group, or resource), as a PUT there would answer. */
function missingScope(world: WorldState, scope: string): Reply | undefined {
  const parts = scope.replace(/\/+$/, "").split("/");
  const subscriptionId = parts[2] ?? "";
  if (!world.findSubscription(subscriptionId))
    return armErrors.subscriptionNotFound(subscriptionId).toReply();
  if (parts.length === 3) return undefined;
  const group = parts[4] ?? "";
  if (parts[3]?.toLowerCase() !== "resourcegroups" || !world.getResourceGroup(subscriptionId, group))
    return armErrors.resourceGroupNotFound(group).toReply();
  if (parts.length === 5) return undefined;
  if (!world.getResource(scope)) {
    const name = parts.at(-1) ?? "";
    return armErrors.resourceNotFound(parts.slice(6, -1).join("/"), name, group).toReply();
  }
  return undefined;
}

export async function grantRole(world: WorldState, input: z.output<typeof grantSchema>): Promise<Reply> {
  const role = findBuiltInRole(input.role);
  if (!role) return armErrors.roleDefinitionNotFound(input.role).toReply();
  const scope = input.scope.replace(/\/+$/, "");
  const missing = missingScope(world, scope);
  if (missing) return missing;
  let record: RoleAssignmentRecord;
  try {
    ({ record } = saveRoleAssignment(world, {
      name: randomUUID(),
      principalId: input.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: role.id,
      scope,
    }));
  } catch (error) {
    if (error instanceof ArmError) return error.toReply();
    throw error;
  }
  await world.commit();
  return { status: 201, body: { ...record, roleName: role.roleName } };
}

export async function revokeRole(world: WorldState, name: string): Promise<Reply> {
  const removed = world.removeRoleAssignment(name);
  if (!removed) return armErrors.roleAssignmentNotFound(name).toReply();
  await world.commit();
  return { status: 200, body: removed };
}
