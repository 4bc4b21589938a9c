import { z } from "zod";
import { networkErrorCodeOf, retry, TransientFailure, transientResponse, type GiveUp } from "../http/retry.js";
import { GraphConsentError, GraphUnavailableError } from "./errors.js";

export interface GraphRetryOptions {
  /** Tries per Graph request, the first one included. */
  maxAttempts?: number;
  /** First backoff when Graph gives no Retry-After; doubles per try, with jitter. */
  baseDelayMs?: number;
  /** The longest we wait between tries. A Retry-After above it ends the lookup instead: retrying sooner would only be throttled again. */
  maxDelayMs?: number;
}

export interface GraphClientOptions {
  /** Graph root including the version, already validated. */
  baseUrl: string;
  fetch: typeof fetch;
  retry?: GraphRetryOptions;
  /** A user holds a few roles; this only stops a server that keeps sending nextLinks. */
  maxPages: number;
  sleep?: (ms: number) => Promise<void>;
}

/** One role lookup's budget: the signal aborts every request at the timeout, the deadline stops waits that would pass it. */
export interface LookupBudget {
  tenantId: string;
  token: string;
  signal: AbortSignal;
  deadline: number;
  timeoutMs: number;
}

type Page = { "@odata.nextLink"?: string | undefined };

const GraphErrorSchema = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }) });

/** Backoff jitter: a wait lies between half and all of the exponential delay. */
const GRAPH_JITTER = 0.5;

/**
 * Graph's HTTP side for the role directory: GETs with bounded retries (src/http/retry.ts decides what is transient
 * and reads Retry-After, as for the Bot Connector) and collections followed page by page on our own host only.
 */
export class GraphClient {
  private readonly origin: string;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly options: GraphClientOptions) {
    this.origin = new URL(options.baseUrl).origin;
    this.maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 3);
    this.baseDelayMs = options.retry?.baseDelayMs ?? 200;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 1000;
  }

  /** Every page of a Graph collection, following @odata.nextLink on our own host only; a 404 is an empty collection. */
  async *pages<T extends Page>(path: string, budget: LookupBudget, schema: z.ZodType<T>, what: string): AsyncGenerator<T> {
    let url: string | undefined = `${this.options.baseUrl}${path}`;
    for (let page = 0; url; page++) {
      if (page >= this.options.maxPages)
        throw new GraphUnavailableError(`Graph kept paging past ${this.options.maxPages} pages of ${what}`);
      const body = await this.get(url, budget);
      if (body === NOT_FOUND) return;
      const parsed = schema.safeParse(body);
      if (!parsed.success)
        throw new GraphUnavailableError(`Graph answered with an unexpected page of ${what}: ${z.prettifyError(parsed.error)}`);
      yield parsed.data;
      url = parsed.data["@odata.nextLink"];
      // The next request carries the bearer token: it only ever goes back to the Graph host we were configured with.
      if (url !== undefined && !this.isOurs(url))
        throw new GraphUnavailableError("Graph sent a nextLink to another host; refused to send the token there");
    }
  }

  /** One Graph GET with bounded retries. Returns the JSON body, or NOT_FOUND for a 404. */
  private get(url: string, budget: LookupBudget): Promise<unknown> {
    return retry(() => this.getOnce(url, budget), {
      maxAttempts: this.maxAttempts,
      baseDelayMs: this.baseDelayMs,
      maxDelayMs: this.maxDelayMs,
      jitter: GRAPH_JITTER,
      deadline: budget.deadline,
      ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      giveUp: unavailable,
    });
  }

  private async getOnce(url: string, budget: LookupBudget): Promise<unknown> {
    let response: Response;
    try {
      response = await this.options.fetch(url, {
        headers: { authorization: `Bearer ${budget.token}`, accept: "application/json", consistencylevel: "eventual" },
        signal: budget.signal,
      });
    } catch (error) {
      // A timeout already spent the budget; a dropped or refused connection may be gone a moment later.
      if (budget.signal.aborted)
        throw new GraphUnavailableError(`Graph did not answer within ${budget.timeoutMs} ms`, undefined, undefined, error);
      if (networkErrorCodeOf(error)) throw new TransientFailure("Graph could not be reached", undefined, undefined, error);
      throw new GraphUnavailableError("Graph could not be reached", undefined, undefined, error);
    }

    if (response.ok) {
      try {
        return await response.json();
      } catch (error) {
        throw new GraphUnavailableError("Graph answered with a body that is not JSON", response.status, undefined, error);
      }
    }

    const graphCode = await errorCodeOf(response);
    const answered = `${response.status}${graphCode ? ` ${graphCode}` : ""}`;
    if (response.status === 404) return NOT_FOUND;
    if (response.status === 401 || response.status === 403) {
      throw new GraphConsentError(
        budget.tenantId,
        `Graph refused to list the user's directory roles (${answered}): grant the app RoleManagement.Read.Directory (or Directory.Read.All) in this tenant`,
        response.status,
        graphCode,
      );
    }
    // Graph's own SDKs retry 429/503/504; a 500 from Graph is rarely fixed a second later, and a role check has under 3 s.
    const transient = transientResponse(response.status, response.headers, Date.now(), { retry500: false });
    if (!transient) throw new GraphUnavailableError(`Graph answered ${answered}`, response.status);
    throw new TransientFailure(`Graph answered ${response.status}`, response.status, transient.retryAfterMs);
  }

  private isOurs(link: string): boolean {
    try {
      return new URL(link).origin === this.origin;
    } catch {
      return false;
    }
  }
}

/** What `get` answers for a 404: the collection (or the role) does not exist, so it has no members. */
export const NOT_FOUND = Symbol("notFound");

/** Retrying stopped at a transient failure: what the caller of a role lookup is told. */
function unavailable(failure: TransientFailure, why: GiveUp): GraphUnavailableError {
  const what = failure.status === undefined ? "Graph could not be reached" : `Graph answered ${failure.status}`;
  const message =
    why.reason === "attempts"
      ? failure.status === undefined
        ? `${what} in ${why.attempts} tries`
        : `${what} ${why.attempts} times`
      : `${what} and asks to wait ${why.waitMs} ms, longer than a role check may take`;
  return new GraphUnavailableError(message, failure.status, failure.retryAfterMs, failure.cause ?? failure);
}

async function errorCodeOf(response: Response): Promise<string | undefined> {
  // Read (and so release) the body; Graph puts a code such as Authorization_RequestDenied in it.
  const text = await response.text().catch(() => "");
  try {
    const parsed = GraphErrorSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.error.code : undefined;
  } catch {
    return undefined;
  }
}
