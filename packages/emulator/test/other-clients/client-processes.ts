// Runs clients other than the JS SDK (Debian's Azure CLI and Python Azure SDK) against an emulator the way a user
// does after `eval "$(pnpm emulator env)"`: child processes with the emulator's environment and an isolated CLI config.
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Emulator } from "../../src/index.ts";

/** Debian's python3: the one first on PATH may be a separate build that cannot see Debian's python3-azure. */
export const DEBIAN_PYTHON = "/usr/bin/python3";
export const OTHER_CLIENTS_DIR = import.meta.dirname;

/**
 * Variables that would make DefaultAzureCredential (Python) pick a service principal or workload identity instead of
 * managed identity; a developer's shell may have them, a VM usually does not.
 */
const CREDENTIAL_ENV = [
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PATH",
  "AZURE_TENANT_ID",
  "AZURE_USERNAME",
  "AZURE_PASSWORD",
  "AZURE_FEDERATED_TOKEN_FILE",
  "AZURE_AUTHORITY_HOST",
];

/**
 * The CLI's own settings for not calling Microsoft (telemetry upload, error recommendations): what a user behind a
 * proxy that reaches only Azure sets. Without them the CLI still works; its attempts are refused by the proxy.
 */
export const AZURE_CLI_QUIET_ENV = {
  AZURE_CORE_COLLECT_TELEMETRY: "false",
  AZURE_CORE_ERROR_RECOMMENDATION: "off",
  AZURE_CORE_NO_COLOR: "true",
};

export interface ClientResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Whether a test that needs `tool` must run: always in CI (CI=true), elsewhere only when it is installed. */
export function toolRequirement(tool: { name: string; installed: boolean; install: string }): {
  run: boolean;
  missing?: string;
} {
  if (tool.installed) return { run: true };
  if (process.env.CI === "true")
    return {
      run: true,
      missing: `${tool.name} is not installed, and CI must run these tests: ${tool.install}`,
    };
  return { run: false };
}

/** The Azure CLI on PATH (Debian's package installs /usr/bin/az), or undefined. */
export function findAzureCli(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, "az");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Whether Debian's python3 can import the Azure packages the tests use (python3-azure). */
export function pythonAzureInstalled(): boolean {
  const check = spawnSync(
    DEBIAN_PYTHON,
    ["-c", "import azure.identity, azure.mgmt.resource, azure.mgmt.storage, azure.keyvault.secrets"],
    { stdio: "ignore", timeout: 30_000 },
  );
  return check.status === 0;
}

/** Whether the Azure CLI tests of a file must run (see toolRequirement). */
export function azureCliRequirement(): { run: boolean; missing?: string } {
  return toolRequirement({
    name: "The Azure CLI (az)",
    installed: findAzureCli() !== undefined,
    install: "apt-get install azure-cli (.ci/run does this as root)",
  });
}

/**
 * A fresh AZURE_CONFIG_DIR, so the CLI never reads or writes the user's ~/.azure; its removal is pushed onto
 * `cleanups`. One per test file: the CLI's first command in a fresh one builds its command index (seconds), and every
 * script signs in again anyway, so emulators of one file can share it.
 */
export async function freshAzureConfigDir(cleanups: (() => Promise<void>)[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "msi-emulator-az-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The environment `az` runs in against `emulator`: quiet, with `configDir` as its AZURE_CONFIG_DIR. */
export function azureCliEnvironment(
  emulator: Emulator,
  configDir: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return emulatorEnvironment(emulator, { ...AZURE_CLI_QUIET_ENV, AZURE_CONFIG_DIR: configDir, ...extra });
}

/** The process environment with the emulator's variables set and the ones it unsets removed, as `exec` does. */
export function emulatorEnvironment(
  emulator: Emulator,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [...emulator.unsetEnv, ...CREDENTIAL_ENV]) delete env[name];
  return { ...env, ...emulator.env, PYTHONDONTWRITEBYTECODE: "1", ...extra };
}

/** Runs a command to completion (killed after `timeoutMs`, so a hung client fails the test instead of stalling it). */
export function runClient(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Fails with the client's own output, which says what went wrong far better than a status code. */
export function expectSuccess(result: ClientResult, what: string): void {
  if (result.status !== 0)
    throw new Error(
      `${what} exited with ${result.status}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
}
