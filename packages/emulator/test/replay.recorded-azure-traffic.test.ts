// The conformance suite: requests recorded by the Azure SDK for JS live tests against real Azure (kept in
// test/replay/recordings, sources in its README) are replayed against the emulator, and every difference in status,
// headers that matter and response JSON must be one of the known differences below, each with its reason. The pass
// rate per service (entries answered exactly as Azure did) is printed and kept in the emulator README.
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.ts";
import { SUBSCRIPTION_ID, SYSTEM_PRINCIPAL_ID, TENANT_ID } from "./default-scenario.ts";
import { KNOWN_DIFFERENCES } from "./replay/known-differences.ts";
import {
  createReplayVault,
  type EntryResult,
  RECORDINGS_DIR,
  type ReplayWorld,
  replayRecording,
} from "./replay/replay-harness.ts";

const WORLD: ReplayWorld = { subscriptionId: SUBSCRIPTION_ID, tenantId: TENANT_ID, vaultName: "kv-replay" };
const RECORDINGS = readdirSync(RECORDINGS_DIR)
  .filter((file) => file.endsWith(".json"))
  .sort();

describe("replaying Azure's recorded traffic", () => {
  let emulator: Emulator;
  const results: EntryResult[] = [];

  beforeAll(async () => {
    emulator = await startEmulator();
    await createReplayVault(emulator, WORLD, SYSTEM_PRINCIPAL_ID);
    for (const file of RECORDINGS) results.push(...(await replayRecording(emulator, file, WORLD)));
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it("answers every recorded request as Azure did, apart from the known differences", () => {
    const unexplained = results.flatMap((result) =>
      result.mismatches
        .filter((m) => !KNOWN_DIFFERENCES.some((k) => k.entry === result.entry && k.mismatch === m))
        .map((m) => `${result.entry} (${result.request}): ${m}`),
    );
    expect(unexplained).toEqual([]);
  });

  it("still shows every known difference (a fixed one leaves the list)", () => {
    const stale = KNOWN_DIFFERENCES.filter(
      (known) => !results.some((r) => r.entry === known.entry && r.mismatches.includes(known.mismatch)),
    ).map((known) => `${known.entry}: ${known.mismatch}`);
    expect(stale).toEqual([]);
  });

  it("reports the pass rate per service", () => {
    const services = [...new Set(results.map((r) => r.service))].sort();
    const rates = services.map((service) => {
      const entries = results.filter((r) => r.service === service);
      const passed = entries.filter((r) => r.mismatches.length === 0).length;
      return `${service}: ${passed}/${entries.length}`;
    });
    console.log(`Replay pass rate (entries answered exactly as Azure did):\n  ${rates.join("\n  ")}`);
    expect(results.length).toBeGreaterThan(0);
  });
});
