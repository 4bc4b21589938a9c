import { AsyncLocalStorage } from "node:async_hooks";
import type { TablePipelinePolicies } from "./tables.js";

/**
 * A storage endpoint that hangs instead of refusing must not hold a user for as long as it hangs: Teams gives up on
 * an invoke after about 3 s. Every request gets two bounds, both enforced in the HTTP pipeline of every table client:
 * - a per-try timeout (one attempt on the wire), after which the SDK's retry policy may try again, and
 * - a deadline for the request with all its retries: the turn's deadline when a turn is running (one budget for
 *   every storage call the turn makes, see withStorageDeadline), otherwise now + the background budget.
 * Outside a turn both are longer (STORAGE_BACKGROUND_*): a background loop has nobody waiting, and under load a short
 * timeout turns slow writes into unknown outcomes and retries, which load the storage further (measured in the
 * scale-out benchmark: Azurite busy, its answers over 1 s, every cut-off write tried again).
 */
export interface StorageTimeouts {
  /** One attempt on the wire, in a turn (a card action, a message, a health check). */
  tryTimeoutMs: number;
  /** All attempts of one request, and all requests of one card action, together. */
  actionBudgetMs: number;
  /**
   * One attempt on the wire outside a turn (background loops, start-up, scripts); the turn's when absent. Nobody
   * waits on these, and cutting a slow write off costs more than waiting: its outcome becomes unknown (a delivered
   * notification may be sent again), and its retry is one more request to a storage that is slow because it is busy.
   */
  backgroundTryTimeoutMs?: number;
  /** All attempts of one request outside a turn; the action budget when absent. */
  backgroundBudgetMs?: number;
}

type PipelinePolicy = TablePipelinePolicies[number]["policy"];
type PipelineRequest = Parameters<PipelinePolicy["sendRequest"]>[0];

const turnDeadline = new AsyncLocalStorage<number>();

/**
 * Runs `work` with one storage deadline `budgetMs` from now: every storage request it makes (also in callbacks it
 * starts) fails with a StorageTimeoutError once the deadline has passed, so the caller can still answer in time.
 * A deadline already running (an outer turn) is kept if it is earlier.
 */
export function withStorageDeadline<T>(budgetMs: number, work: () => Promise<T>): Promise<T> {
  const outer = turnDeadline.getStore();
  const deadline = Math.min(outer ?? Infinity, Date.now() + budgetMs);
  return turnDeadline.run(deadline, work);
}

/**
 * Runs `work` outside any turn's deadline: a background loop woken by a turn (a commit wakes the outbox) must not
 * inherit that turn's budget through its timers, or its later passes would find the budget long spent.
 */
export function withoutStorageDeadline<T>(work: () => T): T {
  return turnDeadline.exit(work);
}

/** Storage did not answer within its budget: isStorageUnavailable() counts it as an outage ("try again in a moment"). */
export class StorageTimeoutError extends Error {
  readonly code = "STORAGE.TIMEOUT";
  constructor(message: string) {
    super(message);
    this.name = "TimeoutError";
  }
}

/**
 * A write whose answer did not come in time may still have been carried out: the bytes reached storage, and a
 * transaction that arrived commits whole whether or not anyone waits for its answer. Saying "nothing was changed"
 * then may be false (it was, measured under load: an accept stored while the user was told to try again). The
 * caller can only say it does not know, and show the current state.
 */
export class StorageOutcomeUnknownError extends Error {
  readonly code = "STORAGE.OUTCOME_UNKNOWN";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StorageOutcomeUnknownError";
  }
}

export const isStorageOutcomeUnknown = (error: unknown): boolean => {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++)
    if (e instanceof StorageOutcomeUnknownError) return true;
  return false;
};

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "MERGE", "DELETE"]);
const isWrite = (request: PipelineRequest): boolean =>
  WRITE_METHODS.has(request.method) || WRITE_METHODS.has(request.headers.get("x-http-method") ?? "");

const deadlines = new WeakMap<PipelineRequest, number>();
/** Writes one of whose tries was cut off after it had been sent (its outcome is unknown from then on). */
const writesCutOff = new WeakSet<PipelineRequest>();

type SignalLike = NonNullable<PipelineRequest["abortSignal"]>;

/** `own` also aborts when the caller's signal does; returns the listener's removal. */
function follow(outer: SignalLike | undefined, own: AbortController): () => void {
  if (!outer) return () => undefined;
  if (outer.aborted) own.abort();
  const abort = () => own.abort();
  outer.addEventListener("abort", abort);
  return () => outer.removeEventListener("abort", abort);
}

/** Requests made outside a turn: their tries get the background timeout. */
const inBackground = new WeakSet<PipelineRequest>();

/**
 * Aborts the request with all its retries at the deadline (the retry policy stops at an aborted signal, delays too):
 * the turn's, or, outside a turn, now + the background budget.
 */
function deadlinePolicy(budgetMs: number, backgroundBudgetMs: number): PipelinePolicy {
  return {
    name: "partnerDeskStorageDeadline",
    async sendRequest(request, next) {
      const turn = turnDeadline.getStore();
      if (turn === undefined) inBackground.add(request);
      const deadline = turn === undefined ? Date.now() + backgroundBudgetMs : Math.min(turn, Date.now() + budgetMs);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new StorageTimeoutError("storage: the action's time budget was spent before this request");
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), remaining);
      const original = request.abortSignal;
      const unfollow = follow(original, controller);
      request.abortSignal = controller.signal;
      deadlines.set(request, deadline);
      try {
        return await next(request);
      } catch (error) {
        const outOfTime = controller.signal.aborted && !original?.aborted;
        // A write cut off in flight, or one whose retry then failed (a conditional retry of a write that did land
        // conflicts with itself): whether it was stored is unknown.
        if (isWrite(request) && (outOfTime || writesCutOff.has(request)))
          throw new StorageOutcomeUnknownError(`storage: a write got no answer in time (${request.method} ${request.url.split("?")[0]})`, {
            cause: error,
          });
        if (outOfTime) throw new StorageTimeoutError(`storage: no answer within ${Math.round(remaining)} ms`);
        throw error;
      } finally {
        clearTimeout(timer);
        unfollow();
        request.abortSignal = original;
      }
    },
  };
}

/**
 * Ends one attempt after the per-try timeout. It fails as a retryable network error (a RestError with code ETIMEDOUT,
 * which the SDK's exponential retry strategy retries), not as an abort, which the retry policy never retries.
 */
function tryTimeoutPolicy(tryTimeoutMs: number, backgroundTryTimeoutMs: number): PipelinePolicy {
  return {
    name: "partnerDeskStorageTryTimeout",
    async sendRequest(request, next) {
      const left = (deadlines.get(request) ?? Infinity) - Date.now();
      const limit = Math.max(1, Math.min(inBackground.has(request) ? backgroundTryTimeoutMs : tryTimeoutMs, left));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), limit);
      const outer = request.abortSignal;
      const unfollow = follow(outer, controller);
      request.abortSignal = controller.signal;
      try {
        return await next(request);
      } catch (error) {
        if (controller.signal.aborted && !outer?.aborted) {
          if (isWrite(request)) writesCutOff.add(request);
          throw Object.assign(new Error(`storage: one try got no answer within ${Math.round(limit)} ms`), {
            name: "RestError",
            code: "ETIMEDOUT",
            cause: error,
          });
        }
        throw error;
      } finally {
        clearTimeout(timer);
        unfollow();
        request.abortSignal = outer;
      }
    },
  };
}

/** The two policies for createTableClients: the deadline once per call (outside the retries), the timeout per try. */
export function storageTimeoutPolicies(timeouts: StorageTimeouts): TablePipelinePolicies {
  return [
    { policy: deadlinePolicy(timeouts.actionBudgetMs, timeouts.backgroundBudgetMs ?? timeouts.actionBudgetMs), position: "perCall" },
    { policy: tryTimeoutPolicy(timeouts.tryTimeoutMs, timeouts.backgroundTryTimeoutMs ?? timeouts.tryTimeoutMs), position: "perRetry" },
  ];
}
