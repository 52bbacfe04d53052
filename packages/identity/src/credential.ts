// createManagedIdentityCredential: the SDK's ManagedIdentityCredential with its identity checked up front and every
// token request bounded in time.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ManagedIdentityCredential } from "@azure/identity";
import { attemptBoundHttpClient, type BoundedCall, runBoundedCall } from "./attempt-bound-http-client.ts";
import { formatDuration, withDeadline } from "./deadline.ts";
import { ManagedIdentityTimeoutError } from "./errors.ts";
import {
  type IdentitySelection,
  type IdentitySelectorOptions,
  selectIdentity,
} from "./identity-selection.ts";
import { imdsEndpoint, runLocallyHint } from "./imds-endpoint.ts";
import { rememberTokenRequestContext } from "./token-request-context.ts";
import { parseMilliseconds } from "./validation.ts";

export const timeoutSetting = "AZURE_MANAGED_IDENTITY_TIMEOUT_MS";
/** Longer than the SDK's own retry window for IMDS answering 410 while it starts (about 74 s). */
export const defaultTimeoutMs = 90_000;
/** Real IMDS answers in milliseconds; four hung attempts at this bound still end within the default deadline. */
export const defaultAttemptTimeoutMs = 20_000;

export interface ManagedIdentityCredentialOptions extends IdentitySelectorOptions {
  /** Bound on a whole getToken call, retries included. Default: AZURE_MANAGED_IDENTITY_TIMEOUT_MS, else 90 s. */
  timeoutMs?: number | undefined;
  /** Bound on one HTTP attempt inside it; a hung attempt is retried by the SDK. Default 20 s (at most timeoutMs). */
  attemptTimeoutMs?: number | undefined;
  /** Where to read AZURE_CLIENT_ID & co. and the timeout. Default process.env. (The SDK itself reads
   * AZURE_POD_IDENTITY_AUTHORITY_HOST from process.env.) */
  env?: NodeJS.ProcessEnv | undefined;
}

export interface ManagedIdentityTokenCredential extends TokenCredential {
  readonly identity: IdentitySelection;
  readonly timeoutMs: number;
  readonly attemptTimeoutMs: number;
}

/**
 * A TokenCredential for the VM's managed identity: system-assigned, or the user-assigned one named by exactly one
 * of clientId / objectId / resourceId (options, else AZURE_CLIENT_ID, AZURE_MANAGED_IDENTITY_OBJECT_ID,
 * AZURE_MANAGED_IDENTITY_RESOURCE_ID). Throws UsageError for a malformed or ambiguous choice, before any request.
 */
export function createManagedIdentityCredential(
  options: ManagedIdentityCredentialOptions = {},
): ManagedIdentityTokenCredential {
  const env = options.env ?? process.env;
  const { identity, setting } = selectIdentity(options, env);
  imdsEndpoint(process.env); // the SDK's own reading of the override: check its format now, not at the first request
  const envTimeout = env[timeoutSetting]?.trim();
  const timeoutMs =
    options.timeoutMs !== undefined
      ? parseMilliseconds(options.timeoutMs, "timeoutMs")
      : envTimeout
        ? parseMilliseconds(envTimeout, timeoutSetting)
        : defaultTimeoutMs;
  const attemptTimeoutMs = Math.min(
    options.attemptTimeoutMs === undefined
      ? defaultAttemptTimeoutMs
      : parseMilliseconds(options.attemptTimeoutMs, "attemptTimeoutMs"),
    timeoutMs,
  );
  const sdkCredential = createSdkCredential(identity);
  return new BoundedManagedIdentityCredential(sdkCredential, identity, setting, timeoutMs, attemptTimeoutMs);
}

function createSdkCredential(identity: IdentitySelection): TokenCredential {
  const httpClient = attemptBoundHttpClient;
  if (identity.kind === "system-assigned") return new ManagedIdentityCredential({ httpClient });
  switch (identity.by) {
    case "clientId":
      return new ManagedIdentityCredential({ clientId: identity.value, httpClient });
    case "objectId":
      return new ManagedIdentityCredential({ objectId: identity.value, httpClient });
    case "resourceId":
      return new ManagedIdentityCredential({ resourceId: identity.value, httpClient });
  }
}

class BoundedManagedIdentityCredential implements ManagedIdentityTokenCredential {
  readonly identity: IdentitySelection;
  readonly timeoutMs: number;
  readonly attemptTimeoutMs: number;
  readonly #sdkCredential: TokenCredential;
  readonly #setting: string | undefined;

  constructor(
    sdkCredential: TokenCredential,
    identity: IdentitySelection,
    setting: string | undefined,
    timeoutMs: number,
    attemptTimeoutMs: number,
  ) {
    this.#sdkCredential = sdkCredential;
    this.identity = identity;
    this.#setting = setting;
    this.timeoutMs = timeoutMs;
    this.attemptTimeoutMs = attemptTimeoutMs;
  }

  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken | null> {
    // The SDK reads the address from process.env, whatever `env` option this credential was given.
    const endpoint = imdsEndpoint(process.env);
    let call: BoundedCall | undefined;
    try {
      return await withDeadline(
        (signal) => {
          call = { attemptTimeoutMs: this.attemptTimeoutMs, signal, attempts: 0, timedOutAttempts: 0 };
          return runBoundedCall(call, () => this.#sdkCredential.getToken(scopes, options));
        },
        {
          timeoutMs: this.timeoutMs,
          abortSignal: options.abortSignal,
          onTimeout: () =>
            new ManagedIdentityTimeoutError(
              `Managed identity: IMDS at ${endpoint} did not answer the token request within ${formatDuration(this.timeoutMs)} (${timeoutSetting}).\n${nextStep}`,
              { timeoutMs: this.timeoutMs, endpoint },
            ),
        },
      );
    } catch (error) {
      // Every attempt hung and the SDK gave up calling it a network error: say what really happened.
      const sdkGaveUp = error instanceof Error && error.name === "CredentialUnavailableError";
      if (sdkGaveUp && call && call.attempts > 0 && call.timedOutAttempts === call.attempts) {
        throw new ManagedIdentityTimeoutError(
          `Managed identity: IMDS at ${endpoint} did not answer any of ${call.attempts} token requests within ${formatDuration(this.attemptTimeoutMs)} each.\n${nextStep}`,
          { timeoutMs: this.attemptTimeoutMs, endpoint, cause: error },
        );
      }
      rememberTokenRequestContext(error, {
        identity: this.identity,
        setting: this.#setting,
        endpoint,
        lastAnswer: call?.lastAnswer,
      });
      throw error;
    }
  }
}

const nextStep = `On an Azure VM, run again in a minute. Not on one? ${runLocallyHint}`;
