// What happened inside one request, collected while it is served (each RBAC check with the assignments it saw) so the
// request log can explain it later: an AsyncLocalStorage scope opened by the dispatcher, written to by layers below.
import { AsyncLocalStorage } from "node:async_hooks";

/** One RBAC check as made: enough to explain afterwards which assignment allowed it, or why none did. */
export interface RbacCheck {
  principalId: string;
  operation: string;
  kind: "action" | "dataAction";
  scope: string;
  /** The role assignments at the time (the world replaces, never mutates, this array). */
  assignments: readonly {
    name: string;
    principalId: string;
    roleDefinitionId: string;
    scope: string;
  }[];
}

/** A template deployment checks each of its resources: keep the first checks, enough to explain any request. */
const MAX_CHECKS = 20;

export class RequestTrace {
  readonly rbacChecks: RbacCheck[] = [];
  /** The claims of a token IMDS issued in this request (the token itself is never kept). */
  issuedClaims: Record<string, unknown> | undefined;

  recordRbacCheck(check: RbacCheck): void {
    if (this.rbacChecks.length < MAX_CHECKS) this.rbacChecks.push(check);
  }
}

const storage = new AsyncLocalStorage<RequestTrace>();

export function runTraced<T>(trace: RequestTrace, serve: () => T): T {
  return storage.run(trace, serve);
}

/** The trace of the request being served, if any (internal calls outside a request have none). */
export function currentTrace(): RequestTrace | undefined {
  return storage.getStore();
}
