import { expect } from "chai";
import { DEMO } from "../../src/demo/constants.js";
import { seedDemo } from "../../src/demo/seed.js";
import { ROLE } from "../../src/domain/roles.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";
import { freshTables } from "../helpers/azurite.js";
import { ChannelEmulator, cardOf, textOf } from "../helpers/channelEmulator.js";
import { FakeGdap } from "../helpers/fakeGdap.js";
import { ACCEPTING_CONTACT, buttonData, inputDefaults, json, partitionRows, rowsOfKind } from "../helpers/journey.js";
import { LoginServer } from "../helpers/loginServer.js";
import { OpenIdServer } from "../helpers/openIdServer.js";
import { startRegisteredBot, type RegisteredBot } from "../helpers/registeredBot.js";
import { expectNothingChanged, tableSnapshotter, type TablesSnapshot } from "../helpers/tableSnapshot.js";

/*
 * Issue 13, item 2, through the real bot process: the customer's admin asks a partner to extend; the partner answers
 * by turning on auto-extension through its connection (a PATCH of autoExtendDuration with the ETag just read, against
 * the loopback Graph), which is refused before any call when the relationship has Global administrator; or with a
 * new invitation prefilled with the same types, roles and duration, which the customer reviews like any invitation.
 * Teams' invoke for the customer and the auto-extension; the Emulator's message with value for the partner's form.
 */

const APP_ID = "0a0a0a0a-1111-4222-8333-999999999913";
const SECRET = "extension-test-secret";
const CUSTOMER = DEMO.customerTenantId;
const ADMIN = { id: "29:extension-admin", name: DEMO.admin.name, aadObjectId: DEMO.admin.userId };
const GA = ROLE.globalAdministrator;
const HELPDESK = ROLE.helpdeskAdministrator;
const USERS = ROLE.userAdministrator;

interface ConnectedPartner {
  tenantId: string;
  id: string;
  name: string;
  contact: { id: string; name: string; aadObjectId: string };
}
const EXTENDING: ConnectedPartner = {
  tenantId: "d0d0d0d0-0000-4000-8000-0000000013a1",
  id: "extending-partner",
  name: "Extending Partners AB",
  contact: { id: "29:extending-pc", name: "Erik Extending", aadObjectId: "d0d0d0d0-0000-4000-8000-0000000013a2" },
};
const GLOBAL: ConnectedPartner = {
  tenantId: "d0d0d0d0-0000-4000-8000-0000000013b1",
  id: "global-partner",
  name: "Global Partners AB",
  contact: { id: "29:global-pc", name: "Greta Global", aadObjectId: "d0d0d0d0-0000-4000-8000-0000000013b2" },
};
type Person = { id: string; name: string; aadObjectId: string };

describe("end to end: a customer asks a partner to extend, the partner answers", function () {
  this.timeout(120_000);
  let bot: RegisteredBot | undefined;
  let teams: ChannelEmulator;
  let openId: OpenIdServer;
  let login: LoginServer;
  let gdap: FakeGdap;
  let storage: Storage;
  let snapshot: () => Promise<TablesSnapshot>;
  const relationshipIds: Record<string, string> = {};

  before(async () => {
    [openId, login, gdap] = await Promise.all([new OpenIdServer().start(), new LoginServer().start(), new FakeGdap().start()]);
    gdap.tokensFrom = login.tenantOf;
    const { tables, prefix, connectionString } = await freshTables();
    storage = openStorage(tables);
    snapshot = tableSnapshotter(connectionString, prefix);
    await seedDemo(storage, new Date());
    for (const partner of [EXTENDING, GLOBAL]) {
      gdap.partner(partner.tenantId, "granted");
      await storage.partners.upsert({
        id: partner.id,
        name: partner.name,
        tenantId: partner.tenantId,
        locations: [{ country: "SE", city: "Malmö" }],
        sizes: ["51-250"],
        services: ["Identity and access management"],
        industries: [],
        types: ["resellerAndDelegatedAdministrator"],
        contacts: [{ tenantId: partner.tenantId, userId: partner.contact.aadObjectId, name: partner.contact.name }],
      });
    }
    bot = await startRegisteredBot({
      appId: APP_ID,
      secret: SECRET,
      openId,
      login,
      connectionString,
      prefix,
      env: {
        NOTIFY_ENABLED: "false",
        ALLOWED_TENANTS: `${EXTENDING.tenantId},${GLOBAL.tenantId},${CUSTOMER}`,
        ROLE_SOURCE: "table",
        GRAPH_BASE_URL: gdap.baseUrl,
      },
    });
    teams = await new ChannelEmulator(bot.url, {
      channelId: "msteams",
      token: (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl }),
    }).start();
  });
  after(async () => {
    await teams?.stop();
    await bot?.stop();
    await Promise.all([openId?.stop(), login?.stop(), gdap?.stop()]);
  });
  beforeEach(() => gdap.reset());

  async function press(person: Person, tenantId: string, verb: string, data: Record<string, unknown> = {}) {
    const result = await teams.post(teamsCardAction(verb, data, personalChat(person, tenantId)));
    expect(result.status).to.equal(200);
    expect(result.body?.statusCode, textOf(result.body)).to.equal(200);
    return result.body.value as Record<string, unknown>;
  }

  /** A press in the Bot Framework Emulator (a signed message with `value`): the card the bot answers with. */
  async function pressInEmulator(person: Person, tenantId: string, verb: string, data: Record<string, unknown>) {
    const emulator = await new ChannelEmulator(bot!.url, {
      channelId: "emulator",
      token: (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl }),
    }).start();
    try {
      const result = await emulator.post({
        type: "message",
        from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
        conversation: { id: `emulator-${person.id}`, tenantId },
        value: { ...data, verb },
        replyToId: "card-extend",
      });
      expect(result.status).to.equal(200);
      const [answer] = await emulator.waitFor((r) => r.conversationId === `emulator-${person.id}`);
      return cardOf(answer!.activity) as Record<string, unknown>;
    } finally {
      await emulator.stop();
    }
  }

  /** Connect → contact request → invitation (one GDAP request) → the admin accepts → the customer approves: active. */
  async function connectedAndApproved(partner: ConnectedPartner, roles: string[]): Promise<string> {
    expect(textOf(await press(partner.contact, partner.tenantId, "partnerSide.checkConnection"))).to.include("Connected to Microsoft");
    const asked = await press(ADMIN, CUSTOMER, "findPartner.send", {
      partnerIds: partner.id,
      businessNeeds: "Extend us, please",
      organization: DEMO.customerName,
      contactName: ADMIN.name,
    });
    const contactRequestId = /CR-[0-9A-F]{10}/.exec(textOf(asked))![0];
    await press(partner.contact, partner.tenantId, "partnerSide.sendInvitation", {
      customerTenantId: CUSTOMER,
      contactRequestId,
      types: "resellerAndDelegatedAdministrator",
      roles: roles.join(","),
      durationDays: "365",
      message: `Help for ${partner.name}`,
      globalAdminConfirmed: true,
    });
    const invitation = (await storage.invitations.listPending(CUSTOMER)).find((i) => i.value.partnerId === partner.id)!.value;
    const review = await press(ADMIN, CUSTOMER, "invitations.review", { invitationId: invitation.id });
    const accept = buttonData(review, "Accept & authorize");
    await press(ADMIN, CUSTOMER, accept.verb, { ...accept.data, agreed: true, ...ACCEPTING_CONTACT });
    const relationshipId = invitation.microsoft!.relationshipId;
    gdap.customerApproves(relationshipId);
    return relationshipId;
  }

  const outbox = async (type: string) =>
    rowsOfKind(await partitionRows(storage.tables.client("tenant"), CUSTOMER), "outbox").filter((r) => r["type"] === type);

  it("sets up: two connected partners, one with Helpdesk and User administrator, one with Global administrator", async () => {
    relationshipIds[EXTENDING.id] = await connectedAndApproved(EXTENDING, [HELPDESK, USERS]);
    relationshipIds[GLOBAL.id] = await connectedAndApproved(GLOBAL, [GA, HELPDESK]);
    // The status sync brings Microsoft's "active" in on the partner's card (freshen on view).
    for (const partner of [EXTENDING, GLOBAL]) await press(ADMIN, CUSTOMER, "relationships.show", { partnerId: partner.id });
    // Partner Desk asks Microsoft for auto-extension wherever it is allowed: the partner turned it off since.
    expect(gdap.autoExtensionOf(relationshipIds[EXTENDING.id]!)).to.equal("P180D");
    expect(gdap.autoExtensionOf(relationshipIds[GLOBAL.id]!)).to.equal("PT0S");
    gdap.autoExtensionTurnedOffElsewhere(relationshipIds[EXTENDING.id]!);
  });

  it("offers 'Ask the partner to extend' on the partner's card, with the rules in plain words, then sends the request", async () => {
    const details = await press(ADMIN, CUSTOMER, "relationships.show", { partnerId: EXTENDING.id });
    const ask = buttonData(details, "Ask the partner to extend");
    const form = textOf(await press(ADMIN, CUSTOMER, ask.verb, ask.data));
    expect(form).to.include("new invitation with the same roles").and.include("auto-extension").and.include("sends no email");
    const sent = await press(ADMIN, CUSTOMER, "lifecycle.askExtension", {
      partnerId: EXTENDING.id,
      send: true,
      message: "Another year, please",
    });
    expect(textOf(sent)).to.include("Request sent");
    const [request] = await outbox("extensionRequested");
    expect(json(request, "recipient")).to.deep.equal({ kind: "partner", partnerId: EXTENDING.id });
    expect(json(request, "payload")).to.deep.include({ autoExtendPossible: true, message: "Another year, please" });
    expect(gdap.requests, "asking changes nothing in Microsoft").to.deep.equal([]);
  });

  it("turns on auto-extension through Graph for the partner: a PATCH with the ETag just read, recorded as Microsoft said", async () => {
    const etag = gdap.relationship(relationshipIds[EXTENDING.id]!)!.relationship.etag;
    const card = await press(EXTENDING.contact, EXTENDING.tenantId, "partnerSide.autoExtend", { customerTenantId: CUSTOMER });
    expect(textOf(card)).to.include("Microsoft turned on auto-extension").and.include("sends no email");
    const [patch] = gdap.autoExtendPatches();
    expect(gdap.autoExtendPatches()).to.have.length(1);
    expect(patch).to.deep.include({ ifMatch: etag, tenantId: EXTENDING.tenantId, body: { autoExtendDuration: "P180D" } });
    expect(gdap.autoExtensionOf(relationshipIds[EXTENDING.id]!)).to.equal("P180D");
    const stored = (await storage.relationships.get(CUSTOMER, EXTENDING.id))!.value;
    expect(stored.microsoft?.autoExtendDuration).to.equal("P180D");
    const [told] = await outbox("autoExtensionOn");
    expect(json(told, "recipient")).to.deep.equal({ kind: "tenantAdmins", tenantId: CUSTOMER });
    const audit = rowsOfKind(await partitionRows(storage.tables.client("tenant"), CUSTOMER), "audit");
    expect(audit.map((r) => r["action"])).to.include("extension.autoExtend");
  });

  it("refuses auto-extension with Global administrator before any call to Microsoft, and changes nothing", async () => {
    const form = textOf(await press(ADMIN, CUSTOMER, "lifecycle.askExtension", { partnerId: GLOBAL.id }));
    expect(form).to.include("includes Global administrator, so Microsoft doesn't allow auto-extension");
    await press(ADMIN, CUSTOMER, "lifecycle.askExtension", { partnerId: GLOBAL.id, send: true });
    const request = (await outbox("extensionRequested")).find((r) => json(r, "recipient").partnerId === GLOBAL.id);
    expect(json(request, "payload").autoExtendPossible).to.equal(false);
    const card = await expectNothingChanged(snapshot, () =>
      press(GLOBAL.contact, GLOBAL.tenantId, "partnerSide.autoExtend", { customerTenantId: CUSTOMER }),
    );
    expect(textOf(card))
      .to.include("includes Global administrator, so Microsoft doesn't allow auto-extension")
      .and.include("Nothing was changed");
    expect(gdap.requests, "nothing was asked of Microsoft").to.deep.equal([]);
    expect(gdap.autoExtensionOf(relationshipIds[GLOBAL.id]!)).to.not.equal("P180D");
  });

  it("answers with a new invitation prefilled with the same types, roles and duration; the customer reviews it (Emulator)", async () => {
    const form = await pressInEmulator(GLOBAL.contact, GLOBAL.tenantId, "partnerSide.invitationForm", {
      customerTenantId: CUSTOMER,
      extend: true,
    });
    const values = inputDefaults(form);
    expect(values["types"]).to.equal("resellerAndDelegatedAdministrator");
    expect(values["roles"]!.split(",").sort()).to.deep.equal([GA, HELPDESK].sort());
    expect(values["durationDays"]).to.equal("365");
    expect(values["message"]).to.include("renews our relationship");
    const send = buttonData(form, "Send invitation");
    const sent = await pressInEmulator(GLOBAL.contact, GLOBAL.tenantId, send.verb, { ...send.data, ...values, globalAdminConfirmed: true });
    expect(textOf(sent)).to.include("Invitation sent");
    const fresh = (await storage.invitations.listPending(CUSTOMER)).find((i) => i.value.partnerId === GLOBAL.id)!.value;
    expect(fresh).to.deep.include({ durationDays: 365, relationshipTypes: ["resellerAndDelegatedAdministrator"] });
    expect([...fresh.roles].sort()).to.deep.equal([GA, HELPDESK].sort());
    expect(fresh.microsoft?.relationshipId, "a new GDAP request, not the old relationship").to.not.equal(relationshipIds[GLOBAL.id]);
    const shown = textOf(await press(ADMIN, CUSTOMER, "invitations.show", { invitationId: fresh.id }));
    expect(shown).to.include(`Invitation from ${GLOBAL.name}`);
  });
});
