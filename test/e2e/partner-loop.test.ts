import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { ROLE } from "../../src/domain/roles.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator, cardOf, type Recorded } from "../helpers/channelEmulator.js";
import { ACCEPTING_CONTACT, buttonData, partitionRows, rowsOfKind, type TestUser } from "../helpers/journey.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";
import { until } from "../helpers/until.js";

const CUSTOMER = DEMO.customerTenantId;
const partnerTenant = (n: number) => `dddddddd-1111-4000-8000-${String(n).padStart(12, "0")}`;
const contactUser = (n: number): TestUser => ({
  id: `29:pc-${n}`,
  name: `Pat ${n}`,
  aadObjectId: `eeeeeeee-1111-4000-8000-${String(n).padStart(12, "0")}`,
});
const admin1: TestUser = { id: "29:admin-1", name: "Demo Admin", aadObjectId: DEMO.admin.userId };
const admin2: TestUser = { id: "29:admin-2", name: "Bea Billing", aadObjectId: "c0ffee00-0000-4000-8000-0000000000b2" };

const notificationsTo = (channel: ChannelEmulator, conversationId: string) =>
  channel.recorded.filter(
    (r) => r.conversationId === conversationId && r.kind !== "update" && r.activity?.channelData?.partnerDesk && r.status === 200,
  );
const textOfRecorded = (r: Recorded) => JSON.stringify(cardOf(r.activity));

describe("end to end: the whole loop between a customer's admins and partners", function () {
  this.timeout(90_000);
  let app: RunningApp;
  let channel: ChannelEmulator;

  // One conversation per person, in their own tenant, as Teams gives them.
  const press = async (user: TestUser, tenantId: string, verb: string, data: Record<string, unknown>) => {
    const result = await channel.post(teamsCardAction(verb, data, personalChat(user, tenantId)));
    return { body: result.body, text: JSON.stringify(result.body) };
  };

  before(async () => {
    app = await startBotUnderTest({ NOTIFY_POLL_MS: "100", NOTIFY_BASE_DELAY_MS: "50" });
    channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
    for (const n of [1, 2, 3]) {
      const c = contactUser(n);
      await app.storage.partners.upsert({
        id: `loop-partner-${n}`,
        name: `Loop Partner ${n}`,
        tenantId: partnerTenant(n),
        locations: [{ country: "SE", city: "Malmö" }],
        sizes: ["51-250"],
        services: ["Licensing and billing"],
        industries: [],
        types: ["reseller", "resellerAndDelegatedAdministrator"],
        contacts: [{ tenantId: partnerTenant(n), userId: c.aadObjectId!, name: c.name }],
      });
    }
    await app.directory.reload();
    await app.storage.roleAssignments.upsert({
      tenantId: CUSTOMER,
      userId: admin2.aadObjectId!,
      roleId: ROLE.billingAdministrator,
      userName: admin2.name,
      assignedAt: new Date().toISOString(),
    });
    // Everyone installs the bot: partner contacts in their tenants, the two admins in the customer's.
    for (const n of [1, 2, 3])
      await channel.post({ type: "installationUpdate", action: "add", ...personalChat(contactUser(n), partnerTenant(n)) });
    for (const a of [admin1, admin2]) await channel.post({ type: "installationUpdate", action: "add", ...personalChat(a, CUSTOMER) });
    await until(async () => (await app.storage.conversations.listForTenant(CUSTOMER)).length === 2, "admins' conversations stored");
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });

  let contactRequestId = "";
  let invitationId = "";

  it("an admin contacts two partners, and each partner contact receives the request card", async () => {
    // From the admin's own personal chat: the bot reaches people where they last talked to it.
    const sent = await press(admin1, CUSTOMER, "findPartner.send", {
      partnerIds: "loop-partner-1,loop-partner-2",
      businessNeeds: "Take over our licensing",
      organization: "Fabrikam Demo",
      contactName: "Demo Admin",
    });
    contactRequestId = /CR-[0-9A-F]{10}/.exec(sent.text)![0];
    for (const n of [1, 2]) {
      const [card] = await until(
        () => notificationsTo(channel, `a:${contactUser(n).id}`).length > 0 && notificationsTo(channel, `a:${contactUser(n).id}`),
        `partner ${n}'s card`,
      );
      const text = textOfRecorded(card!);
      expect(text)
        .to.include("New contact request from Fabrikam Demo")
        .and.include("Take over our licensing")
        .and.include("Send invitation");
    }
    expect(notificationsTo(channel, `a:${contactUser(3).id}`)).to.have.length(0, "a partner that was not contacted hears nothing");
  });

  it("refuses a partner that was not contacted, and a user who is no partner contact, changing nothing", async () => {
    const before = await partitionRows(app.storage.tables.client("tenant"), CUSTOMER);
    const stranger = await press(contactUser(3), partnerTenant(3), "partner.invitationForm", {
      customerTenantId: CUSTOMER,
      contactRequestId,
    });
    expect(stranger.text).to.include("no relationship or contact request with this customer");
    expect(stranger.text).to.not.include("Take over our licensing");
    const nobody = await press(
      { id: "29:x", name: "X", aadObjectId: "99999999-0000-4000-8000-000000000001" },
      "99999999-0000-4000-8000-000000000000",
      "partner.sendInvitation",
      { customerTenantId: CUSTOMER, contactRequestId, types: "reseller", durationDays: 30 },
    );
    expect(nobody.text).to.include("for partner contacts listed in the partner directory");
    const after = await partitionRows(app.storage.tables.client("tenant"), CUSTOMER);
    expect(after.map((r) => r["etag"]).sort()).to.deep.equal(before.map((r) => r["etag"]).sort());
  });

  it("a contacted partner sends an invitation; asking for Global administrator needs one more confirmation", async () => {
    const contact = contactUser(1);
    const card = notificationsTo(channel, `a:${contact.id}`)[0]!;
    const { verb, data } = buttonData(cardOf(card.activity), "Send invitation");
    const since = channel.next; // what is recorded from now on
    const opened = await press(contact, partnerTenant(1), verb, data);
    // The form opens as a new card below the request, which stays as it was: the invoke answers with a note.
    expect(opened.body.type).to.equal("application/vnd.microsoft.activity.message");
    const [posted] = await channel.waitFor(
      (r) => r.kind !== "update" && r.conversationId === `a:${contact.id}` && r.seq >= since && !r.activity?.channelData?.partnerDesk,
    );
    const form = { body: { value: cardOf(posted!.activity) }, text: JSON.stringify(cardOf(posted!.activity)) };
    expect(form.text).to.include("Send an invitation to Fabrikam Demo").and.include("Least privilege");
    const formData = buttonData(form.body.value, "Send invitation");
    const inputs = {
      types: "resellerAndDelegatedAdministrator",
      roles: `${ROLE.helpdeskAdministrator},${ROLE.globalAdministrator}`,
      durationDays: "90",
      message: "Happy to help",
    };
    const warned = await press(contact, partnerTenant(1), formData.verb, { ...formData.data, ...inputs });
    expect(warned.text).to.include("You picked Global administrator");
    expect(
      rowsOfKind(await partitionRows(app.storage.tables.client("tenant"), CUSTOMER), "inv").filter(
        (r) => r["partnerId"] === "loop-partner-1",
      ),
    ).to.have.length(0);
    const confirm = buttonData(warned.body.value, "Send invitation");
    const sent = await press(contact, partnerTenant(1), confirm.verb, { ...confirm.data, ...inputs });
    expect(sent.text).to.include("Invitation sent");
    const [invitation] = rowsOfKind(await partitionRows(app.storage.tables.client("tenant"), CUSTOMER), "inv").filter(
      (r) => r["partnerId"] === "loop-partner-1",
    );
    expect(invitation?.["status"]).to.equal("pending");
    expect(invitation?.["durationDays"]).to.equal(90);
    invitationId = String(invitation!["id"]);
  });

  it("every admin of the tenant receives the invitation card, which refreshes for each of them", async () => {
    for (const a of [admin1, admin2]) {
      const [card] = await until(
        () =>
          notificationsTo(channel, `a:${a.id}`).filter((r) => textOfRecorded(r).includes("Loop Partner 1")).length > 0 &&
          notificationsTo(channel, `a:${a.id}`),
        `${a.name}'s invitation card`,
      );
      const content = cardOf(card!.activity);
      expect(JSON.stringify(content)).to.include("Invitation from Loop Partner 1").and.include("Broadest role");
      expect(content.refresh.userIds).to.have.members([admin1.id, admin2.id]);
      expect(content.refresh.action).to.deep.include({ type: "Action.Execute", verb: "invitations.show" });
    }
  });

  it("an admin accepts; the partner hears it and every admin's card is updated in place to the decided state", async () => {
    const review = await press(admin1, CUSTOMER, "invitations.review", { invitationId });
    const accept = buttonData(review.body.value, "Accept & authorize");
    const accepted = await press(admin1, CUSTOMER, accept.verb, { ...accept.data, agreed: "true", ...ACCEPTING_CONTACT });
    expect(accepted.text).to.include("You accepted Loop Partner 1's invitation and the Microsoft Customer Agreement");

    const [heard] = await until(
      () =>
        notificationsTo(channel, `a:${contactUser(1).id}`).filter((r) => textOfRecorded(r).includes("accepted your invitation")).length >
          0 && notificationsTo(channel, `a:${contactUser(1).id}`).filter((r) => textOfRecorded(r).includes("accepted your invitation")),
      "the partner's acceptance card",
    );
    expect(textOfRecorded(heard!)).to.include("Fabrikam Demo accepted your invitation").and.include("Helpdesk administrator");
    // Partner Center's Agreement record, for the partner to confirm there: through the real outbox and renderer.
    expect(textOfRecorded(heard!))
      .to.include(ACCEPTING_CONTACT.email)
      .and.include("MicrosoftCustomerAgreement")
      .and.include("Confirm this acceptance in Partner Center");
    expect(textOfRecorded(heard!).toLowerCase()).to.not.include("confirmed");

    for (const a of [admin1, admin2]) {
      const sentCard = notificationsTo(channel, `a:${a.id}`).find((r) => textOfRecorded(r).includes("Loop Partner 1"))!;
      const updated = await until(
        () => channel.recorded.find((r) => r.kind === "update" && r.conversationId === `a:${a.id}`),
        `${a.name}'s card update`,
      );
      expect(updated.activityId).to.be.a("string");
      // The decider keeps their own answer; the other admin sees who decided, and neither is told "nothing changed".
      const shown = JSON.stringify(cardOf(updated.activity));
      expect(shown).to.include(a === admin1 ? "You accepted this invitation on" : "Accepted by Demo Admin on");
      expect(shown).to.not.include("Nothing was changed");
      expect(sentCard).to.not.equal(undefined);
    }
  });

  it("asks the partner to end the relationship; the partner confirms; it ends and the admins are told", async () => {
    const ask = await press(admin1, CUSTOMER, "relationship.requestEnd", { partnerId: "loop-partner-1", message: "Thanks, we're done" });
    expect(ask.text).to.include("Termination requested");
    const [request] = await until(
      () =>
        notificationsTo(channel, `a:${contactUser(1).id}`).filter((r) => textOfRecorded(r).includes("asks to end")).length > 0 &&
        notificationsTo(channel, `a:${contactUser(1).id}`).filter((r) => textOfRecorded(r).includes("asks to end")),
      "the end request card",
    );
    expect(textOfRecorded(request!)).to.include("Thanks, we're done");
    const confirm = buttonData(cardOf(request!.activity), "Confirm end of relationship");

    const stranger = await press(contactUser(2), partnerTenant(2), confirm.verb, confirm.data);
    expect(stranger.text).to.include("no relationship or contact request");

    const done = await press(contactUser(1), partnerTenant(1), confirm.verb, confirm.data);
    expect(done.text).to.include("The relationship with Fabrikam Demo has ended").and.include("Relationship ended");
    // The same button pressed again: nothing to confirm, and the title does not claim an end.
    const again = await press(contactUser(1), partnerTenant(1), confirm.verb, confirm.data);
    expect(again.text).to.include("No end to confirm").and.include("Nothing was changed").and.not.include("Relationship ended");
    const relationship = rowsOfKind(await partitionRows(app.storage.tables.client("tenant"), CUSTOMER), "rel").find(
      (r) => r["partnerId"] === "loop-partner-1",
    );
    expect(relationship?.["status"]).to.equal("terminated");
    expect(JSON.parse(String(relationship?.["roles"]))).to.deep.equal([]);
    for (const a of [admin1, admin2]) {
      const [ended] = await until(
        () =>
          notificationsTo(channel, `a:${a.id}`).filter((r) => textOfRecorded(r).includes("has ended")).length > 0 &&
          notificationsTo(channel, `a:${a.id}`).filter((r) => textOfRecorded(r).includes("has ended")),
        `${a.name} told of the end`,
      );
      // The admins' notice names the partner, not their own organization.
      expect(textOfRecorded(ended!)).to.include("Your relationship with Loop Partner 1 has ended").and.not.include("with Fabrikam Demo");
    }
  });
});

describe("end to end: the demo partner user in the Bot Framework Emulator", function () {
  this.timeout(60_000);

  it("reaches the Emulator user playing Contoso's contact with the contact request card, and lets them open the invitation form", async () => {
    const app = await startBotUnderTest({ NOTIFY_POLL_MS: "100" });
    const channel = await new ChannelEmulator(app.url, { channelId: "emulator" }).start();
    try {
      // The partner user opens a chat in the Emulator (user id "demo-partner"), then the demo admin contacts Contoso.
      await channel.post({
        type: "conversationUpdate",
        membersAdded: [{ id: "bot-id" }],
        from: { id: "demo-partner", name: "Pat" },
        conversation: { id: "emulator-partner-chat" },
      });
      await until(
        async () =>
          (await app.storage.conversations.get(DEMO.partnerContact.tenantId, DEMO.partnerContact.userId))?.value.reachableAs ===
          "partnerContact",
        "the partner's conversation",
      );
      channel.clear();
      await channel.post({
        type: "message",
        from: { id: "emulator-admin", name: "Demo Admin" },
        conversation: { id: "emulator-admin-chat" },
        value: { verb: "findPartner.send", partnerIds: DEMO.invitingPartnerId, businessNeeds: "Licensing for 80 people" },
      });
      const [card] = await until(
        () =>
          channel.recorded.filter((r) => r.conversationId === "emulator-partner-chat" && r.activity?.channelData?.partnerDesk).length > 0 &&
          channel.recorded.filter((r) => r.conversationId === "emulator-partner-chat" && r.activity?.channelData?.partnerDesk),
        "the partner's card in the Emulator",
      );
      const content = cardOf(card!.activity);
      expect(JSON.stringify(content)).to.include("New contact request from Fabrikam Demo").and.include("Licensing for 80 people");
      const send = buttonData(content, "Send invitation");
      expect(send.verb).to.equal("partnerSide.invitationForm", "Emulator cards carry the verb in Action.Submit data");
      channel.clear();
      await channel.post({
        type: "message",
        from: { id: "demo-partner", name: "Pat" },
        conversation: { id: "emulator-partner-chat" },
        value: { verb: send.verb, ...send.data },
        replyToId: card!.activity.id ?? "x",
      });
      const [form] = await until(
        () =>
          channel.recorded.filter((r) => r.conversationId === "emulator-partner-chat").length > 0 &&
          channel.recorded.filter((r) => r.conversationId === "emulator-partner-chat"),
        "the invitation form",
      );
      expect(JSON.stringify(cardOf(form!.activity))).to.include("Send an invitation to Fabrikam Demo");
    } finally {
      await channel.stop();
      await app.stop();
    }
  });
});
