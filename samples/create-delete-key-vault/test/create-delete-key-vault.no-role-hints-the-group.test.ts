// With no role at all, the check that the new vault's name is free is denied first: the hint names Contributor on the
// resource group, which creating the vault needs, not a role on a vault that does not exist (and whose random name
// the next run will not reuse).

import {
  defaultScenarioWith,
  expectRoleAssignmentHint,
  sampleAgainstEmulator,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("create-delete-key-vault with an identity that has no role", () => {
  const sample = sampleAgainstEmulator("create-delete-key-vault", {
    scenario: defaultScenarioWith((scenario) => {
      scenario.roleAssignments = [];
    }),
  });

  it("exits 1 with the command that grants Contributor on the group, not a role on the vault", async () => {
    const { vm } = sample.emulator.scenario;
    const result = await sample.run(["--yes"]);
    expectRoleAssignmentHint(result, {
      objectId: sample.identities.system.principalId,
      role: "Contributor",
      scope: new RegExp(`/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}`, "i"),
    });
    expect(result.stderr).not.toMatch(/--scope "[^"]*\/vaults\//i);
  });
});
