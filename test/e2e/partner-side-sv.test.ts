import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { ROLE } from "../../src/domain/roles.js";
import { personalChat, teamsCardAction, teamsMessage } from "../helpers/activities.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator, cardOf, type Recorded } from "../helpers/channelEmulator.js";
import { dataPhrases, englishIn } from "../helpers/englishScan.js";
import { ACCEPTING_CONTACT, buttonData, buttonTitles, inputDefaults, type TestUser } from "../helpers/journey.js";
import { until } from "../helpers/until.js";

/*
 * The partner side in Swedish, through the real endpoint on the Teams path: a partner contact and two admins whose
 * Teams clients are set to sv-SE. Every card anyone receives on the way (answers, notifications, refreshed cards)
 * is in Swedish, pressed by its Swedish titles, and the scan at the end finds no English in any of them.
 */

const CUSTOMER = DEMO.customerTenantId;
const PARTNER_TENANT = "dddddddd-2222-4000-8000-000000000001";
const PARTNER_ID = "svensk-partner";
const PARTNER_NAME = "Svensk Molnpartner AB";
const LOCALE = "sv-SE";
const contact: TestUser = { id: "29:sv-pc", name: "Per Partner", aadObjectId: "eeeeeeee-2222-4000-8000-000000000001" };
const admin1: TestUser = { id: "29:sv-admin-1", name: "Demo Admin", aadObjectId: DEMO.admin.userId };
const admin2: TestUser = { id: "29:sv-admin-2", name: "Bea Billing", aadObjectId: "c0ffee00-0000-4000-8000-0000000000b2" };
const BUSINESS_NEEDS = "Vi flyttar 300 brevlådor och behöver hjälp med licenser";
const INVITATION_MESSAGE = "Vi hjälper gärna till";
const END_MESSAGE = "Tack, vi är klara";

const chatOf = (user: TestUser, tenantId: string) => ({ ...personalChat(user, tenantId), locale: LOCALE });
const conversationOf = (user: TestUser) => `a:${user.id}`;

describe("end to end: the partner side in Swedish (sv-SE), with no English on any card", function () {
  this.timeout(90_000);
  let app: RunningApp;
  let channel: ChannelEmulator;
  /** Every card anyone was answered with by an invoke; the channel records the rest. */
  const answers: unknown[] = [];

  const press = async (user: TestUser, tenantId: string, verb: string, data: Record<string, unknown>) => {
    const result = await channel.post(teamsCardAction(verb, data, chatOf(user, tenantId)));
    const card = result.body?.value;
    if (card && typeof card === "object" && (card as { type?: string }).type === "AdaptiveCard") answers.push(card);
    return { card, text: JSON.stringify(result.body) };
  };
  const say = async (user: TestUser, tenantId: string, text: string) => {
    const since = channel.next; // what is recorded from now on
    await channel.post(teamsMessage(text, chatOf(user, tenantId)));
    const [reply] = await channel.waitFor((r) => r.kind === "reply" && r.conversationId === conversationOf(user) && r.seq >= since);
    return { card: cardOf(reply!.activity), text: JSON.stringify(cardOf(reply!.activity)) };
  };
  const cardsTo = (user: TestUser, containing: string) =>
    channel.recorded.filter(
      (r) => r.conversationId === conversationOf(user) && r.status === 200 && r.kind !== "update" && textOf(r).includes(containing),
    );
  const textOf = (r: Recorded) => JSON.stringify(cardOf(r.activity) ?? r.activity?.text ?? "");
  const received = async (user: TestUser, containing: string): Promise<Recorded> =>
    until(() => cardsTo(user, containing)[0], `${user.name}: "${containing}"`);

  before(async () => {
    app = await startBotUnderTest({ NOTIFY_POLL_MS: "100", NOTIFY_BASE_DELAY_MS: "50" });
    channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
    await app.storage.partners.upsert({
      id: PARTNER_ID,
      name: PARTNER_NAME,
      tenantId: PARTNER_TENANT,
      locations: [{ country: "SE", city: "Göteborg" }],
      sizes: ["51-250"],
      services: ["Licensing and billing"],
      industries: [],
      types: ["reseller", "resellerAndDelegatedAdministrator"],
      contacts: [{ tenantId: PARTNER_TENANT, userId: contact.aadObjectId!, name: contact.name }],
    });
    await app.directory.reload();
    await app.storage.roleAssignments.upsert({
      tenantId: CUSTOMER,
      userId: admin2.aadObjectId!,
      roleId: ROLE.billingAdministrator,
      userName: admin2.name,
      assignedAt: new Date().toISOString(),
    });
    await channel.post({ type: "installationUpdate", action: "add", ...chatOf(contact, PARTNER_TENANT) });
    for (const a of [admin1, admin2]) await channel.post({ type: "installationUpdate", action: "add", ...chatOf(a, CUSTOMER) });
    await until(async () => (await app.storage.conversations.listForTenant(CUSTOMER)).length === 2, "admins' conversations stored");
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });

  it("welcomes the partner contact in Swedish and shows their home by Swedish commands", async () => {
    const welcome = await received(contact, "Välkommen till Partner Desk");
    expect(buttonTitles(cardOf(welcome.activity))).to.include.members(["Kontaktförfrågningar", "Skickade inbjudningar", "Kunder"]);
    expect((await say(contact, PARTNER_TENANT, "meny")).text).to.include("Kontaktförfrågningar");
    expect((await say(contact, PARTNER_TENANT, "förfrågningar")).text).to.include(`Ingen kund har kontaktat ${PARTNER_NAME}`);
    expect((await say(contact, PARTNER_TENANT, "kunder")).text).to.include(`${PARTNER_NAME} har ingen kundrelation`);
  });

  it("brings the customer's contact request to the partner in Swedish; Skicka inbjudan opens the form", async () => {
    await press(admin1, CUSTOMER, "findPartner.send", {
      partnerIds: PARTNER_ID,
      businessNeeds: BUSINESS_NEEDS,
      organization: "Fabrikam Demo",
      contactName: "Demo Admin",
    });
    const request = await received(contact, "Ny kontaktförfrågan från Fabrikam Demo");
    expect(textOf(request)).to.include(BUSINESS_NEEDS).and.include("Verksamhetsbehov");
    const open = buttonData(cardOf(request.activity), "Skicka inbjudan");
    const since = channel.next; // what is recorded from now on
    await press(contact, PARTNER_TENANT, open.verb, open.data);
    const [posted] = await channel.waitFor(
      (r) => r.kind !== "update" && r.conversationId === conversationOf(contact) && r.seq >= since && !r.activity?.channelData?.partnerDesk,
    );
    const form = cardOf(posted!.activity);
    expect(JSON.stringify(form)).to.include("Skicka en inbjudan till Fabrikam Demo").and.include("Minsta möjliga behörighet");

    const inputs = {
      types: "resellerAndDelegatedAdministrator",
      roles: `${ROLE.helpdeskAdministrator},${ROLE.globalAdministrator}`,
      durationDays: "90",
      message: INVITATION_MESSAGE,
    };
    const send = buttonData(form, "Skicka inbjudan");
    const warned = await press(contact, PARTNER_TENANT, send.verb, { ...send.data, ...inputs });
    expect(warned.text).to.include("Global administratör");
    const confirm = buttonData(warned.card, "Skicka inbjudan");
    const sent = await press(contact, PARTNER_TENANT, confirm.verb, { ...confirm.data, ...inputs });
    expect(sent.text).to.include("Inbjudan skickad");
  });

  it("shows each admin the invitation in Swedish; Acceptera och auktorisera tells the partner, in Swedish", async () => {
    const shown = await received(admin1, `Inbjudan från ${PARTNER_NAME}`);
    expect(textOf(shown)).to.include("Den bredaste rollen").and.include("90 dagar");
    await received(admin2, `Inbjudan från ${PARTNER_NAME}`);

    const first = buttonData(cardOf(shown.activity), "Acceptera avtal och auktorisera partner");
    const review = await press(admin1, CUSTOMER, first.verb, first.data);
    const accept = buttonData(review.card, "Acceptera och auktorisera");
    const accepted = await press(admin1, CUSTOMER, accept.verb, { ...accept.data, agreed: "true", ...ACCEPTING_CONTACT });
    expect(accepted.text).to.include(`Du accepterade inbjudan från ${PARTNER_NAME}`);

    const heard = await received(contact, "Fabrikam Demo accepterade din inbjudan");
    expect(textOf(heard)).to.include("Supportadministratör").and.include(ACCEPTING_CONTACT.email);
    // The other admin's card is refreshed, in their language, to who decided.
    const update = await until(
      () => channel.recorded.find((r) => r.kind === "update" && r.conversationId === conversationOf(admin2)),
      "the other admin's card update",
    );
    expect(JSON.stringify(cardOf(update.activity))).to.include("Accepterad av Demo Admin");
  });

  it("tells the partner in Swedish when roles are removed, and when the customer asks to end; Bekräfta ends it", async () => {
    const details = await press(admin1, CUSTOMER, "partners.show", { partnerId: PARTNER_ID });
    const remove = buttonData(details.card, "Ta bort roller");
    const confirmRemove = await press(admin1, CUSTOMER, remove.verb, remove.data);
    const yes = buttonData(confirmRemove.card, "Ja");
    await press(admin1, CUSTOMER, yes.verb, { ...yes.data, ...inputDefaults(confirmRemove.card) });
    await received(contact, "Fabrikam Demo tog bort dina administratörsroller");

    const endForm = await press(admin1, CUSTOMER, "relationship.endForm", { partnerId: PARTNER_ID });
    const ask = buttonData(endForm.card, "Skicka begäran");
    expect((await press(admin1, CUSTOMER, ask.verb, { ...ask.data, message: END_MESSAGE })).text).to.include("Avslut begärt");
    const request = await received(contact, "Fabrikam Demo vill avsluta er relation");
    expect(textOf(request)).to.include(END_MESSAGE);
    const end = buttonData(cardOf(request.activity), "Bekräfta att relationen avslutas");
    expect((await press(contact, PARTNER_TENANT, end.verb, end.data)).text).to.include("Relationen avslutad");
    for (const a of [admin1, admin2]) await received(a, `Din relation med ${PARTNER_NAME} har avslutats`);
  });

  it("sent no English sentence to anyone: answers, notifications and refreshed cards", () => {
    const delivered = channel.recorded.filter((r) => r.status === 200).map((r) => cardOf(r.activity));
    const cards = [...answers, ...delivered].filter((card) => card && typeof card === "object");
    expect(cards.length).to.be.greaterThan(15, "the whole loop was seen");
    const data = dataPhrases([
      PARTNER_NAME,
      BUSINESS_NEEDS,
      INVITATION_MESSAGE,
      END_MESSAGE,
      "Fabrikam Demo",
      contact.name,
      admin1.name,
      admin2.name,
    ]);
    const found = cards.flatMap((card, i) => englishIn(card, data).map((f) => `card ${i + 1}: "${f.word}" in "${f.text}"`));
    expect(found).to.deep.equal([]);
  });
});
