import type { Logger } from "pino";
import type { OutboxDueEntry } from "../../domain/outboxShards.js";
import { dueEntryOf } from "./deliveryIndex.js";
import type { DeliveryTenantOf, OutboxIndex, OutboxSweepStore } from "./ports.js";

export interface OutboxSweepDeps {
  store: OutboxSweepStore;
  index: OutboxIndex;
  deliveryTenantOf: DeliveryTenantOf;
  now: () => Date;
  logger: Logger;
}

export interface OutboxSweepOptions {
  /** This instance, in the sweep's state row. */
  owner: string;
  shards: number;
  /** At most one sweep per this long across all instances (OUTBOX_SWEEP_MINUTES); 0: never. */
  intervalMs: number;
}

/**
 * The safety net for a crash between a commit and its index write (and for a change of OUTBOX_SHARDS): at most once
 * per interval, across all instances, it reads every unsent notification (the only cross-partition query the outbox
 * makes), indexes each pending one the index lacks under its shard and brings the dead-letter index up to date.
 * It reads the index first (one query per shard partition) and writes only what is missing: rewriting every entry
 * would change nothing but cost a write per pending notification, all at once, on whichever instance sweeps (measured
 * in the scale-out benchmark: 10,000 rewrites at start-up held the storage busy for the first seconds of delivery).
 * A parked notification (nobody it goes to reachable yet, src/outbox/shards/waiting.ts) is not in the due index, so
 * the sweep indexes it again: once per interval, every parked one is looked at by a pass (and parked again if still
 * nobody can receive it). That is also the safety net for an unparking that failed.
 * Resolves to how many notifications it indexed, or undefined when it was not this instance's turn.
 */
export class OutboxSweep {
  constructor(
    private readonly deps: OutboxSweepDeps,
    private readonly options: OutboxSweepOptions,
  ) {}

  async runIfDue(): Promise<number | undefined> {
    const { store, index, logger } = this.deps;
    if (this.options.intervalMs <= 0) return undefined;
    if (!(await store.claimSweep(this.options.owner, this.deps.now(), this.options.intervalMs))) return undefined;
    const unsent = await store.unsentEverywhere();
    const pending = unsent.filter((n) => n.status === "pending");
    const dead = unsent.filter((n) => n.status === "dead");
    const shards = Array.from({ length: this.options.shards }, (_, shard) => shard);
    const indexed = new Set((await Promise.all(shards.map((shard) => index.dueIn(shard)))).flat().map(dueKey));
    const entries = await Promise.all(pending.map((n) => dueEntryOf(n, this.deps.deliveryTenantOf, this.options.shards)));
    const missing = entries.filter((entry) => !indexed.has(dueKey(entry)));
    await index.indexDue(missing);
    await index.indexDead(dead.map(({ tenantId, id, createdAt }) => ({ tenantId, id, createdAt })));
    const stillDead = new Set(dead.map((n) => `${n.tenantId}|${n.id}`));
    for (const entry of await index.dead()) if (!stillDead.has(`${entry.tenantId}|${entry.id}`)) await index.removeDead(entry);
    logger.info(
      { pending: pending.length, indexed: missing.length, dead: dead.length },
      "outbox: swept every partition for notifications missing from the index",
    );
    return missing.length;
  }
}

/** An entry is where it belongs: its shard, delivery tenant and notification (createdAt is only the order). */
const dueKey = (e: OutboxDueEntry): string => `${e.shard}|${e.deliveryTenant}|${e.tenantId}|${e.id}`;
