// The world as the dashboard shows it, in one read: the VM and its identities (and which one IMDS answers for without
// a selector), role assignments with role names, subscriptions -> groups -> resources, deployments with their
// operations, vaults -> secret names and attributes (never values), the VMs IMDS could answer as, and the switches.

import { DEPLOYMENT_TYPE, deploymentExtra } from "../arm/deployments/deployment-records.ts";
import { BUILT_IN_ROLES, findBuiltInRole } from "../auth/built-in-roles.ts";
import type { FaultController } from "../faults/faults.ts";
import { VIRTUAL_MACHINE_TYPE } from "../identifiers.ts";
import { selectIdentity } from "../imds/token-endpoint.ts";
import { secretsOf } from "../keyvault/keyvault-store.ts";
import { listVaults } from "../keyvault/vaults.ts";
import type { WorldState } from "../state/world-state.ts";

/** Which identity a token request without client_id, object_id or msi_res_id gets (IMDS's own rule), or why none. */
function defaultIdentityOf(world: WorldState): { name?: string; error?: string } {
  try {
    return { name: selectIdentity(world, new URLSearchParams()).name };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function principalNameOf(world: WorldState, principalId: string): string {
  const identity = world.identityByPrincipalId(principalId);
  if (!identity) return principalId;
  return identity.kind === "system" ? "system-assigned identity" : `user-assigned '${identity.name}'`;
}

/** Reads secrets of each vault (seeding them on first use, which the caller commits when `changed`). */
function vaultsOf(world: WorldState): { vaults: Record<string, unknown>[]; changed: boolean } {
  let changed = false;
  const vaults = listVaults(world).map((vault) => {
    const read = secretsOf(world, vault);
    changed ||= read.changed;
    return {
      name: vault.name,
      resourceId: vault.resourceId,
      url: vault.url,
      authorization: vault.rbac ? "Azure RBAC" : "access policies",
      secrets: read.secrets.list().map((secret) => {
        const latest = secret.versions.at(-1);
        return {
          name: secret.name,
          versions: secret.versions.length,
          enabled: latest?.enabled ?? false,
          contentType: latest?.contentType ?? null,
          created: latest?.created ?? null,
          updated: latest?.updated ?? null,
          ...(latest?.exp !== undefined ? { expires: latest.exp } : {}),
          ...(latest?.nbf !== undefined ? { notBefore: latest.nbf } : {}),
        };
      }),
      deletedSecrets: read.secrets.listDeleted().map((secret) => secret.name),
    };
  });
  return { vaults, changed };
}

export async function worldOverview(
  world: WorldState,
  switches: { faults: FaultController; latency: "instant" | "realistic" },
): Promise<Record<string, unknown>> {
  const vm = world.currentVm;
  const { vaults, changed } = vaultsOf(world);
  if (changed) await world.commit();
  const resources = world.listResources();
  return {
    tenant: { id: world.tenantId, displayName: world.scenario.tenant.displayName ?? null },
    scenario: { name: world.scenario.name ?? null, description: world.scenario.description ?? null },
    vm: {
      name: vm.name,
      resourceId: vm.resourceId,
      source: vm.source,
      location: vm.location,
      subscriptionId: vm.subscriptionId,
      resourceGroup: vm.resourceGroup,
      vmSize: vm.vmSize,
      osType: vm.osType,
      identities: vm.identities.map((i) => ({
        kind: i.kind,
        name: i.name,
        clientId: i.clientId,
        objectId: i.principalId,
        resourceId: i.resourceId,
      })),
      defaultIdentity: defaultIdentityOf(world),
    },
    roleAssignments: world.roleAssignments.map((a) => ({
      name: a.name,
      principalId: a.principalId,
      principalName: principalNameOf(world, a.principalId),
      roleName: findBuiltInRole(a.roleDefinitionId)?.roleName ?? a.roleDefinitionId,
      scope: a.scope,
      description: a.description ?? null,
    })),
    roles: BUILT_IN_ROLES.map((r) => r.roleName).sort(),
    subscriptions: world.scenario.subscriptions.map((s) => ({
      id: s.id,
      displayName: s.displayName,
      resourceGroups: world.listResourceGroups(s.id).map((g) => ({
        name: g.name,
        id: `/subscriptions/${g.subscriptionId}/resourceGroups/${g.name}`,
        location: g.location,
        provisioningState: g.provisioningState,
        resources: resources
          .filter(
            (r) =>
              r.subscriptionId.toLowerCase() === s.id.toLowerCase() &&
              r.resourceGroup.toLowerCase() === g.name.toLowerCase() &&
              r.type !== DEPLOYMENT_TYPE,
          )
          .map((r) => ({ id: r.id, name: r.name, type: r.type, location: r.location ?? null })),
        deployments: resources
          .filter(
            (r) =>
              r.type === DEPLOYMENT_TYPE &&
              r.subscriptionId.toLowerCase() === s.id.toLowerCase() &&
              r.resourceGroup.toLowerCase() === g.name.toLowerCase(),
          )
          .map((r) => ({
            name: r.name,
            provisioningState: r.properties.provisioningState ?? null,
            timestamp: r.properties.timestamp ?? null,
            operations: (deploymentExtra(r)?.operations ?? []).map((o) => ({
              operationId: o.operationId,
              provisioningOperation: o.provisioningOperation,
              provisioningState: o.provisioningState,
              statusCode: o.statusCode ?? null,
              target: o.targetResource?.id ?? null,
              duration: o.duration,
              error: o.statusMessage?.error?.message ?? null,
            })),
          })),
      })),
    })),
    vaults,
    virtualMachines: world
      .listResources({ type: VIRTUAL_MACHINE_TYPE })
      .map((r) => ({ id: r.id, name: r.name, current: r.id.toLowerCase() === vm.resourceId.toLowerCase() })),
    switches: { faults: switches.faults.describe(), latency: switches.latency },
  };
}
