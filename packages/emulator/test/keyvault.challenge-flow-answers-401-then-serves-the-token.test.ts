// Key Vault's challenge flow: a request without a token gets 401 with the Bearer challenge (tenant and resource), the
// real SecretClient then fetches a token for https://vault.azure.net from IMDS and replays. Also the request shapes
// every client sends: `api%2Dversion`, older api-versions, trailing slashes, `//` and any path case.
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { TENANT_ID } from "./default-scenario.ts";
import { secretClientFor, vaultRequest } from "./keyvault-fixtures.ts";

const VAULT = "kv-msi-samples";
const SAMPLE_VALUE = "Hello from Key Vault: the VM's managed identity read this secret.";

describe("the Key Vault challenge flow", () => {
  let emulator: Emulator;
  let token: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    token = (
      await new ManagedIdentityCredential(clientOptionsFor(emulator)).getToken(
        "https://vault.azure.net/.default",
      )
    ).token;
  });
  afterAll(() => emulator.stop());

  it("answers a request without a token with 401 and the Bearer challenge, exactly", async () => {
    // What the SDK's first request looks like: the PUT with its body stripped.
    const response = await vaultRequest(emulator, VAULT, {
      method: "PUT",
      path: "/secrets/sample-secret?api%2Dversion=2026-04-01",
      headers: { "content-length": "0" },
    });
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toBe(
      `Bearer authorization="https://login.microsoftonline.com/${TENANT_ID}", resource="https://vault.azure.net"`,
    );
    expect(response.text).toBe(
      '{"error":{"code":"Unauthorized","message":"AKV10000: Request is missing a Bearer, PoP, or MTLS_POP token."}}',
    );
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.headers["x-ms-keyvault-region"]).toBe("westus2");
    expect(response.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("lets the real SecretClient answer the challenge and read the seeded secret", async () => {
    emulator.clearRequests();
    const secret = await secretClientFor(emulator, VAULT).getSecret("sample-secret");
    expect(secret.value).toBe(SAMPLE_VALUE);
    expect(secret.name).toBe("sample-secret");
    expect(secret.properties.vaultUrl).toBe("https://kv-msi-samples.vault.azure.net");
    expect(secret.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(secret.properties.contentType).toBe("text/plain");
    expect(secret.properties.createdOn).toBeInstanceOf(Date);
    const vaultRequests = emulator.requests().filter((r) => r.service === "keyvault");
    expect(vaultRequests.map((r) => [r.method, r.status])).toEqual([
      ["GET", 401],
      ["GET", 200],
    ]);
    // The SDK reads the latest version with a trailing slash and the current api-version, with its name encoded.
    expect(vaultRequests[1]?.path).toBe("/secrets/sample-secret/?api%2Dversion=2026-04-01");
    expect(vaultRequests[1]?.principal).toMatchObject({ identity: "system" });
  });

  it("answers Key Vault's bundle shape: id, dates in Unix seconds, recovery level", async () => {
    const response = await vaultRequest(emulator, VAULT, {
      path: "/secrets/sample-secret?api-version=7.4",
      token,
    });
    expect(response.status).toBe(200);
    const body = response.json as { value: string; id: string; attributes: Record<string, unknown> };
    expect(body.value).toBe(SAMPLE_VALUE);
    expect(body.id).toMatch(
      /^https:\/\/kv-msi-samples\.vault\.azure\.net\/secrets\/sample-secret\/[0-9a-f]{32}$/,
    );
    expect(body.attributes).toEqual({
      enabled: true,
      created: expect.any(Number),
      updated: expect.any(Number),
      recoveryLevel: "Recoverable+Purgeable",
      recoverableDays: 90,
    });
    expect(body.attributes.created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(body.attributes.created).toBeGreaterThan(1_700_000_000);
  });

  it("accepts the api-versions older SDKs, the Python client and the CLI send", async () => {
    for (const apiVersion of [
      "2016-10-01",
      "7.0",
      "7.1",
      "7.2",
      "7.3",
      "7.5",
      "7.6",
      "7.6-preview.2",
      "2025-07-01",
    ]) {
      const response = await vaultRequest(emulator, VAULT, {
        path: `/secrets/sample-secret/?api-version=${apiVersion}`,
        token,
      });
      expect({ apiVersion, status: response.status }).toEqual({ apiVersion, status: 200 });
    }
  });

  it("refuses an api-version it does not know, and a missing one, with BadParameter", async () => {
    const unknown = await vaultRequest(emulator, VAULT, {
      path: "/secrets/sample-secret?api-version=7.9",
      token,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({
      error: {
        code: "BadParameter",
        message:
          "The specified version (7.9) is not recognized. Consider using the latest supported version (2026-04-01).",
      },
    });
    const missing = await vaultRequest(emulator, VAULT, { path: "/secrets/sample-secret", token });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ error: { code: "BadParameter" } });
  });

  it("matches paths as Key Vault does: any case, `//`, trailing slash", async () => {
    for (const path of [
      "/Secrets/sample-secret?api-version=7.4",
      "//secrets/sample-secret?api-version=7.4",
      "/SECRETS/Sample-Secret/?api-version=7.4",
    ]) {
      const response = await vaultRequest(emulator, VAULT, { path, token });
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect((response.json as { value: string }).value).toBe(SAMPLE_VALUE);
    }
  });

  it("refuses a secret name that is not 1-127 letters, digits and hyphens", async () => {
    const response = await vaultRequest(emulator, VAULT, {
      path: "/secrets/bad_name?api-version=7.4",
      token,
    });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: { code: "BadParameter", message: "The request URI contains an invalid name: bad_name" },
    });
    await expect(secretClientFor(emulator, VAULT).getSecret("x".repeat(128))).rejects.toMatchObject({
      statusCode: 400,
      code: "BadParameter",
    });
  });
});
