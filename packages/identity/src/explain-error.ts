// explainError: turns the errors people really hit into one or two lines saying what to fix, and an exit code.
import {
  type AzureError,
  azureErrorOf,
  causeChain,
  cutAtWord,
  errorFields,
  oneLine,
} from "./error-shapes.ts";
import { ManagedIdentityTimeoutError, UsageError } from "./errors.ts";
import { explainAuthorizationError } from "./explain-authorization-error.ts";
import { explainDeploymentError } from "./explain-deployment-error.ts";
import { explainImdsError } from "./explain-imds-error.ts";

export interface ErrorExplanation {
  message: string;
  /** 2: the input was wrong (flags, environment); 1: Azure or the network said no. */
  exitCode: 1 | 2;
}

export function explainError(error: unknown): ErrorExplanation {
  if (isUsageError(error)) return { message: errorFields(error)?.message ?? String(error), exitCode: 2 };
  // The SDK and callers wrap errors: the innermost one this package recognises says the most.
  for (const candidate of causeChain(error)) {
    const message = explainKnownError(candidate);
    if (message) return { message, exitCode: 1 };
  }
  return { message: describeError(error), exitCode: 1 };
}

function explainKnownError(error: unknown): string | undefined {
  if (error instanceof ManagedIdentityTimeoutError) return error.message;
  // Throttling first: an IMDS 429 is also an IMDS error, but waiting is the fix, not the IMDS advice.
  return (
    explainThrottling(error) ??
    explainImdsError(error) ??
    explainAuthorizationError(error) ??
    explainDeploymentError(error)
  );
}

function isUsageError(error: unknown): boolean {
  if (error instanceof UsageError) return true;
  // node:util parseArgs' own errors are usage errors too, when a sample calls it directly.
  const code = errorFields(error)?.code;
  return code?.startsWith("ERR_PARSE_ARGS_") === true;
}

function explainThrottling(error: unknown): string | undefined {
  const fields = errorFields(error);
  if (!fields) return undefined;
  // MSAL's error about an IMDS answer keeps its status in the message, and none of its headers.
  const throttledByImds = /Http status code: 429\b|Message too_many_requests/.test(fields.message);
  if (fields.statusCode !== 429 && !throttledByImds) return undefined;
  const retryAfter = retryAfterSeconds(fields.header);
  // MSAL's "Message too_many_requests: Error(s): …" carries IMDS's error code.
  const code = fields.code ?? /Message (\S+?): Error\(s\)/.exec(fields.message)?.[1];
  return [
    `Azure is throttling these requests (HTTP 429${code ? ` ${code}` : ""}).`,
    retryAfter === undefined
      ? "Wait a minute and run again."
      : `Wait ${retryAfter} s (as its Retry-After header asks) and run again.`,
  ].join("\n");
}

// The headers Azure uses to say when to come back, in the order core-rest-pipeline reads them.
function retryAfterSeconds(header: (name: string) => string | undefined): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const ms = Number(header(name));
    if (header(name) && Number.isFinite(ms)) return Math.ceil(ms / 1000);
  }
  const value = header("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

// Bounds that keep a real Azure message whole (InvalidTemplateDeployment's is about 250 characters, with a tracking ID
// and a link) while a pathological one cannot flood the terminal; what is cut is said, and --verbose prints it all.
const maxMessageLength = 1000;
const maxDetailLength = 400;
const maxDetailLines = 12;

/**
 * The fallback: the messages of the error and its causes on one line, with the code and HTTP status, then Azure's inner
 * errors (`details`), one per line, indented by depth.
 */
function describeError(error: unknown): string {
  const chain = causeChain(error);
  const fields = chain.map(errorFields).filter((found) => found !== undefined);
  if (fields.length === 0) return bounded(String(error), maxMessageLength);
  let message = "";
  for (const { message: next } of fields) {
    const line = oneLine(next, Number.POSITIVE_INFINITY);
    if (line === "" || message.includes(line)) continue;
    message = message === "" ? line : `${message.replace(/[.:]$/, "")}: ${line}`;
  }
  const code = fields.find((found) => found.code !== undefined)?.code;
  const statusCode = fields.find((found) => found.statusCode !== undefined)?.statusCode;
  const facts = [code, statusCode === undefined ? undefined : `HTTP ${statusCode}`].filter(Boolean);
  const headline = `${bounded(message, maxMessageLength)}${facts.length > 0 ? ` (${facts.join(", ")})` : ""}`;
  const inner = chain.map(azureErrorOf).find((found) => found !== undefined && found.details.length > 0);
  return [headline, ...(inner ? detailLines(inner.details) : [])].join("\n");
}

function detailLines(details: AzureError[]): string[] {
  const lines: string[] = [];
  const visit = (entries: AzureError[], depth: number) => {
    for (const entry of entries) {
      const target = entry.target ? ` (target: ${entry.target})` : "";
      const text = [entry.code, entry.message && oneLine(entry.message, Number.POSITIVE_INFINITY)]
        .filter(Boolean)
        .join(": ");
      lines.push(`${"  ".repeat(depth)}${bounded(`${text}${target}`, maxDetailLength)}`);
      visit(entry.details, depth + 1);
    }
  };
  visit(details, 1);
  if (lines.length <= maxDetailLines) return lines;
  const more = lines.length - (maxDetailLines - 1);
  return [
    ...lines.slice(0, maxDetailLines - 1),
    `  … and ${more} more inner errors (--verbose prints them all)`,
  ];
}

/** `text` on one line; when too long, cut at a word and saying so, never silently mid-way. */
function bounded(text: string, maxLength: number): string {
  const line = oneLine(text, Number.POSITIVE_INFINITY);
  if (line.length <= maxLength) return line;
  const start = cutAtWord(line, maxLength);
  return `${start} … [${line.length - start.length} more characters; --verbose prints them all]`;
}
