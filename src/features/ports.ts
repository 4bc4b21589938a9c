import type { AccessReview } from "../domain/accessReview.js";
import type { Acceptance, Agreement } from "../domain/agreement.js";
import type { AuditEvent } from "../domain/audit.js";
import type { ContactRequest } from "../domain/contactRequest.js";
import type { ConversationRecord } from "../domain/conversation.js";
import type { Decision } from "../domain/decision.js";
import type { Invitation } from "../domain/invitation.js";
import type { CarriedOutRemoval } from "../domain/microsoftRemoval.js";
import type { MicrosoftSide } from "../domain/microsoftSide.js";
import type { GraphReadBudget, GraphRelationship } from "../domain/microsoftSync.js";
import type { Partner } from "../domain/partner.js";
import type { PartnerConnection } from "../domain/partnerConnection.js";
import type { Relationship } from "../domain/relationship.js";
import type { Result } from "../domain/result.js";
import type { RoleTemplateId } from "../domain/roles.js";
import type { TenantPolicy } from "../domain/tenantPolicy.js";
import type { Versioned } from "../domain/versioned.js";
import type { SearchPage, SearchQuery } from "../partner-directory/search.js";
import type { DueItem } from "../jobs/scheduledJob.js";
import type { TurnedOnAutoExtension } from "../domain/extension.js";

/**
 * What features may read and the one way they write, each as a small role-based interface. A route names the
 * ports it uses in its context type, so its signature tells what it reads and writes, and a test hands it
 * small fakes of exactly those. Storage and the directories implement them; the composition root wires them.
 */

export interface InvitationReads {
  get(tenantId: string, id: string): Promise<Versioned<Invitation> | undefined>;
  listPending(tenantId: string): Promise<Array<Versioned<Invitation>>>;
}

export interface RelationshipReads {
  get(tenantId: string, partnerId: string): Promise<Versioned<Relationship> | undefined>;
  listForTenant(tenantId: string): Promise<Array<Versioned<Relationship>>>;
}

/**
 * A partner's work across its customers, for its contacts' home: what customers asked it, what it sent them, whom
 * it works with. Each customer's records live in that customer's partition, so these read across partitions.
 */
export interface PartnerWorkReads {
  /** Contact requests naming the partner, newest first, at most `max`. */
  contactRequestsFor(partnerId: string, max: number): Promise<ContactRequest[]>;
  /** Invitations the partner sent, newest first, at most `max`. */
  invitationsFrom(partnerId: string, max: number): Promise<Invitation[]>;
  /** The partner's relationships with its customers, in any status. */
  relationshipsOf(partnerId: string): Promise<Relationship[]>;
}

export interface AgreementReads {
  /** The version in force at `now` (the latest effective one). */
  current(now: Date): Promise<Agreement | undefined>;
}

export interface AcceptanceReads {
  /** One recorded acceptance of the agreement (with Partner Center's Agreement record when it has one). */
  get(tenantId: string, id: string): Promise<Versioned<Acceptance> | undefined>;
}

export interface AuditReads {
  /** The tenant's latest events, newest first. */
  latest(tenantId: string, maxResults?: number): Promise<AuditEvent[]>;
}

export interface AuditHistory {
  /**
   * The tenant's events at or after `from` and before `until` (ISO instants; either may be left open), newest
   * first, at most `maxResults`: one RowKey range in the tenant's own partition, never a cross-partition query.
   */
  between(tenantId: string, range: { from?: string; until?: string }, maxResults: number): Promise<AuditEvent[]>;
}

export interface AccessReviewReads {
  get(tenantId: string, id: string): Promise<Versioned<AccessReview> | undefined>;
  /** The tenant's reviews, open and completed (a few a year). */
  listForTenant(tenantId: string): Promise<Array<Versioned<AccessReview>>>;
}

export interface ContactRequestReads {
  get(tenantId: string, id: string): Promise<Versioned<ContactRequest> | undefined>;
}

export interface TenantNames {
  /** The name partners see for a customer tenant (set with a contact request), if it has one. */
  displayName(tenantId: string): Promise<string | undefined>;
}

export interface TenantPolicyReads {
  /** The tenant's own rules (four-eyes), with the ETag a change is conditional on; undefined: never set (defaults). */
  get(tenantId: string): Promise<Versioned<TenantPolicy> | undefined>;
}

export interface ConversationReads {
  /** Everyone of the tenant the bot can reach (partner contacts and admins who talked to it). */
  listForTenant(tenantId: string): Promise<Array<Versioned<ConversationRecord>>>;
}

export interface AdminAudience {
  /** The Teams ids (MRIs) of the tenant's admins who talk to the bot in Teams: whose invitation cards refresh. */
  teamsAdminIds(tenantId: string): Promise<string[]>;
}

export interface ConnectionReads {
  /** A partner's connection to Microsoft, kept in the partner's own tenant; undefined if it never connected. */
  get(partnerTenantId: string, partnerId: string): Promise<Versioned<PartnerConnection> | undefined>;
}

/**
 * Microsoft as features see it: the partner side of GDAP, reached with an app-only token in the partner's own
 * tenant. Failures are values whose code names what the partner must fix (GDAP_ERROR: no consent, the permission,
 * the service principal, unavailable) or that there is no app to connect to (MICROSOFT_ERRORS.localMode).
 */
export interface MicrosoftConnection {
  /** Lists the partner's delegatedAdminRelationships in Graph: proof that the connection works, and how many it sees. */
  checkConnection(partnerTenantId: string): Promise<Result<{ relationships: number }>>;
  /** The admin-consent link for the partner's tenant, or undefined when the bot has no app registration (local mode). */
  adminConsentLink(partnerTenantId: string): string | undefined;
  /**
   * The GDAP relationship for this request in the partner's tenant, created if it has none of that display name,
   * and locked for approval, so the customer can approve it at its approval link. The same display name finds the
   * same relationship: a retried send makes one. Stores nothing in Partner Desk.
   */
  requestRelationship(partnerTenantId: string, request: RelationshipRequest): Promise<Result<MicrosoftSide>>;
  /**
   * A customer's removal of roles (or the end of the relationship) carried out in the partner's tenant: the
   * relationship read fresh, then the remaining roles PATCHed with its ETag (only while active), or the relationship
   * terminated when none would remain; a stale ETag is read again and tried once more. Stores nothing in Partner
   * Desk: the caller records what Microsoft answered, and only when it answered.
   */
  carryOutRemoval(partnerTenantId: string, request: RemovalRequest): Promise<Result<CarriedOutRemoval>>;
  /**
   * Auto-extension (180 days) turned on for one of the partner's GDAP relationships: read fresh, PATCHed with its
   * ETag. Refused before sending with Global Administrator among the roles. Stores nothing in Partner Desk: the caller
   * records what Microsoft answered, and only when it answered.
   */
  turnOnAutoExtend(partnerTenantId: string, relationshipId: string): Promise<Result<TurnedOnAutoExtension>>;
  /** Every GDAP relationship of the partner in Graph (all pages), for the status sync: a read, within `budget`. */
  listRelationships(partnerTenantId: string, budget: GraphReadBudget): Promise<Result<GraphRelationship[]>>;
}

/** What a customer's removal asks the partner's connection to do to one GDAP relationship. */
export interface RemovalRequest {
  relationshipId: string;
  /** Entra role template ids to take away, or "all": the end of the relationship (terminate). */
  roles: readonly string[] | "all";
}

/** The status sync on demand: a card about a connected partner's relationship shows what Microsoft said lately. */
export interface MicrosoftSyncOnDemand {
  /**
   * Brings a connected partner's relationships up to date from Microsoft Graph when they were last checked more
   * than a minute ago, within a short budget (past it, what is stored stands). Resolves to when Partner Desk last
   * checked them with Graph (undefined when the partner is not connected or was never checked), and whether a sync
   * ran to its end just now (the rows may have changed).
   */
  freshen(partnerId: string): Promise<{ checkedAt: string | undefined; synced: boolean }>;
}

/** What a connected partner asks Microsoft for when it sends an invitation. */
export interface RelationshipRequest {
  /** The idempotency key (gdapDisplayName): at most 50 characters, the same for the same request. */
  displayName: string;
  customerTenantId: string;
  customerName?: string;
  /** Entra role template ids (Graph's roleDefinitionId). */
  roles: readonly string[];
  durationDays: number;
}

export const MICROSOFT_ERRORS = {
  /** The bot runs without an app id (local mode): there is no app a partner could consent to, so no call is made. */
  localMode: "MICROSOFT.LOCAL_MODE",
  /**
   * The partner's relationship of that display name (the same request, sent before) is past approval in Microsoft
   * (approved, active, ended): it cannot become a new invitation. A changed message or duration is a new request.
   */
  requestAlreadyDecided: "MICROSOFT.REQUEST_ALREADY_DECIDED",
} as const;

/** The one way a feature writes: a domain decision, conditional on the versions it read. */
export interface Decisions {
  /** Resolves to the new ETags, or the failure `DECISION.CONFLICT` when a row changed since it was read. */
  commit(decision: Decision, read?: ReadonlyArray<Versioned<unknown> | undefined>): Promise<Result<{ etags: string[] }>>;
}

export interface PartnerDirectory {
  search(query: SearchQuery): Promise<SearchPage>;
  get(id: string): Promise<Partner | undefined>;
  /** The partner whose listed contact this user is, if any: only such users act as partners. */
  partnerOfContact(tenantId: string, userId: string): Promise<Partner | undefined>;
  /** Every city and country (English name) the directory's partners serve: what a typed request may name as a place. */
  places(): Promise<readonly string[]>;
}

export interface RoleHolders {
  /** Names of the tenant's people holding any of these roles: a refusal says whom to ask. */
  holdersOf(tenantId: string, roleIds: readonly RoleTemplateId[]): Promise<readonly string[]>;
}

/** The local demo's own controls; only the local demo (the embedded default, seeded) has them. */
export interface DemoControls {
  /** The demo's customer tenant: only its admins may reset the demo. */
  tenantId: string;
  /** Puts the demo back as it was seeded. Resolves to how many of the demo's invitations are pending now. */
  reset(): Promise<{ pendingInvitations: number }>;
}

/**
 * Work a feature makes due later (a review's reminder): an entry in the scheduler's due index, written after the
 * commit that makes it due (an idempotent upsert). The job checks the tenant's rows when it runs.
 */
export interface ScheduleWork {
  at(item: DueItem): Promise<void>;
}

/** Every port; the bot hands all of them to the router, each route sees only the ones it names. */
export interface Ports {
  invitations: InvitationReads;
  relationships: RelationshipReads;
  agreements: AgreementReads;
  acceptances: AcceptanceReads;
  audit: AuditReads;
  /** The audit trail by date range, for the export. */
  auditHistory: AuditHistory;
  contactRequests: ContactRequestReads;
  tenantNames: TenantNames;
  adminAudience: AdminAudience;
  decisions: Decisions;
  partners: PartnerDirectory;
  roleHolders: RoleHolders;
  connections: ConnectionReads;
  microsoft: MicrosoftConnection;
  microsoftSync: MicrosoftSyncOnDemand;
  partnerWork: PartnerWorkReads;
  tenantPolicies: TenantPolicyReads;
  accessReviews: AccessReviewReads;
  schedule: ScheduleWork;
  /** Absent outside the local demo: `reset demo` is then refused. */
  demo?: DemoControls;
}

/** For routes that read and write nothing (the menu, what partner types mean). */
export type NoPorts = Pick<Ports, never>;
