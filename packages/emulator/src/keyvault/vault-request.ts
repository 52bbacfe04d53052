// The contract between the Key Vault service and its REST resource modules (secrets, deleted secrets): what a handler
// receives, how a route declares the permission it needs, and the helpers every resource shares (bodies, paging).

import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import type { Reply } from "../http/reply.ts";
import type { WorldState } from "../state/world-state.ts";
import { keyVaultErrors } from "./keyvault-errors.ts";
import type { VaultSecrets } from "./keyvault-store.ts";
import type { VaultProfile } from "./vaults.ts";

export type KeyVaultMethod = "GET" | "PUT" | "PATCH" | "DELETE" | "POST";

/** Access-policy secret permissions (Microsoft.KeyVault vaults spec, SecretPermissions). */
export type SecretPermission = "get" | "list" | "set" | "delete" | "recover" | "backup" | "restore" | "purge";

/** What an operation needs: an RBAC data action, or the access-policy permission the REST reference names. */
export interface KeyVaultPermission {
  dataAction: string;
  accessPolicy: SecretPermission;
}

export interface KeyVaultRequest {
  method: KeyVaultMethod;
  /** Route parameters, as sent (decoded). `secretName` is already validated. */
  params: Record<string, string>;
  /** Query parameters with names decoded (`api%2Dversion` is `api-version`). */
  query: URLSearchParams;
  apiVersion: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  vault: VaultProfile;
  secrets: VaultSecrets;
  /** `https://{Host}:443`, as Key Vault writes nextLinks (built from the request's Host). */
  nextLinkBase: string;
  path: string;
  /** The world the vault lives in (for what a vault's secrets share with it, such as the backup key). */
  world: WorldState;
  /** Persists the world (with `--state`); call after a change and before answering. */
  commit(): Promise<void>;
}

export interface KeyVaultRoute {
  method: KeyVaultMethod;
  /** find-my-way pattern, matched case-insensitively, e.g. "/secrets/:secretName/:secretVersion". */
  path: string;
  permission: KeyVaultPermission;
  handler: (request: KeyVaultRequest) => Reply | Promise<Reply>;
}

/** Secret (and every Key Vault object) names: 1-127 letters, digits and hyphens (about-keys-secrets-certificates.md). */
export const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** Validates a JSON body with zod; a mismatch is Key Vault's BadParameter naming the field. */
export function parseVaultBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "body";
  throw keyVaultErrors.badParameter(`Invalid request body: ${where}: ${issue?.message ?? "invalid"}`);
}

/** Key Vault lists at most 25 items per page (`maxresults` 1-25, the REST reference's limits). */
const MAX_PAGE_SIZE = 25;

/**
 * One page of `items` (already in list order), `{ value, nextLink }` with nextLink null on the last page, as Key Vault
 * answers. The `$skiptoken` names the last key returned, so a page stays right when items are added or removed.
 */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  request: KeyVaultRequest,
): { value: T[]; nextLink: string | null } {
  const requested = request.query.get("maxresults");
  let size = MAX_PAGE_SIZE;
  if (requested !== null) {
    const parsed = Number(requested);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_PAGE_SIZE)
      throw keyVaultErrors.badParameter(
        `Invalid value '${requested}' for query parameter 'maxresults': it must be an integer from 1 to ${MAX_PAGE_SIZE}.`,
      );
    size = parsed;
  }
  const after = markerOf(request.query.get("$skiptoken"));
  const start = after === undefined ? 0 : items.findIndex((item) => keyOf(item) > after);
  const rest = start < 0 ? [] : items.slice(start);
  const value = rest.slice(0, size);
  const last = value.at(-1);
  if (rest.length <= size || last === undefined) return { value, nextLink: null };
  const next = new URLSearchParams();
  next.set("api-version", request.apiVersion);
  next.set(
    "$skiptoken",
    Buffer.from(JSON.stringify({ NextMarker: keyOf(last), TargetLocation: 0 })).toString("base64url"),
  );
  next.set("maxresults", String(size));
  return { value, nextLink: `${request.nextLinkBase}${request.path}?${next.toString()}` };
}

function markerOf(token: string | null): string | undefined {
  if (!token) return undefined;
  try {
    const marker = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { NextMarker?: unknown })
      .NextMarker;
    if (typeof marker === "string") return marker;
  } catch {
    // fall through
  }
  throw keyVaultErrors.badParameter("The $skiptoken query parameter is invalid.");
}
