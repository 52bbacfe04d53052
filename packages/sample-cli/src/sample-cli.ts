// The command-line frame of a sample: flags (--help, --verbose) and the usage text, the process handlers for a clean
// Ctrl-C and for errors nothing caught, and one error exit with the explanation and the right exit code.
import { stdout } from "node:process";
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { explainError, UsageError } from "@msi-samples/identity";

const builtInOptions = {
  help: { type: "boolean", short: "h" },
  verbose: { type: "boolean" },
} as const satisfies ParseArgsOptionsConfig;

type ParsedSampleArgs<T extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: T & typeof builtInOptions; strict: true; allowPositionals: false }>
>;

export interface SampleArgsConfig<T extends ParseArgsOptionsConfig> {
  /** Printed for --help: what the sample does and its flags. */
  usage: string;
  /** node:util parseArgs options; --help/-h and --verbose are added. */
  options: T;
  /** Default process.argv.slice(2). */
  argv?: string[];
}

/** One option in a sample's --help: its flags (empty for a continuation line) and what it does. */
export type UsageRow = readonly [flags: string, description: string];

const builtInUsage: readonly UsageRow[] = [
  ["--verbose", "Print stack traces on errors"],
  ["-h, --help", "Show this help"],
];

/**
 * A sample's --help text: what it does, how to run it, and its options in aligned columns, with --verbose and --help
 * (which parseSampleArgs adds to every sample) at the end.
 */
export function formatUsage(summary: string, options: readonly UsageRow[]): string {
  const rows = [...options, ...builtInUsage];
  const width = Math.max(...rows.map(([flags]) => flags.length)) + 2;
  const lines = rows.map(([flags, description]) => `  ${flags.padEnd(width)}${description}`.trimEnd());
  return `${summary.trim()}\n\nUsage: node src/index.ts [options]\n\nOptions:\n${lines.join("\n")}`;
}

/**
 * Installs the process handlers every sample wants: Ctrl-C prints "Cancelled." and exits 130, and an error nothing
 * caught (e.g. a UsageError thrown outside main()) goes to exitWithError, so it is explained too.
 */
export function installCtrlCAndUncaughtErrorHandlers(): void {
  exitCleanlyOnInterrupt();
  exitWithErrorWhenUncaught();
}

/**
 * Parses the flags strictly, ignoring a bare `--` (which npm and pnpm pass on). `--help` prints `usage` and exits 0;
 * an unknown flag or a missing value is a UsageError naming it.
 */
export function parseSampleArgs<const T extends ParseArgsOptionsConfig>(
  config: SampleArgsConfig<T>,
): ParsedSampleArgs<T> {
  // `pnpm start -- --json` hands the `--` on to the script, after any flags the script itself passes (`start:local`
  // may): it only separates pnpm's flags from the sample's, and a sample takes no positional arguments it could mark.
  const args = (config.argv ?? process.argv.slice(2)).filter((arg) => arg !== "--");
  let parsed: ParsedSampleArgs<T>;
  try {
    parsed = parseArgs({
      args,
      options: { ...config.options, ...builtInOptions },
      strict: true,
      allowPositionals: false,
    }) as ParsedSampleArgs<T>;
  } catch (error) {
    throw usageErrorFromParseArgs(error);
  }
  if ((parsed.values as { help?: boolean }).help) {
    stdout.write(config.usage.endsWith("\n") ? config.usage : `${config.usage}\n`);
    process.exit(0);
  }
  return parsed;
}

function usageErrorFromParseArgs(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS_")) return error;
  const flag = /'(--?[^'\s]+)/.exec(message)?.[1];
  const what =
    code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
      ? `Unknown option ${flag}.`
      : code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"
        ? `Unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ""}: this sample takes only --options.`
        : flag
          ? `Option ${flag} ${/argument missing/.test(message) ? "needs a value" : "has a wrong value"}.`
          : message;
  return new UsageError(`${what} Run with --help to see the options.`, {
    cause: error,
    ...(flag ? { setting: flag } : {}),
  });
}

let interruptHandled = false;
let uncaughtHandled = false;

function exitWithErrorWhenUncaught(): void {
  if (uncaughtHandled) return;
  uncaughtHandled = true;
  process.on("uncaughtException", exitWithError);
  process.on("unhandledRejection", exitWithError);
}

function exitCleanlyOnInterrupt(): void {
  if (interruptHandled) return;
  interruptHandled = true;
  process.on("SIGINT", exitCancelled);
}

/** Ctrl-C: "Cancelled." and exit code 130, like a shell's. */
export function exitCancelled(): never {
  process.stderr.write("\nCancelled.\n");
  process.exit(130);
}

/** Whether to show stack traces: `--verbose` on the command line, or DEBUG / MSI_SAMPLES_VERBOSE set. */
export function isVerbose(argv: string[] = process.argv, env: NodeJS.ProcessEnv = process.env): boolean {
  return argv.includes("--verbose") || Boolean(env.DEBUG) || Boolean(env.MSI_SAMPLES_VERBOSE);
}

/**
 * Prints what went wrong and how to fix it (with the stack and causes only when verbose) and exits with 2 for usage
 * errors, 1 for everything else. Samples end with `main().catch(exitWithError);`.
 */
export function exitWithError(error: unknown): never {
  const { message, exitCode } = explainError(error);
  process.stderr.write(`${message}\n`);
  if (isVerbose()) process.stderr.write(`\n${describeForDebugging(error)}\n`);
  process.exit(exitCode);
}

function describeForDebugging(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 8; depth += 1) {
    const prefix = depth === 0 ? "" : "Caused by: ";
    if (!(current instanceof Error)) {
      // An Azure error body given as a cause (`{ code, message, details }`) is worth seeing whole.
      const text =
        typeof current === "object" && current !== null ? JSON.stringify(current, null, 2) : String(current);
      parts.push(`${prefix}${text}`);
      break;
    }
    parts.push(`${prefix}${current.stack ?? `${current.name}: ${current.message}`}`);
    // Azure's inner errors, which the one-line explanation may have shortened.
    const details = (current as { details?: unknown }).details;
    if (details !== undefined) parts.push(`Details: ${JSON.stringify(details, null, 2)}`);
    current = current.cause;
  }
  return parts.join("\n");
}
