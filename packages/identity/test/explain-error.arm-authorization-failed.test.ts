// ARM 403 AuthorizationFailed: the role that allows the action and the exact `az role assignment create` command,
// from the error the real ResourceManagementClient throws for ARM's real error body, also when the SDK dropped that
// body (arm-resources 8's pagers keep only the code).
import type { TokenCredential } from "@azure/core-auth";
import { afterEach, describe, expect, it } from "vitest";
import { checkBeforeCreating, explainError } from "../src/index.ts";
import { armAuthorizationFailed } from "./support/azure-error-bodies.ts";
import { accessTokenFor, systemAssigned } from "./support/fake-imds.ts";
import { type HttpStub, type Reply, startHttpStub } from "./support/http-stub.ts";
import {
  resourceManagementClientFor,
  resourceManagementClientOverHttps,
  subscriptionId,
} from "./support/sdk-clients-over-http.ts";
import { selfSignedCertificateFor127001 } from "./support/self-signed-certificate.ts";

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
        client.resources.beginCreateOrUpdateByIdAndWait(scope, "2023-07-01", { location: "southcentralus" }),
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
    expect(error).toMatchObject({ message: "Unexpected status code: 403", statusCode: 403, code: undefined });
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
