/**
 * The load generator's HTTP client (the loopback Bot Connector is test/helpers/loopbackConnector.ts). Plain node:http with
 * keep-alive: lighter than fetch, so the client steals as little CPU as possible from the servers it measures
 * on a 2-core machine. Every request has a deadline. Loopback only.
 */
import { Agent, request } from "node:http";

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

  postJson(url: string, body: unknown, timeoutMs = 30_000, headers: Record<string, string> = {}): Promise<HttpAnswer> {
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
          headers: { ...headers, "content-type": "application/json", "content-length": payload.length },
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
