// Secrets through the real SecretClient (4.12, api-version 2026-04-01), over the proxy and TLS: set, get (latest,
// by version), list in pages, list versions, update, delete with soft delete, get and list deleted, recover, purge,
// and Key Vault's errors on the way (SecretNotFound, the 409 conflict, a disabled secret, purge protection).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.ts";
import {
  scenarioWith,
  secretClientFor,
  vaultFailureOf,
  vaultRequest,
  vaultResource,
  vaultResourceId,
} from "./keyvault-fixtures.ts";

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
