// Template deployments with the real DeploymentsClient: the long-running PUT, what the finished deployment says, the
// resources it creates (read back through arm-storage and arm-resources), linked templates from the local catalog,
// deployment operations, Complete mode, and failures the way ARM reports them (InvalidTemplate at PUT, preflight's
// InvalidTemplateDeployment, DeploymentFailed with per-resource details).
import { readFile } from "node:fs/promises";
import { ResourceManagementClient } from "@azure/arm-resources";
import { type DeploymentOperation, DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { StorageManagementClient } from "@azure/arm-storage";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { uniqueString } from "../src/template-engine/index.ts";
import {
  armFailureOf,
  armTemplate,
  defaultScenarioWith,
  hiddenStorageAccount,
  storageAccountResource,
} from "./arm-fixtures.ts";
import { SUBSCRIPTION_ID } from "./default-scenario.ts";
import { httpsThroughProxy } from "./raw-requests.ts";

const GROUP = "rg-msi-samples";
const groupId = (name: string) => `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${name}`;
const QUICKSTART_URI =
  "https://raw.githubusercontent.com/Azure/azure-quickstart-templates/master/quickstarts/microsoft.storage/storage-account-create/azuredeploy.json";
const sampleTemplateFile = new URL(
  "../../../samples/deploy-arm-template/template/azuredeploy.json",
  import.meta.url,
);
const sampleParametersFile = new URL(
  "../../../samples/deploy-arm-template/template/azuredeploy.parameters.json",
  import.meta.url,
);

describe("template deployments", () => {
  let emulator: Emulator;
  let deployments: DeploymentsClient;
  let resources: ResourceManagementClient;
  let storage: StorageManagementClient;
  beforeAll(async () => {
    // Someone else's storage account, in a subscription this identity cannot see: its name is taken.
    emulator = await startEmulator({
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
