import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { loadConfig } from "../../src/config.js";
import { seedSimulatedPartnerCenter } from "../../src/demo/seed.js";
import { DEMO } from "../../src/demo/constants.js";
import { escapeHtml, SimulatedPartnerCenter, SIMULATION_TITLE } from "../../src/demo/simulated-partner-center/index.js";
import { MicrosoftSideSchema } from "../../src/domain/microsoftSide.js";
import { ROLE } from "../../src/domain/roles.js";
import { microsoftConnection, type MicrosoftEndpoints } from "../../src/microsoftWiring.js";

/**
 * The simulated Partner Center's customer side (the admin center pages a demo user opens from a card) and how the
 * app wires it in: the same Graph the tests trust, links of its own, and nothing that reaches Microsoft.
 */
const PARTNER = "5d027261-0000-4000-8000-000000000031";
const CUSTOMER = "4b827261-0000-4000-8000-000000000032";

/** What a browser does: read the page, then post its form (with the form's hidden fields) and follow nothing. */
async function postForm(pageUrl: string, action: string, extra: Record<string, string> = {}) {
  const page = await (await fetch(pageUrl)).text();
  const token = /name="token" value="([^"]+)"/.exec(page)?.[1];
  expect(token, "the page has a form").to.be.a("string");
  return fetch(new URL(action, pageUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: token!, ...extra }).toString(),
    redirect: "manual",
  });
}

describe("the simulated admin center", () => {
  const center = new SimulatedPartnerCenter();
  before(async () => {
    await center.start();
    center.partner(PARTNER, "granted", "Granular Partners");
  });
  after(() => center.stop());

  const pending = (displayName = "PD-pending", customerName = "Fabrikam") => {
    const seeded = center.seed(PARTNER, {
      displayName,
      customer: { tenantId: CUSTOMER, displayName: customerName },
      roleDefinitionIds: [ROLE.helpdeskAdministrator, ROLE.globalAdministrator],
      duration: "P180D",
      status: "approvalPending",
    });
    return seeded.id;
  };
  const statusOf = (id: string) => center.relationship(id)?.relationship.status;

  it("shows the approval link's page titled as a simulation, with the customer, the partner, the roles and the duration", async () => {
    const id = pending();
    const response = await fetch(center.approvalLink(id));
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).to.include("default-src 'none'");
    const page = await response.text();
    expect(page).to.include(`<title>${escapeHtml(SIMULATION_TITLE)}</title>`);
    expect(SIMULATION_TITLE).to.equal("Simulated Microsoft 365 admin center — Partner Desk demo, nothing here reaches Microsoft");
    for (const text of [
      "Granular Partners",
      "Fabrikam",
      CUSTOMER,
      "Helpdesk administrator",
      "Global administrator",
      "180 days",
      "Approve all",
    ])
      expect(page).to.include(text);
  });

  it("escapes everything it shows: a relationship's and a customer's names are text, never markup", async () => {
    const id = pending(`<img src=x onerror=alert(1)>`, `"><script>alert('c')</script>`);
    const page = await (await fetch(center.approvalLink(id))).text();
    expect(page).to.not.include("<script>alert").and.not.include("<img src=x");
    expect(page).to.include("&lt;img src=x onerror=alert(1)&gt;").and.include("&quot;&gt;&lt;script&gt;alert(&#39;c&#39;)&lt;/script&gt;");
    const list = await (await fetch(center.adminCenterUrl)).text();
    expect(list).to.include("&lt;script&gt;");
    expect(list).to.not.include("<script>alert");
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).to.equal("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });

  it("approves with Approve all (a POST), as customerApproves does: active, activated now, ending after its duration", async () => {
    const id = pending();
    const answer = await postForm(center.approvalLink(id), `${new URL(center.approvalLink(id)).pathname}/approve`);
    expect(answer.status).to.equal(303);
    expect(answer.headers.get("location")).to.equal(new URL(center.approvalLink(id)).pathname);
    const { relationship } = center.relationship(id)!;
    expect(relationship.status).to.equal("active");
    const days = (Date.parse(relationship.endDateTime!) - Date.parse(relationship.activatedDateTime!)) / 86_400_000;
    expect(days).to.equal(180);
    const page = await (await fetch(center.approvalLink(id))).text();
    expect(page).to.include('data-status="active"').and.include("Remove roles").and.not.include("Approve all");
  });

  it("refuses a form posted without the page's token (another site cannot approve for the admin), and changes nothing", async () => {
    const id = pending();
    const forged = await fetch(`${center.approvalLink(id)}/approve`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "token=guessed",
    });
    expect(forged.status).to.equal(403);
    expect(statusOf(id)).to.equal("approvalPending");
  });

  it("removes roles as the admin center does: Remove roles asks first, and Yes ends the relationship", async () => {
    const id = pending();
    center.customerApproves(id);
    const path = new URL(center.approvalLink(id)).pathname;
    const asked = await postForm(center.approvalLink(id), `${path}/remove-roles`);
    expect(asked.status).to.equal(200);
    expect(await asked.text())
      .to.include("This ends the relationship")
      .and.include(">Yes<");
    expect(statusOf(id), "nothing happens before Yes").to.equal("active");
    const yes = await postForm(center.approvalLink(id), `${path}/remove-roles`, { confirmed: "yes" });
    expect(yes.status).to.equal(303);
    expect(statusOf(id)).to.equal("terminated");
  });

  it("answers 404 for a relationship it does not hold, and 409 when there is nothing to approve", async () => {
    expect((await fetch(center.approvalLink("no-such-relationship"))).status).to.equal(404);
    const id = pending();
    center.customerApproves(id);
    const again = await postForm(center.approvalLink(id), `${new URL(center.approvalLink(id)).pathname}/remove-roles`);
    expect(again.status).to.equal(200);
    const approveActive = await postForm(center.approvalLink(id), `${new URL(center.approvalLink(id)).pathname}/approve`);
    expect(approveActive.status).to.equal(409);
  });

  it("grants a partner tenant's consent on its consent page", async () => {
    const tenant = "5d027261-0000-4000-8000-000000000039";
    center.partner(tenant, "noConsent");
    const answer = await postForm(center.adminConsentLink(tenant), new URL(center.adminConsentLink(tenant)).pathname);
    expect(answer.status).to.equal(303);
    expect(center.consentOf(tenant)).to.equal("granted");
  });
});

describe("the simulated Partner Center in the app's wiring", () => {
  const config = loadConfig({});
  let center: SimulatedPartnerCenter;
  let endpoints: MicrosoftEndpoints;
  let dataDir: string;
  const now = () => new Date("2026-12-01T10:00:00.000Z");

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "simulated-pc-"));
    center = await new SimulatedPartnerCenter().start({ stateFile: join(dataDir, "state.json") });
    seedSimulatedPartnerCenter(center);
    endpoints = {
      graphBaseUrl: center.baseUrl,
      token: (tenantId) => center.tokenFor(tenantId)(),
      adminConsentLink: (tenantId) => center.adminConsentLink(tenantId),
      approvalLink: (id) => center.approvalLink(id),
    };
  });
  afterEach(async () => {
    await center.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("lets the demo partner connect at once: its simulated tenant has consented", async () => {
    const microsoft = microsoftConnection(config, undefined, now, endpoints);
    expect(await microsoftConnection(config).checkConnection(DEMO.partnerContact.tenantId)).to.deep.include({ ok: false });
    expect(await microsoft.checkConnection(DEMO.partnerContact.tenantId)).to.deep.equal({ ok: true, value: { relationships: 0 } });
    expect(microsoft.adminConsentLink(DEMO.partnerContact.tenantId)).to.equal(center.adminConsentLink(DEMO.partnerContact.tenantId));
  });

  it("stores the simulated admin center's approval link with a GDAP request, which the model accepts on loopback only", async () => {
    const microsoft = microsoftConnection(config, undefined, now, endpoints);
    const side = await microsoft.requestRelationship(DEMO.partnerContact.tenantId, {
      displayName: "PD-demo",
      customerTenantId: DEMO.customerTenantId,
      customerName: DEMO.customerName,
      roles: [ROLE.helpdeskAdministrator],
      durationDays: 90,
    });
    if (!side.ok) throw new Error(side.code);
    expect(side.value.approvalLink).to.equal(center.approvalLink(side.value.relationshipId));
    expect(side.value.approvalLink).to.match(/^http:\/\/127\.0\.0\.1:\d+\/admin-center\/relationships\//);
    expect(MicrosoftSideSchema.safeParse(side.value).success).to.equal(true);
    expect(MicrosoftSideSchema.safeParse({ ...side.value, approvalLink: "http://example.com/admin" }).success).to.equal(false);
    expect(center.relationshipsOf(DEMO.partnerContact.tenantId)).to.have.length(1);
  });

  it("completes a partner's terminate request on its own, as Microsoft does, when the demo asks it to", async () => {
    const { id } = center.seed(DEMO.partnerContact.tenantId, {
      displayName: "PD-ending",
      customer: { tenantId: DEMO.customerTenantId },
      status: "active",
    });
    const call = async (method: string, path: string, body?: unknown) =>
      fetch(`${center.baseUrl}/tenantRelationships/delegatedAdminRelationships/${id}${path}`, {
        method,
        headers: { authorization: `Bearer ${await center.tokenFor(DEMO.partnerContact.tenantId)()}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    expect((await call("POST", "/requests", { action: "terminate" })).status).to.equal(201);
    expect(((await (await call("GET", "")).json()) as { status: string }).status, "the tests' fake waits to be told").to.equal(
      "terminationRequested",
    );
    center.completesTerminations = true;
    expect(((await (await call("GET", "")).json()) as { status: string }).status).to.equal("terminated");
  });

  it("keeps its relationships in its state file, so a restart finds the ones Partner Desk's invitations point at", async () => {
    const seeded = center.seed(DEMO.partnerContact.tenantId, { displayName: "PD-kept", customer: { tenantId: DEMO.customerTenantId } });
    await center.stop();
    expect(JSON.parse(readFileSync(join(dataDir, "state.json"), "utf8")).relationships).to.have.length(1);
    const restarted = await new SimulatedPartnerCenter().start({ stateFile: join(dataDir, "state.json") });
    try {
      expect(restarted.relationship(seeded.id)?.relationship).to.deep.equal(seeded);
      expect(restarted.consentOf(DEMO.partnerContact.tenantId)).to.equal("granted");
    } finally {
      await restarted.stop();
    }
  });
});
