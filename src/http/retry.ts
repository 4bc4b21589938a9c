/**
 * The one place that decides what an HTTP failure means for retrying, for Microsoft Graph (retried in a loop
 * within one role check) and the Bot Connector (retried across outbox passes): one Retry-After parser, one list
 * of transient statuses and network errors, one backoff. Callers add only what is theirs (the connector's
 * "conversation gone" codes, Graph's consent errors).
 */

/** Teams asks to honour Retry-After even when long; beyond this a caller would rather hold the work than wait. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Statuses that say "the request was fine, try again". Microsoft lists 429, 412, 502, 503 and 504 as transient for
 * the Bot Connector and 429, 503 and 504 for Graph; 408 and 500 are transient by definition and every retry is
 * bounded. A caller with seconds to spare may leave 500 out (see `transientResponse`).
 */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 412, 429, 500, 502, 503, 504]);

/** Statuses whose Retry-After is honoured: HTTP defines it for 429 and 503; elsewhere it is not a throttling answer. */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Socket and DNS failures that say nothing about the request itself. */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "REQUEST_SEND_ERROR", // @azure/core-rest-pipeline's RestError.REQUEST_SEND_ERROR: failed before any response
]);

/**
 * Retry-After as milliseconds, at most MAX_RETRY_AFTER_MS: delta-seconds ("120", 120, "1.5") or an HTTP date in any
 * of HTTP's three formats, relative to `nowMs` (a date already past means 0). Negative, empty or unreadable values
 * give undefined, so the caller falls back to its backoff.
 */
export function parseRetryAfter(value: string | number | undefined | null, nowMs: number = Date.now()): number | undefined {
  const ms = retryAfterMs(value, nowMs);
  return ms === undefined ? undefined : Math.min(ms, MAX_RETRY_AFTER_MS);
}

function retryAfterMs(value: string | number | undefined | null, nowMs: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.ceil(value * 1000) : undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // Every HTTP-date format starts with the day name; requiring a letter keeps Date.parse's leniency
  // ("-5", "1.5" parse as dates) out.
  if (!/^[A-Za-z]/.test(text)) return undefined;
  // HTTP dates are GMT; the asctime form carries no zone and Date.parse would read it as local time.
  const date = Date.parse(/\b(GMT|UTC)\b/i.test(text) ? text : `${text} GMT`);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}

/** Fetch's Headers, core-rest-pipeline's HttpHeaders (both have `get`), or a plain object of headers. */
export type HeaderSource = { get(name: string): unknown } | Record<string, unknown> | null | undefined;

/**
 * How long the server asked us to wait, from its headers: Azure's millisecond headers (retry-after-ms,
 * x-ms-retry-after-ms, which core-rest-pipeline's own throttling policy reads) first, then Retry-After. Given several
 * sets of headers (a client that may put them in more than one place), the first set that asks for a wait wins.
 */
export function retryAfterOf(headers: HeaderSource | readonly HeaderSource[], nowMs: number = Date.now()): number | undefined {
  for (const source of Array.isArray(headers) ? (headers as readonly HeaderSource[]) : [headers as HeaderSource]) {
    for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
      const ms = headerValue(source, name);
      if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.min(Math.ceil(Number(ms)), MAX_RETRY_AFTER_MS);
    }
    const retryAfter = parseRetryAfter(headerValue(source, "retry-after"), nowMs);
    if (retryAfter !== undefined) return retryAfter;
  }
  return undefined;
}

/**
 * What a failed response says about retrying: undefined when it is not transient; otherwise how long the server
 * asked to wait, if it did (Retry-After only counts on 429 and 503). `retry500: false` leaves 500 out.
 */
export function transientResponse(
  status: number,
  headers: HeaderSource | readonly HeaderSource[],
  nowMs: number = Date.now(),
  options: { retry500?: boolean } = {},
): { retryAfterMs: number | undefined } | undefined {
  if (!TRANSIENT_STATUSES.has(status) || (status === 500 && options.retry500 === false)) return undefined;
  return { retryAfterMs: RETRY_AFTER_STATUSES.has(status) ? retryAfterOf(headers, nowMs) : undefined };
}

/** A transient network error code on the error or its `cause` chain (undici's "fetch failed" wraps it). */
export function networkErrorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && NETWORK_ERROR_CODES.has(code)) return code;
    if (typeof message === "string" && /socket hang up/i.test(message)) return "socket hang up";
    current = cause;
  }
  return undefined;
}

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Fraction (0..1) of each backoff delay that is random: the delay lies in [(1 - jitter) * d, d]. */
  jitter: number;
  random?: () => number;
}

/**
 * Exponential backoff for the retry after attempt `attempt` (1-based): baseDelayMs * 2^(attempt-1), capped at
 * maxDelayMs, then reduced by a random part of up to `jitter` of itself so that many failed requests do not
 * come back in lockstep. Never above maxDelayMs.
 */
export function backoff(attempt: number, options: BackoffOptions): number {
  const n = Math.max(1, Math.floor(attempt));
  const capped = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (n - 1));
  const jitter = clamp(options.jitter, 0, 1);
  const random = clamp((options.random ?? Math.random)(), 0, 1);
  return Math.min(capped, Math.ceil(capped * (1 - jitter * random)));
}

/** Thrown by a `retry` body for a failure worth another try; anything else ends the loop at once. */
export class TransientFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** What the server's Retry-After asked for; absent means "use the backoff". */
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = "TransientFailure";
  }
}

/** Why `retry` stopped at a transient failure: out of attempts, or the next wait would not fit. */
export type GiveUp = { reason: "attempts"; attempts: number } | { reason: "wait"; waitMs: number };

export interface RetryLoopOptions extends BackoffOptions {
  /** Tries, the first one included. */
  maxAttempts: number;
  /** Epoch ms by which the whole loop must be done: a wait that would end past it stops the loop instead. */
  deadline?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The error to throw when retrying stops; by default the last TransientFailure itself. */
  giveUp?: (failure: TransientFailure, why: GiveUp) => unknown;
}

/**
 * Runs `attempt` until it returns, throws something other than a TransientFailure, or retrying stops. Waits what
 * the failure's Retry-After asked for, else the backoff; a wait above maxDelayMs or past the deadline ends the loop
 * at once, since retrying sooner than asked would only be throttled again.
 */
export async function retry<T>(attempt: (n: number) => Promise<T>, options: RetryLoopOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const stop = (failure: TransientFailure, why: GiveUp): unknown => (options.giveUp ? options.giveUp(failure, why) : failure);
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof TransientFailure)) throw error;
      if (n >= Math.max(1, options.maxAttempts)) throw stop(error, { reason: "attempts", attempts: n });
      const waitMs = error.retryAfterMs ?? backoff(n, options);
      if (waitMs > options.maxDelayMs || (options.deadline !== undefined && now() + waitMs >= options.deadline)) {
        throw stop(error, { reason: "wait", waitMs });
      }
      await sleep(waitMs);
    }
  }
}

/** Reads one header from a Headers-like object (`get(name)`) or a plain object, case-insensitively. */
function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  let value: unknown;
  if (typeof headers.get === "function") {
    value = (headers.get as (name: string) => unknown).call(headers, name);
  } else {
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
    value = key === undefined ? undefined : (headers as Record<string, unknown>)[key];
  }
  if (Array.isArray(value)) value = value[0];
  if (typeof value === "number") return String(value);
  return typeof value === "string" ? value : undefined;
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
