import { expect } from "chai";
import { renderCard } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import type { ShowPartnerContext } from "../../src/features/relationships/context.js";
import { showPartner } from "../../src/features/relationships/showPartner.js";

/*
 * Opening a partner's details: a relationship the tenant has is brought up to date from Microsoft first (the sync
 * port decides whether that needs Graph), and read again only if a sync ran; a partner the tenant has no
 * relationship with is never synced on its behalf.
 */
const s = stringsFor("en");
const TENANT = "c0ffee00-0000-4000-8000-000000000001";

const relationship = (status: Relationship["status"], linked = true): Relationship => ({
  tenantId: TENANT,
  partnerId: "granular",
  partnerName: "Granular Partners AB",
  types: ["delegatedAdministrator"],
  roles: status === "active" ? [{ roleId: ROLE.helpdeskAdministrator, expiresAt: "2026-09-06T08:30:00.000Z" }] : [],
  agreement: { status: "notAccepted" },
  status,
  since: "2026-03-01T08:30:00.000Z",
  ...(linked
    ? {
        microsoft: {
          relationshipId: "rel-1",
          displayName: "PD-1",
          status: "active" as const,
          approvalLink: "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/rel-1",
          syncedAt: "2026-03-10T08:00:00.000Z",
        },
      }
    : {}),
});

function context(stored: Relationship | undefined, afterSync: Relationship | undefined, synced: boolean) {
  const calls = { freshen: [] as string[], reads: 0 };
  const ctx: ShowPartnerContext = {
    identity: { tenantId: TENANT, userId: "admin", name: "Ada Admin", locale: "en-US" },
    roles: async () => [ROLE.globalAdministrator],
    strings: s,
    card: (name, data) => renderCard(name, data, { strings: s, actionStyle: "execute" }),
    correlationId: "c",
    now: new Date("2026-03-10T09:00:00.000Z"),
    ports: {
      relationships: {
        get: async () => {
          const value = calls.reads++ === 0 || calls.freshen.length === 0 ? stored : afterSync;
          return value ? { value, etag: "W/1" } : undefined;
        },
        listForTenant: async () => [],
      },
      audit: { latest: async () => [] },
      roleHolders: { holdersOf: async () => [] },
      microsoftSync: {
        freshen: async (partnerId) => {
          calls.freshen.push(partnerId);
          return { checkedAt: "2026-03-10T08:59:00.000Z", synced };
        },
      },
    },
  };
  return { ctx, calls };
}

const textOf = async (ctx: ShowPartnerContext) => {
  const outcome = await showPartner.handle({ partnerId: "granular" }, ctx);
  if (!outcome.ok) expect.fail(outcome.code);
  return JSON.stringify(outcome.value.card);
};

describe("opening a partner's details syncs it with Microsoft first", () => {
  it("shows the relationship as a sync that ran left it, and when Microsoft Graph was checked", async () => {
    const { ctx, calls } = context(relationship("active"), relationship("expired"), true);
    const text = await textOf(ctx);
    expect(calls.freshen).to.deep.equal(["granular"]);
    expect(text).to.include(`"${s.partners.statuses.expired}"`).and.include("Checked with Microsoft Graph at Mar 10, 2026, 8:59");
  });

  it("shows the relationship it read when no sync ran (checked recently, or past the budget)", async () => {
    const { ctx, calls } = context(relationship("active"), relationship("expired"), false);
    const text = await textOf(ctx);
    expect(calls.reads).to.equal(1);
    expect(text).to.include(`"${s.partners.statuses.active}"`);
  });

  it("never syncs a partner the tenant has no relationship with", async () => {
    const { ctx, calls } = context(undefined, undefined, true);
    const text = await textOf(ctx);
    expect(calls.freshen).to.deep.equal([]);
    expect(text).to.include(s.partners.notFound);
  });

  it("asks Microsoft nothing for a relationship recorded in Partner Desk only: no extra reads on the button press", async () => {
    const { ctx, calls } = context(relationship("active", false), relationship("expired", false), true);
    const text = await textOf(ctx);
    expect(calls.freshen).to.deep.equal([]);
    expect(text).to.include(`"${s.partners.statuses.active}"`).and.not.include("Checked with Microsoft Graph");
  });
});
