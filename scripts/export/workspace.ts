// Where the exporter reads from: the repository's samples, the shared identity package, and their package.json files.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
export const SAMPLES_DIR = path.join(REPO_ROOT, "samples");
export const IDENTITY_PACKAGE_DIR = path.join(REPO_ROOT, "packages/identity");
export const IDENTITY_PACKAGE_NAME = "@msi-samples/identity";
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
