import { networkErrorCodeOf, retry, TransientFailure, transientResponse, type GiveUp } from "../../http/retry.js";
import { ok } from "../../domain/result.js";
import {
  failureFromGraph,
  failureFromToken,
  GDAP_ERROR,
  gdapFailure,
  type GdapFailure,
  type GdapOperation,
  type GdapResult,
} from "./errors.js";
import { GraphErrorSchema } from "./schemas.js";

export interface GdapHttpOptions {
  /** Graph root including the version, e.g. https://graph.microsoft.com/v1.0 (config.graph.baseUrl). */
  baseUrl: string;
  /** An app-only Graph token in the partner's tenant; its errors (AADSTS codes) are read, the token never logged. */
  token: () => Promise<string>;
  fetch?: typeof fetch;
  /** Per try, token included: a hung Graph must not hold a sync pass or a card action. */
  timeoutMs?: number;
  /** Tries per request, the first one included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  /** The longest wait between tries; a Retry-After above it ends the request as GDAP.UNAVAILABLE instead. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface GdapReply {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined for an empty one (202). */
  body: unknown;
}

interface Send {
  operation: GdapOperation;
  method: "GET" | "POST" | "PATCH";
  url: string;
  body?: unknown;
  ifMatch?: string;
}

/** Backoff jitter: a wait lies between half and all of the exponential delay. */
const JITTER = 0.5;

/**
 * Graph's HTTP side for GDAP: one request with a timeout per try, bounded retries through src/http/retry.ts (the
 * one Retry-After parser and backoff), and every refusal turned into a GdapFailure. Only an answer that says Graph
 * did not take the request (429, 503; for reads also 502, 504 and dropped connections) is retried: a write that
 * may have happened is not sent again, and a 412 is a conflict for the caller, never a retry.
 */
export class GdapHttp {
  readonly origin: string;

  constructor(private readonly options: GdapHttpOptions) {
    this.origin = new URL(options.baseUrl).origin;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async send(request: Send): Promise<GdapResult<GdapReply>> {
    try {
      return ok(
        await retry(() => this.once(request), {
          maxAttempts: this.options.maxAttempts ?? 4,
          baseDelayMs: this.options.baseDelayMs ?? 500,
          maxDelayMs: this.options.maxDelayMs ?? 30_000,
          jitter: JITTER,
          ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
          giveUp: unavailable,
        }),
      );
    } catch (error) {
      if (error instanceof Stop) return error.failure;
      throw error;
    }
  }

  /** Whether a nextLink points back to our Graph host: the token is never sent anywhere else. */
  isOurs(link: string): boolean {
    try {
      return new URL(link).origin === this.origin;
    } catch {
      return false;
    }
  }

  private async once(request: Send): Promise<GdapReply> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const signal = AbortSignal.timeout(timeoutMs);
    const token = await this.tokenWithin(signal, timeoutMs);
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(request.url, {
        method: request.method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(request.body === undefined ? {} : { "content-type": "application/json" }),
          ...(request.ifMatch === undefined ? {} : { "if-match": request.ifMatch }),
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw stop(GDAP_ERROR.UNAVAILABLE, `Graph did not answer within ${timeoutMs} ms`);
      if (request.method === "GET" && networkErrorCodeOf(error))
        throw new TransientFailure("Graph could not be reached", undefined, undefined, error);
      throw stop(GDAP_ERROR.UNAVAILABLE, "Graph could not be reached");
    }
    const text = await response.text().catch(() => "");
    if (response.ok) return { status: response.status, headers: response.headers, body: parseJson(text, response.status) };
    throw this.refusal(request, response, text);
  }

  private refusal(request: Send, response: Response, text: string): TransientFailure | Stop {
    const transient = response.status === 412 || response.status === 500 ? undefined : transientResponse(response.status, response.headers);
    const retryable = transient && (request.method === "GET" || response.status === 429 || response.status === 503);
    if (retryable) return new TransientFailure(`Graph answered ${response.status}`, response.status, transient.retryAfterMs);
    const error = graphError(text);
    return new Stop(failureFromGraph(request.operation, response.status, error?.code, error?.message));
  }

  private async tokenWithin(signal: AbortSignal, timeoutMs: number): Promise<string> {
    let token: string;
    try {
      token = await Promise.race([
        this.options.token(),
        new Promise<never>((_, reject) =>
          signal.addEventListener("abort", () => reject(new Error(`no token within ${timeoutMs} ms`)), { once: true }),
        ),
      ]);
    } catch (error) {
      throw new Stop(failureFromToken(error));
    }
    if (!token) throw stop(GDAP_ERROR.UNAVAILABLE, "the credential returned no Graph token");
    return token;
  }
}

function parseJson(text: string, status: number): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw stop(GDAP_ERROR.BAD_RESPONSE, `Graph answered ${status} with a body that is not JSON`);
  }
}

function graphError(text: string): { code?: string | undefined; message?: string | undefined } | undefined {
  try {
    const parsed = GraphErrorSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}

/** Ends the retry loop with a failure value (retry only goes on for a TransientFailure). */
class Stop extends Error {
  constructor(readonly failure: GdapFailure) {
    super(failure.message);
    this.name = "GdapStop";
  }
}

const stop = (...args: Parameters<typeof gdapFailure>): Stop => new Stop(gdapFailure(...args));

/** Retrying stopped at a transient failure: nothing is known to have changed. */
function unavailable(failure: TransientFailure, why: GiveUp): Stop {
  const what = failure.status === undefined ? "Graph could not be reached" : `Graph answered ${failure.status}`;
  const message =
    why.reason === "attempts"
      ? `${what} on ${why.attempts} tries`
      : `${what} and asks to wait ${why.waitMs} ms, longer than this request may wait`;
  return stop(GDAP_ERROR.UNAVAILABLE, message, {
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
  });
}
