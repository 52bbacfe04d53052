// IMDS answering 410 (just after a VM starts), 500 or 429, and ARM answering 429, are retried: the sample still
// lists the groups and exits 0.

import {
  describeRun,
  imdsGoneBriefly,
  sampleAgainstEmulator,
  tokenRequestStatuses,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("list-resource-groups recovers from transient faults", () => {
  const sample = sampleAgainstEmulator("list-resource-groups");
  const subscription = () => ["--subscription-id", sample.emulator.scenario.vm.subscriptionId];

  it("IMDS 410 for half a second: the token request is retried", async () => {
    imdsGoneBriefly(sample.emulator, { forMs: 500 });
    const result = await sample.run(subscription());
    expect(result.status, describeRun(result)).toBe(0);
    const tokenStatuses = tokenRequestStatuses(result);
    expect(tokenStatuses[0]).toBe(410);
    expect(tokenStatuses.at(-1)).toBe(200);
  });

  it("IMDS 410 for half a second, with the subscription read from instance metadata", async () => {
    imdsGoneBriefly(sample.emulator, { forMs: 500 });
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.requests[0]).toMatchObject({ service: "imds", status: 410 });
    expect(result.stdout).toContain("(from instance metadata)");
  });

  it("IMDS 500 once, then 429 with Retry-After once", async () => {
    sample.emulator.setFaults({
      imdsServerErrors: { count: 1 },
      imdsTooManyRequests: { count: 1, retryAfterSeconds: 1 },
    });
    const result = await sample.run(subscription());
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)).toEqual([429, 500, 200]);
  });

  it("ARM 429 with Retry-After once", async () => {
    sample.emulator.setFaults({ armTooManyRequests: { count: 1, retryAfterSeconds: 1 } });
    const result = await sample.run(subscription());
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.requests.filter((e) => e.service === "arm").map((e) => e.status)).toEqual([429, 200]);
  });
});
