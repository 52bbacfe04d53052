// Microsoft.KeyVault/vaults on the ARM side (the resource the Key Vault data plane in ../keyvault/ serves while it
// exists): create or update, get, update, delete, with Key Vault's name rules and global name uniqueness; and
// Microsoft.KeyVault/vaults/secrets, whose value goes to the data plane and never comes back through ARM.
// Shapes: azure-rest-api-specs specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/
// (keyvault.json Vaults_CreateOrUpdate, examples/createVault.json; secrets.json Secrets_CreateOrUpdate).
// Deleting a vault soft-deletes it (./deleted-vaults.ts): the name stays taken until it is purged or recovered.
import { z } from "zod";
import type { Reply } from "../http/reply.ts";
import { VAULT_RESOURCE_TYPE, vaultUrl } from "../identifiers.ts";
import { secretsOf } from "../keyvault/keyvault-store.ts";
import { secretId } from "../keyvault/secrets.ts";
import { findVault } from "../keyvault/vaults.ts";
import { type ArmResourceRecord, normalizeLocation, type WorldState } from "../state/world-state.ts";
import { type ArmError, armErrors } from "./arm-errors.ts";
import { type ArmProvider, type ArmRequest, parseArmBody } from "./arm-request.ts";
import { isVaultNameSoftDeleted, softDeleteVault, takeDeletedVault } from "./deleted-vaults.ts";
import {
  checkLocationUnchanged,
  groupForWrite,
  type ResourceAddress,
  requestScope,
  resourceBody,
  resourceIdOf,
} from "./resource-envelope.ts";
import {
  existingResource,
  replyToDelete,
  replyToHead,
  replyWithSaved,
  routeAddress,
} from "./resource-requests.ts";
import { withSystemData } from "./system-data.ts";

const SECRET_TYPE = "Microsoft.KeyVault/vaults/secrets";
const VAULT_PATH =
  "/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.KeyVault/vaults/:vaultName";
const SECRET_PATH = `${VAULT_PATH}/secrets/:secretName`;
/** 3-24 letters, digits and hyphens; starts with a letter, ends with a letter or digit, no "--" (resource-name-rules). */
const VAULT_NAME = /^(?=.{3,24}$)[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/;
/** From api-version 2026-02-01 a new vault uses Azure RBAC unless told otherwise (Key Vault "default access control"). */
const RBAC_DEFAULT_FROM = "2026-02-01";
/** In realistic mode a new vault spends this long in RegisteringDns, as a real one does for a few seconds. */
const DNS_REGISTRATION_MS = 2000;

const vaultSchema = z.looseObject({
  location: z.string({ error: "location is required" }),
  tags: z.record(z.string(), z.string()).optional(),
  properties: z.looseObject({
    tenantId: z.guid({ error: "properties.tenantId must be a GUID" }),
    sku: z.looseObject({ family: z.string(), name: z.enum(["standard", "premium"]) }),
    accessPolicies: z.array(z.looseObject({ objectId: z.string(), tenantId: z.string() })).optional(),
    enableRbacAuthorization: z.boolean().optional(),
    enableSoftDelete: z.boolean().optional(),
    softDeleteRetentionInDays: z.int().min(7).max(90).optional(),
  }),
});
const vaultPatchSchema = z.looseObject({
  tags: z.record(z.string(), z.string()).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
const secretSchema = z.looseObject({
  tags: z.record(z.string(), z.string()).optional(),
  properties: z.looseObject({
    value: z.string({ error: "properties.value is required" }),
    contentType: z.string().optional(),
    attributes: z
      .looseObject({ enabled: z.boolean().optional(), nbf: z.int().optional(), exp: z.int().optional() })
      .optional(),
  }),
});

const vaultAddress = (request: ArmRequest): ResourceAddress =>
  routeAddress(request, "Microsoft.KeyVault", ["vaults"], [request.params.vaultName ?? ""]);

/** A vault done registering its DNS name says so at the next read. */
function withDnsRegistrationDone(world: WorldState, record: ArmResourceRecord): ArmResourceRecord {
  const readyAt = Number(record.extra?.dnsReadyAt ?? 0);
  if (record.properties.provisioningState !== "RegisteringDns" || Date.now() < readyAt) return record;
  const { dnsReadyAt: _done, ...extra } = record.extra ?? {};
  const ready = { ...record, properties: { ...record.properties, provisioningState: "Succeeded" }, extra };
  world.putResource(ready);
  return ready;
}

function existingVault(request: ArmRequest): ArmResourceRecord {
  return withDnsRegistrationDone(request.world, existingResource(request, vaultAddress(request)));
}

/**
 * Key Vault's own checks of a vault write: name rules and global uniqueness. Template deployments run these in
 * preflight.
 */
export function validateVault(
  world: WorldState,
  address: ResourceAddress,
  createMode?: unknown,
): ArmError | undefined {
  const name = address.names[0] ?? "";
  if (!VAULT_NAME.test(name)) return armErrors.vaultNameNotValid(name);
  if (createMode !== "recover" && isVaultNameSoftDeleted(world, name))
    return armErrors.vaultExistsInDeletedState();
  const id = resourceIdOf(address).toLowerCase();
  const taken = world
    .listResources({ type: VAULT_RESOURCE_TYPE })
    .some((vault) => vault.name.toLowerCase() === name.toLowerCase() && vault.id.toLowerCase() !== id);
  return taken ? armErrors.vaultAlreadyExists(name) : undefined;
}

async function createOrUpdateVault(request: ArmRequest): Promise<Reply> {
  request.authorize(`${VAULT_RESOURCE_TYPE}/write`, requestScope(request));
  const group = groupForWrite(request);
  const address = vaultAddress(request);
  const createMode = (request.body as { properties?: { createMode?: unknown } } | undefined)?.properties
    ?.createMode;
  const invalid = validateVault(request.world, address, createMode);
  if (invalid) throw invalid;
  const id = resourceIdOf(address);
  if (createMode === "recover") return recoverVault(request, id, group.name);
  const input = parseArmBody(vaultSchema, request.body);
  delete input.properties.createMode;
  const existing = request.world.getResource(id);
  const location = normalizeLocation(input.location);
  checkLocationUnchanged(existing, location);
  const name = existing?.name ?? address.names[0] ?? "";
  const now = new Date().toISOString();
  const registering = !existing && request.latency === "realistic";
  const record: ArmResourceRecord = {
    id: existing?.id ?? id,
    subscriptionId: group.subscriptionId,
    resourceGroup: group.name,
    type: VAULT_RESOURCE_TYPE,
    name,
    location,
    tags: input.tags ?? {},
    properties: {
      accessPolicies: [],
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enableRbacAuthorization: request.apiVersion >= RBAC_DEFAULT_FROM,
      publicNetworkAccess: "Enabled",
      ...(existing?.properties ?? {}),
      ...input.properties,
      vaultUri: `${vaultUrl(name)}/`,
      provisioningState: registering ? "RegisteringDns" : "Succeeded",
    },
    // A vault created again under an old name is a new vault (the data plane starts it empty).
    createdTime: existing?.createdTime ?? now,
    changedTime: now,
    extra: {
      ...withSystemData(request, existing, now),
      ...(registering ? { dnsReadyAt: Date.now() + DNS_REGISTRATION_MS } : {}),
    },
  };
  // Vaults_CreateOrUpdate answers 200 with the vault, for a new vault too (recorded: azure-sdk-assets
  // js/sdk/keyvault/arm-keyvault recording_vaults_create_test); while it registers DNS the SDK polls the vault itself.
  const reply = await replyWithSaved(request, record, 200);
  return registering ? { ...reply, headers: { "retry-after": "1" } } : reply;
}

async function updateVault(request: ArmRequest): Promise<Reply> {
  request.authorize(`${VAULT_RESOURCE_TYPE}/write`, requestScope(request));
  const existing = existingVault(request);
  const input = parseArmBody(vaultPatchSchema, request.body);
  const now = new Date().toISOString();
  const record: ArmResourceRecord = {
    ...existing,
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
    properties: {
      ...existing.properties,
      ...(input.properties ?? {}),
      vaultUri: existing.properties.vaultUri,
    },
    changedTime: now,
    extra: { ...existing.extra, ...withSystemData(request, existing, now) },
  };
  return replyWithSaved(request, record, 200);
}

/**
 * `createMode: recover` brings a soft-deleted vault back as it was (its secrets too), in the group the request names;
 * the rest of the body is ignored, as Key Vault does (keyvault.json VaultCreateOrUpdateParameters, createMode).
 */
async function recoverVault(request: ArmRequest, id: string, resourceGroup: string): Promise<Reply> {
  const vaultName = request.params.vaultName ?? "";
  if (request.world.getResource(id)) throw armErrors.softDeletedVaultDoesNotExist();
  const vault = takeDeletedVault(request.world, request.params.subscriptionId ?? "", vaultName);
  const record: ArmResourceRecord = {
    ...vault,
    id,
    resourceGroup,
    properties: { ...vault.properties, provisioningState: "Succeeded" },
    changedTime: new Date().toISOString(),
  };
  return replyWithSaved(request, record, 200);
}

function deleteVault(request: ArmRequest): Promise<Reply> {
  request.authorize(`${VAULT_RESOURCE_TYPE}/delete`, requestScope(request));
  // The data plane stops serving <name>.vault.azure.net as soon as the resource is gone; ARM keeps it soft-deleted.
  const id = resourceIdOf(vaultAddress(request));
  const vault = request.world.getResource(id);
  return replyToDelete(request, id, () => {
    if (vault) softDeleteVault(request.world, vault);
  });
}

function secretAddress(request: ArmRequest): ResourceAddress {
  const vault = vaultAddress(request);
  return {
    ...vault,
    types: ["vaults", "secrets"],
    names: [...vault.names, request.params.secretName ?? ""],
  };
}

/** Secrets_CreateOrUpdate: a new version in the data plane; ARM keeps the envelope and never returns the value. */
async function putSecret(request: ArmRequest): Promise<Reply> {
  request.authorize(`${SECRET_TYPE}/write`, requestScope(request));
  groupForWrite(request);
  const vaultName = request.params.vaultName ?? "";
  const vaultRecord = request.world.getResource(resourceIdOf(vaultAddress(request)));
  if (!vaultRecord) throw armErrors.parentResourceNotFound(vaultName);
  const input = parseArmBody(secretSchema, request.body);
  const vault = findVault(request.world, `${vaultRecord.name}.vault.azure.net`);
  if (!vault) throw armErrors.parentResourceNotFound(vaultName);
  const secretName = request.params.secretName ?? "";
  const { secrets } = secretsOf(request.world, vault);
  const attributes = input.properties.attributes;
  const { version } = secrets.set(secretName, {
    value: input.properties.value,
    ...(input.properties.contentType !== undefined ? { contentType: input.properties.contentType } : {}),
    ...(attributes
      ? {
          attributes: {
            ...(attributes.enabled !== undefined ? { enabled: attributes.enabled } : {}),
            ...(attributes.nbf !== undefined ? { nbf: attributes.nbf } : {}),
            ...(attributes.exp !== undefined ? { exp: attributes.exp } : {}),
          },
        }
      : {}),
  });
  const id = resourceIdOf(secretAddress(request));
  const existing = request.world.getResource(id);
  const now = new Date().toISOString();
  const record: ArmResourceRecord = {
    id: existing?.id ?? id,
    subscriptionId: vaultRecord.subscriptionId,
    resourceGroup: vaultRecord.resourceGroup,
    type: SECRET_TYPE,
    name: existing?.name ?? `${vaultRecord.name}/${secretName}`,
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
    properties: {
      attributes: {
        enabled: version.enabled,
        ...(version.nbf !== undefined ? { nbf: version.nbf } : {}),
        ...(version.exp !== undefined ? { exp: version.exp } : {}),
        created: version.created,
        updated: version.updated,
      },
      ...(version.contentType !== undefined ? { contentType: version.contentType } : {}),
      secretUri: secretId(vault, secretName),
      secretUriWithVersion: secretId(vault, secretName, version.version),
    },
    createdTime: existing?.createdTime ?? now,
    changedTime: now,
  };
  return replyWithSaved(request, record, existing ? 200 : 201);
}

export const keyVaultsProvider: ArmProvider = {
  name: VAULT_RESOURCE_TYPE,
  routes: [
    { method: "PUT", path: VAULT_PATH, handler: createOrUpdateVault },
    { method: "PATCH", path: VAULT_PATH, handler: updateVault },
    { method: "DELETE", path: VAULT_PATH, handler: deleteVault },
    {
      method: "GET",
      path: VAULT_PATH,
      handler: (request) => {
        request.authorize(`${VAULT_RESOURCE_TYPE}/read`, requestScope(request));
        return { status: 200, body: resourceBody(existingVault(request)) };
      },
    },
    {
      method: "HEAD",
      path: VAULT_PATH,
      handler: (request) => {
        request.authorize(`${VAULT_RESOURCE_TYPE}/read`, requestScope(request));
        return replyToHead(request, resourceIdOf(vaultAddress(request)));
      },
    },
    { method: "PUT", path: SECRET_PATH, handler: putSecret },
    {
      method: "GET",
      path: SECRET_PATH,
      handler: (request) => {
        request.authorize(`${SECRET_TYPE}/read`, requestScope(request));
        return { status: 200, body: resourceBody(existingResource(request, secretAddress(request))) };
      },
    },
  ],
};
