// IMDS answering 500 once, or 410 for a moment after the VM starts, is retried and the sample exits 0.

import {
  describeRun,
  imdsGoneBriefly,
  sampleAgainstEmulator,
  tokenRequestStatuses,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("user-assigned-identity recovers from transient IMDS faults", () => {
  const sample = sampleAgainstEmulator("user-assigned-identity");

  it("IMDS 500 once", async () => {
    sample.emulator.setFaults({ imdsServerErrors: { count: 1 } });
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)).toEqual([500, 200]);
  });

  it("IMDS 410 for half a second, for a user-assigned identity", async () => {
    imdsGoneBriefly(sample.emulator, { forMs: 500 });
    const result = await sample.run(["--client-id", sample.identities.user.clientId]);
    expect(result.status, describeRun(result)).toBe(0);
    const statuses = tokenRequestStatuses(result);
    expect(statuses[0]).toBe(410);
    expect(statuses.at(-1)).toBe(200);
  });
});
