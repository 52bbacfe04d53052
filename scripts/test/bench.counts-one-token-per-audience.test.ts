// `pnpm bench --runs 1 --sample list-resource-groups --json` runs, and its request counts hold: one IMDS token for
// the one audience, one ARM request as in the original. Nothing here judges speed.

import { REPO_ROOT, runNode } from "@msi-samples/sample-runner";
import { describe, expect, it } from "vitest";

const noEmulator = { env: {}, unsetEnv: [] };

interface BenchDocument {
  ok: boolean;
  runs: number;
  machine: { node: string; vcpus: number };
  samples: {
    sample: string;
    runs: { status: number; durationMs: number; floorMs: number }[];
    imdsTokens: string;
    audiences: string[];
    arm: string;
    keyVault: string;
    original: { arm: number; keyVault: number };
    problems: string[];
  }[];
  problems: string[];
}

describe("pnpm bench", () => {
  it("measures list-resource-groups once and finds one token request for its one audience", async () => {
    const args = ["--runs", "1", "--sample", "list-resource-groups", "--json"];
    const run = await runNode(REPO_ROOT, ["scripts/bench.ts"], args, noEmulator, { timeoutMs: 90_000 });
    expect(run.status, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as BenchDocument;
    expect(document).toMatchObject({ ok: true, runs: 1, problems: [] });
    expect(document.samples).toHaveLength(1);
    const [result] = document.samples;
    expect(result).toMatchObject({
      sample: "list-resource-groups",
      imdsTokens: "1",
      audiences: ["https://management.azure.com"],
      arm: "1",
      keyVault: "0",
      original: { arm: 1, keyVault: 0 },
    });
    expect(result?.runs).toHaveLength(1);
    expect(result?.runs[0]?.status).toBe(0);
    expect(result?.runs[0]?.floorMs).toBeGreaterThan(0);
  });

  it("refuses an unknown sample with exit 2", async () => {
    const run = await runNode(REPO_ROOT, ["scripts/bench.ts"], ["--sample", "hello-world"], noEmulator);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain("Unknown --sample hello-world");
  });
});
