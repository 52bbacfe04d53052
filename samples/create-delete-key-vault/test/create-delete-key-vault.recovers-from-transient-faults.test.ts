// IMDS answering 500 once, or 410 for a moment after the VM starts, is retried: the vault is created and deleted
// and the sample exits 0.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import { tokenRequests } from "../../../scripts/lib/request-tally.ts";
import {
  describeRun,
  imdsGoneBriefly,
  sampleRunner,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("create-delete-key-vault recovers from transient IMDS faults", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("create-delete-key-vault", emulator);
  });
  afterEach(() => emulator.setFaults({}));
  afterAll(() => emulator.stop());

  const allSettings = () => {
    const { vm } = emulator.scenario;
    return [
      "--yes",
      "--subscription-id",
      vm.subscriptionId,
      "--resource-group",
      vm.resourceGroup,
      "--location",
      vm.location,
    ];
  };

  it("IMDS 500 once on the token request", async () => {
    emulator.setFaults({ imdsServerErrors: { count: 1 } });
    const result = await run(allSettings());
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequests(result.requests).map((e) => e.status)).toEqual([500, 200]);
  });

  it("IMDS 410 for half a second", async () => {
    imdsGoneBriefly(emulator, { forMs: 500 });
    const result = await run(allSettings());
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequests(result.requests)[0]?.status).toBe(410);
  });
});
