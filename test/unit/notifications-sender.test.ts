import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import { expect } from "chai";
import { BotProactiveSender } from "../../src/bot/proactiveSender.js";
import type { AdaptiveCardJson } from "../../src/cards/render.js";
import type { Reference } from "../../src/bot/conversationBook.js";

interface Received {
  method: string;
  path: string;
  body: any;
}

const card: AdaptiveCardJson = { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "Declined" }] };

describe("notifications: the proactive sender against a loopback Bot Connector", () => {
  let server: Server;
  let base = "";
  const received: Received[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
        const path = decodeURIComponent(req.url ?? "");
        received.push({ method: req.method ?? "", path, body });
        res.setHeader("content-type", "application/json");
        if (path.includes("a:down")) {
          res.statusCode = 503;
          return res.end(JSON.stringify({ error: { code: "ServiceUnavailable", message: "down" } }));
        }
        res.end(JSON.stringify({ id: `activity-${received.length}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
  });

  /** An anonymous adapter (no app id: no tokens), counting the proactive turns it starts. */
  function sender(): { sender: BotProactiveSender; turns: () => number } {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    let turns = 0;
    const original = adapter.continueConversationAsync.bind(adapter) as (...args: unknown[]) => Promise<void>;
    (adapter as unknown as { continueConversationAsync: (...args: unknown[]) => Promise<void> }).continueConversationAsync = (...args) => {
      turns++;
      return original(...args);
    };
    return { sender: new BotProactiveSender(adapter, ""), turns: () => turns };
  }

  const reference = (service: string, conversationId: string): Reference => ({
    channelId: "msteams",
    serviceUrl: `${base}/${service}/`,
    conversation: { id: conversationId, tenantId: "t1", conversationType: "personal" },
    bot: { id: "28:bot", name: "Partner Desk" },
    user: { id: `29:${conversationId}`, name: "Contact" },
    locale: "en-US",
  });

  it("sends each card into its conversation, making one connector client per service URL", async () => {
    const { sender: s, turns } = sender();
    const first = await s.send(reference("emea", "a:one"), card, "n-1:u-1");
    await s.send(reference("emea", "a:two"), card, "n-2:u-2");
    await s.send(reference("emea", "a:one"), card, "n-3:u-1");
    await s.send(reference("amer", "a:three"), card, "n-4:u-3");
    expect(turns()).to.equal(2, "one proactive turn per service URL, to make its client");
    expect(first.activityId).to.equal("activity-1");
    expect(received.map((r) => `${r.method} ${r.path.split("/activities")[0]}`)).to.deep.equal([
      "POST /emea/v3/conversations/a:one",
      "POST /emea/v3/conversations/a:two",
      "POST /emea/v3/conversations/a:one",
      "POST /amer/v3/conversations/a:three",
    ]);
    const activity = received[1]!.body;
    expect(activity).to.deep.include({ type: "message", channelId: "msteams" });
    expect(activity.conversation.id).to.equal("a:two");
    expect(activity.from.id).to.equal("28:bot");
    expect(activity.recipient.id).to.equal("29:a:two");
    expect(activity.attachments[0].content).to.deep.equal(card);
    expect(activity.channelData.partnerDesk.idempotencyKey).to.equal("n-2:u-2");
  });

  it("replaces a card it sent earlier in place", async () => {
    const { sender: s } = sender();
    await s.update(reference("emea", "a:one"), "activity-7", card);
    expect(received).to.have.length(1);
    expect(received[0]!.method).to.equal("PUT");
    expect(received[0]!.path).to.match(/\/emea\/v3\/conversations\/a:one\/activities\/activity-7$/);
    expect(received[0]!.body.attachments[0].content).to.deep.equal(card);
  });

  it("makes exactly one request per send, also on the kept client: the dispatcher and the rate limiter see every failure", async () => {
    const { sender: s } = sender();
    for (let i = 0; i < 2; i++) {
      const error = await s.send(reference("emea", "a:down"), card, `n-${i}:u`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as { statusCode?: number } | undefined)?.statusCode).to.equal(503);
    }
    expect(received).to.have.length(2, "no hidden HTTP retries");
  });
});
