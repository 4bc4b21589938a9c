import { randomUUID } from "node:crypto";
import { finished, leased, leasedByOther, SYNC_OK, type GdapSyncState, type SyncOutcome } from "../domain/gdapSyncState.js";
import type { GraphReadBudget } from "../domain/microsoftSync.js";
import { followRelationships, type FollowReport } from "./follow.js";
import type { GdapSyncDeps, SyncTarget } from "./ports.js";

/** Some relationships could not be followed: the listing worked, but lastSyncedAt does not move. */
export const SYNC_INCOMPLETE = "SYNC.INCOMPLETE";
/** Something other than Graph failed (storage); nothing is known to be half-done: every decision is all or nothing. */
export const SYNC_ERROR = "SYNC.ERROR";

/** One partner's sync: skipped (another instance holds it), or what the attempt found and the state it left. */
export type PartnerSyncResult =
  | { kind: "skipped"; state: GdapSyncState | undefined }
  | { kind: "synced"; outcome: SyncOutcome; state: GdapSyncState; transitions: FollowReport["transitions"] };

export interface PartnerSyncOptions {
  /** This instance, as the lease names it. */
  owner: string;
  /** How long the lease keeps other instances away; past it a crashed instance's partner is taken over. */
  leaseMs: number;
  budget: GraphReadBudget;
}

/**
 * Syncs one connected partner: takes the partner's lease (an ETag-conditional write of its sync-state row; whoever
 * loses leaves the partner alone), lists its relationships in Graph, follows them, and writes the outcome with the
 * lease given back. A Graph failure (outage, throttling past the budget, consent or permission withdrawn) changes
 * nothing in Partner Desk: it is recorded in the sync state and logged as one line.
 */
export async function syncPartner(deps: GdapSyncDeps, target: SyncTarget, options: PartnerSyncOptions): Promise<PartnerSyncResult> {
  const now = deps.now ?? (() => new Date());
  const read = await deps.state.get(target.partnerTenantId, target.partnerId);
  if (leasedByOther(read?.value, options.owner, now())) return { kind: "skipped", state: read?.value };
  const until = new Date(now().getTime() + options.leaseMs);
  const mine = await deps.state.save(leased(read?.value, target, options.owner, until), read);
  if (!mine) return { kind: "skipped", state: read?.value };

  const correlationId = `gdap-sync-${randomUUID()}`;
  let followed: FollowReport | undefined;
  let outcome: SyncOutcome;
  try {
    ({ outcome, followed } = await listAndFollow(deps, target, options.budget, correlationId));
  } catch (error) {
    outcome = { code: SYNC_ERROR, at: now().toISOString(), message: String(error instanceof Error ? error.message : error).slice(0, 500) };
  }
  const state = finished(mine.value, outcome);
  const saved = await deps.state.save(state, mine);
  log(deps, target, options, outcome, correlationId, saved !== undefined);
  return { kind: "synced", outcome, state: saved?.value ?? state, transitions: followed?.transitions ?? [] };
}

async function listAndFollow(
  deps: GdapSyncDeps,
  target: SyncTarget,
  budget: GraphReadBudget,
  correlationId: string,
): Promise<{ outcome: SyncOutcome; followed?: FollowReport }> {
  const now = deps.now ?? (() => new Date());
  const listed = await deps.microsoft.listRelationships(target.partnerTenantId, budget);
  if (!listed.ok) {
    const retryAfterMs = listed.details?.["retryAfterMs"];
    return {
      outcome: {
        code: listed.code,
        at: now().toISOString(),
        message: listed.message.slice(0, 500),
        ...(typeof retryAfterMs === "number" ? { retryAfterMs: Math.round(retryAfterMs) } : {}),
      },
    };
  }
  const name = (await deps.partners.get(target.partnerId))?.name ?? target.partnerId;
  const partner = { id: target.partnerId, name, tenantId: target.partnerTenantId };
  const followed = await followRelationships(deps, partner, listed.value, correlationId);
  return {
    followed,
    outcome: {
      code: followed.failed === 0 ? SYNC_OK : SYNC_INCOMPLETE,
      at: now().toISOString(),
      relationships: listed.value.length,
      changed: followed.changed,
      untracked: followed.untracked,
      failed: followed.failed,
    },
  };
}

/** One structured line per partner and attempt; a failure says that nothing in Partner Desk changed. */
function log(
  deps: GdapSyncDeps,
  target: SyncTarget,
  options: PartnerSyncOptions,
  outcome: SyncOutcome,
  correlationId: string,
  leaseKept: boolean,
): void {
  const line = { ...target, budget: options.budget, correlationId, ...outcome, leaseKept };
  if (outcome.code === SYNC_OK) {
    if (outcome.changed) deps.logger.info(line, "GDAP sync: Partner Desk follows what Microsoft Graph says");
    else deps.logger.debug(line, "GDAP sync: nothing changed");
  } else if (outcome.code === SYNC_INCOMPLETE || outcome.code === SYNC_ERROR) {
    deps.logger.error(line, "GDAP sync: incomplete; the relationships not followed are tried again next time");
  } else {
    deps.logger.warn(line, "GDAP sync: Microsoft Graph could not be read; nothing in Partner Desk changed");
  }
}
