// Without a role on the subscription, the sample exits 1 and prints the `az role assignment create` command that
// grants the identity Reader there, and prints no token even when asked for stack traces.
import { describe, it } from "vitest";
import {
  expectRoleAssignmentHint,
  MISSING_ROLE_SCENARIO,
  sampleAgainstEmulator,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("list-resource-groups with an identity that may not list the subscription's groups", () => {
  const sample = sampleAgainstEmulator("list-resource-groups", { scenario: MISSING_ROLE_SCENARIO });

  it("exits 1 with the command that grants Reader on the subscription", async () => {
    const result = await sample.run(["--verbose"]);
    expectRoleAssignmentHint(result, {
      objectId: sample.identities.system.principalId,
      role: "Reader",
      scope: `/subscriptions/${sample.emulator.scenario.vm.subscriptionId}`,
    });
  });
});
