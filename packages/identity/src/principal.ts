// describePrincipal / formatPrincipal: who is signed in, read from the access token's claims (never printing it).
import type { TokenCredential } from "@azure/core-auth";
import { decodeJwt } from "jose";

export interface PrincipalInfo {
  /** The identity's service principal object ID (`oid`): what role assignments name. */
  objectId: string;
  /** Its application (client) ID (`appid`, or `azp` in v2 tokens). */
  clientId: string;
  tenantId: string;
  /** The Azure resource the identity belongs to (`xms_mirid`): the VM, or the user-assigned identity. */
  identityResourceId?: string;
  kind: "system-assigned" | "user-assigned";
}

export const defaultPrincipalScope = "https://management.azure.com/.default";

/** A principal and the line that says who it is (formatPrincipal). */
export type SignedInPrincipal = PrincipalInfo & { description: string };

/** Gets a token for `scope` and returns who it was issued to, with a line saying so (never the token). */
export async function describePrincipal(
  credential: TokenCredential,
  scope: string = defaultPrincipalScope,
): Promise<SignedInPrincipal> {
  const accessToken = await credential.getToken(scope);
  if (!accessToken) throw new Error(`No access token was returned for ${scope}.`);
  const principal = principalFromAccessToken(accessToken.token);
  return { ...principal, description: formatPrincipal(principal) };
}

/** Reads the identity claims of a managed-identity access token (a JWT). The token is not verified, only read. */
export function principalFromAccessToken(token: string): PrincipalInfo {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    // The token itself is a secret: say what is wrong without showing it.
    throw new Error("The access token is not a JWT, so it does not say who is signed in.");
  }
  const claim = (name: string): string | undefined => {
    const value = claims[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const objectId = claim("oid");
  const clientId = claim("appid") ?? claim("azp");
  const tenantId = claim("tid");
  const missing = [!objectId && "oid", !clientId && "appid", !tenantId && "tid"].filter(Boolean);
  if (!objectId || !clientId || !tenantId) {
    throw new Error(`The access token has no ${missing.map((name) => `'${name}'`).join(", ")} claim.`);
  }
  const identityResourceId = claim("xms_mirid");
  const kind =
    resourceTypeOf(identityResourceId) === "microsoft.managedidentity/userassignedidentities"
      ? "user-assigned"
      : "system-assigned";
  return { objectId, clientId, tenantId, kind, ...(identityResourceId ? { identityResourceId } : {}) };
}

/**
 * `Signed in as the system-assigned identity of VM 'vm1' (object ID …, client ID …, tenant …)` or
 * `Signed in as user-assigned identity 'id1' (…)`.
 */
export function formatPrincipal(principal: PrincipalInfo): string {
  const ids = `(object ID ${principal.objectId}, client ID ${principal.clientId}, tenant ${principal.tenantId})`;
  const resourceId = principal.identityResourceId;
  const name = resourceId ? lastSegment(resourceId) : undefined;
  if (principal.kind === "user-assigned") {
    return `Signed in as user-assigned identity${name ? ` '${name}'` : ""} ${ids}`;
  }
  const owner = ownerDescriptions[resourceTypeOf(resourceId) ?? ""] ?? "";
  const of = name ? ` of ${owner}'${name}'` : "";
  return `Signed in as the system-assigned identity${of} ${ids}`;
}

const ownerDescriptions: Record<string, string> = {
  "microsoft.compute/virtualmachines": "VM ",
  "microsoft.compute/virtualmachinescalesets": "VM scale set ",
};

/** `microsoft.compute/virtualmachines` for `/subscriptions/…/providers/Microsoft.Compute/virtualMachines/vm1`. */
function resourceTypeOf(resourceId: string | undefined): string | undefined {
  const match = resourceId && /\/providers\/([^/]+)\/([^/]+)\/[^/]+$/i.exec(resourceId);
  return match ? `${match[1]}/${match[2]}`.toLowerCase() : undefined;
}

function lastSegment(resourceId: string): string | undefined {
  return resourceId.split("/").filter(Boolean).at(-1);
}

/**
 * The object ID (`oid`) of the identity an `Authorization: Bearer …` header speaks for, or undefined. The token is read,
 * not verified, and never returned.
 */
export function objectIdOfAuthorizationHeader(header: string | undefined): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (!token) return undefined;
  try {
    const { oid } = decodeJwt(token);
    return typeof oid === "string" && oid !== "" ? oid : undefined;
  } catch {
    return undefined;
  }
}
