// The action and scope worked out from an ARM request's method and URL, for the errors whose SDK dropped ARM's own
// message. Expected actions as Azure's provider operations list names them (learn.microsoft.com/azure/
// role-based-access-control/permissions/management-and-governance#microsoftresources, and the storage and Key Vault
// pages), scopes as ARM's AuthorizationFailed messages give them.
import { describe, expect, it } from "vitest";
import { armAuthorizationOf } from "../src/arm-request-action.ts";

const arm = "https://management.azure.com";
const subscription = "/subscriptions/8d10da13-8125-4ba9-a717-bf7490507b3d";
const group = `${subscription}/resourcegroups/rg-samples`;

describe("armAuthorizationOf", () => {
  it.each([
    // Microsoft.Resources' own paths, with its types spelled as in the operations list.
    [
      "GET",
      `${subscription}/resourcegroups?api-version=2025-04-01`,
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      subscription,
    ],
    [
      "GET",
      `${group}?api-version=2025-04-01`,
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      group,
    ],
    ["HEAD", group, "Microsoft.Resources/subscriptions/resourceGroups/read", group],
    ["PUT", group, "Microsoft.Resources/subscriptions/resourceGroups/write", group],
    ["DELETE", group, "Microsoft.Resources/subscriptions/resourceGroups/delete", group],
    ["GET", `${group}/resources`, "Microsoft.Resources/subscriptions/resourceGroups/resources/read", group],
    [
      "POST",
      `${group}/moveResources`,
      "Microsoft.Resources/subscriptions/resourceGroups/moveResources/action",
      group,
    ],
    ["GET", subscription, "Microsoft.Resources/subscriptions/read", subscription],
    ["GET", `${subscription}/locations`, "Microsoft.Resources/subscriptions/locations/read", subscription],
    // Under /providers/{namespace}: that namespace and the URL's types.
    [
      "PUT",
      `${group}/providers/Microsoft.Resources/deployments/dep1`,
      "Microsoft.Resources/deployments/write",
      `${group}/providers/Microsoft.Resources/deployments/dep1`,
    ],
    [
      "POST",
      `${group}/providers/Microsoft.Resources/deployments/dep1/validate`,
      "Microsoft.Resources/deployments/validate/action",
      `${group}/providers/Microsoft.Resources/deployments/dep1`,
    ],
    [
      "GET",
      `${group}/providers/Microsoft.Resources/deployments/dep1/operations`,
      "Microsoft.Resources/deployments/operations/read",
      `${group}/providers/Microsoft.Resources/deployments/dep1`,
    ],
    [
      "PATCH",
      `${group}/providers/Microsoft.Storage/storageAccounts/sa1`,
      "Microsoft.Storage/storageAccounts/write",
      `${group}/providers/Microsoft.Storage/storageAccounts/sa1`,
    ],
    [
      "POST",
      `${group}/providers/Microsoft.Storage/storageAccounts/sa1/listKeys`,
      "Microsoft.Storage/storageAccounts/listKeys/action",
      `${group}/providers/Microsoft.Storage/storageAccounts/sa1`,
    ],
    [
      "GET",
      `${group}/providers/Microsoft.Storage/storageAccounts/sa1/blobServices/default/containers`,
      "Microsoft.Storage/storageAccounts/blobServices/containers/read",
      `${group}/providers/Microsoft.Storage/storageAccounts/sa1/blobServices/default`,
    ],
    [
      "GET",
      `${subscription}/providers/Microsoft.Storage/storageAccounts`,
      "Microsoft.Storage/storageAccounts/read",
      subscription,
    ],
    [
      "POST",
      `${subscription}/providers/Microsoft.Storage/register`,
      "Microsoft.Storage/register/action",
      subscription,
    ],
    // A generic resource without a parent path: arm-resources writes `vaults//name`.
    [
      "DELETE",
      `${group}/providers/Microsoft.KeyVault//vaults/kv1?api-version=2026-02-01`,
      "Microsoft.KeyVault/vaults/delete",
      `${group}/providers/Microsoft.KeyVault/vaults/kv1`,
    ],
    // An extension resource: the last provider decides.
    [
      "PUT",
      `${group}/providers/Microsoft.KeyVault/vaults/kv1/providers/Microsoft.Authorization/roleAssignments/ra1`,
      "Microsoft.Authorization/roleAssignments/write",
      `${group}/providers/Microsoft.KeyVault/vaults/kv1/providers/Microsoft.Authorization/roleAssignments/ra1`,
    ],
  ])("%s %s: %s", (method, path, action, scope) => {
    expect(armAuthorizationOf(method, `${arm}${path}`)).toEqual({ action, scope });
  });

  it("decodes the URL's escapes, as ARM names the scope", () => {
    expect(armAuthorizationOf("GET", `${arm}${subscription}/resourcegroups/rg%20(test)`)).toEqual({
      action: "Microsoft.Resources/subscriptions/resourceGroups/read",
      scope: `${subscription}/resourcegroups/rg (test)`,
    });
  });

  it("gives up on what is not an ARM resource path", () => {
    expect(armAuthorizationOf("GET", "https://kv1.vault.azure.net/secrets/s1")).toBeUndefined();
    expect(armAuthorizationOf("GET", "not a url")).toBeUndefined();
    expect(armAuthorizationOf("POST", `${arm}${group}`)).toBeUndefined();
  });
});
