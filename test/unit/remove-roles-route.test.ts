import { expect } from "chai";
import { renderCard } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import type { Decision } from "../../src/domain/decision.js";
import type { CarriedOutRemoval } from "../../src/domain/microsoftRemoval.js";
import type { MicrosoftSide } from "../../src/domain/microsoftSide.js";
import type { PartnerConnection } from "../../src/domain/partnerConnection.js";
import { RelationshipSchema, type Relationship } from "../../src/domain/relationship.js";
import { fail, ok, type Result } from "../../src/domain/result.js";
import { ROLE } from "../../src/domain/roles.js";
import type { RemovalRequest } from "../../src/features/ports.js";
import { removeRoles, type RemovalContext } from "../../src/features/relationships/removeRoles.js";
import { GDAP_ERROR, approvalLink } from "../../src/microsoft/gdap/index.js";

/*
 * The "Yes" of Remove roles with small fakes of exactly the ports it names: which roles it asks Microsoft to
 * remove, that it stores only after Microsoft accepted, and what it says when Partner Desk could not record it.
 */

const s = stringsFor("en");
const CUSTOMER = "c0ffee00-0000-4000-8000-000000000001";
const PARTNER_TENANT = "d0d0d0d0-0000-4000-8000-0000000000a9";
const NOW = "2026-12-01T10:00:00.000Z";

const side = (status: MicrosoftSide["status"]): MicrosoftSide => ({
  relationshipId: "rel-9",
  displayName: "PD-0123456789abcdef0123456789abcdef",
  partnerTenantId: PARTNER_TENANT,
  status,
  approvalLink: approvalLink("rel-9"),
  syncedAt: NOW,
});

const relationship = (microsoft?: MicrosoftSide): Relationship =>
  RelationshipSchema.parse({
    tenantId: CUSTOMER,
    partnerId: "contoso",
    partnerName: "Contoso",
    types: ["resellerAndDelegatedAdministrator"],
    roles: [
      { roleId: ROLE.globalAdministrator, expiresAt: "2027-05-30T10:00:00.000Z" },
      { roleId: ROLE.helpdeskAdministrator, expiresAt: "2027-05-30T10:00:00.000Z" },
    ],
    agreement: { status: "accepted", version: "2024-06" },
    status: "active",
    since: "2026-06-01T10:00:00.000Z",
    ...(microsoft ? { microsoft } : {}),
  });

interface World {
  relationship: Relationship;
  connected: boolean;
  microsoftAnswer: Result<CarriedOutRemoval>;
  commitAnswer: Result<{ etags: string[] }>;
}

function contextFor(world: World) {
  const asked: RemovalRequest[] = [];
  const committed: Decision[] = [];
  const connection: PartnerConnection = {
    partnerId: "contoso",
    partnerTenantId: PARTNER_TENANT,
    status: world.connected ? "connected" : "disconnected",
    checkedAt: NOW,
    checkedBy: { userId: "p", name: "Pat" },
    lastCheck: "CONNECTION.OK",
  };
  const ctx = {
    identity: { tenantId: CUSTOMER, userId: "admin", name: "Ada", locale: "en-US" },
    roles: async () => [ROLE.globalAdministrator],
    strings: s,
    card: (name, data) => renderCard(name, data, { strings: s, actionStyle: "execute" }),
    now: new Date(NOW),
    correlationId: "corr-remove",
    ports: {
      relationships: {
        get: async () => ({ value: world.relationship, etag: "W/1" }),
        listForTenant: async () => [{ value: world.relationship, etag: "W/1" }],
      },
      audit: { latest: async () => [] },
      roleHolders: { holdersOf: async () => [] },
      partners: {
        get: async () => undefined,
        search: async () => ({}) as never,
        partnerOfContact: async () => undefined,
        places: async () => [],
      },
      connections: { get: async (tenantId: string) => (tenantId === PARTNER_TENANT ? { value: connection, etag: "W/c" } : undefined) },
      microsoft: {
        adminConsentLink: () => undefined,
        checkConnection: async () => fail("unused", "unused"),
        requestRelationship: async () => fail("unused", "unused"),
        carryOutRemoval: async (_tenant: string, request: RemovalRequest) => (asked.push(request), world.microsoftAnswer),
        turnOnAutoExtend: async () => fail("unused", "unused"),
        listRelationships: async () => fail("unused", "unused"),
      },
      decisions: { commit: async (decision: Decision) => (committed.push(decision), world.commitAnswer) },
    },
  } as RemovalContext;
  return { ctx, asked, committed };
}

const accepted: CarriedOutRemoval = { answer: "accepted", side: side("active") };
const world = (overrides: Partial<World> = {}): World => ({
  relationship: relationship(side("active")),
  connected: true,
  microsoftAnswer: ok(accepted),
  commitAnswer: ok({ etags: ["W/2"] }),
  ...overrides,
});
const text = (result: Awaited<ReturnType<typeof removeRoles.handle>>) => (result.ok ? JSON.stringify(result.value.card) : result.message);
const yes = (roleIds: string[] | undefined) => ({
  partnerId: "contoso",
  roleIds: roleIds ?? [],
  ...(roleIds === undefined ? {} : { chooseRoles: true }),
});

describe("Remove roles, Yes: a connected partner's connection first, Partner Desk after", () => {
  it("asks Microsoft to remove exactly the chosen roles, then records Microsoft's answer", async () => {
    const { ctx, asked, committed } = contextFor(world());
    const answer = text(await removeRoles.handle(yes([ROLE.globalAdministrator]), ctx));
    expect(asked).to.deep.equal([{ relationshipId: "rel-9", roles: [ROLE.globalAdministrator] }]);
    expect(committed).to.have.length(1);
    expect(answer).to.include("Microsoft accepted the removal");
  });

  it("takes every role from a card sent before the choice (no list, no flag)", async () => {
    const { ctx, asked } = contextFor(world());
    await removeRoles.handle(yes(undefined), ctx);
    expect(asked[0]!.roles).to.deep.equal([ROLE.globalAdministrator, ROLE.helpdeskAdministrator]);
  });

  it("removes nothing when the card offered the choice and none was ticked, or names a role not held", async () => {
    const none = contextFor(world());
    expect(text(await removeRoles.handle(yes([]), none.ctx))).to.include(s.partners.removeNoneChosen);
    const stale = contextFor(world());
    expect(text(await removeRoles.handle(yes([ROLE.userAdministrator]), stale.ctx))).to.include("no longer holds one of the roles");
    expect([...none.asked, ...stale.asked, ...none.committed, ...stale.committed]).to.deep.equal([]);
  });

  it("stores nothing when Microsoft refuses, and says what happened", async () => {
    const { ctx, committed } = contextFor(world({ microsoftAnswer: fail(GDAP_ERROR.CONFLICT, "changed twice") }));
    expect(text(await removeRoles.handle(yes([ROLE.globalAdministrator]), ctx))).to.include("changed in Microsoft meanwhile");
    expect(committed).to.deep.equal([]);
  });

  it("says Microsoft took the change but Partner Desk has not recorded it, when another decision came first", async () => {
    const { ctx } = contextFor(world({ commitAnswer: fail("DECISION.CONFLICT", "changed") }));
    expect(text(await removeRoles.handle(yes([ROLE.globalAdministrator]), ctx))).to.include(s.partners.carriedOutNotRecorded);
  });

  it("gives the usual 'someone changed this' when nothing was sent to Microsoft (a retried press found it done)", async () => {
    const nothing: CarriedOutRemoval = { answer: "nothingToRemove", side: side("active") };
    const { ctx } = contextFor(world({ microsoftAnswer: ok(nothing), commitAnswer: fail("DECISION.CONFLICT", "changed") }));
    expect(text(await removeRoles.handle(yes([ROLE.globalAdministrator]), ctx))).to.include(s.errors.conflict);
  });

  it("for a partner that is not connected: a GDAP request waiting for approval has nothing to remove; otherwise recorded only", async () => {
    const waiting = contextFor(world({ connected: false, relationship: relationship(side("approvalPending")) }));
    const waitingText = text(await removeRoles.handle(yes([ROLE.globalAdministrator]), waiting.ctx));
    expect(waitingText).to.include("waiting for approval").and.include("don't approve it").and.include(approvalLink("rel-9"));
    expect([...waiting.asked, ...waiting.committed]).to.deep.equal([]);

    const standalone = contextFor(world({ connected: false, relationship: relationship() }));
    const recorded = text(await removeRoles.handle(yes([ROLE.globalAdministrator]), standalone.ctx));
    expect(recorded).to.include("Recorded in Partner Desk").and.include("https://admin.microsoft.com/AdminPortal/Home#/partners");
    expect(standalone.asked).to.deep.equal([]);
    expect(standalone.committed).to.have.length(1);
  });
});
