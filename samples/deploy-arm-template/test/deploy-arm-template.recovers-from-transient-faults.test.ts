// IMDS answering 500 once, or 429 and then 500 on the instance metadata request, is retried: the deployment
// succeeds and the sample exits 0.

import { describeRun, sampleAgainstEmulator, tokenRequestStatuses } from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("deploy-arm-template recovers from transient IMDS faults", () => {
  const sample = sampleAgainstEmulator("deploy-arm-template");

  it("IMDS 500 once on the token request", async () => {
    sample.emulator.setFaults({ imdsServerErrors: { count: 1 } });
    const { vm } = sample.emulator.scenario;
    const result = await sample.run(["--subscription-id", vm.subscriptionId, "--location", vm.location]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)).toEqual([500, 200]);
  });

  it("IMDS 429 with Retry-After, then 500, on the instance metadata request", async () => {
    sample.emulator.setFaults({
      imdsTooManyRequests: { count: 1, retryAfterSeconds: 1 },
      imdsServerErrors: { count: 1 },
    });
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.requests.slice(0, 3).map((e) => e.status)).toEqual([429, 500, 200]);
    expect(result.stdout).toContain("Deployment '");
  });
});
