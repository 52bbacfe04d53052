// The ARM front door at https://management.azure.com: authentication (signature, expiry, audience, tenant),
// api-version, throttling faults, routing to providers, JSON bodies, and ARM's response headers on every answer.
import { randomUUID } from "node:crypto";
import FindMyWay from "find-my-way";
import JSON5 from "json5";
import type { RbacEvaluator } from "../auth/rbac.ts";
import type { TokenService } from "../auth/tokens.ts";
import { ALLOWED_ARM_AUDIENCES, ArmError, armErrors } from "../errors/arm.ts";
import type { FaultController } from "../faults/faults.ts";
import { type Reply, sendReply } from "../http/reply.ts";
import { BodyTooLargeError, readRequestBody } from "../http/request-body.ts";
import type { LoggedPrincipal } from "../log/request-log.ts";
import type { EmulatedService, HandledRequest, ServiceExchange } from "../services.ts";
import type { WorldState } from "../state/world-state.ts";
import type { ArmCaller, ArmMethod, ArmProvider, ArmRequest, ArmRoute } from "./arm-request.ts";
import type { LongRunningOperations } from "./long-running-operations.ts";

export const ARM_HOST = "management.azure.com";
const METHODS: ArmMethod[] = ["GET", "HEAD", "PUT", "PATCH", "DELETE", "POST"];
/** yyyy-mm-dd with an optional suffix such as -preview: any version an SDK or the CLI sends is accepted. */
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-[a-z]+(\.\d+)?)?$/i;
/** Tokens are accepted up to 5 minutes before nbf, as Entra-protected services allow for clock skew. */
const CLOCK_SKEW_SECONDS = 300;

export interface ArmServiceOptions {
  world: WorldState;
  tokens: TokenService;
  rbac: RbacEvaluator;
  faults: FaultController;
  operations: LongRunningOperations;
  providers: readonly ArmProvider[];
  latency: () => "instant" | "realistic";
  /** Default page size of list operations. */
  pageSize: number;
  /** Extra ARM host names to answer for (default only management.azure.com). */
  hosts?: readonly string[];
}

export function createArmService(options: ArmServiceOptions): EmulatedService {
  const router = FindMyWay({
    caseSensitive: false,
    ignoreDuplicateSlashes: true,
    ignoreTrailingSlash: true,
    maxParamLength: 500,
  });
  for (const provider of options.providers) {
    for (const route of provider.routes) router.on(route.method, route.path, () => route);
  }
  const hosts = new Set([ARM_HOST, ...(options.hosts ?? [])]);

  /** Routes one request (from the wire, or from a provider through `dispatch`) to its handler. */
  async function invoke(call: RouteCall): Promise<Reply> {
    const match = router.find(call.method, call.pathname);
    if (!match) {
      const allowed = METHODS.filter((m) => router.find(m, call.pathname));
      throw allowed.length
        ? armErrors.methodNotAllowed(call.method)
        : armErrors.noRouteMatches(`${call.baseUrl}${call.pathname}?${call.query.toString()}`);
    }
    const route = (match.handler as () => ArmRoute)();
    const params = Object.fromEntries(Object.entries(match.params).map(([k, v]) => [k, v ?? ""]));
    if (params.subscriptionId !== undefined && !options.world.findSubscription(params.subscriptionId)) {
      throw armErrors.subscriptionNotFound(params.subscriptionId);
    }
    const { caller } = call;
    const request: ArmRequest = {
      method: call.method,
      params,
      query: call.query,
      apiVersion: call.apiVersion,
      headers: call.headers,
      body: call.body,
      caller,
      world: options.world,
      rbac: options.rbac,
      operations: options.operations,
      baseUrl: call.baseUrl,
      path: call.pathname,
      requestId: call.requestId,
      pageSize: options.pageSize,
      latency: options.latency(),
      authorize(action, scope) {
        if (!options.rbac.isActionAllowed(caller.objectId, action, scope)) {
          throw armErrors.authorizationFailed(caller.clientId, caller.objectId, action, scope);
        }
      },
      can: (action, scope) => options.rbac.isActionAllowed(caller.objectId, action, scope),
      async dispatch(internal) {
        const query = new URLSearchParams({ "api-version": internal.apiVersion });
        try {
          return await invoke({
            method: internal.method,
            pathname: internal.path,
            query,
            apiVersion: internal.apiVersion,
            headers: call.headers,
            body: internal.body,
            caller,
            baseUrl: call.baseUrl,
            requestId: randomUUID(),
          });
        } catch (error) {
          if (!(error instanceof ArmError)) throw error;
          return { status: error.status, headers: error.headers, body: error.toBody() };
        }
      },
    };
    return route.handler(request);
  }

  const counters = { reads: 12_000, writes: 1_200 };

  return {
    name: "arm",
    servesHost: (hostname, scheme) => scheme === "https" && hosts.has(hostname),
    async handle(exchange: ServiceExchange): Promise<HandledRequest> {
      const method = (exchange.request.method ?? "GET").toUpperCase();
      const requestId = randomUUID();
      const correlationId = headerValue(exchange.request.headers["x-ms-correlation-request-id"]) ?? requestId;
      const isRead = method === "GET" || method === "HEAD";
      const remaining = isRead ? --counters.reads : --counters.writes;
      if (counters.reads < 100) counters.reads = 12_000;
      if (counters.writes < 10) counters.writes = 1_200;
      const baseHeaders: Record<string, string> = {
        "cache-control": "no-cache",
        pragma: "no-cache",
        expires: "-1",
        "x-ms-request-id": requestId,
        "x-ms-correlation-request-id": correlationId,
        "x-ms-routing-request-id": `WESTUS2:${compactTimestamp(new Date())}:${requestId}`,
        [isRead
          ? "x-ms-ratelimit-remaining-subscription-reads"
          : "x-ms-ratelimit-remaining-subscription-writes"]: String(remaining),
        "strict-transport-security": "max-age=31536000; includeSubDomains",
        "x-content-type-options": "nosniff",
      };
      const clientRequestId = headerValue(exchange.request.headers["x-ms-client-request-id"]);
      if (clientRequestId) baseHeaders["x-ms-client-request-id"] = clientRequestId;

      let principal: LoggedPrincipal | undefined;
      let reply: Reply;
      let closeAfter = false;
      try {
        // Concatenated, not resolved: a target starting with "//" must stay a path, not become a host.
        const url = new URL(
          `https://${exchange.host}${exchange.target.startsWith("/") ? "" : "/"}${exchange.target}`,
        );
        let rawBody: Buffer;
        try {
          rawBody = await readRequestBody(exchange.request);
        } catch (error) {
          if (error instanceof BodyTooLargeError) {
            closeAfter = true;
            throw armErrors.requestTooLarge(error.limitBytes);
          }
          throw error;
        }
        const caller = await authenticate(exchange.request.headers.authorization, options);
        const identity = options.world.identityByPrincipalId(caller.objectId);
        principal = {
          objectId: caller.objectId,
          clientId: caller.clientId,
          ...(identity ? { identity: identity.name } : {}),
        };

        const apiVersion = url.searchParams.get("api-version");
        if (!apiVersion) throw armErrors.missingApiVersion();
        if (!API_VERSION.test(apiVersion)) throw armErrors.invalidApiVersion(apiVersion);

        const throttle = options.faults.takeArmThrottle();
        if (throttle !== undefined) throw armErrors.tooManyRequests(throttle);

        reply = await invoke({
          method: method as ArmMethod,
          pathname: url.pathname,
          query: url.searchParams,
          apiVersion,
          headers: exchange.request.headers,
          body: parseJsonBody(rawBody),
          caller,
          baseUrl: `https://${headerValue(exchange.request.headers.host) ?? exchange.host}`,
          requestId,
        });
      } catch (error) {
        if (!(error instanceof ArmError)) throw error;
        reply = { status: error.status, headers: error.headers, body: error.toBody() };
      }

      const headers = { ...baseHeaders, ...reply.headers, ...(closeAfter ? { connection: "close" } : {}) };
      sendReply(exchange.response, { ...reply, headers }, method);
      const code = (reply.body as { error?: { code?: string } } | undefined)?.error?.code;
      return {
        status: reply.status,
        requestId,
        ...(principal ? { principal } : {}),
        ...(code ? { error: code } : {}),
      };
    },
  };
}

/** Bearer token checks in ARM's order: present, well-formed, signed by the issuer, for ARM, in time, right tenant. */
async function authenticate(
  authorization: string | undefined,
  options: ArmServiceOptions,
): Promise<ArmCaller> {
  if (!authorization) throw armErrors.missingAuthorization();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw armErrors.malformedAuthorization();
  const check = await options.tokens.check(match[1]);
  if (check.outcome === "unreadable") throw armErrors.unreadableToken();
  if (check.outcome === "bad-signature") throw armErrors.invalidSignature();
  const claims = check.claims;
  if (!(ALLOWED_ARM_AUDIENCES as readonly string[]).includes(String(claims.aud)))
    throw armErrors.wrongAudience(String(claims.aud));
  const now = new Date();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= nowSeconds)
    throw armErrors.expiredToken(new Date((claims.exp ?? 0) * 1000), now);
  if (typeof claims.nbf === "number" && claims.nbf > nowSeconds + CLOCK_SKEW_SECONDS)
    throw armErrors.notYetValidToken(new Date(claims.nbf * 1000), now);
  if (String(claims.tid).toLowerCase() !== options.world.tenantId.toLowerCase())
    throw armErrors.wrongTenant(String(claims.tid), options.world.tenantId);
  return { objectId: claims.oid, clientId: claims.appid, tenantId: claims.tid, claims };
}

interface RouteCall {
  method: ArmMethod;
  pathname: string;
  query: URLSearchParams;
  apiVersion: string;
  headers: ArmRequest["headers"];
  body: unknown;
  caller: ArmCaller;
  baseUrl: string;
  requestId: string;
}

/**
 * ARM reads request bodies with Newtonsoft.Json's lenient reader, which takes comments, unquoted property names and
 * trailing commas. The Azure CLI relies on it: `az deployment group create --template-file` splices the template file
 * verbatim (JSONC, comments kept) after an unquoted `template:` key (azure-cli's JsonCTemplatePolicy; ARM template
 * docs, syntax.md, "Comments and metadata"). Strict JSON is tried first so the common case keeps its exact messages.
 */
function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (strictError) {
    try {
      return JSON5.parse(text);
    } catch {
      throw armErrors.invalidRequestContent((strictError as Error).message);
    }
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function compactTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}
