// In the missing-role scenario the system-assigned identity is Reader on one resource group: ARM answers the list with
// that group alone (200, what the caller may read), so the sample succeeds and shows it. The user-assigned identity has
// no role at all: the sample exits 1 with the `az role assignment create` command that grants Reader on the
// subscription, and prints no token even when asked for stack traces.

import {
  describeRun,
  expectRoleAssignmentHint,
  MISSING_ROLE_SCENARIO,
  sampleAgainstEmulator,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("list-resource-groups with an identity that may not read every group of the subscription", () => {
  const sample = sampleAgainstEmulator("list-resource-groups", { scenario: MISSING_ROLE_SCENARIO });

  it("lists only the group its role covers", async () => {
    const result = await sample.run(["--json"]);
    expect(result.status, describeRun(result)).toBe(0);
    const listed = JSON.parse(result.stdout) as { resourceGroups: { name: string }[] };
    expect(listed.resourceGroups.map((g) => g.name)).toEqual(["rg-msi-samples"]);
  });

  it("exits 1 with the command that grants Reader on the subscription when the identity has no role there", async () => {
    const result = await sample.run(["--verbose", "--client-id", sample.identities.user.clientId]);
    expectRoleAssignmentHint(result, {
      objectId: sample.identities.user.principalId,
      role: "Reader",
      scope: `/subscriptions/${sample.emulator.scenario.vm.subscriptionId}`,
    });
  });
});
