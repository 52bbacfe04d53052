// withTokenDeadline: a ManagedIdentityCredential whose token requests give up after a deadline (the SDK alone waits
// forever for an IMDS that accepts the connection and never answers), and whose failures remember which identity
// was asked for, so that explainError can name the setting to fix.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { formatDuration, withDeadline } from "./deadline.ts";
import { ManagedIdentityTimeoutError } from "./errors.ts";
import type { ChosenIdentity, IdentitySelection } from "./identity-selection.ts";
import { imdsEndpoint, runLocallyHint } from "./imds-endpoint.ts";
import { rememberTokenRequestContext } from "./token-request-context.ts";
import { parseMilliseconds } from "./validation.ts";

export const timeoutSetting = "AZURE_MANAGED_IDENTITY_TIMEOUT_MS";
/** Longer than the SDK's own retry window for IMDS answering 410 while it starts (about 74 s). */
export const defaultTimeoutMs = 90_000;

export interface TokenDeadlineOptions {
  /** Bound on a whole getToken call, retries included. Default: AZURE_MANAGED_IDENTITY_TIMEOUT_MS, else 90 s. */
  timeoutMs?: number | undefined;
  /** Where to read the timeout. Default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
}

export interface ManagedIdentityTokenCredential extends TokenCredential {
  readonly identity: IdentitySelection;
  readonly timeoutMs: number;
}

/** The deadline in effect: the option, else AZURE_MANAGED_IDENTITY_TIMEOUT_MS, else 90 s (a UsageError if malformed). */
export function tokenDeadlineMs(options: TokenDeadlineOptions = {}): number {
  const envTimeout = (options.env ?? process.env)[timeoutSetting]?.trim();
  if (options.timeoutMs !== undefined) return parseMilliseconds(options.timeoutMs, "timeoutMs");
  return envTimeout ? parseMilliseconds(envTimeout, timeoutSetting) : defaultTimeoutMs;
}

/**
 * `credential` (a ManagedIdentityCredential for `identity`) with every getToken call bounded by a deadline. Checks the
 * timeout and the IMDS address override now, before any request.
 */
export function withTokenDeadline(
  credential: TokenCredential,
  identity: ChosenIdentity,
  options: TokenDeadlineOptions = {},
): ManagedIdentityTokenCredential {
  const timeoutMs = tokenDeadlineMs(options);
  imdsEndpoint(process.env); // the SDK's own reading of the override: check its format now, not at the first request
  return {
    identity: identity.selection,
    timeoutMs,
    async getToken(
      scopes: string | string[],
      getTokenOptions: GetTokenOptions = {},
    ): Promise<AccessToken | null> {
      // The SDK reads the address from process.env.
      const endpoint = imdsEndpoint(process.env);
      try {
        return await withDeadline(() => credential.getToken(scopes, getTokenOptions), {
          timeoutMs,
          abortSignal: getTokenOptions.abortSignal,
          onTimeout: () =>
            new ManagedIdentityTimeoutError(
              `Managed identity: IMDS at ${endpoint} did not answer the token request within ${formatDuration(timeoutMs)} (${timeoutSetting}).\nOn an Azure VM, run again in a minute. Not on one? ${runLocallyHint}`,
              { timeoutMs, endpoint },
            ),
        });
      } catch (error) {
        rememberTokenRequestContext(error, {
          identity: identity.selection,
          setting: identity.setting,
          endpoint,
        });
        throw error;
      }
    },
  };
}
