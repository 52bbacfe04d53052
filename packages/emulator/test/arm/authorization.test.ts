// Who may call Resource Manager: bad tokens answered 401, a missing role 403, and deployments refused without the
// permissions their resources need.

import path from "node:path";
import { ResourceManagementClient } from "@azure/arm-resources";
import { DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, DEFAULT_SCENARIO_PATH, type Emulator } from "../../src/index.ts";
import {
  armFailureOf,
  armTemplate,
  defaultScenarioWith,
  storageAccountResource,
} from "../support/arm-fixtures.ts";
import {
  SUBSCRIPTION_ID,
  SYSTEM_CLIENT_ID,
  SYSTEM_PRINCIPAL_ID,
  USER_ASSIGNED_CLIENT_ID,
  USER_ASSIGNED_PRINCIPAL_ID,
} from "../support/default-scenario.ts";
import { startEmulatorOnFilePort } from "../support/file-proxy-port.ts";
import { httpsThroughProxy } from "../support/raw-requests.ts";
import { drain, fixedTokenCredential, rejectionOf } from "../support/sdk-calls.ts";

// ARM checks the bearer token as Azure does: audience, expiry, signature, presence; each failure is a 401 with
// ARM's error code and a WWW-Authenticate challenge. Driven with the real ResourceManagementClient.
describe("ARM authentication failures", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort();
  });
  afterAll(() => emulator.stop());

  const listGroupsWith = (token: string) =>
    drain(
      new ResourceManagementClient(
        fixedTokenCredential(token),
        SUBSCRIPTION_ID,
        clientOptionsFor(emulator),
      ).resourceGroups.list(),
    );
  // A get keeps ARM's message in the RestError (a paged list keeps only the code).
  const getGroupWith = (token: string) =>
    new ResourceManagementClient(
      fixedTokenCredential(token),
      SUBSCRIPTION_ID,
      clientOptionsFor(emulator),
    ).resourceGroups.get("rg-msi-samples");

  it("refuses a token for another audience with InvalidAuthenticationTokenAudience", async () => {
    const credential = new ManagedIdentityCredential(clientOptionsFor(emulator));
    const vaultToken = await credential.getToken("https://vault.azure.net/.default");
    await expect(listGroupsWith(vaultToken.token)).rejects.toMatchObject({
      statusCode: 401,
      code: "InvalidAuthenticationTokenAudience",
    });
    const failure = await rejectionOf(() => getGroupWith(vaultToken.token));
    expect(failure).toMatchObject({ statusCode: 401, code: "InvalidAuthenticationTokenAudience" });
    expect(failure.message).toBe(
      "The access token has been obtained for wrong audience or resource 'https://vault.azure.net'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.",
    );
  });

  it("refuses an expired token with ExpiredAuthenticationToken", async () => {
    const expired = await emulator.issueToken({
      resource: "https://management.azure.com",
      lifetimeSeconds: -120,
    });
    await expect(listGroupsWith(expired)).rejects.toMatchObject({
      statusCode: 401,
      code: "ExpiredAuthenticationToken",
    });
    const failure = await rejectionOf(() => getGroupWith(expired));
    expect(failure).toMatchObject({ statusCode: 401, code: "ExpiredAuthenticationToken" });
    expect(failure.message).toMatch(
      /^The access token expiry UTC time '.+' is earlier than current UTC time '.+'\.$/,
    );
  });

  it("refuses a token whose signature does not verify", async () => {
    const token = await emulator.issueToken({ resource: "https://management.azure.com" });
    const [header, payload, signature = ""] = token.split(".");
    const tampered = `${header}.${payload}.${signature.slice(0, -4)}${signature.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    await expect(getGroupWith(tampered)).rejects.toMatchObject({
      statusCode: 401,
      code: "InvalidAuthenticationToken",
      message: "The access token is invalid.",
    });
  });

  it("accepts every ARM audience spelling", async () => {
    for (const audience of [
      "https://management.azure.com",
      "https://management.azure.com/",
      "https://management.core.windows.net/",
    ]) {
      const token = await emulator.issueToken({ resource: audience });
      await expect(listGroupsWith(token)).resolves.toBeUndefined();
    }
  });

  it("answers a request without Authorization with AuthenticationFailed and a Bearer challenge", async () => {
    const response = await httpsThroughProxy(emulator.port, {
      path: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups?api-version=2025-04-01`,
    });
    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      error: {
        code: "AuthenticationFailed",
        message: "Authentication failed. The 'Authorization' header is missing.",
      },
    });
    expect(response.headers["www-authenticate"]).toMatch(
      /^Bearer authorization_uri="https:\/\/login\.windows\.net\/", error="invalid_token"/,
    );
  });

  it("sends the WWW-Authenticate challenge with every 401", async () => {
    const expired = await emulator.issueToken({
      resource: "https://management.azure.com",
      lifetimeSeconds: -120,
    });
    const response = await httpsThroughProxy(emulator.port, {
      path: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups?api-version=2025-04-01`,
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toContain(
      'error_description="The access token expiry UTC time',
    );
  });
});

// RBAC: with the missing-role scenario (Reader on one group) listing the subscription's groups shows that group only,
// reading another group is 403 AuthorizationFailed with Azure's exact message, and its own group still reads.
describe("a missing role", () => {
  let emulator: Emulator;
  let client: ResourceManagementClient;
  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort({
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

// RBAC in template deployments: deploying needs Microsoft.Resources/deployments/write (else 403 AuthorizationFailed),
// and ARM checks write permission on every resource of the template before deploying any of them (else 400
// InvalidTemplateDeployment "Authorization failed for template resource ..."), role assignments included.
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
    emulator = await startEmulatorOnFilePort({
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
