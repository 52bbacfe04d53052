// The workshop lab template (shared/templates/lab-vm.json) deploys as on Azure: the VM with its system- and
// user-assigned identities, the network, the RBAC vault and its secret, and the role assignments, which take effect
// at once; role assignments a deployment makes (at the group, or with `scope` on a resource) change what an identity
// may do.
import { readFile } from "node:fs/promises";
import { ResourceManagementClient } from "@azure/arm-resources";
import { DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { StorageManagementClient } from "@azure/arm-storage";
import { ManagedIdentityCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { uniqueString } from "../src/template-engine/index.ts";
import { armFailureOf, armTemplate, defaultScenarioWith, storageAccountResource } from "./arm-fixtures.ts";
import {
  SUBSCRIPTION_ID,
  TENANT_ID,
  USER_ASSIGNED_CLIENT_ID,
  USER_ASSIGNED_PRINCIPAL_ID,
} from "./default-scenario.ts";
import { httpsThroughProxy } from "./raw-requests.ts";

const LAB_GROUP = "rg-workshop-data";
const labTemplateFile = new URL("../../../shared/templates/lab-vm.json", import.meta.url);
const labParametersFile = new URL("../../../shared/templates/lab-vm.parameters.json", import.meta.url);
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const STORAGE_ACCOUNT_CONTRIBUTOR = "17d1049b-9a84-46fb-8f53-869881c3d3ab";

describe("the lab template and role assignments from deployments", () => {
  let emulator: Emulator;
  let deployments: DeploymentsClient;
  let resources: ResourceManagementClient;
  let options: ReturnType<typeof clientOptionsFor>;
  let credential: ManagedIdentityCredential;
  beforeAll(async () => {
    // Creating role assignments needs Owner (Contributor may not write Microsoft.Authorization); reading the lab's
    // secret needs a Key Vault data role. The user-assigned identity starts with no role at all.
    emulator = await startEmulator({
      scenario: defaultScenarioWith((scenario) => {
        scenario.roleAssignments = [
          { principal: "system", role: "Owner", scope: `/subscriptions/${SUBSCRIPTION_ID}` },
          { principal: "system", role: "Key Vault Secrets User", scope: `/subscriptions/${SUBSCRIPTION_ID}` },
        ];
      }),
    });
    options = clientOptionsFor(emulator);
    credential = new ManagedIdentityCredential(options);
    deployments = new DeploymentsClient(credential, SUBSCRIPTION_ID, options);
    resources = new ResourceManagementClient(credential, SUBSCRIPTION_ID, options);
  });
  afterAll(() => emulator.stop());

  const roleAssignmentsAt = async (scope: string) => {
    const token = await emulator.issueToken({ resource: "https://management.azure.com" });
    const response = await httpsThroughProxy(emulator.port, {
      path: `${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope()`,
      headers: { authorization: `Bearer ${token}` },
    });
    return (
      response.json as {
        value: { properties: { principalId: string; roleDefinitionId: string; scope: string } }[];
      }
    ).value;
  };

  it("creates a role assignment by name, replaces it under that name, and refuses the same grant under another", async () => {
    const token = await emulator.issueToken({ resource: "https://management.azure.com" });
    const subscriptionScope = `/subscriptions/${SUBSCRIPTION_ID}`;
    const put = (name: string) =>
      httpsThroughProxy(emulator.port, {
        method: "PUT",
        path: `${subscriptionScope}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          properties: {
            roleDefinitionId: `${subscriptionScope}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
            // A principal no other test uses: the later tests count on the identities' roles staying as set.
            principalId: "5b3e8f1a-2c4d-4e6f-8a9b-0c1d2e3f4a5b",
            principalType: "ServicePrincipal",
          },
        }),
      });
    type Assignment = { properties: { createdOn: string; updatedOn: string } };
    const created = await put("0a6f4c2e-3b1d-4e8a-9c7f-5d2b1a0e9f38");
    expect(created.status).toBe(201);
    const replaced = await put("0a6f4c2e-3b1d-4e8a-9c7f-5d2b1a0e9f38");
    expect(replaced.status).toBe(200);
    expect((replaced.json as Assignment).properties.createdOn).toBe(
      (created.json as Assignment).properties.createdOn,
    );
    const duplicate = await put("7e1d9b3a-5c2f-4a68-8b0e-2f4d6c8a1b57");
    expect(duplicate.status).toBe(409);
    expect(duplicate.json).toMatchObject({ error: { code: "RoleAssignmentExists" } });
  });

  it("deploys the lab with its example parameters: VM, identities, vault, secret and role assignments", async () => {
    const template = JSON.parse(await readFile(labTemplateFile, "utf8"));
    const { parameters } = JSON.parse(await readFile(labParametersFile, "utf8"));
    const result = await deployments.deployments.createOrUpdate(LAB_GROUP, "msi-lab", {
      properties: {
        mode: "Incremental",
        template,
        parameters: { ...parameters, secretValue: { value: "lab-secret-value" } },
      },
    });
    const groupId = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${LAB_GROUP}`;
    const suffix = uniqueString(groupId, "msilab");
    const outputs = result.properties?.outputs as Record<string, { value: string }>;
    expect(result.properties?.provisioningState).toBe("Succeeded");
    expect(result.properties?.parameters?.secretValue).toEqual({ type: "SecureString" });
    expect(outputs.vaultName?.value).toBe(`kv-${suffix}`);
    expect(outputs.vaultUri?.value).toBe(`https://kv-${suffix}.vault.azure.net/`);
    expect(outputs.sshCommand?.value).toBe(`ssh azureuser@msilab-${suffix}.eastus.cloudapp.azure.com`);
    expect(outputs.tenantId?.value).toBe(TENANT_ID);

    const vm = await resources.resources.get(
      LAB_GROUP,
      "Microsoft.Compute",
      "",
      "virtualMachines",
      "msilab-vm",
      "2026-04-01",
    );
    const identity = await resources.resources.get(
      LAB_GROUP,
      "Microsoft.ManagedIdentity",
      "",
      "userAssignedIdentities",
      "msilab-identity",
      "2024-11-30",
    );
    expect(vm.identity?.type).toBe("SystemAssigned, UserAssigned");
    expect(outputs.systemAssignedPrincipalId?.value).toBe(vm.identity?.principalId);
    expect(outputs.userAssignedPrincipalId?.value).toBe(identity.properties?.principalId);
    expect(outputs.userAssignedClientId?.value).toBe(identity.properties?.clientId);
    expect(Object.values(vm.identity?.userAssignedIdentities ?? {})).toEqual([
      { principalId: identity.properties?.principalId, clientId: identity.properties?.clientId },
    ]);

    const created: string[] = [];
    for await (const resource of resources.resources.listByResourceGroup(LAB_GROUP))
      created.push(resource.type ?? "");
    expect(created.sort()).toEqual([
      "Microsoft.Compute/virtualMachines",
      "Microsoft.KeyVault/vaults",
      "Microsoft.ManagedIdentity/userAssignedIdentities",
      "Microsoft.Network/networkInterfaces",
      "Microsoft.Network/networkSecurityGroups",
      "Microsoft.Network/publicIPAddresses",
      "Microsoft.Network/virtualNetworks",
    ]);

    // Contributor on the group for both identities; Key Vault Secrets User on the vault (the `scope` property).
    const onGroup = await roleAssignmentsAt(groupId);
    const vaultScope = `${groupId}/providers/Microsoft.KeyVault/vaults/kv-${suffix}`;
    const onVault = (await roleAssignmentsAt(vaultScope)).filter((a) => a.properties.scope === vaultScope);
    const principals = [vm.identity?.principalId, identity.properties?.principalId].sort();
    expect(
      onGroup
        .filter((a) => a.properties.roleDefinitionId.endsWith(CONTRIBUTOR))
        .map((a) => a.properties.principalId)
        .sort(),
    ).toEqual(principals);
    expect(
      onVault
        .filter((a) => a.properties.roleDefinitionId.endsWith(KEY_VAULT_SECRETS_USER))
        .map((a) => a.properties.principalId)
        .sort(),
    ).toEqual(principals);

    // The secret went to the vault's data plane, and ARM does not give its value back.
    const secretName = parameters.secretName.value as string;
    const secret = await new SecretClient(
      `https://kv-${suffix}.vault.azure.net`,
      credential,
      options,
    ).getSecret(secretName);
    expect(secret.value).toBe("lab-secret-value");
    expect(secret.properties.contentType).toBe("text/plain");
    const armSecret = await resources.resources.get(
      LAB_GROUP,
      "Microsoft.KeyVault",
      `vaults/kv-${suffix}`,
      "secrets",
      secretName,
      "2026-02-01",
    );
    expect(armSecret.properties).not.toHaveProperty("value");
    expect(armSecret.properties?.secretUri).toBe(
      `https://kv-${suffix}.vault.azure.net/secrets/${secretName}`,
    );
  });

  it("makes role assignments from a deployment effective at once, at the group and at a resource scope", async () => {
    const userAssigned = new ManagedIdentityCredential({ ...options, clientId: USER_ASSIGNED_CLIENT_ID });
    const groupsAsUserAssigned = new ResourceManagementClient(userAssigned, SUBSCRIPTION_ID, options);
    const storageAsUserAssigned = new StorageManagementClient(userAssigned, SUBSCRIPTION_ID, options);
    await resources.resourceGroups.createOrUpdate("rg-grants", { location: "westus2" });
    expect(await armFailureOf(() => groupsAsUserAssigned.resourceGroups.get("rg-grants"))).toMatchObject({
      statusCode: 403,
      code: "AuthorizationFailed",
    });

    const roleId = (id: string) =>
      `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${id}')]`;
    const template = armTemplate({
      resources: [
        storageAccountResource("grantedacct"),
        storageAccountResource("otheracct"),
        {
          type: "Microsoft.Authorization/roleAssignments",
          apiVersion: "2022-04-01",
          name: "[guid(resourceGroup().id, 'reader')]",
          properties: {
            roleDefinitionId: roleId(READER),
            principalId: USER_ASSIGNED_PRINCIPAL_ID,
            principalType: "ServicePrincipal",
          },
        },
        {
          type: "Microsoft.Authorization/roleAssignments",
          apiVersion: "2022-04-01",
          name: "[guid(resourceGroup().id, 'storage')]",
          scope: "[format('Microsoft.Storage/storageAccounts/{0}', 'grantedacct')]",
          dependsOn: ["[resourceId('Microsoft.Storage/storageAccounts', 'grantedacct')]"],
          properties: {
            roleDefinitionId: roleId(STORAGE_ACCOUNT_CONTRIBUTOR),
            principalId: USER_ASSIGNED_PRINCIPAL_ID,
            principalType: "ServicePrincipal",
          },
        },
      ],
    });
    const result = await deployments.deployments.createOrUpdate("rg-grants", "grants", {
      properties: { mode: "Incremental", template },
    });
    expect(
      result.properties?.outputResources?.map((r) => r.id?.split("/providers/").slice(1).join("/providers/")),
    ).toEqual([
      "Microsoft.Storage/storageAccounts/grantedacct",
      "Microsoft.Storage/storageAccounts/otheracct",
      expect.stringMatching(/^Microsoft\.Authorization\/roleAssignments\/[0-9a-f-]{36}$/),
      expect.stringMatching(
        /^Microsoft\.Storage\/storageAccounts\/grantedacct\/providers\/Microsoft\.Authorization\/roleAssignments\/[0-9a-f-]{36}$/,
      ),
    ]);

    expect((await groupsAsUserAssigned.resourceGroups.get("rg-grants")).name).toBe("rg-grants");
    expect(
      (await storageAsUserAssigned.storageAccounts.listKeys("rg-grants", "grantedacct")).keys,
    ).toHaveLength(2);
    expect(
      await armFailureOf(() => storageAsUserAssigned.storageAccounts.listKeys("rg-grants", "otheracct")),
    ).toMatchObject({
      statusCode: 403,
      code: "AuthorizationFailed",
      message: expect.stringContaining("'Microsoft.Storage/storageAccounts/listkeys/action'"),
    });
  });
});
