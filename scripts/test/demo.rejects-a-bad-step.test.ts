// `pnpm demo` checks its flags before starting anything: a step that does not exist exits 2 and says which exist;
// --help lists the steps and exits 0.

import { REPO_ROOT, runNode } from "@msi-samples/sample-runner";
import { describe, expect, it } from "vitest";

const noEmulator = { env: {}, unsetEnv: [] };

describe("pnpm demo's command line", () => {
  it("--step 9: exit 2, naming the steps that exist", async () => {
    const run = await runNode(REPO_ROOT, ["scripts/demo.ts"], ["--step", "9"], noEmulator);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain("--step must be a number from 1 to 5, not '9'.");
    expect(run.stdout).toBe("");
  });

  it("--help: the steps and what each ports, exit 0", async () => {
    const run = await runNode(REPO_ROOT, ["scripts/demo.ts"], ["--help"], noEmulator);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("Usage: npx --yes pnpm@12.21.0 demo [--step N]");
    expect(run.stdout).toMatch(
      /5 {2}create-delete-key-vault +ports Azure-Samples\/resources-ruby-manage-resources-with-msi \(Ruby\)/,
    );
  });
});
