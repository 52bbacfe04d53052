// Long-running operations (ARM async pattern): a 201/202 with Location and/or Azure-AsyncOperation, a status the
// client polls, and the work done when the operation completes. Any provider can start one.
// Protocol: azure-rest-api-specs documentation/Azure-RM-API-Guidelines (async operations) and the SDK's poller
// (Azure-AsyncOperation wins over Location; the first poll is immediate; Retry-After sets the interval).
import { randomUUID } from "node:crypto";
import type { Reply } from "../http/reply.ts";
import type { ArmErrorDetail } from "./arm-errors.ts";

export type OperationStatus = "InProgress" | "Succeeded" | "Failed" | "Canceled";

/** What the work returns: nothing (success), a final body for Location polling, or ARM's error. */
export interface OperationOutcome {
  error?: ArmErrorDetail;
  /** HTTP status of a failed Location poll (default 400 for client errors, as ARM does for a failed deployment). */
  errorStatus?: number;
  /** Body of the final 200 on the Location URL (e.g. a created resource); none for deletes. */
  result?: unknown;
}

export interface OperationRecord {
  id: string;
  subscriptionId: string;
  /** For the Azure-AsyncOperation URL: the provider namespace and region that "own" the operation. */
  providerNamespace: string;
  location: string;
  status: OperationStatus;
  startTime: string;
  endTime?: string;
  outcome?: OperationOutcome;
  completesAt: number;
  /** What a status poll shows while the operation runs (default InProgress; deployments say Accepted, Running). */
  progress?: () => string;
}

export interface StartOperationOptions {
  subscriptionId: string;
  providerNamespace?: string;
  location?: string;
  /** The work; runs when the operation completes (at once when latency is "instant"). */
  run: () => Promise<OperationOutcome | undefined> | OperationOutcome | undefined;
  /** How long a "realistic" operation stays InProgress; default 3 s. */
  realisticDurationMs?: number;
}

/** Work that starts at once and finishes when it finishes (a deployment): see LongRunningOperations.track. */
export interface TrackOperationOptions {
  subscriptionId: string;
  providerNamespace?: string;
  location?: string;
  work: () => Promise<OperationOutcome | undefined>;
  progress?: () => string;
}

export class LongRunningOperations {
  readonly #operations = new Map<string, OperationRecord>();
  readonly #work = new Map<string, StartOperationOptions["run"]>();
  readonly #settling = new Map<string, Promise<void>>();
  readonly #latency: () => "instant" | "realistic";
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(latency: () => "instant" | "realistic") {
    this.#latency = latency;
  }

  /**
   * Starts an operation. With instant latency the work is done (and persisted by it) before this resolves, so the
   * change is acknowledged with the 202; otherwise it completes after a few seconds, or at the first poll after that.
   */
  async start(options: StartOperationOptions): Promise<OperationRecord> {
    const instant = this.#latency() === "instant";
    const record = this.#add(options, Date.now() + (instant ? 0 : (options.realisticDurationMs ?? 3000)));
    this.#work.set(record.id, options.run);
    if (instant) {
      await this.#settle(record);
    } else {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        void this.#settle(record);
      }, record.completesAt - Date.now());
      timer.unref();
      this.#timers.add(timer);
    }
    return record;
  }

  /**
   * Starts work that runs on its own schedule and completes the operation when it finishes. With instant latency
   * this resolves after the work is done (so the 201/202 acknowledges the finished change).
   */
  async track(options: TrackOperationOptions): Promise<OperationRecord> {
    // Polls never force it: the work decides when it is done.
    const record = this.#add(options, Number.POSITIVE_INFINITY);
    if (options.progress) record.progress = options.progress;
    const settling = completeWith(record, options.work);
    this.#settling.set(record.id, settling);
    if (this.#latency() === "instant") await settling;
    return record;
  }

  /** Starts an operation and answers 202 with its Location: how ARM acknowledges an asynchronous create or delete. */
  async startAccepted(
    options: StartOperationOptions,
    request: { baseUrl: string; apiVersion: string },
  ): Promise<Reply> {
    const record = await this.start(options);
    return this.acceptedReply(record, {
      baseUrl: request.baseUrl,
      apiVersion: request.apiVersion,
      status: 202,
    });
  }

  /** Resolves once the operation has completed (at once for an unknown or finished one). */
  async settled(id: string): Promise<OperationRecord | undefined> {
    const record = this.#operations.get(id);
    if (!record) return undefined;
    if (record.status === "InProgress") {
      const settling = this.#settling.get(id);
      if (settling) await settling;
      else await this.#waitForTimer(record);
    }
    return record;
  }

  /** The operation a Location or Azure-AsyncOperation URL of this store names, if any. */
  idFromUrl(url: string): string | undefined {
    const match = /\/(?:operationresults|operationstatuses)\/([^/?#]+)/i.exec(url);
    return match?.[1] && this.#operations.has(match[1]) ? match[1] : undefined;
  }

  /** The operation's current state, completing it first if it is due. */
  async poll(id: string): Promise<OperationRecord | undefined> {
    const record = this.#operations.get(id);
    if (record && record.status === "InProgress" && Date.now() >= record.completesAt)
      await this.#settle(record);
    return record;
  }

  /** Seconds a client should wait between polls: 1 for realistic operations (demos show progress), none when instant. */
  retryAfterSeconds(): number {
    return this.#latency() === "instant" ? 0 : 1;
  }

  /** The Location URL (GET returns 202 while running, then the final result). */
  locationUrl(baseUrl: string, record: OperationRecord, apiVersion: string): string {
    return `${baseUrl}/subscriptions/${record.subscriptionId}/operationresults/${record.id}?api-version=${encodeURIComponent(apiVersion)}`;
  }

  /** The Azure-AsyncOperation URL (GET returns `{ status }` until Succeeded/Failed/Canceled). */
  asyncOperationUrl(baseUrl: string, record: OperationRecord, apiVersion: string): string {
    return `${baseUrl}/subscriptions/${record.subscriptionId}/providers/${record.providerNamespace}/locations/${record.location}/operationStatuses/${record.id}?api-version=${encodeURIComponent(apiVersion)}`;
  }

  /**
   * The answer that starts a long-running operation: `status` (202 for deletes and actions, 201/200 for a PUT that
   * returns the resource), a Location and/or Azure-AsyncOperation header, Retry-After, and an optional body.
   */
  acceptedReply(
    record: OperationRecord,
    options: {
      baseUrl: string;
      apiVersion: string;
      status?: number;
      location?: boolean;
      asyncOperation?: boolean;
      body?: unknown;
    },
  ): Reply {
    const headers: Record<string, string> = {};
    if (options.location ?? true)
      headers.location = this.locationUrl(options.baseUrl, record, options.apiVersion);
    if (options.asyncOperation)
      headers["azure-asyncoperation"] = this.asyncOperationUrl(options.baseUrl, record, options.apiVersion);
    const retryAfter = this.retryAfterSeconds();
    // ARM sends Retry-After with every accepted operation; 0 is ignored by the SDK, which then polls at once.
    headers["retry-after"] = String(retryAfter);
    return {
      status: options.status ?? 202,
      headers,
      ...(options.body === undefined ? {} : { body: options.body }),
    };
  }

  /** The body of an Azure-AsyncOperation status GET. */
  statusBody(record: OperationRecord, baseUrl: string, apiVersion: string): Record<string, unknown> {
    const url = new URL(this.asyncOperationUrl(baseUrl, record, apiVersion));
    return {
      id: url.pathname,
      name: record.id,
      status: record.status === "InProgress" && record.progress ? record.progress() : record.status,
      startTime: record.startTime,
      ...(record.endTime ? { endTime: record.endTime } : {}),
      ...(record.status === "InProgress" ? { percentComplete: 50 } : {}),
      ...(record.outcome?.error ? { error: record.outcome.error } : {}),
    };
  }

  /** A realistic operation completes when its timer fires (or at the first poll after that). */
  async #waitForTimer(record: OperationRecord): Promise<void> {
    const delay = Math.max(0, record.completesAt - Date.now());
    if (Number.isFinite(delay)) await new Promise((resolve) => setTimeout(resolve, delay));
    await this.#settle(record);
  }

  /** Stops timers (emulator shutdown). */
  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #add(options: TrackOperationOptions | StartOperationOptions, completesAt: number): OperationRecord {
    const record: OperationRecord = {
      id: randomUUID(),
      subscriptionId: options.subscriptionId,
      providerNamespace: options.providerNamespace ?? "Microsoft.Resources",
      location: options.location ?? "westus2",
      status: "InProgress",
      startTime: new Date().toISOString(),
      completesAt,
    };
    this.#operations.set(record.id, record);
    return record;
  }

  #settle(record: OperationRecord): Promise<void> {
    let settling = this.#settling.get(record.id);
    if (!settling) {
      const work = this.#work.get(record.id);
      this.#work.delete(record.id);
      settling = completeWith(record, async () => (await work?.()) ?? undefined);
      this.#settling.set(record.id, settling);
    }
    return settling;
  }
}

/** Runs the work and records its outcome; a bug in it fails the operation (500) instead of leaving it running. */
async function completeWith(
  record: OperationRecord,
  work: () => Promise<OperationOutcome | undefined>,
): Promise<void> {
  let outcome: OperationOutcome | undefined;
  try {
    outcome = await work();
  } catch (error) {
    outcome = { error: { code: "InternalServerError", message: (error as Error).message }, errorStatus: 500 };
  }
  record.outcome = outcome ?? {};
  record.status = outcome?.error ? "Failed" : "Succeeded";
  record.endTime = new Date().toISOString();
}
