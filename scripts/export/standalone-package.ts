// Writes the package form of an export: the sample's files, a copy of the identity package's source, a package.json
// with published npm packages only, a tsconfig.json and the license, so `npm install && npm start` works anywhere.
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { findAssetUrls } from "./asset-urls.ts";
import { assertImportsAreSatisfied } from "./export-imports-check.ts";
import { buildExportReadme, readSampleReadme } from "./export-readme.ts";
import type { Esbuild } from "./load-esbuild.ts";
import { writePackageExtras } from "./package-extras.ts";
import type { SourceReference } from "./source-reference.ts";
import { buildStandalonePackageJson } from "./standalone-package-json.ts";
import { COPIED_PACKAGES, REPO_ROOT, readPackageJson, SAMPLE_ENTRY, sampleDir } from "./workspace.ts";
import type { Catalog } from "./workspace-catalog.ts";
import { rewriteWorkspaceImports } from "./workspace-imports.ts";

/** Monorepo-only parts of a sample folder: its tests, installed packages, dotfiles; package.json and README are rewritten. */
function isSampleFile(relativePath: string): boolean {
  const segments = relativePath.split("/");
  const top = segments[0] ?? "";
  if (["node_modules", "test", "tests", "package.json", "README.md"].includes(top)) return false;
  if (segments.some((segment) => segment.startsWith("."))) return false;
  return !/\.(test|spec)\.[cm]?[jt]s$/.test(relativePath) && !relativePath.endsWith(".log");
}

const isCode = (file: string) => /\.[cm]?[jt]s$/.test(file);

/** Every file under `dir`, relative to it, with forward slashes. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

export interface StandalonePackageSummary {
  files: string[];
  assets: string[];
  dependencies: Record<string, string>;
}

export async function writeStandalonePackage(options: {
  sampleName: string;
  outDir: string;
  esbuild: Esbuild;
  catalog: Catalog;
  source: SourceReference;
}): Promise<StandalonePackageSummary> {
  const { sampleName, outDir } = options;
  const from = sampleDir(sampleName);
  const [sample, root] = await Promise.all([readPackageJson(from), readPackageJson(REPO_ROOT)]);
  const used = COPIED_PACKAGES.filter((copied) => sample.dependencies?.[copied.name] !== undefined);
  const copiedManifests = await Promise.all(used.map((copied) => readPackageJson(copied.dir)));

  const sampleFiles = (await listFiles(from)).filter(isSampleFile);
  for (const copied of used) {
    if (sampleFiles.some((file) => file.startsWith(`${copied.exportDir}/`))) {
      throw new Error(
        `samples/${sampleName} has its own ${copied.exportDir}/, where ${copied.name} would go.`,
      );
    }
  }
  const copyCode = async (sourcePath: string, target: string) => {
    await mkdir(path.dirname(target), { recursive: true });
    if (!isCode(target)) return copyFile(sourcePath, target);
    await writeFile(target, rewriteWorkspaceImports(await readFile(sourcePath, "utf8"), target, outDir));
  };
  for (const file of sampleFiles) await copyCode(path.join(from, file), path.join(outDir, file));
  for (const copied of used) {
    const source = path.join(copied.dir, "src");
    for (const file of (await listFiles(source)).filter(isSampleFile)) {
      await copyCode(path.join(source, file), path.join(outDir, copied.exportDir, file));
    }
    const readme = path.join(copied.dir, "README.md");
    await copyFile(readme, path.join(outDir, copied.exportDir, "README.md")).catch(() => undefined);
  }

  const packageJson = buildStandalonePackageJson({
    sampleName,
    sample,
    copied: copiedManifests,
    catalog: options.catalog,
    license: root.license,
  });
  const dependencies = packageJson.dependencies ?? {};

  // The copied modules must find everything: their own files, the assets they open, and their packages.
  const assets = new Set<string>();
  for (const file of await listFiles(path.join(outDir, "src"))) {
    if (!isCode(file)) continue;
    const modulePath = path.join(outDir, "src", file);
    for (const asset of await findAssetUrls(await readFile(modulePath, "utf8"), modulePath, outDir)) {
      assets.add(asset.sampleRelativePath);
    }
  }
  await assertImportsAreSatisfied({
    esbuild: options.esbuild,
    exportDir: outDir,
    entry: SAMPLE_ENTRY,
    dependencies,
  });

  const readme = buildExportReadme({
    sampleName,
    parts: readSampleReadme(await readFile(path.join(from, "README.md"), "utf8").catch(() => ""), sampleName),
    source: options.source,
    assets: [...assets].sort(),
    form: { kind: "package" },
  });
  await writeFile(path.join(outDir, "package.json"), `${JSON.stringify(packageJson, null, 2)}\n`);
  await writeFile(path.join(outDir, "README.md"), readme);
  await writeFile(path.join(outDir, ".gitignore"), "node_modules/\n");
  await writePackageExtras(outDir, root.license);
  return { files: await listFiles(outDir), assets: [...assets].sort(), dependencies };
}
