// Runs a TypeScript script of test/fixtures in its own Node.js process, the honest way to test what the Azure SDK
// decides once per process (IMDS address, token cache) and what a sample does on exit.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface ScriptRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the script had to be killed because it did not end by itself. */
  killed: boolean;
}

export interface ScriptOptions {
  args?: string[];
  /** Added to a clean environment (no proxy, identity or debug variables inherited from the test run). */
  env?: Record<string, string | undefined>;
  /** Kill the script if it has not ended after this long; a script that ends by itself never gets near it. */
  killAfterMs?: number;
  /** Called with each chunk of stdout, with the child, e.g. to send it a signal once it is ready. */
  onStdout?: (chunk: string, child: { kill: (signal: NodeJS.Signals) => void }) => void;
  /** The folder of the script; default this package's test/fixtures. */
  fixtures?: URL;
}

const inheritedNamesToDrop =
  /^(https?_proxy|all_proxy|no_proxy|AZURE_.*|IDENTITY_.*|IMDS_ENDPOINT|MSI_.*|DEBUG|MSI_SAMPLES_.*|NODE_OPTIONS|VITEST.*)$/i;

export function fixturePath(name: string, fixtures: URL = new URL("../fixtures/", import.meta.url)): string {
  return fileURLToPath(new URL(name, fixtures));
}

export function runScript(name: string, options: ScriptOptions = {}): Promise<ScriptRun> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !inheritedNamesToDrop.test(key)) env[key] = value;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value !== undefined) env[key] = value;
  }
  // Never let a script reach the real IMDS address by accident.
  env.AZURE_POD_IDENTITY_AUTHORITY_HOST ??= "http://127.0.0.1:1";

  const child = spawn(process.execPath, [fixturePath(name, options.fixtures), ...(options.args ?? [])], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let killed = false;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    options.onStdout?.(chunk, { kill: (signal) => child.kill(signal) });
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const killer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, options.killAfterMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode, signal) => {
      clearTimeout(killer);
      resolve({ exitCode, signal, stdout, stderr, killed });
    });
  });
}

/** The JSON report a fixture prints as its last line of stdout. */
export function reportOf<T>(run: ScriptRun): T {
  const lines = run.stdout.trim().split("\n");
  try {
    return JSON.parse(lines.at(-1) ?? "") as T;
  } catch {
    throw new Error(`The script printed no report.\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
}
