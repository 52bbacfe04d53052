// IMDS answering 429 with Retry-After, or 410 for a moment after the VM starts, is retried: the secret is read and
// the sample exits 0.

import {
  describeRun,
  imdsGoneBriefly,
  sampleAgainstEmulator,
  tokenRequestStatuses,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";
import { scenarioVaultFlags } from "./scenario-vault.ts";

describe("keyvault-and-resource-groups recovers from transient IMDS faults", () => {
  const sample = sampleAgainstEmulator("keyvault-and-resource-groups");
  const flags = () => [
    ...scenarioVaultFlags(sample.emulator),
    "--subscription-id",
    sample.emulator.scenario.vm.subscriptionId,
  ];

  it("IMDS 429 with Retry-After once", async () => {
    sample.emulator.setFaults({ imdsTooManyRequests: { count: 1, retryAfterSeconds: 1 } });
    const result = await sample.run(flags());
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)).toEqual([429, 200, 200]);
  });

  it("IMDS 410 for half a second", async () => {
    imdsGoneBriefly(sample.emulator, { forMs: 500 });
    const result = await sample.run(flags());
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)[0]).toBe(410);
  });
});
