import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { actionsOf, cardOf, ChannelEmulator, textOf } from "../helpers/channelEmulator.js";
import { cardActionInvoke, teamsCardAction, teamsChat, teamsMessage } from "../helpers/activities.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";

describe("end to end: the Teams path (invoke adaptiveCard/action)", function () {
  this.timeout(30_000);
  let app: RunningApp;
  let channel: ChannelEmulator;

  before(async () => {
    app = await startBotUnderTest();
    channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });
  beforeEach(() => channel.clear());

  it("answers a card action with the next card in the invoke response, with Action.Execute buttons", async () => {
    const result = await channel.post(teamsCardAction("partnerTypes.show"));
    expect(result.status).to.equal(200);
    expect(result.body.statusCode).to.equal(200);
    expect(result.body.type).to.equal("application/vnd.microsoft.card.adaptive");
    expect(textOf(result.body.value)).to.include("Line-of-business (LOB) partner");
    const actions = actionsOf(result.body.value);
    expect(actions.every((a) => a.type === "Action.Execute")).to.equal(true);
    expect(actions.map((a) => a.verb)).to.include("menu.show");
    expect(channel.recorded).to.have.length(0, "an invoke is answered in its HTTP response, not by a separate message");
  });

  it("answers an unknown verb with a 400 error response", async () => {
    const result = await channel.post(teamsCardAction("relationship.nuke"));
    expect(result.status).to.equal(200);
    expect(result.body).to.deep.include({ statusCode: 400, type: "application/vnd.microsoft.error" });
    expect(result.body.value.code).to.equal("ACTION.UNKNOWN");
  });

  it("answers data that fails the verb's schema with a 400 error response", async () => {
    const result = await channel.post(teamsCardAction("menu.show", { surprise: true }));
    expect(result.body).to.deep.include({ statusCode: 400, type: "application/vnd.microsoft.error" });
    expect(result.body.value.code).to.equal("ACTION.INVALID");
    expect(result.body.value.message).to.be.a("string").and.not.include("surprise");
  });

  for (const [label, value] of [
    ["no value at all", undefined],
    ["a value without an action", { foo: 1 }],
    ["an Action.Submit instead of Action.Execute", { action: { type: "Action.Submit", verb: "menu.show" } }],
    ["a verb that is not a string", { action: { type: "Action.Execute", verb: 42 } }],
    ["data that is not an object", { action: { type: "Action.Execute", verb: "menu.show", data: "x" } }],
  ] as const) {
    it(`answers a malformed invoke (${label}) with a 400 error response, never a crash`, async () => {
      const result = await channel.post(cardActionInvoke(teamsChat, value));
      expect(result.status).to.equal(200);
      expect(result.body).to.deep.include({ statusCode: 400, type: "application/vnd.microsoft.error" });
    });
  }

  it("welcomes on installationUpdate, and does not welcome twice on the conversationUpdate Teams also sends", async () => {
    await channel.post({
      type: "installationUpdate",
      action: "add",
      ...teamsChat,
    });
    await channel.post({
      type: "conversationUpdate",
      membersAdded: [{ id: "bot-id" }],
      ...teamsChat,
    });
    const sent = await channel.waitFor(() => true);
    await new Promise((r) => setTimeout(r, 300));
    expect(channel.recorded).to.have.length(1);
    expect(textOf(cardOf(sent[0]!.activity))).to.include("Welcome to Partner Desk");
  });

  it("answers a typed message in Teams with a card whose buttons are Action.Execute", async () => {
    await channel.post({
      type: "message",
      text: "<at>Partner Desk</at> help",
      entities: [{ type: "mention", text: "<at>Partner Desk</at>", mentioned: { id: "bot-id", name: "Partner Desk" } }],
      ...teamsChat,
    });
    const [reply] = await channel.waitFor((r) => r.kind === "reply");
    const card = cardOf(reply!.activity);
    expect(textOf(card)).to.include("What would you like to do?");
    expect(actionsOf(card).every((a) => a.type === "Action.Execute")).to.equal(true);
  });

  it("refuses a Teams activity without an Entra user id instead of guessing who it is", async () => {
    const result = await channel.post({ ...teamsCardAction("partnerTypes.show"), from: { id: "29:anon", name: "Anon" } });
    expect(result.body.statusCode).to.equal(401);
    expect(result.body.type).to.equal("application/vnd.microsoft.error");
    // They are in Teams already: the message names what is wrong (their account), not "talk to me from Teams".
    expect(result.body.value.message).to.include("sign in to Teams with your work account").and.not.include("from Microsoft Teams");
  });

  it("answers a Teams message without an Entra user id with a card about the account, not about the app", async () => {
    await channel.post({ ...teamsMessage("help"), from: { id: "29:anon", name: "Anon" } });
    const [reply] = await channel.waitFor((r) => r.kind === "reply");
    const text = textOf(cardOf(reply!.activity));
    expect(text).to.include("personal Microsoft account or as a guest").and.not.include("use Partner Desk in Microsoft Teams");
  });
});

describe("end to end: tenants outside ALLOWED_TENANTS", function () {
  this.timeout(30_000);
  let app: RunningApp;
  let channel: ChannelEmulator;

  before(async () => {
    app = await startBotUnderTest({ ALLOWED_TENANTS: "cccccccc-0000-4000-8000-000000000001" });
    channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });

  it("refuses a card action from another tenant with a 403 and no data", async () => {
    const result = await channel.post(teamsCardAction("partnerTypes.show"));
    expect(result.body).to.deep.include({ statusCode: 403, type: "application/vnd.microsoft.error" });
    expect(textOf(result.body)).to.not.include("Reseller");
  });

  it("answers a message from another tenant with a card that says the bot is not enabled, and nothing else", async () => {
    await channel.post({
      type: "message",
      text: "help",
      ...teamsChat,
    });
    const [reply] = await channel.waitFor((r) => r.kind === "reply");
    const text = textOf(cardOf(reply!.activity));
    expect(text).to.include("isn't enabled for your organization");
    expect(text).to.not.include("What would you like to do?");
  });
});
