import { expect } from "chai";
import { renderCard } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import type { ConversationRecord } from "../../src/domain/conversation.js";
import { finished, leased, leasedByOther, SYNC_OK, type GdapSyncState } from "../../src/domain/gdapSyncState.js";
import type { MicrosoftSide } from "../../src/domain/microsoftSide.js";
import { MICROSOFT_GRAPH, syncFromGraph, type GraphRelationship } from "../../src/domain/microsoftSync.js";
import type { Notification } from "../../src/domain/notification.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { renderNotification, type NotificationSources } from "../../src/features/partner-side/notificationCards.js";
import { partnerDetailsCard } from "../../src/features/relationships/views.js";
import type { ViewContext } from "../../src/features/types.js";
import { VERBS } from "../../src/features/verbs.js";
import { approvalLink, type GdapRelationship } from "../../src/microsoft/gdap/index.js";
import { graphViewOf } from "../../src/microsoft/gdap/syncListing.js";
import { actionsOf } from "../helpers/channelEmulator.js";

/*
 * What the status sync shows people: the notification cards of a transition (both sides, Microsoft Graph's word,
 * the roles and Microsoft's end date), the partner details card's "Checked with Microsoft Graph at …", and the
 * small pure pieces around it (Graph's answer as the domain's view, the sync state's lease).
 */
const s = stringsFor("en");
const CUSTOMER = "c0ffee00-0000-4000-8000-000000000001";
const GRAPH_ID = "5e2c0a5d-1111-4222-8333-444444444444";
const NOW = "2026-03-10T09:00:00.000Z";
const MICROSOFT_END = "2026-09-06T08:30:00.000Z";

const recipient = (reachableAs: ConversationRecord["reachableAs"]): ConversationRecord => ({
  tenantId: reachableAs === "customerAdmin" ? CUSTOMER : "partner-tenant",
  userId: "u",
  name: "Someone",
  reachableAs,
  locale: "en-US",
  reference: { channelId: "msteams", serviceUrl: "https://smba.example", conversation: { id: "c" }, bot: { id: "b" }, user: { id: "u" } },
  stale: false,
  updatedAt: NOW,
});
const nothingRead = () => {
  throw new Error("a sync card reads no record");
};
const sources: NotificationSources = {
  invitations: { get: nothingRead, listPending: nothingRead },
  acceptances: { get: nothingRead },
  agreements: { current: nothingRead },
  contactRequests: { get: nothingRead },
  adminAudience: { teamsAdminIds: nothingRead },
  tenantNames: { displayName: () => Promise.resolve("Fabrikam") },
};

/** The notifications a transition queues, made by the domain function itself. */
function transitionNotifications(graph: GraphRelationship): Notification[] {
  let n = 0;
  const verdict = syncFromGraph(
    graph,
    { id: "granular", name: "Granular Partners AB", tenantId: "partner-tenant" },
    { invitation: undefined, relationship: undefined },
    { tenantId: CUSTOMER, actor: { ...MICROSOFT_GRAPH }, now: NOW, correlationId: "c", newId: () => `id-${++n}` },
  );
  return (verdict?.decision?.writes ?? []).flatMap((w) => (w.kind === "notification" ? [w.value] : []));
}

const imported: GraphRelationship = {
  id: GRAPH_ID,
  displayName: "Granular - helpdesk",
  status: "active",
  customerTenantId: CUSTOMER,
  roleIds: [ROLE.helpdeskAdministrator],
  activatedAt: "2026-03-01T08:30:00.000Z",
  endsAt: MICROSOFT_END,
  approvalLink: approvalLink(GRAPH_ID),
};

async function cardsOf(notifications: Notification[]) {
  const byKind = async (kind: Notification["recipient"]["kind"]) => {
    const n = notifications.find((x) => x.recipient.kind === kind)!;
    return renderNotification(n, recipient(kind === "tenantAdmins" ? "customerAdmin" : "partnerContact"), sources, new Date(NOW));
  };
  return { admins: await byKind("tenantAdmins"), partner: await byKind("partner") };
}

describe("the status sync's cards", () => {
  it("tell the customer's admins and the partner, each in their own words, what Microsoft Graph said: roles and Microsoft's end date", async () => {
    const { admins, partner } = await cardsOf(transitionNotifications(imported));
    for (const card of [admins, partner]) {
      const text = JSON.stringify(card);
      expect(text).to.include("According to Microsoft Graph").and.include("Sep 6, 2026").and.include(s.roles.helpdeskAdministrator.name);
      expect(text).to.include("Granular - helpdesk");
    }
    expect(JSON.stringify(admins)).to.include("Granular Partners AB added to your partners");
    expect(JSON.stringify(partner)).to.include("Fabrikam now sees your GDAP relationship");
  });

  it("give the admins the partner's details one press away, and the partner no button into the customer's records", async () => {
    const { admins, partner } = await cardsOf(transitionNotifications(imported));
    expect(actionsOf(admins).map((a) => [a.verb, a.data?.partnerId])).to.deep.include([VERBS.relationships.show, "granular"]);
    expect(actionsOf(partner).filter((a) => a.type === "Action.Execute")).to.deep.equal([]);
  });

  it("say an expired or terminated relationship's roles are not in effect, never that they were removed by Partner Desk", async () => {
    for (const [status, type] of [
      ["expired", "gdapExpired"],
      ["terminated", "gdapTerminated"],
    ] as const) {
      const base = transitionNotifications(imported)[0]!;
      const n: Notification = { ...base, type, payload: { ...base.payload, status } };
      const text = JSON.stringify(await renderNotification(n, recipient("customerAdmin"), sources, new Date(NOW)));
      expect(text, status).to.include("According to Microsoft Graph").and.include("not in effect");
      expect(text, status).to.not.match(/Partner Desk removed|\bgranted\b/);
    }
  });
});

describe("the partner details card, for a connected partner", () => {
  const view: ViewContext = {
    identity: { tenantId: CUSTOMER, userId: "u", name: "Ada", locale: "en" },
    strings: s,
    card: (name, data) => renderCard(name, data, { strings: s, actionStyle: "execute" }),
    now: new Date(NOW),
  };
  const side: MicrosoftSide = {
    relationshipId: GRAPH_ID,
    displayName: "PD-0123456789abcdef0123456789abcdef",
    status: "active",
    approvalLink: approvalLink(GRAPH_ID),
    endsAt: MICROSOFT_END,
    syncedAt: "2026-03-01T08:30:00.000Z",
  };
  const relationship = (microsoft: MicrosoftSide | undefined): Relationship => ({
    tenantId: CUSTOMER,
    partnerId: "granular",
    partnerName: "Granular Partners AB",
    types: ["delegatedAdministrator"],
    roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: MICROSOFT_END }],
    agreement: { status: "notAccepted" },
    status: "active",
    since: "2026-03-01T08:30:00.000Z",
    endsAt: MICROSOFT_END,
    ...(microsoft ? { microsoft } : {}),
  });

  it('says when Microsoft Graph was last checked: "Checked with Microsoft Graph at …"', () => {
    const text = JSON.stringify(partnerDetailsCard(view, relationship(side), [], null, "2026-03-10T08:59:30.000Z"));
    expect(text).to.include("Checked with Microsoft Graph at Mar 10, 2026, 8:59");
    expect(JSON.stringify(partnerDetailsCard(view, relationship(side), []))).to.not.include("Checked with Microsoft Graph");
  });

  it("says Microsoft shows no relationship in effect when a connected partner's record has no Microsoft side", () => {
    const text = JSON.stringify(partnerDetailsCard(view, relationship(undefined), [], null, NOW));
    expect(text).to.include("Microsoft Graph shows no GDAP relationship of this partner in effect");
    expect(text).to.not.include("not connected to Microsoft");
  });
});

describe("Graph's relationship as the sync reads it", () => {
  const wire: GdapRelationship = {
    id: GRAPH_ID,
    etag: 'W/"1"',
    displayName: "PD-x",
    status: "active",
    duration: "P180D",
    autoExtendDuration: "PT0S",
    customer: { tenantId: CUSTOMER, displayName: "Fabrikam" },
    roleDefinitionIds: [ROLE.helpdeskAdministrator.toUpperCase()],
    createdDateTime: undefined,
    lastModifiedDateTime: undefined,
    activatedDateTime: "2026-03-10T10:30:00+01:00",
    endDateTime: undefined,
  };

  it("puts timestamps in UTC, role ids in lower case, and ends a relationship its duration after activation when Graph gives no end", () => {
    expect(graphViewOf(wire)).to.deep.equal({
      id: GRAPH_ID,
      displayName: "PD-x",
      status: "active",
      customerTenantId: CUSTOMER,
      roleIds: [ROLE.helpdeskAdministrator],
      activatedAt: "2026-03-10T09:30:00.000Z",
      endsAt: "2026-09-06T09:30:00.000Z",
      autoExtendDuration: "PT0S",
      approvalLink: approvalLink(GRAPH_ID),
    });
    expect(graphViewOf({ ...wire, endDateTime: "2026-09-01T00:00:00Z" }).endsAt).to.equal("2026-09-01T00:00:00.000Z");
  });
});

describe("the sync state's lease", () => {
  const partner = { partnerId: "granular", partnerTenantId: "partner-tenant" };
  const now = new Date(NOW);

  it("is another instance's until it runs out, never our own", () => {
    const held = leased(undefined, partner, "instance-a", new Date(now.getTime() + 60_000));
    expect(leasedByOther(held, "instance-b", now)).to.equal(true);
    expect(leasedByOther(held, "instance-a", now)).to.equal(false);
    expect(leasedByOther(held, "instance-b", new Date(now.getTime() + 60_001))).to.equal(false);
    expect(leasedByOther(undefined, "instance-b", now)).to.equal(false);
  });

  it("is given back when an attempt ends; only a success moves lastSyncedAt", () => {
    const held: GdapSyncState = { ...leased(undefined, partner, "a", now), lastSyncedAt: "2026-03-10T08:00:00.000Z" };
    const failed = finished(held, { code: "GDAP.UNAVAILABLE", at: NOW });
    expect(failed).to.deep.equal({
      ...partner,
      lastSyncedAt: "2026-03-10T08:00:00.000Z",
      lastOutcome: { code: "GDAP.UNAVAILABLE", at: NOW },
    });
    expect(finished(held, { code: SYNC_OK, at: NOW }).lastSyncedAt).to.equal(NOW);
  });
});
