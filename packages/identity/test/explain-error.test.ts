// explainError: what each failure a sample meets means and how to fix it, one line per cause: usage errors, ARM's
// and Key Vault's authorization failures, deployments, throttling, and IMDS's own answers (produced for real: a fake
// IMDS and a credential in a child process; those tests mostly wait on the SDK's retries, so they wait concurrently).

import { readdir, readFile } from "node:fs/promises";
import { get } from "node:http";
import { parseArgs } from "node:util";
import type { TokenCredential } from "@azure/core-auth";
import { RestError } from "@azure/core-rest-pipeline";
import { afterEach, describe, expect, it, type TestContext } from "vitest";
import { runLocallyHint } from "../src/imds-endpoint.ts";
import {
  checkBeforeCreating,
  explainError,
  getInstanceMetadata,
  InstanceMetadataError,
  ManagedIdentityTimeoutError,
  UsageError,
} from "../src/index.ts";
import {
  armAuthorizationFailed,
  armDeploymentFailedError,
  armInvalidTemplateDeployment,
  armResourceGroupNotFound,
  armThrottled,
  keyVaultAccessDenied,
  keyVaultCallerNotInAnyAccessPolicy,
  keyVaultForbiddenByRbac,
  type VaultDenial,
} from "./support/azure-error-bodies.ts";
import { reportOf, runScript } from "./support/child-process.ts";
import {
  accessTokenFor,
  fakeImdsForTest,
  systemAssigned,
  tokenReplies,
  userAssigned,
} from "./support/fake-imds.ts";
import { closedPort, type HttpStub, type Reply, type Responder, startHttpStub } from "./support/http-stub.ts";
import {
  deploymentsClientFor,
  resourceManagementClientFor,
  resourceManagementClientOverHttps,
  secretClientFor,
  subscriptionId,
} from "./support/sdk-clients-over-http.ts";
import { selfSignedCertificateFor127001 } from "./support/self-signed-certificate.ts";

// The remaining cases: usage errors (exit 2), errors wrapped by a caller, and the one-line fallback for anything
// else, with its code and HTTP status.
describe("explainError", () => {
  let arm: HttpStub | undefined;
  afterEach(async () => {
    await arm?.close();
    arm = undefined;
  });

  it("a UsageError: its message, exit code 2", () => {
    const error = new UsageError(
      "Missing resource group: pass --resource-group or set AZURE_RESOURCE_GROUP.",
    );
    expect(explainError(error)).toEqual({ message: error.message, exitCode: 2 });
  });

  it("node:util parseArgs' own errors are usage errors too", () => {
    let thrown: unknown;
    try {
      parseArgs({ args: ["--nope"], options: {}, strict: true });
    } catch (error) {
      thrown = error;
    }
    expect(explainError(thrown).exitCode).toBe(2);
  });

  it("a ManagedIdentityTimeoutError wrapped by a caller: the inner explanation", () => {
    const timeout = new ManagedIdentityTimeoutError("Managed identity: IMDS did not answer.", {
      timeoutMs: 300,
      endpoint: "http://169.254.169.254",
    });
    expect(explainError(new Error("Could not list resource groups", { cause: timeout }))).toEqual({
      message: timeout.message,
      exitCode: 1,
    });
  });

  it("any other Azure error: its message, code and status on one line", async () => {
    arm = await startHttpStub(() => armResourceGroupNotFound("rg-missing"));
    const error = await resourceManagementClientFor(arm.url)
      .resourceGroups.get("rg-missing")
      .catch((error: unknown) => error);
    expect(explainError(error)).toEqual({
      message: "Resource group 'rg-missing' could not be found. (ResourceGroupNotFound, HTTP 404)",
      exitCode: 1,
    });
  });

  it("a multi-line message becomes one line", () => {
    expect(explainError(new Error("first\r\n  second\nthird")).message).toBe("first second third");
  });

  it("something that is not an Error", () => {
    expect(explainError("plain text")).toEqual({ message: "plain text", exitCode: 1 });
  });
});

// The fallback keeps real Azure messages whole (a deployment's message, tracking ID and link, and its inner errors) and
// bounds only what would flood a terminal: cut at a word, saying how much was left out, never silently mid-way.
describe("explainError's bounds", () => {
  it("keeps a real deployment error whole, inner errors included", () => {
    const message =
      "The template deployment 'msi-sample-20261127T101500Z' is not valid according to the validation procedure. The tracking id is '6a4df36e-44dd-4552-9175-cdd607e96477'. See inner errors for details. Please see https://aka.ms/arm-deploy for usage details.";
    const error = new RestError(message, { code: "InvalidTemplateDeployment", statusCode: 400 });
    error.details = {
      error: {
        code: "InvalidTemplateDeployment",
        message,
        details: [
          {
            code: "PreflightValidationCheckFailed",
            message: "Preflight validation failed. Please refer to the details for the specific errors.",
            details: [
              {
                code: "AccountNameInvalid",
                target: "name-too-long-to-pass-validationuasd2ra55mt7k",
                message:
                  "name-too-long-to-pass-validationuasd2ra55mt7k is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.",
              },
            ],
          },
        ],
      },
    };
    const explained = explainError(error).message;
    expect(explained).toBe(
      [
        `${message} (InvalidTemplateDeployment, HTTP 400)`,
        "  PreflightValidationCheckFailed: Preflight validation failed. Please refer to the details for the specific errors.",
        "    AccountNameInvalid: name-too-long-to-pass-validationuasd2ra55mt7k is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only. (target: name-too-long-to-pass-validationuasd2ra55mt7k)",
      ].join("\n"),
    );
    expect(explained).not.toContain("…");
  });

  it("cuts a message too long for a terminal at a word, and says how much is left out", () => {
    const words = Array.from({ length: 400 }, (_, index) => `word${index}`);
    const explained = explainError(new Error(words.join(" "))).message;
    const match = /^(.*) … \[(\d+) more characters; --verbose prints them all\]$/.exec(explained);
    expect(match, explained).not.toBeNull();
    const [, kept = "", more = ""] = match ?? [];
    expect(kept.length).toBeLessThanOrEqual(1000);
    expect(kept.length).toBeGreaterThan(900);
    // Whole words only, and the count is what really was left out.
    expect(words.join(" ").startsWith(`${kept} `)).toBe(true);
    expect(kept.length + Number(more)).toBe(words.join(" ").length);
  });

  it("lists at most a screenful of inner errors, and says how many more there are", () => {
    const error = new RestError("Preflight validation failed.", {
      code: "InvalidTemplateDeployment",
      statusCode: 400,
    });
    error.details = {
      error: {
        code: "InvalidTemplateDeployment",
        message: "Preflight validation failed.",
        details: Array.from({ length: 20 }, (_, index) => ({
          code: "QuotaExceeded",
          message: `Quota ${index} exceeded.`,
        })),
      },
    };
    const lines = explainError(error).message.split("\n");
    expect(lines).toHaveLength(1 + 12);
    expect(lines[11]).toBe("  QuotaExceeded: Quota 10 exceeded.");
    expect(lines[12]).toBe("  … and 9 more inner errors (--verbose prints them all)");
  });
});

// ARM 403 AuthorizationFailed: the role that allows the action and the exact `az role assignment create` command,
// from the error the real ResourceManagementClient throws for ARM's real error body, also when the SDK dropped that
// body (arm-resources 8's pagers keep only the code).
describe("explainError on ARM's authorization failures", () => {
  const caller = {
    appId: "9b7f0e2d-1c3a-4d5e-8f6a-7b8c9d0e1f2a",
    objectId: "4a9e1a3c-6f0e-4b8e-9f1a-0c2d3e4f5a6b",
  };
  const groupScope = `/subscriptions/${subscriptionId}/resourcegroups/rg-samples`;

  describe("ARM AuthorizationFailed", () => {
    let arm: HttpStub;
    afterEach(() => arm.close());

    async function errorFrom(
      reply: Reply,
      call: (client: ReturnType<typeof resourceManagementClientFor>) => Promise<unknown>,
    ) {
      arm = await startHttpStub(() => reply);
      return call(resourceManagementClientFor(arm.url)).then(
        () => expect.fail("the call should have failed"),
        (error: unknown) => error,
      );
    }

    it("for a read: Reader on the scope ARM named", async () => {
      const action = "Microsoft.Resources/subscriptions/resourcegroups/read";
      const error = await errorFrom(armAuthorizationFailed(caller, action, groupScope), (client) =>
        client.resourceGroups.get("rg-samples"),
      );
      expect(error).toMatchObject({ name: "RestError", code: "AuthorizationFailed", statusCode: 403 });
      expect(explainError(error)).toEqual({
        message: [
          `Azure Resource Manager denied '${action}' on ${groupScope} to the managed identity (object ID ${caller.objectId}).`,
          `Grant it the Reader role, wait a few minutes, and run again: az role assignment create --assignee-object-id ${caller.objectId} --assignee-principal-type ServicePrincipal --role "Reader" --scope "${groupScope}"`,
        ].join("\n"),
        exitCode: 1,
      });
    });

    it("for creating a resource group: Contributor on the subscription, since the group does not exist yet", async () => {
      const action = "Microsoft.Resources/subscriptions/resourcegroups/write";
      const error = await errorFrom(armAuthorizationFailed(caller, action, groupScope), (client) =>
        client.resourceGroups.createOrUpdate("rg-samples", { location: "southcentralus" }),
      );
      expect(explainError(error).message).toContain(
        `--role "Contributor" --scope "/subscriptions/${subscriptionId}"`,
      );
    });

    it("for deleting a resource group: Contributor on that group", async () => {
      const action = "Microsoft.Resources/subscriptions/resourcegroups/delete";
      const error = await errorFrom(armAuthorizationFailed(caller, action, groupScope), (client) =>
        client.resourceGroups.beginDeleteAndWait("rg-samples"),
      );
      expect(explainError(error).message).toContain(`--role "Contributor" --scope "${groupScope}"`);
    });

    it("for writing a resource inside a group: Contributor on the group", async () => {
      const scope = `${groupScope}/providers/Microsoft.KeyVault/vaults/kv-samples`;
      const error = await errorFrom(
        armAuthorizationFailed(caller, "Microsoft.KeyVault/vaults/write", scope),
        (client) =>
          client.resources.beginCreateOrUpdateByIdAndWait(scope, "2023-07-01", {
            location: "southcentralus",
          }),
      );
      expect(explainError(error).message).toContain(`--role "Contributor" --scope "${groupScope}"`);
    });

    // The GET a sample sends for a vault it is about to create (as create-delete-key-vault does).
    const readVault = (client: ReturnType<typeof resourceManagementClientFor>) =>
      client.resources.get(
        "rg-samples",
        "Microsoft.KeyVault",
        "",
        "vaults",
        "msi-sample-0a1b2c3d",
        "2026-02-01",
      );

    it("for reading one resource inside a group: Reader on the group, since the resource may not exist", async () => {
      // ARM checks access before it looks, so a 403 does not say the vault exists; a role needs a scope that does.
      const scope = `${groupScope}/providers/Microsoft.KeyVault/vaults/msi-sample-0a1b2c3d`;
      const action = "Microsoft.KeyVault/vaults/read";
      const error = await errorFrom(armAuthorizationFailed(caller, action, scope), (client) =>
        readVault(client),
      );
      expect(explainError(error)).toEqual({
        message: [
          `Azure Resource Manager denied '${action}' on ${scope} to the managed identity (object ID ${caller.objectId}).`,
          `Grant it the Reader role, wait a few minutes, and run again: az role assignment create --assignee-object-id ${caller.objectId} --assignee-principal-type ServicePrincipal --role "Reader" --scope "${groupScope}"`,
        ].join("\n"),
        exitCode: 1,
      });
    });

    it("for the read that checks a name is free before creating it: Contributor on the group", async () => {
      const scope = `${groupScope}/providers/Microsoft.KeyVault/vaults/msi-sample-0a1b2c3d`;
      const action = "Microsoft.KeyVault/vaults/read";
      const error = await errorFrom(armAuthorizationFailed(caller, action, scope), (client) =>
        checkBeforeCreating(readVault(client)),
      );
      expect(explainError(error)).toEqual({
        message: [
          `Azure Resource Manager denied checking whether ${scope} exists ('${action}') to the managed identity (object ID ${caller.objectId}).`,
          `Creating it needs the Contributor role, which also allows the check: grant it, wait a few minutes, and run again: az role assignment create --assignee-object-id ${caller.objectId} --assignee-principal-type ServicePrincipal --role "Contributor" --scope "${groupScope}"`,
        ].join("\n"),
        exitCode: 1,
      });
    });

    it("for a list whose pager kept only the code: the action and scope from the request, Reader on the subscription", async () => {
      const action = "Microsoft.Resources/subscriptions/resourcegroups/read";
      const error = await errorFrom(
        armAuthorizationFailed(caller, action, `/subscriptions/${subscriptionId}`),
        (client) => drain(client.resourceGroups.list()),
      );
      // What the SDK leaves of ARM's answer: no message, no body.
      expect(error).toMatchObject({
        message: "Pagination failed with unexpected statusCode 403",
        code: "AuthorizationFailed",
        statusCode: 403,
      });
      const { response, details } = error as {
        response?: { bodyAsText?: unknown; parsedBody?: unknown };
        details?: unknown;
      };
      expect(response?.bodyAsText).toBeUndefined();
      expect(response?.parsedBody).toBeUndefined();
      expect(details).toBeUndefined();
      // Over http the stub gets no token, so the object ID is not known: the command says where to find it.
      const subscriptionScope = `/subscriptions/${subscriptionId}`;
      expect(explainError(error)).toEqual({
        message: [
          `Azure Resource Manager denied 'Microsoft.Resources/subscriptions/resourceGroups/read' on ${subscriptionScope} to the managed identity.`,
          `Grant it the Reader role, wait a few minutes, and run again: az role assignment create --assignee-object-id <object ID from the 'Signed in as' line> --assignee-principal-type ServicePrincipal --role "Reader" --scope "${subscriptionScope}"`,
        ].join("\n"),
        exitCode: 1,
      });
    });

    it("for the resources of a group, listed: that group's resources/read, Reader on the group", async () => {
      const action = "Microsoft.Resources/subscriptions/resourceGroups/resources/read";
      const error = await errorFrom(armAuthorizationFailed(caller, action, groupScope), (client) =>
        drain(client.resources.listByResourceGroup("rg-samples")),
      );
      expect((error as Error).message).toBe("Pagination failed with unexpected statusCode 403");
      expect(explainError(error).message).toContain(
        `denied '${action}' on ${groupScope} to the managed identity.\nGrant it the Reader role`,
      );
    });
  });

  describe("ARM 403 to an existence check (HEAD: no body, so no code)", () => {
    let arm: HttpStub;
    afterEach(() => arm.close());

    it("names the role that creating the group needs, on the subscription, since the group may not exist", async () => {
      const newGroup = `/subscriptions/${subscriptionId}/resourcegroups/rg-new`;
      arm = await startHttpStub(() =>
        armAuthorizationFailed(caller, "Microsoft.Resources/subscriptions/resourcegroups/read", newGroup),
      );
      const error = await resourceManagementClientFor(arm.url)
        .resourceGroups.checkExistence("rg-new")
        .then(
          () => expect.fail("the check should have failed"),
          (error: unknown) => error,
        );
      expect(arm.requests[0]?.method).toBe("HEAD");
      expect(error).toMatchObject({
        message: "Unexpected status code: 403",
        statusCode: 403,
        code: undefined,
      });
      const subscriptionScope = `/subscriptions/${subscriptionId}`;
      expect(explainError(error)).toEqual({
        message: [
          `Azure Resource Manager denied checking whether ${newGroup} exists ('Microsoft.Resources/subscriptions/resourceGroups/read') to the managed identity.`,
          `Creating it needs the Contributor role, which also allows the check: grant it, wait a few minutes, and run again: az role assignment create --assignee-object-id <object ID from the 'Signed in as' line> --assignee-principal-type ServicePrincipal --role "Contributor" --scope "${subscriptionScope}"`,
        ].join("\n"),
        exitCode: 1,
      });
    });
  });

  describe("ARM AuthorizationFailed over https, with the token the request carried", () => {
    let arm: HttpStub | undefined;
    afterEach(() => arm?.close());

    it("names the object ID of the identity whose token ARM refused", async () => {
      const tls = await selfSignedCertificateFor127001();
      arm = await startHttpStub(
        () => armAuthorizationFailed(caller, "Microsoft.Resources/subscriptions/resourcegroups/read", "/"),
        { tls },
      );
      // A token shaped like the ones IMDS issues; the SDK's own bearer-token policy puts it on the request.
      const credential: TokenCredential = {
        getToken: async (scopes) => ({
          token: accessTokenFor(systemAssigned, String(scopes).replace("/.default", "")),
          expiresOnTimestamp: Date.now() + 3600_000,
        }),
      };
      const client = resourceManagementClientOverHttps(arm.url, tls.cert, credential);
      const error = await drain(client.resourceGroups.list()).then(
        () => expect.fail("the list should have failed"),
        (error: unknown) => error,
      );
      expect(arm.requests[0]?.headers.authorization).toMatch(/^Bearer ey/);
      expect((error as Error).message).toBe("Pagination failed with unexpected statusCode 403");
      const subscriptionScope = `/subscriptions/${subscriptionId}`;
      expect(explainError(error).message).toBe(
        [
          `Azure Resource Manager denied 'Microsoft.Resources/subscriptions/resourceGroups/read' on ${subscriptionScope} to the managed identity (object ID ${systemAssigned.objectId}).`,
          `Grant it the Reader role, wait a few minutes, and run again: az role assignment create --assignee-object-id ${systemAssigned.objectId} --assignee-principal-type ServicePrincipal --role "Reader" --scope "${subscriptionScope}"`,
        ].join("\n"),
      );
    });
  });

  async function drain(items: AsyncIterable<unknown>): Promise<void> {
    for await (const _ of items) {
      // Reading every page is what fails.
    }
  }
});

// Key Vault 403: with Azure RBAC, the data-plane role and the `az role assignment create` command on the vault;
// with access policies, the `az keyvault set-policy` command. From the errors the real SecretClient throws.
describe("Key Vault Forbidden", () => {
  const denial: VaultDenial = {
    caller: {
      appId: "9b7f0e2d-1c3a-4d5e-8f6a-7b8c9d0e1f2a",
      objectId: "4a9e1a3c-6f0e-4b8e-9f1a-0c2d3e4f5a6b",
    },
    vault: "kv-samples",
    location: "southcentralus",
    subscriptionId,
    resourceGroup: "rg-samples",
  };
  const vaultId = `/subscriptions/${subscriptionId}/resourcegroups/rg-samples/providers/microsoft.keyvault/vaults/kv-samples`;
  const { objectId } = denial.caller;

  let vault: HttpStub;
  afterEach(() => vault.close());

  async function errorFrom(
    reply: Reply,
    call: (client: ReturnType<typeof secretClientFor>) => Promise<unknown>,
  ) {
    vault = await startHttpStub(() => reply);
    return call(secretClientFor(vault.url)).then(
      () => expect.fail("the call should have failed"),
      (error: unknown) => error,
    );
  }

  it("RBAC vault, reading a secret: Key Vault Secrets User on the vault", async () => {
    const action = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
    const error = await errorFrom(keyVaultForbiddenByRbac(denial, action, "app-secret"), (client) =>
      client.getSecret("app-secret"),
    );
    expect(error).toMatchObject({ name: "RestError", code: "Forbidden", statusCode: 403 });
    expect(explainError(error)).toEqual({
      message: [
        `Key Vault 'kv-samples' denied '${action}' to the managed identity (object ID ${objectId}); the vault uses Azure RBAC.`,
        `Grant it the Key Vault Secrets User role, wait a few minutes, and run again: az role assignment create --assignee-object-id ${objectId} --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope "${vaultId}"`,
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("RBAC vault, writing a secret: Key Vault Secrets Officer", async () => {
    const action = "Microsoft.KeyVault/vaults/secrets/setSecret/action";
    const error = await errorFrom(keyVaultForbiddenByRbac(denial, action, "app-secret"), (client) =>
      client.setSecret("app-secret", "value"),
    );
    expect(explainError(error).message).toContain(`--role "Key Vault Secrets Officer" --scope "${vaultId}"`);
  });

  it("access-policy vault, missing get: the set-policy command", async () => {
    const error = await errorFrom(keyVaultAccessDenied(denial, "get"), (client) =>
      client.getSecret("app-secret"),
    );
    expect(explainError(error)).toEqual({
      message: [
        `Key Vault 'kv-samples' denied secrets get to the managed identity (object ID ${objectId}); the vault uses access policies.`,
        `Give it an access policy and run again: az keyvault set-policy --name kv-samples --object-id ${objectId} --secret-permissions get list`,
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("access-policy vault, missing set: adds set to the permissions", async () => {
    const error = await errorFrom(keyVaultAccessDenied(denial, "set"), (client) =>
      client.setSecret("app-secret", "value"),
    );
    expect(explainError(error).message).toContain("--secret-permissions get list set");
  });

  it("access-policy vault with no policy for the caller at all", async () => {
    const error = await errorFrom(keyVaultCallerNotInAnyAccessPolicy(denial), (client) =>
      client.getSecret("app-secret"),
    );
    expect(explainError(error).message).toContain(
      `az keyvault set-policy --name kv-samples --object-id ${objectId} --secret-permissions get list`,
    );
  });
});

// Failed template deployments, from the errors the real DeploymentsClient throws: ARM's inner errors listed where the
// SDK kept them (or the caller passes the deployment's own error), and where it did not, the `az` command that shows
// them.
describe("a failed deployment", () => {
  const properties = { mode: "Incremental" as const, template: { resources: [] } };

  let arm: HttpStub;
  afterEach(() => arm.close());

  async function failure(
    respond: Responder,
    call: (client: ReturnType<typeof deploymentsClientFor>) => Promise<unknown>,
  ) {
    arm = await startHttpStub(respond);
    return call(deploymentsClientFor(arm.url)).then(
      () => expect.fail("the call should have failed"),
      (error: unknown) => error,
    );
  }

  it("failing validation: the SDK keeps no inner errors, so the explanation says how to see them", async () => {
    const error = await failure(
      () => armInvalidTemplateDeployment("dep1", "msisample42"),
      (client) => client.deployments.createOrUpdate("rg-samples", "dep1", { properties }),
    );
    expect(error).toMatchObject({ name: "RestError", code: "InvalidTemplateDeployment", statusCode: 400 });
    expect((error as { details?: unknown }).details).toBeUndefined();
    expect(explainError(error)).toEqual({
      message: [
        "The template deployment 'dep1' is not valid according to the validation procedure. The tracking id is '42219c05-7e90-45ea-acdd-e6b71a4187cd'. See inner errors for details. (InvalidTemplateDeployment, HTTP 400)",
        "The SDK did not keep ARM's inner errors, which say what is invalid. See them with: az deployment group validate --resource-group rg-samples --template-file <template file> --parameters <parameters file>",
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("failing while it runs: the poller's plain Error, and the command that lists the failed operations", async () => {
    const error = await failure(
      (request) =>
        request.path.endsWith("/operationStatuses/op1")
          ? { status: 200, json: { status: "Failed", error: armDeploymentFailedError("msisample42") } }
          : {
              status: 201,
              headers: { "azure-asyncoperation": `${arm.url}/operationStatuses/op1` },
              json: { properties: { provisioningState: "Accepted" } },
            },
      (client) =>
        client.deployments.createOrUpdate("rg-samples", "dep1", { properties }, { updateIntervalInMs: 0 }),
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^The long-running operation has failed\. DeploymentFailed\. /);
    expect(explainError(error)).toEqual({
      message: [
        "The deployment failed: At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details. (DeploymentFailed)",
        `See which resources failed, and why: az deployment operation group list --resource-group <resource group> --name <deployment name> --query "[?properties.provisioningState=='Failed'].properties.statusMessage"`,
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("with the deployment's own error as the cause: every inner error, one per line, the provider's JSON unpacked", async () => {
    // What a sample does when the poller fails: read the deployment, whose error keeps the inner errors.
    arm = await startHttpStub(() => ({
      status: 200,
      json: {
        id: "/subscriptions/8d10da13-8125-4ba9-a717-bf7490507b3d/resourceGroups/rg-samples/providers/Microsoft.Resources/deployments/dep1",
        name: "dep1",
        properties: { provisioningState: "Failed", error: armDeploymentFailedError("msisample42") },
      },
    }));
    const failed = await deploymentsClientFor(arm.url).deployments.get("rg-samples", "dep1");
    const error = new Error("Deployment 'dep1' failed.", { cause: failed.properties?.error });
    expect(explainError(error)).toEqual({
      message: [
        "Deployment 'dep1' failed: At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details. (DeploymentFailed)",
        "  Conflict",
        "    StorageAccountAlreadyTaken: The storage account named msisample42 is already taken.",
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("an error whose client kept the inner errors (a modular client's `details`): listed with their targets", async () => {
    const error = await failure(
      () => armInvalidTemplateDeployment("dep1", "msisample42"),
      (client) => client.deployments.get("rg-samples", "dep1"),
    );
    expect((error as { details?: unknown }).details).toMatchObject({
      error: { code: "InvalidTemplateDeployment" },
    });
    expect(explainError(error).message).toBe(
      [
        "The template deployment 'dep1' is not valid according to the validation procedure. The tracking id is '42219c05-7e90-45ea-acdd-e6b71a4187cd'. See inner errors for details. (InvalidTemplateDeployment, HTTP 400)",
        "  PreflightValidationCheckFailed: Preflight validation failed. Please refer to the details for the specific errors.",
        "    StorageAccountAlreadyTaken: The storage account named msisample42 is already taken. (target: msisample42)",
      ].join("\n"),
    );
  });
});

// HTTP 429: wait and run again, for as long as the service's Retry-After says when it says so.
describe("ARM answering 429", () => {
  let arm: HttpStub;
  afterEach(() => arm.close());

  it("ARM throttling with Retry-After", async () => {
    arm = await startHttpStub(() => armThrottled(17));
    const error = await resourceManagementClientFor(arm.url)
      .resourceGroups.get("rg-samples")
      .catch((error: unknown) => error);
    expect(error).toMatchObject({ statusCode: 429, code: "TooManyRequests" });
    expect(explainError(error)).toEqual({
      message: [
        "Azure is throttling these requests (HTTP 429 TooManyRequests).",
        "Wait 17 s (as its Retry-After header asks) and run again.",
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("throttling without Retry-After", async () => {
    arm = await startHttpStub(() => ({
      status: 429,
      json: { error: { code: "TooManyRequests", message: "Slow down." } },
    }));
    const error = await resourceManagementClientFor(arm.url)
      .resourceGroups.get("rg-samples")
      .catch((error: unknown) => error);
    expect(explainError(error).message).toBe(
      "Azure is throttling these requests (HTTP 429 TooManyRequests).\nWait a minute and run again.",
    );
  });
});

// The "run it locally" hint of the IMDS explanations names two commands; both must exist where the hint says: the
// start:local script in every sample's folder, and the emulator script at the repository root only.
describe("the hint to run against the emulator", () => {
  const root = new URL("../../../", import.meta.url);

  async function scriptsOf(folder: URL): Promise<Record<string, string>> {
    const manifest = JSON.parse(await readFile(new URL("package.json", folder), "utf8")) as {
      scripts?: Record<string, string>;
    };
    return manifest.scripts ?? {};
  }

  it("names start:local, which every sample has, and emulator, which the root has", async () => {
    expect(runLocallyHint).toContain("`pnpm start:local` in the sample's folder");
    expect(runLocallyHint).toContain("`pnpm emulator exec -- <command>` from the repository root");
    expect(Object.keys(await scriptsOf(root))).toContain("emulator");
    const samples = await readdir(new URL("samples/", root));
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) {
      const scripts = await scriptsOf(new URL(`samples/${sample}/`, root));
      expect(Object.keys(scripts), sample).toContain("start:local");
      // Which is why the hint cannot say `pnpm emulator …` to someone in a sample's folder.
      expect(Object.keys(scripts), sample).not.toContain("emulator");
    }
  });
});

// IMDS answering 429 (its rate limit) is explained as throttling, not as a refused request. The SDK's error keeps no
// headers, so the explanation cannot quote IMDS's Retry-After.
describe.concurrent("IMDS answering 429", () => {
  it("IMDS throttling, after the SDK's own retries", async (context) => {
    // The emulator's body for its imdsTooManyRequests fault; IMDS's docs ("Rate limiting") say it answers 429.
    const imds = await fakeImdsForTest(context, {
      token: () => ({
        status: 429,
        headers: { "retry-after": "2" },
        json: {
          error: "too_many_requests",
          error_description: "Too many requests: IMDS throttle limit reached",
        },
      }),
    });
    const run = await runScript("get-token.ts", { env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url } });
    const report = reportOf<{ explanation: unknown }>(run);
    expect(report.explanation).toEqual({
      message: [
        "Azure is throttling these requests (HTTP 429 too_many_requests).",
        "Wait a minute and run again.",
      ].join("\n"),
      exitCode: 1,
    });
  });
});

// IMDS cannot be reached: not an Azure VM, identity not enabled, or a proxy in the way. Produced for real: a port
// nothing listens on, a proxy variable pointing at a fake corporate proxy, and getInstanceMetadata.
describe.concurrent("IMDS unreachable", () => {
  interface Report {
    error?: { name: string; message: string };
    explanation?: { message: string; exitCode: number };
  }

  it("for a token: the likely causes, NO_PROXY, and how to run against the emulator", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const run = await runScript("get-token.ts", { env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: endpoint } });
    const report = reportOf<Report>(run);
    expect(report.error?.message).toContain("ManagedIdentityCredential: Network unreachable.");
    expect(report.explanation).toEqual({
      message: [
        `Cannot reach the managed identity endpoint (IMDS at ${endpoint}: no connection). This is not an Azure VM, the VM has no managed identity enabled, or a proxy is in the way.`,
        // Right both in a sample's folder (its start:local script) and at the root (the emulator script is only there).
        "Behind a proxy, set NO_PROXY=127.0.0.1. Not on an Azure VM? Run it locally against the emulator: `pnpm start:local` in the sample's folder (or `pnpm emulator exec -- <command>` from the repository root).",
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("for a token behind a proxy that refuses IMDS: set NO_PROXY", async (context) => {
    // What a corporate proxy does with http://169.254.169.254/...: refuse it with its own page.
    const proxy = await startHttpStub(() => ({ status: 403, text: "Access denied by proxy policy" }));
    context.onTestFinished(() => proxy.close());
    const run = await runScript("get-token.ts", {
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: "http://imds.test", HTTPS_PROXY: proxy.url },
    });
    expect(proxy.requests[0]?.target).toMatch(/^http:\/\/imds\.test\/metadata\/identity\/oauth2\/token/);
    expect(reportOf<Report>(run).explanation).toEqual({
      message: [
        "Cannot reach the managed identity endpoint (IMDS at http://imds.test: HTTP 403 Access denied by proxy policy). HTTPS_PROXY is set, so the request went to the proxy instead.",
        "IMDS must be reached directly: set NO_PROXY=imds.test (add it to any existing NO_PROXY list).",
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("for a plain Node.js connection error to the IMDS address", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const error = await new Promise((resolve) =>
      get(`${endpoint}/metadata/instance`, resolve).on("error", resolve),
    );
    const saved = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = endpoint;
    try {
      expect(explainError(error).message).toMatch(
        new RegExp(
          `^Cannot reach the managed identity endpoint \\(IMDS at ${endpoint}: connection refused\\)\\.`,
        ),
      );
    } finally {
      if (saved === undefined) delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
      else process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = saved;
    }
  });

  it("a connection error to some other address is not about IMDS", async () => {
    const error = await new Promise((resolve) =>
      closedPort().then((port) => get(`http://127.0.0.1:${port}/`, resolve).on("error", resolve)),
    );
    expect(explainError(error).message).toMatch(/^connect ECONNREFUSED 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
  });

  it("for instance metadata: the same explanation, with the network error", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const error = await getInstanceMetadata({ env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: endpoint } }).catch(
      (error: unknown) => error,
    );
    expect(error).toBeInstanceOf(InstanceMetadataError);
    expect(explainError(error).message).toMatch(
      new RegExp(
        `^Cannot reach the managed identity endpoint \\(IMDS at ${endpoint}: connection refused\\)\\.`,
      ),
    );
  });
});

// IMDS answers 400 {"error":"invalid_request","error_description":"Identity not found"} when the VM has no such
// identity; the explanation names the selector that was used and how to fix it.
describe.concurrent("IMDS: Identity not found", () => {
  interface Report {
    error?: { name: string; message: string };
    explanation?: { message: string; exitCode: number };
  }

  async function explanationFor(context: TestContext, env: Record<string, string>) {
    const imds = await fakeImdsForTest(context, { token: () => tokenReplies.identityNotFound });
    const run = await runScript("get-token.ts", {
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url, ...env },
    });
    const report = reportOf<Report>(run);
    // What the SDK throws: its own error class, with MSAL's rendering of the IMDS body.
    expect(report.error?.name).toBe("CredentialUnavailableError");
    expect(report.error?.message).toContain("Description: Identity not found");
    return report.explanation;
  }

  it("for the system-assigned identity: enable it, or choose a user-assigned one", async (context) => {
    expect(await explanationFor(context, {})).toEqual({
      message: [
        "This VM has no system-assigned managed identity (IMDS: Identity not found).",
        "Enable it with: az vm identity assign --resource-group <group> --name <vm>; or use a user-assigned identity: set AZURE_CLIENT_ID or pass --client-id.",
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("for a client ID: names it, where it came from, and how to assign the identity", async (context) => {
    expect(await explanationFor(context, { AZURE_CLIENT_ID: userAssigned.clientId })).toEqual({
      message: [
        `IMDS found no user-assigned identity with client ID ${userAssigned.clientId} (from AZURE_CLIENT_ID) on this VM.`,
        "Check the value, and that the identity is assigned to this VM: az vm identity assign --resource-group <group> --name <vm> --identities <identity resource ID>",
      ].join("\n"),
      exitCode: 1,
    });
  });
});

// IMDS answers 400 "Multiple user assigned identities exist, …" when the VM has several user-assigned identities
// and the request names none.
describe.concurrent("IMDS: multiple user-assigned identities", () => {
  it("tells which setting chooses one", async (context) => {
    const imds = await fakeImdsForTest(context, { token: () => tokenReplies.multipleIdentities });
    const run = await runScript("get-token.ts", { env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url } });
    expect(reportOf<{ explanation: unknown }>(run).explanation).toEqual({
      message: [
        "This VM has several user-assigned managed identities, so IMDS needs to be told which one to use.",
        "Choose one: set AZURE_CLIENT_ID or pass --client-id (or --object-id / --resource-id).",
      ].join("\n"),
      exitCode: 1,
    });
  });
});

// IMDS answers that have no specific advice are still reported as what they are, in one line, not as MSAL's
// rendering of them.
describe.concurrent("IMDS answers with no specific advice", () => {
  it("an IMDS error body: its error and description", async (context) => {
    // What IMDS relays from Entra ID for a scope no resource answers to.
    const imds = await fakeImdsForTest(context, {
      token: () => ({
        status: 400,
        json: {
          error: "invalid_resource",
          error_description:
            "AADSTS500011: The resource principal named https://example.invalid was not found in the tenant.",
        },
      }),
    });
    const run = await runScript("get-token.ts", {
      env: {
        AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url,
        FIXTURE_OPTIONS: JSON.stringify({ scope: "https://example.invalid/.default" }),
      },
    });
    expect(reportOf<{ explanation: unknown }>(run).explanation).toEqual({
      message: `Managed identity: IMDS at ${imds.url} refused the token request: invalid_resource: AADSTS500011: The resource principal named https://example.invalid was not found in the tenant.`,
      exitCode: 1,
    });
  });

  it("an answer that is not IMDS's JSON, with no proxy set: status and text", async (context) => {
    const imds = await fakeImdsForTest(context, {
      token: () => ({ status: 403, text: "Forbidden by policy" }),
    });
    const run = await runScript("get-token.ts", { env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url } });
    expect(reportOf<{ explanation: unknown }>(run).explanation).toEqual({
      message: `Managed identity: IMDS at ${imds.url} answered HTTP 403: Forbidden by policy`,
      exitCode: 1,
    });
  });
});
