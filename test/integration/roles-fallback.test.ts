import { expect } from "chai";
import { loadConfig } from "../../src/config.js";
import { ROLE, type RoleTemplateId } from "../../src/domain/roles.js";
import { GraphConsentError, GraphUnavailableError } from "../../src/entra-roles/errors.js";
import { FallbackRoleDirectory } from "../../src/entra-roles/fallbackRoleDirectory.js";
import { GraphRoleDirectory } from "../../src/entra-roles/graphRoleDirectory.js";
import { createRoleDirectory, createRoleDirectoryFromConfig } from "../../src/entra-roles/index.js";
import { TableRoleDirectory } from "../../src/entra-roles/tableRoleDirectory.js";
import { RoleAssignmentRepository } from "../../src/storage/repositories/roleAssignments.js";
import { freshTables } from "../helpers/azurite.js";
import { FakeGraph, GRAPH_ROLES } from "../helpers/fakeGraph.js";

const CONSENTED = "c0ffee00-0000-4000-8000-000000000001"; // granted the app RoleManagement.Read.Directory
const NO_CONSENT = "0c0c0c0c-0000-4000-8000-000000000003"; // app consented, no permission to read roles: 403
const NOT_INSTALLED = "0d0d0d0d-0000-4000-8000-000000000004"; // never consented: Entra ID refuses the token
const ADELE = "a1a1a1a1-1111-4111-8111-111111111111";
const BEN = "b2b2b2b2-2222-4222-8222-222222222222";

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  expect.fail("expected the lookup to fail");
}

describe("role lookups: Graph first, the Azurite role assignment table for tenants without Graph consent", function () {
  const graph = new FakeGraph();
  let assignments: RoleAssignmentRepository;
  let fallbacks: string[];

  const assign = (tenantId: string, userId: string, roleId: RoleTemplateId) =>
    assignments.upsert({ tenantId, userId, roleId, assignedAt: "2026-11-01T10:00:00.000Z" });

  const directory = () =>
    new FallbackRoleDirectory(
      new GraphRoleDirectory({
        baseUrl: graph.baseUrl,
        credentialFor: graph.credentialFor,
        retry: { maxAttempts: 2 },
        sleep: async () => {},
      }),
      new TableRoleDirectory(assignments),
      (tenantId) => fallbacks.push(tenantId),
    );

  before(async function () {
    this.timeout(60_000);
    await graph.start();
    graph
      .tenant(CONSENTED, { users: { [ADELE]: [GRAPH_ROLES.helpdeskAdministrator], [BEN]: [] } })
      .tenant(NO_CONSENT, { consent: "forbidden", users: { [ADELE]: [GRAPH_ROLES.helpdeskAdministrator] } })
      .tenant(NOT_INSTALLED, { consent: "notInstalled", users: {} });
    const { tables } = await freshTables();
    assignments = new RoleAssignmentRepository(tables.client("roles"));
    await assignments.upsert({
      tenantId: NO_CONSENT,
      userId: ADELE,
      roleId: ROLE.globalAdministrator,
      userName: "Adele from the table",
      assignedAt: "2026-11-01T10:00:00.000Z",
    });
    await assign(NO_CONSENT, ADELE, ROLE.billingAdministrator);
    await assign(NOT_INSTALLED, BEN, ROLE.billingAdministrator);
    // The table also holds a stale Global admin assignment in the consenting tenant: it must never be used there.
    await assignments.upsert({
      tenantId: CONSENTED,
      userId: BEN,
      roleId: ROLE.globalAdministrator,
      userName: "Stale Ben",
      assignedAt: "2026-11-01T10:00:00.000Z",
    });
  });

  beforeEach(() => {
    graph.reset();
    fallbacks = [];
  });

  after(() => graph.stop());

  it("answers from the table for a tenant whose Graph says 403 (no permission to read roles)", async () => {
    const roles = await directory().rolesOf(NO_CONSENT, ADELE);
    expect(roles).to.have.members([ROLE.globalAdministrator, ROLE.billingAdministrator]);
    expect(graph.requests).to.have.length(1);
    expect(fallbacks).to.deep.equal([NO_CONSENT]);
  });

  it("answers from the table for a tenant where the app was never consented (no token)", async () => {
    expect(await directory().rolesOf(NOT_INSTALLED, BEN)).to.deep.equal([ROLE.billingAdministrator]);
    expect(graph.requests).to.have.length(0);
  });

  it("answers no roles for a user the consent-less tenant's table does not list", async () => {
    expect(await directory().rolesOf(NO_CONSENT, BEN)).to.deep.equal([]);
  });

  it("uses Graph alone for a tenant that consented, never adding roles from the table", async () => {
    expect(await directory().rolesOf(CONSENTED, ADELE)).to.deep.equal([ROLE.helpdeskAdministrator]);
    expect(await directory().rolesOf(CONSENTED, BEN)).to.deep.equal([]);
    expect(fallbacks).to.deep.equal([]);
  });

  it("lets a Graph outage fail the lookup instead of trusting possibly stale table roles", async () => {
    graph.outage = { status: 503, retryAfter: "0" };
    const error = await rejection(directory().rolesOf(CONSENTED, BEN));
    expect(error).to.be.instanceOf(GraphUnavailableError);
    expect(graph.requests).to.have.length(2);
    expect(fallbacks).to.deep.equal([]);
  });

  it("names the role holders from the table for a tenant without consent, and from Graph alone for one with it", async () => {
    const deciders = [ROLE.globalAdministrator, ROLE.billingAdministrator];
    expect(await directory().holdersOf(NO_CONSENT, deciders)).to.deep.equal(["Adele from the table"]);
    // The consenting tenant's table still lists "Stale Ben" as Global admin; Graph knows nobody there holds either role.
    expect(await directory().holdersOf(CONSENTED, deciders)).to.deep.equal([]);
    expect(fallbacks).to.deep.equal([NO_CONSENT]);
  });

  it("lets a token endpoint outage fail the lookup too", async () => {
    graph.tokenFailure = new Error("connect ETIMEDOUT login.microsoftonline.com");
    expect(await rejection(directory().rolesOf(NO_CONSENT, ADELE))).to.be.instanceOf(GraphUnavailableError);
  });

  describe("createRoleDirectory", () => {
    it("source graph: falls back for a consent-less tenant and caches the answer", async () => {
      const roles = createRoleDirectory({
        source: "graph",
        graph: { baseUrl: graph.baseUrl, credentialFor: graph.credentialFor },
        assignments,
        cacheTtlMs: 60_000,
        onConsentFallback: (tenantId, reason) => {
          expect(reason).to.be.instanceOf(GraphConsentError);
          fallbacks.push(tenantId);
        },
      });
      expect(await roles.rolesOf(NO_CONSENT, ADELE)).to.have.members([ROLE.globalAdministrator, ROLE.billingAdministrator]);
      expect(await roles.rolesOf(NO_CONSENT, ADELE)).to.have.members([ROLE.globalAdministrator, ROLE.billingAdministrator]);
      expect(await roles.rolesOf(CONSENTED, ADELE)).to.deep.equal([ROLE.helpdeskAdministrator]);
      expect(graph.requests).to.have.length(2);
      expect(fallbacks).to.deep.equal([NO_CONSENT]);
    });

    it("source table: reads the table only, and never calls Graph", async () => {
      const roles = createRoleDirectory({ source: "table", assignments, cacheTtlMs: 0 });
      expect(await roles.rolesOf(CONSENTED, BEN)).to.deep.equal([ROLE.globalAdministrator]);
      expect(await roles.rolesOf("demo-tenant", "emulator-user")).to.deep.equal([]);
      expect(graph.requests).to.have.length(0);
    });

    it("source graph without graph options is a wiring mistake", () => {
      expect(() => createRoleDirectory({ source: "graph", assignments, cacheTtlMs: 0 })).to.throw(/needs graph options/);
    });

    it("a bot on a user-assigned managed identity reads a customer tenant's roles from the table (its identity lives in one tenant)", async () => {
      const config = loadConfig({
        MicrosoftAppId: "0a6f3c3e-5b7d-4e2a-9c1f-2d8e4b6a1c01",
        MicrosoftAppType: "UserAssignedMSI",
        MicrosoftAppTenantId: CONSENTED,
        ALLOWED_TENANTS: "*",
        GRAPH_BASE_URL: graph.baseUrl,
      });
      expect(config.roles.source).to.equal("graph");
      const roles = createRoleDirectoryFromConfig(config, assignments);
      expect(await roles.rolesOf(NO_CONSENT, ADELE)).to.have.members([ROLE.globalAdministrator, ROLE.billingAdministrator]);
      expect(graph.requests).to.have.length(0);
    });

    it("builds the table directory from a local-mode Config", async () => {
      const roles = createRoleDirectoryFromConfig(loadConfig({}), assignments);
      expect(await roles.rolesOf(NO_CONSENT, ADELE)).to.have.members([ROLE.globalAdministrator, ROLE.billingAdministrator]);
      expect(graph.requests).to.have.length(0);
    });
  });
});
