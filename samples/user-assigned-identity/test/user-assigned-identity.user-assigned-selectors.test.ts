// --client-id, --object-id and --resource-id (and AZURE_CLIENT_ID) each sign in as the VM's user-assigned identity
// with the matching IMDS query parameter; an identity not assigned to the VM is explained (exit 1).

import { tokenRequestSelector, tokenRequests } from "@msi-samples/sample-runner";
import {
  describeRun,
  expectIdentityNotOnVm,
  expectSignedInWithSelector,
  sampleAgainstEmulator,
  userAssignedSelectors,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("user-assigned-identity signs in as the identity a selector names", () => {
  const sample = sampleAgainstEmulator("user-assigned-identity");

  it.each(userAssignedSelectors(sample))("$flag sends $parameter to IMDS", async (selector) => {
    const { user } = sample.identities;
    const result = await sample.run([selector.flag, selector.value(), "--json"]);
    expectSignedInWithSelector(result, { selector, user });
    expect(result.stderr).toContain(
      `Using the user-assigned identity with ${selector.label} ${selector.value()}.`,
    );
    const document = JSON.parse(result.stdout) as { principal: { objectId: string; clientId: string } };
    expect(document.principal).toMatchObject({ objectId: user.principalId, clientId: user.clientId });
    expect(
      new Set(result.requests.filter((e) => e.service === "arm").map((e) => e.principal?.objectId)),
    ).toEqual(new Set([user.principalId]));
  });

  it("AZURE_CLIENT_ID chooses the identity when no flag does", async () => {
    const { user } = sample.identities;
    const result = await sample.run([], { env: { AZURE_CLIENT_ID: user.clientId } });
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequests(result.requests).map(tokenRequestSelector)).toEqual([{ client_id: user.clientId }]);
  });

  it("an object ID that names no identity on the VM: exit 1 and what to check", async () => {
    const unknown = "7b2e4d6f-8a1c-4e3b-9d5f-0a2c4e6b8d1f";
    expectIdentityNotOnVm(await sample.run(["--object-id", unknown]), {
      flag: "--object-id",
      value: unknown,
    });
  });
});
