// The Azure Instance Metadata Service at http://169.254.169.254/metadata (and origin-form /metadata on the proxy port,
// for AZURE_POD_IDENTITY_AUTHORITY_HOST): instance metadata, versions and managed identity tokens.
import FindMyWay from "find-my-way";
import type { TokenService } from "../auth/tokens.ts";
import type { FaultController } from "../faults/faults.ts";
import { type Reply, sendReply } from "../http/reply.ts";
import {
  type EmulatedService,
  type HandledRequest,
  requestUrl,
  type ServiceExchange,
} from "../http/service-dispatcher.ts";
import { IMDS_HOST } from "../identifiers.ts";
import type { LoggedPrincipal } from "../log/request-log.ts";
import type { ManagedIdentity, WorldState } from "../state/world-state.ts";
import { IMDS_API_VERSIONS, ImdsError, imdsErrors } from "./imds-errors.ts";
import { filteredInstanceMetadata } from "./instance-metadata.ts";
import { issueTokenResponse } from "./token-endpoint.ts";

/** What IMDS really sends with every answer (headers quoted in Azure/azure-sdk-for-net#37278). */
const IMDS_HEADERS = { server: "IMDS/150.870.65.1015", "content-type": "application/json; charset=utf-8" };

interface ImdsRequest {
  query: URLSearchParams;
  headers: ServiceExchange["request"]["headers"];
  params: Record<string, string | undefined>;
}

interface ImdsOutcome {
  reply: Reply;
  identity?: ManagedIdentity;
}

type ImdsHandler = (request: ImdsRequest) => Promise<ImdsOutcome> | ImdsOutcome;

export interface ImdsServiceOptions {
  world: () => WorldState;
  tokens: TokenService;
  faults: FaultController;
  tokenLifetimeSeconds: () => number;
}

export function createImdsService(options: ImdsServiceOptions): EmulatedService {
  const router = FindMyWay({ caseSensitive: false, ignoreDuplicateSlashes: true, ignoreTrailingSlash: true });
  const routes: Record<string, ImdsHandler> = {};
  const on = (path: string, name: string, handler: ImdsHandler) => {
    routes[name] = handler;
    router.on("GET", path, () => name);
  };

  on("/metadata/identity/oauth2/token", "token", async (request) => {
    checkIdentityRequest(request);
    const { reply, identity } = await issueTokenResponse(
      { world: options.world(), tokens: options.tokens, lifetimeSeconds: options.tokenLifetimeSeconds() },
      request.query,
    );
    return { reply, identity };
  });
  on("/metadata/identity/info", "identity-info", (request) => {
    checkIdentityRequest(request);
    return { reply: { status: 200, body: { tenantId: options.world().tenantId } } };
  });
  on("/metadata/instance", "instance", (request) => {
    checkMetadataRequest(request);
    return { reply: filteredInstanceMetadata(options.world(), [], request.query.get("format")) };
  });
  on("/metadata/instance/*", "instance-filtered", (request) => {
    checkMetadataRequest(request);
    const segments = (request.params["*"] ?? "").split("/").filter(Boolean);
    return { reply: filteredInstanceMetadata(options.world(), segments, request.query.get("format")) };
  });
  // The one unversioned endpoint (docs: "Versions").
  on("/metadata/versions", "versions", (request) => {
    checkForwarding(request, false);
    checkMetadataHeader(request, false);
    return { reply: { status: 200, body: { apiVersions: [...IMDS_API_VERSIONS].reverse() } } };
  });

  return {
    name: "imds",
    servesHost: (hostname, scheme) => scheme === "http" && hostname === IMDS_HOST,
    async handle(exchange: ServiceExchange): Promise<HandledRequest> {
      const url = requestUrl(exchange);
      const method = exchange.request.method ?? "GET";
      let outcome: ImdsOutcome;
      try {
        const match = router.find("GET", url.pathname);
        if (!match) throw imdsErrors.notFound();
        if (method !== "GET") throw imdsErrors.methodNotAllowed();
        const handler = routes[(match.handler as () => string)()];
        if (!handler) throw imdsErrors.notFound();
        const fault = url.pathname.toLowerCase().includes("/versions")
          ? undefined
          : options.faults.takeImdsFault();
        if (fault?.kind === "gone") throw imdsErrors.gone();
        if (fault?.kind === "tooManyRequests") throw imdsErrors.tooManyRequests(fault.retryAfterSeconds);
        if (fault?.kind === "serverError") throw imdsErrors.serverError();
        outcome = await handler({
          query: url.searchParams,
          headers: exchange.request.headers,
          params: match.params,
        });
      } catch (error) {
        if (!(error instanceof ImdsError)) throw error;
        outcome = { reply: { status: error.status, headers: error.headers, body: error.body } };
      }
      const reply = outcome.reply;
      const headers = {
        ...IMDS_HEADERS,
        ...(typeof reply.body === "string" ? { "content-type": "text/plain; charset=utf-8" } : {}),
        ...reply.headers,
      };
      sendReply(exchange.response, { ...reply, headers }, method);
      const principal: LoggedPrincipal | undefined = outcome.identity
        ? {
            objectId: outcome.identity.principalId,
            clientId: outcome.identity.clientId,
            identity: outcome.identity.name,
          }
        : undefined;
      const body = reply.body as { error?: unknown } | undefined;
      return {
        status: reply.status,
        ...(principal ? { principal } : {}),
        ...(reply.status >= 400 && typeof body?.error === "string" ? { error: body.error } : {}),
      };
    },
  };
}

/** Rejections every IMDS endpoint shares, in IMDS's order: proxy forwarding, Metadata header, api-version. */
function checkMetadataRequest(request: ImdsRequest): void {
  checkForwarding(request, false);
  checkMetadataHeader(request, false);
  checkDuplicateParameters(request);
  checkApiVersion(request);
}

function checkIdentityRequest(request: ImdsRequest): void {
  checkForwarding(request, true);
  checkMetadataHeader(request, true);
  checkDuplicateParameters(request);
  checkApiVersion(request);
}

function checkForwarding(request: ImdsRequest, identityShape: boolean): void {
  if (request.headers["x-forwarded-for"] !== undefined) {
    throw identityShape ? imdsErrors.identityForwardedRequest() : imdsErrors.forwardedRequest();
  }
}

/** The header must be exactly "true" (docs: "This value must be set to 'true', in all lower case"). */
function checkMetadataHeader(request: ImdsRequest, identityShape: boolean): void {
  if (request.headers.metadata !== "true") {
    throw identityShape ? imdsErrors.identityMetadataHeaderMissing() : imdsErrors.metadataHeaderMissing();
  }
}

/** Docs, "Query parameters": requests with duplicate query parameter names are rejected. */
function checkDuplicateParameters(request: ImdsRequest): void {
  const names = [...request.query.keys()];
  if (new Set(names).size !== names.length) {
    throw imdsErrors.duplicateQueryParameters();
  }
}

function checkApiVersion(request: ImdsRequest): void {
  const version = request.query.get("api-version");
  if (!version || !(IMDS_API_VERSIONS as readonly string[]).includes(version))
    throw imdsErrors.apiVersionMissingOrInvalid();
}
