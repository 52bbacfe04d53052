// Without the Contributor role the sample exits 1 with the `az role assignment create` command that grants it, and
// nothing is deployed.

import {
  expectRoleAssignmentHint,
  MISSING_ROLE_SCENARIO,
  sampleAgainstEmulator,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("deploy-arm-template with an identity that may only read one resource group", () => {
  const sample = sampleAgainstEmulator("deploy-arm-template", { scenario: MISSING_ROLE_SCENARIO });
  const subscriptionId = () => sample.emulator.scenario.vm.subscriptionId;
  const storageAccounts = () =>
    sample.emulator.world.listResources({ type: "Microsoft.Storage/storageAccounts" });

  it("into a new group (it may not even see whether it exists): Contributor on the subscription", async () => {
    const result = await sample.run(["--verbose"]);
    expectRoleAssignmentHint(result, {
      objectId: sample.identities.system.principalId,
      role: "Contributor",
      scope: `/subscriptions/${subscriptionId()}`,
    });
    expect(sample.emulator.world.getResourceGroup(subscriptionId(), "msi-sample-rg")).toBeUndefined();
  });

  it("into the group it may read: Contributor on that group", async () => {
    const result = await sample.run(["--resource-group", "rg-msi-samples"]);
    expectRoleAssignmentHint(result, {
      objectId: sample.identities.system.principalId,
      role: "Contributor",
      scope: new RegExp(`/subscriptions/${subscriptionId()}/resourceGroups/rg-msi-samples`, "i"),
    });
    expect(storageAccounts()).toEqual([]);
  });
});
