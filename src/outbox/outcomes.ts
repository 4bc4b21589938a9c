import type { Notification } from "../domain/notification.js";
import type { PassAudience } from "./audience.js";
import type { DeliveryOutcome } from "./delivery.js";
import type { PassItem, PassQueue } from "./passQueue.js";
import { parkUnreachable } from "./parking.js";
import type { PassDeps, PassOptions } from "./passScheduler.js";
import type { OutboxReport, OutboxRow } from "./ports.js";

/** Before any claim: nobody the notification goes to can be reached yet (no write; a row we hold is released). */
export type NobodyReachable = { kind: "nobodyReachable"; item: PassItem; targets: number };

/** What of a pass an outcome touches: the rows left to take up, who rows go to, and its report. */
export interface PassState {
  queue: PassQueue;
  audience: PassAudience;
  report: OutboxReport;
}

/**
 * Every outcome of a pass becomes its writes, report counters and retry timers here, in one place: a delivery's end
 * (sent, a retry kept under the lease or released, dead-lettered), nobody reachable yet (parked), and at the pass's end
 * the rows still under our lease.
 */
export class Outcomes {
  constructor(
    private readonly deps: PassDeps,
    private readonly options: Pick<PassOptions, "leaseMs">,
  ) {}

  /** The outcome of one row: its writes, counters and timers. */
  async apply(outcome: DeliveryOutcome | NobodyReachable, { queue, audience, report }: PassState, notificationId = ""): Promise<void> {
    const { rows, logger } = this.deps;
    if (!("end" in outcome)) {
      logger.debug({ notificationId: outcome.item.row.value.id, recipients: outcome.targets }, "nobody reachable yet");
      report.waiting++;
      if (outcome.item.underOurLease) await this.deps.claims.release(outcome.item.row);
      if (await parkUnreachable(outcome.item.row, this.deps.rows, this.deps.recipients)) this.deps.passAfter(0);
      return;
    }
    report.delivered += outcome.delivered;
    for (const record of outcome.stale) {
      report.stale++;
      logger.info({ notificationId, userId: record.userId }, "conversation is gone; waiting for the user to come back");
      audience.forget(record);
      await this.deps.recipients.markStale(record);
    }
    const { end } = outcome;
    switch (end.kind) {
      case "completed":
        return;
      case "alreadyDelivered":
        await rows.save(end.row, { ...end.row.value, lease: undefined, status: "sent", sentAt: this.deps.now().toISOString() });
        return;
      case "waitingForReachability":
        report.waiting++;
        await this.deps.claims.release(end.row);
        return;
      case "retry":
        report.retried++;
        await this.retryLater(end.row, end.afterMs, end.reason, queue);
        return;
      case "dead":
        report.dead++;
        await this.deadLetter(end.row, end.reason);
        return;
    }
  }

  private async retryLater(row: OutboxRow, afterMs: number, reason: string, queue: PassQueue): Promise<void> {
    const n = row.value;
    const dueAt = this.deps.now().getTime() + afterMs;
    this.deps.logger.info({ notificationId: n.id, attempt: n.attempts + 1, afterMs, reason }, "send throttled or failed; will retry");
    const retrying: Notification = {
      ...n,
      attempts: n.attempts + 1,
      nextAttemptAt: new Date(dueAt).toISOString(),
      lastError: reason.slice(0, 500),
    };
    const lease = n.lease;
    if (!this.deps.stopping() && lease?.owner === this.deps.owner && dueAt + this.options.leaseMs / 2 <= Date.parse(lease.until)) {
      // A short wait (Retry-After: 1 s is typical) within a lease that has long to run: keep the lease and write
      // nothing now. Nobody else can take the row meanwhile; the attempt is recorded with the next write (the
      // delivery mark, or the release if the pass ends first).
      queue.defer({ ...row, value: retrying }, dueAt, true);
      return;
    }
    // Released like any other row (another instance may take it once due: our claim, on this ETag, then fails);
    // this pass takes it up again when due, and the timer covers a pass that ends sooner.
    queue.defer(await this.deps.rows.save(row, { ...retrying, lease: undefined }), dueAt, false);
    this.deps.passAfter(afterMs);
  }

  private async deadLetter(row: OutboxRow, reason: string): Promise<void> {
    this.deps.logger.warn({ notificationId: row.value.id, reason }, "notification dead-lettered");
    const dead: Notification = { ...row.value, lease: undefined, status: "dead", lastError: reason.slice(0, 500) };
    await this.deps.rows.deadLetter(row, dead, {
      reason,
      actor: { userId: this.deps.owner, name: "Partner Desk" },
      at: this.deps.now().toISOString(),
    });
  }

  /**
   * A row still under our lease when the pass ends (a retry kept under its lease, or one claimed ahead when the
   * engine stops) is released now, a retry recorded as one (it already counts its attempt). Such a retry was due
   * later than the pass waits for one (PassScheduler.nextOrHold), or a wake-up or stop ended that wait: the retry
   * timer starts the pass that takes it up.
   */
  async releaseLeftOver(queue: PassQueue): Promise<void> {
    const left = queue.leftOver();
    if (left.length > 0) this.deps.logger.debug({ rows: left.length }, "outbox pass over; retries left to the next pass");
    for (const item of left.filter((r) => r.underOurLease)) {
      await this.deps.claims.release(item.row).then(
        () => this.deps.passAfter(Math.max(0, item.dueAt - this.deps.now().getTime())),
        (error: unknown) =>
          this.deps.logger.error({ err: error, notificationId: item.row.value.id }, "could not release a notification waiting for a retry"),
      );
    }
  }
}
