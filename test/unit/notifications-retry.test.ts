import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RestError, createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { ConnectorClient } from "botframework-connector";
import { expect } from "chai";
import { DEFAULT_RETRY, MAX_RETRY_AFTER_MS, backoff, classify, parseRetryAfter, type RetryOptions } from "../../src/outbox/retryPolicy.js";

const NOW = Date.parse("2025-03-01T12:00:00Z");

/** No randomness: backoff is exactly baseDelayMs * 2^(attempt-1), capped. */
const EXACT: RetryOptions = { ...DEFAULT_RETRY, jitter: 0 };

/**
 * The error botbuilder's ConnectorClient throws for an HTTP error response, built the way core-client's
 * deserialization policy builds it (see the loopback test below for the real thing).
 */
function restError(
  status: number,
  options: { headers?: Record<string, string>; body?: { error?: { code?: string; message?: string } } } = {},
): RestError {
  const bodyAsText = options.body === undefined ? "" : JSON.stringify(options.body);
  const request = createPipelineRequest({ url: "https://smba.trafficmanager.net/teams/v3/conversations/a%3A1/activities" });
  const response = Object.assign(
    { status, headers: createHttpHeaders(options.headers), request, bodyAsText },
    { parsedBody: options.body },
  );
  const error = new RestError(options.body?.error?.message ?? `Unexpected status code: ${status}`, {
    statusCode: status,
    request,
    response,
  });
  error.code = options.body?.error?.code;
  error.details = options.body;
  return error;
}

function teamsError(status: number, code: string, message = "error"): RestError {
  return restError(status, { body: { error: { code, message } } });
}

function networkError(code: string, message = `connect ${code} 52.112.0.1:443`): Error {
  return Object.assign(new Error(message), { code });
}

describe("notifications: retry policy", () => {
  it("defaults to 6 attempts, 500 ms base, 30 s cap and 20% jitter", () => {
    expect(DEFAULT_RETRY).to.deep.include({ maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, jitter: 0.2 });
  });

  describe("parseRetryAfter", () => {
    it("reads delta-seconds as a string or a number", () => {
      expect(parseRetryAfter("3", NOW)).to.equal(3000);
      expect(parseRetryAfter(" 120 ", NOW)).to.equal(120_000);
      expect(parseRetryAfter("0", NOW)).to.equal(0);
      expect(parseRetryAfter("1.5", NOW)).to.equal(1500);
      expect(parseRetryAfter(7, NOW)).to.equal(7000);
    });

    it("reads an HTTP date relative to now, in every format HTTP allows", () => {
      expect(parseRetryAfter("Sat, 01 Mar 2025 12:00:30 GMT", NOW)).to.equal(30_000); // IMF-fixdate
      expect(parseRetryAfter("Saturday, 01-Mar-25 12:01:00 GMT", NOW)).to.equal(60_000); // RFC 850
      expect(parseRetryAfter("Sat Mar  1 12:00:05 2025", NOW)).to.equal(5000); // asctime: GMT, whatever the local zone
    });

    it("treats a date already past as 'retry now'", () => {
      expect(parseRetryAfter("Sat, 01 Mar 2025 11:59:00 GMT", NOW)).to.equal(0);
    });

    it("ignores negative, empty and unreadable values", () => {
      for (const value of [
        "-5",
        "",
        "   ",
        "soon",
        "5s",
        "1e3",
        "NaN",
        "Infinity",
        undefined,
        null,
        -1,
        Number.NaN,
        Number.POSITIVE_INFINITY,
      ]) {
        expect(parseRetryAfter(value, NOW), String(value)).to.equal(undefined);
      }
    });
  });

  describe("backoff", () => {
    it("doubles from the base delay and stops at the cap", () => {
      expect([1, 2, 3, 4, 5, 6, 7, 8, 50, 5000].map((attempt) => backoff(attempt, EXACT))).to.deep.equal([
        500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000,
      ]);
    });

    it("treats attempt numbers below 1 as the first attempt", () => {
      expect(backoff(0, EXACT)).to.equal(500);
      expect(backoff(-3, EXACT)).to.equal(500);
    });

    it("takes up to `jitter` of the delay off at random, never adding to it", () => {
      expect(backoff(3, { ...DEFAULT_RETRY, random: () => 0 })).to.equal(2000);
      expect(backoff(3, { ...DEFAULT_RETRY, random: () => 0.5 })).to.equal(1800);
      expect(backoff(3, { ...DEFAULT_RETRY, random: () => 0.999999 })).to.equal(1601);
      expect(backoff(20, { ...DEFAULT_RETRY, random: () => 0.999999 })).to.be.within(24_000, 30_000);
      for (let i = 0; i < 1000; i++) {
        const attempt = 1 + (i % 10);
        const full = backoff(attempt, EXACT);
        expect(backoff(attempt, DEFAULT_RETRY)).to.be.within(Math.floor(full * 0.8), full);
      }
    });

    it("spreads delays when jitter is on, and with full jitter ranges down to zero", () => {
      const samples = new Set(Array.from({ length: 50 }, () => backoff(4, DEFAULT_RETRY)));
      expect(samples.size).to.be.greaterThan(10);
      expect(backoff(4, { ...DEFAULT_RETRY, jitter: 1, random: () => 0.999999 })).to.be.at.most(1);
      expect(backoff(4, { ...DEFAULT_RETRY, jitter: 5, random: () => 0.5 })).to.equal(2000); // jitter clamped to 1
    });
  });

  describe("classify", () => {
    describe("throttling (429)", () => {
      it("retries after Retry-After in seconds", () => {
        expect(classify(restError(429, { headers: { "Retry-After": "3" } }), 1, EXACT, NOW)).to.deep.equal({
          kind: "retry",
          afterMs: 3000,
        });
      });

      it("retries after Retry-After given as an HTTP date", () => {
        const error = restError(429, { headers: { "retry-after": "Sat, 01 Mar 2025 12:00:45 GMT" } });
        expect(classify(error, 2, EXACT, NOW)).to.deep.equal({ kind: "retry", afterMs: 45_000 });
      });

      it("reads the millisecond variants Azure front ends send", () => {
        expect(classify(restError(429, { headers: { "retry-after-ms": "250", "retry-after": "9" } }), 1, EXACT, NOW)).to.deep.equal({
          kind: "retry",
          afterMs: 250,
        });
        expect(classify(restError(429, { headers: { "x-ms-retry-after-ms": "75" } }), 1, EXACT, NOW)).to.deep.equal({
          kind: "retry",
          afterMs: 75,
        });
      });

      it("honours a Retry-After longer than maxDelayMs, up to 10 minutes", () => {
        expect(classify(restError(429, { headers: { "Retry-After": "120" } }), 1, EXACT, NOW)).to.deep.equal({
          kind: "retry",
          afterMs: 120_000,
        });
        expect(classify(restError(429, { headers: { "Retry-After": "86400" } }), 1, EXACT, NOW)).to.deep.equal({
          kind: "retry",
          afterMs: MAX_RETRY_AFTER_MS,
        });
        expect(MAX_RETRY_AFTER_MS).to.equal(600_000);
      });

      it("backs off exponentially when there is no usable Retry-After", () => {
        expect(classify(restError(429), 1, EXACT, NOW)).to.deep.equal({ kind: "retry", afterMs: 500 });
        expect(classify(restError(429, { headers: { "Retry-After": "whenever" } }), 3, EXACT, NOW)).to.deep.equal({
          kind: "retry",
          afterMs: 2000,
        });
      });

      it("reads Retry-After from a real RestError as ConnectorClient throws it", () => {
        const request = createPipelineRequest({ url: "https://smba.trafficmanager.net/teams/v3/conversations/x/activities" });
        const headers = createHttpHeaders({ "Retry-After": "4", "Content-Type": "application/json" });
        const body = { error: { code: "TooManyRequests", message: "Too many requests" } };
        const error = new RestError("Too many requests", {
          statusCode: 429,
          code: "TooManyRequests",
          request,
          response: { status: 429, headers, request, bodyAsText: JSON.stringify(body) },
        });
        expect(error).to.be.instanceOf(Error);
        expect(classify(error, 1, DEFAULT_RETRY, NOW)).to.deep.equal({ kind: "retry", afterMs: 4000 });
      });

      it("reads plain header objects and headers on the error itself (older clients)", () => {
        const plain = Object.assign(new Error("throttled"), {
          statusCode: 429,
          response: { status: 429, headers: { "Retry-After": "2" } },
        });
        expect(classify(plain, 1, EXACT, NOW)).to.deep.equal({ kind: "retry", afterMs: 2000 });
        const onError = { status: 429, headers: { "retry-after": ["6"] } };
        expect(classify(onError, 1, EXACT, NOW)).to.deep.equal({ kind: "retry", afterMs: 6000 });
      });
    });

    describe("transient server errors", () => {
      for (const status of [412, 502, 503, 504, 500, 408]) {
        it(`retries ${status} with exponential backoff`, () => {
          expect(classify(restError(status), 1, EXACT, NOW)).to.deep.equal({ kind: "retry", afterMs: 500 });
          expect(classify(restError(status), 4, EXACT, NOW)).to.deep.equal({ kind: "retry", afterMs: 4000 });
        });
      }

      it("honours Retry-After on a 503 but not on a 502", () => {
        expect(classify(restError(503, { headers: { "Retry-After": "10" } }), 1, EXACT, NOW)).to.deep.equal({
          kind: "retry",
          afterMs: 10_000,
        });
        expect(classify(restError(502, { headers: { "Retry-After": "10" } }), 1, EXACT, NOW)).to.deep.equal({
          kind: "retry",
          afterMs: 500,
        });
      });

      it("does not retry 501 or 505, which will not change", () => {
        expect(classify(restError(501), 1, EXACT, NOW).kind).to.equal("fatal");
        expect(classify(restError(505), 1, EXACT, NOW).kind).to.equal("fatal");
      });
    });

    describe("network errors", () => {
      for (const code of ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EAI_AGAIN", "REQUEST_SEND_ERROR"]) {
        it(`retries ${code} with backoff`, () => {
          expect(classify(networkError(code), 2, EXACT, NOW)).to.deep.equal({ kind: "retry", afterMs: 1000 });
        });
      }

      it("retries 'socket hang up'", () => {
        expect(classify(new Error("socket hang up"), 1, EXACT, NOW)).to.deep.equal({ kind: "retry", afterMs: 500 });
      });

      it("retries a RestError raised before any response came back", () => {
        const request = createPipelineRequest({ url: "https://smba.trafficmanager.net/teams/v3/conversations/x/activities" });
        const error = new RestError("read ECONNRESET", { code: "ECONNRESET", request });
        expect(classify(error, 1, EXACT, NOW)).to.deep.equal({ kind: "retry", afterMs: 500 });
      });

      it("looks through the cause chain (fetch failed -> socket error)", () => {
        const error = new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
        expect(classify(error, 1, EXACT, NOW)).to.deep.equal({ kind: "retry", afterMs: 500 });
      });
    });

    describe("stale conversation references", () => {
      for (const [status, code] of [
        [404, "ConversationNotFound"],
        [403, "BotDisabledByAdmin"],
        [403, "BotNotInConversationRoster"],
        [403, "ConversationBlockedByUser"],
        [403, "Forbidden"],
        [403, "MessageWritesBlocked"],
      ] as const) {
        it(`marks the reference stale on ${status} ${code}`, () => {
          expect(classify(teamsError(status, code, "User blocked the conversation with the bot."), 1, DEFAULT_RETRY, NOW)).to.deep.equal({
            kind: "stale",
          });
        });
      }

      it("finds the code in the body when the error's own code is missing", () => {
        const error = restError(404, { body: { error: { code: "ConversationNotFound", message: "Conversation not found." } } });
        error.code = undefined;
        error.details = undefined;
        expect(classify(error, 1, DEFAULT_RETRY, NOW)).to.deep.equal({ kind: "stale" });
      });

      it("matches codes case-insensitively", () => {
        expect(classify(teamsError(404, "conversationnotfound"), 1, DEFAULT_RETRY, NOW)).to.deep.equal({ kind: "stale" });
      });

      it("does not mark a reference stale for a 403 or 404 it cannot explain", () => {
        expect(classify(restError(403), 1, DEFAULT_RETRY, NOW)).to.deep.include({ kind: "fatal" });
        expect(classify(teamsError(404, "NotFound", "Resource not found"), 1, DEFAULT_RETRY, NOW)).to.deep.equal({
          kind: "fatal",
          reason: "HTTP 404 NotFound: Resource not found",
        });
      });

      it("is stale even on the last attempt (nothing is retried)", () => {
        expect(classify(teamsError(403, "ConversationBlockedByUser"), 6, DEFAULT_RETRY, NOW)).to.deep.equal({ kind: "stale" });
      });
    });

    describe("fatal errors", () => {
      for (const status of [400, 401, 405, 409, 413]) {
        it(`gives up at once on ${status}`, () => {
          const failure = classify(teamsError(status, "BadArgument", "Activity is too large"), 1, DEFAULT_RETRY, NOW);
          expect(failure).to.deep.equal({ kind: "fatal", reason: `HTTP ${status} BadArgument: Activity is too large` });
        });
      }

      it("gives up on errors that are not HTTP or network failures", () => {
        expect(classify(new TypeError("Cannot read properties of undefined"), 1, DEFAULT_RETRY, NOW)).to.deep.equal({
          kind: "fatal",
          reason: "unexpected error: Cannot read properties of undefined",
        });
        expect(classify("boom", 1, DEFAULT_RETRY, NOW)).to.deep.equal({ kind: "fatal", reason: "unexpected error: boom" });
        expect(classify(undefined, 1, DEFAULT_RETRY, NOW)).to.deep.equal({ kind: "fatal", reason: "unexpected error: unknown" });
      });

      it("names the Bot Framework error message even when the error's own message is the raw body", () => {
        const error = teamsError(400, "BadArgument", "Unknown activity type");
        error.message = error.response!.bodyAsText!;
        expect(classify(error, 1, DEFAULT_RETRY, NOW)).to.deep.equal({
          kind: "fatal",
          reason: "HTTP 400 BadArgument: Unknown activity type",
        });
      });

      it("keeps the reason to one short line", () => {
        const failure = classify(teamsError(400, "BadArgument", `line one\n${"x".repeat(1000)}`), 1, DEFAULT_RETRY, NOW);
        expect(failure.kind).to.equal("fatal");
        const reason = (failure as { reason: string }).reason;
        expect(reason).to.not.include("\n");
        expect(reason.length).to.be.lessThan(260);
      });
    });

    describe("giving up", () => {
      it("retries up to the attempt before maxAttempts, then gives up naming the status", () => {
        const error = restError(503);
        for (let attempt = 1; attempt < DEFAULT_RETRY.maxAttempts; attempt++) {
          expect(classify(error, attempt, DEFAULT_RETRY, NOW).kind, `attempt ${attempt}`).to.equal("retry");
        }
        expect(classify(error, 6, DEFAULT_RETRY, NOW)).to.deep.equal({ kind: "fatal", reason: "gave up after 6 attempts: 503" });
        expect(classify(error, 9, DEFAULT_RETRY, NOW)).to.deep.equal({ kind: "fatal", reason: "gave up after 9 attempts: 503" });
      });

      it("gives up on throttling too, whatever Retry-After says", () => {
        expect(classify(restError(429, { headers: { "Retry-After": "1" } }), 6, DEFAULT_RETRY, NOW)).to.deep.equal({
          kind: "fatal",
          reason: "gave up after 6 attempts: 429",
        });
      });

      it("gives up on network errors naming the error code", () => {
        expect(classify(networkError("ECONNRESET"), 3, { ...DEFAULT_RETRY, maxAttempts: 3 }, NOW)).to.deep.equal({
          kind: "fatal",
          reason: "gave up after 3 attempts: ECONNRESET",
        });
        expect(classify(new Error("socket hang up"), 6, DEFAULT_RETRY, NOW)).to.deep.equal({
          kind: "fatal",
          reason: "gave up after 6 attempts: socket hang up",
        });
      });
    });
  });

  describe("with botbuilder's real ConnectorClient against a loopback Bot Connector", () => {
    let server: Server;
    let requests = 0;
    let baseUri = "";

    before(async () => {
      server = createServer((req, res) => {
        requests++;
        req.resume();
        const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { "content-type": "application/json", ...headers });
          res.end(JSON.stringify(body));
        };
        if (req.url?.includes("blocked"))
          return json(403, { error: { code: "ConversationBlockedByUser", message: "User blocked the conversation with the bot." } });
        if (req.url?.includes("gone")) return json(404, { error: { code: "ConversationNotFound", message: "Conversation not found." } });
        // core-client retries 429 itself (3 times, honouring Retry-After): answer "0" until the last one.
        return json(429, { error: { code: "TooManyRequests", message: "Too many requests" } }, { "retry-after": requests < 4 ? "0" : "7" });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      baseUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    async function sendError(conversationId: string): Promise<unknown> {
      // Credentials are not under test: sign nothing.
      const client = new ConnectorClient({ signRequest: async <T>(request: T) => request }, { baseUri });
      try {
        await client.conversations.sendToConversation(conversationId, { type: "message", text: "hello" });
      } catch (error) {
        return error;
      }
      return expect.fail("the send should have failed");
    }

    it("classifies a 429 after the client's own retries, with the Retry-After of the last response", async () => {
      requests = 0;
      const error = await sendError("a:throttled");
      expect(error).to.be.instanceOf(RestError);
      expect(requests).to.equal(4); // 1 + core-client's 3 hidden retries
      expect(classify(error, 1, DEFAULT_RETRY, NOW)).to.deep.equal({ kind: "retry", afterMs: 7000 });
    });

    it("marks the reference stale when the user blocked the bot", async () => {
      expect(classify(await sendError("a:blocked"), 1, DEFAULT_RETRY, NOW)).to.deep.equal({ kind: "stale" });
    });

    it("marks the reference stale when the conversation is gone", async () => {
      expect(classify(await sendError("a:gone"), 1, DEFAULT_RETRY, NOW)).to.deep.equal({ kind: "stale" });
    });
  });
});
