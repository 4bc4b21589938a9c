import type { Storage } from "../../src/storage/index.js";

/** What the benchmark counts of one outbox row. */
export interface OutboxRowFigures {
  status: "pending" | "sent" | "dead";
  attempts: number;
  /** Recipients it was delivered to. */
  deliveries: number;
}

/**
 * Every outbox row in every tenant, whatever its status: the benchmark's own counts after a run, read raw from the
 * tenant table (a scan). It lives here, not in src/, because the bot itself scans only in its periodic sweeps.
 */
export async function allOutboxRows(storage: Storage): Promise<OutboxRowFigures[]> {
  const out: OutboxRowFigures[] = [];
  const filter = "RowKey ge 'outbox|' and RowKey lt 'outbox}'"; // constants: "}" sorts right after "|"
  for await (const row of storage.tables.client("tenant").listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
    const deliveries = typeof row["deliveries"] === "string" ? Object.keys(JSON.parse(row["deliveries"]) as object).length : 0;
    out.push({ status: row["status"] as OutboxRowFigures["status"], attempts: Number(row["attempts"]), deliveries });
  }
  return out;
}

/** How many notifications are still pending, in every tenant. */
export const pendingCount = async (storage: Storage): Promise<number> =>
  (await allOutboxRows(storage)).filter((n) => n.status === "pending").length;
