// `pnpm bench`: runs each sample several times against a fresh emulator and reports its median wall time as its
// `pnpm start` runs it (`node src/index.ts`), beside the floor (a process that only imports the same packages) and
// the single-file bundle of `pnpm export-sample --bundle`, and the requests it sends to IMDS, Resource Manager and
// Key Vault next to those the original sample makes. Fails if a sample asks IMDS for a token more than once per
// audience. A benchmark, not a test: nothing here judges speed.
import { mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmulator } from "@msi-samples/emulator";
import {
  type RequestTally,
  runNode,
  runSample,
  SAMPLE_NAMES,
  type SampleName,
  sampleDirectory,
  tallyRequests,
} from "@msi-samples/sample-runner";
import { writeBundle } from "./export/bundle.ts";
import { loadEsbuild } from "./export/load-esbuild.ts";
import { readSourceReference } from "./export/source-reference.ts";
import { REPO_ROOT, readPackageJson } from "./export/workspace.ts";
import { CATALOG, type CatalogEntry } from "./lib/sample-catalog.ts";
import { median } from "./lib/statistics.ts";

/**
 * Requests the original sample sends on its success path on a fresh VM (the resource group of the .NET deployment
 * sample missing, long-running operations finished at the first poll), counted by reading each original's code
 * and the SDK it uses. IMDS is not compared: the old SDKs ask it per request or per client, not per audience.
 */
const ORIGINAL_REQUESTS: Record<SampleName, { arm: number; keyVault: number; counted: string }> = {
  // windowsvm-msi-arm-dotnet, DeployArmTemplate/DeploymentHelper.cs (master, the Azure.ResourceManager version):
  // GetDefaultSubscription() GET 1; rgCollection.CheckIfExists 1; rgCollection.CreateOrUpdate PUT 1 (group
  // missing); rgCollection.Get 1; deploymentCollection.CreateOrUpdate (waits): PUT 1 + status poll 1 + final GET 1.
  "deploy-arm-template": {
    arm: 7,
    keyVault: 0,
    counted:
      "GET subscription, check group, PUT group, GET group, PUT deployment, 1 status poll, GET deployment",
  },
  // linuxvm-msi-keyvault-arm-dotnet, ConsoleAppAzureServices/Program.cs: SecretClient.GetSecretAsync sends its
  // first request without a token, gets the 401 challenge, and sends it again with one (2); ResourceGroups.ListAsync
  // GET 1 per page (1 page).
  "keyvault-and-resource-groups": {
    arm: 1,
    keyVault: 2,
    counted: "Key Vault: challenge 401 + GET secret; ARM: list groups",
  },
  // resources-node-manage-resources-with-msi, lib/index.ts: resourceClient.resourceGroups.list() GET 1 (the old
  // list() returned the first page only).
  "list-resource-groups": { arm: 1, keyVault: 0, counted: "list groups (first page only)" },
  // resource-manager-python-manage-resources-with-msi, example.py: next(subscriptions.list()) GET 1 (first page);
  // resource_groups.list() GET 1 per page (1 page).
  "user-assigned-identity": { arm: 2, keyVault: 0, counted: "list subscriptions, list groups" },
  // resources-ruby-manage-resources-with-msi, example.rb: resources.create_or_update PUT 1 (Key Vault answers 200
  // with the vault, so ms_rest_azure does not poll); resources.delete DELETE 1 (200, no polling).
  "create-delete-key-vault": { arm: 2, keyVault: 0, counted: "PUT vault, DELETE vault" },
};

/** Why this repository's sample sends a different number of requests than the original, where it does. */
const DIFFERENCES: Partial<Record<SampleName, string>> = {
  "deploy-arm-template":
    "This port sends no subscription GET and no second group GET (its HEAD says whether the group exists), and " +
    "reads the storage account back with @azure/arm-storage (+1).",
  "create-delete-key-vault":
    "This port first checks that the vault does not exist (+1 GET): it deletes only a vault it created.",
};

const usage = `Runs each sample against a fresh emulator several times and reports wall time, the import-only floor,
and the requests sent to IMDS, Resource Manager and Key Vault (compared with the original samples).

Usage: pnpm bench [--runs N] [--sample NAME]... [--json]

Each sample runs once more first, uncounted (warm-up).

Options:
  --runs N       Runs per sample (default 5)
  --sample NAME  Only this sample (repeatable): ${SAMPLE_NAMES.join(", ")}
  --json         Print the results as JSON instead of a markdown table
  -h, --help     Show this help`;

interface SampleResult {
  sample: SampleName;
  step: number;
  runs: {
    durationMs: number;
    floorMs: number;
    bundleMs: number;
    status: number | null;
    tally: RequestTally;
  }[];
  medianMs: number;
  floorMedianMs: number;
  bundleMedianMs: number;
  /** Per-run counts; a range when runs differ. */
  imdsTokens: string;
  audiences: string[];
  expectedAudiences: readonly string[];
  imdsMetadata: string;
  arm: string;
  keyVault: string;
  original: { arm: number; keyVault: number; counted: string };
  difference?: string;
  problems: string[];
}

class UsageError extends Error {}

function parseCommandLine(argv: string[]): {
  runs: number;
  entries: CatalogEntry[];
  json: boolean;
  help: boolean;
} {
  let values: { runs?: string; sample?: string[]; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        runs: { type: "string" },
        sample: { type: "string", multiple: true },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(
      `${error instanceof Error ? error.message : error} Run with --help to see the options.`,
    );
  }
  const runs = values.runs === undefined ? 5 : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) {
    throw new UsageError(`--runs must be a whole number from 1 to 100, not '${values.runs}'.`);
  }
  const unknown = (values.sample ?? []).filter((name) => !CATALOG.some((e) => e.sample === name));
  if (unknown.length > 0) {
    throw new UsageError(`Unknown --sample ${unknown.join(", ")}: choose from ${SAMPLE_NAMES.join(", ")}.`);
  }
  const entries = CATALOG.filter((e) => !values.sample || values.sample.includes(e.sample));
  return { runs, entries, json: values.json ?? false, help: values.help ?? false };
}

/**
 * A script that imports the same packages as the sample's src/index.ts (read from its import lines, so it follows
 * the sample) and does nothing else, written into the sample's folder so that they resolve the same way.
 */
async function writeFloorScript(sample: SampleName): Promise<string> {
  const source = await readFile(path.join(sampleDirectory(sample), "src/index.ts"), "utf8");
  const specifiers = new Set<string>();
  for (const match of source.matchAll(/^import\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?"([^"]+)"/gm)) {
    const [, typeOnly, specifier = ""] = match;
    if (!typeOnly && !specifier.startsWith(".") && !specifier.startsWith("node:")) specifiers.add(specifier);
  }
  const script = path.join(".tmp", "bench-floor.ts");
  await mkdir(path.join(sampleDirectory(sample), ".tmp"), { recursive: true });
  await writeFile(
    path.join(sampleDirectory(sample), script),
    `// Generated by scripts/bench.ts: the imports of src/index.ts, nothing else.\n${[...specifiers].map((s) => `import "${s}";`).join("\n")}\n`,
  );
  return script;
}

/** The sample as `pnpm export-sample --bundle` writes it (one .mjs file and its assets), in a temporary folder. */
async function writeSampleBundle(sample: SampleName): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `bench-bundle-${sample}-`));
  const root = await readPackageJson(REPO_ROOT);
  const source = await readSourceReference(root, [
    `samples/${sample}`,
    "packages/identity",
    "packages/sample-cli",
  ]);
  const { file } = await writeBundle({
    sampleName: sample,
    outDir: dir,
    esbuild: await loadEsbuild(),
    source,
  });
  return { dir, file };
}

/** What a failed run's stderr says went wrong, on one line: Node's error line, else the sample's last lines. */
const lastLines = (text: string) => {
  const lines = text.trim().split("\n");
  return lines.find((line) => /^\w*Error\b/.test(line)) ?? lines.slice(-3).join(" / ");
};

const range = (values: number[]) => {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? String(low) : `${low}-${high}`;
};

async function benchSample(
  entry: CatalogEntry,
  runs: number,
  log: (line: string) => void,
): Promise<SampleResult> {
  const floorScript = await writeFloorScript(entry.sample);
  const bundle = await writeSampleBundle(entry.sample);
  const runBundle = (emulator: Awaited<ReturnType<typeof startEmulator>>) =>
    runNode(bundle.dir, [bundle.file], entry.args(emulator.scenario), emulator);
  const results: SampleResult["runs"] = [];
  const problems: string[] = [];
  try {
    // One run that is not counted, so that every counted one finds the files warm.
    const warmUp = await startEmulator({ latency: "instant" });
    try {
      await runNode(sampleDirectory(entry.sample), [floorScript], [], warmUp);
      await runSample(entry.sample, entry.args(warmUp.scenario), warmUp);
      await runBundle(warmUp);
    } finally {
      await warmUp.stop();
    }
    for (let i = 1; i <= runs; i++) {
      // A fresh emulator per run: every run starts on the same world (the deployment's group missing, and so on).
      const emulator = await startEmulator({ latency: "instant" });
      try {
        const floor = await runNode(sampleDirectory(entry.sample), [floorScript], [], emulator);
        if (floor.status !== 0) problems.push(`the import-only script failed: ${lastLines(floor.stderr)}`);
        const run = await runSample(entry.sample, entry.args(emulator.scenario), emulator);
        const tally = tallyRequests(emulator.requests());
        // The bundle runs on a world the sample already changed; its time is what is compared, not its requests.
        const bundled = await runBundle(emulator);
        if (bundled.status !== 0)
          problems.push(`the bundle exited ${bundled.status}: ${lastLines(bundled.stderr)}`);
        const durations = {
          durationMs: run.durationMs,
          floorMs: floor.durationMs,
          bundleMs: bundled.durationMs,
        };
        results.push({ ...durations, status: run.status, tally });
        log(
          `${entry.sample} run ${i}/${runs}: exit ${run.status} in ${Math.round(run.durationMs)} ms ` +
            `(floor ${Math.round(floor.durationMs)} ms, bundle ${Math.round(bundled.durationMs)} ms)`,
        );
        if (run.status !== 0) {
          problems.push(`run ${i} exited ${run.status}: ${lastLines(run.stderr)}`);
        }
        const expected = [...entry.audiences].sort();
        if (tally.imdsTokens !== expected.length || tally.audiences.join() !== expected.join()) {
          problems.push(
            `run ${i} asked IMDS for ${tally.imdsTokens} token(s) for ${tally.audiences.join(", ") || "nothing"}; ` +
              `expected exactly one per audience: ${expected.join(", ")}`,
          );
        }
      } finally {
        await emulator.stop();
      }
    }
  } finally {
    await rm(path.join(sampleDirectory(entry.sample), floorScript), { force: true });
    await rm(bundle.dir, { recursive: true, force: true });
    // The folder goes too, unless something else keeps files there.
    await rmdir(path.join(sampleDirectory(entry.sample), ".tmp")).catch(() => {});
  }
  const tallies = results.map((r) => r.tally);
  return {
    sample: entry.sample,
    step: entry.step,
    runs: results,
    medianMs: median(results.map((r) => r.durationMs)),
    floorMedianMs: median(results.map((r) => r.floorMs)),
    bundleMedianMs: median(results.map((r) => r.bundleMs)),
    imdsTokens: range(tallies.map((t) => t.imdsTokens)),
    audiences: [...new Set(tallies.flatMap((t) => t.audiences))].sort(),
    expectedAudiences: entry.audiences,
    imdsMetadata: range(tallies.map((t) => t.imdsMetadata)),
    arm: range(tallies.map((t) => t.arm)),
    keyVault: range(tallies.map((t) => t.keyVault)),
    original: ORIGINAL_REQUESTS[entry.sample],
    ...(DIFFERENCES[entry.sample] ? { difference: DIFFERENCES[entry.sample] } : {}),
    problems,
  };
}

function markdown(results: readonly SampleResult[], runs: number): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const rows = [
    [
      "Sample",
      "pnpm start (node, compile cache)",
      "Floor (imports only)",
      "Above floor",
      "Bundle (node file.mjs)",
      "IMDS token requests (audiences)",
      "IMDS metadata",
      "ARM requests (original)",
      "Key Vault requests (original)",
    ],
    ...results.map((r) => [
      `${r.step}. ${r.sample}`,
      seconds(r.medianMs),
      seconds(r.floorMedianMs),
      seconds(r.medianMs - r.floorMedianMs),
      seconds(r.bundleMedianMs),
      `${r.imdsTokens} (${r.audiences.map((a) => a.replace("https://", "")).join(", ")})${r.problems.some((p) => p.includes("IMDS")) ? " FAIL" : ""}`,
      r.imdsMetadata,
      `${r.arm} (${r.original.arm})`,
      `${r.keyVault} (${r.original.keyVault})`,
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  const table = [
    line(rows[0]!),
    `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    ...rows.slice(1).map(line),
  ];
  const notes = results.flatMap((r) => [
    `- ${r.sample}: the original sends ${r.original.counted}.${r.difference ? ` ${r.difference}` : ""}`,
  ]);
  const cpu = os.cpus();
  return [
    `${runs} run(s) per sample, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ` +
      `${os.platform()} ${os.arch()}, ${cpu.length} vCPU (${cpu[0]?.model.trim() ?? "unknown CPU"}).`,
    "",
    ...table,
    "",
    ...notes,
  ].join("\n");
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseCommandLine>;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (options.help) {
    console.log(usage);
    return 0;
  }
  const results: SampleResult[] = [];
  for (const entry of options.entries) {
    results.push(await benchSample(entry, options.runs, (line) => console.error(line)));
  }
  const problems = results.flatMap((r) => r.problems.map((p) => `${r.sample}: ${p}`));
  if (options.json) {
    const machine = {
      node: process.version,
      platform: os.platform(),
      arch: os.arch(),
      vcpus: os.cpus().length,
    };
    const document = {
      date: new Date().toISOString(),
      machine,
      runs: options.runs,
      ok: problems.length === 0,
    };
    console.log(JSON.stringify({ ...document, samples: results, problems }, null, 2));
  } else {
    console.log(markdown(results, options.runs));
  }
  for (const problem of problems) console.error(`FAIL ${problem}`);
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `The benchmark could not run: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
    );
    process.exitCode = 1;
  },
);
