// The emulator as a package other repositories use: `pnpm pack` gives a tarball of JavaScript (no tsx, no workspace
// links) that npm installs into an empty folder, where `npx msi-emulator ...` and `npx ./<tarball> ...` run a program
// using the Azure SDK for JS against it. Needs the npm registry (for the tarball's dependencies and the SDK).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENARIO_GROUPS, SUBSCRIPTION_ID } from "../support/default-scenario.ts";
import { REPO_ROOT, waitForOutput } from "../support/emulator-cli.ts";

const PNPM = `pnpm@${(JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { packageManager: string }).packageManager.split("@")[1]}`;

const PROGRAM = `
import { ManagedIdentityCredential } from "@azure/identity";
import { ResourceManagementClient } from "@azure/arm-resources";
const client = new ResourceManagementClient(new ManagedIdentityCredential(), "${SUBSCRIPTION_ID}");
for await (const group of client.resourceGroups.list()) console.log(group.name);
`;

/** Only what a machine with Node.js and npm has: no npm_* or pnpm settings of this test run, no emulator settings. */
function plainEnvironment(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(npm_|pnpm_|PNPM_|MSI_EMULATOR_|NODE_EXTRA_CA_CERTS$|NODE_OPTIONS$|VITEST|TSX)/.test(name))
      env[name] = value;
  // The CA this machine's own shell trusts (vitest's setup replaced it with the emulator's), which npm may need.
  const outerCa = process.env.OUTER_NODE_EXTRA_CA_CERTS;
  return { ...env, ...(outerCa ? { NODE_EXTRA_CA_CERTS: outerCa } : {}), MSI_EMULATOR_HOME: home };
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { ...options, timeout: 240_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("the packed emulator", () => {
  let dir: string;
  let project: string;
  let tarball: string;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "msi-packed-"));
    project = path.join(dir, "project");
    env = plainEnvironment(path.join(dir, "home"));
    const packed = await run("npx", ["--yes", PNPM, "pack", "--pack-destination", dir], {
      cwd: path.join(REPO_ROOT, "packages/emulator"),
      env,
    });
    expect(packed.code, packed.stderr + packed.stdout).toBe(0);
    // npx keys its cache on the spec as written (`../../name.tgz`): a name of this run's own keeps runs apart.
    tarball = path.join(dir, `${path.basename(dir)}.tgz`);
    renameSync(path.join(dir, readdirSync(dir).find((name) => name.endsWith(".tgz")) ?? "none.tgz"), tarball);
    await run("mkdir", ["-p", project], { cwd: dir, env });
    writeFileSync(
      path.join(project, "package.json"),
      '{ "name": "another-repo", "private": true, "type": "module" }\n',
    );
    writeFileSync(path.join(project, "app.mjs"), PROGRAM);
    const installed = await run(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--loglevel=error",
        tarball,
        "@azure/identity",
        "@azure/arm-resources",
      ],
      { cwd: project, env },
    );
    expect(installed.code, installed.stderr).toBe(0);
  }, 300_000);
  afterAll(() => {
    for (const child of children) if (child.pid) process.kill(-child.pid, "SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it("holds JavaScript, the scenarios with their schema and the templates, and needs no tsx", () => {
    const installed = path.join(project, "node_modules/@msi-samples/emulator");
    for (const file of [
      "dist/cli.js",
      "dist/index.js",
      "shared/scenarios/default.json",
      "shared/scenarios/scenario.schema.json",
      "shared/templates/catalog.json",
      "LICENSE",
      "README.md",
    ])
      expect(existsSync(path.join(installed, file)), file).toBe(true);
    expect(existsSync(path.join(installed, "src"))).toBe(false);
    expect(existsSync(path.join(project, "node_modules/tsx"))).toBe(false);
  });

  it("runs an Azure SDK program with `npx msi-emulator exec`", async () => {
    const result = await run("npx", ["msi-emulator", "exec", "--", "node", "app.mjs"], { cwd: project, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual(SCENARIO_GROUPS);
  }, 240_000);

  it("runs straight from the tarball with `npx ./<tarball> exec`", async () => {
    const result = await run(
      "npx",
      [
        "--yes",
        // npx takes a relative path (./ or ../) to a tarball as the package; an absolute one would be the command.
        path.relative(project, tarball),
        "exec",
        "--quiet",
        "--",
        "node",
        "app.mjs",
      ],
      {
        cwd: project,
        env,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual(SCENARIO_GROUPS);
  }, 240_000);

  it("serves `start`, `env` and `log` with the commands it prints written for npx", async () => {
    // Its own process group: npx runs the emulator as a child, and the cleanup must stop both.
    const child = spawn("npx", ["msi-emulator", "start"], {
      cwd: project,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    children.push(child);
    await waitForOutput(child, /Requests:/);
    const shell = await run(
      "bash",
      ["-c", 'eval "$(npx msi-emulator env)" && node app.mjs && npx msi-emulator log'],
      { cwd: project, env },
    );
    expect(shell.code, shell.stderr).toBe(0);
    expect(shell.stderr).toContain('to undo: eval "$(npx msi-emulator env --unset)"');
    expect(shell.stdout).toContain(`${SCENARIO_GROUPS.join("\n")}\n`);
    expect(shell.stdout).toMatch(/arm\s+GET\s+200 management\.azure\.com\/subscriptions\/.+\/resourcegroups/);
  }, 240_000);
});
