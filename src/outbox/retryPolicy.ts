/**
 * What to do after a proactive send failed: retry later, mark the conversation reference stale, or give up.
 *
 * botbuilder's ConnectorClient runs on @azure/core-client, which throws a `RestError` (@azure/core-rest-pipeline):
 * `statusCode`; `code` = the Bot Framework body's `error.code` for HTTP errors, or the socket error code
 * (ECONNRESET, ...) when no response came back; `details` and `response.parsedBody` = the parsed body;
 * `response.bodyAsText`; `response.headers.get("retry-after")`. Older clients (ms-rest-js) put the body in
 * `body` and may expose plain header objects, so every field is read defensively.
 *
 * Note: core-client's default pipeline already retries inside one ConnectorClient call (up to 3 times,
 * honouring Retry-After for 429/503), so an error reaching `classify` may be the fourth response.
 */

export type SendFailure = { kind: "retry"; afterMs: number } | { kind: "stale" } | { kind: "fatal"; reason: string };

export interface RetryOptions {
  /** Total attempts, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Fraction (0..1) of each backoff delay that is random: the delay lies in [(1 - jitter) * d, d]. */
  jitter: number;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, jitter: 0.2 };

/** Teams asks to honour Retry-After even when long; beyond this we would rather hold the message in the outbox. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Statuses worth retrying. Microsoft lists 429, 412, 502, 503 and 504 as transient for the Bot Connector;
 * 408 and 500 are added because they are transient by definition and the number of tries is bounded.
 */
const RETRYABLE_STATUSES = new Set([408, 412, 429, 500, 502, 503, 504]);

/** Statuses whose Retry-After header we honour (HTTP defines it for 429 and 503). */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/**
 * Error codes Teams returns when the bot can no longer reach the conversation: the user blocked or
 * uninstalled the bot, an admin disabled it, the bot was removed from the team/chat, or the conversation is
 * gone. Compared case-insensitively.
 */
const STALE_CODES = new Set(
  [
    "ConversationNotFound",
    "BotDisabledByAdmin",
    "BotNotInConversationRoster",
    "ConversationBlockedByUser",
    "MessageWritesBlocked",
    "Forbidden",
  ].map((code) => code.toLowerCase()),
);

/** Socket and DNS failures that say nothing about the request itself. */
const NETWORK_CODES = new Set([
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
  "REQUEST_SEND_ERROR", // RestError.REQUEST_SEND_ERROR: the request failed before any response
]);

/**
 * Classifies an error thrown by botbuilder's ConnectorClient for attempt number `attempt` (1-based).
 * `now` (epoch ms) is only used to read a Retry-After given as an HTTP date.
 */
export function classify(error: unknown, attempt: number, options: RetryOptions, now: number = Date.now()): SendFailure {
  const status = statusOf(error);
  const codes = codesOf(error);

  if (status !== undefined) {
    if (RETRYABLE_STATUSES.has(status)) {
      if (attempt >= options.maxAttempts) return giveUp(attempt, String(status));
      const retryAfter = RETRY_AFTER_STATUSES.has(status) ? retryAfterOf(error, now) : undefined;
      return { kind: "retry", afterMs: retryAfter !== undefined ? Math.min(retryAfter, MAX_RETRY_AFTER_MS) : backoff(attempt, options) };
    }
    // Only a recognised code marks the reference stale: a 403/404 for another reason (a wrong service URL,
    // a misconfigured app) must not silently stop a user's notifications.
    if ((status === 403 || status === 404) && codes.some((code) => STALE_CODES.has(code.toLowerCase()))) {
      return { kind: "stale" };
    }
    const code = codes[0];
    return { kind: "fatal", reason: `HTTP ${status}${code ? ` ${code}` : ""}${messageSuffix(error)}` };
  }

  const network = networkCodeOf(error);
  if (network !== undefined) {
    if (attempt >= options.maxAttempts) return giveUp(attempt, network);
    return { kind: "retry", afterMs: backoff(attempt, options) };
  }

  return { kind: "fatal", reason: `unexpected error${messageSuffix(error) || ": unknown"}` };
}

/**
 * Exponential backoff for the retry after attempt `attempt` (1-based): baseDelayMs * 2^(attempt-1), capped at
 * maxDelayMs, then reduced by a random part of up to `jitter` of itself so that many failed sends do not
 * come back in lockstep. Never above maxDelayMs.
 */
export function backoff(attempt: number, options: RetryOptions): number {
  const n = Math.max(1, Math.floor(attempt));
  const capped = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (n - 1));
  const jitter = clamp(options.jitter, 0, 1);
  const random = clamp((options.random ?? Math.random)(), 0, 1);
  return Math.min(capped, Math.ceil(capped * (1 - jitter * random)));
}

/**
 * Retry-After as milliseconds: delta-seconds ("120", 120) or an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT",
 * relative to `now`; a date already past means 0). Negative, empty or unreadable values give undefined.
 */
export function parseRetryAfter(value: string | number | undefined | null, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.ceil(value * 1000) : undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    return Number.isFinite(seconds) ? Math.ceil(seconds * 1000) : undefined;
  }
  // Every HTTP-date format starts with the day name; requiring a letter keeps Date.parse's leniency
  // ("-5", "1" parse as years) out.
  if (!/^[A-Za-z]/.test(text)) return undefined;
  // HTTP dates are GMT; the asctime form carries no zone and Date.parse would read it as local time.
  const date = Date.parse(/\b(GMT|UTC)\b/i.test(text) ? text : `${text} GMT`);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function giveUp(attempt: number, what: string): SendFailure {
  return { kind: "fatal", reason: `gave up after ${attempt} attempts: ${what}` };
}

function retryAfterOf(error: unknown, now: number): number | undefined {
  for (const headers of [get(get(error, "response"), "headers"), get(error, "headers")]) {
    // Azure services also send the delay in milliseconds; core-rest-pipeline's own throttling policy reads these.
    for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
      const ms = headerValue(headers, name);
      if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
    }
    const retryAfter = parseRetryAfter(headerValue(headers, "retry-after"), now);
    if (retryAfter !== undefined) return retryAfter;
  }
  return undefined;
}

/** Reads one header from an HttpHeaders-like object (`get(name)`) or a plain object, case-insensitively. */
function headerValue(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  let value: unknown;
  if (typeof headers.get === "function") {
    value = (headers.get as (name: string) => unknown).call(headers, name);
  } else {
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
    value = key === undefined ? undefined : headers[key];
  }
  if (Array.isArray(value)) value = value[0];
  if (typeof value === "number") return String(value);
  return typeof value === "string" ? value : undefined;
}

function statusOf(error: unknown): number | undefined {
  const response = get(error, "response");
  for (const candidate of [get(error, "statusCode"), get(error, "status"), get(response, "status"), get(response, "statusCode")]) {
    if (typeof candidate === "number" && Number.isInteger(candidate) && candidate >= 100 && candidate <= 599) return candidate;
  }
  return undefined;
}

/** Every error code the error carries: its own `code` and those of the response body, in that order. */
function codesOf(error: unknown): string[] {
  const bodies = bodiesOf(error);
  const codes = [
    get(error, "code"),
    ...bodies.flatMap((body) => [
      get(get(body, "error"), "code"),
      get(get(body, "error"), "subCode"),
      get(body, "code"),
      get(body, "subCode"),
    ]),
  ];
  return [...new Set(codes.filter((code): code is string => typeof code === "string" && code.length > 0))];
}

/** Where the parsed error body may be: RestError `details`, the response's parsed or raw body, ms-rest-js `body`. */
function bodiesOf(error: unknown): unknown[] {
  const response = get(error, "response");
  return [get(error, "details"), get(response, "parsedBody"), parseJson(get(response, "bodyAsText")), get(error, "body")];
}

/** A transient network error code on the error or its `cause` chain (undici's "fetch failed" wraps it). */
function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isObject(current); depth++) {
    const code = get(current, "code");
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
    const message = get(current, "message");
    if (typeof message === "string" && /socket hang up/i.test(message)) return "socket hang up";
    current = get(current, "cause");
  }
  return undefined;
}

/** The Bot Framework body's `error.message` when there is one (clearer than a raw body), else the error's message. */
function messageSuffix(error: unknown): string {
  const fromBody = bodiesOf(error)
    .map((body) => get(get(body, "error"), "message"))
    .find((message) => typeof message === "string" && message.trim() !== "");
  const message = fromBody ?? (typeof error === "string" ? error : get(error, "message"));
  if (typeof message !== "string" || message.trim() === "") return "";
  const oneLine = message.replace(/\s+/g, " ").trim();
  return `: ${oneLine.length > 200 ? `${oneLine.slice(0, 199)}…` : oneLine}`;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== "string" || text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function get(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
