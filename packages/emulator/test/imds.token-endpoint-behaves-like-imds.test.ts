// IMDS token endpoint details, checked with raw requests through the proxy (what the SDK hides) and the real SDK.
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import {
  SUBSCRIPTION_ID,
  SYSTEM_CLIENT_ID,
  SYSTEM_PRINCIPAL_ID,
  TENANT_ID,
  USER_ASSIGNED_CLIENT_ID,
  USER_ASSIGNED_PRINCIPAL_ID,
  USER_ASSIGNED_RESOURCE_ID,
  VM_RESOURCE_ID,
} from "./default-scenario.ts";
import { decodeJwtPayload, originFormHttp, proxiedHttp } from "./raw-requests.ts";

const TOKEN_URL = "http://169.254.169.254/metadata/identity/oauth2/token";
const ARM = "https://management.azure.com/";

describe("IMDS token endpoint", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  it("answers with every field as a string, expires_on in the future and resource echoed", async () => {
    const response = await proxiedHttp(
      emulator.port,
      `${TOKEN_URL}?api-version=2018-02-01&resource=${encodeURIComponent(ARM)}`,
      {
        Metadata: "true",
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    const body = response.json as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      [
        "access_token",
        "client_id",
        "expires_in",
        "expires_on",
        "ext_expires_in",
        "not_before",
        "resource",
        "token_type",
      ].sort(),
    );
    for (const value of Object.values(body)) expect(typeof value).toBe("string");
    expect(body.resource).toBe(ARM);
    expect(body.token_type).toBe("Bearer");
    expect(body.client_id).toBe(SYSTEM_CLIENT_ID);
    expect(Number(body.expires_on)).toBeGreaterThan(Date.now() / 1000 + 3600);

    const claims = decodeJwtPayload(String(body.access_token));
    expect(claims).toMatchObject({
      aud: ARM,
      iss: `https://sts.windows.net/${TENANT_ID}/`,
      tid: TENANT_ID,
      oid: SYSTEM_PRINCIPAL_ID,
      sub: SYSTEM_PRINCIPAL_ID,
      appid: SYSTEM_CLIENT_ID,
      idtyp: "app",
      ver: "1.0",
      xms_mirid: VM_RESOURCE_ID,
      exp: Number(body.expires_on),
      nbf: Number(body.not_before),
    });
    expect(typeof claims.uti).toBe("string");
    expect(typeof claims.iat).toBe("number");
  });

  it("rejects a request without the Metadata header with IMDS's own error", async () => {
    const response = await proxiedHttp(emulator.port, `${TOKEN_URL}?api-version=2018-02-01&resource=${ARM}`);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: "invalid_request",
      error_description: "Required metadata header not specified",
    });
  });

  it("answers the legacy DefaultAzureCredential probe (no query, no header) with an HTTP error, as IMDS does", async () => {
    const response = await proxiedHttp(emulator.port, TOKEN_URL);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: "invalid_request" });
  });

  it("rejects X-Forwarded-For", async () => {
    const response = await proxiedHttp(emulator.port, `${TOKEN_URL}?api-version=2018-02-01&resource=${ARM}`, {
      Metadata: "true",
      "X-Forwarded-For": "10.0.0.9",
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: "invalid_request" });
  });

  it("requires api-version and lists the newest versions", async () => {
    const response = await proxiedHttp(emulator.port, `${TOKEN_URL}?resource=${ARM}`, { Metadata: "true" });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error:
        "Bad request. api-version is invalid or was not specified in the request. For more information refer to aka.ms/azureimds",
      "newest-versions": ["2025-04-07", "2024-07-17", "2024-03-15"],
    });
  });

  it("requires resource", async () => {
    const response = await proxiedHttp(emulator.port, `${TOKEN_URL}?api-version=2018-02-01`, {
      Metadata: "true",
    });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: "invalid_request",
      error_description: "Required query variable 'resource' is missing",
    });
  });

  it("accepts at most one of client_id, object_id and msi_res_id", async () => {
    const query = `api-version=2018-02-01&resource=${ARM}&client_id=${USER_ASSIGNED_CLIENT_ID}&object_id=${USER_ASSIGNED_PRINCIPAL_ID}`;
    const response = await proxiedHttp(emulator.port, `${TOKEN_URL}?${query}`, { Metadata: "true" });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: "invalid_request" });
  });

  it("serves origin-form /metadata on the proxy port too, with a trailing slash (AZURE_POD_IDENTITY_AUTHORITY_HOST)", async () => {
    const response = await originFormHttp(
      emulator.port,
      `/metadata/identity/oauth2/token/?api-version=2018-02-01&resource=${ARM}`,
      {
        Metadata: "true",
      },
    );
    expect(response.status).toBe(200);
    expect((response.json as { resource: string }).resource).toBe(ARM);
  });

  it("selects the user-assigned identity by client_id, object_id or msi_res_id (real SDK)", async () => {
    const options = clientOptionsFor(emulator);
    const selectors = [
      { clientId: USER_ASSIGNED_CLIENT_ID },
      { objectId: USER_ASSIGNED_PRINCIPAL_ID },
      { resourceId: USER_ASSIGNED_RESOURCE_ID },
    ];
    for (const selector of selectors) {
      const token = await new ManagedIdentityCredential({ ...selector, ...options }).getToken(
        "https://vault.azure.net/.default",
      );
      const claims = decodeJwtPayload(token.token);
      expect(claims).toMatchObject({
        oid: USER_ASSIGNED_PRINCIPAL_ID,
        appid: USER_ASSIGNED_CLIENT_ID,
        xms_mirid: USER_ASSIGNED_RESOURCE_ID,
      });
      expect(claims.xms_az_rid).toBe(VM_RESOURCE_ID);
    }
  });

  it("answers 400 'Identity not found' for an identity the VM does not have (real SDK, no 404 retries)", async () => {
    const credential = new ManagedIdentityCredential({
      clientId: "00000000-1111-2222-3333-444444444444",
      ...clientOptionsFor(emulator),
    });
    await expect(credential.getToken("https://management.azure.com/.default")).rejects.toThrow(
      /Identity not found/,
    );
    const failed = emulator.requests().filter((e) => e.service === "imds" && e.status === 400);
    expect(failed.length).toBeGreaterThan(0);
  });

  it("reports the subscription it runs in through instance metadata", async () => {
    const response = await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
      { Metadata: "true" },
    );
    expect(response.status).toBe(200);
    const body = response.json as { compute: Record<string, unknown>; network: { interface: unknown[] } };
    expect(body.compute).toMatchObject({
      azEnvironment: "AzurePublicCloud",
      location: "westus2",
      name: "vm-msi-samples",
      resourceGroupName: "rg-msi-samples",
      subscriptionId: SUBSCRIPTION_ID,
      vmId: "e4a9b2c7-6d13-4f85-a0e2-9b7c3d5f1168",
      vmSize: "Standard_B2s",
      osType: "Linux",
      resourceId: VM_RESOURCE_ID,
      tags: "environment:workshop;owner:msi-samples",
    });
    expect(body.network.interface).toHaveLength(1);

    const compute = await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance/compute?api-version=2021-02-01",
      {
        Metadata: "true",
      },
    );
    expect((compute.json as Record<string, unknown>).subscriptionId).toBe(SUBSCRIPTION_ID);
    const leaf = await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance/compute/location?api-version=2021-02-01&format=text",
      {
        Metadata: "true",
      },
    );
    expect(leaf.text).toBe("westus2");
  });

  it("rejects instance metadata without the Metadata header or with an unknown api-version", async () => {
    const noHeader = await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
    );
    expect(noHeader.status).toBe(400);
    expect(noHeader.json).toEqual({ error: "Bad request. Required metadata header not specified" });
    const badVersion = await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance?api-version=1999-01-01",
      { Metadata: "true" },
    );
    expect(badVersion.status).toBe(400);
    expect(badVersion.json).toHaveProperty("newest-versions");
  });
});
