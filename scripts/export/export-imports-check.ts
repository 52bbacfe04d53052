// Checks that an export is self-contained: every module it imports is a file inside it, a Node.js built-in, or a
// dependency in its package.json.
import { isBuiltin } from "node:module";
import type { Esbuild, EsbuildMessage } from "./load-esbuild.ts";
import { formatEsbuildMessages } from "./load-esbuild.ts";

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/** Resolves every relative import from `entry` (as esbuild does when bundling) and lists the packages it needs. */
export async function assertImportsAreSatisfied(options: {
  esbuild: Esbuild;
  exportDir: string;
  entry: string;
  dependencies: Readonly<Record<string, string>>;
}): Promise<void> {
  const result = await options.esbuild
    .build({
      absWorkingDir: options.exportDir,
      entryPoints: [options.entry],
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    })
    .catch((error: { errors?: EsbuildMessage[]; message: string }) => {
      throw new Error(
        `The exported code does not resolve: ${error.errors ? formatEsbuildMessages(error.errors) : error.message}`,
      );
    });
  const needed = new Set<string>();
  for (const input of Object.values(result.metafile?.inputs ?? {})) {
    for (const imported of input.imports) {
      if (imported.external && !isBuiltin(imported.path)) needed.add(packageNameOf(imported.path));
    }
  }
  const missing = [...needed].filter((name) => options.dependencies[name] === undefined);
  if (missing.length > 0) {
    throw new Error(`The exported code imports ${missing.join(", ")}, which its package.json does not list.`);
  }
}
