import restify from "restify";
import type { Logger } from "pino";
import { CONSENT_LANDING_PATH } from "./config/web.js";
import { consentLandingPage } from "./http/consentLanding.js";
import { BadRequest, parseActivity, readBody } from "./http/readActivity.js";
import { withStorageDeadline } from "./storage/timeouts.js";

export interface MessageEndpoint {
  /** Hands one Bot Framework request to the adapter (authentication happens there). */
  process(req: restify.Request, res: restify.Response): Promise<void>;
}

export interface HttpServerOptions {
  messages: MessageEndpoint;
  /** Resolves if storage answers; rejects with the reason otherwise. */
  checkStorage(): Promise<void>;
  /** Extra figures for operators (the outbox depth); only asked once storage answered. */
  details?: () => Promise<Record<string, unknown>>;
  /**
   * One storage budget per request (STORAGE_ACTION_BUDGET_MS): every storage call of a turn, and of a health check,
   * shares it, so a hanging storage endpoint is answered with "try again in a moment" (and /healthz with 503) in time.
   */
  storageBudgetMs?: number;
  logger: Logger;
}

/** Without a storage budget (tests of the HTTP layer alone), the platform's probe still gets an answer within 3 s. */
const DEFAULT_HEALTH_TIMEOUT_MS = 2_500;

/**
 * restify: POST /api/messages for the Bot Connector, GET /healthz for the platform's probes, and the page a partner's
 * administrator lands on after Microsoft's admin consent. Nothing else.
 */
export function createHttpServer(options: HttpServerOptions): restify.Server {
  const server = restify.createServer({ name: "partner-desk", handleUncaughtExceptions: false });
  const healthTimeoutMs = options.storageBudgetMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const withinBudget = <T>(work: () => Promise<T>): Promise<T> =>
    options.storageBudgetMs === undefined ? work() : withStorageDeadline(options.storageBudgetMs, work);

  server.post("/api/messages", async (req: restify.Request, res: restify.Response) => {
    try {
      // Our own body reading (not restify's bodyParser): a cap after decompression, and a malformed body is a 4xx.
      req.body = parseActivity(await readBody(req));
    } catch (error) {
      if (error instanceof BadRequest) {
        // An oversize body may still be arriving: close the connection so its rest is never read as a next request.
        if (error.status === 413) res.setHeader("connection", "close");
        res.send(error.status, { error: { code: "BadRequest", message: error.message } });
        return;
      }
      throw error;
    }
    try {
      await withinBudget(() => options.messages.process(req, res));
    } catch (error) {
      options.logger.error({ err: error }, "request to /api/messages failed");
      if (!res.headersSent) res.send(500, { error: "internal error" });
    }
  });

  server.get("/healthz", async (_req: restify.Request, res: restify.Response) => {
    try {
      // The pipeline's deadline ends the storage calls; the timer is the backstop for anything else that could hang.
      await withTimeout(
        withinBudget(() => options.checkStorage()),
        healthTimeoutMs,
      );
      const { details: readDetails } = options;
      const details = readDetails ? await withTimeout(withinBudget(readDetails), healthTimeoutMs).catch(() => ({})) : {};
      res.send(200, { status: "ok", storage: "ok", ...details });
    } catch (error) {
      options.logger.warn({ err: error }, "health check: storage does not answer");
      res.send(503, { status: "unavailable", storage: "unreachable" });
    }
  });

  server.get(CONSENT_LANDING_PATH, async (req: restify.Request, res: restify.Response) => {
    const landing = consentLandingPage(new URL(req.url ?? "/", "http://localhost").searchParams);
    res.writeHead(landing.status, landing.headers);
    res.end(landing.html);
  });

  return server;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}

export function listen(server: restify.Server, port: number, host: string): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, host, () => {
      server.server.off("error", reject);
      const address = server.address();
      resolve({ port: address.port });
    });
  });
}

export function close(server: restify.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open; the bot has nothing long-running to finish.
    server.server.closeIdleConnections?.();
  });
}
