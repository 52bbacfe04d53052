// Reads the emulator's request log the way the tests and `pnpm bench` count a sample's calls: IMDS token and
// metadata requests, Azure Resource Manager and Key Vault requests.
import type { RequestLogEntry } from "@msi-samples/emulator";

export interface RequestTally {
  /** Requests to IMDS's token endpoint, retries included. */
  imdsTokens: number;
  /** The distinct `resource` values those asked for, sorted. */
  audiences: string[];
  /** Other IMDS requests (instance metadata). */
  imdsMetadata: number;
  arm: number;
  keyVault: number;
  /** Anything else the proxy saw (a refused host, for example). */
  other: number;
}

const query = (entry: RequestLogEntry) => new URL(entry.path, "http://imds.invalid").searchParams;

export function isTokenRequest(entry: RequestLogEntry): boolean {
  return entry.service === "imds" && /^\/metadata\/identity\/oauth2\/token\/?(\?|$)/.test(entry.path);
}

export function tokenRequests(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter(isTokenRequest);
}

/** The user-assigned identity selector a token request carried (client_id, object_id or msi_res_id), if any. */
export function tokenRequestSelector(entry: RequestLogEntry): Record<string, string> {
  const params = query(entry);
  const selector: Record<string, string> = {};
  for (const name of ["client_id", "object_id", "msi_res_id"]) {
    const value = params.get(name);
    if (value !== null) selector[name] = value;
  }
  return selector;
}

export function tallyRequests(entries: readonly RequestLogEntry[]): RequestTally {
  const tokens = tokenRequests(entries);
  const audiences = new Set(tokens.map((entry) => query(entry).get("resource") ?? "(none)"));
  return {
    imdsTokens: tokens.length,
    audiences: [...audiences].sort(),
    imdsMetadata: entries.filter((e) => e.service === "imds").length - tokens.length,
    arm: entries.filter((e) => e.service === "arm").length,
    keyVault: entries.filter((e) => e.service === "keyvault").length,
    other: entries.filter((e) => !["imds", "arm", "keyvault"].includes(e.service)).length,
  };
}
