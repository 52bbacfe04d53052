// How a namespace's JSON tree is cut into database rows: one row per subtree at a fixed depth (a vault's secret, say),
// so a change rewrites its own row and never the namespace around it.

/** `keyvault` -> vaults -> {vault} -> active -> {secret}: deep enough that one secret is one row. */
export const ROW_DEPTH = 4;

export interface NamespaceRow {
  path: string[];
  value: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The row that holds the property at `changedPath` of `root` (after the change), i.e. the part to write again. */
export function rowPathOf(root: unknown, changedPath: readonly string[]): string[] {
  let node = root;
  for (let depth = 0; depth < changedPath.length; depth++) {
    if (depth === ROW_DEPTH || !isPlainObject(node)) return changedPath.slice(0, depth);
    node = node[changedPath[depth] as string];
  }
  return [...changedPath];
}

/** The rows for the subtree `value` found at `path` (none when it is absent). */
export function rowsOf(value: unknown, path: readonly string[]): NamespaceRow[] {
  if (value === undefined) return [];
  if (path.length >= ROW_DEPTH || !isPlainObject(value) || Object.keys(value).length === 0)
    return [{ path: [...path], value }];
  return Object.entries(value).flatMap(([key, child]) => rowsOf(child, [...path, key]));
}

/** Rebuilds a namespace from its rows; rows must come parents first (sorted by path). */
export function namespaceFromRows(rows: readonly NamespaceRow[]): unknown {
  let root: unknown;
  for (const row of rows) {
    if (row.path.length === 0) {
      root = row.value;
      continue;
    }
    if (!isPlainObject(root)) root = {};
    let node = root as Record<string, unknown>;
    for (const segment of row.path.slice(0, -1)) {
      if (!isPlainObject(node[segment])) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[row.path[row.path.length - 1] as string] = row.value;
  }
  return root;
}
