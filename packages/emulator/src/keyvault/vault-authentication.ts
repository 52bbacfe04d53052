// Who is calling a vault: the bearer token checked as Key Vault checks it (present, signed by a known key, for
// https://vault.azure.net, in time, issued by the vault's tenant), each failure a 401 with Key Vault's challenge.
import { isIssuedByTenant, singleAudienceOf } from "../auth/token-issuer.ts";
import {
  type AccessTokenClaims,
  bearerTokenOf,
  CLOCK_SKEW_SECONDS,
  type TokenService,
} from "../auth/tokens.ts";
import {
  type CallerDescription,
  KEY_VAULT_APPLICATION_ID,
  KEY_VAULT_RESOURCE,
  keyVaultErrors,
} from "./keyvault-errors.ts";
import type { VaultProfile } from "./vaults.ts";

/** Audiences Key Vault accepts. `https://vault.azure.net/` (with the slash) is refused (Azure/go-autorest#525). */
const ACCEPTED_AUDIENCES = new Set([KEY_VAULT_RESOURCE, KEY_VAULT_APPLICATION_ID]);

export interface VaultCaller {
  objectId: string;
  clientId: string;
  tenantId: string;
  claims: AccessTokenClaims;
  /** How Key Vault names this caller in 403 messages. */
  description: CallerDescription;
}

export async function authenticateVaultCaller(
  authorization: string | undefined,
  vault: VaultProfile,
  tokens: TokenService,
): Promise<VaultCaller> {
  const bearer = bearerTokenOf(authorization);
  // Without a usable Bearer token Key Vault answers its challenge; the SDK's first request always lands here.
  if (!bearer) throw keyVaultErrors.missingToken(vault.tenantId);
  const check = await tokens.check(bearer);
  if (check.outcome === "unreadable") throw keyVaultErrors.missingToken(vault.tenantId);
  if (check.outcome === "bad-signature")
    throw keyVaultErrors.unverifiableSignature(vault.tenantId, bearer.split(".")[0] ?? "");
  const claims = check.claims;
  const audience = singleAudienceOf(claims.aud);
  if (audience === undefined || !ACCEPTED_AUDIENCES.has(audience))
    throw keyVaultErrors.wrongAudience(vault.tenantId, audience ?? JSON.stringify(claims.aud));
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= now) throw keyVaultErrors.expiredToken(vault.tenantId);
  if (typeof claims.nbf === "number" && claims.nbf > now + CLOCK_SKEW_SECONDS)
    throw keyVaultErrors.tokenNotYetValid(vault.tenantId);
  if (!isIssuedByTenant(claims, vault.tenantId))
    throw keyVaultErrors.wrongIssuer(vault.tenantId, String(claims.iss));
  const managedIdentityResourceId = typeof claims.xms_mirid === "string" ? claims.xms_mirid : undefined;
  const azureResourceId = typeof claims.xms_az_rid === "string" ? claims.xms_az_rid : undefined;
  return {
    objectId: claims.oid,
    clientId: claims.appid,
    tenantId: claims.tid,
    claims,
    description: {
      appId: claims.appid,
      objectId: claims.oid,
      tenantId: claims.tid,
      ...(managedIdentityResourceId ? { managedIdentityResourceId } : {}),
      ...(azureResourceId ? { azureResourceId } : {}),
    },
  };
}
