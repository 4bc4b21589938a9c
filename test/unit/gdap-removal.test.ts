import { expect } from "chai";
import type { ConversationRecord } from "../../src/domain/conversation.js";
import type { CarriedOutRemoval } from "../../src/domain/microsoftRemoval.js";
import type { MicrosoftSide } from "../../src/domain/microsoftSide.js";
import { NotificationSchema } from "../../src/domain/notification.js";
import { RelationshipSchema, type Relationship } from "../../src/domain/relationship.js";
import type { Result } from "../../src/domain/result.js";
import { ROLE } from "../../src/domain/roles.js";
import { confirmEnd, removeRoles, TRANSITION_ERRORS, type DecisionContext } from "../../src/domain/transitions.js";
import { renderNotification, type NotificationSources } from "../../src/features/partner-side/notificationCards.js";
import { approvalLink, GDAP_ERROR, GdapClient } from "../../src/microsoft/gdap/index.js";
import { carryOutRemoval } from "../../src/microsoftRemoval.js";
import { FakeGdap } from "../helpers/fakeGdap.js";

/*
 * Issue 10, item 5: a customer removes the roles it chooses. The domain keeps the rest; for a connected partner its
 * connection carries the removal out against Graph's delegatedAdminRelationships (here the loopback fake, in
 * process): a fresh read, a PATCH with If-Match of that read's ETag, a 412 read again and tried once, a terminate
 * when no role would remain, and Microsoft's answer (200, 202, terminate) recorded as it was given.
 */

const CUSTOMER = "c0ffee00-0000-4000-8000-0000000000f1";
const PARTNER_TENANT = "d0d0d0d0-0000-4000-8000-0000000000f1";
const NOW = "2026-12-01T10:00:00.000Z";

const ctx = (): DecisionContext => {
  let n = 0;
  return { tenantId: CUSTOMER, actor: { userId: "admin", name: "Ada" }, now: NOW, correlationId: "c", newId: () => `id-${++n}` };
};

const side = (status: MicrosoftSide["status"] = "active"): MicrosoftSide => ({
  relationshipId: "rel-1",
  displayName: "PD-0123456789abcdef0123456789abcdef",
  partnerTenantId: PARTNER_TENANT,
  status,
  approvalLink: approvalLink("rel-1"),
  syncedAt: NOW,
});

const relationship = (overrides: Partial<Relationship> = {}): Relationship =>
  RelationshipSchema.parse({
    tenantId: CUSTOMER,
    partnerId: "contoso",
    partnerName: "Contoso",
    types: ["resellerAndDelegatedAdministrator"],
    roles: [
      { roleId: ROLE.globalAdministrator, expiresAt: "2027-05-30T10:00:00.000Z" },
      { roleId: ROLE.helpdeskAdministrator, expiresAt: "2027-05-30T10:00:00.000Z" },
      { roleId: ROLE.userAdministrator, expiresAt: "2027-05-30T10:00:00.000Z" },
    ],
    agreement: { status: "accepted", version: "2024-06" },
    status: "active",
    since: "2026-06-01T10:00:00.000Z",
    ...overrides,
  });

function value<T>(result: Result<T>): T {
  if (!result.ok) expect.fail(`${result.code}: ${result.message}`);
  return result.value;
}

describe("removeRoles in the domain: the chosen roles go, the rest stay", () => {
  it("removes only Global administrator when that is the choice, keeping the other roles and the types", () => {
    const { relationship: updated, notification } = value(removeRoles(relationship(), ctx(), { roleIds: [ROLE.globalAdministrator] }));
    expect(updated.roles.map((r) => r.roleId)).to.deep.equal([ROLE.helpdeskAdministrator, ROLE.userAdministrator]);
    expect(updated.types).to.deep.equal(["resellerAndDelegatedAdministrator"]);
    expect(updated.status).to.equal("active");
    expect(notification.payload).to.deep.equal({ removedRoles: [ROLE.globalAdministrator] });
  });

  it("drops the admin part of the types only when no role remains", () => {
    const all = [ROLE.globalAdministrator, ROLE.helpdeskAdministrator, ROLE.userAdministrator];
    const { relationship: updated } = value(removeRoles(relationship(), ctx(), { roleIds: all }));
    expect(updated.roles).to.deep.equal([]);
    expect(updated.types).to.deep.equal(["reseller"]);
  });

  it("takes every role when no choice is given (cards sent before the choice existed)", () => {
    expect(value(removeRoles(relationship(), ctx())).relationship.roles).to.deep.equal([]);
  });

  it("refuses an empty choice and a role the partner does not hold, writing nothing", () => {
    expect(removeRoles(relationship(), ctx(), { roleIds: [] })).to.deep.include({ ok: false, code: TRANSITION_ERRORS.noRolesChosen });
    const notHeld = removeRoles(relationship(), ctx(), { roleIds: [ROLE.billingAdministrator, ROLE.globalAdministrator] });
    expect(notHeld).to.deep.include({ ok: false, code: TRANSITION_ERRORS.roleNotHeld });
  });

  it("records Microsoft's answer: the side it showed, in the audit and for the partner's card", () => {
    const carried: CarriedOutRemoval = { answer: "accepted", side: side("active"), operationUrl: "https://graph.example/op/1" };
    const before = relationship({ microsoft: side("approvalPending") });
    const result = value(removeRoles(before, ctx(), { roleIds: [ROLE.globalAdministrator], inMicrosoft: carried }));
    expect(result.relationship.microsoft).to.deep.equal(carried.side);
    expect(result.relationship.status).to.equal("active");
    expect(result.audit.after).to.deep.include({
      inMicrosoft: { answer: "accepted", status: "active", operationUrl: "https://graph.example/op/1" },
    });
    expect(result.notification.payload).to.deep.equal({ removedRoles: [ROLE.globalAdministrator], inMicrosoft: "accepted" });
    expect(() => NotificationSchema.parse(result.notification)).not.to.throw();
  });

  it("marks the relationship terminationRequested, here and on its Microsoft side, when Microsoft was asked to end it", () => {
    const carried: CarriedOutRemoval = { answer: "terminationRequested", side: side("terminationRequested") };
    const result = value(removeRoles(relationship({ microsoft: side() }), ctx(), { inMicrosoft: carried }));
    expect(result.relationship).to.deep.include({ status: "terminationRequested", terminationRequestedAt: NOW, roles: [] });
    expect(result.relationship.microsoft?.status).to.equal("terminationRequested");
    expect(() => RelationshipSchema.parse(result.relationship)).not.to.throw();
  });

  it("keeps Microsoft's answer when a connected partner confirms the end, and tells the admins", () => {
    const carried: CarriedOutRemoval = { answer: "terminationRequested", side: side("terminationRequested") };
    const pending = relationship({ status: "terminationRequested", terminationRequestedAt: NOW, microsoft: side() });
    const ended = value(confirmEnd(pending, ctx(), carried));
    expect(ended.relationship).to.deep.include({ status: "terminated", roles: [] });
    expect(ended.relationship.microsoft?.status).to.equal("terminationRequested");
    expect(ended.notification.payload).to.deep.equal({ partnerName: "Contoso", inMicrosoft: "terminationRequested" });
  });
});

describe("carryOutRemoval against the loopback delegatedAdminRelationships", () => {
  const graph = new FakeGdap();
  const client = () => new GdapClient({ baseUrl: graph.baseUrl, token: graph.tokenFor(PARTNER_TENANT), sleep: () => Promise.resolve() });
  const clock = () => new Date(NOW);
  const ROLES = [ROLE.globalAdministrator, ROLE.helpdeskAdministrator, ROLE.userAdministrator];
  const seeded = (status = "active", roles: string[] = ROLES) =>
    graph.seed(PARTNER_TENANT, {
      displayName: `PD-${Math.random().toString(16).slice(2, 14)}`,
      customer: { tenantId: CUSTOMER },
      roleDefinitionIds: roles,
      status,
    });
  const held = (id: string) => graph.relationshipsOf(PARTNER_TENANT).find((r) => r.id === id)!;
  const writes = () => graph.requests.filter((r) => r.method !== "GET");

  before(async () => {
    await graph.start();
    graph.partner(PARTNER_TENANT);
  });
  beforeEach(() => graph.reset());
  after(() => graph.stop());

  it("PATCHes the remaining roles with If-Match of the ETag it just read; a 202 is 'accepted', not 'removed'", async () => {
    const relationship = seeded();
    const answer = value(
      await carryOutRemoval(client(), { relationshipId: relationship.id, roles: [ROLE.globalAdministrator] }, clock, PARTNER_TENANT),
    );
    const [read, patch] = graph.requests;
    expect(read).to.deep.include({ method: "GET" });
    expect(patch).to.deep.include({ method: "PATCH", ifMatch: relationship.etag });
    expect(patch!.body).to.deep.equal({
      accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.helpdeskAdministrator }, { roleDefinitionId: ROLE.userAdministrator }] },
    });
    expect(answer.answer).to.equal("accepted");
    expect(answer.operationUrl).to.match(/\/operations\//);
    expect(answer.side).to.deep.include({
      relationshipId: relationship.id,
      status: "active",
      partnerTenantId: PARTNER_TENANT,
      syncedAt: NOW,
    });
    expect(held(relationship.id).roleDefinitionIds).to.deep.equal([ROLE.helpdeskAdministrator, ROLE.userAdministrator]);
  });

  it("says 'removed' when Graph answers the update with 200 and the relationship", async () => {
    graph.activeUpdateAnswer = 200;
    const relationship = seeded();
    const answer = value(await carryOutRemoval(client(), { relationshipId: relationship.id, roles: [ROLE.userAdministrator] }, clock));
    expect(answer.answer).to.equal("removed");
    expect(answer.side.status).to.equal("active");
  });

  it("reads a stale ETag again and tries once more, with the new ETag", async () => {
    const relationship = seeded();
    let patches = 0;
    graph.onRequest = (request) => {
      if (request.method === "PATCH" && ++patches === 1) graph.changeElsewhere(relationship.id);
    };
    const answer = value(await carryOutRemoval(client(), { relationshipId: relationship.id, roles: [ROLE.globalAdministrator] }, clock));
    expect(answer.answer).to.equal("accepted");
    expect(graph.requests.map((r) => r.method)).to.deep.equal(["GET", "PATCH", "GET", "PATCH"]);
    const [first, second] = graph.requests.filter((r) => r.method === "PATCH");
    expect(first!.ifMatch).to.equal(relationship.etag);
    expect(second!.ifMatch).to.not.equal(relationship.etag);
    expect(held(relationship.id).roleDefinitionIds).to.not.include(ROLE.globalAdministrator);
  });

  it("reports a conflict, removing nothing, when the ETag is stale again after the second read", async () => {
    const relationship = seeded();
    graph.onRequest = (request) => {
      if (request.method === "PATCH") graph.changeElsewhere(relationship.id);
    };
    const result = await carryOutRemoval(client(), { relationshipId: relationship.id, roles: [ROLE.globalAdministrator] }, clock);
    expect(result).to.deep.include({ ok: false, code: GDAP_ERROR.CONFLICT });
    expect(graph.requests.map((r) => r.method)).to.deep.equal(["GET", "PATCH", "GET", "PATCH"]);
    expect(held(relationship.id).roleDefinitionIds).to.deep.equal(ROLES);
  });

  it("terminates the relationship, sending no PATCH, when no role would remain", async () => {
    const relationship = seeded("active", [ROLE.helpdeskAdministrator, ROLE.userAdministrator]);
    const answer = value(
      await carryOutRemoval(
        client(),
        { relationshipId: relationship.id, roles: [ROLE.helpdeskAdministrator, ROLE.userAdministrator] },
        clock,
      ),
    );
    expect(writes()).to.have.length(1);
    expect(writes()[0]).to.deep.include({
      method: "POST",
      path: `/v1.0/tenantRelationships/delegatedAdminRelationships/${relationship.id}/requests`,
    });
    expect(writes()[0]!.body).to.deep.equal({ action: "terminate" });
    expect(answer.answer).to.equal("terminationRequested");
    expect(answer.side.status).to.equal("terminationRequested");
    expect(held(relationship.id).status).to.equal("terminationRequested");
  });

  it("terminates on 'all' (the end of the relationship), also while it is expiring", async () => {
    const relationship = seeded("expiring");
    const answer = value(await carryOutRemoval(client(), { relationshipId: relationship.id, roles: "all" }, clock));
    expect(answer.answer).to.equal("terminationRequested");
    expect(held(relationship.id).status).to.equal("terminationRequested");
  });

  it("refuses to change the roles of an expiring relationship (Graph updates roles only while active)", async () => {
    const relationship = seeded("expiring");
    const result = await carryOutRemoval(client(), { relationshipId: relationship.id, roles: [ROLE.globalAdministrator] }, clock);
    expect(result).to.deep.include({ ok: false, code: GDAP_ERROR.NOT_ACTIVE });
    expect(writes()).to.deep.equal([]);
  });

  it("has nothing to remove from a request waiting for approval, and never approves it", async () => {
    const relationship = seeded("approvalPending");
    const result = await carryOutRemoval(client(), { relationshipId: relationship.id, roles: "all" }, clock);
    expect(result).to.deep.include({ ok: false, code: GDAP_ERROR.NOT_ACTIVE, details: { gdapStatus: "approvalPending" } });
    expect(writes()).to.deep.equal([]);
    expect(held(relationship.id).status).to.equal("approvalPending");
  });

  it("sends nothing when Microsoft already shows none of the roles, or the relationship already ending", async () => {
    const without = seeded("active", [ROLE.helpdeskAdministrator]);
    const none = value(await carryOutRemoval(client(), { relationshipId: without.id, roles: [ROLE.globalAdministrator] }, clock));
    const ending = seeded("terminating");
    const ended = value(await carryOutRemoval(client(), { relationshipId: ending.id, roles: "all" }, clock));
    expect([none.answer, ended.answer]).to.deep.equal(["nothingToRemove", "nothingToRemove"]);
    expect(ended.side.status).to.equal("terminating");
    expect(writes()).to.deep.equal([]);
  });

  it("reports an outage as unavailable and changes nothing in Microsoft", async () => {
    const relationship = seeded();
    graph.outage = { status: 503 };
    const result = await carryOutRemoval(client(), { relationshipId: relationship.id, roles: [ROLE.globalAdministrator] }, clock);
    expect(result).to.deep.include({ ok: false, code: GDAP_ERROR.UNAVAILABLE });
    expect(held(relationship.id).roleDefinitionIds).to.deep.equal(ROLES);
  });

  it("reports a 429 past the budget as unavailable, and a 503 on the PATCH as unavailable too, removing nothing", async () => {
    const relationship = seeded();
    graph.answerNext({ status: 429, retryAfter: "120" });
    const throttled = await carryOutRemoval(client(), { relationshipId: relationship.id, roles: [ROLE.globalAdministrator] }, clock);
    expect(throttled).to.deep.include({ ok: false, code: GDAP_ERROR.UNAVAILABLE });
    graph.reset();
    let patched = false;
    graph.onRequest = (request) => {
      if (request.method === "PATCH" && !patched) {
        patched = true;
        graph.outage = { status: 503 };
      }
    };
    const down = await carryOutRemoval(
      new GdapClient({ baseUrl: graph.baseUrl, token: graph.tokenFor(PARTNER_TENANT), sleep: () => Promise.resolve(), maxAttempts: 2 }),
      { relationshipId: relationship.id, roles: [ROLE.globalAdministrator] },
      clock,
    );
    expect(down).to.deep.include({ ok: false, code: GDAP_ERROR.UNAVAILABLE });
    expect(held(relationship.id).roleDefinitionIds).to.deep.equal(ROLES);
  });
});

describe("the partner's card of a removal says what Microsoft answered", () => {
  const RECIPIENT: ConversationRecord = {
    tenantId: PARTNER_TENANT,
    userId: "partner-user",
    name: "Pat Partner",
    reachableAs: "partnerContact",
    partnerId: "contoso",
    locale: "en-US",
    reference: { channelId: "msteams", serviceUrl: "https://smba.example", conversation: { id: "c" }, bot: { id: "b" }, user: { id: "u" } },
    stale: false,
    updatedAt: NOW,
  };
  const sources = { tenantNames: { displayName: async () => "Fabrikam" } } as unknown as NotificationSources;
  const cardFor = async (inMicrosoft?: CarriedOutRemoval) => {
    const { notification } = value(
      removeRoles(relationship(), ctx(), { roleIds: [ROLE.globalAdministrator], ...(inMicrosoft ? { inMicrosoft } : {}) }),
    );
    return JSON.stringify(await renderNotification(notification, RECIPIENT, sources, new Date(NOW)));
  };

  it("recorded only: Partner Desk's record, and the customer takes them away in the admin center", async () => {
    expect(await cardFor())
      .to.include("Partner Desk has recorded")
      .and.include("admin center")
      .and.include("Global administrator");
  });

  it("accepted (202): Microsoft is carrying it out, not that the roles are gone", async () => {
    const text = await cardFor({ answer: "accepted", side: side() });
    expect(text)
      .to.include("Microsoft accepted and is carrying it out")
      .and.not.match(/removed these roles|confirmed/);
  });

  it("removed (200): Microsoft confirmed the removal", async () => {
    expect(await cardFor({ answer: "removed", side: side() })).to.include("Microsoft confirmed it");
  });
});
