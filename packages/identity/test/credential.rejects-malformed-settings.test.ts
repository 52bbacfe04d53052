// Malformed identity selectors and timeouts are refused before any request, naming the setting at fault.
import { describe, expect, it } from "vitest";
import { UsageError } from "../src/index.ts";
import { createManagedIdentityCredential } from "./support/credential-under-test.ts";

function messageOf(create: () => unknown): { message: string; setting: string | undefined } {
  try {
    create();
  } catch (error) {
    if (error instanceof UsageError) return { message: error.message, setting: error.setting };
    throw error;
  }
  throw new Error("expected a UsageError");
}

describe("malformed settings", () => {
  it("a client ID that is not a GUID, from the environment", () => {
    expect(
      messageOf(() => createManagedIdentityCredential({ env: { AZURE_CLIENT_ID: "my-identity" } })),
    ).toEqual({
      message: "AZURE_CLIENT_ID must be a GUID like 00000000-0000-0000-0000-000000000000, not 'my-identity'.",
      setting: "AZURE_CLIENT_ID",
    });
  });

  it("an object ID that is not a GUID, from options", () => {
    expect(messageOf(() => createManagedIdentityCredential({ objectId: "1234", env: {} })).setting).toBe(
      "--object-id",
    );
  });

  it("a resource ID of something other than a user-assigned identity", () => {
    const vmId =
      "/subscriptions/8d10da13-8125-4ba9-a717-bf7490507b3d/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm";
    const { message, setting } = messageOf(() =>
      createManagedIdentityCredential({ env: { AZURE_MANAGED_IDENTITY_RESOURCE_ID: vmId } }),
    );
    expect(setting).toBe("AZURE_MANAGED_IDENTITY_RESOURCE_ID");
    expect(message).toContain("must be the resource ID of a user-assigned identity");
    expect(message).toContain(`not '${vmId}'`);
  });

  it("accepts a resource ID in any letter case, as Azure does", () => {
    const id =
      "/SUBSCRIPTIONS/8d10da13-8125-4ba9-a717-bf7490507b3d/resourcegroups/rg/providers/microsoft.managedidentity/userassignedidentities/id-1";
    expect(createManagedIdentityCredential({ resourceId: id, env: {} }).identity).toEqual({
      kind: "user-assigned",
      by: "resourceId",
      value: id,
    });
  });

  it("a timeout that is not a positive number of milliseconds", () => {
    expect(
      messageOf(() => createManagedIdentityCredential({ env: { AZURE_MANAGED_IDENTITY_TIMEOUT_MS: "90s" } })),
    ).toEqual({
      message: "AZURE_MANAGED_IDENTITY_TIMEOUT_MS must be a positive number of milliseconds, not '90s'.",
      setting: "AZURE_MANAGED_IDENTITY_TIMEOUT_MS",
    });
    expect(messageOf(() => createManagedIdentityCredential({ timeoutMs: 0, env: {} })).setting).toBe(
      "timeoutMs",
    );
  });

  it("an IMDS address override that is not an http(s) URL", () => {
    const saved = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = "127.0.0.1:8080";
    try {
      expect(messageOf(() => createManagedIdentityCredential({ env: {} }))).toEqual({
        message:
          "AZURE_POD_IDENTITY_AUTHORITY_HOST must be an http(s) URL like http://127.0.0.1:8080, not '127.0.0.1:8080'.",
        setting: "AZURE_POD_IDENTITY_AUTHORITY_HOST",
      });
    } finally {
      if (saved === undefined) delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
      else process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = saved;
    }
  });

  it("defaults to a 90 s deadline, long enough for the SDK's own IMDS retries", () => {
    expect(createManagedIdentityCredential({ env: {} }).timeoutMs).toBe(90_000);
  });
});
