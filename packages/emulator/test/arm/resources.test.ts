// Resource Manager's resources through the real SDK clients: resource groups, storage accounts, other resource
// types and vaults, lists across the subscription, the subscriptions an identity sees, and bodies and response shapes
// as Azure reads and writes them.
import { type GenericResource, ResourceManagementClient } from "@azure/arm-resources";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { StorageManagementClient } from "@azure/arm-storage";
import { ManagedIdentityCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator } from "../../src/index.ts";
import {
  armFailureOf,
  armTemplate,
  defaultScenarioWith,
  hiddenStorageAccount,
  storageAccountResource,
} from "../support/arm-fixtures.ts";
import {
  HIDDEN_SUBSCRIPTION_ID,
  SCENARIO_GROUPS,
  SUBSCRIPTION_ID,
  SYSTEM_CLIENT_ID,
  SYSTEM_PRINCIPAL_ID,
  TENANT_ID,
} from "../support/default-scenario.ts";
import { startEmulatorOnFilePort } from "../support/file-proxy-port.ts";
import { httpsThroughProxy } from "../support/raw-requests.ts";

// Resource groups with the real ResourceManagementClient: create 201 / update 200, get, patch, HEAD 204/404,
// delete as a long-running operation, list with $top + nextLink and $filter on tags.
describe("resource groups", () => {
  let emulator: Emulator;
  let client: ResourceManagementClient;
  let token: string;
  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort();
    const options = clientOptionsFor(emulator);
    const credential = new ManagedIdentityCredential(options);
    client = new ResourceManagementClient(credential, SUBSCRIPTION_ID, options);
    token = (await credential.getToken("https://management.azure.com/.default")).token;
  });
  afterAll(() => emulator.stop());

  const statusesOf = (method: string, pathPart: string) =>
    emulator
      .requests()
      .filter(
        (e) =>
          e.service === "arm" && e.method === method && e.path.toLowerCase().includes(pathPart.toLowerCase()),
      )
      .map((e) => e.status);

  it("creates (201), updates (200), gets and patches a group", async () => {
    const created = await client.resourceGroups.createOrUpdate("rg-created", {
      location: "West US 2",
      tags: { a: "1" },
    });
    expect(created).toMatchObject({
      id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-created`,
      name: "rg-created",
      type: "Microsoft.Resources/resourceGroups",
      location: "westus2",
      tags: { a: "1" },
      properties: { provisioningState: "Succeeded" },
    });
    await client.resourceGroups.createOrUpdate("rg-created", { location: "westus2", tags: { a: "2" } });
    expect(statusesOf("PUT", "/resourcegroups/rg-created")).toEqual([201, 200]);
    const patched = await client.resourceGroups.update("rg-created", { tags: { b: "3" } });
    expect(patched.tags).toEqual({ b: "3" });
    expect((await client.resourceGroups.get("RG-CREATED")).tags).toEqual({ b: "3" });
  });

  it("refuses to move a group to another location, and requires one", async () => {
    await expect(
      client.resourceGroups.createOrUpdate("rg-msi-samples", { location: "eastus" }),
    ).rejects.toMatchObject({
      statusCode: 409,
      code: "InvalidResourceGroupLocation",
      message:
        "Invalid resource group location 'eastus'. The Resource group already exists in location 'westus2'.",
    });
    const response = await httpsThroughProxy(emulator.port, {
      method: "PUT",
      path: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-nowhere?api-version=2025-04-01`,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ tags: {} }),
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code: "LocationRequired" } });
  });

  it("answers checkExistence with 204 or 404 only", async () => {
    expect(await client.resourceGroups.checkExistence("rg-msi-samples")).toEqual({ body: true });
    expect(await client.resourceGroups.checkExistence("rg-does-not-exist")).toEqual({ body: false });
    expect(statusesOf("HEAD", "/resourcegroups/rg-")).toEqual([204, 404]);
  });

  it("answers ResourceGroupNotFound for a group that does not exist", async () => {
    await expect(client.resourceGroups.get("rg-missing")).rejects.toMatchObject({
      statusCode: 404,
      code: "ResourceGroupNotFound",
      message: "Resource group 'rg-missing' could not be found.",
    });
  });

  it("deletes a group as a long-running operation (202 + Location, polled to completion)", async () => {
    await client.resourceGroups.createOrUpdate("rg-to-delete", { location: "westus2" });
    const poller = client.resourceGroups.delete("rg-to-delete", { updateIntervalInMs: 0 });
    await poller;
    expect(statusesOf("DELETE", "/resourcegroups/rg-to-delete")).toEqual([202]);
    expect(statusesOf("GET", "/operationresults/")).toContain(200);
    expect(await client.resourceGroups.checkExistence("rg-to-delete")).toEqual({ body: false });
  });

  it("pages with $top and nextLink built from the request's host", async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of client.resourceGroups.list({ top: 1 }).byPage()) {
      pages++;
      for (const group of page) names.push(group.name ?? "");
    }
    expect(names).toEqual(expect.arrayContaining(SCENARIO_GROUPS));
    expect(pages).toBe(names.length);
    const followed = emulator.requests().filter((e) => e.path.includes("skiptoken"));
    expect(followed.length).toBe(pages - 1);
  });

  it("filters on tags", async () => {
    const names: string[] = [];
    for await (const group of client.resourceGroups.list({
      filter: "tagName eq 'environment' and tagValue eq 'workshop'",
    })) {
      names.push(group.name ?? "");
    }
    expect(names.sort()).toEqual(["rg-msi-samples", "rg-workshop-network"]);
  });

  it("matches paths case-insensitively with // collapsed, and requires api-version", async () => {
    const headers = { authorization: `Bearer ${token}` };
    const odd = await httpsThroughProxy(emulator.port, {
      path: `//Subscriptions/${SUBSCRIPTION_ID}//ResourceGroups/rg-msi-samples?api-version=2016-09-01`,
      headers,
    });
    expect(odd.status).toBe(200);
    const noVersion = await httpsThroughProxy(emulator.port, {
      path: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups`,
      headers,
    });
    expect(noVersion.status).toBe(400);
    expect(noVersion.json).toEqual({
      error: {
        code: "MissingApiVersionParameter",
        message: "The api-version query parameter (?api-version=) is required for all requests.",
      },
    });
    expect(noVersion.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(noVersion.headers["x-ms-correlation-request-id"]).toBeDefined();
    expect(odd.headers["x-ms-ratelimit-remaining-subscription-reads"]).toMatch(/^\d+$/);
  });

  it("lists role assignments under Microsoft.Authorization", async () => {
    const response = await httpsThroughProxy(emulator.port, {
      path: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const value = (response.json as { value: { properties: { roleDefinitionId: string; scope: string } }[] })
      .value;
    expect(value.map((a) => a.properties.roleDefinitionId)).toContain(
      `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`,
    );
  });
});

// Storage accounts with the real StorageManagementClient: create as a long-running operation (202 + Location), the
// real body shape, lists by group and subscription, keys, name availability, update, delete, and the storage RP's
// name errors (AccountNameInvalid, StorageAccountAlreadyTaken, StorageAccountInAnotherResourceGroup).
const create = { location: "westus2", sku: { name: "Standard_LRS" }, kind: "StorageV2" } as const;

describe("storage accounts", () => {
  let emulator: Emulator;
  let storage: StorageManagementClient;
  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort({
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

// Generic resources with the real ResourceManagementClient: a Key Vault created as a generic resource with the Ruby
// sample's call shape (empty parent path, so `/providers/Microsoft.KeyVault//vaults/...`) is served by the Key Vault
// data plane until it is deleted; Key Vault's name rules and global names; unknown providers stored as sent; managed
// identities of VMs; nested types; by-ID calls; resource lists with $filter and paging; and what deleting a group takes.
const KEY_VAULT_API = "2026-02-01";
const groupId = (name: string) => `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${name}`;

describe("generic resources and Key Vault vaults", () => {
  let emulator: Emulator;
  let client: ResourceManagementClient;
  let options: ReturnType<typeof clientOptionsFor>;
  let credential: ManagedIdentityCredential;
  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort({ pageSize: 2 });
    options = clientOptionsFor(emulator);
    credential = new ManagedIdentityCredential(options);
    client = new ResourceManagementClient(credential, SUBSCRIPTION_ID, options);
  });
  afterAll(() => emulator.stop());

  const secretClient = (vault: string) =>
    new SecretClient(`https://${vault}.vault.azure.net`, credential, {
      ...options,
      retryOptions: { maxRetries: 0 },
    });

  it("creates a vault as the Ruby sample does (Microsoft.KeyVault//vaults), serves it, reads it back and deletes it", async () => {
    const vault = await client.resources.createOrUpdate(
      "rg-msi-samples",
      "Microsoft.KeyVault",
      "",
      "vaults",
      "kv-generic-ruby",
      KEY_VAULT_API,
      {
        location: "westus2",
        properties: {
          tenantId: TENANT_ID,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: false,
          accessPolicies: [
            { tenantId: TENANT_ID, objectId: SYSTEM_PRINCIPAL_ID, permissions: { secrets: ["get", "set"] } },
          ],
          softDeleteRetentionInDays: 7,
        },
      },
    );
    const vaultId = `${groupId("rg-msi-samples")}/providers/Microsoft.KeyVault/vaults/kv-generic-ruby`;
    expect(
      emulator.requests().some(
        (e) =>
          e.method === "PUT" &&
          e.path.includes("/Microsoft.KeyVault//vaults/kv-generic-ruby") &&
          // Key Vault answers a create with 200, as recorded against Azure (see test/replay).
          e.status === 200,
      ),
    ).toBe(true);
    expect(vault).toMatchObject({
      id: vaultId,
      name: "kv-generic-ruby",
      type: "Microsoft.KeyVault/vaults",
      location: "westus2",
      properties: {
        vaultUri: "https://kv-generic-ruby.vault.azure.net/",
        tenantId: TENANT_ID,
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: false,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 7,
        provisioningState: "Succeeded",
      },
    });
    expect((await client.resources.getById(vaultId, KEY_VAULT_API)).name).toBe("kv-generic-ruby");

    // The data plane serves the new vault with its access policy.
    await secretClient("kv-generic-ruby").setSecret("greeting", "hello from a generic vault");
    expect((await secretClient("kv-generic-ruby").getSecret("greeting")).value).toBe(
      "hello from a generic vault",
    );

    await client.resources.delete(
      "rg-msi-samples",
      "Microsoft.KeyVault",
      "",
      "vaults",
      "kv-generic-ruby",
      KEY_VAULT_API,
    );
    await expect(
      client.resources.get(
        "rg-msi-samples",
        "Microsoft.KeyVault",
        "",
        "vaults",
        "kv-generic-ruby",
        KEY_VAULT_API,
      ),
    ).rejects.toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
    // ... and its host no longer resolves.
    await expect(secretClient("kv-generic-ruby").getSecret("greeting")).rejects.toMatchObject({
      code: "ENOTFOUND",
    });
  });

  it("makes new vaults RBAC vaults from api-version 2026-02-01, and not before", async () => {
    const body = {
      location: "westus2",
      properties: { tenantId: TENANT_ID, sku: { family: "A", name: "standard" } },
    };
    const current = await client.resources.createOrUpdate(
      "rg-workshop-data",
      "Microsoft.KeyVault",
      "",
      "vaults",
      "kv-rbac-default",
      KEY_VAULT_API,
      body,
    );
    const older = await client.resources.createOrUpdate(
      "rg-workshop-data",
      "Microsoft.KeyVault",
      "",
      "vaults",
      "kv-policy-default",
      "2023-07-01",
      body,
    );
    expect(current.properties?.enableRbacAuthorization).toBe(true);
    expect(older.properties).toMatchObject({
      enableRbacAuthorization: false,
      accessPolicies: [],
      softDeleteRetentionInDays: 90,
    });
  });

  it("enforces Key Vault's name rules and global vault names", async () => {
    const body = {
      location: "westus2",
      properties: { tenantId: TENANT_ID, sku: { family: "A", name: "standard" } },
    };
    for (const name of ["1vault", "kv--double", "kv-ends-with-"]) {
      expect(
        await armFailureOf(() =>
          client.resources.createOrUpdate(
            "rg-msi-samples",
            "Microsoft.KeyVault",
            "",
            "vaults",
            name,
            KEY_VAULT_API,
            body,
          ),
        ),
      ).toMatchObject({
        statusCode: 400,
        code: "VaultNameNotValid",
        message: `The vault name '${name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens. Follow this link for more information: https://go.microsoft.com/fwlink/?linkid=2147742`,
      });
    }
    // kv-msi-samples (the scenario's) lives in rg-msi-samples: the name is taken everywhere else.
    const taken = await armFailureOf(() =>
      client.resources.createOrUpdate(
        "rg-workshop-network",
        "Microsoft.KeyVault",
        "",
        "vaults",
        "kv-msi-samples",
        KEY_VAULT_API,
        body,
      ),
    );
    expect(taken).toMatchObject({ statusCode: 409, code: "VaultAlreadyExists" });
    expect(taken.message).toMatch(
      /^The vault name 'kv-msi-samples' is already in use\. Vault names are globally unique/,
    );
  });

  it("stores an unknown provider's resource as sent, by path and by ID, and requires an api-version", async () => {
    const widgetId = `${groupId("rg-msi-samples")}/providers/Contoso.Widgets/widgets/blue`;
    const created = await client.resources.createOrUpdateById(widgetId, "2024-01-01", {
      location: "westus2",
      tags: { color: "blue" },
      kind: "gadget",
      sku: { name: "S1" },
      properties: { size: 3, parts: ["a", "b"] },
    });
    expect(created).toMatchObject({
      id: widgetId,
      name: "blue",
      type: "Contoso.Widgets/widgets",
      location: "westus2",
      tags: { color: "blue" },
      kind: "gadget",
      sku: { name: "S1" },
      properties: { size: 3, parts: ["a", "b"], provisioningState: "Succeeded" },
    });
    const patched = await client.resources.update(
      "rg-msi-samples",
      "Contoso.Widgets",
      "",
      "widgets",
      "blue",
      "2024-01-01",
      {
        tags: { color: "green" },
      },
    );
    expect(patched).toMatchObject({ tags: { color: "green" }, properties: { size: 3 } });
    expect((await client.resources.checkExistenceById(widgetId, "2024-01-01")).body).toBe(true);

    const token = await emulator.issueToken({ resource: "https://management.azure.com" });
    const noVersion = await httpsThroughProxy(emulator.port, {
      path: widgetId,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(noVersion.status).toBe(400);
    expect(noVersion.json).toMatchObject({ error: { code: "MissingApiVersionParameter" } });

    await client.resources.deleteById(widgetId, "2024-01-01");
    expect((await client.resources.checkExistenceById(widgetId, "2024-01-01")).body).toBe(false);
  });

  it("creates nested types only under an existing parent", async () => {
    const subnet = () =>
      client.resources.createOrUpdate(
        "rg-workshop-network",
        "Microsoft.Network",
        "virtualNetworks/vnet-lab",
        "subnets",
        "default",
        "2026-01-01",
        {
          properties: { addressPrefix: "10.1.0.0/24" },
        },
      );
    expect(await armFailureOf(subnet)).toMatchObject({
      statusCode: 404,
      code: "ParentResourceNotFound",
      message:
        "Can not perform requested operation on nested resource. Parent resource 'vnet-lab' not found.",
    });
    await client.resources.createOrUpdate(
      "rg-workshop-network",
      "Microsoft.Network",
      "",
      "virtualNetworks",
      "vnet-lab",
      "2026-01-01",
      {
        location: "westus2",
        properties: { addressSpace: { addressPrefixes: ["10.1.0.0/16"] } },
      },
    );
    expect(await subnet()).toMatchObject({
      id: `${groupId("rg-workshop-network")}/providers/Microsoft.Network/virtualNetworks/vnet-lab/subnets/default`,
      name: "default",
      type: "Microsoft.Network/virtualNetworks/subnets",
    });
  });

  it("gives managed identities principals: user-assigned identities and a VM's system- and user-assigned ones", async () => {
    const identity = await client.resources.createOrUpdate(
      "rg-workshop-network",
      "Microsoft.ManagedIdentity",
      "",
      "userAssignedIdentities",
      "id-lab",
      "2024-11-30",
      { location: "westus2" },
    );
    expect(identity.properties).toMatchObject({
      tenantId: TENANT_ID,
      principalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const putVm = (body: GenericResource) =>
      client.resources.createOrUpdate(
        "rg-workshop-network",
        "Microsoft.Compute",
        "",
        "virtualMachines",
        "vm-lab",
        "2026-04-01",
        body,
      );
    const vm = await putVm({
      location: "westus2",
      identity: {
        type: "SystemAssigned, UserAssigned",
        userAssignedIdentities: { [identity.id ?? ""]: {} },
      },
      properties: {
        hardwareProfile: { vmSize: "Standard_B2s" },
        osProfile: { adminUsername: "azureuser", customData: "c2VjcmV0" },
      },
    });
    expect(vm.identity).toMatchObject({
      type: "SystemAssigned, UserAssigned",
      principalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tenantId: TENANT_ID,
      userAssignedIdentities: {
        [identity.id ?? ""]: {
          principalId: identity.properties?.principalId,
          clientId: identity.properties?.clientId,
        },
      },
    });
    // Compute never returns customData; the VM keeps its principal across updates.
    expect(vm.properties?.osProfile).toEqual({ adminUsername: "azureuser" });
    const updated = await putVm({
      location: "westus2",
      identity: { type: "SystemAssigned" },
      properties: { hardwareProfile: { vmSize: "Standard_B4ms" } },
    });
    expect(updated.identity).toEqual({
      type: "SystemAssigned",
      principalId: vm.identity?.principalId,
      tenantId: TENANT_ID,
    });
  });

  it("lists a group's and the subscription's resources with $filter, $expand and paging", async () => {
    const inGroup: string[] = [];
    let pages = 0;
    for await (const page of client.resources.listByResourceGroup("rg-workshop-network").byPage()) {
      pages++;
      for (const resource of page) inGroup.push(`${resource.type}/${resource.name}`);
    }
    // Top-level resources only (not the subnet), two per page.
    expect(inGroup.sort()).toEqual([
      "Microsoft.Compute/virtualMachines/vm-lab",
      "Microsoft.ManagedIdentity/userAssignedIdentities/id-lab",
      "Microsoft.Network/virtualNetworks/vnet-lab",
    ]);
    expect(pages).toBe(2);
    const vms: string[] = [];
    for await (const resource of client.resources.list({
      filter: "resourceType eq 'Microsoft.Compute/virtualMachines'",
      expand: "createdTime,provisioningState",
    })) {
      vms.push(resource.name ?? "");
      expect(resource.createdTime).toBeInstanceOf(Date);
      expect(resource.provisioningState).toBe("Succeeded");
    }
    expect(vms.sort()).toEqual(["vm-lab", "vm-msi-samples"]);
    const tagged: string[] = [];
    for await (const resource of client.resources.list({
      filter: "tagName eq 'environment' and tagValue eq 'workshop'",
    }))
      tagged.push(resource.name ?? "");
    expect(tagged).toEqual(["vm-msi-samples"]);
  });

  it("deletes what a resource group contains: resources, vaults, storage accounts and deployments", async () => {
    await client.resourceGroups.createOrUpdate("rg-short-lived", { location: "westus2" });
    const deployments = new DeploymentsClient(credential, SUBSCRIPTION_ID, options);
    await deployments.deployments.createOrUpdate("rg-short-lived", "contents", {
      properties: {
        mode: "Incremental",
        template: armTemplate({
          resources: [
            storageAccountResource("shortlivedacct"),
            {
              type: "Microsoft.KeyVault/vaults",
              apiVersion: KEY_VAULT_API,
              name: "kv-short-lived",
              location: "westus2",
              properties: { tenantId: "[subscription().tenantId]", sku: { family: "A", name: "standard" } },
            },
          ],
        }),
      },
    });
    await client.resourceGroups.delete("rg-short-lived", { updateIntervalInMs: 0 });
    const storage = new StorageManagementClient(credential, SUBSCRIPTION_ID, options);
    expect(
      await storage.storageAccounts.checkNameAvailability({
        name: "shortlivedacct",
        type: "Microsoft.Storage/storageAccounts",
      }),
    ).toEqual({ nameAvailable: true });
    await expect(secretClient("kv-short-lived").getSecret("x")).rejects.toMatchObject({ code: "ENOTFOUND" });
    // The vault stays soft-deleted with its group: its name is taken until it is purged or recovered.
    const createAgain = (properties: Record<string, unknown>) =>
      client.resources.createOrUpdate(
        "rg-workshop-data",
        "Microsoft.KeyVault",
        "",
        "vaults",
        "kv-short-lived",
        KEY_VAULT_API,
        {
          location: "westus2",
          properties: { tenantId: TENANT_ID, sku: { family: "A", name: "standard" }, ...properties },
        },
      );
    await expect(createAgain({})).rejects.toMatchObject({ statusCode: 409, code: "ConflictError" });
    const again = await createAgain({ createMode: "recover" });
    expect(again.id).toBe(
      `${groupId("rg-workshop-data")}/providers/Microsoft.KeyVault/vaults/kv-short-lived`,
    );
  });
});

// GET /subscriptions/{s}/providers/{namespace}/{type}: the list-by-subscription operation every tracked resource type
// has (Vaults_ListBySubscription, ManagedHsms_ListBySubscription...), empty rather than 404 when there are none, as
// `az keyvault list` (vaults and managed HSMs) relies on.
describe("listing one resource type across a subscription", () => {
  let emulator: Emulator;
  let authorization: string;

  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort();
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

// Subscriptions with the real SubscriptionClient: only those where the identity holds a role, paged with nextLink.
describe("subscriptions", () => {
  let emulator: Emulator;
  let client: SubscriptionClient;
  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort({ pageSize: 1 });
    const options = clientOptionsFor(emulator);
    client = new SubscriptionClient(new ManagedIdentityCredential(options), options);
  });
  afterAll(() => emulator.stop());

  it("lists only the subscription the identity has a role in", async () => {
    const subscriptions = [];
    for await (const s of client.subscriptions.list()) subscriptions.push(s);
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]).toMatchObject({
      id: `/subscriptions/${SUBSCRIPTION_ID}`,
      subscriptionId: SUBSCRIPTION_ID,
      displayName: "Workshop subscription",
      tenantId: TENANT_ID,
      state: "Enabled",
      authorizationSource: "RoleBased",
      subscriptionPolicies: { quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" },
    });
  });

  it("gets a visible subscription; an invisible one is not found", async () => {
    expect((await client.subscriptions.get(SUBSCRIPTION_ID)).displayName).toBe("Workshop subscription");
    await expect(client.subscriptions.get(HIDDEN_SUBSCRIPTION_ID)).rejects.toMatchObject({
      statusCode: 404,
      code: "SubscriptionNotFound",
      message: `The subscription '${HIDDEN_SUBSCRIPTION_ID}' could not be found.`,
    });
  });

  it("lists tenants and follows nextLink across pages of locations-free lists", async () => {
    const tenants = [];
    for await (const t of client.tenants.list()) tenants.push(t);
    expect(tenants[0]).toMatchObject({ tenantId: TENANT_ID });
  });
});

describe("subscription paging", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    const { readFile } = await import("node:fs/promises");
    const { DEFAULT_SCENARIO_PATH } = await import("../../src/index.ts");
    const scenario = JSON.parse(await readFile(DEFAULT_SCENARIO_PATH, "utf8"));
    // Give the identity a role in the second subscription too, so there are two pages.
    scenario.roleAssignments.push({
      principal: "system",
      role: "Reader",
      scope: `/subscriptions/${HIDDEN_SUBSCRIPTION_ID}`,
    });
    emulator = await startEmulatorOnFilePort({ scenario, pageSize: 1 });
  });
  afterAll(() => emulator.stop());

  it("follows nextLink to the second page", async () => {
    const options = clientOptionsFor(emulator);
    // A fixed token: this process's IMDS client is bound to the first emulator (msal-node keeps it per process).
    const token = await emulator.issueToken({ resource: "https://management.azure.com" });
    const client = new SubscriptionClient(
      { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
      options,
    );
    const ids: string[] = [];
    for await (const s of client.subscriptions.list()) ids.push(s.subscriptionId ?? "");
    expect(ids.sort()).toEqual([SUBSCRIPTION_ID, HIDDEN_SUBSCRIPTION_ID].sort());
    expect(emulator.requests().filter((e) => e.path.includes("skiptoken"))).toHaveLength(1);
  });
});

// Response shapes Azure returns that clients read one step off the samples' path: locations with their metadata
// (region type, geography group, physical location, paired region, zone mappings), `systemData` on vaults, and a
// storage account's firewall (`networkAcls`) always whole, even after an update that sets part of it.
describe("ARM response shapes", () => {
  let emulator: Emulator;
  let options: ReturnType<typeof clientOptionsFor>;
  const credential = () => new ManagedIdentityCredential(options);

  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort();
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

// ARM reads request bodies with a lenient JSON reader (comments, unquoted property names, trailing commas), and the
// Azure CLI depends on it: `az deployment group create --template-file` sends the file verbatim after an unquoted
// `template:` key. What is not JSON at all is still 400 InvalidRequestContent.
describe("ARM request bodies", () => {
  let emulator: Emulator;
  let authorization: string;

  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort();
    authorization = `Bearer ${await emulator.issueToken({ resource: "https://management.core.windows.net/" })}`;
  });

  afterAll(async () => {
    await emulator.stop();
  });

  const send = (method: string, path: string, body: string) =>
    httpsThroughProxy(emulator.port, {
      method,
      path,
      headers: { authorization, "content-type": "application/json" },
      body,
    });

  it("accepts a deployment body as the Azure CLI splices it: unquoted `template:` key, template with comments", async () => {
    const template = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  // a line comment
  "parameters": { "greeting": { "type": "string" } }, /* a block comment */
  "resources": [],
  "outputs": { "message": { "type": "string", "value": "[parameters('greeting')]" } }
}`;
    const body = `{"properties": {"parameters": {"greeting": {"value": "hi"}}, "mode": "Incremental", template:${template}}}`;
    const path = `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-msi-samples/providers/Microsoft.Resources/deployments/spliced?api-version=2021-04-01`;

    const response = await send("PUT", path, body);
    expect(response.status).toBe(201);
    const poll = await httpsThroughProxy(emulator.port, { path, headers: { authorization } });
    expect(poll.json).toMatchObject({
      properties: { provisioningState: "Succeeded", outputs: { message: { value: "hi" } } },
    });
  });

  it("accepts trailing commas and unquoted names in a resource group body", async () => {
    const response = await send(
      "PUT",
      `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-lenient?api-version=2021-04-01`,
      `{ location: "westus2", tags: { origin: "hand-written", }, }`,
    );
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ name: "rg-lenient", tags: { origin: "hand-written" } });
  });

  it("still refuses a body that is not JSON with 400 InvalidRequestContent", async () => {
    const response = await send(
      "PUT",
      `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-broken?api-version=2021-04-01`,
      `{ "location": "westus2", `,
    );
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code: "InvalidRequestContent" } });
  });
});
