// The package.json of an exported sample: the sample's dependencies and the identity package's own, as plain npm
// ranges, with tsx to run the TypeScript entry point, and TypeScript to check it.

import { COPIED_PACKAGES, type PackageJson, SAMPLE_ENTRY } from "./workspace.ts";
import { type Catalog, npmRangeFor } from "./workspace-catalog.ts";

/** The oldest Node.js the exports promise: the Azure SDK packages the samples use need 22 (their `engines`). */
export const EXPORTED_NODE_RANGE = ">=22";

/**
 * Runs the entry point with tsx, a dependency of the export: it works on every Node.js 22 and later. Node's own
 * type stripping would need no dependency but is on by default only from 22.18 (22.6-22.17 need
 * --experimental-strip-types and warn on every run, 22.0-22.5 lack it).
 */
export const EXPORTED_START_SCRIPT = `tsx ${SAMPLE_ENTRY}`;

function sortedByName(entries: Map<string, string>): Record<string, string> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function exportedPackageName(sampleName: string): string {
  return `msi-sample-${sampleName}`;
}

export function buildStandalonePackageJson(options: {
  sampleName: string;
  sample: PackageJson;
  /** The manifests of the workspace packages copied into the export. */
  copied: readonly PackageJson[];
  catalog: Catalog;
  license: string | undefined;
}): PackageJson {
  const { sample, copied, catalog } = options;
  const copiedNames = new Set(COPIED_PACKAGES.map((p) => p.name));
  const dependencies = new Map<string, string>();
  const add = (from: string, name: string, spec: string) => {
    const range = npmRangeFor(name, spec, catalog);
    const earlier = dependencies.get(name);
    if (earlier !== undefined && earlier !== range) {
      throw new Error(`"${name}" is wanted as "${earlier}" and as "${range}" (${from}); make them agree.`);
    }
    dependencies.set(name, range);
  };

  for (const manifest of [sample, ...copied]) {
    for (const [name, spec] of Object.entries(manifest.dependencies ?? {})) {
      if (copiedNames.has(name)) continue; // copied into src/ instead
      if (spec.startsWith("workspace:")) {
        throw new Error(
          `${manifest.name} depends on the unpublished workspace package ${name}; only ${[...copiedNames].join(" and ")} can be exported with it.`,
        );
      }
      add(manifest.name, name, spec);
    }
  }
  // The sample lists tsx as a development tool; in the export it runs `npm start`, so it is a dependency.
  add(sample.name, "tsx", sample.devDependencies?.tsx ?? sample.dependencies?.tsx ?? "catalog:");

  return {
    name: exportedPackageName(options.sampleName),
    version: sample.version ?? "0.1.0",
    private: true,
    ...(sample.description !== undefined ? { description: sample.description } : {}),
    ...(options.license !== undefined ? { license: options.license } : {}),
    type: "module",
    engines: { node: EXPORTED_NODE_RANGE },
    scripts: { start: EXPORTED_START_SCRIPT },
    // npm 11 skips dependencies' install scripts unless allowed here (docs.npmjs.com, npm-install-scripts). tsx runs
    // on esbuild, whose postinstall checks its platform binary; the workspace allows it too (allowBuilds).
    allowScripts: { esbuild: true },
    dependencies: sortedByName(dependencies),
    // `npx tsc --noEmit` checks the sample with the tsconfig.json written beside it.
    devDependencies: sortedByName(
      new Map(["typescript", "@types/node"].map((name) => [name, npmRangeFor(name, "catalog:", catalog)])),
    ),
  };
}
