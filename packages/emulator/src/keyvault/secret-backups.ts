// Backup and restore of a secret (POST /secrets/{name}/backup, POST /secrets/restore): the backup is an opaque blob
// holding every version of the secret, encrypted so that only this emulator's world can restore it, as Key Vault's
// blobs restore only within the same subscription and geography (REST reference: Backup Secret, Restore Secret;
// answers and the malformed-blob error as recorded in azure-sdk-assets keyvault-secrets recordings).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { WorldState } from "../state/world-state.ts";
import { keyVaultErrors } from "./keyvault-errors.ts";
import { backupKeyOf, type SecretRecord, secretRecordOf } from "./keyvault-store.ts";

const MAGIC = Buffer.from("msi-emulator-secret-backup-1");
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The blob Key Vault's backup answers with `{ value }`: base64url, as the SDK passes it back to restore. */
export function backupBlobOf(world: WorldState, secret: SecretRecord): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", backupKeyOf(world), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(secret), "utf8"), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), sealed]).toString("base64url");
}

/** The secret inside a blob this world made; 400 "Malformed backup blob" for anything else. */
export function secretOfBackupBlob(world: WorldState, blob: unknown): SecretRecord {
  if (typeof blob !== "string") throw keyVaultErrors.malformedBackup();
  const bytes = Buffer.from(blob, "base64url");
  if (bytes.length <= MAGIC.length + IV_BYTES + TAG_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    throw keyVaultErrors.malformedBackup();
  const iv = bytes.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const tag = bytes.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", backupKeyOf(world), iv);
    decipher.setAuthTag(tag);
    const text = Buffer.concat([
      decipher.update(bytes.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
    const secret = secretRecordOf(JSON.parse(text));
    if (!secret || secret.versions.length === 0) throw new Error("not a secret");
    return secret;
  } catch {
    throw keyVaultErrors.malformedBackup();
  }
}
