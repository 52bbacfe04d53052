// IMDS answering 500 once, or 429 and then 500 on the instance metadata request, is retried: the deployment
// succeeds and the sample exits 0.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import { tokenRequests } from "../../../scripts/lib/request-tally.ts";
import { describeRun, sampleRunner } from "../../../scripts/test/support/sample-end-to-end.ts";

describe("deploy-arm-template recovers from transient IMDS faults", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("deploy-arm-template", emulator);
  });
  afterEach(() => emulator.setFaults({}));
  afterAll(() => emulator.stop());

  it("IMDS 500 once on the token request", async () => {
    emulator.setFaults({ imdsServerErrors: { count: 1 } });
    const { vm } = emulator.scenario;
    const result = await run(["--subscription-id", vm.subscriptionId, "--location", vm.location]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequests(result.requests).map((e) => e.status)).toEqual([500, 200]);
  });

  it("IMDS 429 with Retry-After, then 500, on the instance metadata request", async () => {
    emulator.setFaults({
      imdsTooManyRequests: { count: 1, retryAfterSeconds: 1 },
      imdsServerErrors: { count: 1 },
    });
    const result = await run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.requests.slice(0, 3).map((e) => e.status)).toEqual([429, 500, 200]);
    expect(result.stdout).toContain("Deployment '");
  });
});
