// Azure RBAC evaluation: does a principal hold an action (or data action) at a scope, through an assignment at that
// scope or above it (management scope inheritance: subscription > resource group > resource)?
import { currentTrace } from "../log/request-trace.ts";
import { findBuiltInRole, type RoleDefinition } from "./built-in-roles.ts";

export interface RoleAssignmentRecord {
  /** The assignment's GUID name. */
  name: string;
  principalId: string;
  principalType: "ServicePrincipal" | "User" | "Group";
  roleDefinitionId: string; // GUID of the role definition
  scope: string;
  description?: string;
  createdOn: string;
  updatedOn: string;
}

/** True when `scope` is `ancestor` or lies below it (case-insensitive, on whole path segments). */
export function scopeIsWithin(scope: string, ancestor: string): boolean {
  const normalize = (value: string) => value.replace(/\/+$/, "").toLowerCase();
  const a = normalize(ancestor);
  const s = normalize(scope);
  if (a === "" || a === "/") return true;
  return s === a || s.startsWith(`${a}/`);
}

/** Azure's permission patterns: `*` matches any run of characters, comparison is case-insensitive. */
function permissionMatches(pattern: string, operation: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*");
  return new RegExp(`^${escaped}$`, "i").test(operation);
}

export function roleGrants(role: RoleDefinition, operation: string, kind: "action" | "dataAction"): boolean {
  const allowed = kind === "action" ? role.actions : role.dataActions;
  const denied = kind === "action" ? role.notActions : role.notDataActions;
  return (
    allowed.some((p) => permissionMatches(p, operation)) &&
    !denied.some((p) => permissionMatches(p, operation))
  );
}

export class RbacEvaluator {
  readonly #assignments: () => readonly RoleAssignmentRecord[];

  constructor(assignments: () => readonly RoleAssignmentRecord[]) {
    this.#assignments = assignments;
  }

  /** Assignments of this principal that apply at `scope` (made at the scope or an ancestor). */
  #assignmentsFor(principalId: string, scope: string): RoleAssignmentRecord[] {
    const id = principalId.toLowerCase();
    return this.#assignments().filter(
      (a) => a.principalId.toLowerCase() === id && scopeIsWithin(scope, a.scope),
    );
  }

  isActionAllowed(principalId: string, action: string, scope: string): boolean {
    return this.#grants(principalId, action, scope, "action");
  }

  isDataActionAllowed(principalId: string, dataAction: string, scope: string): boolean {
    return this.#grants(principalId, dataAction, scope, "dataAction");
  }

  /** Whether the principal has any assignment at or below `scope` (what makes a subscription visible in a list). */
  hasAnyAssignmentWithin(principalId: string, scope: string): boolean {
    const id = principalId.toLowerCase();
    return this.#assignments().some(
      (a) =>
        a.principalId.toLowerCase() === id &&
        (scopeIsWithin(a.scope, scope) || scopeIsWithin(scope, a.scope)),
    );
  }

  #grants(principalId: string, operation: string, scope: string, kind: "action" | "dataAction"): boolean {
    // The request log shows each decision with its reason (the dashboard's "why was this allowed or denied").
    currentTrace()?.recordRbacCheck({
      principalId,
      operation,
      kind,
      scope,
      assignments: this.#assignments(),
    });
    return this.#assignmentsFor(principalId, scope).some((assignment) => {
      const role = findBuiltInRole(assignment.roleDefinitionId);
      return role !== undefined && roleGrants(role, operation, kind);
    });
  }
}
