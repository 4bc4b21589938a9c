import type { OutboxRow } from "./ports.js";

/** A row the pass takes up: from the listing, or put aside by the pass itself (a retry, a row claimed ahead). */
export interface PassItem {
  row: OutboxRow;
  /**
   * Leased by this engine with the row's ETag (a retry kept under its lease, or a row claimed ahead): no claim
   * is needed while the lease lasts, and the pass must release it if it ends without delivering it.
   */
  underOurLease: boolean;
}

/** A row put aside until `dueAt` (epoch ms). */
export interface Deferred extends PassItem {
  dueAt: number;
}

/**
 * The work of one pass, in the order it is taken up: rows put aside whose time has come (the earliest first),
 * then the rows of the listing, oldest first. Rows of the listing picked to be claimed together with another one
 * are reserved: they come back through `returnReserved`, never from the listing.
 */
export class PassQueue {
  private next = 0;
  private readonly deferred: Deferred[] = [];
  private readonly reserved = new Set<string>();
  /** Rows are claimed ahead only once the listing is taken up to here (after a claim together failed). */
  private claimAheadFrom = 0;
  private readonly due: OutboxRow[];
  private readonly listed: Set<string>;

  constructor(due: readonly OutboxRow[]) {
    this.due = [...due];
    this.listed = new Set(due.map((row) => row.value.id));
  }

  /**
   * More rows for this pass (those of shards taken while it runs): merged into the listing not yet taken up, oldest
   * first, so that they are not stuck behind another tenant's rows that wait for its rate limit. Rows listed
   * already are left out. Resolves to how many were added.
   */
  add(rows: readonly OutboxRow[]): number {
    const fresh = rows.filter((row) => !this.listed.has(row.value.id));
    if (fresh.length === 0) return 0;
    for (const row of fresh) this.listed.add(row.value.id);
    const rest = this.due.splice(this.next).concat(fresh);
    // ISO timestamps sort as plain strings; a stable sort keeps the listing's order among equals.
    rest.sort((a, b) => (a.value.createdAt < b.value.createdAt ? -1 : a.value.createdAt > b.value.createdAt ? 1 : 0));
    this.due.push(...rest);
    return fresh.length;
  }

  /** A deferred row whose time has come (the earliest first), else the next row of the listing, else nothing. */
  take(now: number): PassItem | undefined {
    let pick = -1;
    for (let i = 0; i < this.deferred.length; i++) {
      const entry = this.deferred[i]!;
      if (entry.dueAt <= now && (pick < 0 || entry.dueAt < this.deferred[pick]!.dueAt)) pick = i;
    }
    if (pick >= 0) {
      const { row, underOurLease } = this.deferred.splice(pick, 1)[0]!;
      return { row, underOurLease };
    }
    while (this.next < this.due.length) {
      const row = this.due[this.next++]!;
      if (!this.reserved.has(row.value.id)) return { row, underOurLease: false };
    }
    return undefined;
  }

  /** Takes the row up again in this pass once `dueAt` has come (before the rest of the listing). */
  defer(row: OutboxRow, dueAt: number, underOurLease: boolean): void {
    this.deferred.push({ row, dueAt, underOurLease });
  }

  /**
   * Up to `max` rows of the listing not taken yet, in `row`'s partition, that `eligible` accepts, looked for
   * among the next `lookahead`; from now on they come back through `returnReserved`, never from the listing.
   * Nothing while claiming ahead is paused.
   */
  reserveAhead(row: OutboxRow, max: number, lookahead: number, eligible: (candidate: OutboxRow) => boolean): OutboxRow[] {
    if (this.next < this.claimAheadFrom || max <= 0) return [];
    const picked: OutboxRow[] = [];
    for (let i = this.next; i < this.due.length && i < this.next + lookahead && picked.length < max; i++) {
      const candidate = this.due[i]!;
      if (
        candidate.value.tenantId !== row.value.tenantId ||
        candidate.value.id === row.value.id ||
        this.reserved.has(candidate.value.id) ||
        !eligible(candidate)
      )
        continue;
      this.reserved.add(candidate.value.id);
      picked.push(candidate);
    }
    return picked;
  }

  /** Hands reserved rows back, due at once: claimed (under our lease) or to be claimed as usual. */
  returnReserved(items: readonly PassItem[]): void {
    for (const { row, underOurLease } of items) this.defer(row, 0, underOurLease);
  }

  /**
   * After a claim together failed (another instance changed one of the rows: at a shard's hand-over, its previous
   * holder releasing what it claimed), the next `rows` of the listing are claimed one at a time. Not the rest of the
   * pass: a hand-over is over in moments, and one claim per row doubles the writes of a pass of thousands.
   */
  pauseClaimingAhead(rows: number): void {
    this.claimAheadFrom = this.next + rows;
  }

  /** Rows still deferred when the pass ran out of other work; the pass releases those under our lease. */
  leftOver(): Deferred[] {
    return this.deferred.splice(0);
  }
}
