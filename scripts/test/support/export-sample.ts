// Shared by the export-sample tests: running the exporter, npm and the exported samples as a user would, and the
// sample runs to check.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Emulator } from "@msi-samples/emulator";
import { REPO_ROOT, SAMPLE_NAMES, type SampleName } from "@msi-samples/sample-runner";

export { REPO_ROOT, SAMPLE_NAMES, type SampleName };

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after `timeoutMs`), collecting its output. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** `pnpm export-sample ...` as the root script runs it: `node scripts/export-sample.ts` from the repository root. */
export function runExportSample(args: readonly string[]): Promise<RunResult> {
  return run(process.execPath, ["scripts/export-sample.ts", ...args], {
    cwd: REPO_ROOT,
    env: withoutOuterPackageManager(process.env),
  });
}

/**
 * The environment minus what an outer `pnpm test` exports for its own scripts (npm_config_*, npm_lifecycle_*...),
 * which the npm of an exported sample would otherwise read as its configuration; and no update check, since the
 * samples run behind the emulator's proxy.
 */
export function withoutOuterPackageManager(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(env).filter(([name]) => !/^(npm|pnpm)_/i.test(name) && name !== "INIT_CWD"),
  );
  return { ...clean, npm_config_update_notifier: "false" };
}

/** Debian's bundle of the machine's trusted CAs (where a TLS-inspecting network's own CA is installed, too). */
const SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

function npmInstallEnvironment(): NodeJS.ProcessEnv {
  const env = withoutOuterPackageManager(process.env);
  if (existsSync(SYSTEM_CA_BUNDLE)) env.NODE_EXTRA_CA_CERTS = SYSTEM_CA_BUNDLE;
  else delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

const NPM_INSTALL = ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

/**
 * What the README tells users to run, with one npm cache for every export (the user's default one). The test
 * setup points NODE_EXTRA_CA_CERTS at the emulator's CA, which is no use to npm: npm gets the machine's own trust.
 */
export function npmInstall(dir: string): Promise<RunResult> {
  return run("npm", NPM_INSTALL, { cwd: dir, env: npmInstallEnvironment(), timeoutMs: 240_000 });
}

/**
 * One `npm install` for several exports, each a folder of `dir`: an npm workspace with the linked install strategy,
 * so every package is unpacked once (five separate installs unpack the same 100 MB five times) and each export's
 * node_modules holds links to its own dependencies only. An import the export's package.json does not declare
 * fails here as it would after its own `npm install` (stricter, in fact: nothing is hoisted).
 */
export async function npmInstallLinkedWorkspace(dir: string, folders: readonly string[]): Promise<RunResult> {
  const root = { private: true, workspaces: folders };
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify(root, null, 2)}\n`);
  return run("npm", [...NPM_INSTALL, "--install-strategy=linked"], {
    cwd: dir,
    env: npmInstallEnvironment(),
    timeoutMs: 240_000,
  });
}

/** The environment of a program run against `emulator`, as `emulator exec` builds it. */
export function emulatedEnvironment(emulator: Emulator): NodeJS.ProcessEnv {
  const env = { ...withoutOuterPackageManager(process.env), ...emulator.env };
  for (const name of emulator.unsetEnv) delete env[name];
  return env;
}

/** What ran, for an assertion message that shows why a run failed. */
export function describeRun(result: RunResult): string {
  return `exit ${result.status}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

// Names and IDs of shared/scenarios/default.json.
export const SUBSCRIPTION_ID = "3f8a2c6e-91d4-4b7a-8e25-6c0d9b1f4a37";
const RESOURCE_GROUP = "rg-msi-samples";
const VAULT_NAME = "kv-msi-samples";
const USER_ASSIGNED_CLIENT_ID = "5d8b2f6a-3e1c-4b97-a6d0-8f2c4e9a1b73";

export interface SampleRun {
  sample: SampleName;
  args: string[];
  /** Lines (or patterns) the run must print, on stdout or stderr. */
  prints: (string | RegExp)[];
}

/** One successful run of each sample against the default scenario, with the lines that show it did its job. */
export const SAMPLE_RUNS: Record<SampleName, SampleRun> = {
  "list-resource-groups": {
    sample: "list-resource-groups",
    args: [],
    prints: [
      "Signed in as the system-assigned identity of VM 'vm-msi-samples'",
      `Subscription ${SUBSCRIPTION_ID} (from instance metadata): 3 resource group(s)`,
      /^rg-msi-samples\s+westus2\s+Succeeded$/m,
      /^rg-workshop-data\s+eastus\s+Succeeded$/m,
    ],
  },
  "user-assigned-identity": {
    sample: "user-assigned-identity",
    args: ["--client-id", USER_ASSIGNED_CLIENT_ID],
    prints: [
      `Using the user-assigned identity with client ID ${USER_ASSIGNED_CLIENT_ID}.`,
      "Signed in as user-assigned identity 'id-msi-samples'",
      `Using subscription ${SUBSCRIPTION_ID} (the only subscription the identity can see).`,
      "3 resource group(s):",
      "  rg-workshop-network (westus2)",
    ],
  },
  "keyvault-and-resource-groups": {
    sample: "keyvault-and-resource-groups",
    args: ["--vault-name", VAULT_NAME, "--secret-name", "sample-secret", "--show-secret"],
    prints: [
      `Secret 'sample-secret' from https://${VAULT_NAME}.vault.azure.net`,
      "Hello from Key Vault: the VM's managed identity read this secret.",
      `Resource groups in subscription ${SUBSCRIPTION_ID} (from instance metadata):`,
      "  rg-msi-samples (westus2)",
    ],
  },
  "deploy-arm-template": {
    sample: "deploy-arm-template",
    args: ["--resource-group", "rg-export-test", "--deployment-name", "export-test"],
    prints: [
      "Creating resource group 'rg-export-test' in 'westus2'...",
      "Deploying template/azuredeploy.json as 'export-test' in 'rg-export-test' (Incremental mode)...",
      "Deployment 'export-test': Succeeded",
      /^Storage account '[a-z0-9]{3,24}' /m,
    ],
  },
  "create-delete-key-vault": {
    sample: "create-delete-key-vault",
    args: ["--yes", "--vault-name", "kv-export-test"],
    prints: [
      `Creating Key Vault 'kv-export-test' in resource group '${RESOURCE_GROUP}' (westus2)...`,
      /^Created \/subscriptions\/[^ ]+\/providers\/Microsoft\.KeyVault\/vaults\/kv-export-test$/im,
      "Deleting Key Vault 'kv-export-test'...",
      "Deleted.",
    ],
  },
};

/** The output of a run contains every expected line. */
export function missingLines(result: RunResult, expected: readonly (string | RegExp)[]): (string | RegExp)[] {
  const output = `${result.stdout}\n${result.stderr}`;
  return expected.filter((line) => (typeof line === "string" ? !output.includes(line) : !line.test(output)));
}

/** Runs `task` over `items`, at most `limit` at a time (the CI machine has two cores). */
export async function inBatches<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
