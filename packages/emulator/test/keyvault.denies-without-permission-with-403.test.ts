// Key Vault authorization: an RBAC vault grants data actions through role assignments inherited from the
// subscription, group, vault or secret; an access-policy vault grants the permissions of the caller's policy. Every
// denial is 403 Forbidden with Key Vault's message (ForbiddenByRbac or AccessDenied), driven with the real SecretClient.
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import {
  SUBSCRIPTION_ID,
  SYSTEM_CLIENT_ID,
  SYSTEM_PRINCIPAL_ID,
  TENANT_ID,
  USER_ASSIGNED_CLIENT_ID,
  USER_ASSIGNED_NAME,
  USER_ASSIGNED_PRINCIPAL_ID,
  USER_ASSIGNED_RESOURCE_ID,
  VM_RESOURCE_ID,
} from "./default-scenario.ts";
import {
  STRANGER_OBJECT_ID,
  scenarioWith,
  secretClientFor,
  vaultFailureOf,
  vaultResourceId,
} from "./keyvault-fixtures.ts";

const SYSTEM_CALLER = `appid=${SYSTEM_CLIENT_ID};oid=${SYSTEM_PRINCIPAL_ID};iss=https://sts.windows.net/${TENANT_ID}/;xms_mirid=${VM_RESOURCE_ID}`;
const USER_CALLER = `appid=${USER_ASSIGNED_CLIENT_ID};oid=${USER_ASSIGNED_PRINCIPAL_ID};iss=https://sts.windows.net/${TENANT_ID}/;xms_mirid=${USER_ASSIGNED_RESOURCE_ID};xms_az_rid=${VM_RESOURCE_ID}`;

function rbacDenial(caller: string, action: string, resource: string, vault: string): string {
  return [
    "Caller is not authorized to perform action on resource.",
    "If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.",
    `Caller: ${caller}`,
    `Action: '${action}'`,
    `Resource: '${resource}'`,
    "Assignment: (not found)",
    "DenyAssignmentId: null",
    "DecisionReason: null ",
    `Vault: ${vault};location=westus2`,
    "",
  ].join("\r\n");
}

const policyDenial = (caller: string, permission: string, vault: string) =>
  `The user, group or application '${caller}' does not have secrets ${permission} permission on key vault '${vault};location=westus2'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`;

describe("Key Vault permissions", () => {
  let emulator: Emulator;
  const systemClient = (vault: string) => secretClientFor(emulator, vault);
  const userClient = (vault: string) =>
    secretClientFor(
      emulator,
      vault,
      new ManagedIdentityCredential({ clientId: USER_ASSIGNED_CLIENT_ID, ...clientOptionsFor(emulator) }),
    );

  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: await scenarioWith({
        keyVaults: [
          {
            name: "kv-no-role",
            resourceGroup: "rg-msi-samples",
            secrets: [{ name: "db-password", value: "x" }],
          },
          {
            name: "kv-inherited",
            resourceGroup: "rg-workshop-data",
            secrets: [{ name: "db-password", value: "inherited-value" }],
          },
          {
            name: "kv-one-secret",
            resourceGroup: "rg-msi-samples",
            secrets: [
              { name: "allowed", value: "allowed-value" },
              { name: "other", value: "other-value" },
            ],
          },
          {
            name: "kv-policies",
            resourceGroup: "rg-msi-samples",
            enableRbacAuthorization: false,
            accessPolicies: [
              { principal: "system", permissions: { secrets: ["get", "set"] } },
              { principal: USER_ASSIGNED_NAME, permissions: { secrets: ["list"] } },
            ],
            secrets: [{ name: "api-key", value: "policy-value" }],
          },
          {
            name: "kv-strangers",
            resourceGroup: "rg-msi-samples",
            enableRbacAuthorization: false,
            accessPolicies: [{ principal: STRANGER_OBJECT_ID, permissions: { secrets: ["all"] } }],
            secrets: [{ name: "api-key", value: "stranger-value" }],
          },
        ],
        roleAssignments: [
          // Inherited from the resource group the vault is in.
          {
            principal: "system",
            role: "Key Vault Secrets User",
            scope: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-workshop-data`,
          },
          // RBAC roles mean nothing to an access-policy vault.
          {
            principal: USER_ASSIGNED_NAME,
            role: "Key Vault Administrator",
            scope: vaultResourceId("kv-strangers"),
          },
          // Assigned on one secret only.
          {
            principal: "system",
            role: "Key Vault Secrets User",
            scope: `${vaultResourceId("kv-one-secret")}/secrets/allowed`,
          },
        ],
      }),
    });
  });
  afterAll(() => emulator.stop());

  describe("RBAC vaults", () => {
    it("denies an identity without any role: 403 ForbiddenByRbac naming caller, action, resource and vault", async () => {
      expect(await vaultFailureOf(() => systemClient("kv-no-role").getSecret("db-password"))).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "ForbiddenByRbac",
        message: rbacDenial(
          SYSTEM_CALLER,
          "Microsoft.KeyVault/vaults/secrets/getSecret/action",
          `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-msi-samples/providers/microsoft.keyvault/vaults/kv-no-role/secrets/db-password`,
          "kv-no-role",
        ),
      });
    });

    it("denies listing without readMetadata on the vault", async () => {
      const pages = systemClient("kv-no-role").listPropertiesOfSecrets().byPage();
      const failure = await vaultFailureOf(() => pages.next());
      expect(failure).toMatchObject({ statusCode: 403, code: "Forbidden" });
    });

    it("lets Key Vault Secrets User read but not set: setSecret/action is denied", async () => {
      expect((await systemClient("kv-msi-samples").getSecret("sample-secret")).value).toContain("Hello");
      expect(
        await vaultFailureOf(() => systemClient("kv-msi-samples").setSecret("sample-secret", "new")),
      ).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "ForbiddenByRbac",
        message: rbacDenial(
          SYSTEM_CALLER,
          "Microsoft.KeyVault/vaults/secrets/setSecret/action",
          `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-msi-samples/providers/microsoft.keyvault/vaults/kv-msi-samples/secrets/sample-secret`,
          "kv-msi-samples",
        ),
      });
      for (const denied of [
        () => systemClient("kv-msi-samples").beginDeleteSecret("sample-secret"),
        () => systemClient("kv-msi-samples").updateSecretProperties("sample-secret", "", { enabled: false }),
        () => systemClient("kv-msi-samples").purgeDeletedSecret("sample-secret"),
      ]) {
        expect(await vaultFailureOf(denied)).toMatchObject({ statusCode: 403, innerCode: "ForbiddenByRbac" });
      }
    });

    it("names the user-assigned identity with its own resource ID and the VM's", async () => {
      const failure = await vaultFailureOf(() => userClient("kv-no-role").getSecret("db-password"));
      expect(failure.message).toContain(`Caller: ${USER_CALLER}\r\n`);
    });

    it("inherits a role assigned on the resource group", async () => {
      expect((await systemClient("kv-inherited").getSecret("db-password")).value).toBe("inherited-value");
    });

    it("honours a role assigned on a single secret, and only on that secret", async () => {
      expect((await systemClient("kv-one-secret").getSecret("allowed")).value).toBe("allowed-value");
      expect(await vaultFailureOf(() => systemClient("kv-one-secret").getSecret("other"))).toMatchObject({
        statusCode: 403,
        innerCode: "ForbiddenByRbac",
      });
    });
  });

  describe("access-policy vaults", () => {
    it("grants what the caller's policy lists (get, set)", async () => {
      expect((await systemClient("kv-policies").getSecret("api-key")).value).toBe("policy-value");
      await systemClient("kv-policies").setSecret("api-key", "rotated-by-policy");
    });

    it("denies list without the list permission: 403 AccessDenied naming the permission and the vault", async () => {
      // A paged list keeps only status and code in its RestError; a get keeps the whole body.
      const pages = systemClient("kv-policies").listPropertiesOfSecrets().byPage();
      expect(await vaultFailureOf(() => pages.next())).toMatchObject({ statusCode: 403, code: "Forbidden" });
      expect(await vaultFailureOf(() => systemClient("kv-policies").getDeletedSecret("api-key"))).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "AccessDenied",
        message: policyDenial(SYSTEM_CALLER, "list", "kv-policies"),
      });
    });

    it("denies delete without the delete permission", async () => {
      expect(await vaultFailureOf(() => systemClient("kv-policies").beginDeleteSecret("api-key"))).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "AccessDenied",
        message: policyDenial(SYSTEM_CALLER, "delete", "kv-policies"),
      });
    });

    it("denies get and set to an identity whose policy only lists", async () => {
      const names = [];
      for await (const p of userClient("kv-policies").listPropertiesOfSecrets()) names.push(p.name);
      expect(names).toEqual(["api-key"]);
      expect(await vaultFailureOf(() => userClient("kv-policies").getSecret("api-key"))).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "AccessDenied",
        message: policyDenial(USER_CALLER, "get", "kv-policies"),
      });
      expect(await vaultFailureOf(() => userClient("kv-policies").setSecret("api-key", "nope"))).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "AccessDenied",
        message: policyDenial(USER_CALLER, "set", "kv-policies"),
      });
    });

    it("denies a caller that is on no access policy at all", async () => {
      expect(await vaultFailureOf(() => systemClient("kv-strangers").getSecret("api-key"))).toEqual({
        statusCode: 403,
        code: "Forbidden",
        innerCode: "AccessDenied",
        message: [
          "Access denied. Caller was not found on any access policy.",
          `Caller: ${SYSTEM_CALLER}`,
          "Vault: kv-strangers;location=westus2",
        ].join("\r\n"),
      });
    });

    it("ignores role assignments on an access-policy vault", async () => {
      // The user-assigned identity is Key Vault Administrator on this vault, but the vault uses access policies.
      expect(await vaultFailureOf(() => userClient("kv-strangers").getSecret("api-key"))).toMatchObject({
        statusCode: 403,
        innerCode: "AccessDenied",
      });
    });
  });
});
