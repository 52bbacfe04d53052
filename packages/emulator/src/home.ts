// The state folder (MSI_EMULATOR_HOME, default ~/.msi-emulator): CA, token signing key, CA bundle, and the runtime
// file through which `emulator env` and `emulator log` find the running instance.
import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { writeFileAtomically } from "./state/atomic-file.ts";

export const RUNTIME_FILE = "runtime.json";

export function resolveHome(explicit?: string): string {
  const chosen = explicit ?? process.env.MSI_EMULATOR_HOME ?? path.join(os.homedir(), ".msi-emulator");
  return path.resolve(chosen);
}

/** Written by a foreground `emulator start`; read by `emulator env` and `emulator log`. */
export interface RuntimeInfo {
  pid: number;
  startedAt: string;
  proxyPort: number;
  proxyUrl: string;
  adminUrl: string;
  caCertPath: string;
  caBundlePath: string;
  statePath?: string;
  scenario?: string;
  env: Record<string, string>;
  unsetEnv: string[];
}

export async function writeRuntimeInfo(home: string, info: RuntimeInfo): Promise<void> {
  await writeFileAtomically(path.join(home, RUNTIME_FILE), `${JSON.stringify(info, null, 2)}\n`);
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
