import { signedInvoke, startRegisteredBot, type RegisteredBot } from "../helpers/registeredBot.js";
import { expect } from "chai";
import { openUrls } from "../helpers/journey.js";
import { DEMO } from "../../src/demo/constants.js";
import { seedDemo } from "../../src/demo/seed.js";
import { ROLE } from "../../src/domain/roles.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables } from "../helpers/azurite.js";
import { textOf } from "../helpers/channelEmulator.js";
import { FakeGdap } from "../helpers/fakeGdap.js";
import { ACCEPTING_CONTACT, buttonData } from "../helpers/journey.js";
import { LoginServer } from "../helpers/loginServer.js";
import { OpenIdServer } from "../helpers/openIdServer.js";

/*
 * Issue 10, items 2 and 3, through the real bot process: a connected partner's invitation becomes a GDAP request
 * in its own tenant (tokens from the loopback https login server, Graph's delegatedAdminRelationships the loopback
 * fake), one however often Send is pressed; the customer's admin reviews and accepts the agreement in chat and is
 * sent to the admin center's approval link, and no card says the roles were granted.
 */

const APP_ID = "0a0a0a0a-1111-4222-8333-888888888888";
const SECRET = "gdap-invitation-test-secret";
const PARTNER_TENANT = "d0d0d0d0-0000-4000-8000-0000000000b1";
const PARTNER = { id: "gdap-partner", name: "Granular Partners AB" };
const CONTACT = { id: "29:gdap-pc", name: "Greta Granular", aadObjectId: "d0d0d0d0-0000-4000-8000-0000000000d1" };
const CUSTOMER = DEMO.customerTenantId;
const ADMIN = { id: "29:gdap-admin", name: DEMO.admin.name, aadObjectId: DEMO.admin.userId };
const APPROVAL_PREFIX = "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/";

type Person = typeof CONTACT;

describe("end to end: a connected partner's invitation is one real GDAP request, approved in the admin center", function () {
  this.timeout(120_000);
  let bot: RegisteredBot | undefined;
  let botUrl = "";
  let openId: OpenIdServer;
  let login: LoginServer;
  let gdap: FakeGdap;
  let storage: Storage;
  let contactRequestId = "";

  before(async () => {
    [openId, login, gdap] = await Promise.all([new OpenIdServer().start(), new LoginServer().start(), new FakeGdap().start()]);
    gdap.tokensFrom = login.tenantOf;
    gdap.partner(PARTNER_TENANT, "granted");

    const { tables, prefix, connectionString } = await freshTables();
    storage = openStorage(tables);
    // The demo: the agreement, the demo customer and its admin as Global administrator (ROLE_SOURCE=table).
    await seedDemo(storage, new Date());
    await storage.partners.upsert({
      ...PARTNER,
      tenantId: PARTNER_TENANT,
      locations: [{ country: "SE", city: "Lund" }],
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
        NOTIFY_ENABLED: "false",
        ALLOWED_TENANTS: `${PARTNER_TENANT},${CUSTOMER}`,
        ROLE_SOURCE: "table",
        GRAPH_BASE_URL: gdap.baseUrl,
      },
    });
    botUrl = bot.url;
  });
  after(async () => {
    await bot?.stop();
    await Promise.all([openId?.stop(), login?.stop(), gdap?.stop()]);
  });

  /** Presses a button as `person` in their own tenant, through Teams' signed invoke; the card it answers with. */
  async function press(person: Person, tenantId: string, verb: string, data: Record<string, unknown> = {}) {
    const result = await signedInvoke({ url: botUrl, appId: APP_ID, openId }, person, tenantId, verb, data);
    expect(result.status).to.equal(200);
    expect(result.body?.statusCode, textOf(result.body)).to.equal(200);
    return result.body.value as Record<string, unknown>;
  }

  const form = (message: string) => ({
    customerTenantId: CUSTOMER,
    contactRequestId,
    types: "resellerAndDelegatedAdministrator",
    roles: `${ROLE.helpdeskAdministrator},${ROLE.userAdministrator}`,
    durationDays: "180",
    message,
  });
  const pendingInvitationsOf = async () =>
    (await storage.invitations.listPending(CUSTOMER)).filter((i) => i.value.partnerId === PARTNER.id).map((i) => i.value);
  const created = () => gdap.requests.filter((r) => r.method === "POST" && r.path.endsWith("/delegatedAdminRelationships"));

  it("connects the partner and links it to the customer by a contact request", async () => {
    expect(textOf(await press(CONTACT, PARTNER_TENANT, "partnerSide.checkConnection"))).to.include("Connected to Microsoft");
    const sent = await press(ADMIN, CUSTOMER, "findPartner.send", {
      partnerIds: PARTNER.id,
      businessNeeds: "Least-privilege help with identities",
      organization: "Fabrikam Demo",
      contactName: ADMIN.name,
    });
    contactRequestId = /CR-[0-9A-F]{10}/.exec(textOf(sent))![0];
  });

  it("tells the partner what happened when Graph is down, and stores nothing", async () => {
    gdap.outage = { status: 503 };
    try {
      const card = textOf(await press(CONTACT, PARTNER_TENANT, "partnerSide.sendInvitation", form("During an outage")));
      expect(card).to.include("The invitation was not sent").and.include("Nothing was sent to the customer, and nothing was stored");
    } finally {
      gdap.outage = undefined;
    }
    expect(await pendingInvitationsOf()).to.deep.equal([]);
    expect(gdap.relationshipsOf(PARTNER_TENANT)).to.deep.equal([]);
  });

  let relationshipId = "";

  it("creates one relationship in the partner's tenant, locked for approval, with the roles, duration and auto-extension asked", async () => {
    gdap.reset();
    const card = textOf(await press(CONTACT, PARTNER_TENANT, "partnerSide.sendInvitation", form("Identity help")));
    expect(card).to.include("Invitation sent").and.include("locked it for the customer's approval").and.include("waiting for approval");
    const held = gdap.relationshipsOf(PARTNER_TENANT);
    expect(held).to.have.length(1);
    const [relationship] = held;
    relationshipId = relationship!.id;
    expect(relationship).to.deep.include({ status: "approvalPending", duration: "P180D", autoExtendDuration: "P180D" });
    expect(relationship!.displayName).to.match(/^PD-[0-9a-f]{32}$/);
    expect([...relationship!.roleDefinitionIds].sort()).to.deep.equal([ROLE.helpdeskAdministrator, ROLE.userAdministrator].sort());
    expect(relationship!.customer).to.deep.include({ tenantId: CUSTOMER, displayName: "Fabrikam Demo" });
    expect(created().every((r) => r.tenantId === PARTNER_TENANT)).to.equal(true);

    const [invitation] = await pendingInvitationsOf();
    expect(invitation?.microsoft).to.deep.include({
      relationshipId,
      status: "approvalPending",
      approvalLink: `${APPROVAL_PREFIX}${relationshipId}`,
    });
  });

  it("makes no second relationship or invitation when the same Send is pressed again", async () => {
    const card = textOf(await press(CONTACT, PARTNER_TENANT, "partnerSide.sendInvitation", form("Identity help")));
    expect(card).to.include("Already sent");
    expect(gdap.relationshipsOf(PARTNER_TENANT)).to.have.length(1);
    expect(created(), "the second press found the relationship by its display name").to.have.length(1);
    expect(await pendingInvitationsOf()).to.have.length(1);
  });

  it("lets the admin review and accept the agreement in chat, then sends them to approve the roles in the admin center", async () => {
    const [invitation] = await pendingInvitationsOf();
    const shown = await press(ADMIN, CUSTOMER, "invitations.show", { invitationId: invitation!.id });
    expect(textOf(shown)).to.include("real GDAP request").and.not.include("granted");
    const review = await press(ADMIN, CUSTOMER, "invitations.review", { invitationId: invitation!.id });
    expect(textOf(review)).to.include("approves them in the Microsoft 365 admin center").and.not.include("grants the roles");
    const accept = buttonData(review, "Accept & authorize");
    const answer = await press(ADMIN, CUSTOMER, accept.verb, { ...accept.data, agreed: true, ...ACCEPTING_CONTACT });
    const text = textOf(answer);
    expect(text)
      .to.include("waiting for approval in the Microsoft 365 admin center")
      .and.not.match(/\bgranted\b/);
    expect(JSON.stringify(answer)).to.include("Approve roles in the Microsoft 365 admin center");
    expect(openUrls(answer)).to.include(`${APPROVAL_PREFIX}${relationshipId}`);

    const relationship = await storage.relationships.get(CUSTOMER, PARTNER.id);
    expect(relationship?.value.microsoft).to.deep.include({ relationshipId, status: "approvalPending" });
    expect(gdap.relationshipsOf(PARTNER_TENANT)[0]?.status, "only the customer's approval activates it").to.equal("approvalPending");

    const details = await press(ADMIN, CUSTOMER, "relationships.show", { partnerId: PARTNER.id });
    expect(textOf(details)).to.include("Waiting for approval").and.not.include('"Active"');
    expect(openUrls(details)).to.include(`${APPROVAL_PREFIX}${relationshipId}`);
  });
});
