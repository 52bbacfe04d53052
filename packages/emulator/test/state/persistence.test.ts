// The state file: every acknowledged write kept in its database file, a world that survives kill -9, and Key Vault
// secrets that survive a restart.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { ResourceManagementClient } from "@azure/arm-resources";
import { DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../../src/index.ts";
import { SUBSCRIPTION_ID } from "../support/default-scenario.ts";
import { runCli, spawnCli, waitForOutput } from "../support/emulator-cli.ts";
import { fileProxyPort, keepFileProxyPort } from "../support/file-proxy-port.ts";
import { grantSecretsOfficer, secretClientFor } from "../support/keyvault-fixtures.ts";
import { fixedTokenCredential } from "../support/sdk-calls.ts";
import { homeWithTestKeys } from "../support/test-home.ts";

// `--state FILE` is a SQLite database: `kill -9` during concurrent writes loses nothing the client saw acknowledged, a
// second emulator on the same file is refused, and files that are not the emulator's (damaged, foreign, wrongly
// shaped) are refused with a message naming them and left byte for byte as they were; old JSON state files migrate.
const sampleTemplate = new URL(
  "../../../../samples/deploy-arm-template/template/azuredeploy.json",
  import.meta.url,
);

let dir = "";
/** A home of its own (with the test CA and signing key), so these `start`s never meet other tests' emulators. */
let home = "";
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "msi-emulator-sqlite-state-"));
  home = await homeWithTestKeys(path.join(dir, "home"));
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(
  statePath: string,
  port = fileProxyPort(),
  homeDir = home,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawnCli(["start", "--home", homeDir, "--state", statePath, "--port", String(port)]);
  children.push(child);
  const match = await waitForOutput(child, /proxy:\s+http:\/\/127\.0\.0\.1:(\d+)[\s\S]*Requests:/);
  return { child, port: Number(match[1]) };
}

const sortedBy = <T>(list: readonly T[], key: (item: T) => string) =>
  [...list].sort((a, b) => key(a).localeCompare(key(b)));

/** The world without its save time, records in a fixed order (the database keeps them by key, not by arrival). */
function comparable(emulator: Emulator) {
  const { savedAt: _savedAt, ...world } = emulator.world.snapshot();
  return {
    ...world,
    resourceGroups: sortedBy(world.resourceGroups, (g) => `${g.subscriptionId}/${g.name}`.toLowerCase()),
    resources: sortedBy(world.resources, (r) => r.id.toLowerCase()),
    roleAssignments: sortedBy(world.roleAssignments, (a) => a.name.toLowerCase()),
  };
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

describe("kill -9 during concurrent writes", () => {
  it("loses no resource group whose creation was acknowledged, over three crashes", async () => {
    const statePath = path.join(dir, "crashes.db");
    let running = await start(statePath);
    keepFileProxyPort(running.port);
    const options = { ...clientOptionsFor({ port: running.port }), retryOptions: { maxRetries: 0 } };
    const client = new ResourceManagementClient(
      new ManagedIdentityCredential(options),
      SUBSCRIPTION_ID,
      options,
    );
    const acknowledged: string[] = [];
    for (let round = 0; round < 3; round++) {
      let crashed = false;
      let writing = 8;
      const writers = Array.from({ length: writing }, async (_, writer) => {
        try {
          for (let i = 0; !crashed; i++) {
            const name = `rg-crash-${round}-${writer}-${i}`;
            await client.resourceGroups.createOrUpdate(name, { location: "westus2" });
            acknowledged.push(name);
          }
        } catch {
          // The emulator is gone: what this writer saw acknowledged is already counted.
        } finally {
          writing--;
        }
      });
      const target = acknowledged.length + 40;
      while (acknowledged.length < target && writing > 0)
        await new Promise((resolve) => setTimeout(resolve, 5));
      await kill9(running.child);
      crashed = true;
      await Promise.all(writers);
      // Same port: this process's IMDS client (msal-node keeps one per process) still points there.
      running = await start(statePath, running.port);
    }
    const stored = new Set<string>();
    for await (const group of client.resourceGroups.list()) stored.add(group.name ?? "");
    expect(acknowledged.length).toBeGreaterThanOrEqual(120);
    expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
    await kill9(running.child);
  }, 180_000);
});

describe("a restart on the state file", () => {
  it("finds the world exactly as it was after deployments, groups, role changes and secret versions", async () => {
    const statePath = path.join(dir, "whole-world.db");
    let emulator = await startEmulator({ home, statePath });
    const armToken = await emulator.issueToken({ resource: "https://management.azure.com" });
    const options = { ...clientOptionsFor(emulator), retryOptions: { maxRetries: 0 } };
    const deployments = new DeploymentsClient(fixedTokenCredential(armToken), SUBSCRIPTION_ID, options);
    const template = JSON.parse(await readFile(sampleTemplate, "utf8")) as Record<string, unknown>;
    await deployments.deployments.beginCreateOrUpdateAndWait("rg-msi-samples", "kept-deployment", {
      properties: { mode: "Incremental", template },
    });
    const resources = new ResourceManagementClient(fixedTokenCredential(armToken), SUBSCRIPTION_ID, options);
    await resources.resourceGroups.createOrUpdate("rg-kept", { location: "westus2", tags: { a: "1" } });
    await resources.resourceGroups.update("rg-kept", { tags: { a: "2" } });
    const vaultToken = await emulator.issueToken({ resource: "https://vault.azure.net" });
    const secrets = secretClientFor(emulator, "kv-msi-samples", fixedTokenCredential(vaultToken));
    grantSecretsOfficer(emulator, "kv-msi-samples", "4d6f8a0c-2e4b-4c6d-8f0a-1b3d5f7a9c1e");
    await secrets.setSecret("kept-secret", "first");
    await secrets.setSecret("kept-secret", "second");
    await secrets.setSecret("gone-secret", "soon deleted");
    await (await secrets.beginDeleteSecret("gone-secret")).pollUntilDone();
    const before = comparable(emulator);
    await emulator.stop();

    emulator = await startEmulator({ home, statePath });
    const after = comparable(emulator);
    await emulator.stop();
    // A clean stop folds SQLite's write-ahead log back in: nothing is left beside the file.
    expect((await readdir(dir)).filter((f) => f.startsWith("whole-world.db"))).toEqual(["whole-world.db"]);
    expect(after).toEqual(before);
    for (const kept of [
      "kept-deployment",
      "rg-kept",
      "kept-secret",
      "gone-secret",
      "4d6f8a0c-2e4b-4c6d-8f0a-1b3d5f7a9c1e",
    ])
      expect(JSON.stringify(after)).toContain(kept);
  });
});

describe("one emulator per state file", () => {
  it("refuses a second emulator on a state file another one uses, saying so", async () => {
    const statePath = path.join(dir, "shared.db");
    const first = await start(statePath);
    const otherHome = await homeWithTestKeys(path.join(dir, "other-home"));
    const second = await runCli(["start", "--home", otherHome, "--state", statePath, "--port", "0"]);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`State file ${statePath} is in use by another msi-emulator`);
    expect(second.stderr).not.toMatch(/\n\s+at /);
    await kill9(first.child);
  });
});

describe("files that are not an emulator state database", () => {
  const refused = async (name: string, content: string | Buffer) => {
    const statePath = path.join(dir, name);
    await writeFile(statePath, content);
    const error = await startEmulator({ home, statePath }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(await readFile(statePath)).toEqual(Buffer.isBuffer(content) ? content : Buffer.from(content));
    return error;
  };

  it("refuses a damaged file, naming it, and leaves it untouched", async () => {
    const error = await refused(
      "damaged.db",
      Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(600, 7)]),
    );
    expect(error?.name).toBe("StateFileError");
    expect(error?.message).toContain(path.join(dir, "damaged.db"));
  });

  it("refuses a file of another program, naming it, and leaves it untouched", async () => {
    const error = await refused("notes.txt", "shopping list\n");
    expect(error?.message).toMatch(/notes\.txt is not an msi-emulator state file/);
  });

  it("refuses another program's SQLite database, naming it", async () => {
    const statePath = path.join(dir, "foreign.db");
    const db = new DatabaseSync(statePath);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    db.close();
    const before = await readFile(statePath);
    await expect(startEmulator({ home, statePath })).rejects.toThrow(
      `${statePath} is a SQLite database but not an msi-emulator state file`,
    );
    expect(await readFile(statePath)).toEqual(before);
  });

  it("names the file and the field when a state database holds a wrongly shaped record", async () => {
    const statePath = path.join(dir, "wrong-shape.db");
    const emulator = await startEmulator({ home, statePath });
    await emulator.stop();
    const db = new DatabaseSync(statePath);
    db.prepare("INSERT INTO entries (kind, key, value) VALUES ('group', 'x', ?)").run(
      JSON.stringify({ name: 7 }),
    );
    db.close();
    await expect(startEmulator({ home, statePath })).rejects.toThrow(
      new RegExp(
        `State file ${statePath.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is not shaped like an msi-emulator world: groups\\.\\d+\\.`,
      ),
    );
  });

  it("names the file and the field when a service's stored state is wrongly shaped, at start rather than on a request", async () => {
    const statePath = path.join(dir, "wrong-service-state.db");
    const emulator = await startEmulator({ home, statePath });
    await emulator.stop();
    const db = new DatabaseSync(statePath);
    // A deleted vault (ARM's own state) without its dates, as a hand edit might leave it.
    db.prepare(
      "INSERT INTO entries (kind, key, value) VALUES ('namespace', 'deleted-vaults/vaults/kv-gone', ?)",
    ).run(JSON.stringify({ vault: 7 }));
    db.close();
    const before = await readFile(statePath);
    const error = await startEmulator({ home, statePath }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.name).toBe("StateFileError");
    expect(error?.message).toContain(
      `State file ${statePath} is not shaped like an msi-emulator world: namespaces.deleted-vaults.vaults.kv-gone.`,
    );
    expect(await readFile(statePath)).toEqual(before);
  });

  it("migrates a JSON state file of the earlier format (even with a byte order mark), keeping the old one beside it", async () => {
    const statePath = path.join(dir, "old.json");
    const emulator = await startEmulator({ home });
    const snapshot = { ...emulator.world.snapshot(), version: 1 };
    await emulator.stop();
    snapshot.resourceGroups.push({
      subscriptionId: SUBSCRIPTION_ID,
      name: "rg-from-json",
      location: "westus2",
      tags: { migrated: "yes" },
      provisioningState: "Succeeded",
      createdTime: new Date().toISOString(),
    });
    await writeFile(statePath, `\uFEFF${JSON.stringify(snapshot)}`);
    const migrated = await startEmulator({ home, statePath });
    expect(migrated.world.getResourceGroup(SUBSCRIPTION_ID, "rg-from-json")?.tags).toEqual({
      migrated: "yes",
    });
    await migrated.stop();
    expect((await readFile(statePath)).subarray(0, 15).toString()).toBe("SQLite format 3");
    expect((await readFile(`${statePath}.v1.json`, "utf8")).includes("rg-from-json")).toBe(true);
    expect((await readdir(dir)).filter((f) => f.startsWith("old.json"))).toEqual([
      "old.json",
      "old.json.v1.json",
    ]);
  });
});

// `start --state FILE`: a change acknowledged to the client is on disk, so even `kill -9` loses nothing; a restart on
// the same file serves it again. Also checks `env` and `log` against the running instance.
describe("--state survives kill -9", () => {
  it("keeps a resource group created before the crash", async () => {
    const statePath = path.join(dir, "world.db");
    // The test home itself, the one `env` and `log` read when given no --home.
    const testHome = process.env.MSI_EMULATOR_HOME ?? "";
    const first = await start(statePath, fileProxyPort(), testHome);
    keepFileProxyPort(first.port);
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

    const [env, log] = await Promise.all([runCli(["env"]), runCli(["log"])]);
    expect(env.stdout).toContain(`export HTTPS_PROXY='http://127.0.0.1:${first.port}'`);
    expect(log.stdout).toMatch(
      /PUT\s+201 management\.azure\.com\/subscriptions\/.+\/resourcegroups\/rg-survives-kill/i,
    );

    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    // The commit is in the database file or in SQLite's write-ahead log beside it, as the group's JSON row.
    const onDisk = `${await readFile(statePath, "latin1")}${await readFile(`${statePath}-wal`, "latin1").catch(() => "")}`;
    expect(onDisk).toContain('"name":"rg-survives-kill"');

    // Same port: this process's IMDS client (msal-node keeps one per process) still points there.
    await start(statePath, first.port, testHome);
    const group = await client.resourceGroups.get("rg-survives-kill");
    expect(group.tags).toEqual({ saved: "yes" });
  });
});

// With `statePath` (the CLI's --state) every secret change is on disk before the client gets its answer: a restart
// on the same file serves the same versions, values and soft-deleted secrets. Tokens come from `issueToken`, so the
// two emulators in this process do not depend on msal-node's per-process IMDS client.
describe("secrets with a state file", () => {
  let dir = "";
  let emulator: Emulator | undefined;
  afterAll(async () => {
    await emulator?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function clientOf(running: Emulator) {
    const token = await running.issueToken({ resource: "https://vault.azure.net" });
    return secretClientFor(running, "kv-msi-samples", fixedTokenCredential(token));
  }

  it("keeps versions, values and deleted secrets across a restart", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "msi-emulator-kv-state-"));
    const statePath = path.join(dir, "world.db");
    // The default scenario's identity may only read kv-msi-samples: make it Secrets Officer there for this test.
    emulator = await startEmulator({ statePath });
    grantSecretsOfficer(emulator, "kv-msi-samples", "5b0f6c1e-2d3a-4b8c-9e7f-1a2b3c4d5e6f");
    let client = await clientOf(emulator);
    const seeded = await client.getSecret("sample-secret");
    const set = await client.setSecret("saved-secret", "saved-value-1d2e");
    await client.setSecret("deleted-secret", "deleted-value-3f4a");
    await (await client.beginDeleteSecret("deleted-secret")).pollUntilDone();

    // Before the emulator stops, a commit may still sit in SQLite's write-ahead log beside the file.
    const onDisk = `${await readFile(statePath, "latin1")}${await readFile(`${statePath}-wal`, "latin1").catch(() => "")}`;
    expect(onDisk).toContain("saved-value-1d2e");
    await emulator.stop();

    emulator = await startEmulator({ statePath });
    client = await clientOf(emulator);
    expect((await client.getSecret("sample-secret")).properties.version).toBe(seeded.properties.version);
    const saved = await client.getSecret("saved-secret");
    expect(saved.value).toBe("saved-value-1d2e");
    expect(saved.properties.version).toBe(set.properties.version);
    expect((await client.getDeletedSecret("deleted-secret")).recoveryId).toBe(
      "https://kv-msi-samples.vault.azure.net/deletedsecrets/deleted-secret",
    );
  });
});
