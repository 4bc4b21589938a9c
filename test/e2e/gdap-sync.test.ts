import { expect } from "chai";
import { DEMO } from "../../src/demo/constants.js";
import { seedDemo } from "../../src/demo/seed.js";
import { ROLE } from "../../src/domain/roles.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";
import { freshTables } from "../helpers/azurite.js";
import { cardOf, ChannelEmulator, textOf, type Recorded } from "../helpers/channelEmulator.js";
import { FakeGdap } from "../helpers/fakeGdap.js";
import { ACCEPTING_CONTACT, buttonData } from "../helpers/journey.js";
import { LoginServer } from "../helpers/loginServer.js";
import { OpenIdServer } from "../helpers/openIdServer.js";
import { startRegisteredBot, type RegisteredBot } from "../helpers/registeredBot.js";

/*
 * Issue 10, items 4 and 9 (the whole loop), through the real bot process: a connected partner's GDAP request (one,
 * however often Send is pressed), accepted in chat, is approved by the customer in the admin center (the fake's
 * control). The bot's own scheduled sync reads Graph with a token from the loopback login server, and the outbox
 * tells the customer's admin and the partner, in Teams, through a loopback Bot Connector; the admin's partner card
 * shows it active with Microsoft's end date. The admin then removes Global administrator only (a PATCH with the
 * ETag just read), then the rest (terminate), and once Microsoft has ended it both sides are told.
 */

const APP_ID = "0a0a0a0a-1111-4222-8333-999999999999";
const SECRET = "gdap-sync-test-secret";
const PARTNER_TENANT = "d0d0d0d0-0000-4000-8000-0000000000b7";
const PARTNER = { id: "sync-e2e-partner", name: "Followed Partners AB" };
const CONTACT = { id: "29:sync-pc", name: "Frida Followed", aadObjectId: "d0d0d0d0-0000-4000-8000-0000000000d7" };
const CUSTOMER = DEMO.customerTenantId;
const ADMIN = { id: "29:sync-admin", name: DEMO.admin.name, aadObjectId: DEMO.admin.userId };
const DAY_MS = 24 * 60 * 60 * 1000;
/** The customer approves three days after accepting in chat: Microsoft's end date is then not the one chat computed. */
const APPROVED_LATER_MS = 3 * DAY_MS;

type Person = typeof CONTACT;

describe("end to end: the status sync follows the customer's approval in the admin center and tells both sides", function () {
  this.timeout(120_000);
  let bot: RegisteredBot | undefined;
  let openId: OpenIdServer;
  let login: LoginServer;
  let gdap: FakeGdap;
  let teams: ChannelEmulator;
  let storage: Storage;

  before(async () => {
    [openId, login, gdap] = await Promise.all([new OpenIdServer().start(), new LoginServer().start(), new FakeGdap().start()]);
    gdap.tokensFrom = login.tenantOf;
    gdap.partner(PARTNER_TENANT, "granted");
    const { tables, prefix, connectionString } = await freshTables();
    storage = openStorage(tables);
    await seedDemo(storage, new Date());
    await storage.partners.upsert({
      ...PARTNER,
      tenantId: PARTNER_TENANT,
      locations: [{ country: "SE", city: "Luleå" }],
      sizes: ["51-250"],
      services: ["Identity and access management"],
      industries: [],
      types: ["resellerAndDelegatedAdministrator"],
      contacts: [{ tenantId: PARTNER_TENANT, userId: CONTACT.aadObjectId, name: CONTACT.name }],
    });
    bot = await startRegisteredBot({
      appId: APP_ID,
      secret: SECRET,
      openId,
      login,
      connectionString,
      prefix,
      env: {
        NOTIFY_ENABLED: "true",
        NOTIFY_POLL_MS: "200",
        GDAP_SYNC_INTERVAL_SECONDS: "1",
        ALLOWED_TENANTS: `${PARTNER_TENANT},${CUSTOMER}`,
        ROLE_SOURCE: "table",
        GRAPH_BASE_URL: gdap.baseUrl,
      },
    });
    // One Teams for everyone: the references the bot keeps point at it, so its proactive cards arrive here.
    teams = await new ChannelEmulator(bot.url, {
      channelId: "msteams",
      token: (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl }),
    }).start();
  });
  after(async () => {
    await bot?.stop();
    await teams?.stop();
    await Promise.all([openId?.stop(), login?.stop(), gdap?.stop()]);
  });

  async function press(person: Person, tenantId: string, verb: string, data: Record<string, unknown> = {}) {
    const result = await teams.post(teamsCardAction(verb, data, personalChat(person, tenantId)));
    expect(result.status).to.equal(200);
    expect(result.body?.statusCode, textOf(result.body)).to.equal(200);
    return result.body.value as Record<string, unknown>;
  }

  /**
   * A notification card (an outbox delivery, marked with its idempotency key; botbuilder posts it as a reply to the
   * continuation activity) in `person`'s chat, whose text includes `text`.
   */
  const proactive = (person: Person, text: string) => (r: Recorded) =>
    r.kind !== "update" &&
    r.activity?.channelData?.partnerDesk !== undefined &&
    r.conversationId === `a:${person.id}` &&
    r.status === 200 &&
    textOf(r.activity).includes(text);

  let relationshipId = "";

  it("the partner connects and sends a GDAP request; the admin reviews it and accepts the agreement in chat", async () => {
    expect(textOf(await press(CONTACT, PARTNER_TENANT, "partnerSide.checkConnection"))).to.include("Connected to Microsoft");
    const asked = await press(ADMIN, CUSTOMER, "findPartner.send", {
      partnerIds: PARTNER.id,
      businessNeeds: "Help with identities",
      organization: "Fabrikam Demo",
      contactName: ADMIN.name,
    });
    const contactRequestId = /CR-[0-9A-F]{10}/.exec(textOf(asked))![0];
    const sent = await press(CONTACT, PARTNER_TENANT, "partnerSide.sendInvitation", {
      customerTenantId: CUSTOMER,
      contactRequestId,
      types: "resellerAndDelegatedAdministrator",
      roles: `${ROLE.globalAdministrator},${ROLE.helpdeskAdministrator},${ROLE.userAdministrator}`,
      durationDays: "180",
      message: "Identity help",
      globalAdminConfirmed: true,
    });
    expect(textOf(sent)).to.include("Invitation sent");
    // Pressed again (a double click, or Teams retrying a slow invoke): still one GDAP relationship in Microsoft.
    await press(CONTACT, PARTNER_TENANT, "partnerSide.sendInvitation", {
      customerTenantId: CUSTOMER,
      contactRequestId,
      types: "resellerAndDelegatedAdministrator",
      roles: `${ROLE.globalAdministrator},${ROLE.helpdeskAdministrator},${ROLE.userAdministrator}`,
      durationDays: "180",
      message: "Identity help",
      globalAdminConfirmed: true,
    });
    expect(gdap.relationshipsOf(PARTNER_TENANT)).to.have.length(1);
    expect(gdap.relationshipsOf(PARTNER_TENANT)[0]).to.deep.include({ status: "approvalPending" });
    relationshipId = gdap.relationshipsOf(PARTNER_TENANT)[0]!.id;

    const [invitation] = (await storage.invitations.listPending(CUSTOMER)).filter((i) => i.value.partnerId === PARTNER.id);
    const review = await press(ADMIN, CUSTOMER, "invitations.review", { invitationId: invitation!.value.id });
    const accept = buttonData(review, "Accept & authorize");
    const accepted = await press(ADMIN, CUSTOMER, accept.verb, { ...accept.data, agreed: true, ...ACCEPTING_CONTACT });
    expect(textOf(accepted)).to.include("waiting for approval in the Microsoft 365 admin center");
  });

  it("after the customer approves in the admin center, the sync tells the admin and the partner, according to Microsoft Graph", async () => {
    gdap.now = () => new Date(Date.now() + APPROVED_LATER_MS);
    gdap.customerApproves(relationshipId);
    const [toAdmin] = await teams.waitFor(proactive(ADMIN, "roles are active in Microsoft 365"), 1, 30_000);
    const [toPartner] = await teams.waitFor(proactive(CONTACT, "approved your GDAP request"), 1, 30_000);
    const endDate = formatted(gdap.relationshipsOf(PARTNER_TENANT)[0]!.endDateTime!);
    for (const card of [cardOf(toAdmin!.activity), cardOf(toPartner!.activity)]) {
      expect(textOf(card)).to.include("According to Microsoft Graph").and.include(endDate).and.include("Helpdesk administrator");
    }
    const tokenAsked = login.tokenRequests.filter((r) => r.path === `/${PARTNER_TENANT}/oauth2/v2.0/token`);
    expect(tokenAsked, "Graph was read with an app-only token in the partner's tenant").to.have.length.of.at.least(1);
  });

  it("sends each of them that card once, however many passes ran since", async () => {
    // Two more sync passes read Graph and found nothing new, and the outbox has nothing left to send.
    const syncedAt = async () => (await storage.gdapSync.get(PARTNER_TENANT, PARTNER.id))?.value.lastSyncedAt;
    const seen = new Set([await syncedAt()]);
    await until(async () => (seen.add(await syncedAt()), seen.size >= 3), "two more sync passes");
    await until(async () => (await storage.outbox.listForTenant(CUSTOMER)).every((n) => n.value.status !== "pending"), "an empty outbox");
    expect(teams.recorded.filter(proactive(ADMIN, "roles are active in Microsoft 365"))).to.have.length(1);
    expect(teams.recorded.filter(proactive(CONTACT, "approved your GDAP request"))).to.have.length(1);
  });

  it("shows the admin's partner card active, with Microsoft's end date and when Microsoft Graph was checked", async () => {
    const text = textOf(await press(ADMIN, CUSTOMER, "relationships.show", { partnerId: PARTNER.id }));
    const microsoftEnd = gdap.relationshipsOf(PARTNER_TENANT)[0]!.endDateTime!;
    expect(text).to.include('"Active"').and.include(formatted(microsoftEnd)).and.not.include("Waiting for approval");
    expect(formatted(microsoftEnd), "the end date is Microsoft's, not the one chat computed").to.not.equal(
      formatted(new Date(Date.now() + 180 * DAY_MS).toISOString()),
    );
    expect(text).to.include("Checked with Microsoft Graph at");
  });

  it("removes Global administrator only: the partner's connection PATCHes the other roles with the ETag it just read", async () => {
    gdap.reset();
    let currentEtagAtPatch = "";
    gdap.onRequest = (request) => {
      if (request.method === "PATCH") currentEtagAtPatch = gdap.relationshipsOf(PARTNER_TENANT)[0]!.etag;
    };
    const card = await press(ADMIN, CUSTOMER, "relationships.removeRoles", {
      partnerId: PARTNER.id,
      chooseRoles: true,
      roleIds: ROLE.globalAdministrator,
    });
    const patch = gdap.requests.find((r) => r.method === "PATCH");
    expect(patch?.ifMatch, "If-Match is the relationship's current ETag").to.equal(currentEtagAtPatch).and.not.equal("");
    const sentRoles = (patch!.body as { accessDetails: { unifiedRoles: Array<{ roleDefinitionId: string }> } }).accessDetails.unifiedRoles;
    expect(sentRoles.map((r) => r.roleDefinitionId).sort()).to.deep.equal([ROLE.helpdeskAdministrator, ROLE.userAdministrator].sort());
    expect(textOf(card)).to.include("Microsoft accepted the removal");
    expect([...gdap.relationshipsOf(PARTNER_TENANT)[0]!.roleDefinitionIds].sort()).to.deep.equal(
      [ROLE.helpdeskAdministrator, ROLE.userAdministrator].sort(),
    );
  });

  it("removes the rest: the relationship is terminated, and when Microsoft has ended it the sync tells both sides", async () => {
    gdap.reset();
    const card = await press(ADMIN, CUSTOMER, "relationships.removeRoles", {
      partnerId: PARTNER.id,
      chooseRoles: true,
      roleIds: `${ROLE.helpdeskAdministrator},${ROLE.userAdministrator}`,
    });
    expect(textOf(card)).to.include("asked Microsoft to end the GDAP relationship");
    const terminate = gdap.requests.find((r) => r.method === "POST" && r.path.endsWith(`/${relationshipId}/requests`));
    expect(terminate?.body).to.deep.equal({ action: "terminate" });

    gdap.terminationCompletes(relationshipId);
    await teams.waitFor(proactive(ADMIN, "was terminated"), 1, 30_000);
    await teams.waitFor(proactive(CONTACT, "was terminated"), 1, 30_000);
    await until(async () => (await storage.relationships.get(CUSTOMER, PARTNER.id))?.value.status === "terminated", "terminated");
    expect((await storage.relationships.get(CUSTOMER, PARTNER.id))?.value.roles).to.deep.equal([]);
  });
});

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A date as the bot writes it for an en-US user. */
const formatted = (iso: string) => new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
