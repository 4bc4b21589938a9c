import { expect } from "chai";
import {
  GDAP_ERROR,
  GdapClient,
  type GdapClientOptions,
  type GdapResult,
  type NewGdapRelationship,
} from "../../src/microsoft/gdap/index.js";
import { FakeGdap } from "../helpers/fakeGdap.js";

const PARTNER = "5d027261-0000-4000-8000-000000000011";
const NO_CONSENT = "5d027261-0000-4000-8000-000000000012";
const NO_PERMISSION = "5d027261-0000-4000-8000-000000000013";
const NO_SERVICE_PRINCIPAL = "5d027261-0000-4000-8000-000000000014";
const CUSTOMER = "4b827261-0000-4000-8000-000000000015";
const HELPDESK_ADMINISTRATOR = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

const invitation = (displayName: string): NewGdapRelationship => ({
  displayName,
  duration: "P90D",
  customer: { tenantId: CUSTOMER },
  roleDefinitionIds: [HELPDESK_ADMINISTRATOR],
});

const codeOf = (result: GdapResult<unknown>) => (result.ok ? "ok" : result.code);

describe("GdapClient when Graph refuses, throttles or is down", () => {
  const graph = new FakeGdap();
  let sleeps: number[];
  const client = (options: Partial<GdapClientOptions> = {}, partner = PARTNER) =>
    new GdapClient({
      baseUrl: graph.baseUrl,
      token: graph.tokenFor(partner),
      sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
      ...options,
    });

  before(async () => {
    await graph.start();
    graph
      .partner(PARTNER)
      .partner(NO_CONSENT, "noConsent")
      .partner(NO_PERMISSION, "noPermission")
      .partner(NO_SERVICE_PRINCIPAL, "noServicePrincipal");
    for (let i = 1; i <= 5; i++) graph.seed(PARTNER, { displayName: `Made in Partner Center ${i}`, customer: { tenantId: CUSTOMER } });
  });
  after(() => graph.stop());
  beforeEach(() => {
    graph.reset();
    sleeps = [];
  });

  it("names each thing the partner must fix: consent, the permission, the service principal", async () => {
    const answers = await Promise.all([
      client({}, NO_CONSENT).listRelationships(),
      client({}, NO_PERMISSION).listRelationships(),
      client({}, NO_SERVICE_PRINCIPAL).listRelationships(),
    ]);
    expect(answers.map(codeOf)).to.deep.equal([GDAP_ERROR.NO_CONSENT, GDAP_ERROR.PERMISSION_MISSING, GDAP_ERROR.SERVICE_PRINCIPAL_MISSING]);
    const [consent, permission, principal] = answers.map((a) => (a.ok ? "" : a.message));
    expect(consent).to.contain("AADSTS65001");
    expect(permission).to.contain("DelegatedAdminRelationship.ReadWrite.All");
    expect(principal).to.contain("2832473f-ec63-45fb-976f-5d45a7d4bb91");
  });

  it("reports a token Graph does not accept as refused, and never puts the token in the message", async () => {
    const result = await client({ token: async () => "not-a-token-graph-issued" }).listRelationships();
    expect(codeOf(result)).to.equal(GDAP_ERROR.TOKEN_REFUSED);
    expect(result.ok || result.message).to.not.contain("not-a-token-graph-issued");
  });

  it("reads every page, asking Graph for the page size it was given", async () => {
    const listed = await client({ pageSize: 2 }).listRelationships();
    expect(listed.ok && listed.value.map((r) => r.displayName)).to.deep.equal([1, 2, 3, 4, 5].map((i) => `Made in Partner Center ${i}`));
    const gets = graph.requests.filter((r) => r.method === "GET");
    expect(gets).to.have.length(3);
    expect(gets[0]!.query.$top).to.equal("2");
    expect(gets[1]!.query.$skiptoken).to.equal("2");
  });

  it("refuses to follow a nextLink to another host with the partner's token", async () => {
    graph.answerNext({ status: 200, body: { value: [], "@odata.nextLink": "https://evil.example/v1.0/next" } });
    const result = await client().listRelationships();
    expect(codeOf(result)).to.equal(GDAP_ERROR.BAD_RESPONSE);
    expect(graph.requests).to.have.length(1);
  });

  it("waits what a 429's Retry-After asks, then succeeds", async () => {
    graph.answerNext({ status: 429, retryAfter: "3" }, { status: 429, retryAfter: "1" });
    const listed = await client().listRelationships();
    expect(listed.ok).to.be.true;
    expect(sleeps).to.deep.equal([3000, 1000]);
  });

  it("retries a throttled create (Graph did not take it) and creates exactly one", async () => {
    graph.answerNext({ status: 429, retryAfter: "2" });
    const created = await client().createRelationship(invitation("Throttled create"));
    expect(created.ok).to.be.true;
    expect(sleeps).to.deep.equal([2000]);
    expect(graph.relationshipsOf(PARTNER).filter((r) => r.displayName === "Throttled create")).to.have.length(1);
  });

  it("gives up at once when Retry-After asks for longer than it may wait, and says how long", async () => {
    graph.answerNext({ status: 429, retryAfter: "120" });
    const result = await client({ maxDelayMs: 5_000 }).listRelationships();
    expect(codeOf(result)).to.equal(GDAP_ERROR.UNAVAILABLE);
    expect(result.ok || result.details?.retryAfterMs).to.equal(120_000);
    expect(sleeps).to.deep.equal([]);
  });

  it("reports an outage as unavailable and creates nothing", async () => {
    graph.outage = { status: 503 };
    const result = await client().ensureRelationship(invitation("During the outage"));
    expect(codeOf(result)).to.equal(GDAP_ERROR.UNAVAILABLE);
    expect(graph.requests.every((r) => r.method === "GET")).to.be.true;
    graph.outage = undefined;
    expect(graph.relationshipsOf(PARTNER).some((r) => r.displayName === "During the outage")).to.be.false;
  });

  it("does not send a create again after a gateway timeout, which it may have carried out", async () => {
    graph.answerNext({ status: 504 });
    const result = await client().createRelationship(invitation("Maybe created"));
    expect(codeOf(result)).to.equal(GDAP_ERROR.UNAVAILABLE);
    expect(graph.requests.filter((r) => r.method === "POST")).to.have.length(1);
  });

  it("gives a request that hangs up its timeout as unavailable", async () => {
    graph.answerNext({ status: 200, delayMs: 1_000 });
    const result = await client({ timeoutMs: 100, maxAttempts: 1 }).listRelationships();
    expect(codeOf(result)).to.equal(GDAP_ERROR.UNAVAILABLE);
    expect(result.ok || result.message).to.contain("100 ms");
  });

  it("never uses an answer that does not match Graph's documented shape", async () => {
    graph.answerNext({
      status: 200,
      body: { value: [{ id: "r1", displayName: "No ETag", duration: "P1D", status: "active", accessDetails: { unifiedRoles: [] } }] },
    });
    const result = await client().listRelationships();
    expect(codeOf(result)).to.equal(GDAP_ERROR.BAD_RESPONSE);
    expect(result.ok || result.message).to.contain("@odata.etag");
  });

  it("answers a relationship that does not exist with not found", async () => {
    expect(codeOf(await client().getRelationship("no-such-relationship"))).to.equal(GDAP_ERROR.NOT_FOUND);
    expect(codeOf(await client().lockForApproval("no-such-relationship"))).to.equal(GDAP_ERROR.NOT_FOUND);
  });

  it("reports an action Graph refuses in the relationship's status as invalid (lock twice)", async () => {
    const gdap = client();
    const created = await gdap.createRelationship(invitation("Locked twice"));
    if (!created.ok) expect.fail(created.message);
    expect(codeOf(await gdap.lockForApproval(created.value.id))).to.equal("ok");
    expect(codeOf(await gdap.lockForApproval(created.value.id))).to.equal(GDAP_ERROR.INVALID_REQUEST);
  });
});
