// The errors this package throws on purpose, each carrying what explainError needs to say what to fix.

/** Bad input from the person running a sample (a flag, an environment variable, a prompt answer): exit code 2. */
export class UsageError extends Error {
  /** The flag and/or environment variable at fault, e.g. `--client-id / AZURE_CLIENT_ID`. */
  readonly setting?: string;

  constructor(message: string, options: { setting?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "UsageError";
    if (options.setting !== undefined) this.setting = options.setting;
  }
}

/** A managed-identity token request that got no answer in time (the SDK on its own would wait forever). */
export class ManagedIdentityTimeoutError extends Error {
  /** The bound that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  /** The IMDS origin the request went to, e.g. `http://169.254.169.254`. */
  readonly endpoint: string;

  constructor(message: string, options: { timeoutMs: number; endpoint: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ManagedIdentityTimeoutError";
    this.timeoutMs = options.timeoutMs;
    this.endpoint = options.endpoint;
  }
}

/** Reading the VM's instance metadata from IMDS failed; `code` is the network error code when there was no answer. */
export class InstanceMetadataError extends Error {
  readonly endpoint: string;
  /** `ECONNREFUSED`, `ETIMEDOUT`, ... when IMDS could not be reached. */
  readonly code?: string;
  /** The HTTP status when IMDS answered with an error. */
  readonly statusCode?: number;

  constructor(
    message: string,
    options: { endpoint: string; code?: string; statusCode?: number; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "InstanceMetadataError";
    this.endpoint = options.endpoint;
    if (options.code !== undefined) this.code = options.code;
    if (options.statusCode !== undefined) this.statusCode = options.statusCode;
  }
}
