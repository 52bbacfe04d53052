// `pnpm export-sample <name>` for each sample: the package lists published npm packages only, `npm install` works
// (alone in one export's folder; for the four others, one linked install that keeps each to the dependencies it
// declares), `npx tsc --noEmit` passes with the tsconfig.json and dev dependencies it ships, and `npm start` runs
// the sample against the emulator outside the repository, as on a VM.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Emulator, startEmulator } from "@msi-samples/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  describeRun,
  emulatedEnvironment,
  inBatches,
  missingLines,
  npmInstall,
  npmInstallLinkedWorkspace,
  run,
  runExportSample,
  SAMPLE_NAMES,
  SAMPLE_RUNS,
  type SampleName,
  SUBSCRIPTION_ID,
} from "./support/export-sample.ts";

let workDir = "";
// One export is installed exactly as its README says, alone in its folder; the other four share one linked install,
// each still seeing only the dependencies its package.json declares.
const STANDALONE: SampleName = "list-resource-groups";
const LINKED = SAMPLE_NAMES.filter((name) => name !== STANDALONE);
const exportDir = (name: SampleName) =>
  name === STANDALONE ? path.join(workDir, "standalone", name) : path.join(workDir, "linked", name);

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), "export-sample-package-"));
  await inBatches(SAMPLE_NAMES, 2, async (name) => {
    const exported = await runExportSample([name, "--out", exportDir(name)]);
    if (exported.status !== 0) throw new Error(`export-sample ${name}: ${describeRun(exported)}`);
  });
  // Both installs share the user's npm cache.
  const [standalone, linked] = await Promise.all([
    npmInstall(exportDir(STANDALONE)),
    npmInstallLinkedWorkspace(path.join(workDir, "linked"), LINKED),
  ]);
  if (standalone.status !== 0)
    throw new Error(`npm install in the export of ${STANDALONE}: ${describeRun(standalone)}`);
  if (linked.status !== 0) throw new Error(`npm install of ${LINKED.join(", ")}: ${describeRun(linked)}`);
}, 300_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("an exported sample package", () => {
  it.each(SAMPLE_NAMES)(
    "%s: package.json has published npm ranges only, ESM, Node 22+, and a start script",
    async (name) => {
      const text = await readFile(path.join(exportDir(name), "package.json"), "utf8");
      expect(text).not.toMatch(/workspace:|catalog:|@msi-samples\//);
      const packageJson = JSON.parse(text);
      expect(packageJson).toMatchObject({
        type: "module",
        engines: { node: ">=22" },
        scripts: { start: "tsx src/index.ts" },
      });
      // The identity package's own dependencies come along with its code.
      expect(Object.keys(packageJson.dependencies)).toEqual(
        expect.arrayContaining(["@azure/identity", "@azure/core-rest-pipeline", "jose", "tsx"]),
      );
      for (const range of Object.values<string>(packageJson.dependencies))
        expect(range).toMatch(/^[\^~]?\d+\.\d+\.\d+$/);
    },
  );
});

describe("the shared install of four exports", () => {
  // What makes one install for four exports as strict as four: a package another export declares is not found.
  it("keeps each export to its own dependencies: deploy-arm-template cannot import @azure/keyvault-secrets", async () => {
    const importSecrets = ["--input-type=module", "-e", 'await import("@azure/keyvault-secrets")'];
    const undeclared = await run(process.execPath, importSecrets, { cwd: exportDir("deploy-arm-template") });
    expect(undeclared.status).not.toBe(0);
    expect(undeclared.stderr).toContain("ERR_MODULE_NOT_FOUND");
    const declared = await run(process.execPath, importSecrets, {
      cwd: exportDir("keyvault-and-resource-groups"),
    });
    expect(declared.status, describeRun(declared)).toBe(0);
  });
});

describe("an exported sample package checks its own types", () => {
  it.each(SAMPLE_NAMES)(
    "%s: npx tsc --noEmit exits 0, with a LICENSE and an npm-only README",
    async (name) => {
      const packageJson = JSON.parse(await readFile(path.join(exportDir(name), "package.json"), "utf8"));
      expect(Object.keys(packageJson.devDependencies)).toEqual(["@types/node", "typescript"]);
      const checked = await run("npx", ["--no-install", "tsc", "--noEmit"], {
        cwd: exportDir(name),
        timeoutMs: 120_000,
      });
      expect(checked.status, describeRun(checked)).toBe(0);
      expect(existsSync(path.join(exportDir(name), "LICENSE"))).toBe(true);
      expect(await readFile(path.join(exportDir(name), "README.md"), "utf8")).not.toMatch(/\bpnpm start\b/);
    },
  );
});

describe("`npm start` of an exported sample against the emulator", () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(async () => {
    await emulator.stop();
  });

  const npmStart = (name: SampleName, args: readonly string[], silent = false) =>
    run("npm", ["start", ...(silent ? ["--silent"] : []), "--", ...args], {
      cwd: exportDir(name),
      env: emulatedEnvironment(emulator),
    });

  for (const sampleRun of Object.values(SAMPLE_RUNS)) {
    describe(sampleRun.sample, () => {
      it(`npm start -- ${sampleRun.args.join(" ")} exits 0 and prints its result`, async () => {
        const result = await npmStart(sampleRun.sample, sampleRun.args);
        expect(result.status, describeRun(result)).toBe(0);
        expect(missingLines(result, sampleRun.prints), describeRun(result)).toEqual([]);
      });
    });
  }

  it("list-resource-groups: `npm start --silent -- --json` prints only the JSON document on stdout", async () => {
    const result = await npmStart("list-resource-groups", ["--json"], true);
    expect(result.status, describeRun(result)).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.subscriptionId).toBe(SUBSCRIPTION_ID);
    expect(document.resourceGroups.map((group: { name: string }) => group.name)).toEqual([
      "rg-msi-samples",
      "rg-workshop-data",
      "rg-workshop-network",
    ]);
  });

  // Node.js 22.18+, 23.6+ and 24 strip types by default; older 22.x need a flag, and the README says so.
  it.skipIf(!process.features.typescript)(
    "list-resource-groups: Node's own type stripping runs the export too (`node src/index.ts`)",
    async () => {
      const result = await run(process.execPath, ["src/index.ts"], {
        cwd: exportDir("list-resource-groups"),
        env: emulatedEnvironment(emulator),
      });
      expect(result.status, describeRun(result)).toBe(0);
      expect(missingLines(result, SAMPLE_RUNS["list-resource-groups"].prints), describeRun(result)).toEqual(
        [],
      );
    },
  );
});
