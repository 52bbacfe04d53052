// With `statePath` (the CLI's --state) every secret change is on disk before the client gets its answer: a restart
// on the same file serves the same versions, values and soft-deleted secrets. Tokens come from `issueToken`, so the
// two emulators in this process do not depend on msal-node's per-process IMDS client.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.ts";
import { grantSecretsOfficer, secretClientFor } from "./keyvault-fixtures.ts";
import { fixedTokenCredential } from "./sdk-calls.ts";

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
