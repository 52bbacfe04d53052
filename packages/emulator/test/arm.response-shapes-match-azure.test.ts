// Response shapes Azure returns that clients read one step off the samples' path: locations with their metadata
// (region type, geography group, physical location, paired region, zone mappings), `systemData` on vaults, and a
// storage account's firewall (`networkAcls`) always whole, even after an update that sets part of it.
import { ResourceManagementClient } from "@azure/arm-resources";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { StorageManagementClient } from "@azure/arm-storage";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { SUBSCRIPTION_ID, SYSTEM_CLIENT_ID, TENANT_ID } from "./default-scenario.ts";

describe("ARM response shapes", () => {
  let emulator: Emulator;
  let options: ReturnType<typeof clientOptionsFor>;
  const credential = () => new ManagedIdentityCredential(options);

  beforeAll(async () => {
    emulator = await startEmulator();
    options = clientOptionsFor(emulator);
  });
  afterAll(() => emulator.stop());

  it("lists locations with their metadata, paired region and availability zone mappings", async () => {
    const client = new SubscriptionClient(credential(), options);
    const locations = [];
    for await (const location of client.subscriptions.listLocations(SUBSCRIPTION_ID))
      locations.push(location);
    const westus2 = locations.find((l) => l.name === "westus2");
    expect(westus2).toMatchObject({
      displayName: "West US 2",
      regionalDisplayName: "(US) West US 2",
      metadata: {
        regionType: "Physical",
        geographyGroup: "US",
        physicalLocation: "Washington",
        pairedRegion: [
          { name: "westcentralus", id: `/subscriptions/${SUBSCRIPTION_ID}/locations/westcentralus` },
        ],
      },
    });
    expect(westus2?.availabilityZoneMappings?.map((m) => m.logicalZone)).toEqual(["1", "2", "3"]);
  });

  it("returns systemData on a vault, naming the caller and keeping the creation through updates", async () => {
    const client = new ResourceManagementClient(credential(), SUBSCRIPTION_ID, options);
    const body = {
      location: "westus2",
      properties: { tenantId: TENANT_ID, sku: { family: "A", name: "standard" } },
    };
    const id = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-msi-samples/providers/Microsoft.KeyVault/vaults/kv-system-data`;
    const created = await client.resources.beginCreateOrUpdateByIdAndWait(id, "2023-07-01", body);
    expect(created.systemData).toMatchObject({
      createdBy: SYSTEM_CLIENT_ID,
      createdByType: "Application",
      lastModifiedBy: SYSTEM_CLIENT_ID,
    });
    const updated = await client.resources.beginCreateOrUpdateByIdAndWait(id, "2023-07-01", {
      ...body,
      tags: { changed: "yes" },
    });
    expect(updated.systemData?.createdAt).toEqual(created.systemData?.createdAt);
    expect(updated.systemData?.lastModifiedAt?.getTime()).toBeGreaterThanOrEqual(
      created.systemData?.lastModifiedAt?.getTime() ?? 0,
    );
  });

  it("keeps bypass, ipRules and virtualNetworkRules when an update sets only the default action", async () => {
    const storage = new StorageManagementClient(credential(), SUBSCRIPTION_ID, options);
    const created = await storage.storageAccounts.beginCreateAndWait("rg-msi-samples", "msiaclshape", {
      location: "westus2",
      sku: { name: "Standard_LRS" },
      kind: "StorageV2",
    });
    expect(created.networkRuleSet).toEqual({
      bypass: "AzureServices",
      defaultAction: "Allow",
      ipRules: [],
      ipv6Rules: [],
      virtualNetworkRules: [],
    });
    const updated = await storage.storageAccounts.update("rg-msi-samples", "msiaclshape", {
      networkRuleSet: { defaultAction: "Deny" },
    });
    expect(updated.networkRuleSet).toEqual({
      bypass: "AzureServices",
      defaultAction: "Deny",
      ipRules: [],
      ipv6Rules: [],
      virtualNetworkRules: [],
    });
  });
});
