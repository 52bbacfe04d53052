// Managed identities of resources, as ARM and Microsoft.ManagedIdentity give them: a resource whose identity is
// SystemAssigned gets its own service principal (principalId, tenantId) for as long as it exists; UserAssigned entries
// are filled from the user-assigned identity resources they name; a userAssignedIdentities resource gets its
// principalId, clientId and tenantId. Shapes: common-types v5 managedidentity.json (ManagedServiceIdentity).
import { randomUUID } from "node:crypto";
import { USER_ASSIGNED_IDENTITY_TYPE } from "../identifiers.ts";
import type { ArmResourceRecord, WorldState } from "../state/world-state.ts";
import { armErrors } from "./arm-errors.ts";

type IdentityInput = Record<string, unknown>;

/** "SystemAssigned,UserAssigned" and "systemassigned, userassigned" both become "SystemAssigned, UserAssigned". */
function identityKinds(type: unknown): { system: boolean; user: boolean } {
  const parts = String(type ?? "")
    .split(",")
    .map((part) => part.trim().toLowerCase());
  return { system: parts.includes("systemassigned"), user: parts.includes("userassigned") };
}

/**
 * The identity block ARM returns for a resource: the caller's, with principal IDs filled in. A system-assigned
 * principal survives updates of the same resource; a resource created again gets a new one.
 */
export function resolveIdentity(
  world: WorldState,
  resourceId: string,
  input: IdentityInput | undefined,
  existing: ArmResourceRecord | undefined,
): IdentityInput | undefined {
  if (input === undefined) return existing?.identity;
  const kinds = identityKinds(input.type);
  if (!kinds.system && !kinds.user) return { type: "None" };
  const previous = (existing?.identity ?? {}) as IdentityInput;
  const identity: IdentityInput = {
    ...input,
    type: [kinds.system ? "SystemAssigned" : "", kinds.user ? "UserAssigned" : ""].filter(Boolean).join(", "),
  };
  if (kinds.system) {
    const previousKinds = identityKinds(previous.type);
    identity.principalId =
      previousKinds.system && typeof previous.principalId === "string" ? previous.principalId : randomUUID();
    identity.tenantId = world.tenantId;
  } else {
    delete identity.principalId;
    delete identity.tenantId;
  }
  if (kinds.user) {
    const requested = (input.userAssignedIdentities ?? {}) as Record<string, unknown>;
    const resolved: Record<string, unknown> = {};
    for (const identityId of Object.keys(requested)) {
      const found = world.getResource(identityId);
      if (!found || found.type.toLowerCase() !== USER_ASSIGNED_IDENTITY_TYPE.toLowerCase())
        throw armErrors.userAssignedIdentityNotFound(resourceId, identityId);
      resolved[identityId] = {
        principalId: found.properties.principalId,
        clientId: found.properties.clientId,
      };
    }
    identity.userAssignedIdentities = resolved;
  } else {
    delete identity.userAssignedIdentities;
  }
  return identity;
}

/** properties of a user-assigned identity: its own service principal, kept across updates. */
export function userAssignedIdentityProperties(
  world: WorldState,
  existing: ArmResourceRecord | undefined,
): Record<string, unknown> {
  const kept = existing?.properties ?? {};
  return {
    tenantId: world.tenantId,
    principalId: typeof kept.principalId === "string" ? kept.principalId : randomUUID(),
    clientId: typeof kept.clientId === "string" ? kept.clientId : randomUUID(),
  };
}
