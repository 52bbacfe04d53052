// The command-line frame of a sample: flags (--help, --verbose), settings from flag, environment, instance metadata
// or a prompt, a clean Ctrl-C, and one error exit with the explanation and the right exit code.
import { stdin, stdout } from "node:process";
import { createInterface } from "node:readline/promises";
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { UsageError } from "./errors.ts";
import { explainError } from "./explain-error.ts";

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

/**
 * Parses the flags strictly. `--help` prints `usage` and exits 0; an unknown flag or a missing value is a UsageError
 * naming it. Also makes Ctrl-C print "Cancelled." and exit 130, and, when parsing the real command line, sends
 * errors nothing caught (e.g. this UsageError when called outside main()) to exitWithError as well.
 */
export function parseSampleArgs<const T extends ParseArgsOptionsConfig>(
  config: SampleArgsConfig<T>,
): ParsedSampleArgs<T> {
  exitCleanlyOnInterrupt();
  if (config.argv === undefined) exitWithErrorWhenUncaught();
  let parsed: ParsedSampleArgs<T>;
  try {
    parsed = parseArgs({
      args: config.argv ?? process.argv.slice(2),
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

function exitCancelled(): never {
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
    const text =
      current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current);
    parts.push(depth === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join("\n");
}

export type SettingSource = "flag" | "environment" | "instance metadata" | "prompt";

export interface SettingRequest {
  /** The flag's name (`resource-group`, shown as `--resource-group`), or a label like `resource group name`. */
  name: string;
  /** The flag's value, as parsed. */
  flag?: string | undefined;
  envName?: string | undefined;
  /** Default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Asked only when neither the flag nor the environment gives a value (e.g. from getInstanceMetadata). */
  fromMetadata?: (() => Promise<string | undefined>) | undefined;
  /** Question to ask on a terminal when all else gave nothing; no prompt when left out. */
  prompt?: string | undefined;
  /** Returns a reason when the value is not acceptable. */
  validate?: ((value: string) => string | undefined) | undefined;
}

/**
 * A setting from, in order: its flag, its environment variable, the VM's instance metadata, or (only when stdin and
 * stdout are terminals) a prompt. Missing or invalid: a UsageError naming the flag and the variable.
 */
export async function resolveSetting(
  request: SettingRequest,
): Promise<{ value: string; source: SettingSource }> {
  const env = request.env ?? process.env;
  const flag = flagOf(request.name);
  const settingNames = [flag, request.envName].filter((name): name is string => Boolean(name));
  const accept = (value: string, source: SettingSource, from: string) => {
    const problem = request.validate?.(value);
    if (problem) {
      throw new UsageError(`Invalid ${labelOf(request.name)} '${value}' (from ${from}): ${problem}`, {
        setting: settingNames.join(" / "),
      });
    }
    return { value, source };
  };

  if (present(request.flag)) return accept(request.flag.trim(), "flag", flag ?? "the command line");
  const fromEnv = request.envName ? env[request.envName] : undefined;
  if (present(fromEnv)) return accept(fromEnv.trim(), "environment", request.envName!);
  // Off Azure there is no instance metadata: that is a reason to ask or to name the flag, not a failure of its own.
  let metadataProblem: string | undefined;
  if (request.fromMetadata) {
    const fromMetadata = await request.fromMetadata().catch((error: unknown) => {
      metadataProblem = error instanceof Error ? error.message : String(error);
      return undefined;
    });
    if (present(fromMetadata)) return accept(fromMetadata.trim(), "instance metadata", "instance metadata");
  }
  if (request.prompt && stdin.isTTY && stdout.isTTY) {
    const answer = await ask(request.prompt);
    if (present(answer)) return accept(answer.trim(), "prompt", "the prompt");
  }
  const how = [flag && `pass ${flag}`, request.envName && `set ${request.envName}`]
    .filter(Boolean)
    .join(" or ");
  const why = metadataProblem ? `\n(Not read from instance metadata either: ${metadataProblem})` : "";
  throw new UsageError(`Missing ${labelOf(request.name)}${how ? `: ${how}` : ""}.${why}`, {
    setting: settingNames.join(" / "),
  });
}

async function ask(question: string): Promise<string> {
  const terminal = createInterface({ input: stdin, output: stdout });
  // On a terminal, Ctrl-C reaches readline rather than the process: treat it the same way.
  terminal.on("SIGINT", exitCancelled);
  try {
    return await terminal.question(question.endsWith(" ") ? question : `${question} `);
  } finally {
    terminal.close();
  }
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

/** `--resource-group` for `resource-group` or `--resource-group`; undefined for a label with spaces. */
function flagOf(name: string): string | undefined {
  if (name.startsWith("--")) return name;
  return /^[a-z0-9][a-z0-9-]*$/i.test(name) ? `--${name}` : undefined;
}

function labelOf(name: string): string {
  return name.replace(/^--/, "").replaceAll("-", " ");
}
