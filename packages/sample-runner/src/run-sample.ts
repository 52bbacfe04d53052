// Runs a sample as a user would (`node src/index.ts <flags>` in its folder: Node's own TypeScript support) with the
// environment of a running emulator: the one way the tests, `pnpm demo` and `pnpm bench` start samples.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

export const SAMPLE_NAMES = [
  "deploy-arm-template",
  "keyvault-and-resource-groups",
  "list-resource-groups",
  "user-assigned-identity",
  "create-delete-key-vault",
] as const;
export type SampleName = (typeof SAMPLE_NAMES)[number];

/** What a run needs from an emulator: the variables to set and those to remove (`Emulator` from the emulator package). */
export interface EmulatorEnvironment {
  env: Record<string, string>;
  unsetEnv: readonly string[];
}

/**
 * The samples' own settings (each README's settings table). Taken from the caller's shell they would point a sample
 * at a real subscription or vault, or change its identity, so a run against the emulator starts without them.
 */
export const SAMPLE_SETTING_VARIABLES = [
  "AZURE_SUBSCRIPTION_ID",
  "AZURE_CLIENT_ID",
  "AZURE_MANAGED_IDENTITY_OBJECT_ID",
  "AZURE_MANAGED_IDENTITY_RESOURCE_ID",
  "AZURE_MANAGED_IDENTITY_TIMEOUT_MS",
  "AZURE_LOCATION",
  "RESOURCE_GROUP_NAME",
  "KEY_VAULT_NAME",
  "KEY_VAULT_SECRET_NAME",
  "MSI_SAMPLES_VERBOSE",
  "DEBUG",
] as const;

export interface RunSampleOptions {
  /** Added after the emulator's variables; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /** Each line of output as it arrives (the demo streams them). */
  onLine?: (stream: "stdout" | "stderr", line: string) => void;
  /** The run is stopped (SIGTERM, then SIGKILL) after this long; default 60 s. */
  timeoutMs?: number;
}

export interface SampleRun {
  sample: SampleName;
  args: readonly string[];
  /** Exit code; null when a signal ended the process. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, as a user would measure it with `time`. */
  durationMs: number;
  timedOut: boolean;
}

export function sampleDirectory(sample: SampleName): string {
  return path.join(REPO_ROOT, "samples", sample);
}

/** The caller's environment, pointed at the emulator: its variables set, conflicting and sample settings removed. */
export function emulatorEnvironment(
  emulator: EmulatorEnvironment,
  overrides: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...emulator.env };
  for (const name of [...emulator.unsetEnv, ...SAMPLE_SETTING_VARIABLES]) delete env[name];
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Runs `node <nodeArgs> <args>` in `directory` against the emulator; stdin is closed, so nothing can prompt. */
export function runNode(
  directory: string,
  nodeArgs: readonly string[],
  args: readonly string[],
  emulator: EmulatorEnvironment,
  options: RunSampleOptions = {},
): Promise<Omit<SampleRun, "sample">> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: directory,
    env: emulatorEnvironment(emulator, options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  for (const stream of ["stdout", "stderr"] as const) {
    const readable = child[stream];
    readable.setEncoding("utf8");
    readable.on("data", (chunk: string) => {
      output[stream] += chunk;
    });
    if (options.onLine) {
      const onLine = options.onLine;
      createInterface({ input: readable, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) =>
        onLine(stream, line),
      );
    }
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
  }, options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({
        args,
        status,
        signal,
        stdout: output.stdout,
        stderr: output.stderr,
        durationMs: performance.now() - started,
        timedOut,
      });
    });
  });
}

/** The Node.js arguments of a sample's `start` script (`node <these>`), e.g. `--import … src/index.ts`. */
export function startScriptNodeArgs(sample: SampleName): string[] {
  const manifest = JSON.parse(readFileSync(path.join(sampleDirectory(sample), "package.json"), "utf8")) as {
    scripts?: { start?: string };
  };
  const [command, ...nodeArgs] = (manifest.scripts?.start ?? "").trim().split(/\s+/);
  if (command !== "node")
    throw new Error(`samples/${sample}: its start script does not run node: ${command}`);
  return nodeArgs;
}

/** Runs the sample's `start` command (`node … src/index.ts <args>`) in samples/<sample> against the emulator. */
export async function runSample(
  sample: SampleName,
  args: readonly string[],
  emulator: EmulatorEnvironment,
  options: RunSampleOptions = {},
): Promise<SampleRun> {
  const run = await runNode(sampleDirectory(sample), startScriptNodeArgs(sample), args, emulator, options);
  return { sample, ...run };
}
