// IMDS answering 410 (just after a VM starts), 500 or 429, and ARM answering 429, are retried: the sample still
// lists the groups and exits 0.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import { tokenRequests } from "../../../scripts/lib/request-tally.ts";
import {
  describeRun,
  imdsGoneBriefly,
  sampleRunner,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("list-resource-groups recovers from transient faults", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("list-resource-groups", emulator);
  });
  afterEach(() => emulator.setFaults({}));
  afterAll(() => emulator.stop());

  const subscription = () => ["--subscription-id", emulator.scenario.vm.subscriptionId];
  const statuses = (entries: { status: number }[]) => entries.map((e) => e.status);

  it("IMDS 410 for half a second: the token request is retried", async () => {
    imdsGoneBriefly(emulator, { forMs: 500 });
    const result = await run(subscription());
    expect(result.status, describeRun(result)).toBe(0);
    const tokenStatuses = statuses(tokenRequests(result.requests));
    expect(tokenStatuses[0]).toBe(410);
    expect(tokenStatuses.at(-1)).toBe(200);
  });

  it("IMDS 410 for half a second, with the subscription read from instance metadata", async () => {
    imdsGoneBriefly(emulator, { forMs: 500 });
    const result = await run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.requests[0]).toMatchObject({ service: "imds", status: 410 });
    expect(result.stdout).toContain("(from instance metadata)");
  });

  it("IMDS 500 once, then 429 with Retry-After once", async () => {
    emulator.setFaults({
      imdsServerErrors: { count: 1 },
      imdsTooManyRequests: { count: 1, retryAfterSeconds: 1 },
    });
    const result = await run(subscription());
    expect(result.status, describeRun(result)).toBe(0);
    expect(statuses(tokenRequests(result.requests))).toEqual([429, 500, 200]);
  });

  it("ARM 429 with Retry-After once", async () => {
    emulator.setFaults({ armTooManyRequests: { count: 1, retryAfterSeconds: 1 } });
    const result = await run(subscription());
    expect(result.status, describeRun(result)).toBe(0);
    expect(statuses(result.requests.filter((e) => e.service === "arm"))).toEqual([429, 200]);
  });
});
