// The ARM front door at https://management.azure.com: authentication (signature, expiry, audience, tenant),
// api-version, throttling faults, routing to providers, JSON bodies, and ARM's response headers on every answer.
import { randomUUID } from "node:crypto";
import JSON5 from "json5";
import type { RbacEvaluator } from "../auth/rbac.ts";
import { isIssuedByTenant, singleAudienceOf } from "../auth/token-issuer.ts";
import { bearerTokenOf, CLOCK_SKEW_SECONDS, type TokenService } from "../auth/tokens.ts";
import type { FaultController } from "../faults/faults.ts";
import { JsonBodyError, parseJsonBody } from "../http/json-body.ts";
import type { Reply } from "../http/reply.ts";
import { headerValue, serveThroughFrontDoor } from "../http/rest-front-door.ts";
import { createRestRouter } from "../http/rest-router.ts";
import {
  type EmulatedService,
  type HandledRequest,
  requestUrl,
  type ServiceExchange,
} from "../http/service-dispatcher.ts";
import { ARM_HOST } from "../identifiers.ts";
import type { WorldState } from "../state/world-state.ts";
import { ALLOWED_ARM_AUDIENCES, ArmError, armErrors } from "./arm-errors.ts";
import type { ArmCaller, ArmMethod, ArmProvider, ArmRequest } from "./arm-request.ts";
import type { LongRunningOperations } from "./long-running-operations.ts";

const METHODS: ArmMethod[] = ["GET", "HEAD", "PUT", "PATCH", "DELETE", "POST"];
/** yyyy-mm-dd with an optional suffix such as -preview: any version an SDK or the CLI sends is accepted. */
/** ARM checks a subscription ID's form before looking it up: a GUID, braces and all forms aside. */
const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-[a-z]+(\.\d+)?)?$/i;

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
}

export function createArmService(options: ArmServiceOptions): EmulatedService {
  const router = createRestRouter(
    options.providers.flatMap((provider) => provider.routes),
    METHODS,
  );

  /** Routes one request (from the wire, or from a provider through `dispatch`) to its handler. */
  async function invoke(call: RouteCall): Promise<Reply> {
    const match = router.find(call.method, call.pathname);
    if (match.kind === "method-not-allowed") throw armErrors.methodNotAllowed(call.method);
    if (match.kind === "not-found")
      throw armErrors.noRouteMatches(`${call.baseUrl}${call.pathname}?${call.query.toString()}`);
    const { route, params } = match;
    if (params.subscriptionId !== undefined && !SUBSCRIPTION_ID.test(params.subscriptionId))
      throw armErrors.invalidSubscriptionId(params.subscriptionId);
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
          return error.toReply();
        }
      },
    };
    return route.handler(request);
  }

  const counters = { reads: 12_000, writes: 1_200 };

  return {
    name: "arm",
    servesHost: (hostname, scheme) => scheme === "https" && hostname === ARM_HOST,
    handle(exchange: ServiceExchange): Promise<HandledRequest> {
      const method = (exchange.request.method ?? "GET").toUpperCase();
      const requestId = randomUUID();
      const correlationId = headerValue(exchange.request.headers["x-ms-correlation-request-id"]) ?? requestId;
      const isRead = method === "GET" || method === "HEAD";
      const remaining = isRead ? --counters.reads : --counters.writes;
      if (counters.reads < 100) counters.reads = 12_000;
      if (counters.writes < 10) counters.writes = 1_200;
      const clientRequestId = headerValue(exchange.request.headers["x-ms-client-request-id"]);
      const headers: Record<string, string> = {
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
        ...(clientRequestId ? { "x-ms-client-request-id": clientRequestId } : {}),
      };

      return serveThroughFrontDoor(exchange, {
        world: options.world,
        requestId,
        headers,
        errorType: ArmError,
        requestTooLarge: armErrors.requestTooLarge,
        async serve({ readBody, identify }) {
          const url = requestUrl(exchange);
          const rawBody = await readBody();
          const caller = await authenticate(exchange.request.headers.authorization, options);
          identify(caller);

          const apiVersion = url.searchParams.get("api-version");
          if (!apiVersion) throw armErrors.missingApiVersion();
          if (!API_VERSION.test(apiVersion)) throw armErrors.invalidApiVersion(apiVersion);

          if (rawBody.length > 0 && !isJsonMediaType(exchange.request.headers["content-type"]))
            throw armErrors.unsupportedMediaType(exchange.request.headers["content-type"]);

          const throttle = options.faults.takeArmThrottle();
          if (throttle !== undefined) throw armErrors.tooManyRequests(throttle);

          return invoke({
            method: method as ArmMethod,
            pathname: url.pathname,
            query: url.searchParams,
            apiVersion,
            headers: exchange.request.headers,
            body: parseArmJsonBody(rawBody),
            caller,
            baseUrl: `https://${headerValue(exchange.request.headers.host) ?? exchange.host}`,
            requestId,
          });
        },
      });
    },
  };
}

/** Bearer token checks in ARM's order: present, well-formed, signed by the issuer, for ARM, in time, right tenant. */
async function authenticate(
  authorization: string | undefined,
  options: ArmServiceOptions,
): Promise<ArmCaller> {
  if (!authorization) throw armErrors.missingAuthorization();
  const token = bearerTokenOf(authorization);
  if (!token) throw armErrors.malformedAuthorization();
  const check = await options.tokens.check(token);
  if (check.outcome === "unreadable") throw armErrors.unreadableToken();
  if (check.outcome === "bad-signature") throw armErrors.invalidSignature();
  const claims = check.claims;
  const audience = singleAudienceOf(claims.aud);
  if (audience === undefined || !(ALLOWED_ARM_AUDIENCES as readonly string[]).includes(audience))
    throw armErrors.wrongAudience(typeof claims.aud === "string" ? claims.aud : JSON.stringify(claims.aud));
  const now = new Date();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= nowSeconds)
    throw armErrors.expiredToken(new Date((claims.exp ?? 0) * 1000), now);
  if (typeof claims.nbf === "number" && claims.nbf > nowSeconds + CLOCK_SKEW_SECONDS)
    throw armErrors.notYetValidToken(new Date(claims.nbf * 1000), now);
  if (!isIssuedByTenant(claims, options.world.tenantId))
    throw armErrors.wrongTenant(String(claims.iss), options.world.tenantId);
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
function parseArmJsonBody(raw: Buffer): unknown {
  try {
    return parseJsonBody(raw, { lenient: (text) => JSON5.parse(text) });
  } catch (error) {
    if (error instanceof JsonBodyError) throw armErrors.invalidRequestContent(error.message);
    throw error;
  }
}

/** application/json (any parameters), text/json and `+json` types: what ARM's JSON formatter reads. */
function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || mediaType === "text/json" || mediaType.endsWith("+json");
}

function compactTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}
