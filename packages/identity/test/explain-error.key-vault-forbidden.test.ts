// Key Vault 403: with Azure RBAC, the data-plane role and the `az role assignment create` command on the vault;
// with access policies, the `az keyvault set-policy` command. From the errors the real SecretClient throws.
import { afterEach, describe, expect, it } from "vitest";
import { explainError } from "../src/index.ts";
import {
  keyVaultAccessDenied,
  keyVaultCallerNotInAnyAccessPolicy,
  keyVaultForbiddenByRbac,
  type VaultDenial,
} from "./support/azure-error-bodies.ts";
import { type HttpStub, type Reply, startHttpStub } from "./support/http-stub.ts";
import { secretClientFor, subscriptionId } from "./support/sdk-clients-over-http.ts";

const denial: VaultDenial = {
  caller: { appId: "9b7f0e2d-1c3a-4d5e-8f6a-7b8c9d0e1f2a", objectId: "4a9e1a3c-6f0e-4b8e-9f1a-0c2d3e4f5a6b" },
  vault: "kv-samples",
  location: "southcentralus",
  subscriptionId,
  resourceGroup: "rg-samples",
};
const vaultId = `/subscriptions/${subscriptionId}/resourcegroups/rg-samples/providers/microsoft.keyvault/vaults/kv-samples`;
const { objectId } = denial.caller;

describe("Key Vault Forbidden", () => {
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
