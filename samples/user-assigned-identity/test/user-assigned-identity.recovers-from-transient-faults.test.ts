// IMDS answering 500 once, or 410 for a moment after the VM starts, is retried and the sample exits 0.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import { tokenRequests } from "../../../scripts/lib/request-tally.ts";
import {
  describeRun,
  identitiesOf,
  imdsGoneBriefly,
  sampleRunner,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("user-assigned-identity recovers from transient IMDS faults", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("user-assigned-identity", emulator);
  });
  afterEach(() => emulator.setFaults({}));
  afterAll(() => emulator.stop());

  it("IMDS 500 once", async () => {
    emulator.setFaults({ imdsServerErrors: { count: 1 } });
    const result = await run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequests(result.requests).map((e) => e.status)).toEqual([500, 200]);
  });

  it("IMDS 410 for half a second, for a user-assigned identity", async () => {
    imdsGoneBriefly(emulator, { forMs: 500 });
    const result = await run(["--client-id", identitiesOf(emulator).user.clientId]);
    expect(result.status, describeRun(result)).toBe(0);
    const statuses = tokenRequests(result.requests).map((e) => e.status);
    expect(statuses[0]).toBe(410);
    expect(statuses.at(-1)).toBe(200);
  });
});
