// Why an RBAC check allowed or denied an operation, in words a workshop can read: which role at which scope granted
// it, or, for each assignment the principal has, why it did not apply (other scope, role lacks the action).

import type { RbacCheck } from "../log/request-trace.ts";
import { findBuiltInRole } from "./built-in-roles.ts";
import { roleGrants, scopeIsWithin } from "./rbac.ts";

export interface ConsideredAssignment {
  assignmentName: string;
  roleName: string;
  scope: string;
  /** Why this assignment did not grant the operation; absent on the one that did. */
  notApplicable?: string;
}

export interface AuthorizationDecision {
  allowed: boolean;
  principalId: string;
  operation: string;
  kind: "action" | "dataAction";
  /** The scope the operation was checked at. */
  scope: string;
  /** The assignment that allowed it. */
  grantedBy?: ConsideredAssignment;
  /** The principal's assignments that were looked at (all of them when denied). */
  considered: ConsideredAssignment[];
  /** One sentence: "'Reader' assigned at /subscriptions/... grants ..." or why nothing matched. */
  summary: string;
}

export function explainDecision(check: RbacCheck): AuthorizationDecision {
  const { assignments, principalId, operation, kind, scope } = check;
  const id = principalId.toLowerCase();
  const considered: ConsideredAssignment[] = [];
  let grantedBy: ConsideredAssignment | undefined;
  for (const assignment of assignments) {
    if (assignment.principalId.toLowerCase() !== id) continue;
    const role = findBuiltInRole(assignment.roleDefinitionId);
    const entry: ConsideredAssignment = {
      assignmentName: assignment.name,
      roleName: role?.roleName ?? assignment.roleDefinitionId,
      scope: assignment.scope,
    };
    if (!scopeIsWithin(scope, assignment.scope))
      entry.notApplicable = "assigned at a scope that does not contain it";
    else if (!role) entry.notApplicable = "not a built-in role the emulator knows";
    else if (!roleGrants(role, operation, kind))
      entry.notApplicable = `the role's ${kind === "action" ? "actions" : "data actions"} do not include it`;
    else grantedBy ??= entry;
    considered.push(entry);
  }
  const what = `${operation} at ${scope}`;
  const summary = grantedBy
    ? `'${grantedBy.roleName}' assigned at ${grantedBy.scope} grants ${what}.`
    : considered.length === 0
      ? `The principal has no role assignment at all, so nothing grants ${what}.`
      : `None of the principal's ${considered.length} role assignment(s) grants ${what}.`;
  return {
    allowed: grantedBy !== undefined,
    principalId,
    operation,
    kind,
    scope,
    ...(grantedBy ? { grantedBy } : {}),
    considered,
    summary,
  };
}
