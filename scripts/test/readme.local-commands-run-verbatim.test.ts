// The README's local commands work as printed for someone who did only the Quick start: every ```bash block marked
// `<!-- local -->` runs verbatim, in order, in one shell, in a clean clone with only Node.js and npm on PATH (no
// pnpm, no tsx). A block marked `<!-- local background -->` is what the README runs in a terminal of its own (the
// emulator's `start`): it runs in the background until the end, and the next blocks start once it is listening.
// Needs the npm registry (the clone installs its packages, and npx fetches the pinned pnpm).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "@msi-samples/sample-runner";
import { afterAll, describe, expect, it } from "vitest";

interface ReadmeBlock {
  background: boolean;
  code: string;
}

/** The bash blocks right after a `<!-- local -->` or `<!-- local background -->` marker, in order. */
function localBlocks(readme: string): ReadmeBlock[] {
  const pattern = /<!-- local( background)? -->\n```bash\n([\s\S]*?)```/g;
  return [...readme.matchAll(pattern)].map((match) => ({
    background: Boolean(match[1]),
    code: match[2] ?? "",
  }));
}

/** One bash script: the blocks in order; a background block's output goes to a file the script waits on. */
function scriptOf(blocks: readonly ReadmeBlock[]): string {
  const lines = ["set -euo pipefail", "! command -v pnpm && ! command -v tsx   # only Node.js and npm"];
  blocks.forEach((block, index) => {
    lines.push(`echo "### README block ${index + 1} at $SECONDS s"`);
    if (!block.background) {
      lines.push(block.code);
      return;
    }
    const log = `"$README_LOGS/background-${index + 1}.log"`;
    lines.push(`( ${block.code.trim()} ) > ${log} 2>&1 &`);
    lines.push(`for _ in $(seq 1 600); do grep -q 'Requests:' ${log} && break; sleep 0.5; done`);
    lines.push(`grep -q 'Requests:' ${log} || { cat ${log}; exit 1; }`);
  });
  return `${lines.join("\n")}\n`;
}

function trustOfTheOuterShell(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
    if (process.env[name]) env[name] = process.env[name];
  if (process.env.OUTER_NODE_EXTRA_CA_CERTS) env.NODE_EXTRA_CA_CERTS = process.env.OUTER_NODE_EXTRA_CA_CERTS;
  return env;
}

describe("the README's local commands", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "readme-local-"));
  let group: number | undefined;
  afterAll(() => {
    if (group) {
      try {
        process.kill(-group, "SIGTERM");
      } catch {
        // Already gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("are marked: the Quick start, a sample run locally, and the emulator kept running", () => {
    const blocks = localBlocks(readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"));
    expect(blocks.map((block) => block.background)).toEqual([false, false, true, false]);
    expect(blocks[0]?.code).toContain("npx --yes pnpm@12.21.0 install && npx --yes pnpm@12.21.0 demo");
  });

  it("run verbatim in a clean clone with only Node.js and npm", async () => {
    const clone = path.join(dir, "clone");
    execFileSync("git", ["clone", "--quiet", REPO_ROOT, clone]);
    // The README of the commit under test (a clone has only what is committed).
    const blocks = localBlocks(readFileSync(path.join(clone, "README.md"), "utf8"));
    const bin = path.join(dir, "bin");
    mkdirSync(bin);
    const which = (name: string) =>
      execFileSync("bash", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    symlinkSync(process.execPath, path.join(bin, "node"));
    for (const name of ["npm", "npx"]) symlinkSync(which(name), path.join(bin, name));
    const logs = path.join(dir, "logs");
    mkdirSync(logs);
    const script = path.join(dir, "readme.sh");
    writeFileSync(script, scriptOf(blocks));

    const child = spawn("bash", [script], {
      cwd: clone,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: `${bin}:/usr/bin:/bin`,
        HOME: process.env.HOME ?? os.homedir(),
        LANG: process.env.LANG ?? "C.UTF-8",
        MSI_EMULATOR_HOME: path.join(dir, "emulator-home"),
        // The trust this machine's own shell has (a corporate or sandbox CA npm may need; vitest's setup replaced it).
        ...trustOfTheOuterShell(),
        README_LOGS: logs,
      },
    });
    group = child.pid;
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const status = await new Promise<number | null>((resolve) => child.once("exit", resolve));

    expect(status, output.slice(-6000)).toBe(0);
    expect(output).toContain("All 5 samples succeeded against the emulator.");
    // The sample's --json output, then the same sample against the running emulator and that emulator's log.
    expect(output).toMatch(/"name": "rg-msi-samples"/);
    expect(output).toMatch(/arm\s+GET\s+200 management\.azure\.com\/subscriptions\/[^ ]+\/resourcegroups/i);
    expect(output).toContain("to undo: eval");
  }, 900_000);
});
