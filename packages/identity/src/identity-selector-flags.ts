// The flags that choose a user-assigned identity (--client-id, --object-id, --resource-id): their parseArgs options,
// their lines in a sample's --help, and how to say which identity is used.
import type { ParseArgsOptionsConfig } from "node:util";
import { type IdentitySelection, identitySelectorSettings } from "./identity-selection.ts";
import type { PrincipalInfo } from "./principal.ts";
import type { UsageRow } from "./sample-cli.ts";

/** Spread into parseSampleArgs' options: `options: { ...identitySelectorOptions, json: { type: "boolean" } }`. */
export const identitySelectorOptions = {
  "client-id": { type: "string" },
  "object-id": { type: "string" },
  "resource-id": { type: "string" },
} as const satisfies ParseArgsOptionsConfig;

const { clientId, objectId, resourceId } = identitySelectorSettings;

/** Spread into formatUsage's rows. */
export const identitySelectorUsage: readonly UsageRow[] = [
  ["--client-id ID", `Sign in as the user-assigned identity with this client ID (env ${clientId.envName})`],
  ["--object-id ID", `... or with this object ID (env ${objectId.envName})`],
  ["--resource-id ID", `... or with this resource ID (env ${resourceId.envName})`],
  ["", "(none of the three: the VM's system-assigned identity)"],
];

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
