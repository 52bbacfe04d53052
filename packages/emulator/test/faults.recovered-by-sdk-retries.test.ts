// Faults on demand, recovered by the SDK's own retry policies: IMDS 410 (VM just booted), 429 with Retry-After, 500,
// and ARM 429 with Retry-After. Switched through the admin endpoint, as a demo would.
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { SUBSCRIPTION_ID } from "./default-scenario.ts";

async function putFaults(emulator: Emulator, faults: unknown): Promise<Response> {
  return fetch(`${emulator.adminUrl}/faults`, {
    method: "PUT",
    body: JSON.stringify(faults),
    headers: { "content-type": "application/json", "x-msi-emulator-token": emulator.adminToken },
  });
}

describe("faults", () => {
  let emulator: Emulator;
  let credential: ManagedIdentityCredential;
  beforeAll(async () => {
    emulator = await startEmulator();
    credential = new ManagedIdentityCredential(clientOptionsFor(emulator));
  });
  afterAll(() => emulator.stop());

  const imdsStatuses = (resource: string) =>
    emulator
      .requests()
      .filter((e) => e.service === "imds" && e.path.includes(encodeURIComponent(resource).slice(0, 20)))
      .map((e) => e.status);

  // Each case asks for a different resource: the SDK caches tokens per process, per identity and resource.
  it("IMDS 410 for the first moment after boot is retried until IMDS answers", async () => {
    expect((await putFaults(emulator, { imdsGoneForSeconds: 0.5 })).status).toBe(200);
    const token = await credential.getToken("https://storage.azure.com/.default");
    expect(token.token).toBeTruthy();
    expect(imdsStatuses("https://storage.azure.com")).toEqual([410, 200]);
  });

  it("IMDS 429 with Retry-After is retried", async () => {
    await putFaults(emulator, { imdsTooManyRequests: { count: 1, retryAfterSeconds: 1 } });
    await credential.getToken("https://vault.azure.net/.default");
    expect(imdsStatuses("https://vault.azure.net")).toEqual([429, 200]);
  });

  it("IMDS 500 is retried", async () => {
    await putFaults(emulator, { imdsServerErrors: { count: 1 } });
    await credential.getToken("https://graph.microsoft.com/.default");
    expect(imdsStatuses("https://graph.microsoft.com")).toEqual([500, 200]);
  });

  it("ARM 429 with Retry-After is retried", async () => {
    await putFaults(emulator, { armTooManyRequests: { count: 1, retryAfterSeconds: 1 } });
    const client = new ResourceManagementClient(credential, SUBSCRIPTION_ID, clientOptionsFor(emulator));
    const group = await client.resourceGroups.get("rg-msi-samples");
    expect(group.name).toBe("rg-msi-samples");
    const statuses = emulator
      .requests()
      .filter((e) => e.service === "arm")
      .map((e) => e.status);
    expect(statuses).toEqual([429, 200]);
  });

  it("shows, rejects and clears faults through the admin endpoint", async () => {
    await putFaults(emulator, { latencyMs: 5 });
    const shown = (await (await fetch(`${emulator.adminUrl}/faults`)).json()) as { latencyMs?: number };
    expect(shown.latencyMs).toBe(5);
    const bad = await putFaults(emulator, { imdsGoneForSeconds: "soon" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(
      "imdsGoneForSeconds",
    );
    expect(
      (
        await fetch(`${emulator.adminUrl}/faults`, {
          method: "DELETE",
          headers: { "x-msi-emulator-token": emulator.adminToken },
        })
      ).status,
    ).toBe(204);
    const log = (await (await fetch(`${emulator.adminUrl}/requests`)).json()) as { requests: unknown[] };
    expect(log.requests.length).toBeGreaterThan(0);
  });
});
