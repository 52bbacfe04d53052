// Where the exporter reads from: the repository's samples, the workspace packages they use, and their package.json
// files.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
export const SAMPLES_DIR = path.join(REPO_ROOT, "samples");
export const IDENTITY_PACKAGE_DIR = path.join(REPO_ROOT, "packages/identity");
export const IDENTITY_PACKAGE_NAME = "@msi-samples/identity";

/** A workspace package whose source an export copies into its src/ (npm cannot install it: it is not published). */
export interface CopiedPackage {
  name: string;
  dir: string;
  /** Where its src/ goes in a package export, e.g. `src/identity`. */
  exportDir: string;
}

/** The workspace packages samples may use, in an order where each comes after those it imports. */
export const COPIED_PACKAGES: readonly CopiedPackage[] = [
  { name: IDENTITY_PACKAGE_NAME, dir: IDENTITY_PACKAGE_DIR, exportDir: "src/identity" },
  {
    name: "@msi-samples/sample-cli",
    dir: path.join(REPO_ROOT, "packages/sample-cli"),
    exportDir: "src/sample-cli",
  },
];
/** Where a sample's program starts, relative to its folder (its `start` script runs this file). */
export const SAMPLE_ENTRY = "src/index.ts";

export interface PackageJson {
  name: string;
  version?: string;
  description?: string;
  license?: string;
  repository?: string | { url?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [field: string]: unknown;
}

/** The names of the samples: every folder under samples/ that has a package.json and a src/index.ts. */
export async function listSampleNames(): Promise<string[]> {
  const entries = await readdir(SAMPLES_DIR, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(SAMPLES_DIR, entry.name);
    const complete = await Promise.all(
      ["package.json", SAMPLE_ENTRY].map((file) => readFile(path.join(dir, file)).then(Boolean, () => false)),
    );
    if (complete.every(Boolean)) names.push(entry.name);
  }
  return names.sort();
}

export function sampleDir(name: string): string {
  return path.join(SAMPLES_DIR, name);
}

export async function readPackageJson(dir: string): Promise<PackageJson> {
  return JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as PackageJson;
}
