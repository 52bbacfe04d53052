// The system-assigned identity is Reader on one resource group only: ARM answers the subscription's group list with
// that group alone (200, what the caller may read), so the sample finds the subscription and lists just that group.

import { describeRun, MISSING_ROLE_SCENARIO, sampleAgainstEmulator } from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("user-assigned-identity with an identity that may read one group of the subscription", () => {
  const sample = sampleAgainstEmulator("user-assigned-identity", { scenario: MISSING_ROLE_SCENARIO });

  it("lists only the group its role covers", async () => {
    const result = await sample.run(["--json"]);
    expect(result.status, describeRun(result)).toBe(0);
    const listed = JSON.parse(result.stdout) as { resourceGroups: { name: string }[] };
    expect(listed.resourceGroups.map((g) => g.name)).toEqual(["rg-msi-samples"]);
  });
});
