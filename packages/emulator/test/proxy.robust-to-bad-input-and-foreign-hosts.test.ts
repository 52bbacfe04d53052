// Robustness: malformed JSON, unknown routes, oversized bodies, unparsable HTTP, foreign hosts and unknown vaults
// all get JSON answers (never HTML), and the emulator keeps serving afterwards.
import net from "node:net";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { SUBSCRIPTION_ID } from "./default-scenario.ts";
import { connectThroughProxy, httpsThroughProxy, proxiedHttp } from "./raw-requests.ts";
import { fixedTokenCredential } from "./sdk-calls.ts";

describe("robustness", () => {
  let emulator: Emulator;
  let headers: Record<string, string>;
  beforeAll(async () => {
    emulator = await startEmulator();
    headers = {
      authorization: `Bearer ${await emulator.issueToken({ resource: "https://management.azure.com" })}`,
      "content-type": "application/json",
    };
  });
  afterAll(() => emulator.stop());

  it("answers malformed JSON with 400 InvalidRequestContent", async () => {
    const response = await httpsThroughProxy(emulator.port, {
      method: "PUT",
      path: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-bad?api-version=2025-04-01`,
      headers,
      body: "{ not json",
    });
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.json).toMatchObject({ error: { code: "InvalidRequestContent" } });
  });

  it("answers an unknown route with 404 and an ARM error body", async () => {
    const response = await httpsThroughProxy(emulator.port, {
      path: "/no/such/thing?api-version=2025-04-01",
      headers,
    });
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({
      error: { code: "NotFound", message: expect.stringContaining("/no/such/thing") },
    });
  });

  it("refuses an oversized body with 413", async () => {
    const response = await httpsThroughProxy(emulator.port, {
      method: "PUT",
      path: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-big?api-version=2025-04-01`,
      headers,
      body: JSON.stringify({ location: "westus2", tags: { big: "x".repeat(5 * 1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ error: { code: "RequestEntityTooLarge" } });
  });

  it("answers garbage that is not HTTP with a JSON 400, then keeps serving", async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(emulator.port, "127.0.0.1", () =>
        socket.write("\x16\x03\x01 this is not http\r\n\r\n"),
      );
      let data = "";
      socket.on("data", (c) => (data += c));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(reply).toContain("application/json");
    const response = await httpsThroughProxy(emulator.port, {
      path: `/subscriptions/${SUBSCRIPTION_ID}?api-version=2022-12-01`,
      headers,
    });
    expect(response.status).toBe(200);
  });

  it("refuses a host it does not emulate, naming it, without going to the internet", async () => {
    const refused = await connectThroughProxy(emulator.port, "example.com:443");
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({
      error: { code: "HostNotEmulated", message: expect.stringContaining("'example.com'") },
    });
    const plain = await proxiedHttp(emulator.port, "http://example.org/index.html");
    expect(plain.status).toBe(403);
    expect(plain.json).toMatchObject({ error: { message: expect.stringContaining("'example.org'") } });
  });

  it("fails a vault name that does not exist like an unresolvable host (SecretClient sees ENOTFOUND)", async () => {
    const refused = await connectThroughProxy(emulator.port, "kv-no-such-vault.vault.azure.net:443");
    expect(refused.status).toBe(404);
    const client = new SecretClient(
      "https://kv-no-such-vault.vault.azure.net",
      fixedTokenCredential("unused"),
      {
        ...clientOptionsFor(emulator),
        retryOptions: { maxRetries: 0 },
      },
    );
    await expect(client.getSecret("sample-secret")).rejects.toMatchObject({ code: "ENOTFOUND" });
  });

  it("redacts tokens from the request log", async () => {
    await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com&sig=abc",
      {
        Metadata: "true",
      },
    );
    const serialized = JSON.stringify(emulator.requests());
    expect(serialized).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(serialized).toContain("sig=REDACTED");
  });
});
