// The state folder (MSI_EMULATOR_HOME, default ~/.msi-emulator): CA, token signing key, CA bundle, and the runtime
// file through which `emulator env`, `log` and `vm` find the running `start` (one per home).
import { mkdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { writeFileAtomically } from "./atomic-file.ts";
import { withDirectoryLock } from "./directory-lock.ts";

const RUNTIME_FILE = "runtime.json";
/** Held from a `start`'s check of runtime.json until it has written its own, so two starts cannot both pass. */
const RUNTIME_LOCK = "runtime.lock";
/** How long a running emulator's admin endpoint may take to confirm it is the one runtime.json names. */
const HEALTH_TIMEOUT_MS = 2000;

export function resolveHome(explicit?: string): string {
  const chosen = explicit ?? process.env.MSI_EMULATOR_HOME ?? path.join(os.homedir(), ".msi-emulator");
  return path.resolve(chosen);
}

/** Written by a foreground `emulator start`; read by `emulator env`, `log` and `vm`. */
export interface RuntimeInfo {
  pid: number;
  startedAt: string;
  proxyPort: number;
  proxyUrl: string;
  adminUrl: string;
  /** The admin endpoint's per-run token (changes need it); the file is readable by its owner only. */
  adminToken?: string;
  /** The dashboard page, when `start` serves it. */
  dashboardUrl?: string;
  caCertPath: string;
  caBundlePath: string;
  statePath?: string;
  scenario?: string;
  env: Record<string, string>;
  unsetEnv: string[];
}

export async function writeRuntimeInfo(home: string, info: RuntimeInfo): Promise<void> {
  // Owner-only: it holds the admin token.
  await writeFileAtomically(path.join(home, RUNTIME_FILE), `${JSON.stringify(info, null, 2)}\n`, 0o600);
}

export async function removeRuntimeInfo(home: string, pid: number): Promise<void> {
  const current = await readRuntimeInfo(home);
  if (current?.pid === pid) await rm(path.join(home, RUNTIME_FILE), { force: true });
}

/** The running instance's info, or undefined if none is recorded or its process is gone. */
export async function readRuntimeInfo(home: string): Promise<RuntimeInfo | undefined> {
  let info: RuntimeInfo;
  try {
    info = JSON.parse(await readFile(path.join(home, RUNTIME_FILE), "utf8")) as RuntimeInfo;
  } catch {
    return undefined;
  }
  try {
    process.kill(info.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return undefined;
  }
  return info;
}

/** A `start` found its home in use: runtime.json names an emulator that is still running. */
export class EmulatorAlreadyRunningError extends Error {
  constructor(home: string, running: RuntimeInfo) {
    super(
      `Another msi-emulator is already running with the home ${home} (pid ${running.pid}, proxy ${running.proxyUrl}). Stop it first (Ctrl+C where it runs, or \`kill ${running.pid}\`), or give this one another home: --home DIR or MSI_EMULATOR_HOME=DIR.`,
    );
    this.name = "EmulatorAlreadyRunningError";
  }
}

/**
 * Runs `start`, which records itself with writeRuntimeInfo, while no other `start` can claim `home`; refuses (before
 * `start` does anything) when runtime.json names an emulator that still runs, whose `env` and `log` would be lost.
 */
export async function claimHome<T>(home: string, start: () => Promise<T>): Promise<T> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  return withDirectoryLock(path.join(home, RUNTIME_LOCK), async () => {
    const running = await runningEmulator(home);
    if (running) throw new EmulatorAlreadyRunningError(home, running);
    return start();
  });
}

/**
 * The emulator runtime.json names, if it still runs. A dead pid means the file was left behind (the emulator was
 * killed); so does a live pid whose admin endpoint is gone or answers for another pid (the pid was reused, after a
 * reboot say). An admin endpoint that does not answer in time still counts as running (a suspended process, say).
 */
async function runningEmulator(home: string): Promise<RuntimeInfo | undefined> {
  const info = await readRuntimeInfo(home);
  if (!info) return undefined;
  try {
    const response = await fetch(`${info.adminUrl}/health`, {
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    const health = (await response.json()) as { pid?: unknown };
    return health.pid === info.pid ? info : undefined;
  } catch (error) {
    return (error as Error).name === "TimeoutError" ? info : undefined;
  }
}
