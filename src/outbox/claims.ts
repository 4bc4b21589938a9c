import { hasWork, type PassAudience } from "./audience.js";
import type { PassItem, PassQueue } from "./passQueue.js";
import type { Lease, OutboxRow, OutboxStore } from "./ports.js";
import { dueAt, isFree } from "./takeable.js";

export interface ClaimOptions {
  /** Written as the lease owner: another instance leaves the row alone until the lease runs out. */
  owner: string;
  /** How long a claimed notification is left alone by other instances. */
  leaseMs: number;
  /** Most rows of one partition claimed in one request (1 claims every row on its own). */
  claimBatch: number;
  now: () => Date;
}

/** A row another instance leased on a shard we now hold is tried again this soon (or when its lease runs out). */
const RETAKE_AFTER_MS = 1_000;

/** What a claim-ahead looks at: the pass's listing (to reserve rows from) and who each row goes to. */
export interface PassView {
  queue: PassQueue;
  audience: PassAudience;
}

/**
 * Leases on outbox rows. A lease is an ETag-conditional write of `{ owner, until }`: if another instance
 * wrote the row first, the row is theirs, so two instances never work on the same notification.
 */
export class Claims {
  constructor(
    private readonly rows: OutboxStore,
    private readonly options: ClaimOptions,
  ) {}

  /**
   * The row, leased by us, ready to deliver; undefined if someone else has it. A row already under our lease
   * is used as it is while at least half its lease is left (a send must not outlive it); otherwise it is renewed.
   * A row from the listing is claimed together with the next ones of its tenant (see `claimAhead`).
   */
  async secure(item: PassItem, pass: PassView): Promise<OutboxRow | undefined> {
    if (!item.underOurLease) return this.claimAhead(item.row, pass);
    const lease = item.row.value.lease;
    const left = lease ? Date.parse(lease.until) - this.options.now().getTime() : 0;
    return left >= this.options.leaseMs / 2 ? item.row : this.claimOne(item.row, this.lease(), pass.queue);
  }

  /** Gives the row back (ETag-conditional): another instance may take it at once. */
  release(row: OutboxRow): Promise<OutboxRow> {
    return this.rows.save(row, { ...row.value, lease: undefined });
  }

  /**
   * Claims `row`, and with it up to claimBatch - 1 next rows of the same partition in the listing whose
   * recipients can be reached, in one request (an entity group transaction: all or none, each row conditional
   * on its ETag). The rows claimed ahead go back to the pass under our lease; if the claim together fails
   * (another instance changed one of them), they go back unclaimed and the pass claims the next rows one at a time.
   */
  private async claimAhead(row: OutboxRow, { queue, audience }: PassView): Promise<OutboxRow | undefined> {
    const lease = this.lease();
    const batch = Math.max(1, Math.floor(this.options.claimBatch));
    // Only rows whose targets are point reads the pass shares (partner contacts): admins' lists and card
    // refreshes are queries, not worth reading ahead.
    const ahead = queue.reserveAhead(
      row,
      batch - 1,
      batch * 10,
      // Never a row of a shard given back since the listing: claiming it would hold back its new holder.
      (r) => r.value.recipient.kind === "partner" && r.value.type !== "cardRefresh" && this.rows.mayDeliver?.(r.value) !== false,
    );
    if (ahead.length === 0) return this.claimOne(row, lease, queue);
    const returned: PassItem[] = ahead.map((r) => ({ row: r, underOurLease: false }));
    let claimed: OutboxRow[] | undefined;
    try {
      const reachable = await Promise.all(ahead.map(async (r) => hasWork(r.value, await audience.targets(r.value))));
      const together = ahead.filter((_, i) => reachable[i]);
      if (together.length > 0) {
        claimed = await this.rows.claimTogether([row, ...together], lease);
        if (!claimed) queue.pauseClaimingAhead(batch * 10);
      }
      const byId = new Map((claimed ?? []).slice(1).map((r) => [r.value.id, r]));
      for (const item of returned) {
        const mine = byId.get(item.row.value.id);
        if (mine) Object.assign(item, { row: mine, underOurLease: true });
      }
    } finally {
      queue.returnReserved(returned);
    }
    return claimed?.[0] ?? this.claimOne(row, lease, queue);
  }

  /**
   * Claims one row. A row changed since it was listed is read again: most often the instance that held its shard
   * before us released it (a claim ahead it gave up); such a row is claimed on its new ETag, or put aside until the
   * retry time that instance set. Skipping it instead left it for the next pass, a minute away when a pass has
   * thousands of rows held back by Teams' limits. Undefined: someone else has it, or it is done.
   */
  private async claimOne(row: OutboxRow, lease: Lease, queue: PassQueue): Promise<OutboxRow | undefined> {
    const claimed = await this.rows.claim(row, lease);
    if (claimed || !this.rows.reread) return claimed;
    const current = await this.rows.reread(row);
    if (current?.value.status !== "pending") return undefined;
    const now = this.options.now().getTime();
    const due = dueAt(current.value);
    if (isFree(current.value, now, { owner: this.options.owner })) {
      if (due <= now) return this.rows.claim(current, lease);
      queue.defer(current, due, false);
    } else if (this.rows.mayDeliver?.(current.value) === true) {
      // Leased since our listing by an instance that held the shard before us: it sends nothing more for the shard and
      // gives the row back when it comes to it (or its lease runs out). Tried again soon, not left for the next pass.
      const until = Date.parse(current.value.lease!.until);
      queue.defer(current, Math.max(due, Math.min(until, now + RETAKE_AFTER_MS)), false);
    }
    return undefined;
  }

  private lease(): Lease {
    return { owner: this.options.owner, until: new Date(this.options.now().getTime() + this.options.leaseMs).toISOString() };
  }
}
