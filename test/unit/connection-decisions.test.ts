import { expect } from "chai";
import { AuditEventSchema } from "../../src/domain/audit.js";
import { CONNECTION_ERRORS, connectPartner, disconnectPartner, recordFailedCheck } from "../../src/domain/connectionDecisions.js";
import type { DecisionContext } from "../../src/domain/decisionRows.js";
import { CONNECTION_CHECK_OK, PartnerConnectionSchema, type PartnerConnection } from "../../src/domain/partnerConnection.js";
import { ROWS } from "../../src/storage/rowMappings.js";

const NOW = "2026-03-10T09:00:00.000Z";
const EARLIER = "2026-01-05T08:00:00.000Z";
const PARTNER_TENANT = "d0d0d0d0-0000-4000-8000-000000000001";
const PARTNER = "contoso-cloud-partners";
const CONTACT = { userId: "d0d0d0d0-0000-4000-8000-0000000000c1", name: "Paula Partner" };
const EARLIER_CONTACT = { userId: "d0d0d0d0-0000-4000-8000-0000000000c2", name: "Per Previous" };

function context(): DecisionContext {
  let counter = 0;
  return { tenantId: PARTNER_TENANT, actor: CONTACT, now: NOW, correlationId: "corr-1", newId: () => `id-${++counter}` };
}

const connected = (overrides: Partial<PartnerConnection> = {}): PartnerConnection =>
  PartnerConnectionSchema.parse({
    partnerId: PARTNER,
    partnerTenantId: PARTNER_TENANT,
    status: "connected",
    checkedAt: EARLIER,
    checkedBy: EARLIER_CONTACT,
    lastCheck: CONNECTION_CHECK_OK,
    relationshipsVisible: 3,
    connectedAt: EARLIER,
    connectedBy: EARLIER_CONTACT,
    ...overrides,
  });

describe("connecting a partner to Microsoft", () => {
  it("marks a partner that never connected as connected now, by the contact who checked, with what Graph showed", () => {
    const { connection } = connectPartner(undefined, { partnerId: PARTNER, relationships: 7 }, context());
    expect(PartnerConnectionSchema.parse(connection)).to.deep.equal({
      partnerId: PARTNER,
      partnerTenantId: PARTNER_TENANT,
      status: "connected",
      checkedAt: NOW,
      checkedBy: CONTACT,
      lastCheck: CONNECTION_CHECK_OK,
      relationshipsVisible: 7,
      connectedAt: NOW,
      connectedBy: CONTACT,
    });
  });

  it("writes the connection and its audit event in the partner's own tenant, keyed by the partner", () => {
    const { decision, audit } = connectPartner(undefined, { partnerId: PARTNER, relationships: 0 }, context());
    expect(decision.tenantId).to.equal(PARTNER_TENANT);
    expect(decision.writes.map((w) => w.kind)).to.deep.equal(["connection", "audit"]);
    expect(AuditEventSchema.parse(audit)).to.deep.include({
      tenantId: PARTNER_TENANT,
      action: "connection.connect",
      target: `partner:${PARTNER}/connection`,
      before: null,
    });
    const connection = decision.writes[0]!.value as PartnerConnection;
    expect(ROWS.connection.keys(connection)).to.deep.equal({ partitionKey: PARTNER_TENANT, rowKey: `conn|${PARTNER}` });
  });

  it("keeps when and by whom a connected partner first connected when someone checks again, and audits it as a check", () => {
    const { connection, audit } = connectPartner(connected(), { partnerId: PARTNER, relationships: 4 }, context());
    expect(connection).to.deep.include({ connectedAt: EARLIER, connectedBy: EARLIER_CONTACT, checkedAt: NOW, relationshipsVisible: 4 });
    expect(audit.action).to.equal("connection.check");
    expect(audit.before).to.deep.equal({ status: "connected", relationshipsVisible: 3 });
  });

  it("connects a disconnected partner again as of now, forgetting the disconnection", () => {
    const before = connected({ status: "disconnected", disconnectedAt: EARLIER, disconnectedBy: EARLIER_CONTACT });
    const { connection, audit } = connectPartner(before, { partnerId: PARTNER, relationships: 1 }, context());
    expect(connection).to.deep.include({ status: "connected", connectedAt: NOW, connectedBy: CONTACT });
    expect(connection).to.not.have.property("disconnectedAt");
    expect(audit.action).to.equal("connection.connect");
  });
});

describe("disconnecting a partner from Microsoft", () => {
  it("marks a connected partner disconnected now, by the contact, and keeps the rest of its history", () => {
    const result = disconnectPartner(connected(), context());
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.value.connection).to.deep.include({
      status: "disconnected",
      disconnectedAt: NOW,
      disconnectedBy: CONTACT,
      connectedAt: EARLIER,
    });
    expect(result.value.audit).to.deep.include({ action: "connection.disconnect", before: { status: "connected" } });
    expect(result.value.decision).to.deep.include({ tenantId: PARTNER_TENANT });
    expect(result.value.decision.writes.map((w) => w.kind)).to.deep.equal(["connection", "audit"]);
  });

  it("refuses to disconnect a partner that never connected or is already disconnected", () => {
    for (const before of [undefined, connected({ status: "disconnected" })]) {
      const result = disconnectPartner(before, context());
      expect(result).to.deep.include({ ok: false, code: CONNECTION_ERRORS.notConnected });
    }
  });
});

describe("a refused check of a connected partner", () => {
  it("records the code, when and by whom, keeps the connection's status and history, and audits it", () => {
    const failed = recordFailedCheck(connected(), "GDAP.NO_CONSENT", true, context());
    expect(failed?.connection).to.deep.equal({ ...connected(), checkedAt: NOW, checkedBy: CONTACT, lastCheck: "GDAP.NO_CONSENT" });
    expect(failed?.audit).to.deep.include({
      action: "connection.checkFailed",
      before: { lastCheck: CONNECTION_CHECK_OK },
      after: { lastCheck: "GDAP.NO_CONSENT" },
    });
    expect(failed?.decision.writes.map((w) => w.kind)).to.deep.equal(["connection", "audit"]);
  });

  it("stores nothing for a transient failure, or for a partner that is not connected", () => {
    expect(recordFailedCheck(connected(), "GDAP.UNAVAILABLE", false, context())).to.equal(undefined);
    expect(recordFailedCheck(undefined, "GDAP.NO_CONSENT", true, context())).to.equal(undefined);
    expect(recordFailedCheck(connected({ status: "disconnected" }), "GDAP.NO_CONSENT", true, context())).to.equal(undefined);
  });
});
