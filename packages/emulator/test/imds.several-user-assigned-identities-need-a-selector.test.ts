// A VM with several user-assigned identities and no system-assigned one: IMDS cannot pick one by itself.
// Its own file: msal-node keeps the first IMDS client of a process (and its proxy settings) for the process lifetime.
import { readFile } from "node:fs/promises";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, DEFAULT_SCENARIO_PATH, type Emulator, startEmulator } from "../src/index.ts";

describe("IMDS with several user-assigned identities and no system-assigned one", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    const scenario = JSON.parse(await readFile(DEFAULT_SCENARIO_PATH, "utf8"));
    scenario.vm.systemAssignedIdentity = null;
    scenario.vm.userAssignedIdentities.push({
      name: "id-second",
      resourceGroup: "rg-msi-samples",
      clientId: "6e9c3a7b-4f2d-4ca8-b7e1-9a3d5f0b2c84",
      principalId: "0a7d1b8f-5c3e-4e26-9b4a-2f6c8e0d3a71",
    });
    scenario.roleAssignments = scenario.roleAssignments.filter(
      (a: { principal: string }) => a.principal !== "system",
    );
    emulator = await startEmulator({ scenario });
  });
  afterAll(() => emulator.stop());

  it("refuses a token request that names no identity", async () => {
    const credential = new ManagedIdentityCredential(clientOptionsFor(emulator));
    await expect(credential.getToken("https://storage.azure.com/.default")).rejects.toThrow(
      /Multiple user assigned identities exist/,
    );
  });
});
