// --client-id, --object-id and --resource-id each sign in as the VM's user-assigned identity, with the matching
// IMDS query parameter; an identity that is not on the VM is explained (exit 1).

import {
  expectIdentityNotOnVm,
  expectSignedInWithSelector,
  sampleAgainstEmulator,
  userAssignedSelectors,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("list-resource-groups signs in as the user-assigned identity chosen by a selector", () => {
  const sample = sampleAgainstEmulator("list-resource-groups");

  it.each(userAssignedSelectors(sample))(
    "$flag sends $parameter to IMDS and lists the groups",
    async (selector) => {
      const { user } = sample.identities;
      const result = await sample.run([selector.flag, selector.value(), "--json"]);
      expectSignedInWithSelector(result, { selector, user });
      expect(result.requests.filter((e) => e.service === "arm").map((e) => e.principal?.objectId)).toEqual([
        user.principalId,
      ]);
      expect((JSON.parse(result.stdout) as { resourceGroups: unknown[] }).resourceGroups).toHaveLength(3);
    },
  );

  it("an identity that is not assigned to the VM: exit 1 and what to check", async () => {
    const unknown = "0d6e1f2a-9b8c-4d7e-a6f5-4c3b2a1d0e9f";
    expectIdentityNotOnVm(await sample.run(["--client-id", unknown]), {
      flag: "--client-id",
      value: unknown,
    });
  });
});
