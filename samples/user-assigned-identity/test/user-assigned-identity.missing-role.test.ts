// The system-assigned identity can see the subscription (it reads one resource group) but may not list its
// groups: exit 1 with the `az role assignment create` command that grants Reader on the subscription.
import { describe, it } from "vitest";
import {
  expectRoleAssignmentHint,
  MISSING_ROLE_SCENARIO,
  sampleAgainstEmulator,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("user-assigned-identity with an identity that may not list the subscription's groups", () => {
  const sample = sampleAgainstEmulator("user-assigned-identity", { scenario: MISSING_ROLE_SCENARIO });

  it("exits 1 with the command that grants Reader on the subscription", async () => {
    expectRoleAssignmentHint(await sample.run(["--verbose"]), {
      objectId: sample.identities.system.principalId,
      role: "Reader",
      scope: `/subscriptions/${sample.emulator.scenario.vm.subscriptionId}`,
    });
  });
});
