// IMDS answering 500 once, or 410 for a moment after the VM starts, is retried: the vault is created and deleted
// and the sample exits 0.

import {
  describeRun,
  imdsGoneBriefly,
  sampleAgainstEmulator,
  tokenRequestStatuses,
  vmSettingFlags,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("create-delete-key-vault recovers from transient IMDS faults", () => {
  const sample = sampleAgainstEmulator("create-delete-key-vault");
  const allSettings = () => ["--yes", ...vmSettingFlags(sample.emulator)];

  it("IMDS 500 once on the token request", async () => {
    sample.emulator.setFaults({ imdsServerErrors: { count: 1 } });
    const result = await sample.run(allSettings());
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)).toEqual([500, 200]);
  });

  it("IMDS 410 for half a second", async () => {
    imdsGoneBriefly(sample.emulator, { forMs: 500 });
    const result = await sample.run(allSettings());
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)[0]).toBe(410);
  });
});
