// `--state FILE` as a SQLite database (node:sqlite): one row per resource group, resource, role assignment and
// namespace subtree, one transaction per acknowledged change, and an exclusive lock held while the emulator runs.
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { RoleAssignmentRecord } from "../auth/rbac.ts";
import { type NamespaceRow, namespaceFromRows } from "./namespace-rows.ts";
import type { Scenario } from "./scenario-schema.ts";
import type { ArmResourceRecord, ResourceGroupRecord } from "./world-records.ts";

export const STATE_FORMAT = "msi-emulator-state";
export const STATE_VERSION = 2;

/** What one commit changes; `undefined` values are deletions. */
export interface WorldChanges {
  groups: Map<string, ResourceGroupRecord | undefined>;
  resources: Map<string, ArmResourceRecord | undefined>;
  roleAssignments: Map<string, RoleAssignmentRecord | undefined>;
  /** Per namespace: subtrees to rewrite, each replacing every row at or below its path. */
  namespaces: { name: string; path: string[]; rows: NamespaceRow[] }[];
  /** Present when the VM IMDS answers as changed (null: the scenario's). */
  currentVm?: string | null;
}

/** Everything a state database holds, as stored. */
export interface StoredWorld {
  scenario: unknown;
  currentVm: string | null | undefined;
  groups: unknown[];
  resources: unknown[];
  roleAssignments: unknown[];
  namespaces: Record<string, unknown>;
}

type Kind = "group" | "resource" | "roleAssignment" | "namespace";

/** A database file another process holds, or that is not ours. The message names the file. */
export class StateStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateStoreError";
  }
}

/** Namespace rows are keyed `name/segment/segment`, each part URI-encoded, so a prefix range finds a subtree. */
const rowKey = (name: string, path: readonly string[]) =>
  [name, ...path].map((part) => encodeURIComponent(part)).join("/");

export class SqliteStateStore {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #upsert: StatementSync;
  readonly #delete: StatementSync;
  readonly #deleteBelow: StatementSync;
  readonly #setMeta: StatementSync;

  private constructor(filePath: string, db: DatabaseSync) {
    this.path = filePath;
    this.#db = db;
    this.#upsert = db.prepare(
      "INSERT INTO entries (kind, key, value) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value",
    );
    this.#delete = db.prepare("DELETE FROM entries WHERE kind = ? AND key = ?");
    // Every key below `prefix/`: "0" is the character after "/".
    this.#deleteBelow = db.prepare("DELETE FROM entries WHERE kind = ? AND key >= ? AND key < ?");
    this.#setMeta = db.prepare(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
  }

  /**
   * Opens (or, with `create`, makes) the database at `filePath` and takes its lock for this process's lifetime.
   * Refuses, naming the file, one that another emulator holds or that is not an emulator state database.
   */
  static open(filePath: string, create: { scenario: Scenario } | undefined): SqliteStateStore {
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(filePath, { timeout: 0 });
    } catch (error) {
      throw new StateStoreError(`Cannot open state file ${filePath}: ${(error as Error).message}`);
    }
    try {
      // Exclusive locking: the first write takes a lock that only this process's exit releases, so a second
      // emulator on the same file is refused instead of both writing (WAL then keeps no shared-memory file either).
      db.exec("PRAGMA locking_mode = EXCLUSIVE");
      // Checked before anything is written, so a file that is not ours stays byte for byte as it was.
      if (!create) checkFormat(db, filePath);
      db.exec("PRAGMA journal_mode = WAL");
      // FULL: a commit is on disk before it returns, which is what acknowledging a change promises.
      db.exec("PRAGMA synchronous = FULL");
      db.exec("BEGIN EXCLUSIVE");
      try {
        if (create) {
          db.exec(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;" +
              "CREATE TABLE entries (kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID;",
          );
          const set = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
          set.run("format", STATE_FORMAT);
          set.run("version", String(STATE_VERSION));
          set.run("scenario", JSON.stringify(create.scenario));
        }
        db.exec("COMMIT");
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    } catch (error) {
      db.close();
      if (error instanceof StateStoreError) throw error;
      const message = (error as Error).message;
      if (/locked|busy/i.test(message))
        throw new StateStoreError(
          `State file ${filePath} is in use by another msi-emulator: stop that one first, or give this one another --state file.`,
        );
      throw new StateStoreError(
        `${filePath} is not an msi-emulator state file (${message}); it was left as it is. Give --state a new file name, or move this file away.`,
      );
    }
    return new SqliteStateStore(filePath, db);
  }

  /** Everything stored, for loading the world. */
  read(): StoredWorld {
    const meta = new Map(
      (this.#db.prepare("SELECT key, value FROM meta").all() as { key: string; value: string }[]).map(
        (row) => [row.key, row.value],
      ),
    );
    const world: StoredWorld = {
      scenario: this.#json("meta", "scenario", meta.get("scenario") ?? "null"),
      currentVm: meta.has("currentVm")
        ? (this.#json("meta", "currentVm", meta.get("currentVm") as string) as string | null)
        : undefined,
      groups: [],
      resources: [],
      roleAssignments: [],
      namespaces: {},
    };
    const namespaceRows = new Map<string, NamespaceRow[]>();
    const rows = this.#db.prepare("SELECT kind, key, value FROM entries ORDER BY kind, key").all() as {
      kind: Kind;
      key: string;
      value: string;
    }[];
    for (const row of rows) {
      const value = this.#json(row.kind, row.key, row.value);
      if (row.kind === "group") world.groups.push(value);
      else if (row.kind === "resource") world.resources.push(value);
      else if (row.kind === "roleAssignment") world.roleAssignments.push(value);
      else if (row.kind === "namespace") {
        const [name = "", ...path] = row.key.split("/").map((part) => decodeURIComponent(part));
        const list = namespaceRows.get(name) ?? [];
        list.push({ path, value });
        namespaceRows.set(name, list);
      } else throw new StateStoreError(`State file ${this.path} has an entry of unknown kind '${row.kind}'.`);
    }
    for (const [name, list] of namespaceRows) world.namespaces[name] = namespaceFromRows(list);
    return world;
  }

  /** Applies one commit's changes in one transaction; returns once they are durable. */
  write(changes: WorldChanges): void {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const put = (kind: Kind, key: string, value: unknown) =>
        value === undefined
          ? this.#delete.run(kind, key)
          : this.#upsert.run(kind, key, JSON.stringify(value));
      for (const [key, value] of changes.groups) put("group", key, value);
      for (const [key, value] of changes.resources) put("resource", key, value);
      for (const [key, value] of changes.roleAssignments) put("roleAssignment", key, value);
      for (const change of changes.namespaces) {
        // The subtree and any row above it (an empty object that now has children) go; the new rows replace them.
        for (let depth = 0; depth <= change.path.length; depth++)
          this.#delete.run("namespace", rowKey(change.name, change.path.slice(0, depth)));
        const prefix = rowKey(change.name, change.path);
        this.#deleteBelow.run("namespace", `${prefix}/`, `${prefix}0`);
        for (const row of change.rows)
          this.#upsert.run("namespace", rowKey(change.name, row.path), JSON.stringify(row.value));
      }
      if (changes.currentVm !== undefined) this.#setMeta.run("currentVm", JSON.stringify(changes.currentVm));
      this.#db.exec("COMMIT");
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /** Releases the lock; SQLite folds its write-ahead log back into the file, leaving nothing beside it. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #json(kind: string, key: string, text: string): unknown {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new StateStoreError(
        `State file ${this.path} is damaged: ${kind} '${key}' is not valid JSON (${(error as Error).message}).`,
      );
    }
  }
}

function checkFormat(db: DatabaseSync, filePath: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
    name: string;
  }[];
  const names = new Set(tables.map((t) => t.name));
  const foreign = () =>
    new StateStoreError(
      `${filePath} is a SQLite database but not an msi-emulator state file; it was left as it is. Give --state a new file name.`,
    );
  if (!names.has("meta") || !names.has("entries")) throw foreign();
  const meta = new Map(
    (
      db.prepare("SELECT key, value FROM meta WHERE key IN ('format', 'version')").all() as {
        key: string;
        value: string;
      }[]
    ).map((row) => [row.key, row.value]),
  );
  if (meta.get("format") !== STATE_FORMAT) throw foreign();
  if (meta.get("version") !== String(STATE_VERSION))
    throw new StateStoreError(
      `State file ${filePath} has format version ${meta.get("version")}; this emulator reads version ${STATE_VERSION}. Use the emulator that wrote it, or a new --state file.`,
    );
}
