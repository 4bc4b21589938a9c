import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the bot sent back to the "channel": replies, new messages and card updates. */
export interface Recorded {
  kind: "reply" | "send" | "update";
  conversationId: string;
  /** For reply: the activity replied to; for update: the activity replaced. */
  activityId?: string;
  activity: any;
  authorization?: string;
  /** When it arrived (ms since epoch). */
  at: number;
  /** The HTTP status the emulator answered with. */
  status: number;
}

/** A scripted answer from the "channel": lets tests play Teams throttling (429), outages (503) and gone conversations (404). */
export interface ScriptedAnswer {
  status: number;
  /** Answer only after this long (a slow channel). */
  delayMs?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface PostResult {
  status: number;
  body: any;
}

/**
 * A loopback stand-in for the Bot Connector service. It posts activities to the bot with its own serviceUrl
 * (as Teams and the Emulator do) and implements the Connector REST routes the bot calls back on.
 */
export class ChannelEmulator {
  readonly recorded: Recorded[] = [];
  private server?: Server;
  private waiters: Array<() => void> = [];
  serviceUrl = "";

  constructor(
    private readonly botUrl: string,
    private readonly options: {
      channelId: "msteams" | "emulator";
      token?: (serviceUrl: string) => Promise<string>;
      answer?: (request: { kind: Recorded["kind"]; conversationId: string; activity: any }) => ScriptedAnswer | undefined;
    },
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { "content-type": "application/json", ...(headers ?? {}) });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage): Promise<PostResult & { headers?: Record<string, string> }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const activity = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    const safeDecode = (text: string) => {
      try {
        return decodeURIComponent(text);
      } catch {
        return text;
      }
    };
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (!match) return { status: 404, body: { error: { code: "NotFound", message: path } } };
    const conversationId = safeDecode(match[1]!);
    const activityId = match[2] ? safeDecode(match[2]) : undefined;
    const kind: Recorded["kind"] = req.method === "PUT" ? "update" : activityId ? "reply" : "send";
    const scripted = this.options.answer?.({ kind, conversationId, activity });
    if (scripted?.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
    const status = scripted?.status ?? 200;
    this.recorded.push({
      kind,
      conversationId,
      ...(activityId ? { activityId } : {}),
      activity,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      at: Date.now(),
      status,
    });
    for (const wake of this.waiters.splice(0)) wake();
    if (scripted && scripted.status >= 300)
      return {
        status,
        body: scripted.body ?? { error: { code: "Error", message: `status ${status}` } },
        ...(scripted.headers ? { headers: scripted.headers } : {}),
      };
    return { status: 200, body: { id: activityId && kind === "update" ? activityId : `bot-${randomUUID()}` } };
  }

  /** Fills in what a real channel always sends, then posts to /api/messages. */
  async post(activity: Record<string, any>): Promise<PostResult> {
    const full = {
      id: `act-${randomUUID()}`,
      channelId: this.options.channelId,
      serviceUrl: this.serviceUrl,
      timestamp: new Date().toISOString(),
      recipient: { id: "bot-id", name: "Partner Desk" },
      conversation: { id: "conv-1" },
      from: { id: "user-1", name: "Ada Admin" },
      locale: "en-US",
      ...activity,
    };
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.options.token) headers["authorization"] = `Bearer ${await this.options.token(full.serviceUrl)}`;
    const response = await fetch(`${this.botUrl}/api/messages`, { method: "POST", headers, body: JSON.stringify(full) });
    const text = await response.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body };
  }

  /** Waits until `count` activities matching `filter` have arrived (the bot answers messages asynchronously to the channel). */
  async waitFor(filter: (r: Recorded) => boolean, count = 1, timeoutMs = 10_000): Promise<Recorded[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.recorded.filter(filter);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${count} matching activities; recorded: ${JSON.stringify(this.recorded.map((r) => ({ kind: r.kind, id: r.activityId })))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  clear(): void {
    this.recorded.length = 0;
  }
}

/** The Adaptive Card inside a recorded message activity. */
export const cardOf = (activity: any): any => {
  const attachment = activity?.attachments?.[0];
  if (attachment?.contentType !== "application/vnd.microsoft.card.adaptive")
    throw new Error(`not an Adaptive Card message: ${JSON.stringify(activity).slice(0, 300)}`);
  return attachment.content;
};

/** Every action in a card (actions, selectActions, nested ActionSets), found by walking the tree. */
export function actionsOf(card: any): any[] {
  const out: any[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    if (typeof node.type === "string" && node.type.startsWith("Action.")) out.push(node);
    Object.values(node).forEach(walk);
  };
  walk(card);
  return out;
}

export const textOf = (card: any): string => JSON.stringify(card);
