import type { OutboxRow, OutboxStore } from "./ports.js";

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

/** Whose rate limit a row's sends count against (its delivery tenant): the pass shares its workers among these. */
export type LimitKey = (row: OutboxRow) => string;

/** The delivery tenant when the listing knows it, else who the notification goes to. */
export const limitKeyOf =
  (rows: Pick<OutboxStore, "deliveryTenantOf">): LimitKey =>
  ({ value }) =>
    rows.deliveryTenantOf?.(value) ??
    (value.recipient.kind === "partner" ? `partner ${value.recipient.partnerId}` : value.recipient.tenantId);

/** ISO timestamps sort as plain strings; a stable sort keeps the listing's order among equals. */
const byAge = (a: OutboxRow, b: OutboxRow) => (a.value.createdAt < b.value.createdAt ? -1 : a.value.createdAt > b.value.createdAt ? 1 : 0);

/** What `take` could hand out: a deferred row (its index) or a lane's oldest; `at` is when it became due / was created. */
interface Candidate {
  key: string;
  busy: number;
  deferred?: number;
  lane?: Lane;
  at: number;
}

/** The tenant with fewer rows in the workers' hands first; then rows put aside; then the earliest. */
const before = (a: Candidate, b: Candidate) =>
  a.busy !== b.busy ? a.busy < b.busy : (a.lane === undefined) !== (b.lane === undefined) ? a.lane === undefined : a.at < b.at;

/** The rows of one delivery tenant not taken up yet, oldest first. */
interface Lane {
  rows: OutboxRow[];
  next: number;
}

/**
 * The work of one pass, in the order it is taken up. Each take goes to the delivery tenant with the fewest rows in
 * the workers' hands (`done` hands one back); within that, a row put aside whose time has come (the earliest first),
 * else the oldest of the listing. Oldest first across all tenants let every worker wait for one tenant's rate limit
 * (Teams: 30 a second) while another tenant's rows sat behind it: a tenant whose backlog is older than the others'
 * (a shard taken over mid-pass, a big fan-out to one partner) held them all back. Rows of the listing picked to be
 * claimed together with another one are reserved: they come back through `returnReserved`, never from the listing.
 */
export class PassQueue {
  private readonly deferred: Deferred[] = [];
  /** Every row of the listing, oldest first (claiming ahead looks at the next ones); `cursor` skips those gone. */
  // A row is `gone` once taken up or reserved for a claim-ahead: it never comes from the listing again.
  private order: OutboxRow[] = [];
  private cursor = 0;
  private readonly gone = new Set<string>();
  private readonly lanes = new Map<string, Lane>();
  private readonly busy = new Map<string, number>();
  /** The key each item in the workers' hands was counted under. */
  private readonly handedOut = new WeakMap<PassItem, string>();
  private readonly listed = new Set<string>();
  /** Rows taken from the listing so far, and up to which of them rows are claimed one at a time. */
  private taken = 0;
  private aloneUntil = 0;

  constructor(
    due: readonly OutboxRow[],
    private readonly keyOf: LimitKey = (row) => row.value.tenantId,
  ) {
    this.add(due);
  }

  /**
   * More rows for this pass (those of shards taken while it runs), merged by age; rows listed already are left out,
   * unless a worker passed them over (`passOver`): those come back in the version just listed.
   * Resolves to how many were added.
   */
  add(rows: readonly OutboxRow[]): number {
    const fresh = rows.filter((row) => !this.listed.has(row.value.id));
    if (fresh.length === 0) return 0;
    const back = new Set(fresh.filter((row) => this.gone.delete(row.value.id)).map((row) => row.value.id));
    // Their earlier versions are left behind: in the lanes before `next` (sliced off below), in `order` wherever.
    if (back.size > 0)
      this.order = this.order.slice(0, this.cursor).concat(this.order.slice(this.cursor).filter((r) => !back.has(r.value.id)));
    const touched = new Set<Lane>();
    for (const row of fresh) {
      this.listed.add(row.value.id);
      const key = this.keyOf(row);
      const lane = this.lanes.get(key) ?? { rows: [], next: 0 };
      this.lanes.set(key, lane);
      lane.rows.push(row);
      touched.add(lane);
    }
    for (const lane of touched) {
      lane.rows = lane.rows.slice(lane.next).sort(byAge);
      lane.next = 0;
    }
    // Not push(...rows): a listing of a large backlog would exceed the arguments a call can take.
    this.order = this.order.slice(0, this.cursor).concat(this.order.slice(this.cursor).concat(fresh).sort(byAge));
    return fresh.length;
  }

  /** The next row for a worker (see the class comment), else nothing now. Hand it back with `done`. */
  take(now: number): PassItem | undefined {
    let best: Candidate | undefined;
    const consider = (candidate: Candidate) => {
      if (!best || before(candidate, best)) best = candidate;
    };
    const busy = (key: string) => this.busy.get(key) ?? 0;
    this.deferred.forEach((entry, index) => {
      const key = this.keyOf(entry.row);
      if (entry.dueAt <= now) consider({ key, busy: busy(key), deferred: index, at: entry.dueAt });
    });
    for (const [key, lane] of this.lanes) {
      const head = this.head(lane);
      if (head) consider({ key, busy: busy(key), lane, at: Date.parse(head.value.createdAt) });
    }
    if (!best) return undefined;
    const chosen: Candidate = best;
    this.busy.set(chosen.key, chosen.busy + 1);
    let item: PassItem;
    if (chosen.lane) {
      const row = chosen.lane.rows[chosen.lane.next++]!;
      this.gone.add(row.value.id);
      this.taken++;
      item = { row, underOurLease: false };
    } else {
      const { row, underOurLease } = this.deferred.splice(chosen.deferred!, 1)[0]!;
      item = { row, underOurLease };
    }
    this.handedOut.set(item, chosen.key);
    return item;
  }

  /** A worker is done with a row `take` gave it: its tenant has one fewer in the workers' hands. */
  done(item: PassItem): void {
    const key = this.handedOut.get(item);
    if (key === undefined) return;
    this.handedOut.delete(item);
    const busy = (this.busy.get(key) ?? 1) - 1;
    if (busy > 0) this.busy.set(key, busy);
    else this.busy.delete(key);
  }

  /**
   * A row a worker took but left alone, because its shard was not this instance's by then (given back since the
   * listing, at start-up typically: the first instance holds every shard for a moment). If the shard is taken again
   * in this pass, the row comes back with its listing (`add`) instead of waiting for the next pass, a minute away.
   */
  passOver(item: PassItem): void {
    this.listed.delete(item.row.value.id);
  }

  /** Takes the row up again in this pass once `dueAt` has come (before the rest of its tenant's listing). */
  defer(row: OutboxRow, dueAt: number, underOurLease: boolean): void {
    this.deferred.push({ row, dueAt, underOurLease });
  }

  /**
   * Up to `max` rows of the listing not taken yet, in `row`'s partition, that `eligible` accepts, looked for
   * among the next `lookahead`; from now on they come back through `returnReserved`, never from the listing.
   * Nothing while claiming ahead is paused.
   */
  reserveAhead(row: OutboxRow, max: number, lookahead: number, eligible: (candidate: OutboxRow) => boolean): OutboxRow[] {
    if (this.taken <= this.aloneUntil || max <= 0) return [];
    while (this.cursor < this.order.length && this.gone.has(this.order[this.cursor]!.value.id)) this.cursor++;
    const picked: OutboxRow[] = [];
    for (let i = this.cursor, seen = 0; i < this.order.length && seen < lookahead && picked.length < max; i++) {
      const candidate = this.order[i]!;
      if (this.gone.has(candidate.value.id)) continue;
      seen++;
      if (candidate.value.tenantId !== row.value.tenantId || candidate.value.id === row.value.id || !eligible(candidate)) continue;
      this.gone.add(candidate.value.id);
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
   * holder releasing what it claimed), the next `rows` taken from the listing are claimed one at a time. Not the rest
   * of the pass: a hand-over is over in moments, and one claim per row doubles the writes of a pass of thousands.
   */
  pauseClaimingAhead(rows: number): void {
    this.aloneUntil = this.taken + rows;
  }

  /** Rows not done yet per delivery tenant: not taken up yet (about: rows reserved ahead count twice), deferred, in hand. */
  inHand(): Map<string, number> {
    const count = new Map(this.busy);
    const add = (key: string, n: number) => count.set(key, (count.get(key) ?? 0) + n);
    for (const [key, lane] of this.lanes) add(key, lane.rows.length - lane.next);
    for (const entry of this.deferred) add(this.keyOf(entry.row), 1);
    return count;
  }

  /** When the first row put aside (a retry) is due (epoch ms), if any: the pass may wait for it (PassScheduler). */
  firstDeferredDue(): number | undefined {
    let first: number | undefined;
    for (const entry of this.deferred) if (first === undefined || entry.dueAt < first) first = entry.dueAt;
    return first;
  }

  /** Rows still deferred when the pass ran out of other work; the pass releases those under our lease. */
  leftOver(): Deferred[] {
    return this.deferred.splice(0);
  }

  /** The oldest row of a lane not taken up or reserved yet. */
  private head(lane: Lane): OutboxRow | undefined {
    while (lane.next < lane.rows.length && this.gone.has(lane.rows[lane.next]!.value.id)) lane.next++;
    return lane.rows[lane.next];
  }
}
