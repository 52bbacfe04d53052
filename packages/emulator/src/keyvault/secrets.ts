// The /secrets resource of the Key Vault data plane: set, get (latest or by version), update, delete, list and list
// versions, with the bodies Key Vault answers. Source: azure-rest-api-specs specification/keyvault/data-plane
// (SecretBundle, SecretItem, DeletedSecretBundle, SecretAttributes) and azure-sdk-for-js keyvault-secrets recordings.
import { z } from "zod";
import { keyVaultErrors } from "./keyvault-errors.ts";
import type { DeletedSecretRecord, SecretRecord, SecretVersionRecord } from "./keyvault-store.ts";
import { backupBlobOf, secretOfBackupBlob } from "./secret-backups.ts";
import { type KeyVaultRequest, type KeyVaultRoute, pageOf, parseVaultBody } from "./vault-request.ts";
import type { VaultProfile } from "./vaults.ts";

const restoreBody = z.object({ value: z.string({ error: "value is required" }) });

const SECRETS_DATA_ACTION = "Microsoft.KeyVault/vaults/secrets";

/** Data actions and access-policy permissions per operation (Key Vault RBAC guide, REST reference). */
export const SECRET_PERMISSIONS = {
  get: { dataAction: `${SECRETS_DATA_ACTION}/getSecret/action`, accessPolicy: "get" },
  list: { dataAction: `${SECRETS_DATA_ACTION}/readMetadata/action`, accessPolicy: "list" },
  set: { dataAction: `${SECRETS_DATA_ACTION}/setSecret/action`, accessPolicy: "set" },
  update: { dataAction: `${SECRETS_DATA_ACTION}/update/action`, accessPolicy: "set" },
  delete: { dataAction: `${SECRETS_DATA_ACTION}/delete`, accessPolicy: "delete" },
  recover: { dataAction: `${SECRETS_DATA_ACTION}/recover/action`, accessPolicy: "recover" },
  purge: { dataAction: `${SECRETS_DATA_ACTION}/purge/action`, accessPolicy: "purge" },
  backup: { dataAction: `${SECRETS_DATA_ACTION}/backup/action`, accessPolicy: "backup" },
  restore: { dataAction: `${SECRETS_DATA_ACTION}/restore/action`, accessPolicy: "restore" },
} as const satisfies Record<string, KeyVaultRoute["permission"]>;

/** Key Vault's DeletionRecoveryLevel for a vault's settings ("Customized…" when retention is under 90 days). */
function recoveryLevelOf(vault: VaultProfile): string {
  if (!vault.softDelete) return "Purgeable";
  const level = vault.retentionDays < 90 ? "CustomizedRecoverable" : "Recoverable";
  return vault.purgeProtection ? level : `${level}+Purgeable`;
}

export function attributesOf(version: SecretVersionRecord, vault: VaultProfile): Record<string, unknown> {
  return {
    enabled: version.enabled,
    ...(version.nbf !== undefined ? { nbf: version.nbf } : {}),
    ...(version.exp !== undefined ? { exp: version.exp } : {}),
    created: version.created,
    updated: version.updated,
    recoveryLevel: recoveryLevelOf(vault),
    ...(vault.softDelete ? { recoverableDays: vault.retentionDays } : {}),
  };
}

/** `https://{vault}.vault.azure.net/secrets/{name}[/{version}]`: the SDK parses name, version and vault URL from it. */
export function secretId(vault: VaultProfile, name: string, version?: string): string {
  return `${vault.url}/secrets/${name}${version ? `/${version}` : ""}`;
}

/** A SecretBundle; `withValue` false for the answers that carry no value (update, recover). */
export function secretBundle(
  vault: VaultProfile,
  secret: SecretRecord,
  version: SecretVersionRecord,
  withValue: boolean,
): Record<string, unknown> {
  return {
    ...(withValue ? { value: version.value } : {}),
    ...(version.contentType !== undefined ? { contentType: version.contentType } : {}),
    id: secretId(vault, secret.name, version.version),
    attributes: attributesOf(version, vault),
    ...(version.tags !== undefined ? { tags: version.tags } : {}),
  };
}

/** Where a deleted secret can be recovered from, and when it was deleted and will be purged. */
export function deletionOf(vault: VaultProfile, deleted: DeletedSecretRecord): Record<string, unknown> {
  return {
    recoveryId: `${vault.url}/deletedsecrets/${deleted.name}`,
    deletedDate: deleted.deletedDate,
    scheduledPurgeDate: deleted.scheduledPurgeDate,
  };
}

/** A DeletedSecretBundle: the latest version's properties plus where and until when it can be recovered. */
export function deletedSecretBundle(
  vault: VaultProfile,
  deleted: DeletedSecretRecord,
): Record<string, unknown> {
  const latest = latestVersion(deleted);
  return {
    ...(vault.softDelete ? deletionOf(vault, deleted) : {}),
    ...(latest.contentType !== undefined ? { contentType: latest.contentType } : {}),
    id: secretId(vault, deleted.name, latest.version),
    attributes: attributesOf(latest, vault),
    ...(latest.tags !== undefined ? { tags: latest.tags } : {}),
  };
}

export function latestVersion(secret: SecretRecord): SecretVersionRecord {
  const latest = secret.versions.at(-1);
  if (!latest) throw new Error(`secret ${secret.name} has no versions`);
  return latest;
}

/** A SecretItem (list entries): no value; the ID has no version in a list of secrets, and has one in a list of versions. */
function secretItem(
  vault: VaultProfile,
  secret: SecretRecord,
  version: SecretVersionRecord,
  withVersion: boolean,
) {
  return {
    id: secretId(vault, secret.name, withVersion ? version.version : undefined),
    attributes: attributesOf(version, vault),
    ...(version.contentType !== undefined ? { contentType: version.contentType } : {}),
    ...(version.tags !== undefined ? { tags: version.tags } : {}),
  };
}

const unixSeconds = z.number().int();
const attributesSchema = z
  .object({ enabled: z.boolean().optional(), nbf: unixSeconds.optional(), exp: unixSeconds.optional() })
  .loose();
const tagsSchema = z.record(z.string(), z.string());

/**
 * Key Vault stores a secret value of at most 25 KB ("Azure Key Vault service limits"); the service counts characters
 * (its message, relayed by the Azure CLI in Azure/azure-cli#5639).
 */
const MAX_SECRET_VALUE_LENGTH = 25_600;

const setSecretBody = z
  .object({
    value: z.string({ error: "the secret value is required" }),
    contentType: z.string().optional(),
    attributes: attributesSchema.optional(),
    tags: tagsSchema.optional(),
  })
  .loose();

const updateSecretBody = z
  .object({
    contentType: z.string().optional(),
    attributes: attributesSchema.optional(),
    tags: tagsSchema.optional(),
  })
  .loose();

function activeSecret(request: KeyVaultRequest): SecretRecord {
  const name = request.params.secretName ?? "";
  const secret = request.secrets.find(name);
  if (!secret) throw keyVaultErrors.secretNotFound(name);
  return secret;
}

/** The version a path names; an empty or missing version means the latest, as Key Vault treats `/secrets/{name}/`. */
function versionOf(request: KeyVaultRequest, secret: SecretRecord): SecretVersionRecord {
  const wanted = (request.params.secretVersion ?? "").toLowerCase();
  if (!wanted) return latestVersion(secret);
  const version = secret.versions.find((v) => v.version === wanted);
  if (!version)
    throw keyVaultErrors.secretNotFound(`${request.params.secretName}/${request.params.secretVersion}`);
  return version;
}

function getSecret(request: KeyVaultRequest) {
  const secret = activeSecret(request);
  const version = versionOf(request, secret);
  if (!version.enabled) throw keyVaultErrors.secretDisabled();
  return { status: 200, body: secretBundle(request.vault, secret, version, true) };
}

async function updateSecret(request: KeyVaultRequest) {
  const input = parseVaultBody(updateSecretBody, request.body);
  const secret = activeSecret(request);
  const version = versionOf(request, secret);
  request.secrets.update(version, input);
  await request.commit();
  return { status: 200, body: secretBundle(request.vault, secret, version, false) };
}

export const secretRoutes: KeyVaultRoute[] = [
  {
    method: "PUT",
    path: "/secrets/:secretName",
    permission: SECRET_PERMISSIONS.set,
    async handler(request) {
      const input = parseVaultBody(setSecretBody, request.body);
      if (input.value.length > MAX_SECRET_VALUE_LENGTH)
        throw keyVaultErrors.secretTooLarge(MAX_SECRET_VALUE_LENGTH);
      const name = request.params.secretName ?? "";
      const deleted = request.secrets.findDeleted(name);
      if (deleted) throw keyVaultErrors.deletedButRecoverable(deleted.name);
      const { secret, version } = request.secrets.set(name, input);
      await request.commit();
      return { status: 200, body: secretBundle(request.vault, secret, version, true) };
    },
  },
  { method: "GET", path: "/secrets/:secretName", permission: SECRET_PERMISSIONS.get, handler: getSecret },
  {
    method: "GET",
    path: "/secrets/:secretName/:secretVersion",
    permission: SECRET_PERMISSIONS.get,
    handler: getSecret,
  },
  {
    method: "PATCH",
    path: "/secrets/:secretName",
    permission: SECRET_PERMISSIONS.update,
    handler: updateSecret,
  },
  {
    method: "PATCH",
    path: "/secrets/:secretName/:secretVersion",
    permission: SECRET_PERMISSIONS.update,
    handler: updateSecret,
  },
  {
    method: "DELETE",
    path: "/secrets/:secretName",
    permission: SECRET_PERMISSIONS.delete,
    async handler(request) {
      const secret = activeSecret(request);
      const deleted = request.secrets.delete(secret);
      await request.commit();
      return { status: 200, body: deletedSecretBundle(request.vault, deleted) };
    },
  },
  {
    method: "POST",
    path: "/secrets/:secretName/backup",
    permission: SECRET_PERMISSIONS.backup,
    handler(request) {
      return { status: 200, body: { value: backupBlobOf(request.world, activeSecret(request)) } };
    },
  },
  {
    method: "POST",
    path: "/secrets/restore",
    permission: SECRET_PERMISSIONS.restore,
    async handler(request) {
      const { value } = parseVaultBody(restoreBody, request.body);
      const backup = secretOfBackupBlob(request.world, value);
      if (request.secrets.findDeleted(backup.name)) throw keyVaultErrors.deletedButRecoverable(backup.name);
      if (request.secrets.find(backup.name)) throw keyVaultErrors.secretAlreadyExists(backup.name);
      const secret = request.secrets.restore(backup);
      await request.commit();
      return { status: 200, body: secretBundle(request.vault, secret, latestVersion(secret), false) };
    },
  },
  {
    method: "GET",
    path: "/secrets",
    permission: SECRET_PERMISSIONS.list,
    handler(request) {
      const page = pageOf(request.secrets.list(), (s) => s.name.toLowerCase(), request);
      return {
        status: 200,
        body: {
          value: page.value.map((s) => secretItem(request.vault, s, latestVersion(s), false)),
          nextLink: page.nextLink,
        },
      };
    },
  },
  {
    method: "GET",
    path: "/secrets/:secretName/versions",
    permission: SECRET_PERMISSIONS.list,
    handler(request) {
      // A secret that does not exist has no versions: an empty list, not a 404 (azure-sdk-for-js
      // "can list secret versions (non existing)").
      const secret = request.secrets.find(request.params.secretName ?? "");
      const versions = secret
        ? [...secret.versions].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
        : [];
      const page = pageOf(versions, (v) => v.version, request);
      return {
        status: 200,
        body: {
          value: secret ? page.value.map((v) => secretItem(request.vault, secret, v, true)) : [],
          nextLink: page.nextLink,
        },
      };
    },
  },
];
