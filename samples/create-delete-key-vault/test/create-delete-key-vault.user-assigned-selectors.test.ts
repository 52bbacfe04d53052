// --client-id, --object-id and --resource-id each create and delete the vault as the user-assigned identity, with
// the matching IMDS query parameter; an identity not on the VM is explained (exit 1) and nothing is created.

import {
  expectIdentityNotOnVm,
  expectSignedInWithSelector,
  sampleAgainstEmulator,
  userAssignedSelectors,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("create-delete-key-vault works as the identity a selector names", () => {
  const sample = sampleAgainstEmulator("create-delete-key-vault");

  it.each(userAssignedSelectors(sample))(
    "$flag sends $parameter to IMDS, creates and deletes",
    async (selector) => {
      const { user } = sample.identities;
      const result = await sample.run(["--yes", selector.flag, selector.value()]);
      expectSignedInWithSelector(result, { selector, user });
      const changes = result.requests.filter(
        (e) => e.service === "arm" && ["PUT", "DELETE"].includes(e.method),
      );
      expect(changes.map((e) => e.method)).toEqual(["PUT", "DELETE"]);
      expect(new Set(changes.map((e) => e.principal?.objectId))).toEqual(new Set([user.principalId]));
    },
  );

  it("a client ID that names no identity on the VM: exit 1, and no vault is created", async () => {
    const unknown = "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    expectIdentityNotOnVm(await sample.run(["--yes", "--client-id", unknown]), {
      flag: "--client-id",
      value: unknown,
    });
  });
});
