// Where IMDS is: the address every Azure VM serves it on, unless AZURE_POD_IDENTITY_AUTHORITY_HOST moves it (the
// same override the Azure SDK's ManagedIdentityCredential honours, which is how the emulator and tests plug in).
import { UsageError } from "./errors.ts";

export const defaultImdsEndpoint = "http://169.254.169.254";
export const imdsEndpointSetting = "AZURE_POD_IDENTITY_AUTHORITY_HOST";

/**
 * How to run a sample without a VM, right from where the person stands: `start:local` is a script of every sample,
 * `emulator` one of the repository root only.
 */
export const runLocallyHint =
  "Run it locally against the emulator: `pnpm start:local` in the sample's folder (or `pnpm emulator exec -- <command>` from the repository root).";

/** The IMDS origin (no trailing slash) for this environment. */
export function imdsEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[imdsEndpointSetting]?.trim();
  if (!override) return defaultImdsEndpoint;
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `${imdsEndpointSetting} must be an http(s) URL like http://127.0.0.1:8080, not '${override}'.`,
      {
        setting: imdsEndpointSetting,
      },
    );
  }
  return override.replace(/\/+$/, "");
}
