// Faults on demand (from the scenario, startEmulator options or the admin endpoint), so retry and error paths can be shown.
import { z } from "zod";

export const faultsSchema = z
  .object({
    /** IMDS answers 410 Gone for this many seconds after the faults are set (as after a VM boot or host update). */
    imdsGoneForSeconds: z.number().nonnegative().optional(),
    /** The next `count` IMDS requests get 429 with Retry-After. */
    imdsTooManyRequests: z
      .object({
        count: z.number().int().positive(),
        retryAfterSeconds: z.number().int().nonnegative().default(1),
      })
      .strict()
      .optional(),
    /** The next `count` IMDS requests get 500. */
    imdsServerErrors: z.object({ count: z.number().int().positive() }).strict().optional(),
    /** The next `count` ARM requests get 429 TooManyRequests with Retry-After. */
    armTooManyRequests: z
      .object({
        count: z.number().int().positive(),
        retryAfterSeconds: z.number().int().nonnegative().default(1),
      })
      .strict()
      .optional(),
    /** Added to every emulated response (IMDS, ARM, Key Vault), in milliseconds. */
    latencyMs: z.number().int().nonnegative().max(60_000).optional(),
  })
  .strict();

export type FaultsInput = z.input<typeof faultsSchema>;
export type Faults = z.output<typeof faultsSchema>;

export type ImdsFault =
  | { kind: "gone" }
  | { kind: "tooManyRequests"; retryAfterSeconds: number }
  | { kind: "serverError" };

/** Holds the active faults and counts them down as requests arrive. */
export class FaultController {
  #faults: Faults = {};
  #setAt = Date.now();
  #imdsThrottleLeft = 0;
  #imdsServerErrorsLeft = 0;
  #armThrottleLeft = 0;

  constructor(initial: Faults = {}) {
    this.set(initial);
  }

  /** Replaces every fault; counters and the 410 window start again now. */
  set(faults: Faults): void {
    this.#faults = { ...faults };
    this.#setAt = Date.now();
    this.#imdsThrottleLeft = faults.imdsTooManyRequests?.count ?? 0;
    this.#imdsServerErrorsLeft = faults.imdsServerErrors?.count ?? 0;
    this.#armThrottleLeft = faults.armTooManyRequests?.count ?? 0;
  }

  clear(): void {
    this.set({});
  }

  /** The faults as set, with what is left of each. */
  describe(): Faults & { remaining: Record<string, number> } {
    const goneLeftMs = Math.max(
      0,
      (this.#faults.imdsGoneForSeconds ?? 0) * 1000 - (Date.now() - this.#setAt),
    );
    return {
      ...this.#faults,
      remaining: {
        imdsGoneMs: goneLeftMs,
        imdsTooManyRequests: this.#imdsThrottleLeft,
        imdsServerErrors: this.#imdsServerErrorsLeft,
        armTooManyRequests: this.#armThrottleLeft,
      },
    };
  }

  get latencyMs(): number {
    return this.#faults.latencyMs ?? 0;
  }

  /** The fault the next IMDS request must get, if any (410 first, then 429, then 500). */
  takeImdsFault(): ImdsFault | undefined {
    const goneFor = this.#faults.imdsGoneForSeconds;
    if (goneFor !== undefined && Date.now() - this.#setAt < goneFor * 1000) return { kind: "gone" };
    if (this.#imdsThrottleLeft > 0) {
      this.#imdsThrottleLeft--;
      return {
        kind: "tooManyRequests",
        retryAfterSeconds: this.#faults.imdsTooManyRequests?.retryAfterSeconds ?? 1,
      };
    }
    if (this.#imdsServerErrorsLeft > 0) {
      this.#imdsServerErrorsLeft--;
      return { kind: "serverError" };
    }
    return undefined;
  }

  /** Seconds for Retry-After when the next ARM request must be throttled. */
  takeArmThrottle(): number | undefined {
    if (this.#armThrottleLeft > 0) {
      this.#armThrottleLeft--;
      return this.#faults.armTooManyRequests?.retryAfterSeconds ?? 1;
    }
    return undefined;
  }
}
