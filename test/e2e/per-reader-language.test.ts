import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { registerLocale, stringsFor } from "../../src/cards/strings.js";
import { DEMO } from "../../src/demo/constants.js";
import { ROLE } from "../../src/domain/roles.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator, cardOf, type Recorded } from "../helpers/channelEmulator.js";
import { ACCEPTING_CONTACT, buttonData, partitionRows, rowsOfKind, type TestUser } from "../helpers/journey.js";
import { until } from "../helpers/until.js";

/**
 * Each admin reads the invitation card, and its refresh after a decision, in their own language. The second
 * language is Microsoft's pseudo-locale (qps-ploc), registered by this test: every English sentence in ⟦ ⟧, so a
 * sentence in the wrong language shows. It proves the choice per reader whatever languages have files.
 */
const PSEUDO = "qps";
const pseudo = (node: unknown): unknown =>
  typeof node === "string"
    ? node.startsWith("http")
      ? node
      : `⟦${node}⟧`
    : Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, pseudo(v)]));

const CUSTOMER = DEMO.customerTenantId;
const PARTNER_TENANT = "dddddddd-2222-4000-8000-000000000001";
const contact: TestUser = { id: "29:lang-pc", name: "Pat Lang", aadObjectId: "eeeeeeee-2222-4000-8000-000000000001" };
const english: TestUser = { id: "29:admin-en", name: "Demo Admin", aadObjectId: DEMO.admin.userId };
const pseudoReader: TestUser = { id: "29:admin-qps", name: "Quinn Pseudo", aadObjectId: "c0ffee00-0000-4000-8000-0000000000c3" };
const localeOf = (user: TestUser) => (user === pseudoReader ? "qps-ploc" : "en-US");

const sentTo = (channel: ChannelEmulator, user: TestUser) =>
  channel.recorded.filter(
    (r) => r.conversationId === `a:${user.id}` && r.kind !== "update" && r.activity?.channelData?.partnerDesk && r.status === 200,
  );
const textOf = (r: Recorded) => JSON.stringify(cardOf(r.activity));

describe("end to end: each admin reads the invitation card and its refresh in their own language", function () {
  this.timeout(90_000);
  let app: RunningApp;
  let channel: ChannelEmulator;
  let unregister: () => void;
  const en = stringsFor("en");

  const press = async (user: TestUser, tenantId: string, verb: string, data: Record<string, unknown>) => {
    const result = await channel.post({ ...teamsCardAction(verb, data, personalChat(user, tenantId)), locale: localeOf(user) });
    return { body: result.body, text: JSON.stringify(result.body) };
  };

  before(async () => {
    unregister = registerLocale(PSEUDO, pseudo(en));
    app = await startBotUnderTest({ NOTIFY_POLL_MS: "100", NOTIFY_BASE_DELAY_MS: "50" });
    channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
    await app.storage.partners.upsert({
      id: "lang-partner",
      name: "Lingua Partner",
      tenantId: PARTNER_TENANT,
      locations: [{ country: "SE", city: "Malmö" }],
      sizes: ["51-250"],
      services: ["Licensing and billing"],
      industries: [],
      types: ["reseller", "resellerAndDelegatedAdministrator"],
      contacts: [{ tenantId: PARTNER_TENANT, userId: contact.aadObjectId!, name: contact.name }],
    });
    await app.directory.reload();
    await app.storage.roleAssignments.upsert({
      tenantId: CUSTOMER,
      userId: pseudoReader.aadObjectId!,
      roleId: ROLE.billingAdministrator,
      userName: pseudoReader.name,
      assignedAt: new Date().toISOString(),
    });
    await channel.post({ type: "installationUpdate", action: "add", ...personalChat(contact, PARTNER_TENANT) });
    for (const admin of [english, pseudoReader])
      await channel.post({ type: "installationUpdate", action: "add", ...personalChat(admin, CUSTOMER), locale: localeOf(admin) });
    await until(async () => (await app.storage.conversations.listForTenant(CUSTOMER)).length === 2, "admins' conversations stored");
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
    unregister?.();
  });

  it("stores each admin's locale with their conversation", async () => {
    const stored = (await app.storage.conversations.listForTenant(CUSTOMER)).map((r) => [r.value.userId, r.value.locale]);
    expect(Object.fromEntries(stored)).to.deep.equal({ [english.aadObjectId!]: "en-US", [pseudoReader.aadObjectId!]: "qps-ploc" });
  });

  it("sends the invitation card to each admin in their language, and refreshes it after a decision in their language", async () => {
    await press(english, CUSTOMER, "findPartner.send", {
      partnerIds: "lang-partner",
      businessNeeds: "Licensing help",
      organization: "Fabrikam Demo",
      contactName: english.name,
    });
    const request = await until(
      () => sentTo(channel, contact).find((r) => textOf(r).includes("New contact request")),
      "the partner's request card",
    );
    const since = channel.next; // what is recorded from now on
    const opened = await press(contact, PARTNER_TENANT, ...verbAndData(cardOf(request.activity), "Send invitation"));
    expect(opened.body.type).to.equal("application/vnd.microsoft.activity.message");
    const [form] = await channel.waitFor(
      (r) => r.kind !== "update" && r.conversationId === `a:${contact.id}` && r.seq >= since && !r.activity?.channelData?.partnerDesk,
    );
    const send = buttonData(cardOf(form!.activity), "Send invitation");
    const inputs = { types: "resellerAndDelegatedAdministrator", roles: ROLE.helpdeskAdministrator, durationDays: "90", message: "Hi" };
    expect((await press(contact, PARTNER_TENANT, send.verb, { ...send.data, ...inputs })).text).to.include("Invitation sent");

    const cardFor = (admin: TestUser) =>
      until(() => sentTo(channel, admin).find((r) => textOf(r).includes("Lingua Partner")), `${admin.name}'s invitation card`).then(textOf);
    const englishCard = await cardFor(english);
    const pseudoCard = await cardFor(pseudoReader);
    expect(englishCard).to.include("Invitation from Lingua Partner").and.not.include("⟦");
    expect(pseudoCard).to.include("⟦Invitation from Lingua Partner⟧");
    expect(pseudoCard).to.not.include('"Invitation from Lingua Partner"');

    const [invitation] = rowsOfKind(await partitionRows(app.storage.tables.client("tenant"), CUSTOMER), "inv").filter(
      (r) => r["partnerId"] === "lang-partner",
    );
    const review = await press(english, CUSTOMER, "invitations.review", { invitationId: invitation!["id"] });
    const accept = buttonData(review.body.value, en.invitations.acceptAndAuthorize);
    const accepted = await press(english, CUSTOMER, accept.verb, { ...accept.data, agreed: "true", ...ACCEPTING_CONTACT });
    expect(accepted.text).to.include("You accepted Lingua Partner's invitation");

    const updateFor = (admin: TestUser) =>
      until(
        () => channel.recorded.find((r) => r.kind === "update" && r.conversationId === `a:${admin.id}`),
        `${admin.name}'s card update`,
      ).then(textOf);
    const englishUpdate = await updateFor(english);
    const pseudoUpdate = await updateFor(pseudoReader);
    expect(englishUpdate).to.include("You accepted this invitation on").and.not.include("⟦");
    expect(pseudoUpdate).to.include(`⟦Accepted by ${english.name} on`);

    // Teams asks the card's refresh verb as each reader views it: the answer is in the viewer's language too.
    const viewed = await press(pseudoReader, CUSTOMER, "invitations.show", { invitationId: invitation!["id"] });
    expect(viewed.text).to.include(`⟦Accepted by ${english.name} on`);
  });
});

function verbAndData(card: unknown, title: string): [string, Record<string, unknown>] {
  const { verb, data } = buttonData(card, title);
  return [verb, data];
}
