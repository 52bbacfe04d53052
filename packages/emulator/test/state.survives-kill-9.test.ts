// `start --state FILE`: a change acknowledged to the client is on disk, so even `kill -9` loses nothing; a restart on
// the same file serves it again. Also checks `env` and `log` against the running instance.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, describe, expect, it } from "vitest";
import { clientOptionsFor } from "../src/index.ts";
import { runCli, spawnCli, waitForOutput } from "./cli.helpers.ts";
import { SUBSCRIPTION_ID } from "./default-scenario.ts";

describe("--state survives kill -9", () => {
  const children: ChildProcess[] = [];
  let dir = "";
  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function start(statePath: string, port = 0): Promise<{ child: ChildProcess; port: number }> {
    const child = spawnCli(["start", "--state", statePath, "--port", String(port)]);
    children.push(child);
    const match = await waitForOutput(child, /proxy:\s+http:\/\/127\.0\.0\.1:(\d+)[\s\S]*Requests:/);
    return { child, port: Number(match[1]) };
  }

  it("keeps a resource group created before the crash", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "msi-emulator-state-"));
    const statePath = path.join(dir, "world.db");
    const first = await start(statePath);
    const options = clientOptionsFor({ port: first.port });
    const client = new ResourceManagementClient(
      new ManagedIdentityCredential(options),
      SUBSCRIPTION_ID,
      options,
    );
    await client.resourceGroups.createOrUpdate("rg-survives-kill", {
      location: "westus2",
      tags: { saved: "yes" },
    });

    const env = await runCli(["env"]);
    expect(env.stdout).toContain(`export HTTPS_PROXY='http://127.0.0.1:${first.port}'`);
    const log = await runCli(["log"]);
    expect(log.stdout).toMatch(
      /PUT\s+201 management\.azure\.com\/subscriptions\/.+\/resourcegroups\/rg-survives-kill/i,
    );

    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    // The commit is in the database file or in SQLite's write-ahead log beside it, as the group's JSON row.
    const onDisk = `${await readFile(statePath, "latin1")}${await readFile(`${statePath}-wal`, "latin1").catch(() => "")}`;
    expect(onDisk).toContain('"name":"rg-survives-kill"');

    // Same port: this process's IMDS client (msal-node keeps one per process) still points there.
    await start(statePath, first.port);
    const group = await client.resourceGroups.get("rg-survives-kill");
    expect(group.tags).toEqual({ saved: "yes" });
  });
});
