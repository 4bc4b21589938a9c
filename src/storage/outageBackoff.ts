import type { Logger } from "pino";
import { isStorageUnavailable } from "./errors.js";

/** The longest wait between passes while storage stays away: an outage is noticed over within a minute. */
export const MAX_OUTAGE_BACKOFF_MS = 60_000;

/**
 * A background loop (outbox, GDAP sync, scheduler) whose pass failed because storage did not answer (refused, timed
 * out, 5xx) waits longer before the next pass, doubling up to a cap and never shorter than its own interval: a
 * hanging storage account costs a few requests a minute, not one per poll, and the loop cannot spin. The outage is
 * logged as one line per backoff step (per failed pass, never per request), and its end once.
 */
export class StorageOutageBackoff {
  private failures = 0;

  constructor(
    private readonly logger: Logger,
    private readonly loop: string,
    private readonly maxMs = MAX_OUTAGE_BACKOFF_MS,
  ) {}

  /** Storage was away at the last pass: wake-ups wait for the planned pass instead of starting one at once. */
  get backingOff(): boolean {
    return this.failures > 0;
  }

  /**
   * The wait before the next pass, given how the last one ended (`failure` undefined: it succeeded). Returns
   * undefined for a failure that is not a storage outage: the loop handles (and logs) that as before.
   */
  after(failure: unknown, intervalMs: number): number | undefined {
    if (failure === undefined) {
      if (this.failures > 0) this.logger.info({ loop: this.loop, failedPasses: this.failures }, "storage answers again: the loop resumes");
      this.failures = 0;
      return intervalMs;
    }
    if (!isStorageUnavailable(failure)) return undefined;
    this.failures++;
    const waitMs = Math.max(intervalMs, Math.min(this.maxMs, intervalMs * 2 ** this.failures));
    const reason = failure instanceof Error ? failure.message : typeof failure;
    this.logger.warn({ loop: this.loop, failedPasses: this.failures, waitMs, reason }, "storage does not answer: the loop backs off");
    return waitMs;
  }
}
