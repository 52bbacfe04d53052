// Key Vault secrets through SecretClient: their lifecycle, backup and restore with validity dates, and vaults that do
// not exist (or were removed) failing as a missing host does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArmResourceRecord, type Emulator, startEmulator } from "../../src/index.ts";
import { SUBSCRIPTION_ID, SYSTEM_PRINCIPAL_ID, TENANT_ID } from "../support/default-scenario.ts";
import {
  scenarioWith,
  secretClientFor,
  vaultFailureOf,
  vaultRequest,
  vaultResource,
  vaultResourceId,
} from "../support/keyvault-fixtures.ts";
import { connectThroughProxy } from "../support/raw-requests.ts";

// Secrets through the real SecretClient (4.12, api-version 2026-04-01), over the proxy and TLS: set, get (latest,
// by version), list in pages, list versions, update, delete with soft delete, get and list deleted, recover, purge,
// and Key Vault's errors on the way (SecretNotFound, the 409 conflict, a disabled secret, purge protection).
const VAULT = "kv-lifecycle";
const PROTECTED_VAULT = "kv-protected";
const DAY = 86_400;

describe("secrets through SecretClient", () => {
  let emulator: Emulator;
  const valuesSeen: string[] = [];
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
        resources: [
          vaultResource(PROTECTED_VAULT, { enableRbacAuthorization: true, enablePurgeProtection: true }),
        ],
        roleAssignments: [
          { principal: "system", role: "Key Vault Secrets Officer", scope: vaultResourceId(VAULT) },
          { principal: "system", role: "Key Vault Secrets Officer", scope: vaultResourceId(PROTECTED_VAULT) },
        ],
      }),
    });
  });
  afterAll(() => emulator.stop());

  const remember = (value: string) => {
    valuesSeen.push(value);
    return value;
  };

  it("sets a secret and reads it back, latest and by version, with any case of its name", async () => {
    const first = await client().setSecret("app-password", remember("first-value-4f1a"), {
      contentType: "text/plain",
      tags: { env: "test" },
    });
    expect(first).toMatchObject({ name: "app-password", value: "first-value-4f1a" });
    expect(first.properties).toMatchObject({
      vaultUrl: "https://kv-lifecycle.vault.azure.net",
      contentType: "text/plain",
      tags: { env: "test" },
      enabled: true,
      recoveryLevel: "CustomizedRecoverable+Purgeable",
      recoverableDays: 7,
    });
    expect(first.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(first.properties.createdOn?.getTime()).toBe(first.properties.updatedOn?.getTime());

    const second = await client().setSecret("app-password", remember("second-value-9c2b"));
    expect(second.properties.version).not.toBe(first.properties.version);

    expect((await client().getSecret("app-password")).value).toBe("second-value-9c2b");
    expect((await client().getSecret("APP-Password")).name).toBe("app-password");
    const byVersion = await client().getSecret("app-password", { version: first.properties.version ?? "" });
    expect(byVersion.value).toBe("first-value-4f1a");
    expect(byVersion.properties.tags).toEqual({ env: "test" });
  });

  it("lists secrets in pages of at most `maxresults`, without values, following nextLink", async () => {
    for (const name of ["list-a", "list-b", "list-c", "list-d"])
      await client().setSecret(name, remember(`v-${name}`));
    const pages: string[][] = [];
    for await (const page of client().listPropertiesOfSecrets().byPage({ maxPageSize: 2 })) {
      pages.push(page.map((p) => p.name));
    }
    expect(pages).toEqual([["app-password", "list-a"], ["list-b", "list-c"], ["list-d"]]);

    const token = await emulator.issueToken({ resource: "https://vault.azure.net" });
    const first = await vaultRequest(emulator, VAULT, {
      path: "/secrets?api-version=7.4&maxresults=2",
      token,
    });
    const body = first.json as { value: Record<string, unknown>[]; nextLink: string };
    expect(body.value[0]).toEqual({
      id: "https://kv-lifecycle.vault.azure.net/secrets/app-password",
      attributes: expect.objectContaining({
        enabled: true,
        recoveryLevel: "CustomizedRecoverable+Purgeable",
      }),
    });
    expect(body.value.every((item) => !("value" in item))).toBe(true);
    expect(body.nextLink).toMatch(
      /^https:\/\/kv-lifecycle\.vault\.azure\.net:443\/secrets\?api-version=7\.4&%24skiptoken=[A-Za-z0-9_-]+&maxresults=2$/,
    );
    const last = await vaultRequest(emulator, VAULT, { path: "/secrets?api-version=7.4", token });
    expect((last.json as { nextLink: unknown }).nextLink).toBeNull();

    const tooMany = await vaultRequest(emulator, VAULT, {
      path: "/secrets?api-version=7.4&maxresults=26",
      token,
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toMatchObject({ error: { code: "BadParameter" } });
  });

  it("lists the versions of a secret, and none for a secret that does not exist", async () => {
    const versions = [];
    for await (const properties of client().listPropertiesOfSecretVersions("app-password"))
      versions.push(properties);
    expect(versions).toHaveLength(2);
    expect(versions.every((v) => v.name === "app-password" && /^[0-9a-f]{32}$/.test(v.version ?? ""))).toBe(
      true,
    );
    const none = [];
    for await (const properties of client().listPropertiesOfSecretVersions("never-set"))
      none.push(properties);
    expect(none).toEqual([]);
  });

  it("updates a version's properties; a disabled version answers 403 SecretDisabled", async () => {
    const secret = await client().setSecret("rotating", remember("rotating-value-77aa"));
    const version = secret.properties.version ?? "";
    const updated = await client().updateSecretProperties("rotating", version, {
      enabled: false,
      contentType: "application/x-password",
      tags: { rotated: "yes" },
    });
    expect(updated).toMatchObject({
      name: "rotating",
      version,
      enabled: false,
      contentType: "application/x-password",
      tags: { rotated: "yes" },
    });
    expect(await vaultFailureOf(() => client().getSecret("rotating"))).toEqual({
      statusCode: 403,
      code: "Forbidden",
      message: "Operation get is not allowed on a disabled secret.",
      innerCode: "SecretDisabled",
    });
    // Metadata stays readable.
    const listed = [];
    for await (const p of client().listPropertiesOfSecretVersions("rotating")) listed.push(p);
    expect(listed.map((p) => p.enabled)).toEqual([false]);
  });

  it("answers 404 SecretNotFound with Key Vault's message for a missing secret or version", async () => {
    expect(await vaultFailureOf(() => client().getSecret("no-such-secret"))).toEqual({
      statusCode: 404,
      code: "SecretNotFound",
      message:
        "A secret with (name/id) no-such-secret was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182",
    });
    const missingVersion = await vaultFailureOf(() =>
      client().getSecret("app-password", { version: "0123456789abcdef0123456789abcdef" }),
    );
    expect(missingVersion).toMatchObject({ statusCode: 404, code: "SecretNotFound" });
    expect(missingVersion.message).toContain(
      "(name/id) app-password/0123456789abcdef0123456789abcdef was not found",
    );
  });

  it("soft-deletes a secret, shows it among deleted secrets, refuses its name with 409, and recovers it", async () => {
    await client().setSecret("to-delete", remember("to-delete-value-31d0"), { tags: { keep: "me" } });
    const poller = await client().beginDeleteSecret("to-delete");
    const deleted = await poller.pollUntilDone();
    expect(deleted.recoveryId).toBe("https://kv-lifecycle.vault.azure.net/deletedsecrets/to-delete");
    expect(deleted.properties.tags).toEqual({ keep: "me" });
    const deletedOn = deleted.deletedOn?.getTime() ?? 0;
    expect(deleted.scheduledPurgeDate?.getTime()).toBe(deletedOn + 7 * DAY * 1000);

    expect(await vaultFailureOf(() => client().getSecret("to-delete"))).toMatchObject({
      statusCode: 404,
      code: "SecretNotFound",
    });
    expect((await client().getDeletedSecret("to-delete")).name).toBe("to-delete");
    const deletedNames = [];
    for await (const d of client().listDeletedSecrets()) deletedNames.push(d.name);
    expect(deletedNames).toEqual(["to-delete"]);

    expect(await vaultFailureOf(() => client().setSecret("to-delete", "again"))).toEqual({
      statusCode: 409,
      code: "Conflict",
      message:
        "Secret to-delete is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.",
      innerCode: "ObjectIsDeletedButRecoverable",
    });

    const recovered = await (await client().beginRecoverDeletedSecret("to-delete")).pollUntilDone();
    expect(recovered.name).toBe("to-delete");
    expect((await client().getSecret("to-delete")).value).toBe("to-delete-value-31d0");
    expect(await vaultFailureOf(() => client().getDeletedSecret("to-delete"))).toEqual({
      statusCode: 404,
      code: "SecretNotFound",
      message: "Deleted Secret not found: to-delete",
    });
  });

  it("purges a deleted secret for good: 204, then the name is free again", async () => {
    await client().setSecret("to-purge", remember("to-purge-value-5e6f"));
    await (await client().beginDeleteSecret("to-purge")).pollUntilDone();
    await client().purgeDeletedSecret("to-purge");
    expect(await vaultFailureOf(() => client().getDeletedSecret("to-purge"))).toMatchObject({
      statusCode: 404,
    });
    const again = await client().setSecret("to-purge", remember("fresh-value-0b1c"));
    const versions = [];
    for await (const p of client().listPropertiesOfSecretVersions("to-purge")) versions.push(p.version);
    expect(versions).toEqual([again.properties.version]);

    const token = await emulator.issueToken({ resource: "https://vault.azure.net" });
    await vaultRequest(emulator, VAULT, {
      method: "DELETE",
      path: "/secrets/to-purge?api-version=7.4",
      token,
    });
    const purge = await vaultRequest(emulator, VAULT, {
      method: "DELETE",
      path: "/deletedsecrets/to-purge?api-version=7.4",
      token,
    });
    expect(purge.status).toBe(204);
    expect(purge.text).toBe("");
  });

  it("refuses to purge in a vault with purge protection, whose recovery level has no +Purgeable", async () => {
    const protectedClient = secretClientFor(emulator, PROTECTED_VAULT);
    const secret = await protectedClient.setSecret("kept", remember("kept-value-c0ff"));
    expect(secret.properties.recoveryLevel).toBe("Recoverable");
    await (await protectedClient.beginDeleteSecret("kept")).pollUntilDone();
    expect(await vaultFailureOf(() => protectedClient.purgeDeletedSecret("kept"))).toEqual({
      statusCode: 403,
      code: "Forbidden",
      message:
        'Operation "purge" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed. Vault: kv-protected;location=westus2',
    });
  });

  it("never puts a secret value in the request log or the admin endpoint's state", async () => {
    expect(valuesSeen.length).toBeGreaterThan(5);
    const log = JSON.stringify(emulator.requests());
    const state = await (await fetch(`${emulator.adminUrl}/state`)).text();
    expect(state).toContain("kv-lifecycle");
    for (const value of [...valuesSeen, "Hello from Key Vault"]) {
      expect(log).not.toContain(value);
      expect(state).not.toContain(value);
    }
  });
});

// Through the real SecretClient: backup and restore of a secret (the blob restores in this world only, a foreign
// blob is Key Vault's 400 "Malformed backup blob", a taken name 409), and the validity dates as Key Vault treats
// them: `enabled: false` refuses reads (403 SecretDisabled) while `nbf` and `exp` are only stored and returned,
// since Key Vault answers a get of an expired or not-yet-valid secret with its value (Azure/AzureKeyVault#19;
// Microsoft Q&A 172834 "REST api using Activation Date").
const BACKUP_VAULT = "kv-backups";
const HOUR_MS = 3_600_000;

describe("secret backups and validity dates", () => {
  let emulator: Emulator;
  const client = () => secretClientFor(emulator, BACKUP_VAULT);

  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: await scenarioWith({
        keyVaults: [
          {
            name: BACKUP_VAULT,
            resourceGroup: "rg-msi-samples",
            enableRbacAuthorization: true,
            softDeleteRetentionInDays: 7,
          },
        ],
        roleAssignments: [
          { principal: "system", role: "Key Vault Secrets Officer", scope: vaultResourceId(BACKUP_VAULT) },
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

// A vault is served only while its `Microsoft.KeyVault/vaults` resource exists in the world: any other name under
// vault.azure.net fails like a host that does not resolve (the SDK raises ENOTFOUND), a vault added later (as ARM
// creates one) is served at once, and a removed one becomes unreachable; created again, it starts empty.
const NEW_VAULT = "kv-created-later";

function vaultRecord(createdTime: string): ArmResourceRecord {
  return {
    id: vaultResourceId(NEW_VAULT),
    subscriptionId: SUBSCRIPTION_ID,
    resourceGroup: "rg-msi-samples",
    type: "Microsoft.KeyVault/vaults",
    name: NEW_VAULT,
    location: "eastus",
    tags: {},
    properties: {
      sku: { family: "A", name: "standard" },
      tenantId: TENANT_ID,
      enableRbacAuthorization: false,
      accessPolicies: [
        {
          tenantId: TENANT_ID,
          objectId: SYSTEM_PRINCIPAL_ID,
          permissions: { secrets: ["Get", "List", "Set"] },
        },
      ],
      vaultUri: `https://${NEW_VAULT}.vault.azure.net/`,
    },
    createdTime,
    changedTime: createdTime,
  };
}

describe("which vault hosts exist", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  it("refuses CONNECT to a vault name that does not exist, so SecretClient sees ENOTFOUND", async () => {
    const refused = await connectThroughProxy(emulator.port, "kv-never-created.vault.azure.net:443");
    expect(refused.status).toBe(404);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "ENOTFOUND" } });
    await expect(
      secretClientFor(emulator, "kv-never-created").getSecret("sample-secret"),
    ).rejects.toMatchObject({
      code: "ENOTFOUND",
    });
  });

  it("serves a vault added to the world after start (as an ARM create does), with its access policies", async () => {
    await expect(secretClientFor(emulator, NEW_VAULT).getSecret("anything")).rejects.toMatchObject({
      code: "ENOTFOUND",
    });
    emulator.world.putResource(vaultRecord("2026-01-01T00:00:00.000Z"));
    const client = secretClientFor(emulator, NEW_VAULT);
    await client.setSecret("created-later", "value-in-new-vault");
    expect((await client.getSecret("created-later")).value).toBe("value-in-new-vault");
  });

  it("stops serving a vault removed from the world: its host no longer resolves", async () => {
    expect(emulator.world.deleteResource(vaultResourceId(NEW_VAULT))).toBe(true);
    const refused = await connectThroughProxy(emulator.port, `${NEW_VAULT}.vault.azure.net:443`);
    expect(refused.status).toBe(404);
    await expect(secretClientFor(emulator, NEW_VAULT).getSecret("created-later")).rejects.toMatchObject({
      code: "ENOTFOUND",
    });
  });

  it("starts a vault created again under the same name empty", async () => {
    emulator.world.putResource(vaultRecord("2026-02-01T00:00:00.000Z"));
    expect(
      await vaultFailureOf(() => secretClientFor(emulator, NEW_VAULT).getSecret("created-later")),
    ).toMatchObject({
      statusCode: 404,
      code: "SecretNotFound",
    });
  });

  it("still serves the scenario's vault throughout", async () => {
    const secret = await secretClientFor(emulator, "kv-msi-samples").getSecret("sample-secret");
    expect(secret.value).toContain("Hello from Key Vault");
  });
});
