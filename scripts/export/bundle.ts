// Writes the bundle form of an export: the sample, the identity package and the Azure SDK in one ES module that
// plain `node` runs, with the files the sample reads at run time beside it.
import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { findAssetUrls } from "./asset-urls.ts";
import { buildExportReadme, readSampleReadme } from "./export-readme.ts";
import {
  type Esbuild,
  type EsbuildMessage,
  type EsbuildPlugin,
  formatEsbuildMessages,
} from "./load-esbuild.ts";
import type { SourceReference } from "./source-reference.ts";
import { COPIED_PACKAGES, SAMPLE_ENTRY, sampleDir } from "./workspace.ts";

/**
 * Some bundled dependencies are CommonJS and call `require` for Node built-ins; in an ES module esbuild's shim
 * throws "Dynamic require of ... is not supported" unless a real `require` exists (esbuild.github.io/api/#banner).
 */
const BANNER = [
  "#!/usr/bin/env node",
  'import { createRequire as __exportedSampleCreateRequire } from "node:module";',
  "const require = __exportedSampleCreateRequire(import.meta.url);",
].join("\n");

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Rewrites `new URL("../template/x.json", import.meta.url)` in the sample's own modules to `./template/x.json`:
 * in the bundle, import.meta.url is the .mjs file, and the assets are copied next to it at the same paths they
 * have in the sample's folder. Modules of the identity package may not open files at all.
 */
function relocateAssetUrls(sampleRoot: string, assets: Set<string>): EsbuildPlugin {
  // esbuild filters are Go regular expressions (no lookahead): node_modules is excluded in the callback.
  const ownModules = new RegExp(
    `^(${[sampleRoot, ...COPIED_PACKAGES.map((p) => path.join(p.dir, "src"))].map(escapeRegExp).join("|")})/.*\\.[cm]?[jt]s$`,
  );
  return {
    name: "relocate-asset-urls",
    setup(build) {
      build.onLoad({ filter: ownModules }, async ({ path: modulePath }) => {
        if (modulePath.split(path.sep).includes("node_modules")) return undefined;
        let contents = await readFile(modulePath, "utf8");
        const inSample = modulePath.startsWith(`${sampleRoot}${path.sep}`);
        const found = await findAssetUrls(
          contents,
          modulePath,
          inSample ? sampleRoot : path.dirname(modulePath),
        );
        if (!inSample && found.length > 0) {
          throw new Error(`${modulePath}: a workspace package opens files, which the bundle cannot ship.`);
        }
        for (const asset of found) {
          contents = contents.replace(
            asset.expression,
            `new URL(${JSON.stringify(`./${asset.sampleRelativePath}`)}, import.meta.url)`,
          );
          assets.add(asset.sampleRelativePath);
        }
        return { contents, loader: path.extname(modulePath).replace(/^\.[cm]?/, "") as "ts" | "js" };
      });
    },
  };
}

export interface BundleSummary {
  file: string;
  bytes: number;
  assets: string[];
  /** esbuild's warnings, formatted; empty when there were none. */
  warnings: string;
}

export async function writeBundle(options: {
  sampleName: string;
  outDir: string;
  esbuild: Esbuild;
  source: SourceReference;
}): Promise<BundleSummary> {
  const { sampleName, outDir, esbuild } = options;
  const from = sampleDir(sampleName);
  const file = `${sampleName}.mjs`;
  const assets = new Set<string>();
  const result = await esbuild
    .build({
      absWorkingDir: from,
      entryPoints: [path.join(from, SAMPLE_ENTRY)],
      outfile: path.join(outDir, file),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      banner: { js: BANNER },
      plugins: [relocateAssetUrls(from, assets)],
      metafile: true,
      logLevel: "silent",
    })
    .catch((error: { errors?: EsbuildMessage[]; message: string }) => {
      throw new Error(
        `Bundling failed:\n${error.errors ? formatEsbuildMessages(error.errors) : error.message}`,
      );
    });
  const bundlePath = path.join(outDir, file);
  await chmod(bundlePath, 0o755);

  const sortedAssets = [...assets].sort();
  for (const asset of sortedAssets) {
    await mkdir(path.dirname(path.join(outDir, asset)), { recursive: true });
    await copyFile(path.join(from, asset), path.join(outDir, asset));
  }
  const readme = buildExportReadme({
    sampleName,
    parts: readSampleReadme(await readFile(path.join(from, "README.md"), "utf8").catch(() => ""), sampleName),
    source: options.source,
    assets: sortedAssets,
    form: { kind: "bundle", file },
  });
  await writeFile(path.join(outDir, "README.md"), readme);
  const bytes = Object.values(result.metafile?.outputs ?? {}).reduce((sum, output) => sum + output.bytes, 0);
  return { file, bytes, assets: sortedAssets, warnings: formatEsbuildMessages(result.warnings) };
}
