// Key Vault checks the bearer token as Azure does: signed by a key it knows, for https://vault.azure.net, not expired,
// issued by the vault's tenant. Each failure is 401 Unauthorized with Key Vault's AKV message and its challenge.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.ts";
import { TENANT_ID } from "./default-scenario.ts";
import {
  OTHER_TENANT_ID,
  scenarioWith,
  secretClientFor,
  vaultFailureOf,
  vaultRequest,
  vaultResource,
  vaultResourceId,
} from "./keyvault-fixtures.ts";
import { fixedTokenCredential } from "./sdk-calls.ts";

const VAULT = "kv-msi-samples";
const PATH = "/secrets/sample-secret?api-version=2026-04-01";
const CHALLENGE = `Bearer authorization="https://login.microsoftonline.com/${TENANT_ID}", resource="https://vault.azure.net"`;

describe("Key Vault token checks", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: await scenarioWith({
        resources: [
          vaultResource("kv-other-tenant", { tenantId: OTHER_TENANT_ID, enableRbacAuthorization: true }),
        ],
        roleAssignments: [
          { principal: "system", role: "Key Vault Secrets User", scope: vaultResourceId("kv-other-tenant") },
        ],
      }),
    });
  });
  afterAll(() => emulator.stop());

  const unauthorized = (message: string) => ({ error: { code: "Unauthorized", message } });

  it("refuses a token for another resource with AKV10022, also through SecretClient", async () => {
    const armToken = await emulator.issueToken({ resource: "https://management.azure.com/" });
    const response = await vaultRequest(emulator, VAULT, { path: PATH, token: armToken });
    expect(response.status).toBe(401);
    expect(response.json).toEqual(
      unauthorized(
        "AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com/.",
      ),
    );
    expect(response.headers["www-authenticate"]).toBe(CHALLENGE);

    const client = secretClientFor(emulator, VAULT, fixedTokenCredential(armToken));
    expect(await vaultFailureOf(() => client.getSecret("sample-secret"))).toMatchObject({
      statusCode: 401,
      code: "Unauthorized",
      message:
        "AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com/.",
    });
  });

  it("refuses the resource with a trailing slash, and accepts Key Vault's application ID as audience", async () => {
    const withSlash = await emulator.issueToken({ resource: "https://vault.azure.net/" });
    expect((await vaultRequest(emulator, VAULT, { path: PATH, token: withSlash })).json).toEqual(
      unauthorized(
        "AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://vault.azure.net/.",
      ),
    );
    const byAppId = await emulator.issueToken({ resource: "cfa8b339-82a2-471a-a3c9-0fc0be7a4093" });
    expect((await vaultRequest(emulator, VAULT, { path: PATH, token: byAppId })).status).toBe(200);
  });

  it("refuses an expired token with [TokenExpired]", async () => {
    const expired = await emulator.issueToken({ resource: "https://vault.azure.net", lifetimeSeconds: -60 });
    const response = await vaultRequest(emulator, VAULT, { path: PATH, token: expired });
    expect(response.status).toBe(401);
    expect(response.json).toEqual(unauthorized("[TokenExpired] Error validating token: 'S2S12086'."));
    expect(response.headers["www-authenticate"]).toBe(CHALLENGE);
  });

  it("refuses a token whose signature does not verify with AKV10046", async () => {
    const token = await emulator.issueToken({ resource: "https://vault.azure.net" });
    const [header = "", payload, signature = ""] = token.split(".");
    const tampered = `${header}.${payload}.${signature.slice(0, -4)}${signature.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    const response = await vaultRequest(emulator, VAULT, { path: PATH, token: tampered });
    expect(response.status).toBe(401);
    expect(response.json).toEqual(
      unauthorized(
        `AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '${header}'.`,
      ),
    );
  });

  it("refuses a token from another tenant than the vault's with AKV10032, challenging with the vault's tenant", async () => {
    const token = await emulator.issueToken({ resource: "https://vault.azure.net" });
    const response = await vaultRequest(emulator, "kv-other-tenant", { path: PATH, token });
    expect(response.status).toBe(401);
    expect(response.json).toEqual(
      unauthorized(
        `AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${OTHER_TENANT_ID}/, found https://sts.windows.net/${TENANT_ID}/.`,
      ),
    );
    expect(response.headers["www-authenticate"]).toBe(
      `Bearer authorization="https://login.microsoftonline.com/${OTHER_TENANT_ID}", resource="https://vault.azure.net"`,
    );
  });

  it("answers the challenge for a scheme other than Bearer", async () => {
    const response = await vaultRequest(emulator, VAULT, {
      path: PATH,
      headers: { authorization: "Basic dXNlcjpwYXNz" },
    });
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toBe(CHALLENGE);
  });
});
