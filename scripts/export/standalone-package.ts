// Writes the package form of an export: the sample's files, a copy of the identity package's source, a package.json
// with published npm packages only, a tsconfig.json and the license, so `npm install && npm start` works anywhere.
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { findAssetUrls } from "./asset-urls.ts";
import { assertImportsAreSatisfied } from "./export-imports-check.ts";
import { buildExportReadme, readSampleReadme } from "./export-readme.ts";
import { rewriteIdentityImports } from "./identity-import.ts";
import type { Esbuild } from "./load-esbuild.ts";
import { writePackageExtras } from "./package-extras.ts";
import type { SourceReference } from "./source-reference.ts";
import { buildStandalonePackageJson } from "./standalone-package-json.ts";
import {
  IDENTITY_PACKAGE_DIR,
  IDENTITY_PACKAGE_NAME,
  REPO_ROOT,
  readPackageJson,
  SAMPLE_ENTRY,
  sampleDir,
} from "./workspace.ts";
import type { Catalog } from "./workspace-catalog.ts";

/** Where the identity package's source goes in an export. */
export const EXPORTED_IDENTITY_DIR = "src/identity";

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
  const [sample, identity, root] = await Promise.all([
    readPackageJson(from),
    readPackageJson(IDENTITY_PACKAGE_DIR),
    readPackageJson(REPO_ROOT),
  ]);
  const usesIdentity = sample.dependencies?.[IDENTITY_PACKAGE_NAME] !== undefined;
  const identityIndex = path.join(outDir, EXPORTED_IDENTITY_DIR, "index.ts");

  const sampleFiles = (await listFiles(from)).filter(isSampleFile);
  if (usesIdentity && sampleFiles.some((file) => file.startsWith(`${EXPORTED_IDENTITY_DIR}/`))) {
    throw new Error(
      `samples/${sampleName} has its own ${EXPORTED_IDENTITY_DIR}/, where the identity copy would go.`,
    );
  }
  for (const file of sampleFiles) {
    const target = path.join(outDir, file);
    await mkdir(path.dirname(target), { recursive: true });
    if (!isCode(file)) {
      await copyFile(path.join(from, file), target);
      continue;
    }
    const source = await readFile(path.join(from, file), "utf8");
    await writeFile(target, rewriteIdentityImports(source, target, identityIndex));
  }

  if (usesIdentity) {
    const identitySource = path.join(IDENTITY_PACKAGE_DIR, "src");
    for (const file of await listFiles(identitySource)) {
      if (!isSampleFile(file)) continue;
      const target = path.join(outDir, EXPORTED_IDENTITY_DIR, file);
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(identitySource, file), target);
    }
    await copyFile(
      path.join(IDENTITY_PACKAGE_DIR, "README.md"),
      path.join(outDir, EXPORTED_IDENTITY_DIR, "README.md"),
    );
  }

  const packageJson = buildStandalonePackageJson({
    sampleName,
    sample,
    identity,
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
