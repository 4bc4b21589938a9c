import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { ROLE } from "../../src/domain/roles.js";
import { GraphConsentError, GraphUnavailableError, InvalidDirectoryIdError } from "../../src/entra-roles/errors.js";
import { GraphRoleDirectory, graphScopeFor, type GraphRoleDirectoryOptions } from "../../src/entra-roles/graphRoleDirectory.js";
import { FakeGraph, GRAPH_ROLES } from "../helpers/fakeGraph.js";

const CONTOSO = "c0ffee00-0000-4000-8000-000000000001";
const FABRIKAM = "fab00000-0000-4000-8000-000000000002";
const NO_CONSENT = "0c0c0c0c-0000-4000-8000-000000000003";
const NOT_INSTALLED = "0d0d0d0d-0000-4000-8000-000000000004";
const LIMITED = "0e0e0e0e-0000-4000-8000-000000000005";
const NO_TOKEN = "0f0f0f0f-0000-4000-8000-000000000006";
const TAILSPIN = "7a7a7a7a-0000-4000-8000-000000000007";
const NAMELESS = "8b8b8b8b-0000-4000-8000-000000000008";

const ADELE = "a1a1a1a1-1111-4111-8111-111111111111"; // Global administrator of Contoso (and Teams admin)
const BEN = "b2b2b2b2-2222-4222-8222-222222222222"; // Billing + Helpdesk + Global reader of Contoso
const CARA = "c3c3c3c3-3333-4333-8333-333333333333"; // no admin role in Contoso, Global admin of Fabrikam
const GHOST = "d4d4d4d4-4444-4444-8444-444444444444"; // not a user of Contoso

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  expect.fail("expected the lookup to fail");
}

describe("GraphRoleDirectory (against a loopback Microsoft Graph)", () => {
  const graph = new FakeGraph();
  let sleeps: number[];

  const directory = (options: Partial<GraphRoleDirectoryOptions> = {}) =>
    new GraphRoleDirectory({
      baseUrl: graph.baseUrl,
      credentialFor: graph.credentialFor,
      sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
      ...options,
    });

  before(async () => {
    await graph.start();
    graph
      .tenant(CONTOSO, {
        users: {
          [ADELE]: [GRAPH_ROLES.teamsAdministrator, GRAPH_ROLES.globalAdministrator],
          [BEN]: [
            GRAPH_ROLES.billingAdministrator,
            GRAPH_ROLES.helpdeskAdministrator,
            GRAPH_ROLES.exchangeAdministrator,
            GRAPH_ROLES.globalReader,
          ],
          [CARA]: [],
        },
        names: { [ADELE]: "Adele Vance", [BEN]: "Ben Walters", [CARA]: "Cara Diaz" },
      })
      .tenant(TAILSPIN, {
        users: {
          [ADELE]: [GRAPH_ROLES.globalAdministrator, GRAPH_ROLES.billingAdministrator],
          [BEN]: [GRAPH_ROLES.billingAdministrator],
          [CARA]: [GRAPH_ROLES.helpdeskAdministrator],
        },
        names: { [ADELE]: "Zoe Admin", [BEN]: "Ann Billing", [CARA]: "Helpdesk Harry" },
        servicePrincipals: { [GHOST]: [GRAPH_ROLES.globalAdministrator] },
      })
      .tenant(NAMELESS, { users: { [ADELE]: [GRAPH_ROLES.globalAdministrator] }, hideUserNames: true })
      .tenant(FABRIKAM, { users: { [CARA]: [GRAPH_ROLES.globalAdministrator] } })
      .tenant(NO_CONSENT, { consent: "forbidden", users: { [ADELE]: [GRAPH_ROLES.globalAdministrator] } })
      .tenant(NOT_INSTALLED, { consent: "notInstalled", users: { [ADELE]: [GRAPH_ROLES.globalAdministrator] } })
      .tenant(LIMITED, { consent: "limited", users: { [ADELE]: [GRAPH_ROLES.globalAdministrator] } })
      .tenant(NO_TOKEN, { consent: "unauthorized", users: { [ADELE]: [GRAPH_ROLES.globalAdministrator] } });
  });

  beforeEach(() => {
    graph.reset();
    sleeps = [];
  });

  after(() => graph.stop());

  describe("reading roles", () => {
    it("reads a Global administrator's roles by role template id, with the documented request", async () => {
      const roles = await directory().rolesOf(CONTOSO, ADELE);
      expect(roles).to.deep.equal([ROLE.globalAdministrator]);
      expect(graph.requests).to.have.length(1);
      const [request] = graph.requests;
      expect(request!.method).to.equal("GET");
      expect(request!.path).to.equal(`/v1.0/users/${ADELE}/transitiveMemberOf/microsoft.graph.directoryRole`);
      expect(request!.query.$select).to.equal("id,roleTemplateId,displayName");
      // Graph requires ConsistencyLevel: eventual and $count for an OData cast combined with other query options.
      expect(request!.query.$count).to.equal("true");
      expect(request!.consistencyLevel).to.equal("eventual");
    });

    it("ignores directory roles that are not in Partner Desk's catalog", async () => {
      const roles = await directory().rolesOf(CONTOSO, BEN);
      expect(roles).to.have.members([ROLE.billingAdministrator, ROLE.helpdeskAdministrator, ROLE.globalReader]);
      expect(roles).to.have.length(3);
    });

    it("answers no roles for a member of the tenant who holds none", async () => {
      expect(await directory().rolesOf(CONTOSO, CARA)).to.deep.equal([]);
    });

    it("follows @odata.nextLink until the last page", async () => {
      graph.pageSize = 1;
      const roles = await directory().rolesOf(CONTOSO, BEN);
      expect(roles).to.have.members([ROLE.billingAdministrator, ROLE.helpdeskAdministrator, ROLE.globalReader]);
      expect(graph.requests.map((r) => r.query.$skiptoken)).to.deep.equal([undefined, "1", "2", "3"]);
      expect(graph.requests.every((r) => r.tenantId === CONTOSO)).to.equal(true);
    });

    it("does not send the token to a nextLink on another host", async () => {
      graph.pageSize = 1;
      graph.nextLinkOrigin = "http://127.0.0.2:9";
      const error = await rejection(directory().rolesOf(CONTOSO, BEN));
      expect(error).to.be.instanceOf(GraphUnavailableError);
      expect((error as Error).message).to.match(/another host/);
      expect(graph.requests).to.have.length(1);
    });

    it("reads the same user's roles in each tenant separately", async () => {
      expect(await directory().rolesOf(CONTOSO, CARA)).to.deep.equal([]);
      expect(await directory().rolesOf(FABRIKAM, CARA)).to.deep.equal([ROLE.globalAdministrator]);
    });

    it("answers no roles for a user Graph does not know (404)", async () => {
      expect(await directory().rolesOf(CONTOSO, GHOST)).to.deep.equal([]);
      expect(graph.requests).to.have.length(1);
    });
  });

  describe("who holds a role (for a refusal that says whom to ask)", () => {
    const deciders = [ROLE.globalAdministrator, ROLE.billingAdministrator];

    it("names the Global and Billing administrators, each once, alphabetically, with the documented requests", async () => {
      expect(await directory().holdersOf(TAILSPIN, deciders)).to.deep.equal(["Ann Billing", "Zoe Admin"]);
      const paths = graph.requests.map((r) => decodeURIComponent(r.path)).sort();
      expect(paths).to.have.members([
        `/v1.0/directoryRoles(roleTemplateId='${ROLE.billingAdministrator}')/members`,
        `/v1.0/directoryRoles(roleTemplateId='${ROLE.globalAdministrator}')/members`,
      ]);
      expect(paths).to.have.length(2);
      expect(graph.requests.every((r) => r.query["$select"] === "id,displayName" && r.tenantId === TAILSPIN)).to.equal(true);
    });

    it("names people only: an app holding Global administrator is left out", async () => {
      expect(await directory().holdersOf(TAILSPIN, [ROLE.globalAdministrator])).to.deep.equal(["Zoe Admin"]);
    });

    it("answers nobody for a role no one in the tenant holds (Graph: 404, the role is not activated)", async () => {
      expect(await directory().holdersOf(FABRIKAM, [ROLE.billingAdministrator])).to.deep.equal([]);
    });

    it("follows @odata.nextLink through every page of members", async () => {
      graph.pageSize = 1;
      expect(await directory().holdersOf(TAILSPIN, [ROLE.billingAdministrator])).to.deep.equal(["Ann Billing", "Zoe Admin"]);
      expect(graph.requests).to.have.length(2);
    });

    it("answers nobody by name when the app may not read users' names", async () => {
      expect(await directory().holdersOf(NAMELESS, deciders)).to.deep.equal([]);
    });

    it("reports a tenant that did not let the app read roles as a consent error", async () => {
      expect(await rejection(directory().holdersOf(NO_CONSENT, deciders))).to.be.instanceOf(GraphConsentError);
    });

    it("refuses a tenant id that is not a GUID without asking for a token", async () => {
      expect(await rejection(directory().holdersOf("contoso.onmicrosoft.com", deciders))).to.be.instanceOf(InvalidDirectoryIdError);
      expect(graph.tokenRequests).to.have.length(0);
    });
  });

  describe("tokens", () => {
    it("asks for an app-only token in the user's own tenant, scoped to the Graph host it calls", async () => {
      await directory().rolesOf(FABRIKAM, CARA);
      expect(graph.tokenRequests).to.deep.equal([{ tenantId: FABRIKAM, scopes: [`${graph.origin}/.default`] }]);
      expect(graph.requests[0]!.authorization).to.match(/^Bearer fake-graph-token-/);
      expect(graph.requests[0]!.tenantId).to.equal(FABRIKAM);
    });

    it("derives the scope https://<graph host>/.default from the Graph base URL", () => {
      expect(graphScopeFor("https://graph.microsoft.com/v1.0")).to.equal("https://graph.microsoft.com/.default");
      expect(graphScopeFor("https://graph.microsoft.us/v1.0")).to.equal("https://graph.microsoft.us/.default");
      expect(graphScopeFor("https://microsoftgraph.chinacloudapi.cn/beta")).to.equal("https://microsoftgraph.chinacloudapi.cn/.default");
    });

    it("uses an explicit scope when one is given", async () => {
      await directory({ scope: "https://graph.microsoft.com/.default" }).rolesOf(CONTOSO, ADELE);
      expect(graph.tokenRequests[0]!.scopes).to.deep.equal(["https://graph.microsoft.com/.default"]);
    });

    it("reports a tenant where Entra ID refuses the app a token (AADSTS700016) as a consent error", async () => {
      const error = await rejection(directory().rolesOf(NOT_INSTALLED, ADELE));
      expect(error).to.be.instanceOf(GraphConsentError);
      expect((error as GraphConsentError).tenantId).to.equal(NOT_INSTALLED);
      expect((error as GraphConsentError).graphCode).to.equal("AADSTS700016");
      expect(graph.requests).to.have.length(0);
    });

    it("reports a token endpoint that fails for another reason as unavailable, not as missing consent", async () => {
      graph.tokenFailure = new Error("getaddrinfo ENOTFOUND login.microsoftonline.com");
      const error = await rejection(directory().rolesOf(CONTOSO, ADELE));
      expect(error).to.be.instanceOf(GraphUnavailableError);
      expect(graph.requests).to.have.length(0);
    });
  });

  describe("a tenant that did not let the app read roles", () => {
    it("turns 403 Authorization_RequestDenied into a GraphConsentError naming the permission", async () => {
      const error = await rejection(directory().rolesOf(NO_CONSENT, ADELE));
      expect(error).to.be.instanceOf(GraphConsentError);
      const consent = error as GraphConsentError;
      expect(consent.code).to.equal("ROLES.GRAPH_CONSENT");
      expect(consent.status).to.equal(403);
      expect(consent.graphCode).to.equal("Authorization_RequestDenied");
      expect(consent.message).to.include("RoleManagement.Read.Directory");
      expect(graph.requests).to.have.length(1);
    });

    it("turns 401 into a GraphConsentError", async () => {
      const error = await rejection(directory().rolesOf(NO_TOKEN, ADELE));
      expect(error).to.be.instanceOf(GraphConsentError);
      expect((error as GraphConsentError).status).to.equal(401);
    });

    it("refuses to answer 'no roles' when Graph hides which roles the user holds (limited information)", async () => {
      const error = await rejection(directory().rolesOf(LIMITED, ADELE));
      expect(error).to.be.instanceOf(GraphConsentError);
      expect((error as GraphConsentError).graphCode).to.equal("LimitedInformation");
    });
  });

  describe("throttling and outages", () => {
    it("waits as long as Retry-After asks after a 429, then reads the roles", async () => {
      graph.answerNext({ status: 429, retryAfter: "1" });
      const roles = await directory().rolesOf(CONTOSO, ADELE);
      expect(roles).to.deep.equal([ROLE.globalAdministrator]);
      expect(sleeps).to.deep.equal([1000]);
      expect(graph.requests).to.have.length(2);
    });

    it("really sleeps between tries when no sleep is injected", async () => {
      graph.answerNext({ status: 503, retryAfter: "0" }, { status: 429, retryAfter: "0" });
      const roles = await new GraphRoleDirectory({ baseUrl: graph.baseUrl, credentialFor: graph.credentialFor }).rolesOf(CONTOSO, ADELE);
      expect(roles).to.deep.equal([ROLE.globalAdministrator]);
      expect(graph.requests).to.have.length(3);
    });

    it("backs off with a bounded delay when a 503 carries no Retry-After", async () => {
      graph.answerNext({ status: 503 });
      expect(await directory({ retry: { baseDelayMs: 100, maxDelayMs: 1000 } }).rolesOf(CONTOSO, ADELE)).to.deep.equal([
        ROLE.globalAdministrator,
      ]);
      expect(sleeps).to.have.length(1);
      expect(sleeps[0]).to.be.within(50, 100);
    });

    it("gives up on a persistent 503 after a bounded number of tries with GraphUnavailableError", async () => {
      graph.outage = { status: 503, retryAfter: "0" };
      const error = await rejection(directory({ retry: { maxAttempts: 3 } }).rolesOf(CONTOSO, ADELE));
      expect(error).to.be.instanceOf(GraphUnavailableError);
      expect((error as GraphUnavailableError).code).to.equal("ROLES.GRAPH_UNAVAILABLE");
      expect((error as GraphUnavailableError).status).to.equal(503);
      expect(graph.requests).to.have.length(3);
      expect(sleeps).to.have.length(2);
    });

    it("does not wait longer than its cap: a Retry-After of 30 s ends the lookup at once", async () => {
      graph.answerNext({ status: 429, retryAfter: "30" });
      const error = await rejection(directory().rolesOf(CONTOSO, ADELE));
      expect(error).to.be.instanceOf(GraphUnavailableError);
      expect((error as GraphUnavailableError).retryAfterMs).to.equal(30_000);
      expect(sleeps).to.deep.equal([]);
      expect(graph.requests).to.have.length(1);
    });

    it("gives up when Graph does not answer within the lookup's budget", async () => {
      graph.answerNext({ status: 200, delayMs: 2000, body: { value: [] } });
      const started = Date.now();
      const error = await rejection(directory({ timeoutMs: 150 }).rolesOf(CONTOSO, ADELE));
      expect(error).to.be.instanceOf(GraphUnavailableError);
      expect((error as Error).message).to.match(/within 150 ms/);
      expect(Date.now() - started).to.be.below(1500);
    });

    it("reports other failures (500, an unexpected body) as GraphUnavailableError without retrying", async () => {
      graph.answerNext({ status: 500 });
      expect(await rejection(directory().rolesOf(CONTOSO, ADELE))).to.be.instanceOf(GraphUnavailableError);
      expect(graph.requests).to.have.length(1);

      graph.answerNext({ status: 200, body: { value: "not a list" } });
      expect(await rejection(directory().rolesOf(CONTOSO, ADELE))).to.be.instanceOf(GraphUnavailableError);
    });

    it("reports Graph being unreachable as GraphUnavailableError", async () => {
      const error = await rejection(directory({ baseUrl: "http://127.0.0.1:9/v1.0" }).rolesOf(CONTOSO, ADELE));
      expect(error).to.be.instanceOf(GraphUnavailableError);
    });

    it("retries a refused connection (a transient network error) a bounded number of times", async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      const error = await rejection(directory({ baseUrl: `http://127.0.0.1:${port}/v1.0` }).rolesOf(CONTOSO, ADELE));
      expect(error).to.be.instanceOf(GraphUnavailableError);
      expect((error as Error).message).to.equal("Graph could not be reached in 3 tries");
      expect(sleeps).to.have.length(2);
    });

    // The parser itself is src/http/retry.ts's (test/unit/http-retry.test.ts); these are the cases Graph read differently before.
    it("reads Retry-After with the shared parser: fractions of a second, HTTP dates, garbage ignored", async () => {
      graph.answerNext({ status: 429, retryAfter: "0.5" }, { status: 503, retryAfter: "Sun, 01 Nov 2020 10:00:03 GMT" });
      expect(await directory().rolesOf(CONTOSO, ADELE)).to.deep.equal([ROLE.globalAdministrator]);
      expect(sleeps).to.deep.equal([500, 0]);

      graph.reset();
      sleeps = [];
      graph.answerNext({ status: 429, retryAfter: "-5" });
      await directory({ retry: { baseDelayMs: 100 } }).rolesOf(CONTOSO, ADELE);
      expect(sleeps).to.have.length(1);
      expect(sleeps[0]).to.be.within(50, 100); // the backoff, not "retry at once"
    });

    it("retries 408 and 412 like the Bot Connector, but not 500 within a role check", async () => {
      graph.answerNext({ status: 408 }, { status: 412 });
      expect(await directory().rolesOf(CONTOSO, ADELE)).to.deep.equal([ROLE.globalAdministrator]);
      expect(graph.requests).to.have.length(3);

      graph.reset();
      graph.answerNext({ status: 500 });
      expect(await rejection(directory().rolesOf(CONTOSO, ADELE))).to.be.instanceOf(GraphUnavailableError);
      expect(graph.requests).to.have.length(1);
    });
  });

  describe("ids", () => {
    for (const userId of ["not-a-guid", `${ADELE}/../../groups`, "../me", ""]) {
      it(`refuses the user id ${JSON.stringify(userId)} without asking for a token or calling Graph`, async () => {
        const error = await rejection(directory().rolesOf(CONTOSO, userId));
        expect(error).to.be.instanceOf(InvalidDirectoryIdError);
        expect((error as InvalidDirectoryIdError).field).to.equal("userId");
        expect(graph.requests).to.have.length(0);
        expect(graph.tokenRequests).to.have.length(0);
      });
    }

    it("refuses a tenant id that is not a GUID without asking for a token", async () => {
      const error = await rejection(directory().rolesOf("contoso.onmicrosoft.com", ADELE));
      expect(error).to.be.instanceOf(InvalidDirectoryIdError);
      expect(graph.tokenRequests).to.have.length(0);
    });

    it("accepts upper-case GUIDs as Teams and Entra ID may send them", async () => {
      expect(await directory().rolesOf(CONTOSO.toUpperCase(), ADELE.toUpperCase())).to.deep.equal([ROLE.globalAdministrator]);
    });
  });
});
