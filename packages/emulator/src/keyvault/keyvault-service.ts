// The Key Vault data plane at https://{vault}.vault.azure.net, for every vault that exists in the world: the 401
// challenge, token checks, api-version, routing to the secrets and deleted-secrets resources, RBAC or access-policy
// authorization, and Key Vault's response headers. Secret values never reach the request log (bodies are not logged).
import { randomUUID } from "node:crypto";
import type { RbacEvaluator } from "../auth/rbac.ts";
import type { TokenService } from "../auth/tokens.ts";
import { JsonBodyError, parseJsonBody } from "../http/json-body.ts";
import { sendReply } from "../http/reply.ts";
import { headerValue, serveThroughFrontDoor } from "../http/rest-front-door.ts";
import { createRestRouter } from "../http/rest-router.ts";
import {
  type EmulatedService,
  type HandledRequest,
  requestUrl,
  type ServiceExchange,
} from "../http/service-dispatcher.ts";
import type { WorldState } from "../state/world-state.ts";
import { proxyErrors } from "../tls/proxy-errors.ts";
import { deletedSecretRoutes } from "./deleted-secrets.ts";
import { KeyVaultError, keyVaultErrors } from "./keyvault-errors.ts";
import { secretsOf } from "./keyvault-store.ts";
import { secretRoutes } from "./secrets.ts";
import { authenticateVaultCaller } from "./vault-authentication.ts";
import { authorizeVaultOperation } from "./vault-authorization.ts";
import { type KeyVaultMethod, SECRET_NAME } from "./vault-request.ts";
import { findVault, listVaults, type VaultProfile } from "./vaults.ts";

/** The api-version @azure/keyvault-secrets 4.12 sends by default. */
const LATEST_KEY_VAULT_API_VERSION = "2026-04-01";

/**
 * Every data-plane api-version of Key Vault secrets (azure-rest-api-specs specification/keyvault/data-plane, and the
 * SDKs' serviceVersion lists): what current and older SDKs, the Python client (7.3) and the Azure CLI send.
 */
const KEY_VAULT_API_VERSIONS: readonly string[] = [
  "2015-06-01",
  "2016-10-01",
  "7.0",
  "7.0-preview",
  "7.1",
  "7.1-preview",
  "7.2",
  "7.2-preview",
  "7.3",
  "7.3-preview",
  "7.4",
  "7.4-preview.1",
  "7.5",
  "7.5-preview.1",
  "7.6",
  "7.6-preview.1",
  "7.6-preview.2",
  "2025-06-01-preview",
  "2025-07-01",
  "2026-03-01-preview",
  LATEST_KEY_VAULT_API_VERSION,
];

const METHODS: KeyVaultMethod[] = ["GET", "PUT", "PATCH", "DELETE", "POST"];

/** Headers Key Vault sends with every answer (azure-sdk-for-js recordings, Azure/azure-sdk-for-net#7925). */
function keyVaultHeaders(vault: VaultProfile, requestId: string, clientRequestId: string | undefined) {
  return {
    "cache-control": "no-cache",
    pragma: "no-cache",
    expires: "-1",
    "x-ms-keyvault-region": vault.location,
    "x-ms-request-id": requestId,
    ...(clientRequestId ? { "x-ms-client-request-id": clientRequestId } : {}),
    "x-ms-keyvault-service-version": "1.9.2000.1",
    "x-ms-keyvault-network-info": "conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;",
    "strict-transport-security": "max-age=31536000;includeSubDomains",
    "x-content-type-options": "nosniff",
  };
}

export interface KeyVaultServiceOptions {
  world: WorldState;
  tokens: TokenService;
  rbac: RbacEvaluator;
}

export function createKeyVaultService(options: KeyVaultServiceOptions): EmulatedService {
  const { world } = options;
  const router = createRestRouter([...secretRoutes, ...deletedSecretRoutes], METHODS);

  // Tie the scenario's seeded secrets to the vaults that exist now, so a vault deleted and created again later
  // (through ARM) starts empty instead of finding them.
  for (const vault of listVaults(world)) secretsOf(world, vault);

  return {
    name: "keyvault",
    servesHost: (hostname, scheme) => scheme === "https" && findVault(world, hostname) !== undefined,
    async handle(exchange: ServiceExchange): Promise<HandledRequest> {
      const vault = findVault(world, exchange.host);
      if (!vault) {
        // Deleted while a tunnel to it was still open: from now on it does not resolve.
        const refusal = proxyErrors.hostNotFound(exchange.host);
        sendReply(exchange.response, { status: refusal.status, body: refusal.body }, exchange.request.method);
        return { status: refusal.status, error: refusal.body.error.code };
      }
      const method = (exchange.request.method ?? "GET").toUpperCase();
      const requestId = randomUUID();
      const clientRequestId = headerValue(exchange.request.headers["x-ms-client-request-id"]);
      return serveThroughFrontDoor(exchange, {
        world,
        requestId,
        headers: keyVaultHeaders(vault, requestId, clientRequestId),
        errorType: KeyVaultError,
        requestTooLarge: keyVaultErrors.requestTooLarge,
        async serve({ readBody, identify }) {
          const rawBody = await readBody();
          const caller = await authenticateVaultCaller(
            exchange.request.headers.authorization,
            vault,
            options.tokens,
          );
          identify(caller);

          // Key Vault accepts "//secrets" as "/secrets" (see requestUrl).
          const url = requestUrl(exchange);
          // URLSearchParams decodes names, so `api%2Dversion` (what the current SDK sends) is `api-version`.
          const apiVersion = url.searchParams.get("api-version");
          if (apiVersion === null || apiVersion === "")
            throw keyVaultErrors.missingApiVersion(LATEST_KEY_VAULT_API_VERSION);
          if (!KEY_VAULT_API_VERSIONS.includes(apiVersion.toLowerCase()))
            throw keyVaultErrors.unsupportedApiVersion(apiVersion, LATEST_KEY_VAULT_API_VERSION);

          const match = router.find(method, url.pathname);
          if (match.kind === "method-not-allowed") throw keyVaultErrors.methodNotAllowed(method);
          if (match.kind === "not-found") throw keyVaultErrors.noSuchOperation(method, url.pathname);
          const { route, params } = match;
          const secretName = params.secretName;
          if (secretName !== undefined && !SECRET_NAME.test(secretName))
            throw keyVaultErrors.invalidName(secretName);

          authorizeVaultOperation({
            caller,
            vault,
            permission: route.permission,
            secretName,
            rbac: options.rbac,
          });

          const { secrets, changed } = secretsOf(world, vault);
          if (changed) await world.commit();
          return route.handler({
            method: method as KeyVaultMethod,
            params,
            query: url.searchParams,
            apiVersion,
            headers: exchange.request.headers,
            body: parseVaultJsonBody(rawBody),
            vault,
            secrets,
            nextLinkBase: `https://${exchange.host}:443`,
            path: url.pathname,
            world,
            commit: () => world.commit(),
          });
        },
      });
    },
  };
}

function parseVaultJsonBody(raw: Buffer): unknown {
  try {
    return parseJsonBody(raw);
  } catch (error) {
    if (!(error instanceof JsonBodyError)) throw error;
    // The parser's message would quote the body, and with it perhaps a secret value.
    throw keyVaultErrors.badParameter(
      /MaxDepth/.test(error.message) ? error.message : "The request body is not valid JSON.",
    );
  }
}
