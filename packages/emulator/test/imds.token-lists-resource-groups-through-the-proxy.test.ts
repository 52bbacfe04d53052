// The core path end to end: ManagedIdentityCredential gets a token from IMDS through the proxy, and
// ResourceManagementClient lists the scenario's resource groups over intercepted TLS.
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { SCENARIO_GROUPS, SUBSCRIPTION_ID, SYSTEM_PRINCIPAL_ID } from "./default-scenario.ts";

describe("managed identity token, then resource groups, through the proxy", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  it("lists the scenario's resource groups with the system-assigned identity", async () => {
    const options = clientOptionsFor(emulator);
    const credential = new ManagedIdentityCredential(options);
    const client = new ResourceManagementClient(credential, SUBSCRIPTION_ID, options);
    const names: string[] = [];
    for await (const group of client.resourceGroups.list()) names.push(group.name ?? "");
    expect(names).toEqual(SCENARIO_GROUPS);

    const log = emulator.requests();
    const imds = log.find((e) => e.service === "imds");
    expect(imds).toMatchObject({
      host: "169.254.169.254",
      status: 200,
      principal: { objectId: SYSTEM_PRINCIPAL_ID },
    });
    expect(imds?.path).toContain("/metadata/identity/oauth2/token");
    const arm = log.find((e) => e.service === "arm");
    expect(arm).toMatchObject({
      host: "management.azure.com",
      method: "GET",
      status: 200,
      principal: { identity: "system" },
    });
  });
});
