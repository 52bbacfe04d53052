// How to say which identity is used: the one asked for (formatIdentitySelection), and the one that signed in, from
// its token's claims (formatIdentityInUse).
import { type IdentitySelection, identitySelectorSettings } from "./identity-selection.ts";
import type { PrincipalInfo } from "./principal.ts";

/** `the VM's system-assigned identity`, or `the user-assigned identity with client ID 1a2b…`. */
export function formatIdentitySelection(identity: IdentitySelection): string {
  return identity.kind === "system-assigned"
    ? "the VM's system-assigned identity"
    : `the user-assigned identity with ${identitySelectorSettings[identity.by].label} ${identity.value}`;
}

/**
 * Which identity signed in, from its token's claims: `the VM's system-assigned identity`, `the user-assigned identity
 * with client ID 1a2b…`, or, with no selector on a VM whose only identity is user-assigned (IMDS then uses it),
 * `the user-assigned identity 'id-samples', the VM's only identity (no --client-id, --object-id or --resource-id given)`.
 */
export function formatIdentityInUse(identity: IdentitySelection, principal: PrincipalInfo): string {
  if (principal.kind === "user-assigned" && identity.kind === "system-assigned") {
    const name = principal.identityResourceId?.split("/").filter(Boolean).at(-1);
    return `the user-assigned identity${name ? ` '${name}'` : ""}, the VM's only identity (no --client-id, --object-id or --resource-id given)`;
  }
  if (principal.kind === "system-assigned" && identity.kind === "user-assigned") {
    return "the VM's system-assigned identity";
  }
  return formatIdentitySelection(identity);
}
