// A vault is served only while its `Microsoft.KeyVault/vaults` resource exists in the world: any other name under
// vault.azure.net fails like a host that does not resolve (the SDK raises ENOTFOUND), a vault added later (as ARM
// creates one) is served at once, and a removed one becomes unreachable; created again, it starts empty.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArmResourceRecord, type Emulator, startEmulator } from "../src/index.ts";
import { SUBSCRIPTION_ID, SYSTEM_PRINCIPAL_ID, TENANT_ID } from "./default-scenario.ts";
import { secretClientFor, vaultFailureOf, vaultResourceId } from "./keyvault-fixtures.ts";
import { connectThroughProxy } from "./raw-requests.ts";

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
