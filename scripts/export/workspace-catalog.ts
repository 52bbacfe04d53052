// Turns the workspace's `catalog:` and `workspace:` dependency references into what npm understands: the version
// ranges written once in pnpm-workspace.yaml.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "./workspace.ts";

export type Catalog = ReadonlyMap<string, string>;

/**
 * Reads the default catalog (`catalog:` at the top level of pnpm-workspace.yaml). The file is a small, flat YAML
 * document and the repository has no YAML library, so this reads exactly the shape pnpm documents for it
 * (pnpm.io/catalogs): one `name: range` per indented line, names optionally quoted. Anything else in the block
 * is an error rather than a guess.
 */
export async function readWorkspaceCatalog(
  file = path.join(REPO_ROOT, "pnpm-workspace.yaml"),
): Promise<Catalog> {
  const lines = (await readFile(file, "utf8")).split(/\r?\n/);
  const start = lines.findIndex((line) => /^catalog:\s*(#.*)?$/.test(line));
  if (start === -1) throw new Error(`${file} has no top-level "catalog:" block.`);
  const catalog = new Map<string, string>();
  for (const [offset, line] of lines.slice(start + 1).entries()) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    if (!/^\s/.test(line)) break;
    const entry =
      /^\s+(?:"([^"]+)"|'([^']+)'|([^\s"'#:][^\s:#]*)):\s+(?:"([^"]*)"|'([^']*)'|([^\s#]+))\s*(#.*)?$/.exec(
        line,
      );
    const name = entry?.[1] ?? entry?.[2] ?? entry?.[3];
    const range = entry?.[4] ?? entry?.[5] ?? entry?.[6];
    if (name === undefined || range === undefined) {
      throw new Error(`${file}:${start + offset + 2}: cannot read this catalog entry: ${line.trim()}`);
    }
    catalog.set(name, range);
  }
  return catalog;
}

/**
 * The npm range for one dependency: a `catalog:` reference becomes the catalog's range; ranges npm understands
 * pass through. `workspace:` (an unpublished package) and anything pnpm-only is refused: the caller must have
 * replaced it already.
 */
export function npmRangeFor(name: string, spec: string, catalog: Catalog): string {
  if (spec === "catalog:" || spec === "catalog:default") {
    const range = catalog.get(name);
    if (range === undefined) throw new Error(`"${name}": "${spec}" has no entry in the workspace catalog.`);
    return range;
  }
  if (/^(catalog|workspace|link|file|portal|patch):/.test(spec)) {
    throw new Error(`"${name}": "${spec}" has no npm equivalent; the exporter cannot resolve it.`);
  }
  return spec;
}
