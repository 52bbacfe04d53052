// On a VM with no system-assigned identity and one user-assigned identity, no selector makes IMDS use that one: the
// "Using" line says so (from the token's claims), rather than naming the system-assigned identity the flags imply.

import { defaultScenarioWith, describeRun, sampleAgainstEmulator } from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("user-assigned-identity on a VM whose only identity is user-assigned", () => {
  const sample = sampleAgainstEmulator("user-assigned-identity", {
    scenario: defaultScenarioWith((scenario) => {
      (scenario.vm as { systemAssignedIdentity: unknown }).systemAssignedIdentity = null;
      scenario.roleAssignments = scenario.roleAssignments.filter((a) => a.principal !== "system");
    }),
  });

  it("without a selector: names the user-assigned identity it signed in as", async () => {
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(
      "Using the user-assigned identity 'id-msi-samples', the VM's only identity (no --client-id, --object-id or --resource-id given).",
    );
    expect(result.stdout).toContain("Signed in as user-assigned identity 'id-msi-samples'");
    expect(result.stdout).not.toContain("system-assigned");
  });
});
