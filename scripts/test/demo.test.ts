// `pnpm demo` as a user runs it: it checks its flags before starting anything (a step that does not exist exits 2 and
// says which exist; --help lists the steps and exits 0), and `--step 3` runs one emulator, the step's heading (what it
// ports, what happens), the sample's own output streamed, and the summary table; exit 0.

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

describe("pnpm demo --step 3", () => {
  it("walks through list-resource-groups and exits 0", async () => {
    const run = await runNode(REPO_ROOT, ["scripts/demo.ts"], ["--step", "3"], noEmulator, {
      timeoutMs: 90_000,
    });
    const output = `${run.stdout}\n--- stderr\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(run.stdout).toContain("Step 3 of 5: List resource groups  (samples/list-resource-groups)");
    expect(run.stdout).toContain(
      'Ports "Manage resources using Managed Service Identity" (Node.js, https://github.com/Azure-Samples/resources-node-manage-resources-with-msi).',
    );
    // The sample's own lines, indented, and what it did behind the scenes.
    expect(run.stdout).toContain("  │ Signed in as the system-assigned identity of VM 'vm-msi-samples'");
    expect(run.stdout).toMatch(/ {2}│ rg-msi-samples\s+westus2\s+Succeeded/);
    expect(run.stdout).toContain("1 IMDS token request(s) (management.azure.com)");
    expect(run.stdout).toMatch(
      /\| 3 +\| list-resource-groups +\| Node\.js, resources-node-manage-resources-with-msi +\| ok +\|/,
    );
    expect(run.stdout).not.toContain("Step 1 of 5");
  });
});
