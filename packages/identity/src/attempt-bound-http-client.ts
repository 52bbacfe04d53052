// The HTTP client handed to ManagedIdentityCredential: bounds each attempt, so a hung IMDS answer becomes a retried
// timeout, and lets the call that started a request cancel it, so an abandoned request keeps no socket open.
import { AsyncLocalStorage } from "node:async_hooks";
import { AbortError } from "@azure/abort-controller";
import type { HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { createDefaultHttpClient, RestError } from "@azure/core-rest-pipeline";

/** What one getToken call tells the requests it causes, and learns back from them. */
export interface BoundedCall {
  attemptTimeoutMs: number;
  /** Aborted when the call is given up (deadline or caller); requests still in flight are then cancelled. */
  signal: AbortSignal;
  attempts: number;
  timedOutAttempts: number;
  /** The status and headers of the last answer IMDS gave, which MSAL's error leaves out (a 429's Retry-After). */
  lastAnswer?: ImdsAnswer;
}

export interface ImdsAnswer {
  status: number;
  header: (name: string) => string | undefined;
}

// MSAL builds the IMDS requests itself and passes nothing of the caller's through, so the bound travels with the
// async context of the getToken call instead. MSAL also keeps the network client of the first credential of the
// process for all later ones: that is why there is one client for the whole package and the bound is per call.
const currentCall = new AsyncLocalStorage<BoundedCall>();
const transport = createDefaultHttpClient();

export function runBoundedCall<T>(call: BoundedCall, work: () => Promise<T>): Promise<T> {
  return currentCall.run(call, work);
}

export const attemptBoundHttpClient: HttpClient = {
  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    const call = currentCall.getStore();
    if (!call) return transport.sendRequest(request);
    if (call.signal.aborted) throw new AbortError("The token request was given up.");
    call.attempts += 1;

    const attempt = new AbortController();
    const callerSignal = request.abortSignal;
    const abortAttempt = () => attempt.abort();
    const timer = setTimeout(abortAttempt, call.attemptTimeoutMs);
    call.signal.addEventListener("abort", abortAttempt);
    callerSignal?.addEventListener("abort", abortAttempt);
    request.abortSignal = attempt.signal;
    try {
      const response = await transport.sendRequest(request);
      call.lastAnswer = { status: response.status, header: (name) => response.headers.get(name) };
      return response;
    } catch (error) {
      const timedOut = attempt.signal.aborted && !call.signal.aborted && !callerSignal?.aborted;
      if (!timedOut) throw error;
      call.timedOutAttempts += 1;
      // A RestError with a system error code is what the SDK's retry policy retries, like a dropped connection.
      throw new RestError(`No answer within ${call.attemptTimeoutMs} ms`, { code: "ETIMEDOUT", request });
    } finally {
      clearTimeout(timer);
      call.signal.removeEventListener("abort", abortAttempt);
      callerSignal?.removeEventListener("abort", abortAttempt);
      request.abortSignal = callerSignal;
    }
  },
};
