// Points a sample's imports of the shared identity package at the copy of its source inside the export.
import path from "node:path";
import { IDENTITY_PACKAGE_NAME } from "./workspace.ts";

/** `from "…"`, `import "…"` and `import("…")` naming the identity package (its only export is "."). */
const identityImportPattern = new RegExp(
  String.raw`(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])${IDENTITY_PACKAGE_NAME.replace("/", "\\/")}\2`,
  "g",
);

/**
 * Replaces the package name with the relative path from `modulePath` to the copied `index.ts`, keeping the quote
 * style and everything else of the file as it is.
 */
export function rewriteIdentityImports(
  source: string,
  modulePath: string,
  identityIndexPath: string,
): string {
  let relative = path.relative(path.dirname(modulePath), identityIndexPath).split(path.sep).join("/");
  if (!relative.startsWith(".")) relative = `./${relative}`;
  return source.replace(
    identityImportPattern,
    (_match, keyword: string, quote: string) => `${keyword}${quote}${relative}${quote}`,
  );
}
