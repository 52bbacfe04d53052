// GET /metadata/identity/oauth2/token: managed identity tokens, as IMDS issues them.
// Parameters and response fields: azure-rest-api-specs specification/imds (Identity_GetToken, IdentityTokenResponse);
// selection rules: entra-docs how-to-use-vm-token.md ("Get a token using HTTP").
import type { TokenService } from "../auth/tokens.ts";
import type { Reply } from "../http/reply.ts";
import { currentTrace } from "../log/request-trace.ts";
import type { ManagedIdentity, WorldState } from "../state/world-state.ts";
import { imdsErrors } from "./imds-errors.ts";

export interface TokenEndpointContext {
  world: WorldState;
  tokens: TokenService;
  lifetimeSeconds: number;
}

/** Picks the identity a token request names (client_id, object_id or msi_res_id: at most one), as IMDS does. */
export function selectIdentity(world: WorldState, query: URLSearchParams): ManagedIdentity {
  const selectors = (["client_id", "object_id", "msi_res_id"] as const).filter((name) => query.get(name));
  if (selectors.length > 1) throw imdsErrors.conflictingSelectors();
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const selector = selectors[0];
  if (selector) {
    const value = query.get(selector) ?? "";
    const found = world.identities.find((identity) =>
      selector === "client_id"
        ? same(identity.clientId, value)
        : selector === "object_id"
          ? same(identity.principalId, value)
          : same(identity.resourceId, value),
    );
    // A 400, not a 404: the SDK retries 404s for ~18 s, IMDS answers 400 for an identity not on the VM.
    if (!found) throw imdsErrors.identityNotFound();
    return found;
  }
  const system = world.identities.find((i) => i.kind === "system");
  if (system) return system;
  const userAssigned = world.identities.filter((i) => i.kind === "user");
  if (userAssigned.length === 1 && userAssigned[0]) return userAssigned[0];
  if (userAssigned.length > 1) throw imdsErrors.multipleUserAssignedIdentities();
  throw imdsErrors.identityNotFound();
}

/**
 * Domains of Microsoft's first-party resources (ARM, Key Vault, Storage, Graph, SQL, Service Bus, Log Analytics, App
 * Configuration, Container Registry...), whose service principals exist in every tenant. Any other App ID URI names an
 * application the emulated tenant does not have, which Entra ID (and so IMDS) refuses with AADSTS500011.
 */
const FIRST_PARTY_DOMAINS = [
  "azure.com",
  "azure.net",
  "windows.net",
  "microsoft.com",
  "loganalytics.io",
  "azconfig.io",
  "azurecr.io",
];

/** A first-party App ID URI (https://vault.azure.net, https://management.core.windows.net/) or an application GUID. */
function isKnownResource(resource: string): boolean {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(resource)) return true;
  if (!/^https:\/\/[^\s]+$/i.test(resource)) return false;
  let host: string;
  try {
    host = new URL(resource).hostname.toLowerCase();
  } catch {
    return false;
  }
  return FIRST_PARTY_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

export async function issueTokenResponse(
  context: TokenEndpointContext,
  query: URLSearchParams,
): Promise<{ reply: Reply; identity: ManagedIdentity }> {
  const resource = query.get("resource");
  if (!resource) throw imdsErrors.resourceMissing();
  const identity = selectIdentity(context.world, query);
  if (!isKnownResource(resource)) throw imdsErrors.unknownResource(resource, context.world.tenantId);
  const { accessToken, claims } = await context.tokens.issue({
    identity,
    tenantId: context.world.tenantId,
    resource,
    lifetimeSeconds: context.lifetimeSeconds,
    vmResourceId: context.world.vmResourceId,
  });
  // The request log shows what was issued (claims only), so a workshop sees the token IMDS handed out.
  const trace = currentTrace();
  if (trace) trace.issuedClaims = claims;
  const expiresIn = String(claims.exp - Math.floor(Date.now() / 1000));
  return {
    identity,
    reply: {
      status: 200,
      // Every field a string, as IMDS sends them; `expires_on` is what the SDK caches by, `resource` echoes the request.
      body: {
        access_token: accessToken,
        client_id: identity.clientId,
        expires_in: expiresIn,
        expires_on: String(claims.exp),
        ext_expires_in: expiresIn,
        not_before: String(claims.nbf),
        resource,
        token_type: "Bearer",
      },
    },
  };
}
