import { randomUUID } from "node:crypto";
import { LoopbackConnector, type ChannelAnswer, type ChannelRequest } from "./loopbackConnector.js";

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
export interface ScriptedAnswer extends ChannelAnswer {
  /** Answer only after this long (a slow channel). */
  delayMs?: number;
}

export interface PostResult {
  status: number;
  body: any;
}

/**
 * A channel for tests: it posts activities to the bot with its own serviceUrl (as Teams and the Emulator do),
 * and records what the bot sends back through the loopback Bot Connector it runs.
 */
export class ChannelEmulator {
  readonly recorded: Recorded[] = [];
  private readonly connector: LoopbackConnector;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly botUrl: string,
    private readonly options: {
      channelId: "msteams" | "emulator";
      token?: (serviceUrl: string) => Promise<string>;
      answer?: (request: { kind: Recorded["kind"]; conversationId: string; activity: any }) => ScriptedAnswer | undefined;
    },
  ) {
    this.connector = new LoopbackConnector((request) => this.record(request));
  }

  get serviceUrl(): string {
    return this.connector.serviceUrl;
  }

  async start(): Promise<this> {
    await this.connector.start();
    return this;
  }

  stop(): Promise<void> {
    return this.connector.stop();
  }

  /** Records a request once its scripted delay has passed, so a test waiting for it sees it as the bot does. */
  private async record(request: ChannelRequest): Promise<ChannelAnswer | undefined> {
    const { kind, conversationId, activityId, activity, headers } = request;
    const scripted = this.options.answer?.({ kind, conversationId, activity });
    if (scripted?.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
    const status = scripted?.status ?? 200;
    this.recorded.push({
      kind,
      conversationId,
      ...(activityId ? { activityId } : {}),
      activity,
      ...(headers.authorization ? { authorization: headers.authorization } : {}),
      at: Date.now(),
      status,
    });
    for (const wake of this.waiters.splice(0)) wake();
    // A scripted success only delays: the answer is the Connector's usual one.
    if (!scripted || scripted.status < 300) return undefined;
    return {
      status,
      ...(scripted.headers ? { headers: scripted.headers } : {}),
      ...(scripted.body !== undefined ? { body: scripted.body } : {}),
    };
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
