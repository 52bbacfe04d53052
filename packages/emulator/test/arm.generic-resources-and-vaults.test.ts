// Generic resources with the real ResourceManagementClient: a Key Vault created as a generic resource with the Ruby
// sample's call shape (empty parent path, so `/providers/Microsoft.KeyVault//vaults/...`) is served by the Key Vault
// data plane until it is deleted; Key Vault's name rules and global names; unknown providers stored as sent; managed
// identities of VMs; nested types; by-ID calls; resource lists with $filter and paging; and what deleting a group takes.
import { type GenericResource, ResourceManagementClient } from "@azure/arm-resources";
import { DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { StorageManagementClient } from "@azure/arm-storage";
import { ManagedIdentityCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { armFailureOf, armTemplate, storageAccountResource } from "./arm-fixtures.ts";
import { SUBSCRIPTION_ID, SYSTEM_PRINCIPAL_ID, TENANT_ID } from "./default-scenario.ts";
import { httpsThroughProxy } from "./raw-requests.ts";

const KEY_VAULT_API = "2026-02-01";
const groupId = (name: string) => `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${name}`;

describe("generic resources and Key Vault vaults", () => {
  let emulator: Emulator;
  let client: ResourceManagementClient;
  let options: ReturnType<typeof clientOptionsFor>;
  let credential: ManagedIdentityCredential;
  beforeAll(async () => {
    emulator = await startEmulator({ pageSize: 2 });
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
