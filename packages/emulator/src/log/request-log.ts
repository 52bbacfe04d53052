// The request log: every request the emulator answers, kept in memory (bounded) with tokens and secrets redacted.
import type { RequestDetails } from "./request-details.ts";

export interface LoggedPrincipal {
  objectId: string;
  clientId: string;
  /** "system" or the user-assigned identity's name, when the principal is the VM's. */
  identity?: string;
}

export interface RequestLogEntry {
  /** Increasing number, for `?since=` polling. */
  seq: number;
  time: string;
  service: "imds" | "arm" | "keyvault" | "proxy" | string;
  method: string;
  host: string;
  /** Path and query, with sensitive query values replaced by "REDACTED". */
  path: string;
  status: number;
  durationMs: number;
  principal?: LoggedPrincipal;
  /** The error code answered, if any. */
  error?: string;
  requestId?: string;
  /** The calling program, from its User-Agent (e.g. "azsdk-js-identity/4.14.1"). */
  client?: string;
  /** Decoded token, challenge and RBAC checks: returned by `get(seq)` only, not by `list()`. */
  details?: RequestDetails;
}

const SENSITIVE_QUERY_KEYS =
  /^(sig|signature|code|token|access_token|refresh_token|client_secret|secret|password|key|sv|se|skoid|sktid)$/i;

/** Removes values that must never be logged: query parameters that carry credentials. */
function redactPath(pathAndQuery: string): string {
  const queryAt = pathAndQuery.indexOf("?");
  if (queryAt < 0) return pathAndQuery;
  const pathPart = pathAndQuery.slice(0, queryAt);
  const parts = pathAndQuery
    .slice(queryAt + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return pair;
      const name = safeDecode(pair.slice(0, eq));
      return SENSITIVE_QUERY_KEYS.test(name) ? `${pair.slice(0, eq)}=REDACTED` : pair;
    });
  return `${pathPart}?${parts.join("&")}`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];
  readonly #capacity: number;
  readonly #listeners = new Set<(entry: RequestLogEntry) => void>();
  #seq = 0;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  add(entry: Omit<RequestLogEntry, "seq" | "path"> & { path: string }): RequestLogEntry {
    const stored: RequestLogEntry = { ...entry, seq: ++this.#seq, path: redactPath(entry.path) };
    this.#entries.push(stored);
    if (this.#entries.length > this.#capacity) this.#entries.shift();
    for (const listener of this.#listeners) listener(stored);
    return stored;
  }

  /** Entries after `since` (a seq number), oldest first, without their details. */
  list(since = 0): RequestLogEntry[] {
    return this.#entries.filter((e) => e.seq > since).map(({ details: _details, ...summary }) => summary);
  }

  /** One entry with its details, while it is still kept. */
  get(seq: number): RequestLogEntry | undefined {
    // Entries are kept in seq order without gaps (clear() empties the whole log), so the index follows from seq.
    const first = this.#entries[0]?.seq ?? 0;
    const entry = this.#entries[seq - first];
    return entry?.seq === seq ? entry : undefined;
  }

  clear(): void {
    this.#entries.length = 0;
  }

  onEntry(listener: (entry: RequestLogEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
