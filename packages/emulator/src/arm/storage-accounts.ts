// Microsoft.Storage/storageAccounts: create (202 + Location, polled), get properties, update, delete, list by group
// and by subscription, list and regenerate keys, and check name availability, with the storage RP's name rules and
// global uniqueness. Shapes: azure-rest-api-specs specification/storage/resource-manager/Microsoft.Storage/stable/
// 2025-06-01/storage.json and its examples (StorageAccountCreate.json, StorageAccountListKeys.json,
// StorageAccountCheckNameAvailability.json).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Reply } from "../http/reply.ts";
import {
  type ArmResourceRecord,
  type NamespaceDefinition,
  normalizeLocation,
  type WorldState,
} from "../state/world-state.ts";
import { type ArmError, armErrors } from "./arm-errors.ts";
import { type ArmProvider, type ArmRequest, parseArmBody } from "./arm-request.ts";
import { pageOf } from "./paging.ts";
import {
  checkLocationUnchanged,
  existingGroup,
  groupForWrite,
  type ResourceAddress,
  requestScope,
  resourceBody,
  resourceIdOf,
  resourceNotFound,
} from "./resource-envelope.ts";
import { resolveIdentity } from "./resource-identities.ts";
import {
  existingResource,
  readableInSubscription,
  replyToDelete,
  replyWithSaved,
  routeAddress,
} from "./resource-requests.ts";

export const STORAGE_ACCOUNT_TYPE = "Microsoft.Storage/storageAccounts";
const ACCOUNT_PATH =
  "/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.Storage/storageAccounts/:accountName";
const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
/** The SKU names the storage RP accepts (storage.json SkuName). */
const SKU_NAMES = [
  "Standard_LRS",
  "Standard_GRS",
  "Standard_RAGRS",
  "Standard_ZRS",
  "Premium_LRS",
  "Premium_ZRS",
  "Standard_GZRS",
  "Standard_RAGZRS",
];
const KINDS = ["Storage", "StorageV2", "BlobStorage", "FileStorage", "BlockBlobStorage"] as const;
/** Azure's region pairs (learn.microsoft.com/azure/reliability/cross-region-replication-azure), for GRS secondaries. */
const PAIRED_REGIONS: Record<string, string> = {
  eastus: "westus",
  westus: "eastus",
  eastus2: "centralus",
  centralus: "eastus2",
  westus2: "westcentralus",
  westcentralus: "westus2",
  westus3: "eastus",
  southcentralus: "northcentralus",
  northcentralus: "southcentralus",
  northeurope: "westeurope",
  westeurope: "northeurope",
};

const createSchema = z.looseObject({
  location: z.string({ error: "location is required" }),
  sku: z.looseObject({ name: z.string({ error: "sku.name is required" }) }),
  kind: z.enum(KINDS),
  tags: z.record(z.string(), z.string()).optional(),
  identity: z.looseObject({ type: z.string() }).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
const updateSchema = z.looseObject({
  sku: z.looseObject({ name: z.string() }).optional(),
  kind: z.enum(KINDS).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  identity: z.looseObject({ type: z.string() }).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});

const storedKeySchema = z.object({ value: z.string(), creationTime: z.string() });
type StoredKey = z.infer<typeof storedKeySchema>;

/** Account keys live in ARM's own namespace so the admin endpoint's redaction of `value` hides them. */
const STORAGE_ACCOUNT_KEYS: NamespaceDefinition<{
  accounts: Record<string, { key1: StoredKey; key2: StoredKey }>;
}> = {
  name: "storage-account-keys",
  schema: z.object({
    accounts: z.record(z.string(), z.object({ key1: storedKeySchema, key2: storedKeySchema })),
  }),
  initial: () => ({ accounts: {} }),
};

function keysNamespace(world: WorldState) {
  return world.namespace(STORAGE_ACCOUNT_KEYS);
}

/** 64 random bytes in base64: the length and alphabet of real account keys. */
const newKey = (): StoredKey => ({
  value: randomBytes(64).toString("base64"),
  creationTime: new Date().toISOString(),
});

/** The keys of an account, as listKeys returns them (also the runtime of a template's listKeys()). */
export function storageAccountKeys(
  world: WorldState,
  accountId: string,
): Record<string, unknown> | undefined {
  const stored = keysNamespace(world).accounts[accountId.toLowerCase()];
  if (!stored) return undefined;
  return {
    keys: (["key1", "key2"] as const).map((keyName) => ({
      keyName,
      value: stored[keyName].value,
      permissions: "FULL",
      creationTime: stored[keyName].creationTime,
    })),
  };
}

const skuOf = (name: string) => ({ name, tier: name.startsWith("Premium") ? "Premium" : "Standard" });
const isGeoRedundant = (sku: string) => /GRS|GZRS/.test(sku);

/** The endpoints of each kind of account (a general-purpose v2 account has all six). */
function endpoints(name: string, kind: string, suffix = ""): Record<string, string> {
  const all = ["dfs", "web", "blob", "queue", "table", "file"];
  const byKind: Record<string, string[]> = {
    Storage: ["blob", "queue", "table", "file"],
    StorageV2: all,
    BlobStorage: ["dfs", "web", "blob"],
    BlockBlobStorage: ["dfs", "web", "blob"],
    FileStorage: ["file"],
  };
  return Object.fromEntries(
    (byKind[kind] ?? all).map((service) => [
      service,
      `https://${name}${suffix}.${service}.core.windows.net/`,
    ]),
  );
}

/**
 * The firewall of a new account (recorded: azure-sdk-assets js/sdk/storage/arm-storage storageaccounts tests). The RP
 * always answers the whole shape: a write that sets part of `networkAcls` (say `defaultAction: Deny`) gets the
 * defaults for the rest, never an object without `bypass`, `ipRules` or `virtualNetworkRules` (storage.json
 * NetworkRuleSet: bypass defaults to AzureServices).
 */
const DEFAULT_NETWORK_ACLS = {
  ipv6Rules: [],
  bypass: "AzureServices",
  virtualNetworkRules: [],
  ipRules: [],
  defaultAction: "Allow",
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * `encryption` as the RP answers a create that set it: every service keeps `keyType` and gains the time encryption
 * was enabled, and the services not named stay encrypted (recorded: azure-sdk-assets arm-storage create and get).
 */
function encryptionOf(input: Record<string, unknown>, created: string): Record<string, unknown> {
  const given = isRecord(input.services) ? input.services : {};
  const services = Object.fromEntries(
    Object.entries({ file: {}, blob: {}, ...given }).map(([name, service]) => [
      name,
      isRecord(service) && service.enabled === false
        ? service
        : {
            keyType: "Account",
            ...(isRecord(service) ? service : {}),
            enabled: true,
            lastEnabledTime: created,
          },
    ]),
  );
  return { keySource: "Microsoft.Storage", ...input, services };
}

/** Properties as the storage RP returns them: what the caller set, with the RP's defaults and computed fields. */
function accountProperties(
  name: string,
  location: string,
  kind: string,
  sku: string,
  input: Record<string, unknown>,
  existing: ArmResourceRecord | undefined,
  keys: { key1: StoredKey; key2: StoredKey },
): Record<string, unknown> {
  const now = new Date().toISOString();
  const created = (existing?.properties.creationTime as string | undefined) ?? now;
  const encryptionTime = { keyType: "Account", enabled: true, lastEnabledTime: created };
  const secondary = PAIRED_REGIONS[location] ?? location;
  const properties: Record<string, unknown> = {
    keyCreationTime: { key1: keys.key1.creationTime, key2: keys.key2.creationTime },
    allowCrossTenantReplication: false,
    privateEndpointConnections: [],
    minimumTlsVersion: "TLS1_2",
    allowBlobPublicAccess: false,
    networkAcls: DEFAULT_NETWORK_ACLS,
    supportsHttpsTrafficOnly: true,
    encryption: {
      services: { file: encryptionTime, blob: encryptionTime },
      keySource: "Microsoft.Storage",
    },
    ...(kind === "StorageV2" || kind === "BlobStorage" ? { accessTier: "Hot" } : {}),
    ...(existing?.properties ?? {}),
    ...input,
    ...(isRecord(input.networkAcls)
      ? { networkAcls: { ...DEFAULT_NETWORK_ACLS, ...input.networkAcls } }
      : {}),
    ...(isRecord(input.encryption) ? { encryption: encryptionOf(input.encryption, created) } : {}),
    provisioningState: "Succeeded",
    creationTime: created,
    primaryEndpoints: endpoints(name, kind),
    primaryLocation: location,
    statusOfPrimary: "available",
  };
  delete properties.secondaryLocation;
  delete properties.statusOfSecondary;
  delete properties.secondaryEndpoints;
  if (isGeoRedundant(sku)) {
    properties.secondaryLocation = secondary;
    properties.statusOfSecondary = "available";
  }
  if (sku.startsWith("Standard_RA")) properties.secondaryEndpoints = endpoints(name, kind, "-secondary");
  return properties;
}

/**
 * The storage RP's own checks of a create or update: name rules, SKU, and global uniqueness (another subscription:
 * StorageAccountAlreadyTaken; another group of this subscription: StorageAccountInAnotherResourceGroup).
 * Template deployments run these in preflight.
 */
export function validateStorageAccount(
  world: WorldState,
  address: ResourceAddress,
  body: unknown,
): ArmError | undefined {
  const name = address.names[0] ?? "";
  if (!ACCOUNT_NAME.test(name)) return armErrors.storageAccountNameInvalid(name);
  const sku = (body as { sku?: { name?: unknown } } | undefined)?.sku?.name;
  if (typeof sku === "string" && !SKU_NAMES.includes(sku)) return armErrors.invalidStorageAccountType(sku);
  const id = resourceIdOf(address).toLowerCase();
  const other = world
    .listResources({ type: STORAGE_ACCOUNT_TYPE })
    .find((account) => account.name.toLowerCase() === name && account.id.toLowerCase() !== id);
  if (!other) return undefined;
  return other.subscriptionId.toLowerCase() === address.subscriptionId.toLowerCase()
    ? armErrors.storageAccountInAnotherResourceGroup(name)
    : armErrors.storageAccountAlreadyTaken(name);
}

const addressOf = (request: ArmRequest): ResourceAddress =>
  routeAddress(request, "Microsoft.Storage", ["storageAccounts"], [request.params.accountName ?? ""]);

const existingAccount = (request: ArmRequest): ArmResourceRecord =>
  existingResource(request, addressOf(request));

async function createOrUpdate(request: ArmRequest): Promise<Reply> {
  request.authorize(`${STORAGE_ACCOUNT_TYPE}/write`, requestScope(request));
  const group = groupForWrite(request);
  const address = addressOf(request);
  const invalid = validateStorageAccount(request.world, address, request.body);
  if (invalid) throw invalid;
  const input = parseArmBody(createSchema, request.body);
  const id = resourceIdOf(address);
  const existing = request.world.getResource(id);
  const location = normalizeLocation(input.location);
  checkLocationUnchanged(existing, location);
  const name = address.names[0] ?? "";
  const keysOfAccounts = keysNamespace(request.world).accounts;
  const keys = (existing && keysOfAccounts[id.toLowerCase()]) || { key1: newKey(), key2: newKey() };
  keysOfAccounts[id.toLowerCase()] = keys;
  const now = new Date().toISOString();
  const identity =
    input.identity === undefined
      ? existing?.identity
      : resolveIdentity(request.world, id, input.identity, existing);
  const record: ArmResourceRecord = {
    id: existing?.id ?? id,
    subscriptionId: group.subscriptionId,
    resourceGroup: group.name,
    type: STORAGE_ACCOUNT_TYPE,
    name: existing?.name ?? name,
    location,
    tags: input.tags ?? existing?.tags ?? {},
    sku: skuOf(input.sku.name),
    kind: input.kind,
    ...(identity !== undefined ? { identity } : {}),
    properties: accountProperties(
      name,
      location,
      input.kind,
      input.sku.name,
      input.properties ?? {},
      existing,
      keys,
    ),
    createdTime: existing?.createdTime ?? now,
    changedTime: now,
  };

  // An update of an existing account answers at once; a new account is created asynchronously (202 + Location).
  if (existing) return replyWithSaved(request, record, 200);
  request.world.putResource({
    ...record,
    properties: { ...record.properties, provisioningState: "Creating" },
  });
  await request.world.commit();
  const accepted = await request.operations.startAccepted(
    {
      subscriptionId: group.subscriptionId,
      providerNamespace: "Microsoft.Storage",
      location,
      realisticDurationMs: 3000,
      run: async () => {
        // The group (and the account with it) may have been deleted while the account was being created.
        if (!request.world.getResource(id))
          return { error: resourceNotFound(address).toDetail(), errorStatus: 404 };
        request.world.putResource(record);
        await request.world.commit();
        return { result: resourceBody(record) };
      },
    },
    request,
  );
  // The storage RP's 202 has an empty text/plain body (recorded: azure-sdk-assets arm-storage create).
  return { ...accepted, body: "" };
}

async function update(request: ArmRequest): Promise<Reply> {
  request.authorize(`${STORAGE_ACCOUNT_TYPE}/write`, requestScope(request));
  const existing = existingAccount(request);
  const input = parseArmBody(updateSchema, request.body);
  const sku = input.sku?.name ?? String(existing.sku?.name ?? "Standard_LRS");
  if (!SKU_NAMES.includes(sku)) throw armErrors.invalidStorageAccountType(sku);
  const kind = input.kind ?? existing.kind ?? "StorageV2";
  const keys = keysNamespace(request.world).accounts[existing.id.toLowerCase()] ?? {
    key1: newKey(),
    key2: newKey(),
  };
  const identity =
    input.identity === undefined
      ? existing.identity
      : resolveIdentity(request.world, existing.id, input.identity, existing);
  const record: ArmResourceRecord = {
    ...existing,
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
    sku: skuOf(sku),
    kind,
    ...(identity !== undefined ? { identity } : {}),
    properties: accountProperties(
      existing.name,
      existing.location ?? "",
      kind,
      sku,
      input.properties ?? {},
      existing,
      keys,
    ),
    changedTime: new Date().toISOString(),
  };
  return replyWithSaved(request, record, 200);
}

function remove(request: ArmRequest): Promise<Reply> {
  request.authorize(`${STORAGE_ACCOUNT_TYPE}/delete`, requestScope(request));
  const id = resourceIdOf(addressOf(request));
  return replyToDelete(request, id, () => {
    delete keysNamespace(request.world).accounts[id.toLowerCase()];
  });
}

function listReply(request: ArmRequest, accounts: ArmResourceRecord[]): Reply {
  const value = accounts
    .filter((account) => request.can(`${STORAGE_ACCOUNT_TYPE}/read`, account.id))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(resourceBody);
  return { status: 200, body: pageOf(value, request) };
}

const regenerateKeySchema = z.looseObject({
  keyName: z.string().regex(/^key[12]$/i, "keyName must be key1 or key2"),
});
const checkNameSchema = z.looseObject({
  name: z.string({ error: "name is required" }),
  type: z.string().optional(),
});

export const storageAccountsProvider: ArmProvider = {
  name: STORAGE_ACCOUNT_TYPE,
  namespaces: [STORAGE_ACCOUNT_KEYS],
  routes: [
    { method: "PUT", path: ACCOUNT_PATH, handler: createOrUpdate },
    { method: "PATCH", path: ACCOUNT_PATH, handler: update },
    { method: "DELETE", path: ACCOUNT_PATH, handler: remove },
    {
      method: "GET",
      path: ACCOUNT_PATH,
      handler: (request) => {
        request.authorize(`${STORAGE_ACCOUNT_TYPE}/read`, requestScope(request));
        return { status: 200, body: resourceBody(existingAccount(request)) };
      },
    },
    {
      method: "POST",
      path: `${ACCOUNT_PATH}/listKeys`,
      handler: (request) => {
        request.authorize(`${STORAGE_ACCOUNT_TYPE}/listkeys/action`, requestScope(request));
        const account = existingAccount(request);
        return { status: 200, body: storageAccountKeys(request.world, account.id) ?? { keys: [] } };
      },
    },
    {
      method: "POST",
      path: `${ACCOUNT_PATH}/regenerateKey`,
      handler: async (request) => {
        request.authorize(`${STORAGE_ACCOUNT_TYPE}/regeneratekey/action`, requestScope(request));
        const account = existingAccount(request);
        const { keyName } = parseArmBody(regenerateKeySchema, request.body);
        const keysOfAccounts = keysNamespace(request.world).accounts;
        const stored = keysOfAccounts[account.id.toLowerCase()] ?? { key1: newKey(), key2: newKey() };
        keysOfAccounts[account.id.toLowerCase()] = stored;
        stored[keyName.toLowerCase() as "key1" | "key2"] = newKey();
        account.properties = {
          ...account.properties,
          keyCreationTime: { key1: stored.key1.creationTime, key2: stored.key2.creationTime },
        };
        request.world.putResource(account);
        await request.world.commit();
        return { status: 200, body: storageAccountKeys(request.world, account.id) };
      },
    },
    {
      method: "GET",
      path: "/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.Storage/storageAccounts",
      handler: (request) => {
        request.authorize(`${STORAGE_ACCOUNT_TYPE}/read`, requestScope(request));
        const group = existingGroup(request);
        return listReply(
          request,
          request.world.listResources({
            subscriptionId: group.subscriptionId,
            resourceGroup: group.name,
            type: STORAGE_ACCOUNT_TYPE,
          }),
        );
      },
    },
    {
      method: "GET",
      path: "/subscriptions/:subscriptionId/providers/Microsoft.Storage/storageAccounts",
      handler: (request) => {
        const subscriptionId = request.params.subscriptionId ?? "";
        return listReply(
          request,
          readableInSubscription(
            request,
            `${STORAGE_ACCOUNT_TYPE}/read`,
            request.world.listResources({ subscriptionId, type: STORAGE_ACCOUNT_TYPE }),
            (account) => account.id,
          ),
        );
      },
    },
    {
      method: "POST",
      path: "/subscriptions/:subscriptionId/providers/Microsoft.Storage/checkNameAvailability",
      handler: (request) => {
        request.authorize(
          "Microsoft.Storage/checknameavailability/read",
          `/subscriptions/${request.params.subscriptionId}`,
        );
        const { name } = parseArmBody(checkNameSchema, request.body);
        if (!ACCOUNT_NAME.test(name)) {
          const invalid = armErrors.storageAccountNameInvalid(name);
          return {
            status: 200,
            body: { nameAvailable: false, reason: "AccountNameInvalid", message: invalid.message },
          };
        }
        const taken = request.world
          .listResources({ type: STORAGE_ACCOUNT_TYPE })
          .some((account) => account.name.toLowerCase() === name);
        if (!taken) return { status: 200, body: { nameAvailable: true } };
        return {
          status: 200,
          body: {
            nameAvailable: false,
            reason: "AlreadyExists",
            message: armErrors.storageAccountAlreadyTaken(name).message,
          },
        };
      },
    },
  ],
};
