import { expect } from "chai";
import { FakeGdap } from "../helpers/fakeGdap.js";

/**
 * The loopback delegatedAdminRelationships API itself, spoken to over raw HTTP: the refusals Microsoft documents,
 * which the client checks before sending and so never shows the fake.
 */
const PARTNER = "5d027261-0000-4000-8000-000000000021";
const CUSTOMER = "4b827261-0000-4000-8000-000000000022";
const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
const HELPDESK_ADMINISTRATOR = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

describe("FakeGdap (the loopback delegatedAdminRelationships API)", () => {
  const graph = new FakeGdap();
  let token: string;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${graph.baseUrl}/tenantRelationships/delegatedAdminRelationships${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, location: response.headers.get("location") };
  };
  const relationship = (displayName: string, extra: Record<string, unknown> = {}) => ({
    displayName,
    duration: "P730D",
    customer: { tenantId: CUSTOMER },
    accessDetails: { unifiedRoles: [{ roleDefinitionId: HELPDESK_ADMINISTRATOR }] },
    ...extra,
  });

  before(async () => {
    await graph.start();
    graph.partner(PARTNER);
    token = await graph.tokenFor(PARTNER)();
  });
  after(() => graph.stop());

  it("refuses a display name over 50 characters, a duration outside P1D-P2Y, and auto-extension with Global Administrator", async () => {
    const answers = await Promise.all([
      call("POST", "", relationship("x".repeat(51))),
      call("POST", "", relationship("Too long", { duration: "P3Y" })),
      call("POST", "", relationship("Too short", { duration: "P0D" })),
      call(
        "POST",
        "",
        relationship("Extends GA", {
          autoExtendDuration: "P180D",
          accessDetails: { unifiedRoles: [{ roleDefinitionId: GLOBAL_ADMINISTRATOR }] },
        }),
      ),
      call("POST", "", relationship("Odd extension", { autoExtendDuration: "P90D" })),
    ]);
    expect(answers.map((a) => a.status)).to.deep.equal([400, 400, 400, 400, 400]);
  });

  it("answers 201 with an @odata.etag and a Location, and 409 to a second relationship of the same display name", async () => {
    const first = await call("POST", "", relationship("Unique name"));
    expect(first.status).to.equal(201);
    expect(first.body["@odata.etag"]).to.match(/^W\/"/);
    expect(first.location).to.contain(first.body.id);
    expect((await call("POST", "", relationship("Unique name"))).status).to.equal(409);
  });

  it("requires If-Match on PATCH, answers 412 to a stale one, and changes a created relationship with a fresh one", async () => {
    const created = (await call("POST", "", relationship("Patched"))).body;
    expect((await call("PATCH", `/${created.id}`, { duration: "P30D" })).status).to.equal(400);
    expect((await call("PATCH", `/${created.id}`, { duration: "P30D" }, { "if-match": 'W/"stale"' })).status).to.equal(412);
    const patched = await call("PATCH", `/${created.id}`, { duration: "P30D" }, { "if-match": created["@odata.etag"] });
    expect(patched.status).to.equal(200);
    expect(patched.body.duration).to.equal("P30D");
    expect(patched.body["@odata.etag"]).to.not.equal(created["@odata.etag"]);
  });

  it("lets an active relationship lose roles (202, a long-running operation) but never gain one", async () => {
    const created = (
      await call("POST", "", relationship("Active", { accessDetails: { unifiedRoles: [{ roleDefinitionId: HELPDESK_ADMINISTRATOR }] } }))
    ).body;
    expect((await call("POST", `/${created.id}/requests`, { action: "lockForApproval" })).status).to.equal(201);
    graph.customerApproves(created.id);
    const active = (await call("GET", `/${created.id}`)).body;
    const gain = {
      accessDetails: { unifiedRoles: [{ roleDefinitionId: HELPDESK_ADMINISTRATOR }, { roleDefinitionId: GLOBAL_ADMINISTRATOR }] },
    };
    expect((await call("PATCH", `/${created.id}`, gain, { "if-match": active["@odata.etag"] })).status).to.equal(400);
    expect((await call("PATCH", `/${created.id}`, { displayName: "Renamed" }, { "if-match": active["@odata.etag"] })).status).to.equal(400);
  });

  it("leaves approval to the customer: approve and reject are refused, lockForApproval only from created", async () => {
    const created = (await call("POST", "", relationship("Customer decides"))).body;
    expect((await call("POST", `/${created.id}/requests`, { action: "approve" })).status).to.equal(400);
    expect((await call("POST", `/${created.id}/requests`, { action: "reject" })).status).to.equal(400);
    expect((await call("POST", `/${created.id}/requests`, { action: "terminate" })).status).to.equal(400);
    const lock = await call("POST", `/${created.id}/requests`, { action: "lockForApproval" });
    expect(lock.body).to.include({ action: "lockForApproval", status: "created" });
    expect((await call("POST", `/${created.id}/requests`, { action: "lockForApproval" })).status).to.equal(400);
    expect(() => graph.timePasses(created.id, "expired")).to.throw();
  });
});
