import { signedInvoke, startRegisteredBot, type RegisteredBot } from "../helpers/registeredBot.js";
import { expect } from "chai";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables } from "../helpers/azurite.js";
import { textOf } from "../helpers/channelEmulator.js";
import { FakeGdap } from "../helpers/fakeGdap.js";
import { LoginServer } from "../helpers/loginServer.js";
import { OpenIdServer } from "../helpers/openIdServer.js";

/*
 * "Connect to Microsoft" through the real bot process, with real @azure/identity credentials: the app-only token
 * for the partner's own tenant comes from a loopback https login server (GRAPH_AUTHORITY_HOST, trusted through
 * NODE_EXTRA_CA_CERTS), and Graph's delegatedAdminRelationships is the loopback fake (GRAPH_BASE_URL), which knows
 * each token by the tenant the login server issued it for.
 */

const APP_ID = "0a0a0a0a-1111-4222-8333-777777777777";
const SECRET = "partner-connection-test-secret";

/** A partner whose tenant consented, granted the permission and has the service principal. */
const CONNECTING = {
  tenantId: "d0d0d0d0-0000-4000-8000-0000000000a1",
  partner: { id: "connect-partner", name: "Connecting Partners AB" },
  contact: { id: "29:conn-pc", name: "Paula Partner", aadObjectId: "d0d0d0d0-0000-4000-8000-0000000000c1" },
};
/** A partner whose tenant lacks Microsoft's "Partner Customer Delegated Administration" service principal. */
const NO_SP = {
  tenantId: "d0d0d0d0-0000-4000-8000-0000000000a2",
  partner: { id: "nosp-partner", name: "No Principal Ltd" },
  contact: { id: "29:nosp-pc", name: "Nils Nosp", aadObjectId: "d0d0d0d0-0000-4000-8000-0000000000c2" },
};
/** A partner whose admins never consented: Entra ID refuses the token. */
const NO_CONSENT = {
  tenantId: "d0d0d0d0-0000-4000-8000-0000000000a3",
  partner: { id: "noconsent-partner", name: "Unconsented GmbH" },
  contact: { id: "29:nocon-pc", name: "Nora Noconsent", aadObjectId: "d0d0d0d0-0000-4000-8000-0000000000c3" },
};
/** Someone in the connecting partner's tenant who is not a listed contact. */
const COLLEAGUE = { id: "29:conn-x", name: "Carl Colleague", aadObjectId: "d0d0d0d0-0000-4000-8000-0000000000c9" };
const CUSTOMER = "c0ffee00-0000-4000-8000-0000000000e1";
/** Where browsers reach the bot: the consent link returns there (the bot itself listens on loopback in the test). */
const PUBLIC_BASE_URL = "https://partner-desk.example.com";

type Person = typeof COLLEAGUE;

describe("end to end: a partner connects to Microsoft with an app-only token in its own tenant", function () {
  this.timeout(90_000);
  let bot: RegisteredBot | undefined;
  let botUrl = "";
  let openId: OpenIdServer;
  let login: LoginServer;
  let gdap: FakeGdap;
  let storage: Storage;

  before(async () => {
    [openId, login, gdap] = await Promise.all([new OpenIdServer().start(), new LoginServer().start(), new FakeGdap().start()]);
    gdap.tokensFrom = login.tenantOf;
    gdap.partner(CONNECTING.tenantId, "granted");
    for (const name of ["Fabrikam - helpdesk", "Fabrikam - licensing"])
      gdap.seed(CONNECTING.tenantId, { displayName: name, customer: { tenantId: CUSTOMER }, status: "active" });
    gdap.partner(NO_SP.tenantId, "noServicePrincipal");
    login.refuseTenant(NO_CONSENT.tenantId);

    const { tables, prefix, connectionString } = await freshTables();
    storage = openStorage(tables);
    for (const p of [CONNECTING, NO_SP, NO_CONSENT]) {
      await storage.partners.upsert({
        ...p.partner,
        tenantId: p.tenantId,
        locations: [{ country: "SE", city: "Malmö" }],
        sizes: ["51-250"],
        services: ["Licensing and billing"],
        industries: [],
        types: ["resellerAndDelegatedAdministrator"],
        contacts: [{ tenantId: p.tenantId, userId: p.contact.aadObjectId, name: p.contact.name }],
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
        ALLOWED_TENANTS: [CONNECTING, NO_SP, NO_CONSENT].map((p) => p.tenantId).join(","),
        ROLE_SOURCE: "table",
        GRAPH_BASE_URL: gdap.baseUrl,
        PUBLIC_BASE_URL: PUBLIC_BASE_URL,
      },
    });
    botUrl = bot.url;
  });
  after(async () => {
    await bot?.stop();
    await Promise.all([openId?.stop(), login?.stop(), gdap?.stop()]);
  });

  /** Presses a card button as `person` in their own tenant, through Teams' signed invoke; the card it answers with. */
  async function press(person: Person, tenantId: string, verb: string): Promise<Record<string, unknown>> {
    const result = await signedInvoke({ url: botUrl, appId: APP_ID, openId }, person, tenantId, verb);
    expect(result.status).to.equal(200);
    expect(result.body?.statusCode, textOf(result.body)).to.equal(200);
    return result.body.value as Record<string, unknown>;
  }

  const actionsOf = (card: Record<string, unknown>) => (card["actions"] ?? []) as Array<Record<string, unknown>>;
  const tokenRequestsFor = (tenantId: string) => login.tokenRequests.filter((r) => r.path === `/${tenantId}/oauth2/v2.0/token`);

  it("refuses someone of the partner's tenant who is not a listed contact, and changes nothing", async () => {
    const card = textOf(await press(COLLEAGUE, CONNECTING.tenantId, "partnerSide.checkConnection"));
    expect(card).to.include("for partner contacts listed in the partner directory");
    expect(await storage.connections.get(CONNECTING.tenantId, CONNECTING.partner.id)).to.equal(undefined);
    expect(gdap.requests, "no Graph call for a non-contact").to.have.length(0);
  });

  it("shows a contact what connecting means and needs, with the admin-consent link for their own tenant", async () => {
    const card = await press(CONNECTING.contact, CONNECTING.tenantId, "partnerSide.connection");
    const text = textOf(card);
    expect(text).to.include(`Connect ${CONNECTING.partner.name} to Microsoft`).and.to.include("Not connected to Microsoft");
    expect(text).to.include("DelegatedAdminRelationship.ReadWrite.All").and.to.include("Partner Customer Delegated Administration");
    const consent = actionsOf(card).find((a) => a["type"] === "Action.OpenUrl");
    const url = new URL(String(consent?.["url"]));
    expect(`${url.origin}${url.pathname}`).to.equal(`${login.authorityHost}/${CONNECTING.tenantId}/v2.0/adminconsent`);
    expect(Object.fromEntries(url.searchParams)).to.include({ client_id: APP_ID, scope: `${gdap.origin}/.default` });
    expect(actionsOf(card).map((a) => a["title"]))
      .to.include("Check connection")
      .and.not.to.include("Disconnect");
  });

  it("connects on Check connection: a client-credentials token for the partner's tenant, Graph listed, stored and audited", async () => {
    gdap.reset();
    const card = await press(CONNECTING.contact, CONNECTING.tenantId, "partnerSide.checkConnection");
    expect(textOf(card)).to.include("Connected to Microsoft: 2 relationships visible");
    expect(actionsOf(card).map((a) => a["title"])).to.include("Disconnect");

    const [asked] = tokenRequestsFor(CONNECTING.tenantId);
    expect(asked, "a token request for the partner's tenant").to.not.equal(undefined);
    expect(asked!.form).to.include({ grant_type: "client_credentials", client_id: APP_ID, scope: `${gdap.origin}/.default` });
    const listed = gdap.requests.find((r) => r.method === "GET" && r.path === "/v1.0/tenantRelationships/delegatedAdminRelationships");
    expect(listed?.tenantId).to.equal(CONNECTING.tenantId);
    const token = listed!.authorization!.slice("Bearer ".length);
    expect(login.issued).to.include(token);
    expect(login.tenantOf(token)).to.equal(CONNECTING.tenantId);

    const row = await storage.connections.get(CONNECTING.tenantId, CONNECTING.partner.id);
    expect(row?.value).to.deep.include({ status: "connected", partnerTenantId: CONNECTING.tenantId, relationshipsVisible: 2 });
    expect(row?.value.connectedBy).to.deep.equal({ userId: CONNECTING.contact.aadObjectId, name: CONNECTING.contact.name });
    const [audit] = await storage.audit.latest(CONNECTING.tenantId, 1);
    expect(audit).to.deep.include({ action: "connection.connect", target: `partner:${CONNECTING.partner.id}/connection` });
  });

  it("names the missing service principal when Graph refuses for it, and stores nothing", async () => {
    const card = textOf(await press(NO_SP.contact, NO_SP.tenantId, "partnerSide.checkConnection"));
    expect(card).to.include("Partner Customer Delegated Administration service principal").and.to.include("is missing in your tenant");
    expect(card).to.include("Nothing was changed").and.not.to.include("Connected to Microsoft:");
    expect(tokenRequestsFor(NO_SP.tenantId)).to.have.length.of.at.least(1);
    expect(await storage.connections.get(NO_SP.tenantId, NO_SP.partner.id)).to.equal(undefined);
    expect(await storage.audit.latest(NO_SP.tenantId)).to.deep.equal([]);
  });

  it("names the missing consent when Entra ID refuses the token, and calls no Graph", async () => {
    gdap.reset();
    const card = textOf(await press(NO_CONSENT.contact, NO_CONSENT.tenantId, "partnerSide.checkConnection"));
    expect(card).to.include("no administrator has consented to Partner Desk there");
    expect(gdap.requests).to.have.length(0);
    expect(await storage.connections.get(NO_CONSENT.tenantId, NO_CONSENT.partner.id)).to.equal(undefined);
  });

  it("records a connected partner's refused check, shows the connection needs attention, and clears it on the next good check", async () => {
    gdap.partner(CONNECTING.tenantId, "noServicePrincipal"); // someone deleted Microsoft's service principal
    const refused = textOf(await press(CONNECTING.contact, CONNECTING.tenantId, "partnerSide.checkConnection"));
    expect(refused).to.include(
      "Microsoft refused Partner Desk in your tenant: the Partner Customer Delegated Administration service principal is missing",
    );
    expect(refused).to.include("Connected, but Microsoft refused Partner Desk at the last check");
    const stored = await storage.connections.get(CONNECTING.tenantId, CONNECTING.partner.id);
    expect(stored?.value).to.deep.include({ status: "connected", lastCheck: "GDAP.SERVICE_PRINCIPAL_MISSING" });
    const [audit] = await storage.audit.latest(CONNECTING.tenantId, 1);
    expect(audit?.action).to.equal("connection.checkFailed");

    gdap.partner(CONNECTING.tenantId, "granted");
    const fixed = textOf(await press(CONNECTING.contact, CONNECTING.tenantId, "partnerSide.checkConnection"));
    expect(fixed).to.include("Connected to Microsoft: 2 relationships visible").and.not.to.include("refused");
    expect((await storage.connections.get(CONNECTING.tenantId, CONNECTING.partner.id))?.value.lastCheck).to.equal("CONNECTION.OK");
  });

  it("disconnects: the row says disconnected, by whom, and the disconnection is audited", async () => {
    const card = await press(CONNECTING.contact, CONNECTING.tenantId, "partnerSide.disconnect");
    expect(textOf(card)).to.include("Disconnected from Microsoft");
    expect(actionsOf(card).map((a) => a["title"])).to.not.include("Disconnect");
    const row = await storage.connections.get(CONNECTING.tenantId, CONNECTING.partner.id);
    expect(row?.value).to.deep.include({ status: "disconnected" });
    expect(row?.value.disconnectedBy?.userId).to.equal(CONNECTING.contact.aadObjectId);
    const [audit] = await storage.audit.latest(CONNECTING.tenantId, 1);
    expect(audit?.action).to.equal("connection.disconnect");
  });

  it("sends the administrator back to the bot's consent landing page, which says what happened and escapes what Microsoft sent", async () => {
    const card = await press(CONNECTING.contact, CONNECTING.tenantId, "partnerSide.connection");
    const consent = actionsOf(card)
      .map((a) => (typeof a["url"] === "string" ? a["url"] : ""))
      .find((url) => url.includes("/adminconsent"));
    expect(new URL(consent!).searchParams.get("redirect_uri")).to.equal(`${PUBLIC_BASE_URL}/connect/consented`);

    const granted = await fetch(`${botUrl}/connect/consented?admin_consent=True&tenant=${CONNECTING.tenantId}&state=`);
    expect(granted.status).to.equal(200);
    expect(granted.headers.get("content-type")).to.match(/^text\/html/);
    expect(granted.headers.get("content-security-policy")).to.include("default-src 'none'");
    const grantedPage = await granted.text();
    expect(grantedPage).to.include("Consent given").and.to.include(CONNECTING.tenantId).and.to.include("Check connection");

    const refused = await fetch(
      `${botUrl}/connect/consented?error=access_denied&error_description=${encodeURIComponent("AADSTS65004: User declined <script>alert(1)</script>\nTrace ID: x")}`,
    );
    const refusedPage = await refused.text();
    expect(refused.status).to.equal(200);
    expect(refusedPage).to.include("Consent was not given").and.to.include("AADSTS65004: User declined &#60;script&#62;");
    expect(refusedPage).not.to.include("<script>").and.not.to.include("Trace ID");

    const nothing = await fetch(`${botUrl}/connect/consented`);
    expect(nothing.status).to.equal(400);
    expect(await nothing.text()).to.include("type connect");
  });
});
