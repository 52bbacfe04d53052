// Reads which emulator module imports which, with the oxc parser: every import, re-export and import() between
// the source files of one folder, marked type-only when the compiler erases it.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseSync } from "oxc-parser";

export interface ImportEdge {
  /** Both paths relative to the scanned folder, with forward slashes ("state/world-state.ts"). */
  from: string;
  to: string;
  typeOnly: boolean;
}

/**
 * Every `.ts` file under `root` (relative paths; only under `folders` when given, never in node_modules) and the
 * relative imports among them; imports of packages by name are left out.
 */
export async function readImportGraph(
  root: string,
  folders: string[] = ["."],
): Promise<{ files: string[]; edges: ImportEdge[] }> {
  const files = (await Promise.all(folders.map((folder) => typeScriptFilesUnder(root, folder))))
    .flat()
    .sort();
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const source = await readFile(path.join(root, file), "utf8");
    const { program, module, errors } = parseSync(file, source, { sourceType: "module", lang: "ts" });
    if (errors.length > 0) throw new Error(`${file}: ${errors[0]?.message}`);
    const dynamicImports = module.dynamicImports.map(({ moduleRequest }) => ({
      specifier: source.slice(moduleRequest.start, moduleRequest.end).replace(/^["'`]|["'`]$/g, ""),
      typeOnly: false,
    }));
    for (const imported of [...program.body.map(importOf), ...dynamicImports]) {
      if (!imported?.specifier.startsWith(".")) continue;
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), imported.specifier));
      edges.push({ from: file, to, typeOnly: imported.typeOnly });
    }
  }
  return { files, edges };
}

/** The `.ts` files under `root/folder`, as paths relative to `root`, skipping node_modules. */
async function typeScriptFilesUnder(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(path.join(root, folder), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry): Promise<string[]> => {
      const relative = path.posix.normalize(`${folder}/${entry.name}`);
      if (entry.isDirectory())
        return entry.name === "node_modules" ? [] : typeScriptFilesUnder(root, relative);
      return entry.isFile() && entry.name.endsWith(".ts") ? [relative] : [];
    }),
  );
  return nested.flat();
}

type Statement = ReturnType<typeof parseSync>["program"]["body"][number];

function importOf(statement: Statement): { specifier: string; typeOnly: boolean } | undefined {
  switch (statement.type) {
    case "ImportDeclaration": {
      // `import type {...}`, or `import { type A, type B }`: nothing of it is left at run time.
      const specifiers = statement.specifiers;
      const everyNameIsType =
        specifiers.length > 0 &&
        specifiers.every((s) => s.type === "ImportSpecifier" && s.importKind === "type");
      return {
        specifier: statement.source.value,
        typeOnly: statement.importKind === "type" || everyNameIsType,
      };
    }
    case "ExportNamedDeclaration":
      if (!statement.source) return undefined;
      return {
        specifier: statement.source.value,
        typeOnly:
          statement.exportKind === "type" ||
          (statement.specifiers.length > 0 && statement.specifiers.every((s) => s.exportKind === "type")),
      };
    case "ExportAllDeclaration":
      return { specifier: statement.source.value, typeOnly: statement.exportKind === "type" };
    default:
      return undefined;
  }
}

/** The import circles among `files`: each as the files in order, the first repeated at the end. */
export function findCircles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const circles: string[][] = [];
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (file: string): void => {
    const index = onPath.indexOf(file);
    if (index >= 0) {
      circles.push([...onPath.slice(index), file]);
      return;
    }
    if (done.has(file)) return;
    onPath.push(file);
    for (const to of next.get(file) ?? []) visit(to);
    onPath.pop();
    done.add(file);
  };
  for (const file of [...next.keys()].sort()) visit(file);
  return circles;
}
