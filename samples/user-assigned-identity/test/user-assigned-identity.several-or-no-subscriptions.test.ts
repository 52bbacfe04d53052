// Discovery says what it does when the identity sees several subscriptions (the VM's own wins; otherwise the user
// must choose, exit 2) or none (exit 1 with the role assignment that fixes it).

import {
  defaultScenarioWith,
  describeRun,
  expectRoleAssignmentHint,
  MISSING_ROLE_SCENARIO,
  sampleAgainstEmulator,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

const workshop = "3f8a2c6e-91d4-4b7a-8e25-6c0d9b1f4a37";
const finance = "b5e1d7c9-2a63-4f08-b94e-0d7f3a18c652";

describe("user-assigned-identity when the identity sees several subscriptions or none", () => {
  // The system-assigned identity also reads "Finance production"; the user-assigned one reads only that one.
  // A third identity (by object ID, not on the VM) is irrelevant here; the missing-role case has its own file.
  const sample = sampleAgainstEmulator("user-assigned-identity", {
    scenario: defaultScenarioWith((scenario) => {
      scenario.roleAssignments = scenario.roleAssignments.filter((a) => a.principal !== "id-msi-samples");
      scenario.roleAssignments.push(
        { principal: "system", role: "Reader", scope: `/subscriptions/${finance}` },
        { principal: "id-msi-samples", role: "Reader", scope: `/subscriptions/${finance}` },
      );
    }),
  });

  it("several, the VM's own among them: uses the VM's own", async () => {
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(
      `Using subscription ${workshop} (the VM's own subscription, one of 2 the identity can see).`,
    );
    expect(result.tally.imdsMetadata).toBe(1);
  });

  it("one that is not the VM's: uses it", async () => {
    const result = await sample.run(["--client-id", sample.identities.user.clientId]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(
      `Using subscription ${finance} (the only subscription the identity can see).`,
    );
    expect(result.stdout).toContain("rg-finance-prod (eastus2)");
  });
});

describe("user-assigned-identity when the identity sees several subscriptions, none of them the VM's", () => {
  const third = "6a1c9e3f-0b2d-4f58-9c7e-1d3b5a7f9e02";
  const sample = sampleAgainstEmulator("user-assigned-identity", {
    scenario: defaultScenarioWith((scenario) => {
      scenario.subscriptions.push({ id: third, displayName: "Sandbox" });
      scenario.roleAssignments = scenario.roleAssignments.filter((a) => a.principal !== "id-msi-samples");
      scenario.roleAssignments.push(
        { principal: "id-msi-samples", role: "Reader", scope: `/subscriptions/${finance}` },
        { principal: "id-msi-samples", role: "Reader", scope: `/subscriptions/${third}` },
      );
    }),
  });

  it("asks for --subscription-id, listing them (exit 2)", async () => {
    const result = await sample.run(["--client-id", sample.identities.user.clientId]);
    expect(result.status, describeRun(result)).toBe(2);
    expect(result.stderr).toContain(
      "The identity can see 2 subscriptions; choose one with --subscription-id",
    );
    expect(result.stderr).toContain(`${finance}  Finance production`);
    expect(result.stderr).toContain(`${third}  Sandbox`);
    expect(result.requests.filter((e) => /resourcegroups/i.test(e.path))).toEqual([]);
  });
});

describe("user-assigned-identity when the identity sees no subscription", () => {
  const sample = sampleAgainstEmulator("user-assigned-identity", { scenario: MISSING_ROLE_SCENARIO });

  it("exits 1 with the command that grants Reader on the VM's subscription", async () => {
    const { user } = sample.identities;
    const result = await sample.run(["--client-id", user.clientId]);
    expect(result.stderr).toContain(
      `The identity (object ID ${user.principalId}) has no role in any subscription.`,
    );
    expectRoleAssignmentHint(result, {
      objectId: user.principalId,
      role: "Reader",
      scope: `/subscriptions/${workshop}`,
    });
  });
});
