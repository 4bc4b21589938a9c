import { signedInvoke, startRegisteredBot, type RegisteredBot } from "../helpers/registeredBot.js";
import { expect } from "chai";
import { seedDemo } from "../../src/demo/seed.js";
import { DEMO } from "../../src/demo/constants.js";
import { ROLE } from "../../src/domain/roles.js";
import { openStorage } from "../../src/storage/index.js";
import { freshTables } from "../helpers/azurite.js";
import { textOf } from "../helpers/channelEmulator.js";
import { FakeGraph, GRAPH_ROLES } from "../helpers/fakeGraph.js";
import { LoginServer } from "../helpers/loginServer.js";
import { OpenIdServer } from "../helpers/openIdServer.js";

/*
 * Roles read from Microsoft Graph by the real bot process, with real @azure/identity credentials: app-only tokens
 * from a loopback https login server (GRAPH_AUTHORITY_HOST, trusted through NODE_EXTRA_CA_CERTS, a host Microsoft's
 * instance discovery does not know), Graph itself a loopback fake (GRAPH_BASE_URL) that answers each token as the
 * tenant it was issued for.
 */

const APP_ID = "0a0a0a0a-1111-4222-8333-555555555555";
const SECRET = "graph-roles-test-secret";
/** The demo customer: it granted the app Graph consent, so its roles come from Graph alone. */
const CONSENTED = DEMO.customerTenantId;
/** A customer whose admins never consented: Entra ID refuses the token, its roles come from the role table. */
const UNCONSENTED = "abcdef00-0000-4000-8000-0000000000c1";

const people = {
  global: { id: "29:graph-ga", name: "Grace Global", aadObjectId: "c0ffee00-0000-4000-8000-0000000000a1" },
  billing: { id: "29:graph-ba", name: "Bill Billing", aadObjectId: "c0ffee00-0000-4000-8000-0000000000a2" },
  helpdesk: { id: "29:graph-hd", name: "Hedda Helpdesk", aadObjectId: "c0ffee00-0000-4000-8000-0000000000a3" },
  /** Global administrator in the role table only: for a consenting tenant that must count for nothing. */
  tableOnly: { id: "29:graph-demo", name: DEMO.admin.name, aadObjectId: DEMO.admin.userId },
  elsewhereAdmin: { id: "29:table-ga", name: "Tove Table", aadObjectId: "abcdef00-0000-4000-8000-0000000000a1" },
  elsewhereMember: { id: "29:table-m", name: "Tim Member", aadObjectId: "abcdef00-0000-4000-8000-0000000000a2" },
};

const GRAPH_SCOPE = "/.default";

describe("end to end: admin roles read from Microsoft Graph with tokens from the configured login host", function () {
  this.timeout(90_000);
  let bot: RegisteredBot | undefined;
  let botUrl = "";
  let openId: OpenIdServer;
  let login: LoginServer;
  let graph: FakeGraph;

  before(async () => {
    [openId, login, graph] = await Promise.all([new OpenIdServer().start(), new LoginServer().start(), new FakeGraph().start()]);
    login.refuseTenant(UNCONSENTED);
    graph.tokensFrom = login.tenantOf;
    graph.tenant(CONSENTED, {
      users: {
        [people.global.aadObjectId]: [GRAPH_ROLES.globalAdministrator],
        [people.billing.aadObjectId]: [GRAPH_ROLES.billingAdministrator],
        [people.helpdesk.aadObjectId]: [GRAPH_ROLES.helpdeskAdministrator],
        [people.tableOnly.aadObjectId]: [],
      },
      names: { [people.global.aadObjectId]: people.global.name, [people.billing.aadObjectId]: people.billing.name },
    });

    const { tables, prefix, connectionString } = await freshTables();
    const storage = openStorage(tables);
    // The demo: a pending invitation to the consenting customer, and its admin as Global administrator in the table.
    await seedDemo(storage, new Date());
    await storage.roleAssignments.upsert({
      tenantId: UNCONSENTED,
      userId: people.elsewhereAdmin.aadObjectId,
      roleId: ROLE.globalAdministrator,
      userName: people.elsewhereAdmin.name,
      assignedAt: new Date().toISOString(),
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
        ALLOWED_TENANTS: `${CONSENTED},${UNCONSENTED}`,
        ROLE_SOURCE: "graph",
        // Every action asks Graph again, so each test sees its own requests.
        ROLE_CACHE_SECONDS: "0",
        GRAPH_BASE_URL: graph.baseUrl,
      },
    });
    botUrl = bot.url;
  });
  after(async () => {
    await bot?.stop();
    await Promise.all([openId?.stop(), login?.stop(), graph?.stop()]);
  });

  /** Presses a card button as `person` in their own tenant, through Teams' signed invoke; the invoke response's body. */
  async function press(person: (typeof people)[keyof typeof people], tenantId: string, verb: string, data: Record<string, unknown> = {}) {
    const result = await signedInvoke({ url: botUrl, appId: APP_ID, openId }, person, tenantId, verb, data);
    expect(result.status).to.equal(200);
    return textOf(result.body);
  }

  const graphTokenRequestsFor = (tenantId: string) =>
    login.tokenRequests.filter((r) => r.path === `/${tenantId}/oauth2/v2.0/token` && r.form["scope"] === `${graph.origin}${GRAPH_SCOPE}`);

  beforeEach(() => {
    graph.requests.length = 0;
  });

  it("lets a Global administrator in Graph open the accept step, with a client-credentials token from the login host", async () => {
    const card = await press(people.global, CONSENTED, "invitations.review", { invitationId: DEMO.invitationId });
    expect(card).to.include("Accept agreement & authorize partner");
    expect(card).to.not.include("Only a Global or Billing administrator can");

    const [asked] = graphTokenRequestsFor(CONSENTED);
    expect(asked, "a Graph token request for the customer's tenant").to.not.equal(undefined);
    expect(asked!.form).to.include({ grant_type: "client_credentials", client_id: APP_ID, client_secret: SECRET });
    const roleLookup = graph.requests.find(
      (r) => r.path === `/v1.0/users/${people.global.aadObjectId}/transitiveMemberOf/microsoft.graph.directoryRole`,
    );
    expect(roleLookup, "Graph was asked for the user's roles").to.not.equal(undefined);
    expect(roleLookup!.tenantId).to.equal(CONSENTED);
    expect(login.issued).to.include(roleLookup!.authorization!.slice("Bearer ".length));
  });

  it("refuses a user without the role and names the tenant's admins as Graph lists them", async () => {
    const card = await press(people.helpdesk, CONSENTED, "invitations.review", { invitationId: DEMO.invitationId });
    expect(card).to.include("Only a Global or Billing administrator can");
    expect(card).to.include(people.global.name).and.to.include(people.billing.name);
    expect(card).to.not.include("Accept agreement & authorize partner");
    expect(graph.requests.map((r) => decodeURIComponent(r.path))).to.include.members([
      `/v1.0/users/${people.helpdesk.aadObjectId}/transitiveMemberOf/microsoft.graph.directoryRole`,
      `/v1.0/directoryRoles(roleTemplateId='${ROLE.globalAdministrator}')/members`,
      `/v1.0/directoryRoles(roleTemplateId='${ROLE.billingAdministrator}')/members`,
    ]);
    expect(graph.requests.every((r) => r.tenantId === CONSENTED)).to.equal(true);
  });

  it("answers a consenting tenant from Graph alone: a Global administrator only in the role table is refused", async () => {
    const card = await press(people.tableOnly, CONSENTED, "invitations.review", { invitationId: DEMO.invitationId });
    expect(card).to.include("Only a Global or Billing administrator can");
  });

  it("falls back to the role table for a tenant whose admins never consented, after Entra ID refused the token", async () => {
    const allowed = await press(people.elsewhereAdmin, UNCONSENTED, "invitations.list");
    expect(allowed).to.not.include("Only a Global or Billing administrator can");
    const refused = await press(people.elsewhereMember, UNCONSENTED, "invitations.list");
    expect(refused).to.include("Only a Global or Billing administrator can").and.to.include(people.elsewhereAdmin.name);

    expect(graphTokenRequestsFor(UNCONSENTED), "a token was asked for that tenant and refused").to.have.length.of.at.least(1);
    expect(graph.requests, "no Graph request without a token").to.have.length(0);
  });
});
