// An exported sample package type-checks on its own: `npx tsc --noEmit` with the tsconfig.json, typescript and
// @types/node it ships, after a plain `npm install`; and it carries the repository's license.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  describeRun,
  inBatches,
  npmInstall,
  run,
  runExportSample,
  SAMPLE_NAMES,
  type SampleName,
} from "./export-sample.helpers.ts";

let workDir = "";
const exportDir = (name: SampleName) => path.join(workDir, name);

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), "export-sample-types-"));
  await inBatches(SAMPLE_NAMES, 2, async (name) => {
    const exported = await runExportSample([name, "--out", exportDir(name)]);
    if (exported.status !== 0) throw new Error(`export-sample ${name}: ${describeRun(exported)}`);
    const installed = await npmInstall(exportDir(name));
    if (installed.status !== 0)
      throw new Error(`npm install in the export of ${name}: ${describeRun(installed)}`);
  });
}, 300_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("an exported sample package checks its own types", () => {
  it.each(SAMPLE_NAMES)("%s: npx tsc --noEmit exits 0, with a LICENSE beside it", async (name) => {
    const packageJson = JSON.parse(await readFile(path.join(exportDir(name), "package.json"), "utf8"));
    expect(Object.keys(packageJson.devDependencies)).toEqual(["@types/node", "typescript"]);
    const checked = await run("npx", ["--no-install", "tsc", "--noEmit"], {
      cwd: exportDir(name),
      timeoutMs: 120_000,
    });
    expect(checked.status, describeRun(checked)).toBe(0);
    expect(existsSync(path.join(exportDir(name), "LICENSE"))).toBe(true);
    expect(await readFile(path.join(exportDir(name), "README.md"), "utf8")).not.toMatch(/\bpnpm start\b/);
  });
});
