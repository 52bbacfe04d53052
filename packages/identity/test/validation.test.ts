// The format checks behind every setting: GUIDs, user-assigned identity resource IDs, secrets shown masked.
import { describe, expect, it } from "vitest";
import { assertGuid, isGuid, maskSecret, parseUserAssignedIdentityId, UsageError } from "../src/index.ts";

describe("isGuid / assertGuid", () => {
  it("accepts GUIDs in either case", () => {
    expect(isGuid("8d10da13-8125-4ba9-a717-bf7490507b3d")).toBe(true);
    expect(isGuid("8D10DA13-8125-4BA9-A717-BF7490507B3D")).toBe(true);
  });

  it("rejects near misses", () => {
    for (const value of [
      "",
      "8d10da1381254ba9a717bf7490507b3d",
      "{8d10da13-8125-4ba9-a717-bf7490507b3d}",
      " 8d10da13-8125-4ba9-a717-bf7490507b3d",
    ]) {
      expect(isGuid(value), value).toBe(false);
    }
  });

  it("assertGuid names the setting", () => {
    const setting = "--subscription / AZURE_SUBSCRIPTION_ID";
    expect(() => assertGuid("abc", setting)).toThrow(
      new UsageError(`${setting} must be a GUID like 00000000-0000-0000-0000-000000000000, not 'abc'.`, {
        setting,
      }),
    );
    expect(assertGuid("8d10da13-8125-4ba9-a717-bf7490507b3d", setting)).toBe(
      "8d10da13-8125-4ba9-a717-bf7490507b3d",
    );
  });
});

describe("parseUserAssignedIdentityId", () => {
  it("splits a user-assigned identity's resource ID", () => {
    expect(
      parseUserAssignedIdentityId(
        "/subscriptions/8d10da13-8125-4ba9-a717-bf7490507b3d/resourceGroups/rg.samples(1)/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-samples_1",
      ),
    ).toEqual({
      subscriptionId: "8d10da13-8125-4ba9-a717-bf7490507b3d",
      resourceGroupName: "rg.samples(1)",
      name: "id-samples_1",
    });
  });

  it("refuses other resource IDs and malformed ones", () => {
    const base = "/subscriptions/8d10da13-8125-4ba9-a717-bf7490507b3d/resourceGroups/rg/providers";
    for (const id of [
      `${base}/Microsoft.Compute/virtualMachines/vm`,
      `${base}/Microsoft.ManagedIdentity/userAssignedIdentities/`,
      `${base}/Microsoft.ManagedIdentity/userAssignedIdentities/id/extra`,
      `${base}/Microsoft.ManagedIdentity/userAssignedIdentities/-id`,
      "/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id",
    ]) {
      expect(parseUserAssignedIdentityId(id), id).toBeUndefined();
    }
  });
});

describe("maskSecret", () => {
  it("shows the length and no character of the value", () => {
    const masked = maskSecret("s3cr3t-value-of-40-characters-0123456789");
    expect(masked).toBe("******** (40 characters)");
    expect(masked).not.toMatch(/s3|89/);
  });

  it("says 'character' for a one-character value", () => {
    expect(maskSecret("p")).toBe("******** (1 character)");
  });
});
