// The contract between the ARM gateway and the resource-provider modules: what a handler receives and how a provider
// declares its routes. A new provider (deployments, storage accounts, generic resources...) is one ArmProvider.
import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import type { RbacEvaluator } from "../auth/rbac.ts";
import type { AccessTokenClaims } from "../auth/tokens.ts";
import type { Reply } from "../http/reply.ts";
import type { NamespaceDefinition, WorldState } from "../state/world-state.ts";
import { armErrors } from "./arm-errors.ts";
import type { LongRunningOperations } from "./long-running-operations.ts";

export type ArmMethod = "GET" | "HEAD" | "PUT" | "PATCH" | "DELETE" | "POST";

/** The authenticated principal behind a request (from the token's oid, appid, tid). */
export interface ArmCaller {
  objectId: string;
  clientId: string;
  tenantId: string;
  claims: AccessTokenClaims;
}

export interface ArmRequest {
  method: ArmMethod;
  /** Route parameters, original case (find-my-way matches case-insensitively but keeps values as sent). */
  params: Record<string, string>;
  /** Query parameters with names already decoded (`api%2Dversion` is `api-version`). */
  query: URLSearchParams;
  apiVersion: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  caller: ArmCaller;
  world: WorldState;
  rbac: RbacEvaluator;
  operations: LongRunningOperations;
  /** `https://<Host>`: nextLink and operation URLs are built from it, so they work through any front door. */
  baseUrl: string;
  /** The request path as sent (no query), e.g. for the scope in AuthorizationFailed. */
  path: string;
  requestId: string;
  /** Default page size of list operations ($top overrides it per request). */
  pageSize: number;
  /** Whether long-running operations finish at once (tests) or take a few seconds (demos). */
  latency: "instant" | "realistic";
  /** Throws AuthorizationFailed (403) unless the caller holds `action` at `scope` or above. */
  authorize(action: string, scope: string): void;
  /** Same check, as a boolean. */
  can(action: string, scope: string): boolean;
  /**
   * Sends a request through the same routes and handlers as the gateway, as the same caller, and answers what the
   * gateway would have answered (errors included). Template deployments deploy each resource this way.
   */
  dispatch(request: InternalArmRequest): Promise<Reply>;
}

/** A request a provider sends to another provider (no HTTP, same caller). */
export interface InternalArmRequest {
  method: ArmMethod;
  /** Path without query, e.g. a resource ID. */
  path: string;
  apiVersion: string;
  body?: unknown;
}

export interface ArmRoute {
  method: ArmMethod;
  /** find-my-way pattern, e.g. "/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName" (case-insensitive). */
  path: string;
  handler: (request: ArmRequest) => Reply | Promise<Reply>;
}

export interface ArmProvider {
  /** e.g. "Microsoft.Resources/resourceGroups", for diagnostics. */
  name: string;
  routes: ArmRoute[];
  /** The typed state the provider keeps beside the ARM resources; a state file's is checked when it is opened. */
  namespaces?: readonly NamespaceDefinition<unknown>[];
}

/** Validates a request body with zod; a mismatch is ARM's InvalidRequestContent naming the field. */
export function parseArmBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "body";
  throw armErrors.invalidRequestContent(`${where}: ${issue?.message ?? "invalid"}`);
}
