import { z } from "zod";

/**
 * Where the status sync stands for one connected partner: when Graph was last read successfully, what the last
 * attempt found, and who is syncing it now. Kept in the partner's own tenant (beside its connection), so every
 * instance sees one row per partner. The lease is an ETag-conditional write: whoever wrote it first syncs the
 * partner until `until`; the others leave it alone, so several instances do not read Graph for it at once.
 */

/** The last attempt went through: Graph listed the partner's relationships and Partner Desk followed them. */
export const SYNC_OK = "SYNC.OK";

export const SyncOutcomeSchema = z.object({
  /** SYNC_OK, or the code of what failed (a GDAP_ERROR code: unavailable, no consent, the permission...). */
  code: z.string().min(1).max(100),
  at: z.iso.datetime(),
  message: z.string().max(500).optional(),
  /** What Graph asked to wait (a throttled listing), when it did. */
  retryAfterMs: z.number().int().nonnegative().optional(),
  /** Relationships Graph listed, rows changed (decisions committed), relationships left untracked, and failures. */
  relationships: z.number().int().nonnegative().optional(),
  changed: z.number().int().nonnegative().optional(),
  untracked: z.number().int().nonnegative().optional(),
  failed: z.number().int().nonnegative().optional(),
});
export type SyncOutcome = z.infer<typeof SyncOutcomeSchema>;

export const GdapSyncStateSchema = z.object({
  partnerId: z.string().min(1).max(64),
  partnerTenantId: z.string().min(1).max(64),
  /** The last time Graph's answer was read and followed: what "Checked with Microsoft Graph at …" shows. */
  lastSyncedAt: z.iso.datetime().optional(),
  lastOutcome: SyncOutcomeSchema.optional(),
  lease: z.object({ owner: z.string().min(1).max(100), until: z.iso.datetime() }).optional(),
});
export type GdapSyncState = z.infer<typeof GdapSyncStateSchema>;

/** Someone else is syncing the partner now (their lease has not run out). */
export const leasedByOther = (state: GdapSyncState | undefined, owner: string, now: Date): boolean =>
  state?.lease !== undefined && state.lease.owner !== owner && Date.parse(state.lease.until) > now.getTime();

/** The state with our lease on it until `until`. */
export function leased(
  state: GdapSyncState | undefined,
  partner: { partnerId: string; partnerTenantId: string },
  owner: string,
  until: Date,
): GdapSyncState {
  return { ...(state ?? partner), lease: { owner, until: until.toISOString() } };
}

/** The state after an attempt, the lease given back: a success moves lastSyncedAt, a failure only records itself. */
export function finished(state: GdapSyncState, outcome: SyncOutcome): GdapSyncState {
  const { lease: _released, ...rest } = state;
  return { ...rest, ...(outcome.code === SYNC_OK ? { lastSyncedAt: outcome.at } : {}), lastOutcome: outcome };
}
