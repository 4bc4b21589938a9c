import type { Invitation } from "./invitation.js";
import type { GdapRelationshipStatus, MicrosoftSide } from "./microsoftSide.js";
import { ADMIN_PARTNER_TYPES, type PartnerType } from "./partnerTypes.js";
import type { Relationship } from "./relationship.js";
import { RoleTemplateIdSchema, type RoleTemplateId } from "./roles.js";

/**
 * The rows the status sync writes, computed from what Microsoft Graph says about one GDAP relationship. Pure: no
 * I/O, no clock (the time comes in as `now`), so the rules read as rules (src/domain/microsoftSync.ts puts them
 * together into one decision).
 */

/** What Microsoft Graph says about one GDAP relationship, as the sync needs it (src/microsoft builds it from Graph's answer). */
export interface GraphRelationship {
  id: string;
  displayName: string;
  status: GdapRelationshipStatus;
  /** The customer's tenant; absent when Graph names no customer (the sync then has nowhere to put it). */
  customerTenantId: string | undefined;
  /** Entra role template ids (Graph's roleDefinitionId), lower-case. */
  roleIds: readonly string[];
  activatedAt?: string;
  /** Microsoft's endDateTime: when the roles end. */
  endsAt?: string;
  autoExtendDuration?: string;
  /** Where the customer's Global administrator approves it. */
  approvalLink: string;
}

/**
 * How long a read of Graph may take: `background` for the scheduled sync (nobody waits; throttling is waited out),
 * `onDemand` for a card someone is opening (one quick try).
 */
export type GraphReadBudget = "background" | "onDemand";

/** The partner whose connection the sync reads with, and where its relationships live. */
export interface SyncPartner {
  id: string;
  /** The name an imported relationship shows (the directory's). */
  name: string;
  /** The partner's Entra tenant, where Graph holds its relationships. */
  tenantId: string;
}

/** Who decided what the sync writes: Microsoft, as Graph reported it. */
export const MICROSOFT_GRAPH = { userId: "microsoft-graph", name: "Microsoft Graph" } as const;
/** Who approved a GDAP request that Microsoft shows active though nobody accepted it in chat. */
export const MICROSOFT_365_ADMIN_CENTER = { userId: "microsoft-365-admin-center", name: "Microsoft 365 admin center" } as const;
/** The source every change the sync makes is audited with. */
export const SYNC_SOURCE = "Microsoft Graph";

/** Graph statuses in which the roles are in effect. */
const IN_EFFECT: ReadonlySet<GdapRelationshipStatus> = new Set(["active", "expiring"]);
/** Graph statuses of a relationship Microsoft is ending (the roles still work until it is terminated). */
const ENDING: ReadonlySet<GdapRelationshipStatus> = new Set(["terminationRequested", "terminating"]);
/** Graph statuses before the customer's approval took effect. */
const BEFORE_APPROVAL: ReadonlySet<GdapRelationshipStatus> = new Set(["created", "approvalPending", "approved", "activating"]);

export const inEffect = (status: GdapRelationshipStatus): boolean => IN_EFFECT.has(status);
export const beforeApproval = (status: GdapRelationshipStatus | undefined): boolean => status !== undefined && BEFORE_APPROVAL.has(status);
/** Partner Desk's relationship is still in force (possibly with an end asked for). */
export const isLive = (relationship: Relationship): boolean =>
  relationship.status === "active" || relationship.status === "terminationRequested";

/**
 * Microsoft's side as Graph says it now. `syncedAt` stays the previous one here: it moves only when something
 * else changed (see `stamped`), so a pass that finds nothing new writes nothing.
 */
export function sideFrom(
  graph: GraphRelationship,
  previous: MicrosoftSide | undefined,
  partnerTenantId: string,
  now: string,
): MicrosoftSide {
  return {
    relationshipId: graph.id,
    displayName: graph.displayName,
    partnerTenantId,
    status: graph.status,
    approvalLink: previous?.approvalLink ?? graph.approvalLink,
    ...(graph.activatedAt ? { activatedAt: graph.activatedAt } : {}),
    ...(graph.endsAt ? { endsAt: graph.endsAt } : {}),
    ...(graph.autoExtendDuration ? { autoExtendDuration: graph.autoExtendDuration } : {}),
    syncedAt: previous?.syncedAt ?? now,
  };
}

/** The row with its Microsoft side marked as read from Graph now. */
export function stamped<T extends { microsoft?: MicrosoftSide }>(row: T, now: string): T {
  return row.microsoft ? { ...row, microsoft: { ...row.microsoft, syncedAt: now } } : row;
}

/**
 * Graph's roles as Partner Desk keeps them, each until Microsoft's end date. Partner Desk names the built-in roles
 * it knows (src/domain/roles.ts); any other role Graph lists is left out of the row (the audit event keeps it).
 */
export function grantedRoles(graph: GraphRelationship, expiresAt: string): Relationship["roles"] {
  const known = [...new Set(graph.roleIds.map((id) => id.toLowerCase()))].filter(
    (id): id is RoleTemplateId => RoleTemplateIdSchema.safeParse(id).success,
  );
  return known.map((roleId) => ({ roleId, expiresAt }));
}

/** Graph's roles Partner Desk cannot name, for the audit event. */
export const unnamedRoles = (graph: GraphRelationship): string[] =>
  graph.roleIds.filter((id) => !RoleTemplateIdSchema.safeParse(id.toLowerCase()).success);

/**
 * A relationship Partner Desk already links to this Graph relationship, brought to what Microsoft says: in effect
 * (active, with Graph's roles until Microsoft's end date), ending, expired or terminated (no roles). Before the
 * approval nothing but Microsoft's side changes. A customer's request to end it, made in chat, stays requested
 * while Microsoft still shows it active: Graph does not know of that request.
 */
export function followed(relationship: Relationship, side: MicrosoftSide, graph: GraphRelationship, now: string): Relationship {
  const base: Relationship = { ...relationship, microsoft: side };
  if (inEffect(graph.status)) {
    const endsAt = graph.endsAt ?? relationship.endsAt ?? now;
    const status = relationship.status === "terminationRequested" ? "terminationRequested" : "active";
    return { ...base, status, roles: grantedRoles(graph, endsAt), endsAt };
  }
  if (ENDING.has(graph.status))
    return { ...base, status: "terminationRequested", terminationRequestedAt: relationship.terminationRequestedAt ?? now };
  if (graph.status === "expired" || graph.status === "terminated")
    return { ...base, status: graph.status, roles: [], endsAt: graph.endsAt ?? relationship.endsAt ?? now };
  return base;
}

/** Admin roles make the partner a delegated administrator, whatever else it is for the customer. */
function withAdminType(types: readonly PartnerType[]): PartnerType[] {
  return types.some((type) => ADMIN_PARTNER_TYPES.has(type)) ? [...types] : [...types, "delegatedAdministrator"];
}

/**
 * The relationship a Graph relationship in effect leaves when Partner Desk did not follow it: a new one (made
 * outside Partner Desk), one that replaces an ended record, or a standalone record (no Microsoft side) now linked
 * to it. What the customer agreed in chat (the agreement, the types) is kept; nothing is assumed accepted.
 */
export function imported(
  existing: Relationship | undefined,
  side: MicrosoftSide,
  graph: GraphRelationship,
  partner: { id: string; name: string },
  customerTenantId: string,
  now: string,
): Relationship {
  const endsAt = graph.endsAt ?? now;
  const keep = existing !== undefined && isLive(existing);
  return {
    tenantId: customerTenantId,
    partnerId: partner.id,
    partnerName: existing?.partnerName ?? partner.name,
    types: withAdminType(existing?.types ?? []),
    roles: grantedRoles(graph, endsAt),
    agreement: existing?.agreement ?? { status: "notAccepted" },
    status: keep && existing.status === "terminationRequested" ? "terminationRequested" : "active",
    since: keep ? existing.since : (graph.activatedAt ?? now),
    endsAt,
    ...(keep && existing.terminationRequestedAt ? { terminationRequestedAt: existing.terminationRequestedAt } : {}),
    microsoft: side,
  };
}

/**
 * A pending GDAP invitation that Microsoft shows in effect: the customer's Global administrator approved it in the
 * admin center without deciding in chat. The relationship gets the asked types and Graph's roles; the agreement is
 * not recorded as accepted (nobody accepted it in chat), unless a relationship in force already had it.
 */
export function approvedInAdminCenter(
  invitation: Invitation,
  existing: Relationship | undefined,
  side: MicrosoftSide,
  graph: GraphRelationship,
  now: string,
): Relationship {
  const endsAt = graph.endsAt ?? now;
  const keep = existing !== undefined && isLive(existing);
  return {
    tenantId: invitation.tenantId,
    partnerId: invitation.partnerId,
    partnerName: invitation.partnerName,
    types: [...new Set([...(keep ? existing.types : []), ...invitation.relationshipTypes])],
    roles: grantedRoles(graph, endsAt),
    agreement: keep ? existing.agreement : { status: "notAccepted" },
    status: "active",
    since: keep ? existing.since : (graph.activatedAt ?? now),
    endsAt,
    microsoft: side,
  };
}

/**
 * The invitation as Microsoft leaves it: its side always; a pending one becomes accepted (approved in the admin
 * center), expired, or withdrawn (Microsoft ended the request before anyone approved it).
 */
export function invitationAfter(invitation: Invitation, side: MicrosoftSide, graph: GraphRelationship, now: string): Invitation {
  const next: Invitation = { ...invitation, microsoft: side };
  if (invitation.status !== "pending") return next;
  if (inEffect(graph.status)) return { ...next, status: "accepted", decidedAt: now, decidedBy: { ...MICROSOFT_365_ADMIN_CENTER } };
  if (graph.status === "expired") return { ...next, status: "expired", expiresAt: invitation.expiresAt < now ? invitation.expiresAt : now };
  if (graph.status === "terminated" || ENDING.has(graph.status))
    return { ...next, status: "withdrawn", decidedAt: now, decidedBy: { ...MICROSOFT_GRAPH } };
  return next;
}

/** Two rows hold the same values, whatever the order of their keys (stored rows and computed ones differ in it). */
export function sameRow(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, field]) => field !== undefined)
            .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
        )
      : v,
  );
}
