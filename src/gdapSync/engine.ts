import { randomUUID } from "node:crypto";
import { StorageOutageBackoff } from "../storage/outageBackoff.js";
import { withoutStorageDeadline } from "../storage/timeouts.js";
import type { GdapSyncState } from "../domain/gdapSyncState.js";
import type { GraphReadBudget } from "../domain/microsoftSync.js";
import { syncPartner, type PartnerSyncResult } from "./partnerSync.js";
import type { GdapSyncDeps, SyncTarget } from "./ports.js";

export interface GdapSyncOptions {
  /** Between scheduled passes (GDAP_SYNC_INTERVAL_SECONDS); 0 runs none (on demand still works). */
  intervalMs: number;
  /** Each wait is the interval, more or less this fraction of it, so instances started together drift apart. */
  jitter?: number;
  /** How long a partner's lease keeps other instances away. Default 2 minutes (a background read with its retries fits). */
  leaseMs?: number;
  /** Opening a relationship syncs its partner first when it was last checked longer ago than this. Default 1 minute. */
  onDemandMaxAgeMs?: number;
  /** How long an opening card waits for that sync; past it, the card shows what is stored. Default 2 s. */
  onDemandBudgetMs?: number;
  /** Whether opening a card may sync (false where no partner can be connected: local mode). Default true. */
  onDemand?: boolean;
  /** How long stop() waits for a pass in flight before it lets go (its partner's lease then runs out on its own). */
  stopGraceMs?: number;
  random?: () => number;
}

/** What one scheduled pass did. */
export interface GdapSyncReport {
  partners: number;
  synced: number;
  skipped: number;
  failed: number;
}

type EngineState = "notStarted" | "running" | "stopped";

/**
 * The status sync: on a schedule, every connected partner's relationships are read from Graph and followed
 * (partnerSync.ts), and on demand, when someone opens a relationship whose partner was last checked more than a
 * minute ago. Runs in every instance; each partner's lease (in its sync-state row) keeps two instances from
 * syncing it at once, and every decision is ETag-conditional besides, so a transition is notified once.
 * Works against any Microsoft port: Graph, or a simulated Partner Center in the demo.
 */
export class GdapSyncEngine {
  readonly owner = `gdap-sync-${randomUUID().slice(0, 8)}`;
  private state: EngineState = "notStarted";
  private timer: NodeJS.Timeout | undefined;
  private currentPass: Promise<GdapSyncReport> | undefined;

  private readonly outage: StorageOutageBackoff;

  constructor(
    private readonly deps: GdapSyncDeps,
    private readonly options: GdapSyncOptions,
  ) {
    this.outage = new StorageOutageBackoff(deps.logger, "gdapSync");
  }

  /** Starts the schedule (the first pass after one interval); never waits for Graph. */
  start(): void {
    if (this.options.intervalMs <= 0) return;
    this.state = "running";
    this.schedule();
  }

  /** Stops the schedule and waits briefly for a pass in flight: shutdown is never held by a slow Graph. */
  async stop(): Promise<void> {
    this.state = "stopped";
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const pass = this.currentPass?.catch(() => undefined);
    if (pass) await Promise.race([pass, delay(this.options.stopGraceMs ?? 2_000)]);
  }

  /**
   * One pass over every connected partner. A partner checked (by any instance) less than `freshWithinMs` ago is
   * left for the next pass: instances share the work instead of each reading Graph for everyone.
   */
  runOnce(freshWithinMs = 0): Promise<GdapSyncReport> {
    this.currentPass ??= this.pass(freshWithinMs).finally(() => (this.currentPass = undefined));
    return this.currentPass;
  }

  /** Syncs one partner now (the lease permitting). */
  syncPartner(target: SyncTarget, budget: GraphReadBudget = "background"): Promise<PartnerSyncResult> {
    return syncPartner(this.deps, target, { owner: this.owner, leaseMs: this.options.leaseMs ?? 120_000, budget });
  }

  /**
   * For a card someone is opening: when the partner is connected and was last checked more than a minute ago, a
   * quick sync first, given at most `onDemandBudgetMs`; past it (or on any failure) what is stored stands, and a
   * sync still under way finishes on its own. Resolves to when Partner Desk last checked the partner with Graph,
   * and whether a sync ran to its end (rows may have changed: read them again).
   */
  async freshen(partnerId: string): Promise<{ checkedAt: string | undefined; synced: boolean }> {
    let stored: string | undefined;
    // The sync goes on after the card's wait on its own, so it must not be cut by the card's storage budget.
    const attempt = withoutStorageDeadline(async () => {
      const target = await this.connectedTarget(partnerId);
      if (!target) return { checkedAt: undefined, synced: false };
      const read = await this.deps.state.get(target.partnerTenantId, target.partnerId);
      stored = read?.value.lastSyncedAt;
      const recent = this.now().getTime() - lastCheckOf(read?.value) < (this.options.onDemandMaxAgeMs ?? 60_000);
      if (recent || this.options.onDemand === false) return { checkedAt: stored, synced: false };
      const result = await this.syncPartner(target, "onDemand");
      return { checkedAt: result.state?.lastSyncedAt ?? stored, synced: result.kind === "synced" };
    });
    return Promise.race([
      attempt.catch((error: unknown) => {
        this.deps.logger.warn({ err: error, partnerId }, "GDAP sync on demand failed; the card shows what is stored");
        return { checkedAt: stored, synced: false };
      }),
      delay(this.options.onDemandBudgetMs ?? 2_000).then(() => ({ checkedAt: stored, synced: false })),
    ]);
  }

  /**
   * The partner's connection, if it is connected: in the partner's own tenant (the directory's, or a listed
   * contact's, where the contact who connected it signed in).
   */
  private async connectedTarget(partnerId: string): Promise<SyncTarget | undefined> {
    const partner = await this.deps.partners.get(partnerId);
    if (!partner) return undefined;
    const tenants = [...new Set([partner.tenantId, ...partner.contacts.map((c) => c.tenantId)].map((t) => t.toLowerCase()))];
    for (const tenantId of tenants) {
      const connection = await this.deps.connections.get(tenantId, partnerId);
      if (connection?.value.status === "connected") return { partnerId, partnerTenantId: connection.value.partnerTenantId };
    }
    return undefined;
  }

  private async pass(freshWithinMs: number): Promise<GdapSyncReport> {
    const report: GdapSyncReport = { partners: 0, synced: 0, skipped: 0, failed: 0 };
    const connections = await this.deps.connections.listConnected();
    report.partners = connections.length;
    for (const connection of connections) {
      if (this.state === "stopped") break;
      const target = { partnerId: connection.partnerId, partnerTenantId: connection.partnerTenantId };
      try {
        if (freshWithinMs > 0) {
          const read = await this.deps.state.get(target.partnerTenantId, target.partnerId);
          if (this.now().getTime() - lastCheckOf(read?.value) < freshWithinMs) {
            report.skipped++;
            continue;
          }
        }
        const result = await this.syncPartner(target);
        if (result.kind === "skipped") report.skipped++;
        else report.synced++;
      } catch (error) {
        report.failed++;
        this.deps.logger.error({ err: error, ...target }, "GDAP sync: the partner could not be synced");
      }
    }
    return report;
  }

  private schedule(afterMs?: number): void {
    if (this.state !== "running") return;
    const { intervalMs } = this.options;
    const wait = afterMs ?? jitteredWait(intervalMs, this.options.jitter ?? 0.2, (this.options.random ?? Math.random)());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      let failure: unknown;
      void this.runOnce(intervalMs / 2)
        .catch((error: unknown) => (failure = error ?? new Error("GDAP sync pass failed")))
        .finally(() => {
          const backedOff = this.outage.after(failure, intervalMs);
          if (failure !== undefined && backedOff === undefined) this.deps.logger.error({ err: failure }, "GDAP sync pass failed");
          // A storage outage waits longer than the interval; otherwise the usual jittered interval.
          this.schedule(failure !== undefined && backedOff !== undefined ? backedOff : undefined);
        });
    }, wait);
    this.timer.unref?.();
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }
}

/** The interval, more or less `jitter` of it: `random` (0..1) picks where in [1 - jitter, 1 + jitter] × interval. */
export function jitteredWait(intervalMs: number, jitter: number, random: number): number {
  const spread = Math.min(Math.max(jitter, 0), 1);
  return Math.round(intervalMs * (1 - spread + 2 * spread * Math.min(Math.max(random, 0), 1)));
}

/** The last time anyone tried the partner, successfully or not: a minute-old failure is not retried on every card. */
function lastCheckOf(state: GdapSyncState | undefined): number {
  const times = [state?.lastSyncedAt, state?.lastOutcome?.at].filter((t): t is string => t !== undefined).map(Date.parse);
  return times.length === 0 ? Number.NEGATIVE_INFINITY : Math.max(...times);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
}
