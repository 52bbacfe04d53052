// Bounding work that may never finish: a deadline that rejects with a chosen error and cancels the work.
import type { AbortSignalLike } from "@azure/abort-controller";
import { AbortError } from "@azure/abort-controller";

export interface DeadlineOptions {
  timeoutMs: number;
  /** The error to reject with when the deadline passes. */
  onTimeout: () => Error;
  /** The caller's own cancellation, honoured too. */
  abortSignal?: AbortSignalLike | undefined;
}

/**
 * Runs `work` with a signal that aborts when the deadline passes (or the caller aborts), and settles as soon as either
 * happens, whatever `work` does. The timer is cleared once settled, so a finished call keeps nothing alive.
 */
export function withDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  options: DeadlineOptions,
): Promise<T> {
  const { timeoutMs, onTimeout, abortSignal } = options;
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    if (abortSignal?.aborted) {
      reject(new AbortError("The operation was cancelled."));
      return;
    }
    const stop = (error: Error) => {
      cleanUp();
      controller.abort(error);
      reject(error);
    };
    const onCallerAbort = () => stop(new AbortError("The operation was cancelled."));
    const timer = setTimeout(() => stop(onTimeout()), timeoutMs);
    abortSignal?.addEventListener("abort", onCallerAbort);
    function cleanUp() {
      clearTimeout(timer);
      abortSignal?.removeEventListener("abort", onCallerAbort);
    }
    // Once the deadline has rejected, a late result or error of `work` is dropped here (settling twice is a no-op).
    Promise.resolve()
      .then(() => work(controller.signal))
      .then(
        (value) => {
          cleanUp();
          resolve(value);
        },
        (error: unknown) => {
          cleanUp();
          reject(error);
        },
      );
  });
}

/** `0.3 s`, `20 s`, `1.5 min` */
export function formatDuration(ms: number): string {
  if (ms >= 120_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}
