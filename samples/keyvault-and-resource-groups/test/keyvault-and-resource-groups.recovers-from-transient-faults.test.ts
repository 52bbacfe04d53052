// IMDS answering 429 with Retry-After, or 410 for a moment after the VM starts, is retried: the secret is read and
// the sample exits 0.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import { tokenRequests } from "../../../scripts/lib/request-tally.ts";
import {
  describeRun,
  imdsGoneBriefly,
  sampleRunner,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("keyvault-and-resource-groups recovers from transient IMDS faults", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("keyvault-and-resource-groups", emulator);
  });
  afterEach(() => emulator.setFaults({}));
  afterAll(() => emulator.stop());

  const flags = () => {
    const vault = emulator.scenario.keyVaults[0]!;
    return [
      "--vault-name",
      vault.name,
      "--secret-name",
      vault.secrets[0]!.name,
      "--subscription-id",
      emulator.scenario.vm.subscriptionId,
    ];
  };

  it("IMDS 429 with Retry-After once", async () => {
    emulator.setFaults({ imdsTooManyRequests: { count: 1, retryAfterSeconds: 1 } });
    const result = await run(flags());
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequests(result.requests).map((e) => e.status)).toEqual([429, 200, 200]);
  });

  it("IMDS 410 for half a second", async () => {
    imdsGoneBriefly(emulator, { forMs: 500 });
    const result = await run(flags());
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequests(result.requests)[0]?.status).toBe(410);
  });
});
