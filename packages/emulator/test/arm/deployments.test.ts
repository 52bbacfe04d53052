// Template deployments as Resource Manager runs them: templates evaluated like ARM, independent resources deployed in
// parallel, the lab template with its role assignments, and realistic latency that shows progress.
import { readFile } from "node:fs/promises";
import { ResourceManagementClient } from "@azure/arm-resources";
import { type DeploymentOperation, DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { StorageManagementClient } from "@azure/arm-storage";
import { ManagedIdentityCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator } from "../../src/index.ts";
import { uniqueString } from "../../src/template-engine/index.ts";
import {
  armFailureOf,
  armTemplate,
  defaultScenarioWith,
  hiddenStorageAccount,
  storageAccountResource,
} from "../support/arm-fixtures.ts";
import {
  SUBSCRIPTION_ID,
  TENANT_ID,
  USER_ASSIGNED_CLIENT_ID,
  USER_ASSIGNED_PRINCIPAL_ID,
} from "../support/default-scenario.ts";
import { startEmulatorOnFilePort } from "../support/file-proxy-port.ts";
import { httpsThroughProxy } from "../support/raw-requests.ts";

// Template deployments with the real DeploymentsClient: the long-running PUT, what the finished deployment says, the
// resources it creates (read back through arm-storage and arm-resources), linked templates from the local catalog,
// deployment operations, Complete mode, and failures the way ARM reports them (InvalidTemplate at PUT, preflight's
// InvalidTemplateDeployment, DeploymentFailed with per-resource details).
const GROUP = "rg-msi-samples";
const groupId = (name: string) => `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${name}`;
const QUICKSTART_URI =
  "https://raw.githubusercontent.com/Azure/azure-quickstart-templates/master/quickstarts/microsoft.storage/storage-account-create/azuredeploy.json";
const sampleTemplateFile = new URL(
  "../../../../samples/deploy-arm-template/template/azuredeploy.json",
  import.meta.url,
);
const sampleParametersFile = new URL(
  "../../../../samples/deploy-arm-template/template/azuredeploy.parameters.json",
  import.meta.url,
);

describe("template deployments", () => {
  let emulator: Emulator;
  let deployments: DeploymentsClient;
  let resources: ResourceManagementClient;
  let storage: StorageManagementClient;
  beforeAll(async () => {
    // Someone else's storage account, in a subscription this identity cannot see: its name is taken.
    emulator = await startEmulatorOnFilePort({
      scenario: defaultScenarioWith((scenario) => {
        scenario.resources = [hiddenStorageAccount()];
      }),
    });
    const options = clientOptionsFor(emulator);
    const credential = new ManagedIdentityCredential(options);
    deployments = new DeploymentsClient(credential, SUBSCRIPTION_ID, options);
    resources = new ResourceManagementClient(credential, SUBSCRIPTION_ID, options);
    storage = new StorageManagementClient(credential, SUBSCRIPTION_ID, options);
  });
  afterAll(() => emulator.stop());

  /** The SDK's poller keeps no body from a failed initial response: read ARM's error body on the wire. */
  const putOnTheWire = async (group: string, name: string, body: unknown) => {
    const token = await emulator.issueToken({ resource: "https://management.azure.com" });
    return httpsThroughProxy(emulator.port, {
      method: "PUT",
      path: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/${group}/providers/Microsoft.Resources/deployments/${name}?api-version=2026-06-01`,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  };

  const operationsOf = async (group: string, name: string) => {
    const operations: DeploymentOperation[] = [];
    for await (const operation of deployments.deploymentOperations.list(group, name))
      operations.push(operation);
    return operations;
  };

  // uniqueString('test') is 'rbgf3xv4ufgzg' in Azure (published pair, see hash-functions.match-azure.test.ts).
  const storageWithIdentity = armTemplate({
    parameters: {
      prefix: { type: "string", defaultValue: "st", maxLength: 11 },
      seed: { type: "string" },
      replication: { type: "string", allowedValues: ["Standard_LRS", "Standard_GRS"] },
      adminSecret: { type: "securestring", defaultValue: "not-for-output" },
    },
    variables: {
      accountName: "[concat(parameters('prefix'), uniqueString(parameters('seed')))]",
      identityName: "[format('{0}-identity', parameters('prefix'))]",
    },
    resources: [
      storageAccountResource("[variables('accountName')]", {
        sku: { name: "[parameters('replication')]" },
        dependsOn: [
          "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('identityName'))]",
        ],
        tags: { owner: "[reference(variables('identityName')).principalId]" },
      }),
      {
        type: "Microsoft.ManagedIdentity/userAssignedIdentities",
        apiVersion: "2024-11-30",
        name: "[variables('identityName')]",
        location: "[resourceGroup().location]",
      },
    ],
    outputs: {
      accountName: { type: "string", value: "[variables('accountName')]" },
      blobEndpoint: { type: "string", value: "[reference(variables('accountName')).primaryEndpoints.blob]" },
      firstKeyName: {
        type: "string",
        value: "[listKeys(variables('accountName'), '2025-06-01').keys[0].keyName]",
      },
    },
  });

  it("deploys parameters, variables, uniqueString and dependsOn; the account is then readable through arm-storage", async () => {
    const result = await deployments.deployments.createOrUpdate(GROUP, "storage-with-identity", {
      properties: {
        mode: "Incremental",
        template: storageWithIdentity,
        parameters: { seed: { value: "test" }, replication: { value: "Standard_GRS" } },
      },
    });
    const accountId = `${groupId(GROUP)}/providers/Microsoft.Storage/storageAccounts/strbgf3xv4ufgzg`;
    const identityId = `${groupId(GROUP)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/st-identity`;
    expect(result).toMatchObject({
      id: `${groupId(GROUP)}/providers/Microsoft.Resources/deployments/storage-with-identity`,
      name: "storage-with-identity",
      type: "Microsoft.Resources/deployments",
      properties: {
        provisioningState: "Succeeded",
        mode: "Incremental",
        outputs: {
          accountName: { type: "String", value: "strbgf3xv4ufgzg" },
          blobEndpoint: { type: "String", value: "https://strbgf3xv4ufgzg.blob.core.windows.net/" },
          firstKeyName: { type: "String", value: "key1" },
        },
        outputResources: [{ id: identityId }, { id: accountId }],
        // Secure parameters are left out of the deployment, as ARM does.
        parameters: {
          seed: { type: "String", value: "test" },
          prefix: { type: "String", value: "st" },
          adminSecret: { type: "SecureString" },
        },
      },
    });
    expect(result.properties?.parameters?.adminSecret).not.toHaveProperty("value");
    expect(result.properties?.duration).toMatch(/^PT(\d+M)?\d+(\.\d+)?S$/);
    expect(result.properties?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.properties?.templateHash).toMatch(/^\d+$/);
    expect(result.properties?.timestamp).toBeInstanceOf(Date);

    // The PUT was a long-running operation: 201 with Azure-AsyncOperation, polled to Succeeded.
    const put = emulator
      .requests()
      .find((e) => e.method === "PUT" && e.path.includes("/deployments/storage-with-identity"));
    expect(put?.status).toBe(201);
    expect(emulator.requests().some((e) => e.path.includes("storage-with-identity/operationStatuses/"))).toBe(
      true,
    );

    const account = await storage.storageAccounts.getProperties(GROUP, "strbgf3xv4ufgzg");
    const identity = await resources.resources.getById(identityId, "2024-11-30");
    expect(account).toMatchObject({
      id: accountId,
      sku: { name: "Standard_GRS", tier: "Standard" },
      kind: "StorageV2",
      location: "westus2",
      provisioningState: "Succeeded",
      primaryLocation: "westus2",
      secondaryLocation: "westcentralus",
      minimumTlsVersion: "TLS1_2",
      // reference() saw the identity, deployed first because the account depends on it.
      tags: { owner: identity.properties?.principalId },
    });
  });

  it("lists one deployment operation per resource, in the order they ran", async () => {
    const operations = await operationsOf(GROUP, "storage-with-identity");
    const creates = operations.filter((o) => o.properties?.provisioningOperation === "Create");
    expect(creates.map((o) => o.properties?.targetResource?.resourceType)).toEqual([
      "Microsoft.ManagedIdentity/userAssignedIdentities",
      "Microsoft.Storage/storageAccounts",
    ]);
    for (const operation of creates) {
      expect(operation.operationId).toMatch(/^[0-9A-F]{16}$/);
      expect(operation.properties).toMatchObject({
        provisioningState: "Succeeded",
        statusCode: expect.stringMatching(/^(OK|Created)$/),
        duration: expect.stringMatching(/^PT/),
      });
      expect(operation.properties?.timestamp).toBeInstanceOf(Date);
    }
    const single = await deployments.deploymentOperations.get(
      GROUP,
      "storage-with-identity",
      creates[1]?.operationId ?? "",
    );
    expect(single.properties?.targetResource?.resourceName).toBe("strbgf3xv4ufgzg");
  });

  it("deploys the deploy-arm-template sample's own template with its parameters file", async () => {
    await resources.resourceGroups.createOrUpdate("rg-sample-template", { location: "eastus" });
    const template = JSON.parse(await readFile(sampleTemplateFile, "utf8"));
    const { parameters } = JSON.parse(await readFile(sampleParametersFile, "utf8"));
    const result = await deployments.deployments.createOrUpdate("rg-sample-template", "sample", {
      properties: { mode: "Incremental", template, parameters },
    });
    const expectedName = `msisample${uniqueString(groupId("rg-sample-template"))}`;
    expect(result.properties?.outputs).toEqual({
      storageAccountName: { type: "String", value: expectedName },
      storageAccountId: {
        type: "String",
        value: `${groupId("rg-sample-template")}/providers/Microsoft.Storage/storageAccounts/${expectedName}`,
      },
    });
    const account = await storage.storageAccounts.getProperties("rg-sample-template", expectedName);
    expect(account).toMatchObject({
      location: "eastus",
      allowBlobPublicAccess: false,
      enableHttpsTrafficOnly: true,
    });
  });

  it("deploys a linked template from the local catalog, and refuses a link it cannot resolve", async () => {
    await resources.resourceGroups.createOrUpdate("rg-linked", { location: "westus2" });
    const result = await deployments.deployments.createOrUpdate("rg-linked", "quickstart", {
      properties: {
        mode: "Incremental",
        templateLink: { uri: QUICKSTART_URI },
        parameters: { storageAccountType: { value: "Standard_GRS" } },
      },
    });
    const expectedName = `store${uniqueString(groupId("rg-linked"))}`;
    expect(result.properties).toMatchObject({
      provisioningState: "Succeeded",
      templateLink: { uri: QUICKSTART_URI, contentVersion: "1.0.0.0" },
      outputs: { storageAccountName: { value: expectedName } },
    });
    expect((await storage.storageAccounts.getProperties("rg-linked", expectedName)).sku?.name).toBe(
      "Standard_GRS",
    );
    expect((await deployments.deployments.exportTemplate("rg-linked", "quickstart")).template).toMatchObject({
      contentVersion: "1.0.0.0",
    });

    const unknown = await armFailureOf(() =>
      deployments.deployments.createOrUpdate("rg-linked", "nowhere", {
        properties: { mode: "Incremental", templateLink: { uri: "https://example.com/templates/none.json" } },
      }),
    );
    expect(unknown).toMatchObject({ statusCode: 400, code: "InvalidContentLink" });
    expect(unknown.message).toMatch(
      /^Unable to download deployment content from 'https:\/\/example\.com\/templates\/none\.json'/,
    );
  });

  it("rejects an invalid template at PUT with InvalidTemplate and the JSON path", async () => {
    const failure = await armFailureOf(() =>
      deployments.deployments.createOrUpdate(GROUP, "invalid", {
        properties: {
          mode: "Incremental",
          template: armTemplate({ variables: { broken: "[notAFunction('x')]" } }),
        },
      }),
    );
    expect(failure).toMatchObject({ statusCode: 400, code: "InvalidTemplate" });
    expect(failure.message).toContain("The template function 'notAFunction' is not valid");
    const onTheWire = await putOnTheWire(GROUP, "invalid", {
      properties: {
        mode: "Incremental",
        template: armTemplate({ variables: { broken: "[notAFunction('x')]" } }),
      },
    });
    expect(onTheWire.status).toBe(400);
    expect(onTheWire.json).toMatchObject({
      error: {
        code: "InvalidTemplate",
        additionalInfo: [
          { type: "TemplateViolation", info: { path: "properties.template.variables.broken" } },
        ],
      },
    });
    // A parameter that is required and missing, the same way.
    const missing = await armFailureOf(() =>
      deployments.deployments.createOrUpdate(GROUP, "invalid", {
        properties: { mode: "Incremental", template: storageWithIdentity },
      }),
    );
    expect(missing.message).toContain("The value for the template parameter 'seed' is not provided");
    // Nothing was created: ARM keeps no deployment that failed validation.
    await expect(deployments.deployments.get(GROUP, "invalid")).rejects.toMatchObject({
      statusCode: 404,
      code: "DeploymentNotFound",
      message: "Deployment 'invalid' could not be found.",
    });
  });

  it("fails preflight with InvalidTemplateDeployment when a storage account name is taken or invalid", async () => {
    const body = {
      properties: {
        mode: "Incremental" as const,
        template: armTemplate({
          resources: [storageAccountResource("financeledger"), storageAccountResource("a")],
        }),
      },
    };
    const taken = await armFailureOf(() => deployments.deployments.createOrUpdate(GROUP, "taken-name", body));
    expect(taken).toMatchObject({ statusCode: 400, code: "InvalidTemplateDeployment" });
    const onTheWire = await putOnTheWire(GROUP, "taken-name", body);
    expect(onTheWire.status).toBe(400);
    const error = (onTheWire.json as { error: { message: string } }).error;
    expect(error.message).toMatch(
      /^The template deployment 'taken-name' is not valid according to the validation procedure\. The tracking id is '[0-9a-f-]{36}'\. See inner errors for details\.$/,
    );
    expect(error).toMatchObject({
      details: [
        {
          code: "PreflightValidationCheckFailed",
          message: "Preflight validation failed. Please refer to the details for the specific errors.",
          details: [
            {
              code: "StorageAccountAlreadyTaken",
              message: "The storage account named financeledger is already taken.",
              target: "financeledger",
            },
            {
              code: "AccountNameInvalid",
              message:
                "a is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.",
              target: "a",
            },
          ],
        },
      ],
    });
    expect(
      (
        await storage.storageAccounts.checkNameAvailability({
          name: "financeledger",
          type: "Microsoft.Storage/storageAccounts",
        })
      ).reason,
    ).toBe("AlreadyExists");
  });

  it("fails a deployment whose resource fails with DeploymentFailed, and does not start what depends on it", async () => {
    const template = armTemplate({
      resources: [
        {
          // Its parent network does not exist and is not in the template.
          type: "Microsoft.Network/virtualNetworks/subnets",
          apiVersion: "2026-01-01",
          name: "no-such-vnet/default",
          properties: { addressPrefix: "10.0.0.0/24" },
        },
        {
          type: "Microsoft.Network/networkSecurityGroups",
          apiVersion: "2026-01-01",
          name: "nsg-after-subnet",
          location: "westus2",
          dependsOn: ["[resourceId('Microsoft.Network/virtualNetworks/subnets', 'no-such-vnet', 'default')]"],
        },
        {
          type: "Microsoft.Network/networkSecurityGroups",
          apiVersion: "2026-01-01",
          name: "nsg-independent",
          location: "westus2",
        },
      ],
    });
    const failure = await armFailureOf(() =>
      deployments.deployments.createOrUpdate(GROUP, "partly-failed", {
        properties: { mode: "Incremental", template },
      }),
    );
    // The SDK's poller turns a Failed operation into a plain Error; the causes are on the deployment.
    expect(failure.message).toContain("The long-running operation has failed");
    const failed = await deployments.deployments.get(GROUP, "partly-failed");
    expect(failed.properties).toMatchObject({
      provisioningState: "Failed",
      error: {
        code: "DeploymentFailed",
        message:
          "At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.",
        details: [{ code: "ParentResourceNotFound", message: expect.stringContaining("'no-such-vnet'") }],
      },
    });
    const operations = await operationsOf(GROUP, "partly-failed");
    expect(
      operations.map((o) => [o.properties?.targetResource?.resourceName, o.properties?.provisioningState]),
    ).toEqual([
      ["no-such-vnet/default", "Failed"],
      ["nsg-independent", "Succeeded"],
    ]);
    expect(operations[0]?.properties).toMatchObject({
      statusCode: "NotFound",
      statusMessage: { status: "Failed", error: { code: "ParentResourceNotFound" } },
    });
    const listed: string[] = [];
    for await (const deployment of deployments.deployments.listByResourceGroup(GROUP, {
      filter: "provisioningState eq 'Failed'",
    }))
      listed.push(deployment.name ?? "");
    expect(listed).toEqual(["partly-failed"]);
  });

  it("in Complete mode deletes the group's resources that the template does not name", async () => {
    await resources.resourceGroups.createOrUpdate("rg-complete", { location: "westus2" });
    await resources.resources.createOrUpdate(
      "rg-complete",
      "Microsoft.Network",
      "",
      "networkSecurityGroups",
      "nsg-old",
      "2026-01-01",
      {
        location: "westus2",
      },
    );
    const result = await deployments.deployments.createOrUpdate("rg-complete", "complete", {
      properties: {
        mode: "Complete",
        template: armTemplate({ resources: [storageAccountResource("completemodeacct")] }),
      },
    });
    expect(result.properties).toMatchObject({ provisioningState: "Succeeded", mode: "Complete" });
    const remaining: string[] = [];
    for await (const resource of resources.resources.listByResourceGroup("rg-complete"))
      remaining.push(resource.name ?? "");
    expect(remaining).toEqual(["completemodeacct"]);
    const operations = await operationsOf("rg-complete", "complete");
    expect(
      operations.map((o) => [
        o.properties?.provisioningOperation,
        o.properties?.targetResource?.resourceName,
      ]),
    ).toEqual([
      ["Create", "completemodeacct"],
      ["Delete", "nsg-old"],
    ]);
  });

  it("gets, lists, validates and deletes deployments", async () => {
    expect((await deployments.deployments.checkExistence(GROUP, "storage-with-identity")).body).toBe(true);
    const names: string[] = [];
    for await (const deployment of deployments.deployments.listByResourceGroup(GROUP))
      names.push(deployment.name ?? "");
    expect(names).toEqual(expect.arrayContaining(["storage-with-identity", "partly-failed"]));

    const validated = await deployments.deployments.validate(GROUP, "validate-only", {
      properties: {
        mode: "Incremental",
        template: storageWithIdentity,
        parameters: { seed: { value: "validate" }, replication: { value: "Standard_LRS" } },
      },
    });
    expect(validated.properties?.validatedResources?.map((r) => r.id?.split("/").pop())).toEqual([
      "st-identity",
      `st${uniqueString("validate")}`,
    ]);
    expect((await deployments.deployments.checkExistence(GROUP, "validate-only")).body).toBe(false);

    await deployments.deployments.delete(GROUP, "partly-failed", { updateIntervalInMs: 0 });
    expect((await deployments.deployments.checkExistence(GROUP, "partly-failed")).body).toBe(false);
    // Deleting a deployment leaves its resources alone.
    expect(
      (
        await resources.resources.checkExistence(
          GROUP,
          "Microsoft.Network",
          "",
          "networkSecurityGroups",
          "nsg-independent",
          "2026-01-01",
        )
      ).body,
    ).toBe(true);
  });
});

// The workshop lab template (shared/templates/lab-vm.json) deploys as on Azure: the VM with its system- and
// user-assigned identities, the network, the RBAC vault and its secret, and the role assignments, which take effect
// at once; role assignments a deployment makes (at the group, or with `scope` on a resource) change what an identity
// may do.
const LAB_GROUP = "rg-workshop-data";
const labTemplateFile = new URL("../../../../shared/templates/lab-vm.json", import.meta.url);
const labParametersFile = new URL("../../../../shared/templates/lab-vm.parameters.json", import.meta.url);
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
    emulator = await startEmulatorOnFilePort({
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

// ARM starts each resource of a deployment as soon as the resources it depends on are deployed: two independent
// storage accounts are created at the same time (their deployment operations overlap), and a resource that depends
// on both starts only after both finished. Realistic latency makes each create take seconds, so the overlap shows in
// the operations' start and end times (Deployments - operations list: timestamp = end, duration).
const account = (name: string) => ({
  type: "Microsoft.Storage/storageAccounts",
  apiVersion: "2023-05-01",
  name,
  location: "westus2",
  sku: { name: "Standard_LRS" },
  kind: "StorageV2",
});

/** An ISO 8601 duration such as PT3.512S, in milliseconds. */
const durationMs = (duration: string) => Number(/PT([\d.]+)S/.exec(duration)?.[1] ?? 0) * 1000;

// Tests that wait on realistic latency's timers share one emulator and run side by side: their deployments, accounts
// and vault have names of their own, so none sees another's, and the waits overlap instead of adding up.
describe.concurrent("with realistic latency", () => {
  let emulator: Emulator;
  let token: string;
  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort({ latency: "realistic" });
    token = await emulator.issueToken({ resource: "https://management.azure.com" });
  });
  afterAll(() => emulator.stop());

  describe("a deployment's independent resources", () => {
    it("are created in parallel, and a dependent resource waits for both", async () => {
      const options = clientOptionsFor(emulator);
      const client = new DeploymentsClient(new ManagedIdentityCredential(options), SUBSCRIPTION_ID, options);
      const template = armTemplate({
        resources: [
          account("msiparallela"),
          account("msiparallelb"),
          {
            type: "Microsoft.ManagedIdentity/userAssignedIdentities",
            apiVersion: "2023-01-31",
            name: "id-after-both",
            location: "westus2",
            dependsOn: ["msiparallela", "msiparallelb"].map(
              (name) => `[resourceId('Microsoft.Storage/storageAccounts', '${name}')]`,
            ),
          },
        ],
      });
      const result = await client.deployments.beginCreateOrUpdateAndWait(
        "rg-msi-samples",
        "parallel",
        { properties: { mode: "Incremental", template } },
        { updateIntervalInMs: 500 },
      );
      expect(result.properties?.provisioningState).toBe("Succeeded");

      const spans = new Map<string, { start: number; end: number }>();
      for await (const operation of client.deploymentOperations.list("rg-msi-samples", "parallel")) {
        const name = operation.properties?.targetResource?.resourceName;
        const end = operation.properties?.timestamp?.getTime() ?? 0;
        if (name) spans.set(name, { start: end - durationMs(operation.properties?.duration ?? ""), end });
      }
      const [a, b, after] = ["msiparallela", "msiparallelb", "id-after-both"].map((name) => spans.get(name));
      if (!a || !b || !after) throw new Error(`missing operations: ${[...spans.keys()].join(", ")}`);
      // Overlap: each account started before the other one ended.
      expect(a.start).toBeLessThan(b.end);
      expect(b.start).toBeLessThan(a.end);
      expect(after.start).toBeGreaterThanOrEqual(Math.max(a.end, b.end));
    }, 60_000);
  });

  // With latency "realistic" (the demos' `--latency realistic`), long-running operations take a few seconds and say so:
  // a deployment goes Accepted, Running, Succeeded with Retry-After on every poll, its storage account is Creating
  // meanwhile, and a new vault spends a moment in RegisteringDns while the SDK polls it.
  describe("realistic latency", () => {
    const request = (method: string, path: string, body?: unknown) =>
      httpsThroughProxy(emulator.port, {
        method,
        path,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    it("keeps a deployment Accepted, then Running, then Succeeded, with Retry-After while it runs", async () => {
      const deploymentPath = `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-msi-samples/providers/Microsoft.Resources/deployments/slow?api-version=2026-06-01`;
      const put = await request("PUT", deploymentPath, {
        properties: {
          mode: "Incremental",
          template: armTemplate({ resources: [storageAccountResource("slowaccount")] }),
        },
      });
      expect(put.status).toBe(201);
      expect(put.headers["retry-after"]).toBe("1");
      expect(put.json).toMatchObject({ properties: { provisioningState: "Accepted" } });
      const statusUrl = new URL(String(put.headers["azure-asyncoperation"]));

      const deploymentStates: string[] = [];
      const accountStates: string[] = [];
      for (;;) {
        const status = await request("GET", `${statusUrl.pathname}${statusUrl.search}`);
        const state = (status.json as { status: string }).status;
        if (deploymentStates.at(-1) !== state) deploymentStates.push(state);
        if (state === "Succeeded" || state === "Failed") break;
        expect(status.headers["retry-after"]).toBe("1");
        const account = await request(
          "GET",
          `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-msi-samples/providers/Microsoft.Storage/storageAccounts/slowaccount?api-version=2026-09-01`,
        );
        const accountState =
          account.status === 200
            ? (account.json as { properties: { provisioningState: string } }).properties.provisioningState
            : "none";
        if (accountStates.at(-1) !== accountState) accountStates.push(accountState);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(deploymentStates).toEqual(["Accepted", "Running", "Succeeded"]);
      expect(accountStates).toEqual(expect.arrayContaining(["Creating"]));
    });

    it("lets the SDK wait for a vault that is still registering its DNS name", async () => {
      const options = clientOptionsFor(emulator);
      const client = new ResourceManagementClient(
        new ManagedIdentityCredential(options),
        SUBSCRIPTION_ID,
        options,
      );
      const vault = await client.resources.createOrUpdate(
        "rg-msi-samples",
        "Microsoft.KeyVault",
        "",
        "vaults",
        "kv-slow-dns",
        "2026-02-01",
        {
          location: "westus2",
          properties: { tenantId: TENANT_ID, sku: { family: "A", name: "standard" } },
        },
      );
      expect(vault.properties?.provisioningState).toBe("Succeeded");
      const vaultRequests = emulator.requests().filter((e) => e.path.includes("/vaults/kv-slow-dns"));
      expect(vaultRequests.map((e) => e.method)).toEqual(expect.arrayContaining(["PUT", "GET"]));
    });
  });
});
