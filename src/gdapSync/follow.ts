import { randomUUID } from "node:crypto";
import { invitationIdFor, type GdapRelationshipStatus } from "../domain/microsoftSide.js";
import { MICROSOFT_GRAPH, syncFromGraph, type GraphRelationship, type SyncPartner, type SyncTransition } from "../domain/microsoftSync.js";
import type { DecisionContext } from "../domain/decisionRows.js";
import type { GdapSyncDeps } from "./ports.js";

/** A decision that lost to another writer is re-read and decided again, this many times in all. */
export const MAX_DECISION_ATTEMPTS = 3;

/** What following one partner's relationships did. */
export interface FollowReport {
  /** Decisions committed. */
  changed: number;
  untracked: number;
  /** Relationships whose rows could not be brought up to date (kept conflicting, or a row did not fit). */
  failed: number;
  transitions: SyncTransition[];
}

/**
 * Ended relationships first, then those ending, then requests, then those in effect: when a partner's relationship
 * with a customer expired and a new one took its place, the old record ends before the new one is taken in, in
 * the same pass.
 */
const ORDER: Record<GdapRelationshipStatus, number> = {
  expired: 0,
  terminated: 0,
  terminationRequested: 1,
  terminating: 1,
  created: 2,
  approvalPending: 2,
  approved: 2,
  activating: 2,
  active: 3,
  expiring: 3,
  unknownFutureValue: 4,
};

/**
 * Brings Partner Desk's rows up to date with what Graph listed for one partner: per relationship, read the rows,
 * decide (src/domain/microsoftSync.ts), commit conditional on the versions read; a conflict (someone, perhaps
 * another instance's sync, changed a row meanwhile) is read and decided again, so a transition is committed, and
 * notified, once. One relationship's failure does not stop the others.
 */
export async function followRelationships(
  deps: GdapSyncDeps,
  partner: SyncPartner,
  relationships: readonly GraphRelationship[],
  correlationId: string,
): Promise<FollowReport> {
  const report: FollowReport = { changed: 0, untracked: 0, failed: 0, transitions: [] };
  const ordered = [...relationships].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  for (const graph of ordered) {
    const customer = graph.customerTenantId;
    if (!customer || !(deps.customerAllowed?.(customer) ?? true)) continue;
    try {
      const followed = await followOne(deps, partner, graph, customer, correlationId);
      if (followed.changed) report.changed++;
      if (followed.untracked) report.untracked++;
      if (followed.transition) report.transitions.push(followed.transition);
    } catch (error) {
      report.failed++;
      deps.logger.error(
        { err: error, partnerId: partner.id, relationshipId: graph.id, customerTenantId: customer, correlationId },
        "GDAP sync: a relationship could not be brought up to date",
      );
    }
  }
  return report;
}

async function followOne(
  deps: GdapSyncDeps,
  partner: SyncPartner,
  graph: GraphRelationship,
  customerTenantId: string,
  correlationId: string,
): Promise<{ changed: boolean; untracked: boolean; transition?: SyncTransition }> {
  for (let attempt = 1; attempt <= MAX_DECISION_ATTEMPTS; attempt++) {
    const [invitation, relationship] = await Promise.all([
      deps.invitations.get(customerTenantId, invitationIdFor(graph.id)),
      deps.relationships.get(customerTenantId, partner.id),
    ]);
    const verdict = syncFromGraph(
      graph,
      partner,
      { invitation: invitation?.value, relationship: relationship?.value },
      contextFor(deps, customerTenantId, correlationId),
    );
    if (!verdict?.decision) return { changed: false, untracked: verdict?.untracked ?? false };
    const committed = await deps.decisions.commit(verdict.decision, [invitation, relationship]);
    if (committed.ok)
      return { changed: true, untracked: verdict.untracked, ...(verdict.transition ? { transition: verdict.transition } : {}) };
  }
  throw new Error(`the rows changed under every one of ${MAX_DECISION_ATTEMPTS} attempts`);
}

function contextFor(deps: GdapSyncDeps, tenantId: string, correlationId: string): DecisionContext {
  return {
    tenantId,
    actor: { ...MICROSOFT_GRAPH },
    now: (deps.now ?? (() => new Date()))().toISOString(),
    correlationId,
    newId: () => randomUUID(),
  };
}
