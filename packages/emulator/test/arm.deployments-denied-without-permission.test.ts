// RBAC in template deployments: deploying needs Microsoft.Resources/deployments/write (else 403 AuthorizationFailed),
// and ARM checks write permission on every resource of the template before deploying any of them (else 400
// InvalidTemplateDeployment "Authorization failed for template resource ..."), role assignments included.
import { ResourceManagementClient } from "@azure/arm-resources";
import { DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { armFailureOf, armTemplate, defaultScenarioWith, storageAccountResource } from "./arm-fixtures.ts";
import {
  SUBSCRIPTION_ID,
  SYSTEM_CLIENT_ID,
  SYSTEM_PRINCIPAL_ID,
  USER_ASSIGNED_CLIENT_ID,
  USER_ASSIGNED_PRINCIPAL_ID,
} from "./default-scenario.ts";

const groupScope = (group: string) => `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${group}`;

const vaultResource = {
  type: "Microsoft.KeyVault/vaults",
  apiVersion: "2026-02-01",
  name: "kv-denied-test",
  location: "[resourceGroup().location]",
  properties: { tenantId: "[subscription().tenantId]", sku: { family: "A", name: "standard" } },
};

describe("permissions in template deployments", () => {
  let emulator: Emulator;
  let asSystem: DeploymentsClient;
  let asUserAssigned: DeploymentsClient;
  let resourcesAsUserAssigned: ResourceManagementClient;
  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: defaultScenarioWith((scenario) => {
        scenario.roleAssignments = [
          { principal: "system", role: "Reader", scope: groupScope("rg-msi-samples") },
          { principal: "system", role: "Contributor", scope: groupScope("rg-workshop-network") },
          {
            principal: "id-msi-samples",
            role: "Key Vault Contributor",
            scope: groupScope("rg-workshop-data"),
          },
        ];
      }),
    });
    const options = clientOptionsFor(emulator);
    asSystem = new DeploymentsClient(new ManagedIdentityCredential(options), SUBSCRIPTION_ID, options);
    const userAssigned = new ManagedIdentityCredential({ ...options, clientId: USER_ASSIGNED_CLIENT_ID });
    asUserAssigned = new DeploymentsClient(userAssigned, SUBSCRIPTION_ID, options);
    resourcesAsUserAssigned = new ResourceManagementClient(userAssigned, SUBSCRIPTION_ID, options);
  });
  afterAll(() => emulator.stop());

  it("answers 403 AuthorizationFailed to a deployment without write on the group", async () => {
    const failure = await armFailureOf(() =>
      asSystem.deployments.createOrUpdate("rg-msi-samples", "denied", {
        properties: { mode: "Incremental", template: armTemplate({}) },
      }),
    );
    expect(failure).toMatchObject({
      statusCode: 403,
      code: "AuthorizationFailed",
      message: `The client '${SYSTEM_CLIENT_ID}' with object id '${SYSTEM_PRINCIPAL_ID}' does not have authorization to perform action 'Microsoft.Resources/deployments/write' over scope '/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-msi-samples/providers/Microsoft.Resources/deployments/denied' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    });
  });

  it("refuses a template whose role assignment the caller may not write (Contributor cannot assign roles)", async () => {
    const template = armTemplate({
      resources: [
        {
          type: "Microsoft.Authorization/roleAssignments",
          apiVersion: "2022-04-01",
          name: "[guid(resourceGroup().id, 'reader-for-user-assigned')]",
          properties: {
            roleDefinitionId:
              "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')]",
            principalId: USER_ASSIGNED_PRINCIPAL_ID,
            principalType: "ServicePrincipal",
          },
        },
      ],
    });
    const failure = await armFailureOf(() =>
      asSystem.deployments.createOrUpdate("rg-workshop-network", "assign", {
        properties: { mode: "Incremental", template },
      }),
    );
    expect(failure).toMatchObject({ statusCode: 400, code: "InvalidTemplateDeployment" });
    expect(failure.message).toMatch(
      new RegExp(
        `^The template deployment failed with error: 'Authorization failed for template resource '[0-9a-f-]{36}' of type 'Microsoft\\.Authorization/roleAssignments'\\. The client '${SYSTEM_CLIENT_ID}' with object id '${SYSTEM_PRINCIPAL_ID}' does not have permission to perform action 'Microsoft\\.Authorization/roleAssignments/write' at scope '${groupScope("rg-workshop-network")}/providers/Microsoft\\.Authorization/roleAssignments/[0-9a-f-]{36}'\\.'\\.$`,
      ),
    );
  });

  it("checks every resource before deploying any: a storage account a Key Vault Contributor may not write stops the vault too", async () => {
    const failure = await armFailureOf(() =>
      asUserAssigned.deployments.createOrUpdate("rg-workshop-data", "vault-and-storage", {
        properties: {
          mode: "Incremental",
          template: armTemplate({ resources: [vaultResource, storageAccountResource("deniedstorage")] }),
        },
      }),
    );
    expect(failure).toMatchObject({ statusCode: 400, code: "InvalidTemplateDeployment" });
    expect(failure.message).toContain(
      `Authorization failed for template resource 'deniedstorage' of type 'Microsoft.Storage/storageAccounts'. The client '${USER_ASSIGNED_CLIENT_ID}' with object id '${USER_ASSIGNED_PRINCIPAL_ID}' does not have permission to perform action 'Microsoft.Storage/storageAccounts/write' at scope '${groupScope("rg-workshop-data")}/providers/Microsoft.Storage/storageAccounts/deniedstorage'.`,
    );
    const vaultExists = await resourcesAsUserAssigned.resources.checkExistence(
      "rg-workshop-data",
      "Microsoft.KeyVault",
      "",
      "vaults",
      "kv-denied-test",
      "2026-02-01",
    );
    expect(vaultExists.body).toBe(false);
  });

  it("deploys what the role allows", async () => {
    const result = await asUserAssigned.deployments.createOrUpdate("rg-workshop-data", "vault-only", {
      properties: { mode: "Incremental", template: armTemplate({ resources: [vaultResource] }) },
    });
    expect(result.properties?.provisioningState).toBe("Succeeded");
    const vault = await resourcesAsUserAssigned.resources.get(
      "rg-workshop-data",
      "Microsoft.KeyVault",
      "",
      "vaults",
      "kv-denied-test",
      "2026-02-01",
    );
    expect(vault.properties).toMatchObject({ vaultUri: "https://kv-denied-test.vault.azure.net/" });
  });
});
