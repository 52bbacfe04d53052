// explainError: turns the errors people really hit into one or two lines saying what to fix, and an exit code.
import { causeChain, errorFields, oneLine } from "./error-shapes.ts";
import { ManagedIdentityTimeoutError, UsageError } from "./errors.ts";
import { explainAuthorizationError } from "./explain-authorization-error.ts";
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
  return explainImdsError(error) ?? explainAuthorizationError(error) ?? explainThrottling(error);
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
  const imdsStatus = /Http status code: (\d+)/.exec(fields.message)?.[1];
  if (fields.statusCode !== 429 && imdsStatus !== "429") return undefined;
  const retryAfter = retryAfterSeconds(fields.header);
  return [
    `Azure is throttling these requests (HTTP 429${fields.code ? ` ${fields.code}` : ""}).`,
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

/** The fallback: the error's own message on one line, with its code and HTTP status. */
function describeError(error: unknown): string {
  const fields = errorFields(error);
  if (!fields) return String(error);
  const facts = [
    fields.code,
    fields.statusCode === undefined ? undefined : `HTTP ${fields.statusCode}`,
  ].filter((fact) => fact !== undefined);
  return oneLine(`${fields.message}${facts.length > 0 ? ` (${facts.join(", ")})` : ""}`);
}
