// The `msi-emulator` command (the `emulator` script at the repository root, or the packed package's bin): start, env,
// exec, log, vm, schema.
import { spawn } from "node:child_process";
import process from "node:process";
import { Command, InvalidArgumentError, Option } from "commander";
import { CONFLICTING_ENV, formatEnvironment } from "../clients/client-environment.ts";
import type { Emulator, StartEmulatorOptions } from "../emulator.ts";
import {
  EmulatorAlreadyRunningError,
  type RuntimeInfo,
  readRuntimeInfo,
  resolveHome,
} from "../files/emulator-home.ts";
import { VIRTUAL_MACHINE_ID } from "../identifiers.ts";
import type { RequestLogEntry } from "../log/request-log.ts";
import type { CurrentVm } from "../state/current-vm.ts";
import { cliCommand } from "./cli-invocation.ts";
import { keepServingThroughUncaughtErrors } from "./process-guard.ts";
import { shellEnvironment, TrustFileError, undoShellEnvironment } from "./shell-environment.ts";

const program = new Command()
  .name("msi-emulator")
  .description(
    "A local Azure VM for managed identity: IMDS, Resource Manager and Key Vault behind a TLS-intercepting proxy.",
  )
  .enablePositionalOptions()
  .showHelpAfterError()
  .addHelpText(
    "after",
    () => `
Examples:
  ${cliCommand()} start
      run one in this terminal; then, in another:
  eval "$(${cliCommand({ quiet: true })} env)"
      point that shell's programs at it (Azure's hosts go to the emulator, other hosts are tunnelled through)
  eval "$(${cliCommand({ quiet: true })} env --unset)"
      undo that
  ${cliCommand()} log --follow
      watch the requests it answers
  ${cliCommand()} exec -- node app.js
      run one command against an emulator of its own

More: the emulator's README.md`,
  );

const DEFAULT_HOME = "$MSI_EMULATOR_HOME or ~/.msi-emulator";

// Options several commands share, written once so that their help reads the same everywhere.
const scenarioOption = () =>
  new Option("--scenario <file>", "scenario file (default: shared/scenarios/default.json)");
const stateOption = () =>
  new Option(
    "--state <file>",
    "keep the world in this file: loaded if it exists (the scenario is then ignored), every change on disk before it is acknowledged",
  );
const latencyOption = () =>
  new Option(
    "--latency <mode>",
    "long-running operations: instant (tests) or realistic (demos); default: the scenario's, else instant",
  ).choices(["instant", "realistic"]);
const vmOption = () =>
  new Option(
    "--vm <resourceId>",
    "a VM resource IMDS answers as (its metadata and identities) whenever it exists, e.g. once a deployment created it",
  ).argParser(parseVmResourceId);
const shellOption = (what: string) =>
  new Option("--shell <shell>", what).choices(["bash", "powershell", "pwsh"]).default("bash");
const runningHomeOption = () =>
  new Option("--home <dir>", `state folder of the running \`start\` (default: ${DEFAULT_HOME})`);
const strictOption = () =>
  new Option(
    "--strict",
    "refuse every host it does not emulate (default: tunnel hosts that are not Azure's straight through); also MSI_EMULATOR_STRICT=1",
  );

program
  .command("start")
  .description(
    "run the emulator in the foreground; prints its endpoints and the environment to use, then each request",
  )
  .addOption(scenarioOption())
  .option("--port <n>", "proxy port on 127.0.0.1 (default: a free one)", parsePort)
  .option("--admin-port <n>", "admin endpoint port on 127.0.0.1 (default: a free one)", parsePort)
  .addOption(stateOption())
  .option(
    "--home <dir>",
    `state folder: the CA, the token signing key, and runtime.json, which env, log and vm read; one running start per home (default: ${DEFAULT_HOME})`,
  )
  .addOption(latencyOption())
  .addOption(vmOption())
  .addOption(shellOption("syntax of the printed environment"))
  .addOption(strictOption())
  .option("--no-dashboard", "do not serve the workshop dashboard page")
  .action(
    async (options: {
      dashboard: boolean;
      scenario?: string;
      port?: number;
      adminPort?: number;
      state?: string;
      home?: string;
      latency?: "instant" | "realistic";
      vm?: string;
      shell: ShellChoice;
      strict?: boolean;
    }) => {
      keepServingThroughUncaughtErrors();
      const emulator = await startEmulator({
        ...(options.scenario ? { scenario: options.scenario } : {}),
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(options.adminPort !== undefined ? { adminPort: options.adminPort } : {}),
        ...(options.state ? { statePath: options.state } : {}),
        ...(options.home ? { home: options.home } : {}),
        ...(options.latency ? { latency: options.latency } : {}),
        ...(options.vm ? { currentVm: options.vm } : {}),
        foreignHosts: foreignHostPolicy(options.strict),
        dashboard: options.dashboard,
        writeRuntimeFile: true,
      });
      const out = process.stdout;
      out.write(
        `msi-emulator is running (pid ${process.pid}), scenario '${emulator.scenario.name ?? "unnamed"}'\n`,
      );
      out.write(
        `  proxy:  ${emulator.proxyUrl}  (IMDS at http://169.254.169.254, ARM at https://management.azure.com)\n`,
      );
      out.write(
        `  admin:  ${emulator.adminUrl}  (GET /requests, GET|PUT|DELETE /faults, GET|PUT|DELETE /vm, GET /state)\n`,
      );
      if (emulator.dashboardUrl) out.write(`  dashboard: ${emulator.dashboardUrl}  (open it in a browser)\n`);
      out.write(`  VM:     ${describeVm(emulator.world.currentVm, emulator.world.currentVmChoice)}\n`);
      out.write(`  CA:     ${emulator.caCertPath}\n`);
      if (emulator.statePath) out.write(`  state:  ${emulator.statePath}\n`);
      out.write(
        `  other hosts: ${foreignHostPolicy(options.strict) === "tunnel" ? "Azure's refused, the rest tunnelled through untouched" : "all refused (strict)"}\n`,
      );
      out.write(
        `\nIn another terminal: ${envCommand(shellOf(options.shell))}\nor run programs with this environment:\n\n`,
      );
      const shellEnv = await shellEnvironment({ ...emulatorEnvironmentOf(emulator), userEnv: process.env });
      out.write(formatEnvironment(shellEnv.set, shellEnv.unset, shellOf(options.shell)));
      out.write("\nRequests:\n");
      emulator.onRequest((entry) => out.write(`${formatEntry(entry)}\n`));
      const stop = async () => {
        await emulator.stop();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    },
  );

program
  .command("env")
  .description(
    "print the environment that points programs at the running `start` (to eval in a shell), or with --unset its undo",
  )
  .addOption(shellOption("syntax: bash (export) or powershell ($env:)"))
  .option("--unset", "print the commands that put the shell back as it was before `env`")
  .addOption(runningHomeOption())
  .action(async (options: { shell: ShellChoice; home?: string; unset?: boolean }) => {
    const shell = shellOf(options.shell);
    if (options.unset) {
      const undo = undoShellEnvironment(process.env, CONFLICTING_ENV);
      if (undo.unset.length === 0)
        process.stderr.write("msi-emulator: this shell has no emulator environment to undo.\n");
      process.stdout.write(formatEnvironment(undo.set, undo.unset, shell));
      return;
    }
    const home = resolveHome(options.home);
    const info = await readRuntimeInfo(home);
    if (!info)
      fail(
        noEmulatorFound(
          home,
          `Start one with \`${cliCommand()} start\` (or use \`${cliCommand()} exec -- COMMAND\`).`,
        ),
      );
    const shellEnv = await shellEnvironment({
      ...emulatorEnvironmentOf({ ...info, home }),
      userEnv: process.env,
    });
    const undo = undoCommand(shell);
    process.stdout.write(
      `# msi-emulator at ${info.proxyUrl}: Azure's hosts go to the emulator, other hosts are tunnelled through. Undo: ${undo}\n`,
    );
    process.stdout.write(formatEnvironment(shellEnv.set, shellEnv.unset, shell));
    process.stderr.write(
      `msi-emulator: this shell's programs now use the emulator at ${info.proxyUrl}; to undo: ${undo}\n`,
    );
  });

program
  .command("exec")
  .description(
    "start an emulator on free ports, run COMMAND with its environment, stop it, exit with COMMAND's status",
  )
  .argument("<command...>", "the command and its arguments (put them after --)")
  .addOption(scenarioOption())
  .addOption(stateOption())
  .option("--home <dir>", `state folder for the CA and the token signing key (default: ${DEFAULT_HOME})`)
  .addOption(latencyOption())
  .addOption(vmOption())
  .option("--quiet", "print nothing but COMMAND's own output (the emulator's line goes to stderr)")
  .addOption(strictOption())
  .option("--dashboard", "also serve the workshop dashboard page (its URL is printed to stderr)")
  .passThroughOptions()
  .action(
    async (
      command: string[],
      options: {
        scenario?: string;
        state?: string;
        home?: string;
        latency?: "instant" | "realistic";
        vm?: string;
        quiet?: boolean;
        strict?: boolean;
        dashboard?: boolean;
      },
    ) => {
      const emulator = await startEmulator({
        ...(options.scenario ? { scenario: options.scenario } : {}),
        ...(options.state ? { statePath: options.state } : {}),
        ...(options.home ? { home: options.home } : {}),
        ...(options.latency ? { latency: options.latency } : {}),
        ...(options.vm ? { currentVm: options.vm } : {}),
        foreignHosts: foreignHostPolicy(options.strict),
        dashboard: options.dashboard ?? false,
      });
      // Emulator information goes to stderr: COMMAND's stdout stays exactly its own.
      if (!options.quiet)
        process.stderr.write(
          `msi-emulator: proxy ${emulator.proxyUrl}, admin ${emulator.adminUrl}${emulator.dashboardUrl ? `, dashboard ${emulator.dashboardUrl}` : ""}; running: ${command.join(" ")}\n`,
        );
      const shellEnv = await shellEnvironment({ ...emulatorEnvironmentOf(emulator), userEnv: process.env });
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const name of shellEnv.unset) delete env[name];
      Object.assign(env, shellEnv.set);
      const [file = "", ...args] = command;
      const child = spawn(file, args, { stdio: "inherit", env });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on("SIGINT", forward);
      process.on("SIGTERM", forward);
      const status = await new Promise<number>((resolve) => {
        child.once("error", (error: NodeJS.ErrnoException) => {
          process.stderr.write(`msi-emulator: cannot run '${file}': ${error.message}\n`);
          resolve(error.code === "ENOENT" ? 127 : 126);
        });
        child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
      });
      await emulator.stop();
      process.exit(status);
    },
  );

program
  .command("log")
  .description("print the requests the running `start` has answered (tokens and secrets redacted)")
  .option("--follow", "keep printing new requests")
  .option("--json", "one JSON object per line")
  .addOption(runningHomeOption())
  .action(async (options: { follow?: boolean; json?: boolean; home?: string }) => {
    const info = await runningEmulator(options.home);
    let since = 0;
    for (;;) {
      const response = await fetch(`${info.adminUrl}/requests?since=${since}`).catch(() => undefined);
      if (!response?.ok) fail(`The emulator's admin endpoint ${info.adminUrl} did not answer.`);
      const { requests } = (await response.json()) as { requests: RequestLogEntry[] };
      for (const entry of requests) {
        process.stdout.write(`${options.json ? JSON.stringify(entry) : formatEntry(entry)}\n`);
        since = entry.seq;
      }
      if (!options.follow) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

program
  .command("vm")
  .description(
    "show the VM the running `start`'s IMDS answers as, or switch it to a VM resource of its world (e.g. one a deployment created)",
  )
  .argument("[resourceId]", "the VM resource to answer as from now on", parseVmResourceId)
  .option("--scenario-vm", "answer as the scenario's own VM again")
  .option("--json", "print the admin endpoint's answer as JSON")
  .addOption(runningHomeOption())
  .action(
    async (
      resourceId: string | undefined,
      options: { scenarioVm?: boolean; json?: boolean; home?: string },
    ) => {
      if (resourceId && options.scenarioVm) fail("Give a VM resource ID or --scenario-vm, not both.");
      const info = await runningEmulator(options.home);
      const token = { "x-msi-emulator-token": info.adminToken ?? "" };
      const request: RequestInit = resourceId
        ? {
            method: "PUT",
            headers: { "content-type": "application/json", ...token },
            body: JSON.stringify({ resourceId }),
          }
        : { method: options.scenarioVm ? "DELETE" : "GET", headers: token };
      const response = await fetch(`${info.adminUrl}/vm`, request).catch(() => undefined);
      if (!response) fail(`The emulator's admin endpoint ${info.adminUrl} did not answer.`);
      const body = (await response.json()) as {
        chosen: string | null;
        current: CurrentVm;
        error?: { message: string };
      };
      if (!response.ok) fail(body.error?.message ?? `The admin endpoint answered ${response.status}.`);
      process.stdout.write(
        options.json ? `${JSON.stringify(body, null, 2)}\n` : `${describeVm(body.current, body.chosen)}\n`,
      );
    },
  );

program
  .command("schema")
  .description("print the JSON Schema of scenario files (for editors)")
  .action(async () => {
    const { scenarioJsonSchema } = await import("../state/scenario-schema.ts");
    process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  });

function formatEntry(entry: RequestLogEntry): string {
  const who = entry.principal ? ` ${entry.principal.identity ?? entry.principal.objectId}` : "";
  const error = entry.error ? ` ${entry.error}` : "";
  // A refused CONNECT's path is already host:port (e.g. the Azure CLI's telemetry host).
  const target = entry.method === "CONNECT" ? entry.path : `${entry.host}${entry.path}`;
  return `${entry.time.slice(11, 23)} ${entry.service.padEnd(5)} ${entry.method.padEnd(6)} ${entry.status} ${target} ${entry.durationMs}ms${who}${error}`;
}

/** One line about the VM IMDS answers as, and its identities; says so when a chosen VM does not exist (yet). */
function describeVm(vm: CurrentVm, chosen: string | null | undefined): string {
  const identities = vm.identities
    .map((i) =>
      i.kind === "system"
        ? `system-assigned (object ID ${i.principalId}, client ID ${i.clientId})`
        : `user-assigned '${i.name}' (object ID ${i.principalId}, client ID ${i.clientId})`,
    )
    .join(", ");
  const waiting =
    chosen && chosen.toLowerCase() !== vm.resourceId.toLowerCase()
      ? ` [${chosen} does not exist (yet): the scenario's VM answers until it does]`
      : "";
  return `IMDS answers as VM '${vm.name}' (${vm.resourceId}); identities: ${identities || "none"}${waiting}`;
}

function parseVmResourceId(value: string): string {
  if (!VIRTUAL_MACHINE_ID.test(value))
    throw new InvalidArgumentError(
      "not a VM's resource ID: /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Compute/virtualMachines/{name}",
    );
  return value;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError("a port is a whole number from 0 to 65535.");
  return port;
}

/** The running `start` recorded in the home, or a failure that says where it looked and how to look elsewhere. */
async function runningEmulator(explicitHome: string | undefined): Promise<RuntimeInfo> {
  const home = resolveHome(explicitHome);
  const info = await readRuntimeInfo(home);
  if (!info) fail(noEmulatorFound(home, `Start one with \`${cliCommand()} start\`.`));
  return info;
}

function noEmulatorFound(home: string, remedy: string): string {
  return `No running msi-emulator found in the home ${home}. ${remedy} If one runs with another home, point at it with --home DIR or MSI_EMULATOR_HOME=DIR.`;
}

function foreignHostPolicy(strict: boolean | undefined): "tunnel" | "refuse" {
  return strict || /^(1|true|yes)$/i.test(process.env.MSI_EMULATOR_STRICT ?? "") ? "refuse" : "tunnel";
}

function emulatorEnvironmentOf(
  emulator: Pick<Emulator, "env" | "caCertPath" | "caBundlePath"> & { home: string },
) {
  return {
    emulatorEnv: emulator.env,
    unsetEnv: CONFLICTING_ENV,
    home: emulator.home,
    caCertPath: emulator.caCertPath,
    caBundlePath: emulator.caBundlePath,
  };
}

function envCommand(shell: "bash" | "powershell", extra = ""): string {
  return shell === "bash"
    ? `eval "$(${cliCommand({ quiet: true })} env${extra})"`
    : `${cliCommand({ quiet: true })} env${extra} --shell powershell | Invoke-Expression`;
}

function undoCommand(shell: "bash" | "powershell"): string {
  return envCommand(shell, " --unset");
}

type ShellChoice = "bash" | "powershell" | "pwsh";

function shellOf(choice: ShellChoice): "bash" | "powershell" {
  return choice === "bash" ? "bash" : "powershell";
}

function signalNumber(signal: NodeJS.Signals): number {
  return (
    ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 1
  );
}

/**
 * The emulator itself, loaded only by the commands that start one (`start`, `exec`): `env`, `log`, `vm` and `stop`
 * then answer in about a fifth of the time (0.15 s instead of 0.75 s of CPU), which a shell's `eval "$(... env)"` feels.
 */
async function startEmulator(options: StartEmulatorOptions): Promise<Emulator> {
  const { startEmulator: start } = await import("../emulator.ts");
  return start(options);
}

/** The errors whose message is the whole story (a bad scenario or state file): no stack trace. */
async function isExplainedError(error: unknown): Promise<boolean> {
  if (error instanceof TrustFileError || error instanceof EmulatorAlreadyRunningError) return true;
  // Already loaded when they can have been thrown (by starting an emulator), so these imports cost nothing.
  const [{ ScenarioError }, { StateFileError }] = await Promise.all([
    import("../state/scenario-schema.ts"),
    import("../state/state-file.ts"),
  ]);
  return error instanceof ScenarioError || error instanceof StateFileError;
}

function fail(message: string): never {
  process.stderr.write(`msi-emulator: ${message}\n`);
  process.exit(1);
}

program.parseAsync(process.argv).catch(async (error: unknown) => {
  if (await isExplainedError(error)) fail((error as Error).message);
  fail((error as Error).stack ?? String(error));
});
