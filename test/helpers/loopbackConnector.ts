import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback Bot Connector: the REST routes a bot calls back on (reply, send, update), on 127.0.0.1 with a free
 * port. Tests (ChannelEmulator) and the benchmark (the load generator, the fan-out channel) share it, so both
 * speak the same protocol and differ only in how they answer.
 */

/** One request the bot made to the channel. */
export interface ChannelRequest {
  kind: "reply" | "send" | "update";
  conversationId: string;
  /** reply: the activity replied to; update: the activity replaced. */
  activityId?: string;
  // Whatever JSON the bot sent: tests and benchmarks read any part of it, and a wrong guess should fail their
  // assertions, not the type checker.

  activity: any;
  headers: IncomingHttpHeaders;
  /** When the request arrived (monotonic epoch ms, sub-ms resolution). */
  at: number;
}

/** How the channel answers one request; a body left out is what the Connector would send for that status. */
export interface ChannelAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Decides each request's answer; undefined is the Connector's usual 200 with a new activity id. May take its time (a slow channel). */
export type AnswerRequest = (request: ChannelRequest) => ChannelAnswer | undefined | Promise<ChannelAnswer | undefined>;

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

/** A malformed escape in a path is the bot's bug to see in the recording, not a reason for this server to crash. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export class LoopbackConnector {
  private server?: Server;
  serviceUrl = "";
  /** Requests received, whatever they were answered. */
  requests = 0;

  constructor(private readonly answer: AnswerRequest = () => undefined) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const at = performance.timeOrigin + performance.now();
      void this.handle(req, at).then(({ status, headers, body }) => {
        res.writeHead(status, { "content-type": "application/json", ...(headers ?? {}) });
        res.end(JSON.stringify(body));
      });
    });
    // The bot keeps connections to its channel alive between sends, as it does with the real Connector.
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** Closes kept-alive connections too, so stopping never waits for the bot's idle sockets to time out. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, at: number): Promise<ChannelAnswer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.requests++;
    let activity: unknown;
    try {
      activity = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    } catch {
      return { status: 400, body: { error: { code: "BadRequest", message: "not JSON" } } };
    }
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const match = ROUTE.exec(path);
    if (!match) return { status: 404, body: { error: { code: "NotFound", message: path } } };
    const conversationId = safeDecode(match[1]!);
    const activityId = match[2] ? safeDecode(match[2]) : undefined;
    const kind: ChannelRequest["kind"] = req.method === "PUT" ? "update" : activityId ? "reply" : "send";
    const answer = (await this.answer({
      kind,
      conversationId,
      ...(activityId ? { activityId } : {}),
      activity,
      headers: req.headers,
      at,
    })) ?? {
      status: 200,
    };
    if (answer.body !== undefined) return answer;
    const body =
      answer.status >= 300
        ? { error: { code: "Error", message: `status ${answer.status}` } }
        : { id: kind === "update" && activityId ? activityId : `loopback-${randomUUID()}` };
    return { ...answer, body };
  }
}
