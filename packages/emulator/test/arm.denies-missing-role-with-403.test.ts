// RBAC: with the missing-role scenario (Reader on one group) listing the subscription's groups shows that group only,
// reading another group is 403 AuthorizationFailed with Azure's exact message, and its own group still reads.
import path from "node:path";
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, DEFAULT_SCENARIO_PATH, type Emulator, startEmulator } from "../src/index.ts";
import { SUBSCRIPTION_ID, SYSTEM_CLIENT_ID, SYSTEM_PRINCIPAL_ID } from "./default-scenario.ts";

describe("a missing role", () => {
  let emulator: Emulator;
  let client: ResourceManagementClient;
  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: path.join(path.dirname(DEFAULT_SCENARIO_PATH), "missing-role.json"),
    });
    const options = clientOptionsFor(emulator);
    client = new ResourceManagementClient(new ManagedIdentityCredential(options), SUBSCRIPTION_ID, options);
  });
  afterAll(() => emulator.stop());

  it("lists only the groups its role covers, as ARM answers a list with what the caller may read", async () => {
    const names: (string | undefined)[] = [];
    for await (const group of client.resourceGroups.list()) names.push(group.name);
    expect(names).toEqual(["rg-msi-samples"]);
  });

  it("gets 403 AuthorizationFailed naming client, object ID, action and scope", async () => {
    await expect(client.resourceGroups.get("rg-workshop-data")).rejects.toMatchObject({
      statusCode: 403,
      code: "AuthorizationFailed",
      message: `The client '${SYSTEM_CLIENT_ID}' with object id '${SYSTEM_PRINCIPAL_ID}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/read' over scope '/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-workshop-data' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    });
  });

  it("still reads the resource group where its Reader role is assigned (inherited scope)", async () => {
    const group = await client.resourceGroups.get("rg-msi-samples");
    expect(group.name).toBe("rg-msi-samples");
  });

  it("cannot create a resource group with a Reader role", async () => {
    await expect(
      client.resourceGroups.createOrUpdate("rg-new", { location: "westus2" }),
    ).rejects.toMatchObject({
      statusCode: 403,
      code: "AuthorizationFailed",
      message: expect.stringContaining("'Microsoft.Resources/subscriptions/resourcegroups/write'"),
    });
  });
});
