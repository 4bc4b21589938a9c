/**
 * The load generator's HTTP client and the loopback channel (a Bot Connector stand-in). Plain node:http with
 * keep-alive: lighter than fetch, so the client steals as little CPU as possible from the servers it measures
 * on a 2-core machine. Every request has a deadline. Loopback only.
 */
import { randomUUID } from "node:crypto";
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HttpAnswer {
  status: number;
  text: string;
}

export function loopbackOnly(url: string): URL {
  const parsed = new URL(url);
  if (parsed.hostname !== "127.0.0.1" && parsed.hostname !== "localhost" && parsed.hostname !== "[::1]")
    throw new Error(`benchmarks only talk to loopback, not ${url}`);
  return parsed;
}

export class HttpClient {
  private readonly agent: Agent;
  constructor(maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  postJson(url: string, body: unknown, timeoutMs = 30_000): Promise<HttpAnswer> {
    const target = loopbackOnly(url);
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: "POST",
          agent: this.agent,
          headers: { "content-type": "application/json", "content-length": payload.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface ChannelRequest {
  kind: "reply" | "send" | "update";
  conversationId: string;
  /** reply: the activity replied to; update: the activity replaced. */
  activityId?: string;
  activity: any;
  headers: IncomingHttpHeaders;
  /** When the request arrived (monotonic epoch ms, sub-ms resolution). */
  at: number;
}

export interface ChannelAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A loopback Bot Connector: the routes the bot calls back on (reply, send, update). `answer` decides what
 * each request gets (default 200 with a new activity id); `onRequest` sees every request as it arrives.
 */
export class LoopbackChannel {
  private server?: Server;
  serviceUrl = "";
  requests = 0;

  constructor(private readonly answer: (request: ChannelRequest) => ChannelAnswer | undefined = () => undefined) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const at = performance.timeOrigin + performance.now();
      void this.handle(req, at).then(({ status, headers, body }) => {
        res.writeHead(status, { "content-type": "application/json", ...(headers ?? {}) });
        res.end(JSON.stringify(body ?? {}));
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

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
    let activity: any = {};
    try {
      activity = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    } catch {
      return { status: 400, body: { error: { code: "BadRequest", message: "not JSON" } } };
    }
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (!match) return { status: 404, body: { error: { code: "NotFound", message: path } } };
    const conversationId = decodeURIComponent(match[1]!);
    const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
    const kind: ChannelRequest["kind"] = req.method === "PUT" ? "update" : activityId ? "reply" : "send";
    const answer = this.answer({ kind, conversationId, ...(activityId ? { activityId } : {}), activity, headers: req.headers, at });
    if (answer) return answer;
    return { status: 200, body: { id: kind === "update" && activityId ? activityId : `bench-${randomUUID()}` } };
  }
}
