// Soft-deleted Key Vault vaults on the ARM side: a deleted vault (soft delete is always on for new vaults) stays in
// the "deleted-vaults" namespace for its retention period, keeping its name taken, until it is purged, recovered
// (`createMode: recover`) or its scheduled purge date passes. Shapes and permissions: azure-rest-api-specs
// specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/ (keyvault.json Vaults_ListDeleted,
// Vaults_GetDeleted, Vaults_PurgeDeleted, DeletedVault; examples/getDeletedVault.json) and Key Vault's soft-delete
// docs (key-vault/general/key-vault-recovery.md: deletedVaults/read, locations/deletedVaults/purge/action).
import { z } from "zod";
import type { Reply } from "../http/reply.ts";
import { armResourceRecordSchema } from "../state/world-records.ts";
import type { ArmResourceRecord, NamespaceDefinition, WorldState } from "../state/world-state.ts";
import { armErrors } from "./arm-errors.ts";
import type { ArmProvider, ArmRequest } from "./arm-request.ts";
import { pageOf } from "./paging.ts";
import { readableInSubscription } from "./resource-requests.ts";

const DELETED_VAULT_TYPE = "Microsoft.KeyVault/deletedVaults";
const DAY_MS = 86_400_000;
const DELETED_VAULT_PATH =
  "/subscriptions/:subscriptionId/providers/Microsoft.KeyVault/locations/:location/deletedVaults/:vaultName";

const deletedVaultSchema = z.object({
  /** The vault as it was, so a recovery brings back the same vault (and, through its createdTime, its secrets). */
  vault: armResourceRecordSchema,
  deletionDate: z.string(),
  scheduledPurgeDate: z.string(),
});
type DeletedVaultRecord = z.infer<typeof deletedVaultSchema>;

/** ARM's own part of the world for deleted vaults: by lowercase name (vault names are global, deleted or not). */
const DELETED_VAULTS: NamespaceDefinition<{ vaults: Record<string, DeletedVaultRecord> }> = {
  name: "deleted-vaults",
  schema: z.object({ vaults: z.record(z.string(), deletedVaultSchema) }),
  initial: () => ({ vaults: {} }),
};

/** The namespace, with vaults whose scheduled purge date has passed already gone (Key Vault purges them then). */
function deletedVaults(world: WorldState): { vaults: Record<string, DeletedVaultRecord> } {
  const namespace = world.namespace(DELETED_VAULTS);
  const now = Date.now();
  for (const [key, entry] of Object.entries(namespace.vaults))
    if (Date.parse(entry.scheduledPurgeDate) <= now) delete namespace.vaults[key];
  return namespace;
}

/** Keeps `vault` soft-deleted for its retention period (softDeleteRetentionInDays, 90 by default). */
export function softDeleteVault(world: WorldState, vault: ArmResourceRecord): void {
  if (vault.properties.enableSoftDelete === false) return;
  const retention = Number(vault.properties.softDeleteRetentionInDays);
  const days = Number.isInteger(retention) && retention >= 7 && retention <= 90 ? retention : 90;
  const now = Date.now();
  deletedVaults(world).vaults[vault.name.toLowerCase()] = {
    vault: structuredClone(vault),
    deletionDate: new Date(now).toISOString(),
    scheduledPurgeDate: new Date(now + days * DAY_MS).toISOString(),
  };
}

/** Whether a soft-deleted vault holds `name` (anywhere: the name is global). */
export function isVaultNameSoftDeleted(world: WorldState, name: string): boolean {
  return deletedVaults(world).vaults[name.toLowerCase()] !== undefined;
}

/**
 * Takes the soft-deleted vault `name` of `subscriptionId` out of the deleted state, for `createMode: recover`;
 * SoftDeletedVaultDoesNotExist when there is none.
 */
export function takeDeletedVault(world: WorldState, subscriptionId: string, name: string): ArmResourceRecord {
  const namespace = deletedVaults(world);
  const entry = namespace.vaults[name.toLowerCase()];
  if (!entry || entry.vault.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase())
    throw armErrors.softDeletedVaultDoesNotExist();
  delete namespace.vaults[name.toLowerCase()];
  return entry.vault;
}

function deletedVaultBody(entry: DeletedVaultRecord): Record<string, unknown> {
  const { vault } = entry;
  return {
    id: `/subscriptions/${vault.subscriptionId}/providers/Microsoft.KeyVault/locations/${vault.location}/deletedVaults/${vault.name}`,
    name: vault.name,
    type: DELETED_VAULT_TYPE,
    properties: {
      vaultId: vault.id,
      location: vault.location,
      deletionDate: entry.deletionDate,
      scheduledPurgeDate: entry.scheduledPurgeDate,
      tags: vault.tags ?? {},
      purgeProtectionEnabled: vault.properties.enablePurgeProtection === true,
    },
  };
}

/** The deleted vault a location-scoped path names, in the request's subscription and location. */
function requestedDeletedVault(request: ArmRequest): DeletedVaultRecord {
  const name = request.params.vaultName ?? "";
  const entry = deletedVaults(request.world).vaults[name.toLowerCase()];
  const same = (a: string | undefined, b: string | undefined) =>
    (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
  if (
    !entry ||
    !same(entry.vault.subscriptionId, request.params.subscriptionId) ||
    !same(entry.vault.location, (request.params.location ?? "").replace(/\s+/g, ""))
  )
    throw armErrors.deletedVaultNotFound(name);
  return entry;
}

const subscriptionScope = (request: ArmRequest) => `/subscriptions/${request.params.subscriptionId}`;

async function purge(request: ArmRequest): Promise<Reply> {
  request.authorize("Microsoft.KeyVault/locations/deletedVaults/purge/action", subscriptionScope(request));
  const entry = requestedDeletedVault(request);
  // Vaults_PurgeDeleted is long-running: 202 with a Location to poll, the name free once it completes.
  return request.operations.startAccepted(
    {
      subscriptionId: entry.vault.subscriptionId,
      providerNamespace: "Microsoft.KeyVault",
      location: entry.vault.location ?? "",
      realisticDurationMs: 3000,
      run: async () => {
        delete deletedVaults(request.world).vaults[entry.vault.name.toLowerCase()];
        await request.world.commit();
        return undefined;
      },
    },
    request,
  );
}

export const deletedVaultsProvider: ArmProvider = {
  name: DELETED_VAULT_TYPE,
  namespaces: [DELETED_VAULTS],
  routes: [
    {
      method: "GET",
      path: "/subscriptions/:subscriptionId/providers/Microsoft.KeyVault/deletedVaults",
      handler: (request) => {
        const subscriptionId = request.params.subscriptionId ?? "";
        const entries = Object.values(deletedVaults(request.world).vaults).filter(
          (entry) => entry.vault.subscriptionId.toLowerCase() === subscriptionId.toLowerCase(),
        );
        const items = readableInSubscription(request, `${DELETED_VAULT_TYPE}/read`, entries, () =>
          subscriptionScope(request),
        )
          .sort((a, b) => a.vault.name.localeCompare(b.vault.name))
          .map(deletedVaultBody);
        return { status: 200, body: pageOf(items, request) };
      },
    },
    {
      method: "GET",
      path: DELETED_VAULT_PATH,
      handler: (request) => {
        request.authorize(`${DELETED_VAULT_TYPE}/read`, subscriptionScope(request));
        return { status: 200, body: deletedVaultBody(requestedDeletedVault(request)) };
      },
    },
    { method: "POST", path: `${DELETED_VAULT_PATH}/purge`, handler: purge },
  ],
};
