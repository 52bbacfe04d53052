// `start` records itself in its home's runtime.json, which `env`, `log` and `vm` read. A second `start` with a home
// that a running emulator uses refuses before it touches anything, naming that emulator's pid, how to stop it and how
// to use another home; a runtime.json left behind by an emulator that is gone (killed, or its pid now another
// process's) is replaced.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli, waitForOutput } from "./cli.helpers.ts";

interface Started {
  child: ChildProcess;
  pid: number;
  port: number;
}

describe("one running `start` per home", () => {
  const children: ChildProcess[] = [];
  let dir = "";
  let home = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "msi-emulator-one-per-home-"));
    home = path.join(dir, "home");
  });
  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function start(): Promise<Started> {
    const child = spawnCli(["start", "--home", home]);
    children.push(child);
    const match = await waitForOutput(
      child,
      /running \(pid (\d+)\)[\s\S]*proxy:\s+http:\/\/127\.0\.0\.1:(\d+)[\s\S]*Requests:/,
    );
    return { child, pid: Number(match[1]), port: Number(match[2]) };
  }

  async function kill(started: Started): Promise<void> {
    const exited = new Promise((resolve) => started.child.once("exit", resolve));
    started.child.kill("SIGKILL");
    await exited;
  }

  const runtimeFile = async () =>
    JSON.parse(await readFile(path.join(home, "runtime.json"), "utf8")) as Record<string, unknown>;

  const proxyOfEnv = async () => {
    const env = await runCli(["env", "--home", home]);
    expect(env.status, env.stderr).toBe(0);
    return /export HTTPS_PROXY='(.+)'/.exec(env.stdout)?.[1];
  };

  let first: Started;

  it("refuses a second start with the same home, saying which emulator has it and what to do", async () => {
    first = await start();
    expect(first.pid).toBe(first.child.pid);

    const statePath = path.join(dir, "never-written.json");
    const second = await runCli(["start", "--home", home, "--state", statePath]);
    expect(second.status).toBe(1);
    expect(second.stdout).toBe("");
    expect(second.stderr).toContain(
      `msi-emulator: Another msi-emulator is already running with the home ${home} (pid ${first.pid}, proxy http://127.0.0.1:${first.port}). Stop it first (Ctrl+C where it runs, or \`kill ${first.pid}\`), or give this one another home: --home DIR or MSI_EMULATOR_HOME=DIR.\n`,
    );
    // Refused before anything was done: no state file, and the running one is still the one `env` finds.
    expect(existsSync(statePath)).toBe(false);
    expect(await runtimeFile()).toMatchObject({ pid: first.pid, proxyPort: first.port });
    expect(await proxyOfEnv()).toBe(`http://127.0.0.1:${first.port}`);

    const throughEnvironment = await runCli(["start"], { MSI_EMULATOR_HOME: home });
    expect(throughEnvironment.status).toBe(1);
    expect(throughEnvironment.stderr).toContain(`already running with the home ${home} (pid ${first.pid},`);
  });

  it("replaces the runtime.json of an emulator that was killed", async () => {
    await kill(first);
    expect(await runtimeFile()).toMatchObject({ pid: first.pid });

    const next = await start();
    expect(await runtimeFile()).toMatchObject({ pid: next.pid, proxyPort: next.port });
    expect(await proxyOfEnv()).toBe(`http://127.0.0.1:${next.port}`);
    await kill(next);
  });

  it("replaces a runtime.json whose pid now belongs to a process that is no emulator", async () => {
    // This test's own process is alive, and the admin endpoint the file names is gone: the pid was reused.
    await writeFile(
      path.join(home, "runtime.json"),
      JSON.stringify({ ...(await runtimeFile()), pid: process.pid }),
    );

    const again = await start();
    expect(await runtimeFile()).toMatchObject({ pid: again.pid, proxyPort: again.port });
  });
});
