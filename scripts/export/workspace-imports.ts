// Points imports of the workspace packages (the identity package, the sample CLI) at the copies of their source
// inside the export.
import path from "node:path";
import { COPIED_PACKAGES } from "./workspace.ts";

/** `from "…"`, `import "…"` and `import("…")` naming a package (their only export is "."). */
function importPattern(packageName: string): RegExp {
  return new RegExp(
    String.raw`(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])${packageName.replace("/", "\\/")}\2`,
    "g",
  );
}

/**
 * Replaces each copied package's name with the relative path from `modulePath` to its copied `index.ts` under
 * `exportRoot`, keeping the quote style and everything else of the file as it is.
 */
export function rewriteWorkspaceImports(source: string, modulePath: string, exportRoot: string): string {
  let result = source;
  for (const copied of COPIED_PACKAGES) {
    const index = path.join(exportRoot, copied.exportDir, "index.ts");
    let relative = path.relative(path.dirname(modulePath), index).split(path.sep).join("/");
    if (!relative.startsWith(".")) relative = `./${relative}`;
    result = result.replace(
      importPattern(copied.name),
      (_match, keyword: string, quote: string) => `${keyword}${quote}${relative}${quote}`,
    );
  }
  return result;
}
