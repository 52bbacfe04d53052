// Key Vault's own part of the world, typed: each vault's secrets, versions and soft-deleted secrets (the "keyvault"
// namespace) and the key its backups are sealed with ("keyvault-backup-key"), kept through the world so `--state`
// persists them and the admin endpoint shows them with values redacted. The schemas below are the one place their
// stored shape is checked. The scenario seeds `vaults[name].secrets`; this module turns those into versioned secrets
// the first time it sees the vault.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { NamespaceDefinition, WorldState } from "../state/world-state.ts";
import type { VaultProfile } from "./vaults.ts";

const secretVersionSchema = z.object({
  /** 32 lowercase hex characters, as Key Vault's versions are. */
  version: z.string(),
  value: z.string(),
  contentType: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  enabled: z.boolean(),
  /** Unix seconds, as on the wire. */
  nbf: z.number().optional(),
  exp: z.number().optional(),
  created: z.number(),
  updated: z.number(),
});

const secretSchema = z.object({
  /** The name as first set; lookups ignore case, as Key Vault's do. */
  name: z.string(),
  /** Oldest first: the last one is the "latest" version. */
  versions: z.array(secretVersionSchema),
});

const deletedSecretSchema = secretSchema.extend({ deletedDate: z.number(), scheduledPurgeDate: z.number() });

/** A secret as the scenario seeds it (state/scenario-schema.ts `keyVaults[].secrets`): one version's fields, named. */
const seededSecretSchema = secretVersionSchema
  .pick({ value: true, contentType: true, tags: true, enabled: true })
  .extend({ name: z.string() });

const vaultSecretsSchema = z.object({
  /** As the scenario seeded them; moved into `active` on first use. */
  secrets: z.array(seededSecretSchema).optional(),
  /** The vault resource these secrets belong to (its ARM createdTime). */
  vaultCreatedTime: z.string().optional(),
  active: z.record(z.string(), secretSchema).optional(),
  deleted: z.record(z.string(), deletedSecretSchema).optional(),
});

export type SecretVersionRecord = z.infer<typeof secretVersionSchema>;
export type SecretRecord = z.infer<typeof secretSchema>;
export type DeletedSecretRecord = z.infer<typeof deletedSecretSchema>;
type VaultSecretsState = z.infer<typeof vaultSecretsSchema>;

/** Vault secrets by lowercase vault name. */
const KEY_VAULT_SECRETS: NamespaceDefinition<{ vaults: Record<string, VaultSecretsState> }> = {
  name: "keyvault",
  schema: z.object({ vaults: z.record(z.string(), vaultSecretsSchema).default({}) }),
  initial: () => ({ vaults: {} }),
};

/** Kept as `value` so the admin endpoint redacts it like secret values and account keys. */
const BACKUP_KEY: NamespaceDefinition<{ value?: string }> = {
  name: "keyvault-backup-key",
  schema: z.object({ value: z.string().optional() }),
  initial: () => ({}),
};

/** Key Vault's typed state; a state file's is checked when it is opened. */
export const KEY_VAULT_NAMESPACES: readonly NamespaceDefinition<unknown>[] = [KEY_VAULT_SECRETS, BACKUP_KEY];

/** The world's key for sealing secret backups (32 bytes), made on first use and kept (persisted) with the world. */
export function backupKeyOf(world: WorldState): Buffer {
  const stored = world.namespace(BACKUP_KEY);
  stored.value ??= randomBytes(32).toString("base64");
  return Buffer.from(stored.value, "base64");
}

/** A secret inside a backup blob, checked as strictly as a stored one. */
export function secretRecordOf(value: unknown): SecretRecord | undefined {
  const checked = secretSchema.safeParse(value);
  return checked.success ? checked.data : undefined;
}

export interface SecretAttributesInput {
  enabled?: boolean;
  nbf?: number;
  exp?: number;
}

export interface SetSecretInput {
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  attributes?: SecretAttributesInput;
}

export interface UpdateSecretInput {
  contentType?: string;
  tags?: Record<string, string>;
  attributes?: SecretAttributesInput;
}

const nowInSeconds = () => Math.floor(Date.now() / 1000);

const keyOf = (name: string) => name.toLowerCase();

/** The records sorted by their (lowercase) key, compared by code unit as the `$skiptoken` markers are. */
function byKey<T>(records: Record<string, T>): T[] {
  return Object.entries(records)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, record]) => record);
}

/** The secrets of one vault. Mutations change the world's namespace; the caller commits the world afterwards. */
export class VaultSecrets {
  readonly #state: Required<Pick<VaultSecretsState, "active" | "deleted">>;
  readonly #vault: VaultProfile;

  constructor(state: Required<Pick<VaultSecretsState, "active" | "deleted">>, vault: VaultProfile) {
    this.#state = state;
    this.#vault = vault;
  }

  find(name: string): SecretRecord | undefined {
    return this.#state.active[keyOf(name)];
  }

  findDeleted(name: string): DeletedSecretRecord | undefined {
    return this.#state.deleted[keyOf(name)];
  }

  /** Active secrets sorted by name (case-insensitive), the order the list pages follow. */
  list(): SecretRecord[] {
    return byKey(this.#state.active);
  }

  /** Deleted secrets, in the same order. */
  listDeleted(): DeletedSecretRecord[] {
    return byKey(this.#state.deleted);
  }

  /** Adds a new version (creating the secret on first set) and returns it. */
  set(name: string, input: SetSecretInput): { secret: SecretRecord; version: SecretVersionRecord } {
    const now = nowInSeconds();
    const version: SecretVersionRecord = {
      version: randomBytes(16).toString("hex"),
      value: input.value,
      ...(input.contentType !== undefined ? { contentType: input.contentType } : {}),
      ...(input.tags !== undefined ? { tags: { ...input.tags } } : {}),
      enabled: input.attributes?.enabled ?? true,
      ...(input.attributes?.nbf !== undefined ? { nbf: input.attributes.nbf } : {}),
      ...(input.attributes?.exp !== undefined ? { exp: input.attributes.exp } : {}),
      created: now,
      updated: now,
    };
    const key = keyOf(name);
    const secret = this.#state.active[key] ?? { name, versions: [] };
    secret.versions.push(version);
    this.#state.active[key] = secret;
    return { secret, version };
  }

  /** Adds a secret, all its versions, as a restored backup brings it back. */
  restore(secret: SecretRecord): SecretRecord {
    const restored = structuredClone(secret);
    this.#state.active[keyOf(secret.name)] = restored;
    return restored;
  }

  /** Changes a version's attributes, content type and tags (never its value). */
  update(version: SecretVersionRecord, input: UpdateSecretInput): void {
    if (input.contentType !== undefined) version.contentType = input.contentType;
    if (input.tags !== undefined) version.tags = { ...input.tags };
    const attributes = input.attributes ?? {};
    if (attributes.enabled !== undefined) version.enabled = attributes.enabled;
    if (attributes.nbf !== undefined) version.nbf = attributes.nbf;
    if (attributes.exp !== undefined) version.exp = attributes.exp;
    version.updated = nowInSeconds();
  }

  /** Deletes every version: into deleted secrets with soft delete, gone for good without it. */
  delete(secret: SecretRecord): DeletedSecretRecord {
    const now = nowInSeconds();
    delete this.#state.active[keyOf(secret.name)];
    const deleted: DeletedSecretRecord = {
      ...secret,
      deletedDate: now,
      scheduledPurgeDate: now + this.#vault.retentionDays * 86_400,
    };
    if (this.#vault.softDelete) this.#state.deleted[keyOf(secret.name)] = deleted;
    return deleted;
  }

  recover(deleted: DeletedSecretRecord): SecretRecord {
    delete this.#state.deleted[keyOf(deleted.name)];
    const secret: SecretRecord = { name: deleted.name, versions: deleted.versions };
    this.#state.active[keyOf(deleted.name)] = secret;
    return secret;
  }

  purge(deleted: DeletedSecretRecord): void {
    delete this.#state.deleted[keyOf(deleted.name)];
  }

  /** Key Vault purges deleted secrets itself once their scheduled purge date has passed. */
  purgeExpired(now = nowInSeconds()): boolean {
    let purged = false;
    for (const [key, deleted] of Object.entries(this.#state.deleted)) {
      if (deleted.scheduledPurgeDate <= now) {
        delete this.#state.deleted[key];
        purged = true;
      }
    }
    return purged;
  }
}

/**
 * The secrets of `vault`, from Key Vault's part of the world. Moves scenario-seeded secrets into versioned ones on first use
 * (created at the vault's creation time), and starts a vault created again under an old name empty.
 * `changed` tells the caller to commit the world.
 */
export function secretsOf(
  world: WorldState,
  vault: VaultProfile,
): { secrets: VaultSecrets; changed: boolean } {
  const namespace = world.namespace(KEY_VAULT_SECRETS);
  const key = vault.name.toLowerCase();
  let changed = false;
  let state = namespace.vaults[key];
  if (state?.vaultCreatedTime !== undefined && state.vaultCreatedTime !== vault.createdTime) {
    state = undefined;
  }
  if (!state) {
    state = {};
    namespace.vaults[key] = state;
    changed = true;
  }
  if (state.vaultCreatedTime === undefined) {
    state.vaultCreatedTime = vault.createdTime;
    changed = true;
  }
  state.active ??= {};
  state.deleted ??= {};
  if (state.secrets) {
    const created = Math.floor(Date.parse(vault.createdTime) / 1000) || nowInSeconds();
    for (const seeded of state.secrets) {
      state.active[keyOf(seeded.name)] = {
        name: seeded.name,
        versions: [
          {
            version: randomBytes(16).toString("hex"),
            value: seeded.value,
            ...(seeded.contentType !== undefined ? { contentType: seeded.contentType } : {}),
            ...(seeded.tags !== undefined ? { tags: { ...seeded.tags } } : {}),
            enabled: seeded.enabled,
            created,
            updated: created,
          },
        ],
      };
    }
    delete state.secrets;
    changed = true;
  }
  const secrets = new VaultSecrets({ active: state.active, deleted: state.deleted }, vault);
  if (secrets.purgeExpired()) changed = true;
  return { secrets, changed };
}
