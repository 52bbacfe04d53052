// Which vaults exist and how each one is configured, read from the world's `Microsoft.KeyVault/vaults` resources
// (seeded from the scenario's keyVaults, created and deleted through ARM): the data plane serves only these.
import { VAULT_DNS_SUFFIX, VAULT_RESOURCE_TYPE, vaultUrl } from "../identifiers.ts";
import type { ArmResourceRecord, WorldState } from "../state/world-state.ts";

export interface AccessPolicyEntry {
  tenantId: string;
  objectId: string;
  /** Set for a compound identity: the policy applies only to this application acting for the object. */
  applicationId?: string;
  /** Secret permissions, lowercase ("get", "list", "set", ..., "all"). */
  secretPermissions: string[];
}

export interface VaultProfile {
  /** The vault's name as ARM keeps it. */
  name: string;
  /** `https://{name}.vault.azure.net`, the prefix of every secret ID (no trailing slash). */
  url: string;
  resourceId: string;
  location: string;
  tenantId: string;
  /** ARM's createdTime: a vault deleted and created again under the same name is a new, empty vault. */
  createdTime: string;
  rbac: boolean;
  accessPolicies: AccessPolicyEntry[];
  softDelete: boolean;
  retentionDays: number;
  purgeProtection: boolean;
}

/** The vault name a host names, when the host is `{name}.vault.azure.net` (case-insensitive). */
function vaultNameOfHost(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (!host.endsWith(VAULT_DNS_SUFFIX)) return undefined;
  const name = host.slice(0, -VAULT_DNS_SUFFIX.length);
  return /^[a-z0-9-]+$/.test(name) ? name : undefined;
}

/** Every vault in the world right now. */
export function listVaults(world: WorldState): VaultProfile[] {
  return world.listResources({ type: VAULT_RESOURCE_TYPE }).map((r) => profileOf(r, world.tenantId));
}

/** The vault that `hostname` names, if it exists in the world right now. */
export function findVault(world: WorldState, hostname: string): VaultProfile | undefined {
  const name = vaultNameOfHost(hostname);
  if (name === undefined) return undefined;
  const record = world
    .listResources({ type: VAULT_RESOURCE_TYPE })
    .find((r) => r.name.toLowerCase() === name);
  return record ? profileOf(record, world.tenantId) : undefined;
}

function profileOf(record: ArmResourceRecord, defaultTenantId: string): VaultProfile {
  const properties = record.properties;
  const text = (value: unknown, fallback: string) => (typeof value === "string" && value ? value : fallback);
  const retention = Number(properties.softDeleteRetentionInDays);
  return {
    name: record.name,
    url: vaultUrl(record.name),
    resourceId: record.id,
    location: record.location ?? "",
    tenantId: text(properties.tenantId, defaultTenantId),
    createdTime: record.createdTime,
    rbac: properties.enableRbacAuthorization === true,
    accessPolicies: accessPoliciesOf(properties.accessPolicies),
    // Soft delete is on unless explicitly off: Azure no longer creates vaults without it.
    softDelete: properties.enableSoftDelete !== false,
    retentionDays: Number.isInteger(retention) && retention >= 7 && retention <= 90 ? retention : 90,
    purgeProtection: properties.enablePurgeProtection === true,
  };
}

function accessPoliciesOf(value: unknown): AccessPolicyEntry[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry): AccessPolicyEntry[] => {
    if (!entry || typeof entry !== "object") return [];
    const policy = entry as Record<string, unknown>;
    const permissions = (policy.permissions ?? {}) as Record<string, unknown>;
    const secrets = Array.isArray(permissions.secrets) ? permissions.secrets : [];
    if (typeof policy.objectId !== "string") return [];
    return [
      {
        tenantId: typeof policy.tenantId === "string" ? policy.tenantId : "",
        objectId: policy.objectId,
        ...(typeof policy.applicationId === "string" && policy.applicationId
          ? { applicationId: policy.applicationId }
          : {}),
        secretPermissions: secrets
          .filter((p): p is string => typeof p === "string")
          .map((p) => p.toLowerCase()),
      },
    ];
  });
}
