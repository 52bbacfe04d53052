// The subscription taken from the VM's instance metadata survives IMDS answering 410 (being updated, for longer than
// a few seconds), 429 with Retry-After and 500, as the token request does; when IMDS keeps failing until the
// managed-identity deadline, the sample exits 1 with what IMDS said, not 2 as if a setting were missing.

import { describeRun, type SampleTestRun, sampleAgainstEmulator } from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

const metadataStatuses = (run: SampleTestRun) =>
  run.requests
    .filter((e) => e.service === "imds" && e.path.includes("/metadata/instance"))
    .map((e) => e.status);

describe("list-resource-groups reads instance metadata through IMDS faults", () => {
  const sample = sampleAgainstEmulator("list-resource-groups");

  it("IMDS answers 410 for 6 s: asked again until it answers", async () => {
    sample.emulator.setFaults({ imdsGoneForSeconds: 6 });
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain("(from instance metadata)");
    const statuses = metadataStatuses(result);
    expect(statuses[0]).toBe(410);
    expect(statuses.at(-1)).toBe(200);
  });

  it("IMDS answers 429 with Retry-After three times, then 500 three times", async () => {
    sample.emulator.setFaults({
      imdsTooManyRequests: { count: 3, retryAfterSeconds: 1 },
      imdsServerErrors: { count: 3 },
    });
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(metadataStatuses(result)).toEqual([429, 429, 429, 500, 500, 500, 200]);
  });

  it("IMDS keeps answering 410 past the deadline: exit 1 with IMDS's answer, not a missing setting", async () => {
    sample.emulator.setFaults({ imdsGoneForSeconds: 600 });
    const result = await sample.run([], { env: { AZURE_MANAGED_IDENTITY_TIMEOUT_MS: "2000" } });
    expect(result.status, describeRun(result)).toBe(1);
    expect(result.stderr).toContain("answered 410");
    expect(result.stderr).toContain("deadline 2 s, AZURE_MANAGED_IDENTITY_TIMEOUT_MS");
    expect(result.stderr).not.toContain("Missing");
  });
});
