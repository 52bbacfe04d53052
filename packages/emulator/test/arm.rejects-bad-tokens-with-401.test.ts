// ARM checks the bearer token as Azure does: audience, expiry, signature, presence; each failure is a 401 with
// ARM's error code and a WWW-Authenticate challenge. Driven with the real ResourceManagementClient.
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { SUBSCRIPTION_ID } from "./default-scenario.ts";
import { httpsThroughProxy } from "./raw-requests.ts";
import { drain, fixedTokenCredential, rejectionOf } from "./sdk-calls.ts";

describe("ARM authentication failures", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  const listGroupsWith = (token: string) =>
    drain(
      new ResourceManagementClient(
        fixedTokenCredential(token),
        SUBSCRIPTION_ID,
        clientOptionsFor(emulator),
      ).resourceGroups.list(),
    );
  // A get keeps ARM's message in the RestError (a paged list keeps only the code).
  const getGroupWith = (token: string) =>
    new ResourceManagementClient(
      fixedTokenCredential(token),
      SUBSCRIPTION_ID,
      clientOptionsFor(emulator),
    ).resourceGroups.get("rg-msi-samples");

  it("refuses a token for another audience with InvalidAuthenticationTokenAudience", async () => {
    const credential = new ManagedIdentityCredential(clientOptionsFor(emulator));
    const vaultToken = await credential.getToken("https://vault.azure.net/.default");
    await expect(listGroupsWith(vaultToken.token)).rejects.toMatchObject({
      statusCode: 401,
      code: "InvalidAuthenticationTokenAudience",
    });
    const failure = await rejectionOf(() => getGroupWith(vaultToken.token));
    expect(failure).toMatchObject({ statusCode: 401, code: "InvalidAuthenticationTokenAudience" });
    expect(failure.message).toBe(
      "The access token has been obtained for wrong audience or resource 'https://vault.azure.net'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.",
    );
  });

  it("refuses an expired token with ExpiredAuthenticationToken", async () => {
    const expired = await emulator.issueToken({
      resource: "https://management.azure.com",
      lifetimeSeconds: -120,
    });
    await expect(listGroupsWith(expired)).rejects.toMatchObject({
      statusCode: 401,
      code: "ExpiredAuthenticationToken",
    });
    const failure = await rejectionOf(() => getGroupWith(expired));
    expect(failure).toMatchObject({ statusCode: 401, code: "ExpiredAuthenticationToken" });
    expect(failure.message).toMatch(
      /^The access token expiry UTC time '.+' is earlier than current UTC time '.+'\.$/,
    );
  });

  it("refuses a token whose signature does not verify", async () => {
    const token = await emulator.issueToken({ resource: "https://management.azure.com" });
    const [header, payload, signature = ""] = token.split(".");
    const tampered = `${header}.${payload}.${signature.slice(0, -4)}${signature.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    await expect(getGroupWith(tampered)).rejects.toMatchObject({
      statusCode: 401,
      code: "InvalidAuthenticationToken",
      message: "The access token is invalid.",
    });
  });

  it("accepts every ARM audience spelling", async () => {
    for (const audience of [
      "https://management.azure.com",
      "https://management.azure.com/",
      "https://management.core.windows.net/",
    ]) {
      const token = await emulator.issueToken({ resource: audience });
      await expect(listGroupsWith(token)).resolves.toBeUndefined();
    }
  });

  it("answers a request without Authorization with AuthenticationFailed and a Bearer challenge", async () => {
    const response = await httpsThroughProxy(emulator.port, {
      path: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups?api-version=2025-04-01`,
    });
    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      error: {
        code: "AuthenticationFailed",
        message: "Authentication failed. The 'Authorization' header is missing.",
      },
    });
    expect(response.headers["www-authenticate"]).toMatch(
      /^Bearer authorization_uri="https:\/\/login\.windows\.net\/", error="invalid_token"/,
    );
  });

  it("sends the WWW-Authenticate challenge with every 401", async () => {
    const expired = await emulator.issueToken({
      resource: "https://management.azure.com",
      lifetimeSeconds: -120,
    });
    const response = await httpsThroughProxy(emulator.port, {
      path: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups?api-version=2025-04-01`,
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toContain(
      'error_description="The access token expiry UTC time',
    );
  });
});
