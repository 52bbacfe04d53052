// The `demo` script: starts the local emulator and runs the five samples against it as a guided walkthrough, each step
// introduced by what it ports and what it is about to do, then a summary. Exits 0 only if every step succeeded.
import { parseArgs } from "node:util";
import { type Emulator, startEmulator } from "@msi-samples/emulator";
import { runSample, type SampleRun, tallyRequests } from "@msi-samples/sample-runner";
import { PNPM } from "./lib/quick-start-commands.ts";
import { CATALOG, type CatalogEntry } from "./lib/sample-catalog.ts";

const usage = `Runs the five managed-identity samples against a local emulator of an Azure VM, one after another,
as a guided walkthrough. Nothing reaches Azure; no account is needed.

Usage: ${PNPM} demo [--step N]

Options:
  --step N    Run only step N (1-${CATALOG.length})
  -h, --help  Show this help

Steps:
${CATALOG.map((entry) => `  ${entry.step}  ${entry.sample.padEnd(30)} ports ${entry.ports.repository} (${entry.ports.language})`).join("\n")}`;

class UsageError extends Error {}

function parseCommandLine(argv: string[]): { steps: readonly CatalogEntry[]; help: boolean } {
  let values: { step?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { step: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(
      `${error instanceof Error ? error.message : error} Run with --help to see the options.`,
    );
  }
  if (values.step === undefined) return { steps: CATALOG, help: values.help ?? false };
  const entry = /^\d+$/.test(values.step) ? CATALOG.find((e) => e.step === Number(values.step)) : undefined;
  if (!entry) {
    throw new UsageError(`--step must be a number from 1 to ${CATALOG.length}, not '${values.step}'.`);
  }
  return { steps: [entry], help: values.help ?? false };
}

interface StepResult {
  entry: CatalogEntry;
  run: SampleRun;
}

const rule = "─".repeat(78);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function introduce(emulator: Emulator): void {
  const { scenario } = emulator;
  const subscription = scenario.subscriptions.find((s) => s.id === scenario.vm.subscriptionId);
  const userAssigned = scenario.vm.userAssignedIdentities.map((i) => `'${i.name}'`).join(", ");
  console.log("Managed identity samples: a guided walkthrough");
  console.log("");
  console.log(
    `The emulator plays the Azure VM '${scenario.vm.name}' (region ${scenario.vm.location}, subscription ` +
      `"${subscription?.displayName ?? scenario.vm.subscriptionId}", tenant "${scenario.tenant.displayName}"), ` +
      `with a system-assigned identity${userAssigned ? ` and the user-assigned identity ${userAssigned}` : ""}.`,
  );
  console.log(
    "Each sample runs unchanged, exactly as on a VM: its requests to IMDS (169.254.169.254), Resource Manager " +
      "and Key Vault go through the emulator's proxy, which answers as Azure does. Long-running operations " +
      "take a few seconds here, as they do on Azure.",
  );
  console.log(`(emulator proxy ${emulator.proxyUrl}; scenario '${scenario.name}')`);
  console.log(`Open the dashboard to watch each request and why it was allowed: ${emulator.dashboardUrl}`);
}

function announce(entry: CatalogEntry, emulator: Emulator): string[] {
  const args = entry.args(emulator.scenario);
  console.log("");
  console.log(rule);
  console.log(`Step ${entry.step} of ${CATALOG.length}: ${entry.title}  (samples/${entry.sample})`);
  console.log(
    `Ports "${entry.ports.title}" (${entry.ports.language}, https://github.com/${entry.ports.repository}).`,
  );
  console.log(entry.narration(emulator.scenario));
  // What the step runs, as a command that runs it the same way against an emulator of its own.
  console.log(
    `$ ${PNPM} emulator exec -- npx tsx samples/${entry.sample}/src/index.ts${args.map((a) => ` ${a}`).join("")}`,
  );
  console.log(rule);
  return args;
}

async function runStep(entry: CatalogEntry, emulator: Emulator): Promise<StepResult> {
  const args = announce(entry, emulator);
  const since = emulator.requests().at(-1)?.seq ?? 0;
  const run = await runSample(entry.sample, args, emulator, {
    // The sample's own output, streamed and indented so that it stands apart from the walkthrough's.
    onLine: (stream, line) => (stream === "stdout" ? console.log : console.error)(`  │ ${line}`),
    timeoutMs: 120_000,
  });
  const tally = tallyRequests(emulator.requests().filter((e) => e.seq > since));
  const audiences = tally.audiences.map((a) => a.replace(/^https:\/\//, "")).join(", ");
  console.log(rule);
  console.log(
    `${run.status === 0 ? "Done" : `Failed (${exitDescription(run)})`} in ${seconds(run.durationMs)}. ` +
      `Behind the scenes: ${tally.imdsTokens} IMDS token request(s) (${audiences || "none"}), ` +
      `${tally.imdsMetadata} instance metadata, ${tally.arm} Resource Manager, ${tally.keyVault} Key Vault.`,
  );
  return { entry, run };
}

function exitDescription(run: SampleRun): string {
  if (run.timedOut) return "timed out";
  return run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
}

function summarize(results: readonly StepResult[]): void {
  const rows = [
    ["Step", "Sample", "Ports", "Result", "Time"],
    ...results.map(({ entry, run }) => [
      String(entry.step),
      entry.sample,
      `${entry.ports.language}, ${entry.ports.repository.replace("Azure-Samples/", "")}`,
      run.status === 0 ? "ok" : `FAILED (${exitDescription(run)})`,
      seconds(run.durationMs),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  console.log("");
  console.log("Summary");
  console.log("");
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows.slice(1)) console.log(line(row));
  console.log("");
  const failed = results.filter(({ run }) => run.status !== 0);
  if (failed.length === 0) {
    console.log(
      results.length === 1
        ? "The step succeeded."
        : `All ${results.length} samples succeeded against the emulator. Next: run one yourself ` +
            `(cd samples/list-resource-groups && ${PNPM} start:local --json), or follow a sample's README to run ` +
            "it on an Azure VM.",
    );
  } else {
    console.log(
      `${failed.length} of ${results.length} step(s) failed: ${failed.map(({ entry }) => entry.step).join(", ")}. ` +
        "The sample's own output above says why.",
    );
  }
}

async function main(): Promise<number> {
  let steps: readonly CatalogEntry[];
  try {
    const parsed = parseCommandLine(process.argv.slice(2));
    if (parsed.help) {
      console.log(usage);
      return 0;
    }
    steps = parsed.steps;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }

  const emulator = await startEmulator({ latency: "realistic", dashboard: true });
  const stopAndExit = () => {
    void emulator.stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", stopAndExit);
  try {
    introduce(emulator);
    const results: StepResult[] = [];
    for (const entry of steps) results.push(await runStep(entry, emulator));
    summarize(results);
    return results.every(({ run }) => run.status === 0) ? 0 : 1;
  } finally {
    process.off("SIGINT", stopAndExit);
    await emulator.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `The demo could not run: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
    );
    process.exitCode = 1;
  },
);
