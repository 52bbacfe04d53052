// Who may call Key Vault: the challenge flow (401, then the token), bad tokens answered 401, and a missing
// permission 403.
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator } from "../../src/index.ts";
import {
  SUBSCRIPTION_ID,
  SYSTEM_CLIENT_ID,
  SYSTEM_PRINCIPAL_ID,
  TENANT_ID,
  USER_ASSIGNED_CLIENT_ID,
  USER_ASSIGNED_NAME,
  USER_ASSIGNED_PRINCIPAL_ID,
  USER_ASSIGNED_RESOURCE_ID,
  VM_RESOURCE_ID,
} from "../support/default-scenario.ts";
import { startEmulatorOnFilePort } from "../support/file-proxy-port.ts";
import {
  OTHER_TENANT_ID,
  STRANGER_OBJECT_ID,
  scenarioWith,
  secretClientFor,
  vaultFailureOf,
  vaultRequest,
  vaultResource,
  vaultResourceId,
} from "../support/keyvault-fixtures.ts";
import { fixedTokenCredential } from "../support/sdk-calls.ts";

// Key Vault's challenge flow: a request without a token gets 401 with the Bearer challenge (tenant and resource), the
// real SecretClient then fetches a token for https://vault.azure.net from IMDS and replays. Also the request shapes
// every client sends: `api%2Dversion`, older api-versions, trailing slashes, `//` and any path case.
const VAULT = "kv-msi-samples";
const SAMPLE_VALUE = "Hello from Key Vault: the VM's managed identity read this secret.";

describe("the Key Vault challenge flow", () => {
  let emulator: Emulator;
  let token: string;
  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort();
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

// Key Vault checks the bearer token as Azure does: signed by a key it knows, for https://vault.azure.net, not expired,
// issued by the vault's tenant. Each failure is 401 Unauthorized with Key Vault's AKV message and its challenge.
const PATH = "/secrets/sample-secret?api-version=2026-04-01";
const CHALLENGE = `Bearer authorization="https://login.microsoftonline.com/${TENANT_ID}", resource="https://vault.azure.net"`;

describe("Key Vault token checks", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort({
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

// Key Vault authorization: an RBAC vault grants data actions through role assignments inherited from the
// subscription, group, vault or secret; an access-policy vault grants the permissions of the caller's policy. Every
// denial is 403 Forbidden with Key Vault's message (ForbiddenByRbac or AccessDenied), driven with the real SecretClient.
const SYSTEM_CALLER = `appid=${SYSTEM_CLIENT_ID};oid=${SYSTEM_PRINCIPAL_ID};iss=https://sts.windows.net/${TENANT_ID}/;xms_mirid=${VM_RESOURCE_ID}`;
const USER_CALLER = `appid=${USER_ASSIGNED_CLIENT_ID};oid=${USER_ASSIGNED_PRINCIPAL_ID};iss=https://sts.windows.net/${TENANT_ID}/;xms_mirid=${USER_ASSIGNED_RESOURCE_ID};xms_az_rid=${VM_RESOURCE_ID}`;

function rbacDenial(caller: string, action: string, resource: string, vault: string): string {
  return [
    "Caller is not authorized to perform action on resource.",
    "If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.",
    `Caller: ${caller}`,
    `Action: '${action}'`,
    `Resource: '${resource}'`,
    "Assignment: (not found)",
    "DenyAssignmentId: null",
    "DecisionReason: null ",
    `Vault: ${vault};location=westus2`,
    "",
  ].join("\r\n");
}

const policyDenial = (caller: string, permission: string, vault: string) =>
  `The user, group or application '${caller}' does not have secrets ${permission} permission on key vault '${vault};location=westus2'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`;

describe("Key Vault permissions", () => {
  let emulator: Emulator;
  const systemClient = (vault: string) => secretClientFor(emulator, vault);
  const userClient = (vault: string) =>
    secretClientFor(
      emulator,
      vault,
      new ManagedIdentityCredential({ clientId: USER_ASSIGNED_CLIENT_ID, ...clientOptionsFor(emulator) }),
    );

  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort({
      scenario: await scenarioWith({
        keyVaults: [
          {
            name: "kv-no-role",
            resourceGroup: "rg-msi-samples",
            secrets: [{ name: "db-password", value: "x" }],
          },
          {
            name: "kv-inherited",
            resourceGroup: "rg-workshop-data",
            secrets: [{ name: "db-password", value: "inherited-value" }],
          },
          {
            name: "kv-one-secret",
            resourceGroup: "rg-msi-samples",
            secrets: [
              { name: "allowed", value: "allowed-value" },
              { name: "other", value: "other-value" },
            ],
          },
          {
            name: "kv-policies",
            resourceGroup: "rg-msi-samples",
            enableRbacAuthorization: false,
            accessPolicies: [
              { principal: "system", permissions: { secrets: ["get", "set"] } },
              { principal: USER_ASSIGNED_NAME, permissions: { secrets: ["list"] } },
            ],
            secrets: [{ name: "api-key", value: "policy-value" }],
          },
          {
            name: "kv-strangers",
            resourceGroup: "rg-msi-samples",
            enableRbacAuthorization: false,
            accessPolicies: [{ principal: STRANGER_OBJECT_ID, permissions: { secrets: ["all"] } }],
            secrets: [{ name: "api-key", value: "stranger-value" }],
          },
        ],
        roleAssignments: [
          // Inherited from the resource group the vault is in.
          {
            principal: "system",
            role: "Key Vault Secrets User",
            scope: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-workshop-data`,
          },
          // RBAC roles mean nothing to an access-policy vault.
          {
            principal: USER_ASSIGNED_NAME,
            role: "Key Vault Administrator",
            scope: vaultResourceId("kv-strangers"),
          },
          // Assigned on one secret only.
          {
            principal: "system",
            role: "Key Vault Secrets User",
            scope: `${vaultResourceId("kv-one-secret")}/secrets/allowed`,
          },
        ],
      }),
    });
  });
  afterAll(() => emulator.stop());

  describe("RBAC vaults", () => {
    it("denies an identity without any role: 403 ForbiddenByRbac naming caller, action, resource and vault", async () => {
      expect(await vaultFailureOf(() => systemClient("kv-no-role").getSecret("db-password"))).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "ForbiddenByRbac",
        message: rbacDenial(
          SYSTEM_CALLER,
          "Microsoft.KeyVault/vaults/secrets/getSecret/action",
          `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-msi-samples/providers/microsoft.keyvault/vaults/kv-no-role/secrets/db-password`,
          "kv-no-role",
        ),
      });
    });

    it("denies listing without readMetadata on the vault", async () => {
      const pages = systemClient("kv-no-role").listPropertiesOfSecrets().byPage();
      const failure = await vaultFailureOf(() => pages.next());
      expect(failure).toMatchObject({ statusCode: 403, code: "Forbidden" });
    });

    it("lets Key Vault Secrets User read but not set: setSecret/action is denied", async () => {
      expect((await systemClient("kv-msi-samples").getSecret("sample-secret")).value).toContain("Hello");
      expect(
        await vaultFailureOf(() => systemClient("kv-msi-samples").setSecret("sample-secret", "new")),
      ).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "ForbiddenByRbac",
        message: rbacDenial(
          SYSTEM_CALLER,
          "Microsoft.KeyVault/vaults/secrets/setSecret/action",
          `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-msi-samples/providers/microsoft.keyvault/vaults/kv-msi-samples/secrets/sample-secret`,
          "kv-msi-samples",
        ),
      });
      for (const denied of [
        () => systemClient("kv-msi-samples").beginDeleteSecret("sample-secret"),
        () => systemClient("kv-msi-samples").updateSecretProperties("sample-secret", "", { enabled: false }),
        () => systemClient("kv-msi-samples").purgeDeletedSecret("sample-secret"),
      ]) {
        expect(await vaultFailureOf(denied)).toMatchObject({ statusCode: 403, innerCode: "ForbiddenByRbac" });
      }
    });

    it("names the user-assigned identity with its own resource ID and the VM's", async () => {
      const failure = await vaultFailureOf(() => userClient("kv-no-role").getSecret("db-password"));
      expect(failure.message).toContain(`Caller: ${USER_CALLER}\r\n`);
    });

    it("inherits a role assigned on the resource group", async () => {
      expect((await systemClient("kv-inherited").getSecret("db-password")).value).toBe("inherited-value");
    });

    it("honours a role assigned on a single secret, and only on that secret", async () => {
      expect((await systemClient("kv-one-secret").getSecret("allowed")).value).toBe("allowed-value");
      expect(await vaultFailureOf(() => systemClient("kv-one-secret").getSecret("other"))).toMatchObject({
        statusCode: 403,
        innerCode: "ForbiddenByRbac",
      });
    });
  });

  describe("access-policy vaults", () => {
    it("grants what the caller's policy lists (get, set)", async () => {
      expect((await systemClient("kv-policies").getSecret("api-key")).value).toBe("policy-value");
      await systemClient("kv-policies").setSecret("api-key", "rotated-by-policy");
    });

    it("denies list without the list permission: 403 AccessDenied naming the permission and the vault", async () => {
      // A paged list keeps only status and code in its RestError; a get keeps the whole body.
      const pages = systemClient("kv-policies").listPropertiesOfSecrets().byPage();
      expect(await vaultFailureOf(() => pages.next())).toMatchObject({ statusCode: 403, code: "Forbidden" });
      expect(await vaultFailureOf(() => systemClient("kv-policies").getDeletedSecret("api-key"))).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "AccessDenied",
        message: policyDenial(SYSTEM_CALLER, "list", "kv-policies"),
      });
    });

    it("denies delete without the delete permission", async () => {
      expect(await vaultFailureOf(() => systemClient("kv-policies").beginDeleteSecret("api-key"))).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "AccessDenied",
        message: policyDenial(SYSTEM_CALLER, "delete", "kv-policies"),
      });
    });

    it("denies get and set to an identity whose policy only lists", async () => {
      const names = [];
      for await (const p of userClient("kv-policies").listPropertiesOfSecrets()) names.push(p.name);
      expect(names).toEqual(["api-key"]);
      expect(await vaultFailureOf(() => userClient("kv-policies").getSecret("api-key"))).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "AccessDenied",
        message: policyDenial(USER_CALLER, "get", "kv-policies"),
      });
      expect(await vaultFailureOf(() => userClient("kv-policies").setSecret("api-key", "nope"))).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "AccessDenied",
        message: policyDenial(USER_CALLER, "set", "kv-policies"),
      });
    });

    it("denies a caller that is on no access policy at all", async () => {
      expect(await vaultFailureOf(() => systemClient("kv-strangers").getSecret("api-key"))).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "AccessDenied",
        message: [
          "Access denied. Caller was not found on any access policy.",
          `Caller: ${SYSTEM_CALLER}`,
          "Vault: kv-strangers;location=westus2",
        ].join("\r\n"),
      });
    });

    it("ignores role assignments on an access-policy vault", async () => {
      // The user-assigned identity is Key Vault Administrator on this vault, but the vault uses access policies.
      expect(await vaultFailureOf(() => userClient("kv-strangers").getSecret("api-key"))).toMatchObject({
        statusCode: 403,
        innerCode: "AccessDenied",
      });
    });
  });
});
