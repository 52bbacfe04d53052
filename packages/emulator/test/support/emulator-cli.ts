// Runs the CLI from the repo root for end-to-end tests, as `node packages/emulator/src/cli/msi-emulator.ts ...`: Node's
// own type stripping runs the TypeScript (half a second sooner than tsx's loader), and the child's PID is the
// emulator's own, so kill -9 hits it.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../../..");
const CLI = "packages/emulator/src/cli/msi-emulator.ts";
/** The CLI as a shell command line (for `eval "$(... env)"` in bash). */
export const CLI_COMMAND = `"${process.execPath}" ${CLI}`;

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs the CLI to completion. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c) => (stdout += c));
    child.stderr?.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Resolves with the first match of `pattern` in the child's stdout (e.g. the proxy port once it is listening). */
export function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
    });
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        child.stdout?.off("data", onData);
        resolve(match);
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`CLI exited (${code}) before printing ${pattern}:\n${seen}`)),
    );
  });
}
