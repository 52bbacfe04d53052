// ARM 403 AuthorizationFailed: the role that allows the action and the exact `az role assignment create` command,
// from the error the real ResourceManagementClient throws for ARM's real error body.
import { afterEach, describe, expect, it } from "vitest";
import { explainError } from "../src/index.ts";
import { armAuthorizationFailed } from "./support/azure-error-bodies.ts";
import { type HttpStub, type Reply, startHttpStub } from "./support/http-stub.ts";
import { resourceManagementClientFor, subscriptionId } from "./support/sdk-clients-over-http.ts";

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
});
