// Without the Contributor role the sample exits 1 with the `az role assignment create` command that grants it on
// the resource group, and no vault is created.

import {
  expectRoleAssignmentHint,
  MISSING_ROLE_SCENARIO,
  sampleAgainstEmulator,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("create-delete-key-vault with an identity that may only read the resource group", () => {
  const sample = sampleAgainstEmulator("create-delete-key-vault", { scenario: MISSING_ROLE_SCENARIO });

  it("exits 1 with the command that grants Contributor on the group", async () => {
    const { vm } = sample.emulator.scenario;
    const result = await sample.run(["--yes", "--verbose"]);
    expectRoleAssignmentHint(result, {
      objectId: sample.identities.system.principalId,
      role: "Contributor",
      scope: new RegExp(`/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}`, "i"),
    });
    const vaults = sample.emulator.world
      .listResources({ type: "Microsoft.KeyVault/vaults" })
      .map((v) => v.name);
    expect(vaults).toEqual(["kv-msi-samples"]);
  });
});
