import { expect } from "chai";
import { write } from "../../src/domain/decision.js";
import type { PartnerConnection } from "../../src/domain/partnerConnection.js";
import { pointersOf, pointersOfWrites } from "../../src/domain/workIndex.js";
import { PARTNER_WORK_POINTER_ROW, SYNC_POINTER_ROW } from "../../src/storage/rowMappings.js";

const TENANT = "c0ffee00-0000-4000-8000-000000000001";
const request = {
  id: "CR-1",
  tenantId: TENANT,
  partnerIds: ["contoso", "fabrikam", "contoso"],
  businessNeeds: "Mailboxes",
  requester: { userId: "u", name: "Ada" },
  createdAt: "2026-11-01T10:00:00.000Z",
};
const invitation = {
  id: "inv-1",
  tenantId: TENANT,
  partnerId: "contoso",
  partnerName: "Contoso",
  relationshipTypes: ["reseller" as const],
  roles: [],
  durationDays: 90,
  message: "",
  status: "pending" as const,
  createdAt: "2026-11-02T10:00:00.000Z",
  expiresAt: "2027-01-01T00:00:00.000Z",
};
const connection = (status: PartnerConnection["status"]): PartnerConnection => ({
  partnerId: "contoso",
  partnerTenantId: "d0d0d0d0-0000-4000-8000-000000000001",
  status,
  checkedAt: "2026-11-01T10:00:00.000Z",
  checkedBy: { userId: "u", name: "Sanna" },
  lastCheck: "CONNECTION.OK",
});

describe("work-index pointers: which rows a write needs, and where they are kept", () => {
  it("points every partner a new contact request names (once each) at its row", () => {
    expect(pointersOf(write.contactRequest(request), true).partnerWork).to.deep.equal([
      { partnerId: "contoso", record: "creq", tenantId: TENANT, id: "CR-1", createdAt: request.createdAt },
      { partnerId: "fabrikam", record: "creq", tenantId: TENANT, id: "CR-1", createdAt: request.createdAt },
    ]);
  });

  it("points a partner at its new invitation and relationship, and writes nothing when a row is only replaced", () => {
    expect(pointersOf(write.invitation(invitation), true).partnerWork).to.deep.equal([
      { partnerId: "contoso", record: "inv", tenantId: TENANT, id: "inv-1", createdAt: invitation.createdAt },
    ]);
    expect(pointersOf(write.invitation({ ...invitation, status: "accepted" }), false)).to.deep.equal({ partnerWork: [], sync: [] });
    expect(pointersOf(write.contactRequest(request), false)).to.deep.equal({ partnerWork: [], sync: [] });
  });

  it("follows a partner whenever its connection is written connected, and never a disconnected one", () => {
    const followed = { partnerTenantId: "d0d0d0d0-0000-4000-8000-000000000001", partnerId: "contoso" };
    expect(pointersOf(write.connection(connection("connected")), false).sync).to.deep.equal([followed]);
    expect(pointersOf(write.connection(connection("connected")), true).sync).to.deep.equal([followed]);
    expect(pointersOf(write.connection(connection("disconnected")), true).sync).to.deep.equal([]);
  });

  it("needs no pointer for an audit event, an outbox row or a profile", () => {
    const writes = [write.tenantProfile({ tenantId: TENANT, displayName: "Northwind", updatedAt: "2026-11-01T10:00:00.000Z" })];
    expect(pointersOfWrites(writes, () => true)).to.deep.equal({ partnerWork: [], sync: [] });
  });

  it("keeps a partner's pointers in its own partition, newest first within each kind, relationships by customer", () => {
    const [older] = pointersOf(write.invitation(invitation), true).partnerWork;
    const [newer] = pointersOf(write.invitation({ ...invitation, id: "inv-2", createdAt: "2026-11-03T10:00:00.000Z" }), true).partnerWork;
    const keysOlder = PARTNER_WORK_POINTER_ROW.keys(older!);
    const keysNewer = PARTNER_WORK_POINTER_ROW.keys(newer!);
    expect(keysOlder.partitionKey).to.equal("partner|contoso");
    expect(keysNewer.rowKey < keysOlder.rowKey).to.equal(true);
    expect(keysOlder.rowKey).to.match(/^work\|inv\|\d{13}\|c0ffee00-0000-4000-8000-000000000001\|inv-1$/);
    const [rel] = pointersOf(write.relationship({ ...relationshipOf("contoso") }), true).partnerWork;
    expect(PARTNER_WORK_POINTER_ROW.keys(rel!)).to.deep.equal({ partitionKey: "partner|contoso", rowKey: `work|rel|${TENANT}` });
  });

  it("keeps every followed partner in the one partition the sync reads", () => {
    const [followed] = pointersOf(write.connection(connection("connected")), true).sync;
    expect(SYNC_POINTER_ROW.keys(followed!)).to.deep.equal({
      partitionKey: "gdapsync",
      rowKey: "follow|d0d0d0d0-0000-4000-8000-000000000001|contoso",
    });
  });
});

function relationshipOf(partnerId: string) {
  return {
    tenantId: TENANT,
    partnerId,
    partnerName: partnerId,
    types: ["reseller" as const],
    roles: [],
    agreement: { status: "notAccepted" as const },
    status: "active" as const,
    since: "2026-11-01T00:00:00.000Z",
  };
}
