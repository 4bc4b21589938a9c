import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { actionsOf, cardOf, ChannelEmulator, textOf } from "../helpers/channelEmulator.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";

describe("end to end: the Bot Framework Emulator path (messages, Action.Submit, card updates)", function () {
  this.timeout(30_000);
  let app: RunningApp;
  let channel: ChannelEmulator;

  before(async () => {
    app = await startBotUnderTest();
    channel = await new ChannelEmulator(app.url, { channelId: "emulator" }).start();
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });
  beforeEach(() => channel.clear());

  it("welcomes the user when the bot joins the conversation", async () => {
    const result = await channel.post({ type: "conversationUpdate", membersAdded: [{ id: "bot-id" }, { id: "user-1" }] });
    expect(result.status).to.equal(200);
    const [sent] = await channel.waitFor((r) => r.kind === "reply" || r.kind === "send");
    const card = cardOf(sent!.activity);
    expect(textOf(card)).to.include("Welcome to Partner Desk");
    expect(sent!.conversationId).to.equal("conv-1");
  });

  it("welcomes a member with only what they may do, saying why and whom to ask, as the menu does", async () => {
    await channel.post({
      type: "conversationUpdate",
      conversation: { id: "conv-member" },
      from: { id: "demo-member", name: "Demo Member" },
      membersAdded: [{ id: "bot-id" }, { id: "demo-member" }],
    });
    const [sent] = await channel.waitFor((r) => r.conversationId === "conv-member");
    const card = cardOf(sent!.activity);
    const titles = actionsOf(card).map((a) => a.title);
    expect(titles).to.include.members(["Find a partner", "Partner types"]);
    expect(titles).to.not.include("Invitations").and.not.include("Partners");
    expect(textOf(card)).to.include("is for Global and Billing administrators. Ask Demo Admin.");
  });

  it("answers help with the main menu card at the channel's serviceUrl, as a reply to the message", async () => {
    const result = await channel.post({ type: "message", text: "help", id: "msg-help" });
    expect(result.status).to.equal(200);
    const [reply] = await channel.waitFor((r) => r.kind === "reply");
    expect(reply!.activityId).to.equal("msg-help");
    const card = cardOf(reply!.activity);
    expect(card.type).to.equal("AdaptiveCard");
    expect(textOf(card)).to.include("What would you like to do?");
    const actions = actionsOf(card);
    expect(actions.length).to.be.greaterThan(0);
    expect(actions.every((a) => a.type === "Action.Submit")).to.equal(true, "the Emulator does not support Action.Execute");
    expect(actions.map((a) => a.data.verb)).to.include("partnerTypes.show");
  });

  it("shows the main menu for text it does not understand", async () => {
    await channel.post({ type: "message", text: "what's the weather" });
    const [reply] = await channel.waitFor((r) => r.kind === "reply");
    expect(textOf(cardOf(reply!.activity))).to.include("What would you like to do?");
  });

  it("lists the seven partner types for the text command 'partner types'", async () => {
    await channel.post({ type: "message", text: "Partner types" });
    const [reply] = await channel.waitFor((r) => r.kind === "reply");
    const text = textOf(cardOf(reply!.activity));
    for (const name of [
      "Reseller",
      "Delegated administrator",
      "Reseller & delegated administrator",
      "Advisor",
      "MPSA partner",
      "Line-of-business (LOB) partner",
    ]) {
      expect(text).to.include(name);
    }
  });

  it("runs a pressed button (message with value) through the router and replaces the card it came from", async () => {
    const result = await channel.post({ type: "message", value: { verb: "partnerTypes.show" }, replyToId: "card-42" });
    expect(result.status).to.equal(200);
    const [update] = await channel.waitFor((r) => r.kind === "update");
    expect(update!.activityId).to.equal("card-42");
    expect(textOf(cardOf(update!.activity))).to.include("Delegated administrator");
  });

  it("answers a button with an unknown verb with an error card, not a crash", async () => {
    const result = await channel.post({ type: "message", value: { verb: "relationship.nuke" }, replyToId: "card-43" });
    expect(result.status).to.equal(200);
    const [update] = await channel.waitFor((r) => r.kind === "update");
    const text = textOf(cardOf(update!.activity));
    expect(text).to.include("That didn't work");
    expect(text).to.include("I don't know that action");
    expect(text).to.not.match(/at \w+ \(|Error:/, "no stack trace reaches the user");
  });

  it("answers a button whose data does not match its schema with an error card", async () => {
    await channel.post({ type: "message", value: { verb: "menu.show", tenantId: "someone-else" }, replyToId: "card-44" });
    const [update] = await channel.waitFor((r) => r.kind === "update");
    expect(textOf(cardOf(update!.activity))).to.include("That card's data wasn't what I expected");
  });

  it("sends a new card when there is no card to replace", async () => {
    await channel.post({ type: "message", value: { verb: "menu.show" } });
    const [reply] = await channel.waitFor((r) => r.kind === "reply");
    expect(textOf(cardOf(reply!.activity))).to.include("What would you like to do?");
  });
});
