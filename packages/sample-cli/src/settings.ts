// A sample's settings: each from its flag, its environment variable, the VM's instance metadata, a default, or (only
// on a terminal) a prompt, checked before use; several at once, with every flag and variable checked before the first
// instance-metadata request.
import { stdin, stdout } from "node:process";
import { createInterface } from "node:readline/promises";
import {
  getInstanceMetadata,
  type InstanceMetadata,
  InstanceMetadataError,
  UsageError,
} from "@msi-samples/identity";
import { exitCancelled } from "./sample-cli.ts";

export type SettingSource = "flag" | "environment" | "instance metadata" | "default" | "prompt";

/** The fields of getInstanceMetadata() that hold one string: `subscriptionId`, `resourceGroupName`, `location`, .... */
export type InstanceMetadataField = {
  [K in keyof InstanceMetadata]-?: InstanceMetadata[K] extends string | undefined ? K : never;
}[keyof InstanceMetadata];

export interface SettingRequest {
  /** The flag's name (`resource-group`, shown as `--resource-group`), or a label like `resource group name`. */
  name: string;
  /** The flag's value, as parsed. */
  flag?: string | undefined;
  envName?: string | undefined;
  /** Where to read `envName`, and the IMDS address for `fromMetadata`. Default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  /**
   * Asked only when neither the flag nor the environment gives a value: a field of the VM's instance metadata
   * (`"subscriptionId"`), or a function. Off Azure there is none, which counts as no value.
   */
  fromMetadata?: InstanceMetadataField | (() => Promise<string | undefined>) | undefined;
  /** The value when flag, environment and metadata give none; there is no prompt then. */
  default?: string | undefined;
  /** Question to ask on a terminal when all else gave nothing; no prompt when left out. */
  prompt?: string | undefined;
  /** Returns a reason when the value is not acceptable, e.g. validateResourceGroupName. */
  validate?: ((value: string) => string | undefined) | undefined;
  /** Nothing gives a value: resolve to undefined instead of failing. */
  optional?: boolean | undefined;
}

export interface ResolvedSetting {
  value: string;
  source: SettingSource;
}

/** What resolveSetting gives for a request: undefined only for an optional setting that nothing gave a value. */
export type ResolvedSettingFor<R extends SettingRequest> = R extends { optional: true }
  ? ResolvedSetting | undefined
  : ResolvedSetting;

/**
 * A setting from, in order: its flag, its environment variable, the VM's instance metadata, its default, or (only when
 * stdin and stdout are terminals) a prompt. Invalid, or missing and not optional: a UsageError naming the flag and the
 * variable.
 */
export function resolveSetting<const R extends SettingRequest>(request: R): Promise<ResolvedSettingFor<R>>;
export async function resolveSetting(request: SettingRequest): Promise<ResolvedSetting | undefined> {
  const known = knownWithoutAsking(request);
  if (known?.final) return accept(request, known.value, known.source);

  // Off Azure there is no instance metadata: that is a reason to ask or to name the flag, not a failure of its own.
  let metadataProblem: string | undefined;
  if (request.fromMetadata !== undefined) {
    const fromMetadata = await readMetadata(request.fromMetadata, request.env).catch((error: unknown) => {
      // An IMDS that answers but keeps failing is not a missing setting: explained, exit 1.
      if (!(error instanceof InstanceMetadataError) || error.code === undefined) throw error;
      metadataProblem = error.message;
      return undefined;
    });
    if (present(fromMetadata)) return accept(request, fromMetadata.trim(), "instance metadata");
  }
  if (present(request.default)) return accept(request, request.default.trim(), "default");
  if (request.prompt && stdin.isTTY && stdout.isTTY) {
    const answer = await ask(request.prompt);
    if (present(answer)) return accept(request, answer.trim(), "prompt");
  }
  if (request.optional) return undefined;
  const flag = flagOf(request.name);
  const how = [flag && `pass ${flag}`, request.envName && `set ${request.envName}`]
    .filter(Boolean)
    .join(" or ");
  const why = metadataProblem ? `\n(Not read from instance metadata either: ${metadataProblem})` : "";
  throw new UsageError(`Missing ${labelOf(request.name)}${how ? `: ${how}` : ""}.${why}`, {
    setting: settingNames(request),
  });
}

/**
 * Several settings, resolved like resolveSetting, in order, but first every value given by a flag or an environment
 * variable (or a default that nothing else can override) is checked, so that a mistake in any of them is reported
 * before the first request to instance metadata, and before any prompt.
 */
export async function resolveSettings<const T extends Record<string, SettingRequest>>(
  requests: T,
): Promise<{ [K in keyof T]: ResolvedSettingFor<T[K]> }> {
  for (const request of Object.values(requests)) {
    const known = knownWithoutAsking(request);
    if (known?.final) accept(request, known.value, known.source);
  }
  const resolved: Record<string, ResolvedSetting | undefined> = {};
  for (const [key, request] of Object.entries(requests)) resolved[key] = await resolveSetting(request);
  return resolved as { [K in keyof T]: ResolvedSettingFor<T[K]> };
}

/** The value that needs no request and no question: flag, environment, or a default when there is no metadata. */
function knownWithoutAsking(
  request: SettingRequest,
): { value: string; source: SettingSource; final: boolean } | undefined {
  if (present(request.flag)) return { value: request.flag.trim(), source: "flag", final: true };
  const fromEnv = request.envName ? (request.env ?? process.env)[request.envName] : undefined;
  if (present(fromEnv)) return { value: fromEnv.trim(), source: "environment", final: true };
  if (present(request.default)) {
    return { value: request.default.trim(), source: "default", final: request.fromMetadata === undefined };
  }
  return undefined;
}

function accept(request: SettingRequest, value: string, source: SettingSource): ResolvedSetting {
  const problem = request.validate?.(value);
  if (problem) {
    const from = {
      flag: flagOf(request.name) ?? "the command line",
      environment: request.envName ?? "the environment",
      "instance metadata": "instance metadata",
      default: "the default",
      prompt: "the prompt",
    }[source];
    throw new UsageError(`Invalid ${labelOf(request.name)} '${value}' (from ${from}): ${problem}`, {
      setting: settingNames(request),
    });
  }
  return { value, source };
}

async function readMetadata(
  from: InstanceMetadataField | (() => Promise<string | undefined>),
  env: NodeJS.ProcessEnv | undefined,
): Promise<string | undefined> {
  if (typeof from === "function") return from();
  return (await getInstanceMetadata({ env }))[from];
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

function settingNames(request: SettingRequest): string {
  return [flagOf(request.name), request.envName].filter((name): name is string => Boolean(name)).join(" / ");
}

/** `--resource-group` for `resource-group` or `--resource-group`; undefined for a label with spaces. */
function flagOf(name: string): string | undefined {
  if (name.startsWith("--")) return name;
  return /^[a-z0-9][a-z0-9-]*$/i.test(name) ? `--${name}` : undefined;
}

function labelOf(name: string): string {
  return name.replace(/^--/, "").replaceAll("-", " ");
}
