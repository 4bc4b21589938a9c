import { backoff, networkErrorCodeOf, transientResponse, type BackoffOptions, type HeaderSource } from "../http/retry.js";

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
 *
 * Which failures are transient, how Retry-After is read and how long to back off are src/http/retry.ts's, shared
 * with Graph; only the "conversation gone" codes are the connector's own.
 */

export type SendFailure = { kind: "retry"; afterMs: number } | { kind: "stale" } | { kind: "fatal"; reason: string };

export interface RetryOptions extends BackoffOptions {
  /** Total attempts, the first one included. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, jitter: 0.2 };

export { MAX_RETRY_AFTER_MS, backoff, parseRetryAfter } from "../http/retry.js";

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

/**
 * Classifies an error thrown by botbuilder's ConnectorClient for attempt number `attempt` (1-based).
 * `now` (epoch ms) is only used to read a Retry-After given as an HTTP date.
 */
export function classify(error: unknown, attempt: number, options: RetryOptions, now: number = Date.now()): SendFailure {
  const status = statusOf(error);
  const codes = codesOf(error);

  if (status !== undefined) {
    const transient = transientResponse(status, headersOf(error), now);
    if (transient) {
      if (attempt >= options.maxAttempts) return giveUp(attempt, String(status));
      return { kind: "retry", afterMs: transient.retryAfterMs ?? backoff(attempt, options) };
    }
    // Only a recognised code marks the reference stale: a 403/404 for another reason (a wrong service URL,
    // a misconfigured app) must not silently stop a user's notifications.
    if ((status === 403 || status === 404) && codes.some((code) => STALE_CODES.has(code.toLowerCase()))) {
      return { kind: "stale" };
    }
    const code = codes[0];
    return { kind: "fatal", reason: `HTTP ${status}${code ? ` ${code}` : ""}${messageSuffix(error)}` };
  }

  const network = networkErrorCodeOf(error);
  if (network !== undefined) {
    if (attempt >= options.maxAttempts) return giveUp(attempt, network);
    return { kind: "retry", afterMs: backoff(attempt, options) };
  }

  return { kind: "fatal", reason: `unexpected error${messageSuffix(error) || ": unknown"}` };
}

function giveUp(attempt: number, what: string): SendFailure {
  return { kind: "fatal", reason: `gave up after ${attempt} attempts: ${what}` };
}

/** Where clients put the response headers: RestError's response, or (older clients) the error itself. */
function headersOf(error: unknown): HeaderSource[] {
  return [get(get(error, "response"), "headers"), get(error, "headers")].filter(isObject);
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
