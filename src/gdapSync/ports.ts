/**
 * What the status sync needs from the rest of the house, as narrow ports over domain types: storage implements
 * the reads, the decision store the one way to write, the Microsoft port (Graph, or a simulated Partner Center)
 * the listing. src/gdapSyncWiring.ts plugs them in.
 */
import type { Logger } from "pino";
import type { Decision } from "../domain/decision.js";
import type { GdapSyncState } from "../domain/gdapSyncState.js";
import type { Invitation } from "../domain/invitation.js";
import type { GraphReadBudget, GraphRelationship } from "../domain/microsoftSync.js";
import type { Partner } from "../domain/partner.js";
import type { PartnerConnection } from "../domain/partnerConnection.js";
import type { Relationship } from "../domain/relationship.js";
import type { Result } from "../domain/result.js";
import type { Versioned } from "../domain/versioned.js";

/** A connected partner as the sync addresses it: the partner, and the tenant its connection (and Graph's relationships) live in. */
export type SyncTarget = Pick<PartnerConnection, "partnerId" | "partnerTenantId">;

export interface SyncConnections {
  /** Every partner whose connection is `connected`. */
  listConnected(): Promise<PartnerConnection[]>;
  get(partnerTenantId: string, partnerId: string): Promise<Versioned<PartnerConnection> | undefined>;
}

/** The sync's own row per partner: last sync, last outcome, lease. */
export interface SyncStateStore {
  get(partnerTenantId: string, partnerId: string): Promise<Versioned<GdapSyncState> | undefined>;
  /** ETag-conditional on `read` (or a create without it): undefined when someone else wrote the row first. */
  save(state: GdapSyncState, read: Versioned<GdapSyncState> | undefined): Promise<Versioned<GdapSyncState> | undefined>;
}

export interface GdapSyncDeps {
  connections: SyncConnections;
  /** The partner directory: an imported relationship's name, and which tenant a partner's connection is in. */
  partners: { get(partnerId: string): Promise<Partner | undefined> };
  microsoft: { listRelationships(partnerTenantId: string, budget: GraphReadBudget): Promise<Result<GraphRelationship[]>> };
  invitations: { get(tenantId: string, id: string): Promise<Versioned<Invitation> | undefined> };
  relationships: { get(tenantId: string, partnerId: string): Promise<Versioned<Relationship> | undefined> };
  /** The one way business rows change: a decision, conditional on the versions read (DECISION.CONFLICT otherwise). */
  decisions: { commit(decision: Decision, read?: ReadonlyArray<Versioned<unknown> | undefined>): Promise<Result<{ etags: string[] }>> };
  state: SyncStateStore;
  logger: Logger;
  now?: () => Date;
  /** Customer tenants the bot serves (ALLOWED_TENANTS): a relationship with any other customer is left alone. */
  customerAllowed?: (tenantId: string) => boolean;
}
