// The exporter's command line: help, a named sample or a list of the valid ones (exit 2), a non-empty --out folder
// left alone unless --force, and the README an export carries.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFiles } from "../export/standalone-package.ts";
import { describeRun, REPO_ROOT, runExportSample, SAMPLE_NAMES } from "./support/export-sample.ts";

let workDir = "";
beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), "export-sample-cli-"));
});
afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("pnpm export-sample", () => {
  it("--help prints the usage and exits 0", async () => {
    const result = await runExportSample(["--help"]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain("Usage: pnpm export-sample <name> [options]");
    expect(result.stdout).toContain("--bundle");
  });

  it.each([
    ["no sample name", []],
    ["an unknown sample", ["list-resource-group"]],
    ["two samples", ["list-resource-groups", "user-assigned-identity"]],
  ])("%s: exits 2 and lists the valid samples, writing nothing", async (_case, args) => {
    const out = path.join(workDir, "never-written");
    const result = await runExportSample([...args, "--out", out]);
    expect(result.status, describeRun(result)).toBe(2);
    for (const name of SAMPLE_NAMES) expect(result.stderr).toContain(name);
    await expect(readFile(out)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("an unknown option exits 2", async () => {
    const result = await runExportSample(["list-resource-groups", "--outdir", workDir]);
    expect(result.status, describeRun(result)).toBe(2);
    expect(result.stderr).toContain("--outdir");
  });

  it("leaves a non-empty --out folder alone, and replaces its contents with --force", async () => {
    const out = path.join(workDir, "occupied");
    await mkdir(out);
    await writeFile(path.join(out, "notes.txt"), "mine");

    const refused = await runExportSample(["list-resource-groups", "--out", out]);
    expect(refused.status, describeRun(refused)).toBe(2);
    expect(refused.stderr).toContain("--force");
    expect(await listFiles(out)).toEqual(["notes.txt"]);

    const forced = await runExportSample(["list-resource-groups", "--out", out, "--force"]);
    expect(forced.status, describeRun(forced)).toBe(0);
    const files = await listFiles(out);
    expect(files).not.toContain("notes.txt");
    expect(files).toEqual(
      expect.arrayContaining(["package.json", "README.md", "src/index.ts", "src/identity/index.ts"]),
    );
    expect(await listFiles(workDir)).not.toContainEqual(expect.stringMatching(/\.partial-/));
  });

  it("--force will not replace a folder that holds a git repository", async () => {
    const out = path.join(workDir, "a-repository");
    await mkdir(path.join(out, ".git"), { recursive: true });
    await writeFile(path.join(out, "important.txt"), "keep");
    const result = await runExportSample(["list-resource-groups", "--out", out, "--force"]);
    expect(result.status, describeRun(result)).toBe(2);
    expect(await readFile(path.join(out, "important.txt"), "utf8")).toBe("keep");
  });

  it.each(SAMPLE_NAMES)(
    "%s: copies the sample's and the workspace packages' code, changing only the imports",
    async (name) => {
      const out = path.join(workDir, `code-${name}`);
      const result = await runExportSample([name, "--out", out]);
      expect(result.status, describeRun(result)).toBe(0);
      const original = await readFile(path.join(REPO_ROOT, "samples", name, "src/index.ts"), "utf8");
      const exported = await readFile(path.join(out, "src/index.ts"), "utf8");
      expect(exported).toBe(
        original
          .replace('from "@msi-samples/identity"', 'from "./identity/index.ts"')
          .replace('from "@msi-samples/sample-cli"', 'from "./sample-cli/index.ts"'),
      );
      for (const copied of ["identity", "sample-cli"]) {
        const source = path.join(REPO_ROOT, "packages", copied, "src");
        const files = await listFiles(source);
        expect(await listFiles(path.join(out, "src", copied))).toEqual([...files, "README.md"].sort());
        for (const file of files) {
          const text = await readFile(path.join(source, file), "utf8");
          expect(await readFile(path.join(out, "src", copied, file), "utf8")).toBe(
            text.replace('from "@msi-samples/identity"', 'from "../identity/index.ts"'),
          );
        }
      }
    },
  );

  it("writes a README that says how to run the export and where the full README is", async () => {
    const out = path.join(workDir, "with-readme");
    const result = await runExportSample(["user-assigned-identity", "--out", out]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain("npm install && npm start");
    const readme = await readFile(path.join(out, "README.md"), "utf8");
    expect(readme).toMatch(/^# Choose a system- or user-assigned managed identity on a VM/);
    expect(readme).toContain("npm install\nnpm start");
    expect(readme).toContain("samples/user-assigned-identity/README.md");
    expect(readme).toContain("| `--client-id ID`");
  });

  it("--bundle writes the .mjs and names it in its message", async () => {
    const out = path.join(workDir, "bundle");
    const result = await runExportSample(["list-resource-groups", "--bundle", "--out", out]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(path.join(out, "list-resource-groups.mjs"));
    const readme = await readFile(path.join(out, "README.md"), "utf8");
    expect(readme).toContain("node list-resource-groups.mjs");
  });
});
