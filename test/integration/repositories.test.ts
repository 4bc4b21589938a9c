import { DECISION_ERRORS, write } from "../../src/domain/decision.js";
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import type { Invitation } from "../../src/domain/invitation.js";
import { ROLE } from "../../src/domain/roles.js";
import { CorruptRowError, StorageConflictError, StorageLimitError } from "../../src/storage/errors.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import type { TableClients } from "../../src/storage/tables.js";
import { freshTables } from "../helpers/azurite.js";

const tenantId = "11111111-1111-4111-8111-111111111111";

function invitation(overrides: Partial<Invitation> = {}): Invitation {
  return {
    id: randomUUID(),
    tenantId,
    partnerId: "contoso-it",
    partnerName: "Contoso IT",
    relationshipTypes: ["resellerAndDelegatedAdministrator"],
    roles: [ROLE.helpdeskAdministrator, ROLE.globalAdministrator],
    durationDays: 365,
    message: "We'd like to manage your licenses.",
    status: "pending",
    createdAt: "2026-11-01T10:00:00.000Z",
    expiresAt: "2027-01-30T10:00:00.000Z",
    ...overrides,
  };
}

describe("repositories on Azurite", function () {
  let tables: TableClients;
  let repos: Storage;

  before(async function () {
    this.timeout(60_000);
    ({ tables } = await freshTables());
    repos = openStorage(tables);
  });

  it("stores an invitation and reads it back exactly, nested lists included", async () => {
    const original = invitation();
    await repos.seed.create(write.invitation(original));
    const read = await repos.invitations.get(tenantId, original.id);
    expect(read?.value).to.deep.equal(original);
    expect(read?.etag).to.match(/^W\/"datetime'/);
  });

  it("updates with the ETag that was read, and refuses a stale ETag with a named conflict", async () => {
    const original = invitation();
    await repos.seed.create(write.invitation(original));
    const first = (await repos.invitations.get(tenantId, original.id))!;
    await repos.seed.update(write.invitation({ ...first.value, status: "accepted" }), first.etag);
    let error: unknown;
    try {
      await repos.seed.update(write.invitation({ ...first.value, status: "declined" }), first.etag);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(StorageConflictError);
    expect((error as StorageConflictError).code).to.equal("STORAGE.CONFLICT");
    expect((await repos.invitations.get(tenantId, original.id))?.value.status).to.equal("accepted");
  });

  it("refuses to create a row that already exists instead of replacing it", async () => {
    const original = invitation();
    await repos.seed.create(write.invitation(original));
    let error: unknown;
    try {
      await repos.seed.create(write.invitation({ ...original, message: "overwritten?" }));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(StorageConflictError);
    expect((await repos.invitations.get(tenantId, original.id))?.value.message).to.equal(original.message);
  });

  it("lists only its own kind within a tenant's partition", async () => {
    const otherTenant = "22222222-2222-4222-8222-222222222222";
    const mine = invitation({ tenantId: otherTenant });
    await repos.seed.create(write.invitation(mine));
    await repos.seed.create(
      write.audit({
        id: randomUUID(),
        tenantId: otherTenant,
        actor: { userId: "u1", name: "Ada" },
        action: "test",
        target: "x",
        at: new Date().toISOString(),
        correlationId: "c1",
      }),
    );
    const listed = await repos.invitations.listForTenant(otherTenant);
    expect(listed.map((i) => i.value.id)).to.deep.equal([mine.id]);
  });

  it("returns audit events newest first", async () => {
    const t = "33333333-3333-4333-8333-333333333333";
    for (const at of ["2026-01-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"]) {
      await repos.seed.create(
        write.audit({
          id: randomUUID(),
          tenantId: t,
          actor: { userId: "u1", name: "Ada" },
          action: "test",
          target: at,
          at,
          correlationId: "c",
        }),
      );
    }
    expect((await repos.audit.latest(t)).map((e) => e.at)).to.deep.equal([
      "2026-03-01T00:00:00.000Z",
      "2026-02-01T00:00:00.000Z",
      "2026-01-01T00:00:00.000Z",
    ]);
  });

  it("writes a state change and its audit event in one transaction, or neither", async () => {
    const original = invitation();
    await repos.seed.create(write.invitation(original));
    const read = (await repos.invitations.get(tenantId, original.id))!;
    const auditId = randomUUID();
    const audit = {
      id: auditId,
      tenantId,
      actor: { userId: "u1", name: "Ada" },
      action: "invitation.accept",
      target: original.id,
      at: new Date().toISOString(),
      correlationId: "c2",
    };

    // A stale ETag in the decision makes the whole transaction fail: the audit event must not be written either.
    await repos.seed.update(write.invitation({ ...read.value, message: "changed meanwhile" }), read.etag);
    const decision = (base: Invitation) => ({
      tenantId,
      writes: [write.invitation({ ...base, status: "accepted" as const }), write.audit(audit)],
    });
    const stale = await repos.decisions.commit(decision(read.value), [read]);
    expect(stale.ok).to.equal(false);
    expect(!stale.ok && stale.code).to.equal(DECISION_ERRORS.conflict);
    expect((await repos.audit.latest(tenantId)).some((e) => e.id === auditId)).to.equal(false);

    const fresh = (await repos.invitations.get(tenantId, original.id))!;
    expect((await repos.decisions.commit(decision(fresh.value), [fresh])).ok).to.equal(true);
    expect((await repos.invitations.get(tenantId, original.id))?.value.status).to.equal("accepted");
    expect((await repos.audit.latest(tenantId)).some((e) => e.id === auditId)).to.equal(true);
  });

  it("reports a row that does not match its schema instead of using it", async () => {
    await tables
      .client("tenant")
      .upsertEntity({ partitionKey: tenantId, rowKey: "inv|broken", kind: "inv", id: "broken", status: "maybe" });
    let error: unknown;
    try {
      await repos.invitations.get(tenantId, "broken");
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(CorruptRowError);
    expect((error as Error).message).to.include("status");
  });

  it("refuses a string longer than the service allows before sending it", async () => {
    let error: unknown;
    try {
      await repos.seed.create(
        write.contactRequest({
          id: randomUUID(),
          tenantId,
          partnerIds: ["p"],
          businessNeeds: "x".repeat(3000),
          requester: { userId: "u", name: "y".repeat(40_000) },
          createdAt: new Date().toISOString(),
        }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(StorageLimitError);
  });

  it("finds a user's roles without matching a user whose id merely starts the same", async () => {
    const t = "44444444-4444-4444-8444-444444444444";
    await repos.roleAssignments.upsert({
      tenantId: t,
      userId: "ab",
      roleId: ROLE.billingAdministrator,
      assignedAt: new Date().toISOString(),
    });
    await repos.roleAssignments.upsert({
      tenantId: t,
      userId: "abc",
      roleId: ROLE.globalAdministrator,
      assignedAt: new Date().toISOString(),
    });
    expect((await repos.roleAssignments.rolesOf(t, "ab")).map((r) => r.roleId)).to.deep.equal([ROLE.billingAdministrator]);
  });
});
