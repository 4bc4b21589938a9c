import { expect } from "chai";
import {
  approvalLink,
  GDAP_ERROR,
  GdapClient,
  type GdapClientOptions,
  type GdapResult,
  type NewGdapRelationship,
} from "../../src/microsoft/gdap/index.js";
import { FakeGdap } from "../helpers/fakeGdap.js";

const PARTNER = "5d027261-0000-4000-8000-000000000001";
const CUSTOMER = "4b827261-0000-4000-8000-000000000002";
const OTHER_CUSTOMER = "4b827261-0000-4000-8000-000000000003";
const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
const HELPDESK_ADMINISTRATOR = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";

function value<T>(result: GdapResult<T>): T {
  if (!result.ok) expect.fail(`expected success, got ${result.code}: ${result.message}`);
  return result.value;
}

const invitation = (overrides: Partial<NewGdapRelationship> = {}): NewGdapRelationship => ({
  displayName: "Partner Desk - Contoso - 1",
  duration: "P730D",
  customer: { tenantId: CUSTOMER, displayName: "Contoso" },
  roleDefinitionIds: [GLOBAL_ADMINISTRATOR, HELPDESK_ADMINISTRATOR],
  ...overrides,
});

describe("GdapClient (against a loopback delegatedAdminRelationships API)", () => {
  const graph = new FakeGdap();
  let sleeps: number[];
  let counter = 0;
  const client = (options: Partial<GdapClientOptions> = {}) =>
    new GdapClient({
      baseUrl: graph.baseUrl,
      token: graph.tokenFor(PARTNER),
      sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
      ...options,
    });
  const name = () => `Partner Desk - Contoso - ${++counter}`;
  const posts = () => graph.requests.filter((r) => r.method === "POST" && r.path.endsWith("/delegatedAdminRelationships"));

  before(async () => {
    await graph.start();
    graph.partner(PARTNER);
  });
  after(() => graph.stop());
  beforeEach(() => {
    graph.reset();
    sleeps = [];
  });

  it("creates a relationship, locks it for approval, and lists it active with Microsoft's dates once the customer approves", async () => {
    const gdap = client();
    const created = value(await gdap.createRelationship(invitation({ displayName: name() })));
    expect(created.status).to.equal("created");
    expect(created.activatedDateTime).to.equal(undefined);
    expect(value(await gdap.lockForApproval(created.id)).action).to.equal("lockForApproval");
    expect(value(await gdap.getRelationship(created.id)).status).to.equal("approvalPending");
    expect(approvalLink(created.id)).to.equal(
      `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${created.id}`,
    );

    graph.customerApproves(created.id);
    const listed = value(await gdap.listRelationships()).find((r) => r.id === created.id)!;
    expect(listed.status).to.equal("active");
    const activated = Date.parse(listed.activatedDateTime!);
    expect(Date.parse(listed.endDateTime!) - activated).to.equal(730 * 24 * 60 * 60 * 1000);
    expect(listed.roleDefinitionIds).to.deep.equal([GLOBAL_ADMINISTRATOR, HELPDESK_ADMINISTRATOR]);
    expect(listed.etag).to.not.equal(created.etag);
    expect(graph.requests.every((r) => r.tenantId === PARTNER)).to.be.true;
  });

  it("asks for no auto-extension when Global Administrator is among the roles, and 180 days otherwise", async () => {
    const gdap = client();
    value(await gdap.createRelationship(invitation({ displayName: name() })));
    value(await gdap.createRelationship(invitation({ displayName: name(), roleDefinitionIds: [HELPDESK_ADMINISTRATOR] })));
    expect(posts().map((r) => (r.body as { autoExtendDuration: string }).autoExtendDuration)).to.deep.equal(["PT0S", "P180D"]);
  });

  it("creates one relationship however often the same invitation is sent, even twice at once", async () => {
    const gdap = client();
    const input = invitation({ displayName: name() });
    const first = value(await gdap.ensureRelationship(input));
    const again = value(await gdap.ensureRelationship(input));
    expect([first.created, again.created]).to.deep.equal([true, false]);
    expect(again.relationship.id).to.equal(first.relationship.id);

    const racing = invitation({ displayName: name() });
    const both = await Promise.all([gdap.ensureRelationship(racing), gdap.ensureRelationship(racing)]);
    const ids = both.map((result) => value(result).relationship.id);
    expect(ids[0]).to.equal(ids[1]);
    expect(graph.relationshipsOf(PARTNER).filter((r) => r.displayName === racing.displayName)).to.have.length(1);
  });

  it("refuses to reuse a display name the partner already gave a relationship with another customer", async () => {
    const gdap = client();
    const taken = name();
    value(await gdap.createRelationship(invitation({ displayName: taken, customer: { tenantId: OTHER_CUSTOMER } })));
    const result = await gdap.ensureRelationship(invitation({ displayName: taken }));
    expect(result.ok || result.code).to.equal(GDAP_ERROR.DUPLICATE_NAME);
    const direct = await gdap.createRelationship(invitation({ displayName: taken }));
    expect(direct.ok || direct.code).to.equal(GDAP_ERROR.DUPLICATE_NAME);
  });

  it("finds a relationship by a display name with a quote in it (the OData literal is escaped)", async () => {
    const gdap = client();
    const quoted = `O'Brien's - ${++counter}`;
    const created = value(await gdap.createRelationship(invitation({ displayName: quoted })));
    expect(value(await gdap.findByDisplayName(quoted))?.id).to.equal(created.id);
    expect(graph.requests.at(-1)!.query.$filter).to.equal(`displayName eq '${quoted.replaceAll("'", "''")}'`);
    expect(graph.requests.at(-1)!.search).to.match(/^\?\$filter=displayName%20eq%20/);
  });

  it("removes a role with the ETag it read, and answers a stale ETag with a conflict value, not a retry", async () => {
    const gdap = client();
    const created = value(await gdap.createRelationship(invitation({ displayName: name() })));
    value(await gdap.lockForApproval(created.id));
    graph.customerApproves(created.id);
    const active = value(await gdap.getRelationship(created.id));

    const stale = await gdap.updateAccessDetails({ ...active, etag: created.etag }, [HELPDESK_ADMINISTRATOR]);
    expect(stale.ok || stale.code).to.equal(GDAP_ERROR.CONFLICT);
    expect(graph.requests.filter((r) => r.method === "PATCH")).to.have.length(1);

    const update = value(await gdap.updateAccessDetails(active, [HELPDESK_ADMINISTRATOR]));
    expect(update.kind).to.equal("accepted");
    const patch = graph.requests.filter((r) => r.method === "PATCH").at(-1)!;
    expect(patch.ifMatch).to.equal(active.etag);
    expect(patch.body).to.deep.equal({ accessDetails: { unifiedRoles: [{ roleDefinitionId: HELPDESK_ADMINISTRATOR }] } });
    expect(value(await gdap.getRelationship(created.id)).roleDefinitionIds).to.deep.equal([HELPDESK_ADMINISTRATOR]);
  });

  it("changes roles only while the relationship is active, without asking Graph otherwise", async () => {
    const gdap = client();
    const created = value(await gdap.createRelationship(invitation({ displayName: name() })));
    graph.reset();
    const result = await gdap.updateAccessDetails(created, [HELPDESK_ADMINISTRATOR]);
    expect(result.ok || result.code).to.equal(GDAP_ERROR.NOT_ACTIVE);
    expect(graph.requests).to.deep.equal([]);
  });

  it("terminates, and follows Microsoft through terminating to terminated; and an active one through expiring to expired", async () => {
    const gdap = client();
    const ending = value(await gdap.createRelationship(invitation({ displayName: name() })));
    const lapsing = value(await gdap.createRelationship(invitation({ displayName: name() })));
    for (const r of [ending, lapsing]) {
      value(await gdap.lockForApproval(r.id));
      graph.customerApproves(r.id);
    }
    expect(value(await gdap.terminate(ending.id)).action).to.equal("terminate");
    expect(value(await gdap.getRelationship(ending.id)).status).to.equal("terminationRequested");
    graph.terminationCompletes(ending.id);
    expect(value(await gdap.getRelationship(ending.id)).status).to.equal("terminated");

    graph.timePasses(lapsing.id, "expiring");
    expect(value(await gdap.getRelationship(lapsing.id)).status).to.equal("expiring");
    graph.timePasses(lapsing.id, "expired");
    expect(value(await gdap.getRelationship(lapsing.id)).status).to.equal("expired");
  });

  it("refuses what the documentation forbids before sending anything", async () => {
    const gdap = client();
    const refusals = await Promise.all([
      gdap.createRelationship(invitation({ displayName: "x".repeat(51) })),
      gdap.createRelationship(invitation({ displayName: name(), duration: "P731D" })),
      gdap.createRelationship(invitation({ displayName: name(), duration: "PT12H" })),
      gdap.createRelationship(invitation({ displayName: name(), autoExtendDuration: "P180D" })),
      gdap.createRelationship(invitation({ displayName: name(), roleDefinitionIds: [] })),
    ]);
    expect(refusals.map((r) => r.ok || r.code)).to.deep.equal(Array(5).fill(GDAP_ERROR.INVALID_REQUEST));
    expect(graph.requests).to.deep.equal([]);
  });

  it("reports a role change that would leave no role as invalid: ending is a termination", async () => {
    const result = await client().updateAccessDetails({ id: "x", etag: 'W/"1"', status: "active" }, []);
    expect(result.ok || result.code).to.equal(GDAP_ERROR.INVALID_REQUEST);
  });

  it("uses Graph's own refusal when it refuses a create (400)", async () => {
    graph.answerNext({ status: 400, body: { error: { code: "BadRequest", message: "Invalid role." } } });
    const result = await client().createRelationship(invitation({ displayName: name(), roleDefinitionIds: [USER_ADMINISTRATOR] }));
    expect(result.ok || result.code).to.equal(GDAP_ERROR.INVALID_REQUEST);
    expect(result.ok || result.message).to.contain("Invalid role.");
  });
});
