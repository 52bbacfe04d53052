// Storage accounts with the real StorageManagementClient: create as a long-running operation (202 + Location), the
// real body shape, lists by group and subscription, keys, name availability, update, delete, and the storage RP's
// name errors (AccountNameInvalid, StorageAccountAlreadyTaken, StorageAccountInAnotherResourceGroup).
import { StorageManagementClient } from "@azure/arm-storage";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { armFailureOf, defaultScenarioWith, hiddenStorageAccount } from "./arm-fixtures.ts";
import { SUBSCRIPTION_ID } from "./default-scenario.ts";

const create = { location: "westus2", sku: { name: "Standard_LRS" }, kind: "StorageV2" } as const;

describe("storage accounts", () => {
  let emulator: Emulator;
  let storage: StorageManagementClient;
  beforeAll(async () => {
    emulator = await startEmulator({
      pageSize: 2,
      scenario: defaultScenarioWith((scenario) => {
        scenario.resources = [hiddenStorageAccount()];
      }),
    });
    const options = clientOptionsFor(emulator);
    storage = new StorageManagementClient(new ManagedIdentityCredential(options), SUBSCRIPTION_ID, options);
  });
  afterAll(() => emulator.stop());

  const statusesOf = (method: string, part: string) =>
    emulator
      .requests()
      .filter((e) => e.method === method && e.path.includes(part))
      .map((e) => e.status);

  it("creates an account as a long-running operation and returns the storage RP's shape", async () => {
    const account = await storage.storageAccounts.create("rg-msi-samples", "msisamplesdata", {
      ...create,
      sku: { name: "Standard_RAGRS" },
      tags: { purpose: "test" },
    });
    expect(statusesOf("PUT", "/storageAccounts/msisamplesdata")).toEqual([202]);
    expect(statusesOf("GET", "/operationresults/")).toContain(200);
    expect(account).toMatchObject({
      id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-msi-samples/providers/Microsoft.Storage/storageAccounts/msisamplesdata`,
      name: "msisamplesdata",
      type: "Microsoft.Storage/storageAccounts",
      location: "westus2",
      tags: { purpose: "test" },
      sku: { name: "Standard_RAGRS", tier: "Standard" },
      kind: "StorageV2",
      provisioningState: "Succeeded",
      primaryEndpoints: {
        blob: "https://msisamplesdata.blob.core.windows.net/",
        queue: "https://msisamplesdata.queue.core.windows.net/",
        table: "https://msisamplesdata.table.core.windows.net/",
        file: "https://msisamplesdata.file.core.windows.net/",
        dfs: "https://msisamplesdata.dfs.core.windows.net/",
        web: "https://msisamplesdata.web.core.windows.net/",
      },
      secondaryEndpoints: { blob: "https://msisamplesdata-secondary.blob.core.windows.net/" },
      primaryLocation: "westus2",
      statusOfPrimary: "available",
      secondaryLocation: "westcentralus",
      statusOfSecondary: "available",
      accessTier: "Hot",
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      allowBlobPublicAccess: false,
      encryption: {
        keySource: "Microsoft.Storage",
        services: { blob: { enabled: true, keyType: "Account" } },
      },
      networkRuleSet: { defaultAction: "Allow", bypass: "AzureServices" },
    });
    expect(account.creationTime).toBeInstanceOf(Date);
    expect(account.keyCreationTime?.key1).toBeInstanceOf(Date);
    const read = await storage.storageAccounts.getProperties("rg-msi-samples", "msisamplesdata");
    expect(read.id).toBe(account.id);
  });

  it("lists two keys with full permissions, the same on every call until one is regenerated", async () => {
    const first = await storage.storageAccounts.listKeys("rg-msi-samples", "msisamplesdata");
    expect(first.keys?.map((k) => [k.keyName, k.permissions])).toEqual([
      ["key1", "FULL"],
      ["key2", "FULL"],
    ]);
    for (const key of first.keys ?? []) expect(key.value).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(first.keys?.[0]?.value).not.toBe(first.keys?.[1]?.value);
    const again = await storage.storageAccounts.listKeys("rg-msi-samples", "msisamplesdata");
    expect(again.keys?.map((k) => k.value)).toEqual(first.keys?.map((k) => k.value));
    const regenerated = await storage.storageAccounts.regenerateKey("rg-msi-samples", "msisamplesdata", {
      keyName: "key2",
    });
    expect(regenerated.keys?.[0]?.value).toBe(first.keys?.[0]?.value);
    expect(regenerated.keys?.[1]?.value).not.toBe(first.keys?.[1]?.value);
  });

  it("checks name availability as the storage RP does", async () => {
    const check = (name: string) =>
      storage.storageAccounts.checkNameAvailability({ name, type: "Microsoft.Storage/storageAccounts" });
    expect(await check("freshname123")).toEqual({ nameAvailable: true });
    expect(await check("financeledger")).toEqual({
      nameAvailable: false,
      reason: "AlreadyExists",
      message: "The storage account named financeledger is already taken.",
    });
    expect(await check("Not-Valid")).toEqual({
      nameAvailable: false,
      reason: "AccountNameInvalid",
      message:
        "Not-Valid is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.",
    });
  });

  it("refuses invalid and taken names with the storage RP's errors", async () => {
    expect(
      await armFailureOf(() => storage.storageAccounts.create("rg-msi-samples", "ab", create)),
    ).toMatchObject({
      statusCode: 400,
      code: "AccountNameInvalid",
      message:
        "ab is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.",
    });
    expect(
      await armFailureOf(() => storage.storageAccounts.create("rg-msi-samples", "financeledger", create)),
    ).toMatchObject({
      statusCode: 409,
      code: "StorageAccountAlreadyTaken",
      message: "The storage account named financeledger is already taken.",
    });
    expect(
      await armFailureOf(() => storage.storageAccounts.create("rg-workshop-data", "msisamplesdata", create)),
    ).toMatchObject({
      statusCode: 409,
      code: "StorageAccountInAnotherResourceGroup",
      message: "The account msisamplesdata is already in another resource group in this subscription.",
    });
    expect(
      await armFailureOf(() =>
        storage.storageAccounts.create("rg-msi-samples", "badskuaccount", {
          ...create,
          sku: { name: "Standard_LRS1" },
        }),
      ),
    ).toMatchObject({ statusCode: 400, code: "InvalidAccountType" });
  });

  it("lists accounts by group and by subscription, page by page", async () => {
    await storage.storageAccounts.create("rg-workshop-data", "workshopdata1", {
      ...create,
      location: "eastus",
    });
    await storage.storageAccounts.create("rg-workshop-data", "workshopdata2", {
      ...create,
      location: "eastus",
    });
    const inGroup: string[] = [];
    for await (const account of storage.storageAccounts.listByResourceGroup("rg-workshop-data"))
      inGroup.push(account.name ?? "");
    expect(inGroup).toEqual(["workshopdata1", "workshopdata2"]);
    const inSubscription: string[] = [];
    let pages = 0;
    for await (const page of storage.storageAccounts.list().byPage()) {
      pages++;
      for (const account of page) inSubscription.push(account.name ?? "");
    }
    // The other subscription's account is not listed; the list comes in pages of two (nextLink).
    expect(inSubscription.sort()).toEqual(["msisamplesdata", "workshopdata1", "workshopdata2"]);
    expect(pages).toBe(2);
  });

  it("updates tags and SKU, and deletes (200, then 204 for an account that is gone)", async () => {
    const updated = await storage.storageAccounts.update("rg-workshop-data", "workshopdata1", {
      tags: { stage: "updated" },
      sku: { name: "Standard_GRS" },
    });
    expect(updated).toMatchObject({
      tags: { stage: "updated" },
      sku: { name: "Standard_GRS", tier: "Standard" },
      secondaryLocation: "westus",
    });
    await storage.storageAccounts.delete("rg-workshop-data", "workshopdata1");
    await storage.storageAccounts.delete("rg-workshop-data", "workshopdata1");
    expect(statusesOf("DELETE", "/storageAccounts/workshopdata1")).toEqual([200, 204]);
    await expect(
      storage.storageAccounts.getProperties("rg-workshop-data", "workshopdata1"),
    ).rejects.toMatchObject({
      statusCode: 404,
      code: "ResourceNotFound",
    });
    // The name is free again.
    expect(
      await storage.storageAccounts.checkNameAvailability({
        name: "workshopdata1",
        type: "Microsoft.Storage/storageAccounts",
      }),
    ).toEqual({ nameAvailable: true });
  });
});
