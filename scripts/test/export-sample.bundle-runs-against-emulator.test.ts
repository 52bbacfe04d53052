// `pnpm export-sample <name> --bundle` for each sample: one .mjs file (plus the files the sample reads) that plain
// `node` runs from a folder with no node_modules anywhere above it, against the emulator.
import { copyFile, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Emulator, startEmulator } from "@msi-samples/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listFiles } from "../export/standalone-package.ts";
import {
  describeRun,
  emulatedEnvironment,
  inBatches,
  missingLines,
  run,
  runExportSample,
  SAMPLE_NAMES,
  SAMPLE_RUNS,
  type SampleName,
} from "./support/export-sample.ts";

let workDir = "";
const exportDir = (name: SampleName) => path.join(workDir, name);
const bundleFile = (name: SampleName) => path.join(exportDir(name), `${name}.mjs`);

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), "export-sample-bundle-"));
  await inBatches(SAMPLE_NAMES, 2, async (name) => {
    const exported = await runExportSample([name, "--bundle", "--out", exportDir(name)]);
    if (exported.status !== 0) throw new Error(`export-sample ${name} --bundle: ${describeRun(exported)}`);
  });
}, 120_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("an exported sample bundle", () => {
  it.each(SAMPLE_NAMES)(
    "%s: is one .mjs file and a README, plus the files the sample reads",
    async (name) => {
      const assets =
        name === "deploy-arm-template"
          ? ["template/azuredeploy.json", "template/azuredeploy.parameters.json"]
          : [];
      expect(await listFiles(exportDir(name))).toEqual(["README.md", `${name}.mjs`, ...assets].sort());
    },
  );

  it.each(SAMPLE_NAMES)("%s: `node <name>.mjs --help` exits 0 from any folder", async (name) => {
    const result = await run(process.execPath, [bundleFile(name), "--help"], { cwd: os.tmpdir() });
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain("Usage:");
  });

  it("deploy-arm-template: reads its template next to the .mjs, and says so when it is missing", async () => {
    // The template is read before anything is sent; a bad subscription ID then stops it (exit 2) without Azure.
    const withTemplate = await run(
      process.execPath,
      [bundleFile("deploy-arm-template"), "--subscription-id", "nope"],
      {
        cwd: os.tmpdir(),
      },
    );
    expect(withTemplate.status, describeRun(withTemplate)).toBe(2);
    expect(withTemplate.stderr).toContain("Invalid subscription id 'nope'");

    const alone = path.join(workDir, "bundle-without-template");
    await rm(alone, { recursive: true, force: true });
    await mkdir(alone);
    await copyFile(bundleFile("deploy-arm-template"), path.join(alone, "deploy-arm-template.mjs"));
    const withoutTemplate = await run(
      process.execPath,
      ["deploy-arm-template.mjs", "--subscription-id", "nope"],
      {
        cwd: alone,
      },
    );
    expect(withoutTemplate.status, describeRun(withoutTemplate)).toBe(2);
    expect(withoutTemplate.stderr).toContain(path.join(alone, "template/azuredeploy.json"));
    expect(await readdir(alone)).toEqual(["deploy-arm-template.mjs"]);
  });
});

describe("`node <sample>.mjs` against the emulator", () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(async () => {
    await emulator.stop();
  });

  for (const sampleRun of Object.values(SAMPLE_RUNS)) {
    describe(sampleRun.sample, () => {
      it(`node ${sampleRun.sample}.mjs ${sampleRun.args.join(" ")} exits 0 and prints its result`, async () => {
        const result = await run(process.execPath, [bundleFile(sampleRun.sample), ...sampleRun.args], {
          cwd: os.tmpdir(),
          env: emulatedEnvironment(emulator),
        });
        expect(result.status, describeRun(result)).toBe(0);
        expect(missingLines(result, sampleRun.prints), describeRun(result)).toEqual([]);
      });
    });
  }
});
