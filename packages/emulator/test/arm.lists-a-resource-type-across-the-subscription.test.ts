// GET /subscriptions/{s}/providers/{namespace}/{type}: the list-by-subscription operation every tracked resource type
// has (Vaults_ListBySubscription, ManagedHsms_ListBySubscription...), empty rather than 404 when there are none, as
// `az keyvault list` (vaults and managed HSMs) relies on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.ts";
import { SUBSCRIPTION_ID } from "./default-scenario.ts";
import { httpsThroughProxy } from "./raw-requests.ts";

describe("listing one resource type across a subscription", () => {
  let emulator: Emulator;
  let authorization: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    authorization = `Bearer ${await emulator.issueToken({ resource: "https://management.core.windows.net/" })}`;
  });

  afterAll(async () => {
    await emulator.stop();
  });

  const list = (type: string) =>
    httpsThroughProxy(emulator.port, {
      path: `/subscriptions/${SUBSCRIPTION_ID}/providers/${type}?api-version=2022-07-01`,
      headers: { authorization },
    });

  it("returns the subscription's vaults, with their properties", async () => {
    const response = await list("Microsoft.KeyVault/vaults");
    expect(response.status).toBe(200);
    const { value } = response.json as { value: { name: string; properties: { vaultUri?: string } }[] };
    expect(value.map((v) => v.name)).toEqual(["kv-msi-samples"]);
    expect(value[0]?.properties.vaultUri).toBe("https://kv-msi-samples.vault.azure.net/");
  });

  it("answers an empty list for a type with no resources", async () => {
    const response = await list("Microsoft.KeyVault/managedHSMs");
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ value: [] });
  });
});
