import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { AdaptiveCardJson } from "../cards/render.js";
import type { ConversationRecord } from "../domain/conversation.js";
import type { Notification } from "../domain/notification.js";
import type { NotificationSources } from "../features/partner-side/notificationCards.js";
import type { DirectoryService } from "../partner-directory/directoryService.js";
import type { Storage } from "../storage/index.js";

/** What the dispatcher reads and writes (until the outbox engine gets ports of its own). */
interface Services {
  repos: Storage;
  directory: DirectoryService;
  sources: NotificationSources;
}
import { StorageConflictError } from "../storage/errors.js";
import type { Versioned } from "../storage/entityStore.js";
import type { ConversationBook, Reference } from "../bot/conversationBook.js";
import type { RateLimiter } from "./rateLimiter.js";
import { NotificationSourceMissing, renderNotification } from "../features/partner-side/notificationCards.js";
import { ExpiringPromises } from "./expiringPromises.js";
import { classify, type RetryOptions } from "./retryPolicy.js";

/** Puts one card into one conversation; the bot edge implements it with continueConversationAsync. */
export interface ProactiveSender {
  send(reference: Reference, card: AdaptiveCardJson, idempotencyKey: string): Promise<{ activityId: string }>;
  /** Replaces a card the bot sent earlier (so every admin sees the current state). */
  update(reference: Reference, activityId: string, card: AdaptiveCardJson): Promise<void>;
}

export interface DispatcherOptions {
  /** How often the outbox is scanned when nothing wakes the dispatcher sooner. */
  pollIntervalMs: number;
  /** How long a claimed notification is left alone by other instances. */
  leaseMs: number;
  /** Notifications worked on at once (sends to one conversation still wait for each other in the limiter). */
  concurrency: number;
  retry: RetryOptions;
  /**
   * How long a tenant's display name (shown on every card of its notifications) is reused before it is read
   * again; 0 reads it for every card. Default 60 s.
   */
  nameCacheMs?: number;
  /**
   * Within one pass, a conversation reference read for one notification is reused for the next ones to the
   * same person for this long (a pass delivering many notifications to one conversation reads it once); 0 reads
   * it for every notification. A new pass always reads afresh. Default 5 s.
   */
  referenceCacheMs?: number;
  /**
   * A claim takes up to this many rows of one partition at once (the row being delivered and the next ones of
   * the same tenant in the listing whose recipients can be reached), in one entity group transaction, each
   * conditional on its ETag. 1 claims every row on its own. Default 10.
   */
  claimBatch?: number;
}

export interface DispatcherDeps {
  services: Services;
  book: ConversationBook;
  sender: ProactiveSender;
  limiter: RateLimiter;
  logger: Logger;
  now?: () => Date;
}

export interface DispatchReport {
  delivered: number;
  retried: number;
  stale: number;
  dead: number;
  waiting: number;
}

type Row = Versioned<Notification>;

/**
 * A row this pass put aside to take up again once `dueAt` has come: a retry, or a row claimed together with
 * another one (due at once).
 */
interface Queued {
  row: Row;
  dueAt: number;
  /** Leased by us with this ETag (a retry kept under its lease, or a row claimed ahead): no claim needed. */
  held: boolean;
}

type ConversationRow = Versioned<ConversationRecord> | undefined;

/** The work of one pass: the rows due when it started, the rows it queued itself, references it read. */
class PassWork {
  private next = 0;
  private readonly queued: Queued[] = [];
  private readonly references: ExpiringPromises<ConversationRow>;
  /** Ids of listed rows picked to be claimed together with another one: the claim queues them, the listing skips them. */
  private readonly reserved = new Set<string>();
  private batching = true;

  constructor(
    private readonly due: readonly Row[],
    referenceCacheMs: number,
  ) {
    // Bounded by the pass: it starts empty and is dropped with it.
    this.references = new ExpiringPromises(referenceCacheMs, Number.MAX_SAFE_INTEGER);
  }

  /** A conversation reference, read once and shared for `referenceCacheMs` (a failed read is not kept). */
  reference(tenantId: string, userId: string, now: number, read: () => Promise<ConversationRow>): Promise<ConversationRow> {
    return this.references.get(`${tenantId}|${userId}`, now, read);
  }

  /** The reference failed (the conversation is gone): whoever needs it next in this pass reads it again. */
  forgetReference(tenantId: string, userId: string): void {
    this.references.forget(`${tenantId}|${userId}`);
  }

  /** A queued row whose time has come (the earliest first), else the next row of the listing, else nothing. */
  take(now: number): { row: Row; held: boolean } | undefined {
    let pick = -1;
    for (let i = 0; i < this.queued.length; i++) {
      const entry = this.queued[i]!;
      if (entry.dueAt <= now && (pick < 0 || entry.dueAt < this.queued[pick]!.dueAt)) pick = i;
    }
    if (pick >= 0) {
      const { row, held } = this.queued.splice(pick, 1)[0]!;
      return { row, held };
    }
    while (this.next < this.due.length) {
      const row = this.due[this.next++]!;
      if (!this.reserved.has(row.value.id)) return { row, held: false };
    }
    return undefined;
  }

  queue(row: Row, dueAt: number, held: boolean): void {
    this.queued.push({ row, dueAt, held });
  }

  /**
   * Up to `max` rows of the listing not taken yet, in `row`'s partition, that `eligible` accepts, looked for
   * among the next `lookahead`; from now on they come back through `settle`, never from the listing.
   */
  reserveAhead(row: Row, max: number, lookahead: number, eligible: (candidate: Row) => boolean): Row[] {
    if (!this.batching || max <= 0) return [];
    const picked: Row[] = [];
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

  /** Hands reserved rows back, due at once: claimed (held) or to be claimed as usual. */
  settle(rows: Array<{ row: Row; held: boolean }>): void {
    for (const { row, held } of rows) this.queue(row, 0, held);
  }

  /** After a claim together failed (another instance got to one of the rows), claim one row at a time. */
  stopBatching(): void {
    this.batching = false;
  }

  /** Rows still queued when the pass ran out of other work; the pass releases those it still holds. */
  leftOver(): Queued[] {
    return this.queued.splice(0);
  }
}

/**
 * Delivers the outbox. Each notification is claimed with a lease (an ETag-conditional write, so two
 * instances never work on the same one), rendered per recipient, sent within Teams' rate limits, and every
 * delivery is recorded on the row before the next, so a restart skips whoever already has it. Throttling
 * and transient failures are retried later with backoff (Retry-After honoured); after the last try the
 * notification is dead-lettered with an audit event; a conversation Teams calls gone is marked stale and the
 * notification waits until that user is reachable again.
 */
export class Dispatcher {
  readonly instanceId = `dispatcher-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<DispatchReport> | undefined;
  private again = false;
  /** Until start(), nothing runs on its own (wake() is a no-op): NOTIFY_ENABLED=false means no background writes. */
  private stopping = true;
  private readonly now: () => Date;
  /** Tenant display names for cards, shared by every worker (and by concurrent reads of one name). */
  private readonly names: ExpiringPromises<string | undefined>;

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly options: DispatcherOptions,
  ) {
    this.now = deps.now ?? (() => new Date());
    this.names = new ExpiringPromises(options.nameCacheMs ?? 60_000);
  }

  start(): void {
    this.stopping = false;
    this.schedule(0);
  }

  /** Something was queued or someone became reachable: run soon instead of at the next poll. */
  wake(): void {
    if (this.stopping) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops taking new work, lets sends in flight finish and be recorded, and releases nothing half-done. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runOnce()
        .catch((error: unknown) => this.deps.logger.error({ err: error }, "outbox dispatch failed"))
        .finally(() => {
          const soon = this.again;
          this.again = false;
          this.schedule(soon ? 0 : this.options.pollIntervalMs);
        });
    }, delayMs);
    this.timer.unref?.();
  }

  /** One pass over every due notification. Concurrent calls share the pass in progress. */
  runOnce(): Promise<DispatchReport> {
    if (this.running) return this.running;
    const pass = this.pass().finally(() => {
      this.running = undefined;
    });
    this.running = pass;
    return pass;
  }

  private async pass(): Promise<DispatchReport> {
    const report: DispatchReport = { delivered: 0, retried: 0, stale: 0, dead: 0, waiting: 0 };
    const now = this.now().getTime();
    const due = (await this.deps.services.repos.outbox.listPending()).filter(
      (row) =>
        (!row.value.nextAttemptAt || Date.parse(row.value.nextAttemptAt) <= now) &&
        (!row.value.lease || Date.parse(row.value.lease.until) <= now || row.value.lease.owner === this.instanceId),
    );
    if (due.length > 0) this.deps.logger.debug({ due: due.length }, "outbox pass");
    // A pass over many rows lasts long: a retry it schedules is taken up again within it once due (before new
    // rows), rather than only by the next pass. A worker with nothing due right now ends; the retry timer
    // (scheduleRetry) starts the next pass for whatever is left waiting, so no pass is held open to wait.
    const work = new PassWork(due, this.options.referenceCacheMs ?? 5_000);
    const worker = async () => {
      while (!this.stopping) {
        const next = work.take(this.now().getTime());
        if (!next) break;
        try {
          await this.deliver(next.row, report, work, next.held);
        } catch (error) {
          this.deps.logger.error({ err: error, notificationId: next.row.value.id }, "could not deliver notification");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency) }, worker));
    const left = work.leftOver();
    if (left.length > 0) this.deps.logger.debug({ rows: left.length }, "outbox pass over; retries left to the next pass");
    // A row still held (a retry kept under its lease, or one claimed ahead when the dispatcher stops) is released
    // now, a retry recorded as one (it already counts its attempt): the pass ends rather than waiting for it, and
    // the retry timer starts the pass that takes it up.
    for (const retry of left.filter((r) => r.held)) {
      await this.save(retry.row, { ...retry.row.value, lease: undefined }).then(
        () => this.scheduleRetry(Math.max(0, retry.dueAt - this.now().getTime())),
        (error: unknown) =>
          this.deps.logger.error(
            { err: error, notificationId: retry.row.value.id },
            "could not release a notification waiting for a retry",
          ),
      );
    }
    return report;
  }

  /** `held`: a row this pass holds leased (a retry, or one claimed ahead): no claim needed while the lease lasts. */
  private async deliver(initial: Row, report: DispatchReport, work: PassWork, held = false): Promise<void> {
    // Read-only first: a notification nobody can receive yet costs no write (and no lease churn).
    const targets = await this.targets(initial.value, work);
    const recipients = targets.map((t) => t.record);
    if (!this.hasWork(initial.value, targets)) {
      this.deps.logger.debug({ notificationId: initial.value.id, recipients: targets.length }, "nobody reachable yet");
      report.waiting++;
      if (held) await this.save(initial, { ...initial.value, lease: undefined });
      return;
    }
    // A held lease is used only while it has at least half its time to run; otherwise it is renewed.
    const leaseLeft = held && initial.value.lease ? Date.parse(initial.value.lease.until) - this.now().getTime() : 0;
    let row = leaseLeft >= this.options.leaseMs / 2 ? initial : await this.claim(initial, held ? undefined : work);
    if (!row) return;
    for (const recipient of recipients) {
      if (this.stopping) break;
      if (row.value.deliveries[recipient.userId]) continue;
      if (recipient.stale) continue;
      let card: AdaptiveCardJson;
      try {
        card = await renderNotification(row.value, recipient, this.deps.services.sources, this.now(), {
          displayName: (tenantId) => this.displayName(tenantId),
        });
      } catch (error) {
        if (!(error instanceof NotificationSourceMissing)) throw error;
        report.dead++;
        await this.deadLetter(row, error.message);
        return;
      }
      const conversationTenant = recipient.reference.conversation.tenantId ?? recipient.tenantId;
      const departure = await this.deps.limiter.acquire(conversationTenant, recipient.reference.conversation.id);
      try {
        const replaces = targets.find((t) => t.record.userId === recipient.userId)?.replaces;
        let activityId: string;
        try {
          activityId =
            replaces ?? (await this.deps.sender.send(recipient.reference, card, `${row.value.id}:${recipient.userId}`)).activityId;
          if (replaces) await this.deps.sender.update(recipient.reference, replaces, card);
        } finally {
          // When the request is over: a slow one is counted from when it may have reached Teams.
          departure.done();
        }
        // The delivery mark is the next write, conditional on our ETag. When this was the last recipient
        // outstanding, the same write also completes the row (sent, lease released): one request, not two.
        const delivered = row.value.deliveries;
        const last = recipients.every((r) => r.userId === recipient.userId || delivered[r.userId]);
        row = await this.recordDelivery(row, recipient, activityId, last);
        report.delivered++;
        if (last) return;
      } catch (error) {
        if (error instanceof StorageConflictError) throw error;
        const failure = classify(error, row.value.attempts + 1, this.options.retry, this.now().getTime());
        const reason = describe(error);
        if (failure.kind === "stale") {
          report.stale++;
          this.deps.logger.info(
            { notificationId: row.value.id, userId: recipient.userId },
            "conversation is gone; waiting for the user to come back",
          );
          work.forgetReference(recipient.tenantId, recipient.userId);
          await this.deps.book.markStale(recipient).catch((e: unknown) => {
            if (!(e instanceof StorageConflictError)) throw e;
          });
          continue;
        }
        if (failure.kind === "retry") {
          report.retried++;
          const now = this.now().getTime();
          const dueAt = now + failure.afterMs;
          const nextAttemptAt = new Date(dueAt).toISOString();
          this.deps.logger.info(
            { notificationId: row.value.id, attempt: row.value.attempts + 1, afterMs: failure.afterMs, reason },
            "send throttled or failed; will retry",
          );
          const retrying: Notification = { ...row.value, attempts: row.value.attempts + 1, nextAttemptAt, lastError: reason.slice(0, 500) };
          const lease = row.value.lease;
          if (!this.stopping && lease?.owner === this.instanceId && dueAt + this.options.leaseMs / 2 <= Date.parse(lease.until)) {
            // A short wait (Retry-After: 1 s is typical) within a lease that has long to run: keep the lease and
            // write nothing now. Nobody else can take the row meanwhile; the attempt is recorded with the next
            // write (the delivery mark, or the release if the pass ends first).
            work.queue({ ...row, value: retrying }, dueAt, true);
            return;
          }
          const saved = await this.save(row, { ...retrying, lease: undefined });
          // Released like any other row (another instance may take it once due: our claim, on this ETag, then
          // fails); this pass takes it up again when due, and the timer covers a pass that ends sooner.
          work.queue(saved, dueAt, false);
          this.scheduleRetry(failure.afterMs);
          return;
        }
        report.dead++;
        await this.deadLetter({ ...row, value: { ...row.value, attempts: row.value.attempts + 1 } }, failure.reason);
        return;
      }
    }
    const done = recipients.every((r) => row.value.deliveries[r.userId]);
    await this.save(row, {
      ...row.value,
      lease: undefined,
      ...(done ? { status: "sent" as const, sentAt: this.now().toISOString() } : {}),
    });
    if (!done) report.waiting++;
  }

  private scheduleRetry(afterMs: number): void {
    if (this.stopping) return;
    const timer = setTimeout(() => this.wake(), afterMs + 5);
    timer.unref?.();
  }

  /** Someone to send to, or a row that is complete already (and only needs its final write). */
  private hasWork(n: Notification, targets: Array<{ record: ConversationRecord }>): boolean {
    const recipients = targets.map((t) => t.record);
    if (recipients.some((r) => !r.stale && !n.deliveries[r.userId])) return true;
    // A card refresh with no card out there has nothing to do: it is complete.
    return (recipients.length > 0 && recipients.every((r) => n.deliveries[r.userId])) || (n.type === "cardRefresh" && targets.length === 0);
  }

  /**
   * Takes the lease (ETag-conditional): if another instance got there first, it is theirs. With `work`, the
   * next rows of the same partition in the listing whose recipients can be reached are claimed in the same
   * request (an entity group transaction: all or none, each row conditional on its ETag) and queued, held.
   */
  private async claim(row: Row, work?: PassWork): Promise<Row | undefined> {
    const lease = { owner: this.instanceId, until: new Date(this.now().getTime() + this.options.leaseMs).toISOString() };
    const batch = Math.max(1, Math.floor(this.options.claimBatch ?? 10));
    // Only rows whose targets are point reads the pass shares (partner contacts): admins' lists and card
    // refreshes are queries, not worth reading ahead.
    const ahead = work
      ? work.reserveAhead(row, batch - 1, batch * 10, (r) => r.value.recipient.kind === "partner" && r.value.type !== "cardRefresh")
      : [];
    if (work && ahead.length > 0) {
      const settled: Array<{ row: Row; held: boolean }> = ahead.map((r) => ({ row: r, held: false }));
      try {
        const reachable = await Promise.all(ahead.map(async (r) => this.hasWork(r.value, await this.targets(r.value, work))));
        const together = ahead.filter((_, i) => reachable[i]);
        if (together.length > 0) {
          const claimed = await this.claimTogether([row, ...together], lease);
          if (claimed) {
            const byId = new Map(claimed.slice(1).map((r) => [r.value.id, r]));
            for (const entry of settled) {
              const mine = byId.get(entry.row.value.id);
              if (mine) Object.assign(entry, { row: mine, held: true });
            }
            return claimed[0];
          }
          work.stopBatching();
        }
      } finally {
        work.settle(settled);
      }
    }
    try {
      return await this.deps.services.repos.outbox.update({ ...row.value, lease }, row.etag);
    } catch (error) {
      if (error instanceof StorageConflictError) return undefined;
      throw error;
    }
  }

  /** One entity group transaction leasing every row (conditional on each ETag); undefined if any had changed. */
  private async claimTogether(rows: Row[], lease: NonNullable<Notification["lease"]>): Promise<Row[] | undefined> {
    const { outbox } = this.deps.services.repos;
    const values = rows.map((r) => ({ ...r.value, lease }));
    let etags: Array<string | undefined>;
    try {
      etags = await outbox.updateTogether(values.map((value, i) => ({ value, etag: rows[i]!.etag })));
    } catch (error) {
      if (error instanceof StorageConflictError) return undefined;
      throw error;
    }
    return Promise.all(
      values.map(async (value, i) => {
        const etag = etags[i];
        if (etag) return { value, etag };
        // Every service answers each update with its ETag; should one not, the row is read back for it.
        const current = await outbox.get(value.tenantId, value.id);
        if (!current) throw new Error(`notification ${value.id} vanished after it was claimed`);
        return current;
      }),
    );
  }

  /** Every write to a claimed row is conditional on the ETag we hold; `lease: undefined` releases it. */
  private save(row: Row, value: Notification): Promise<Row> {
    return this.deps.services.repos.outbox.update(value, row.etag);
  }

  /**
   * The sent mark for one recipient, written on the row we hold (conditional on its ETag). With `complete`
   * (nobody else left to deliver to) the same write marks the row sent and releases the lease.
   */
  private recordDelivery(row: Row, recipient: ConversationRecord, activityId: string, complete = false): Promise<Row> {
    const at = this.now().toISOString();
    const deliveries = {
      ...row.value.deliveries,
      [recipient.userId]: { activityId, conversationId: recipient.reference.conversation.id, at },
    };
    return this.save(row, { ...row.value, deliveries, ...(complete ? { status: "sent" as const, sentAt: at, lease: undefined } : {}) });
  }

  /** The tenant's display name for cards, read at most once per `nameCacheMs` per tenant (a failed read is not kept). */
  private displayName(tenantId: string): Promise<string | undefined> {
    return this.names.get(tenantId, this.now().getTime(), () => this.deps.services.repos.tenantNames.displayName(tenantId));
  }

  private async deadLetter(row: Row, reason: string): Promise<void> {
    const { repos } = this.deps.services;
    const dead: Notification = { ...row.value, lease: undefined, status: "dead", lastError: reason.slice(0, 500) };
    const now = this.now().toISOString();
    this.deps.logger.warn({ notificationId: row.value.id, reason }, "notification dead-lettered");
    await repos.outbox.deadLetter(dead, row.etag, {
      id: randomUUID(),
      tenantId: row.value.tenantId,
      actor: { userId: this.instanceId, name: "Partner Desk" },
      action: "notification.deadLettered",
      target: `notification:${row.value.id}`,
      before: { status: row.value.status, attempts: row.value.attempts },
      after: { status: "dead", reason },
      at: now,
      correlationId: row.value.correlationId,
    });
  }

  /**
   * Who should get it: every listed contact of the partner, or every admin of the tenant, who has talked to
   * the bot. A card refresh goes to the admins who received the invitation, replacing the activity they got.
   */
  private async targets(n: Notification, work: PassWork): Promise<Array<{ record: ConversationRecord; replaces?: string }>> {
    const { repos, directory } = this.deps.services;
    const now = this.now().getTime();
    const reference = (tenantId: string, userId: string) =>
      work.reference(tenantId, userId, now, () => repos.conversations.get(tenantId, userId));
    if (n.type === "cardRefresh") {
      const invitationId = n.payload["invitationId"];
      const sent = (await repos.outbox.listForTenant(n.tenantId)).filter(
        (r) => r.value.type === "invitationReceived" && r.value.payload["invitationId"] === invitationId,
      );
      const out: Array<{ record: ConversationRecord; replaces?: string }> = [];
      for (const row of sent) {
        for (const [userId, delivery] of Object.entries(row.value.deliveries)) {
          const record = await reference(n.tenantId, userId);
          if (record) out.push({ record: record.value, replaces: delivery.activityId });
        }
      }
      return out;
    }
    if (n.recipient.kind === "tenantAdmins") {
      return (await repos.conversations.listForTenant(n.recipient.tenantId))
        .map((r) => r.value)
        .filter((r) => r.reachableAs === "customerAdmin")
        .map((record) => ({ record }));
    }
    const partner = await directory.get(n.recipient.partnerId);
    if (!partner) return [];
    const records = await Promise.all(partner.contacts.map((c) => reference(c.tenantId, c.userId)));
    return records.flatMap((r) => (r ? [{ record: r.value }] : []));
  }
}

function describe(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { statusCode?: unknown; code?: unknown; message?: unknown };
    return [e.statusCode, e.code, e.message].filter((x) => x !== undefined && x !== "").join(" ");
  }
  return String(error);
}
