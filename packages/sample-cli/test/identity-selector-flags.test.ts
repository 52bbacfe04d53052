// The shared identity flags: parsed with parseSampleArgs, identityFromFlagsOrEnvironment chooses the identity from
// them or the environment, checked before any request.

import { formatIdentitySelection, identityFromFlagsOrEnvironment, UsageError } from "@msi-samples/identity";
import { describe, expect, it } from "vitest";
import { identitySelectorOptions, parseSampleArgs } from "../src/index.ts";
import { userAssigned } from "./support/fake-imds.ts";

function credentialFor(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const { values } = parseSampleArgs({ usage: "", argv, options: { ...identitySelectorOptions } });
  return { identity: identityFromFlagsOrEnvironment(values, env).selection };
}

describe("identity selector flags", () => {
  it("none: the system-assigned identity, unless the environment names one", () => {
    expect(credentialFor([]).identity).toEqual({ kind: "system-assigned" });
    expect(credentialFor([], { AZURE_CLIENT_ID: userAssigned.clientId }).identity).toEqual({
      kind: "user-assigned",
      by: "clientId",
      value: userAssigned.clientId,
    });
  });

  it.each([
    ["--client-id", "clientId", userAssigned.clientId],
    ["--object-id", "objectId", userAssigned.objectId],
    ["--resource-id", "resourceId", userAssigned.resourceId],
  ])("%s chooses the user-assigned identity by %s, over the environment", (flag, by, value) => {
    const credential = credentialFor([flag, value], {
      AZURE_CLIENT_ID: "00000000-0000-0000-0000-000000000000",
    });
    expect(credential.identity).toEqual({ kind: "user-assigned", by, value });
  });

  it("a malformed value is a UsageError naming the flag", () => {
    expect(() => credentialFor(["--object-id", "not-a-guid"])).toThrow(UsageError);
    expect(() => credentialFor(["--object-id", "not-a-guid"])).toThrow(/^--object-id must be a GUID/);
  });

  it("says which identity is used", () => {
    expect(formatIdentitySelection(credentialFor([]).identity)).toBe("the VM's system-assigned identity");
    expect(formatIdentitySelection(credentialFor(["--client-id", userAssigned.clientId]).identity)).toBe(
      `the user-assigned identity with client ID ${userAssigned.clientId}`,
    );
  });
});
