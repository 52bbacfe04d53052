// The `iss` and `aud` claims as ARM and Key Vault read them: one audience string (never an array), and an issuer of
// Microsoft Entra ID's v1 or v2 form that names the tenant.

/** Entra ID's issuers: v1 `https://sts.windows.net/{tid}/`, v2 `https://login.microsoftonline.com/{tid}/v2.0`. */
const ISSUER_FORMS = [
  /^https:\/\/sts\.windows\.net\/([0-9a-f-]{36})\/$/i,
  /^https:\/\/login\.microsoftonline\.com\/([0-9a-f-]{36})\/v2\.0$/i,
];

/** The tenant an `iss` claim names, or undefined when it is no Entra ID issuer. */
export function issuerTenantOf(issuer: unknown): string | undefined {
  if (typeof issuer !== "string") return undefined;
  for (const form of ISSUER_FORMS) {
    const tenant = form.exec(issuer)?.[1];
    if (tenant) return tenant.toLowerCase();
  }
  return undefined;
}

/** Whether the token was issued by `tenantId`'s issuer and says so in `tid` too. */
export function isIssuedByTenant(claims: { iss?: unknown; tid?: unknown }, tenantId: string): boolean {
  const tenant = tenantId.toLowerCase();
  return issuerTenantOf(claims.iss) === tenant && String(claims.tid).toLowerCase() === tenant;
}

/** The audience when it is a single string; an array `aud` (which Entra ID never issues to these services) is none. */
export function singleAudienceOf(audience: unknown): string | undefined {
  return typeof audience === "string" ? audience : undefined;
}
