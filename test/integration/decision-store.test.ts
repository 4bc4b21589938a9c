import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { DECISION_ERRORS, write, type Decision } from "../../src/domain/decision.js";
import type { Invitation } from "../../src/domain/invitation.js";
import type { Notification } from "../../src/domain/notification.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables } from "../helpers/azurite.js";

const TENANT = "5a1b2c3d-0000-4000-8000-0000000000d5";
const NOW = "2026-11-29T10:00:00.000Z";

const invitation = (id = `inv-${randomUUID().slice(0, 8)}`): Invitation => ({
  id,
  tenantId: TENANT,
  partnerId: "contoso",
  partnerName: "Contoso",
  relationshipTypes: ["reseller"],
  roles: [ROLE.helpdeskAdministrator],
  durationDays: 90,
  message: "",
  status: "pending",
  createdAt: NOW,
  expiresAt: "2027-02-27T10:00:00.000Z",
});

const relationship = (partnerId: string): Relationship => ({
  tenantId: TENANT,
  partnerId,
  partnerName: partnerId,
  types: ["reseller"],
  roles: [],
  agreement: { status: "notAccepted" },
  status: "active",
  since: NOW,
});

const notification = (): Notification => ({
  id: randomUUID(),
  tenantId: TENANT,
  recipient: { kind: "partner", partnerId: "contoso" },
  type: "invitationAccepted",
  payload: {},
  status: "pending",
  attempts: 0,
  createdAt: NOW,
  correlationId: "c",
  deliveries: {},
});

describe("storage commits decisions (DecisionStore on Azurite)", function () {
  this.timeout(30_000);
  let storage: Storage;
  let outboxWrites: number;

  beforeEach(async () => {
    const { tables } = await freshTables();
    outboxWrites = 0;
    storage = openStorage(tables, { onOutboxWritten: () => outboxWrites++ });
  });

  it("replaces the rows it was handed as read and creates every other row, all in one commit", async () => {
    await storage.seed.create(write.invitation(invitation("inv-1")));
    const read = (await storage.invitations.get(TENANT, "inv-1"))!;
    const decided: Decision = {
      tenantId: TENANT,
      writes: [write.invitation({ ...read.value, status: "accepted" }), write.relationship(relationship("contoso"))],
    };
    const committed = await storage.decisions.commit(decided, [read]);
    expect(committed.ok).to.equal(true);
    expect(committed.ok && committed.value.etags).to.have.length(2);
    expect((await storage.invitations.get(TENANT, "inv-1"))?.value.status).to.equal("accepted");
    expect((await storage.relationships.get(TENANT, "contoso"))?.value.partnerName).to.equal("contoso");
  });

  it("answers a named conflict and writes nothing when a row changed since it was read", async () => {
    await storage.seed.create(write.invitation(invitation("inv-2")));
    const read = (await storage.invitations.get(TENANT, "inv-2"))!;
    await storage.seed.update(write.invitation({ ...read.value, message: "someone else" }), read.etag);
    const committed = await storage.decisions.commit(
      { tenantId: TENANT, writes: [write.invitation({ ...read.value, status: "declined" }), write.notification(notification())] },
      [read],
    );
    expect(committed.ok).to.equal(false);
    expect(!committed.ok && committed.code).to.equal(DECISION_ERRORS.conflict);
    expect((await storage.invitations.get(TENANT, "inv-2"))?.value).to.include({ status: "pending", message: "someone else" });
    expect(await storage.outbox.listForTenant(TENANT)).to.have.length(0, "the notification went with the failed decision");
    expect(outboxWrites).to.equal(0, "nothing was queued, so nothing wakes the outbox");
  });

  it("answers a conflict for a new row that someone created meanwhile (never a silent overwrite)", async () => {
    await storage.seed.create(write.relationship(relationship("northwind")));
    const committed = await storage.decisions.commit({ tenantId: TENANT, writes: [write.relationship(relationship("northwind"))] });
    expect(!committed.ok && committed.code).to.equal(DECISION_ERRORS.conflict);
  });

  it("tells the outbox exactly once per decision that queued notifications, and never for one that did not", async () => {
    const two = await storage.decisions.commit({
      tenantId: TENANT,
      writes: [write.invitation(invitation()), write.notification(notification()), write.notification(notification())],
    });
    expect(two.ok).to.equal(true);
    expect(outboxWrites).to.equal(1);
    await storage.decisions.commit({ tenantId: TENANT, writes: [write.invitation(invitation())] });
    expect(outboxWrites).to.equal(1, "a decision without outbox rows does not wake it");
  });

  it("lets the latest display name win without a version, in the same commit as the decision", async () => {
    const named = (displayName: string): Decision => ({
      tenantId: TENANT,
      writes: [write.invitation(invitation()), write.tenantProfile({ tenantId: TENANT, displayName, updatedAt: NOW })],
    });
    expect((await storage.decisions.commit(named("Fabrikam"))).ok).to.equal(true);
    expect((await storage.decisions.commit(named("Fabrikam AB"))).ok).to.equal(true);
    expect(await storage.tenantNames.displayName(TENANT)).to.equal("Fabrikam AB");
  });

  it("refuses, loudly, a read version that storage did not hand out (a copy would become a create)", async () => {
    await storage.seed.create(write.invitation(invitation("inv-3")));
    const read = (await storage.invitations.get(TENANT, "inv-3"))!;
    const copy = { ...read };
    let error: unknown;
    try {
      await storage.decisions.commit({ tenantId: TENANT, writes: [write.invitation({ ...read.value, status: "accepted" })] }, [copy]);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/did not read/);
    expect((await storage.invitations.get(TENANT, "inv-3"))?.value.status).to.equal("pending");
  });

  it("keeps a decision in one tenant's partition", async () => {
    let error: unknown;
    try {
      await storage.decisions.commit({ tenantId: "another-tenant", writes: [write.invitation(invitation())] });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/one partition/);
  });
});
