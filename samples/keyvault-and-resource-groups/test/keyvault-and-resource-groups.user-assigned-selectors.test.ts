// --client-id, --object-id and --resource-id each sign in as the user-assigned identity for both audiences (ARM and
// Key Vault) with the matching IMDS query parameter; an identity not on the VM is explained (exit 1).

import {
  expectIdentityNotOnVm,
  expectSignedInWithSelector,
  sampleAgainstEmulator,
  userAssignedSelectors,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";
import { scenarioVaultFlags } from "./scenario-vault.ts";

describe("keyvault-and-resource-groups signs in as the identity a selector names", () => {
  const sample = sampleAgainstEmulator("keyvault-and-resource-groups");

  it.each(userAssignedSelectors(sample))(
    "$flag sends $parameter to IMDS for both tokens",
    async (selector) => {
      const { user } = sample.identities;
      const result = await sample.run([
        ...scenarioVaultFlags(sample.emulator),
        selector.flag,
        selector.value(),
      ]);
      expectSignedInWithSelector(result, { selector, user, tokens: 2 });
      const authorized = result.requests.filter((e) => e.status === 200 && e.service !== "imds");
      expect(new Set(authorized.map((e) => e.principal?.objectId))).toEqual(new Set([user.principalId]));
    },
  );

  it("a client ID that names no identity on the VM: exit 1 and what to check", async () => {
    const unknown = "2f4a6c8e-0b1d-4f3a-8c5e-7d9b1f3a5c7e";
    const result = await sample.run([...scenarioVaultFlags(sample.emulator), "--client-id", unknown]);
    expectIdentityNotOnVm(result, { flag: "--client-id", value: unknown });
  });
});
