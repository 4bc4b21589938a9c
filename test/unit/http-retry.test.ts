import { RestError, createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { expect } from "chai";
import { GraphRoleDirectory } from "../../src/entra-roles/graphRoleDirectory.js";
import {
  MAX_RETRY_AFTER_MS,
  TransientFailure,
  networkErrorCodeOf,
  parseRetryAfter,
  retry,
  retryAfterOf,
  transientResponse,
} from "../../src/http/retry.js";
import { DEFAULT_RETRY, classify } from "../../src/outbox/retryPolicy.js";
import { FakeGraph, GRAPH_ROLES } from "../helpers/fakeGraph.js";

const NOW = Date.parse("2026-11-01T10:00:00Z");

describe("one retry helper for Graph and the Bot Connector", () => {
  describe("parseRetryAfter", () => {
    it("reads delta-seconds, whole or fractional", () => {
      expect(parseRetryAfter("2", NOW)).to.equal(2000);
      expect(parseRetryAfter("0.5", NOW)).to.equal(500); // Graph's old parser read "0.5" as a date in 2000: 0 ms
    });

    it("reads an HTTP date relative to now, the zone-less asctime form as GMT", () => {
      expect(parseRetryAfter("Sun, 01 Nov 2026 10:00:03 GMT", NOW)).to.equal(3000);
      expect(parseRetryAfter("Sun Nov  1 10:00:04 2026", NOW)).to.equal(4000); // Graph's old parser used the local zone
    });

    it("caps a long wait at 10 minutes", () => {
      expect(parseRetryAfter("86400", NOW)).to.equal(MAX_RETRY_AFTER_MS); // Graph's old parser had no cap
      expect(parseRetryAfter("Mon, 02 Nov 2026 10:00:00 GMT", NOW)).to.equal(MAX_RETRY_AFTER_MS);
    });

    it("ignores what is not a delay, so the caller backs off instead of retrying at once", () => {
      // Graph's old parser handed "-5" and "1.5.3" to Date.parse, which reads them as past dates: "retry now".
      for (const value of ["soon", "-5", "1.5.3", "", null, undefined])
        expect(parseRetryAfter(value, NOW), String(value)).to.equal(undefined);
    });
  });

  describe("retryAfterOf", () => {
    it("prefers Azure's millisecond headers, from fetch Headers or a plain object", () => {
      expect(retryAfterOf(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), NOW)).to.equal(250);
      expect(retryAfterOf({ "X-MS-Retry-After-Ms": "75" }, NOW)).to.equal(75);
      expect(retryAfterOf(new Headers({ "Retry-After": "3" }), NOW)).to.equal(3000);
      expect(retryAfterOf(undefined, NOW)).to.equal(undefined);
    });

    it("takes the first of several header sets that asks for a wait", () => {
      expect(retryAfterOf([{ "content-type": "application/json" }, { "retry-after": "4" }], NOW)).to.equal(4000);
    });
  });

  describe("transientResponse", () => {
    it("treats 408, 412, 429, 500, 502, 503 and 504 as transient, and nothing else", () => {
      const transient = [400, 401, 403, 404, 408, 409, 412, 429, 500, 501, 502, 503, 504, 505].filter(
        (status) => transientResponse(status, {}, NOW) !== undefined,
      );
      expect(transient).to.deep.equal([408, 412, 429, 500, 502, 503, 504]);
    });

    it("leaves 500 out when the caller asks (Graph, within a role check)", () => {
      expect(transientResponse(500, {}, NOW, { retry500: false })).to.equal(undefined);
      expect(transientResponse(503, {}, NOW, { retry500: false })).to.deep.equal({ retryAfterMs: undefined });
    });

    it("honours Retry-After on 429 and 503 only", () => {
      const headers = { "retry-after": "10" };
      expect(transientResponse(429, headers, NOW)).to.deep.equal({ retryAfterMs: 10_000 });
      expect(transientResponse(503, headers, NOW)).to.deep.equal({ retryAfterMs: 10_000 });
      expect(transientResponse(502, headers, NOW)).to.deep.equal({ retryAfterMs: undefined }); // Graph's old loop honoured it
    });
  });

  describe("networkErrorCodeOf", () => {
    it("finds a transient socket or DNS code on the error or its causes, and 'socket hang up'", () => {
      for (const code of ["ECONNRESET", "ETIMEDOUT", "ECONNREFUSED", "EAI_AGAIN", "UND_ERR_SOCKET"]) {
        expect(networkErrorCodeOf(new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code }) }))).to.equal(code);
      }
      expect(networkErrorCodeOf(new Error("socket hang up"))).to.equal("socket hang up");
      expect(networkErrorCodeOf(Object.assign(new Error("no"), { code: "ENOENT" }))).to.equal(undefined);
      expect(networkErrorCodeOf(new TypeError("fetch failed", { cause: new Error("bad port") }))).to.equal(undefined);
    });
  });

  describe("retry (the in-loop helper)", () => {
    const options = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, jitter: 0 };

    it("waits what the failure asked for, else the backoff, and returns the first success", async () => {
      const sleeps: number[] = [];
      const result = await retry(
        (n) => {
          if (n === 1) throw new TransientFailure("throttled", 429, 300);
          if (n === 2) throw new TransientFailure("unavailable", 503);
          return Promise.resolve(`done on try ${n}`);
        },
        { ...options, sleep: (ms) => (sleeps.push(ms), Promise.resolve()) },
      );
      expect(result).to.equal("done on try 3");
      expect(sleeps).to.deep.equal([300, 200]);
    });

    it("does not retry what is not transient", async () => {
      let tries = 0;
      const failure = new Error("bad request");
      const error = await retry(() => (tries++, Promise.reject(failure)), options).catch((e: unknown) => e);
      expect(error).to.equal(failure);
      expect(tries).to.equal(1);
    });

    it("stops after maxAttempts, or at once when the wait would pass maxDelayMs or the deadline", async () => {
      const why: unknown[] = [];
      const giveUp = (_failure: TransientFailure, reason: unknown) => (why.push(reason), new Error("gave up"));
      const noSleep = async () => {};
      await retry(() => Promise.reject(new TransientFailure("503", 503)), { ...options, sleep: noSleep, giveUp }).catch(() => {});
      await retry(() => Promise.reject(new TransientFailure("429", 429, 5000)), { ...options, sleep: noSleep, giveUp }).catch(() => {});
      const deadline = { deadline: NOW + 150, now: () => NOW };
      await retry(() => Promise.reject(new TransientFailure("503", 503)), { ...options, ...deadline, sleep: noSleep, giveUp }).catch(
        () => {},
      );
      expect(why).to.deep.equal([
        { reason: "attempts", attempts: 3 },
        { reason: "wait", waitMs: 5000 },
        { reason: "wait", waitMs: 200 }, // 100 ms fit before the deadline, 200 more would not
      ]);
    });
  });

  describe("the same parser on both paths", () => {
    const TENANT = "c0ffee00-0000-4000-8000-000000000001";
    const USER = "a1a1a1a1-1111-4111-8111-111111111111";
    const graph = new FakeGraph();
    before(async () => {
      await graph.start();
      graph.tenant(TENANT, { users: { [USER]: [GRAPH_ROLES.globalAdministrator] } });
    });
    after(() => graph.stop());

    /** The wait Graph's in-loop retry takes after a 429 with this Retry-After. */
    async function graphWait(retryAfter: string): Promise<number | undefined> {
      graph.reset();
      graph.answerNext({ status: 429, retryAfter });
      const sleeps: number[] = [];
      await new GraphRoleDirectory({
        baseUrl: graph.baseUrl,
        credentialFor: graph.credentialFor,
        retry: { maxDelayMs: MAX_RETRY_AFTER_MS },
        timeoutMs: 120_000, // room for the minute-long wait below
        sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
      }).rolesOf(TENANT, USER);
      return sleeps[0];
    }

    /** The wait the outbox schedules after the Bot Connector answers 429 with this Retry-After. */
    function connectorWait(retryAfter: string): number | undefined {
      const request = createPipelineRequest({ url: "https://smba.trafficmanager.net/teams/v3/conversations/a%3A1/activities" });
      const response = { status: 429, headers: createHttpHeaders({ "retry-after": retryAfter }), request, bodyAsText: "" };
      const failure = classify(new RestError("throttled", { statusCode: 429, request, response }), 1, DEFAULT_RETRY);
      return failure.kind === "retry" ? failure.afterMs : undefined;
    }

    it("reads every Retry-After form the same for Graph and the Bot Connector", async () => {
      const past = "Sun, 01 Nov 2020 10:00:00 GMT";
      const inAMinute = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000).toUTCString();
      for (const value of ["2", "0.25", past, "Sun Nov  1 10:00:00 2020", inAMinute]) {
        const [fromGraph, fromConnector] = [await graphWait(value), connectorWait(value)];
        expect(fromGraph, value).to.be.a("number");
        expect(fromGraph, value).to.be.closeTo(fromConnector ?? Number.NaN, 250);
      }
    });
  });
});
