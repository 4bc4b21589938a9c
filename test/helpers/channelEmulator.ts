import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
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
  /**
   * Its place among everything recorded (0, 1, …). Compare with `next` taken before acting to find what came after:
   * a time compared with Date.now() also matches what arrived earlier in the same millisecond.
   */
  seq: number;
  /** The HTTP status the emulator answered with. */
  status: number;
}

/** A scripted answer from the "channel": lets tests play Teams throttling (429), outages (503) and gone conversations (404). */
export interface ScriptedAnswer extends ChannelAnswer {
  /** Answer only after this long (a slow channel). */
  delayMs?: number;
}

/** A PUT the bot made to an upload session the channel offered (Teams' file consent flow). */
export interface RecordedUpload {
  /** The path and query it was PUT to. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The status the session answered. */
  status: number;
}

/** What Teams puts in `uploadInfo` when the person allows a file: an upload session in their OneDrive, and the file it becomes. */
export interface UploadInfo {
  name: string;
  uploadUrl: string;
  contentUrl: string;
  uniqueId: string;
  fileType: string;
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
  private recordedSoFar = 0;
  /** The `seq` the next recorded request will get (`clear` does not start it again). */
  get next(): number {
    return this.recordedSoFar;
  }
  /** Files the bot PUT into upload sessions this channel offered (offerUpload). */
  readonly uploads: RecordedUpload[] = [];
  private readonly connector: LoopbackConnector;
  /** Plays OneDrive's upload sessions for the file consent flow: PUT /upload/<session> with the file's bytes. */
  private readonly uploadServer: Server;
  private uploadBase = "";
  private readonly sessionAnswers = new Map<string, number>();
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
    this.uploadServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "http://x");
        const session = /^\/upload\/([^/]+)$/.exec(url.pathname)?.[1];
        const status = req.method !== "PUT" || !session ? 404 : (this.sessionAnswers.get(session) ?? 201);
        const body = Buffer.concat(chunks);
        if (req.method === "PUT") this.uploads.push({ path: `${url.pathname}${url.search}`, headers: req.headers, body, status });
        for (const wake of this.waiters.splice(0)) wake();
        res.writeHead(status, { "content-type": "application/json" });
        // A completed upload session answers with the driveItem it made.
        res.end(
          JSON.stringify(status < 300 ? { id: session, size: body.length } : { error: { code: "Error", message: `status ${status}` } }),
        );
      });
    });
  }

  /**
   * An upload session as Teams offers one when the person allows a file: a one-off URL on this channel's upload
   * server, answered 201 (or `status`, to play OneDrive refusing), and where the file will be.
   */
  offerUpload(name: string, options: { status?: number } = {}): UploadInfo {
    const session = randomUUID();
    if (options.status !== undefined) this.sessionAnswers.set(session, options.status);
    return {
      name,
      uploadUrl: `${this.uploadBase}/upload/${session}?tempauth=${randomUUID()}`,
      contentUrl: `https://contoso-my.sharepoint.com/personal/ada/Documents/Applications/Partner%20Desk/${encodeURIComponent(name)}`,
      uniqueId: session,
      fileType: name.split(".").pop() ?? "",
    };
  }

  get serviceUrl(): string {
    return this.connector.serviceUrl;
  }

  async start(): Promise<this> {
    await this.connector.start();
    await new Promise<void>((resolve) => this.uploadServer.listen(0, "127.0.0.1", resolve));
    this.uploadBase = `http://127.0.0.1:${(this.uploadServer.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.uploadServer.close(() => resolve());
      this.uploadServer.closeAllConnections();
    });
    await this.connector.stop();
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
      seq: this.recordedSoFar++,
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
    this.uploads.length = 0;
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
