// Through the real SecretClient: backup and restore of a secret (the blob restores in this world only, a foreign
// blob is Key Vault's 400 "Malformed backup blob", a taken name 409), and the validity dates as Key Vault treats
// them: `enabled: false` refuses reads (403 SecretDisabled) while `nbf` and `exp` are only stored and returned,
// since Key Vault answers a get of an expired or not-yet-valid secret with its value (Azure/AzureKeyVault#19;
// Microsoft Q&A 172834 "REST api using Activation Date").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.ts";
import { scenarioWith, secretClientFor, vaultFailureOf, vaultResourceId } from "./keyvault-fixtures.ts";

const VAULT = "kv-backups";
const HOUR_MS = 3_600_000;

describe("secret backups and validity dates", () => {
  let emulator: Emulator;
  const client = () => secretClientFor(emulator, VAULT);

  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: await scenarioWith({
        keyVaults: [
          {
            name: VAULT,
            resourceGroup: "rg-msi-samples",
            enableRbacAuthorization: true,
            softDeleteRetentionInDays: 7,
          },
        ],
        roleAssignments: [
          { principal: "system", role: "Key Vault Secrets Officer", scope: vaultResourceId(VAULT) },
        ],
      }),
    });
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it("backs a secret up with every version and restores it after it was deleted and purged", async () => {
    await client().setSecret("backed-up", "first");
    await client().setSecret("backed-up", "second");
    const backup = await client().backupSecret("backed-up");
    expect(backup?.length).toBeGreaterThan(0);
    // The blob is opaque: it does not show the value.
    expect(Buffer.from(backup ?? new Uint8Array()).toString("latin1")).not.toContain("second");

    await expect(
      vaultFailureOf(() => client().restoreSecretBackup(backup ?? new Uint8Array())),
    ).resolves.toMatchObject({
      statusCode: 409,
      code: "Conflict",
    });
    await (await client().beginDeleteSecret("backed-up")).pollUntilDone();
    await client().purgeDeletedSecret("backed-up");

    const restored = await client().restoreSecretBackup(backup ?? new Uint8Array());
    expect(restored.name).toBe("backed-up");
    expect((await client().getSecret("backed-up")).value).toBe("second");
    const versions: string[] = [];
    for await (const version of client().listPropertiesOfSecretVersions("backed-up"))
      versions.push(version.version ?? "");
    expect(versions).toHaveLength(2);
    // The world's backup key never shows on the admin endpoint.
    const state = JSON.parse(await (await fetch(`${emulator.adminUrl}/state`)).text());
    expect(state.namespaces["keyvault-backup-key"]).toEqual({ value: "REDACTED" });
  });

  it("refuses a blob it did not make with Key Vault's 400 Malformed backup blob", async () => {
    const failure = await vaultFailureOf(() => client().restoreSecretBackup(new Uint8Array(4726)));
    expect(failure).toMatchObject({ statusCode: 400, code: "Malformed backup blob" });
    expect(failure.message).toContain("Backup blob contains invalid or corrupt version.");
  });

  it("returns an expired or not-yet-valid secret's value, and refuses a disabled one", async () => {
    const now = Date.now();
    await client().setSecret("expired", "still readable", { expiresOn: new Date(now - HOUR_MS) });
    await client().setSecret("not-yet-valid", "readable early", { notBefore: new Date(now + HOUR_MS) });
    await client().setSecret("disabled", "hidden", { enabled: false });

    const expired = await client().getSecret("expired");
    expect(expired.value).toBe("still readable");
    expect(expired.properties.expiresOn?.getTime()).toBe(Math.floor((now - HOUR_MS) / 1000) * 1000);
    expect((await client().getSecret("not-yet-valid")).value).toBe("readable early");
    await expect(vaultFailureOf(() => client().getSecret("disabled"))).resolves.toMatchObject({
      statusCode: 403,
      code: "Forbidden",
    });
  });
});
