// `pnpm export-sample <name> [--out DIR] [--bundle] [--force]`: writes a copy of one sample that runs outside this
// repository, either as a small npm package (`npm install && npm start`) or as one .mjs file (`node file.mjs`).
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { writeBundle } from "./export/bundle.ts";
import { loadEsbuild } from "./export/load-esbuild.ts";
import { readSourceReference } from "./export/source-reference.ts";
import { writeStandalonePackage } from "./export/standalone-package.ts";
import {
  COPIED_PACKAGES,
  listSampleNames,
  REPO_ROOT,
  readPackageJson,
  sampleDir,
} from "./export/workspace.ts";
import { readWorkspaceCatalog } from "./export/workspace-catalog.ts";

const usage = `Writes a standalone copy of a sample that runs outside this repository with Node.js 22 or later.

Usage: pnpm export-sample <name> [options]

Options:
  --out DIR   Where to write it (default: exported/<name>, or exported/<name>-bundle with --bundle)
  --bundle    Write one .mjs file (sample, identity code and Azure SDK) that runs with plain \`node\`,
              instead of a package to \`npm install\`
  --force     Replace the contents of a non-empty --out folder
  -h, --help  Show this help

Exit codes: 0 written, 1 the export failed, 2 bad arguments (nothing was written).`;

class UsageError extends Error {}

async function isNonEmptyDirectory(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) return false;
  if (!info.isDirectory()) throw new UsageError(`--out ${dir} exists and is not a folder.`);
  return (await readdir(dir)).length > 0;
}

const isInside = (child: string, parent: string) => {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
};

/** --force replaces a folder's contents: never one that holds a git repository, this one, or a home or working folder. */
async function assertSafeToReplace(outDir: string, userCwd: string): Promise<void> {
  const precious = [os.homedir(), path.parse(outDir).root, process.cwd(), userCwd];
  const holdsGit = await stat(path.join(outDir, ".git")).then(
    () => true,
    () => false,
  );
  if (isInside(REPO_ROOT, outDir) || precious.includes(outDir) || holdsGit) {
    throw new UsageError(
      `--force will not replace ${outDir}: it holds a git repository, this repository, or your home or working folder.`,
    );
  }
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return;
  }
  const names = await listSampleNames();
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0 || !names.includes(name)) {
    const problem =
      name === undefined
        ? "Name the sample to export."
        : extra.length > 0
          ? `Export one sample at a time (got ${positionals.join(", ")}).`
          : `There is no sample '${name}'.`;
    throw new UsageError(`${problem} The samples are: ${names.join(", ")}.`);
  }

  const bundle = values.bundle ?? false;
  // Relative --out paths mean the folder the user typed the command in (pnpm runs scripts from the root).
  const userCwd = process.env.INIT_CWD ?? process.cwd();
  const outDir = values.out
    ? path.resolve(userCwd, values.out)
    : path.join(REPO_ROOT, "exported", bundle ? `${name}-bundle` : name);
  for (const source of [sampleDir(name), ...COPIED_PACKAGES.map((copied) => copied.dir)]) {
    if (isInside(outDir, source) || isInside(source, outDir)) {
      throw new UsageError(`--out ${outDir} overlaps the source folder ${source}.`);
    }
  }
  if (await isNonEmptyDirectory(outDir)) {
    if (!values.force) {
      throw new UsageError(
        `${outDir} is not empty; choose another --out, or pass --force to replace its contents.`,
      );
    }
    await assertSafeToReplace(outDir, userCwd);
  }

  const [esbuild, catalog, source] = await Promise.all([
    loadEsbuild(),
    readWorkspaceCatalog(),
    readPackageJson(REPO_ROOT).then((root) =>
      readSourceReference(root, [
        `samples/${name}`,
        ...COPIED_PACKAGES.map((copied) => path.relative(REPO_ROOT, copied.dir)),
        "pnpm-workspace.yaml",
      ]),
    ),
  ]);

  // Written beside the target first, then moved into place: a failed export leaves nothing half-written.
  const staging = `${outDir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const relative = path.relative(userCwd, outDir);
    const display = relative === "" ? "." : relative.startsWith("..") ? outDir : relative;
    if (bundle) {
      const summary = await writeBundle({ sampleName: name, outDir: staging, esbuild, source });
      if (summary.warnings) console.error(`esbuild warned:\n${summary.warnings}`);
      await replaceDirectory(outDir, staging);
      const size = `${(summary.bytes / 1024 / 1024).toFixed(1)} MB`;
      const withAssets = summary.assets.length > 0 ? `, with ${summary.assets.join(", ")} beside it` : "";
      console.log(`Bundled samples/${name} into ${path.join(display, summary.file)} (${size}${withAssets}).`);
      console.log(`Run it with Node.js 22 or later:\n  node ${path.join(display, summary.file)} --help`);
    } else {
      const summary = await writeStandalonePackage({
        sampleName: name,
        outDir: staging,
        esbuild,
        catalog,
        source,
      });
      await replaceDirectory(outDir, staging);
      console.log(`Exported samples/${name} to ${display} (${summary.files.length} files).`);
      console.log(`Run it with Node.js 22 or later:\n  cd ${display}\n  npm install && npm start`);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function replaceDirectory(target: string, replacement: string): Promise<void> {
  await rm(target, { recursive: true, force: true });
  await rename(replacement, target);
}

function parseCommandLine() {
  return parseArgs({
    allowPositionals: true,
    options: {
      out: { type: "string" },
      bundle: { type: "boolean" },
      force: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\nRun with --help for the options.`);
    process.exit(2);
  }
  console.error(`export-sample: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
