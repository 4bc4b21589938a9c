import { odata, type TableClient } from "@azure/data-tables";
import type { Write } from "../../domain/decision.js";
import type { Notification } from "../../domain/notification.js";
import type { Relationship } from "../../domain/relationship.js";
import { pointersOfWrites, type WorkPointers } from "../../domain/workIndex.js";
import { EntityStore } from "../entityStore.js";
import type { WorkIndexRepository } from "../repositories/workIndex.js";
import { PARTNER_WORK_POINTER_ROW, ROWS, SYNC_POINTER_ROW } from "../rowMappings.js";
import { scanEveryPartition } from "./crossPartition.js";

/**
 * The periodic sweeps: the only reads across every customer's partition (src/storage/sweeps/crossPartition.ts),
 * each the safety net for a crash between a commit and the index write that follows it. Their callers run them at
 * most once per interval across instances (the scheduler: SCHEDULE_SWEEP_HOURS; the index sweeper: INDEX_SWEEP_HOURS).
 */
export function openSweeps(tenant: TableClient, indexes: TableClient, index: Pick<WorkIndexRepository, "recordMany">) {
  const store = <K extends Write["kind"]>(kind: K) =>
    new EntityStore(tenant, ROWS[kind]) as unknown as EntityStore<Extract<Write, { kind: K }>["value"]>;
  return {
    /**
     * Every notification not yet sent (pending or dead), in every tenant: the outbox's sweep (src/outbox/shards/sweep.ts),
     * at most once per OUTBOX_SWEEP_MINUTES across all instances.
     */
    async unsentNotifications(): Promise<Notification[]> {
      return (await scanEveryPartition(store("notification"), odata`status ne ${"sent"}`)).map((r) => r.value);
    },

    /** Every relationship still in force, in every tenant: the scheduler's expiry sweep. */
    async relationshipsInForce(): Promise<Relationship[]> {
      return (await scanEveryPartition(store("relationship"), odata`status eq ${"active"} or status eq ${"expired"}`)).map((r) => r.value);
    },

    /**
     * Writes every pointer the work indexes should hold and miss, from the rows themselves: a partner's contact
     * requests, invitations and relationships, and every connected partner. A pointer already there is left as it
     * is (an index in order costs the reads, no write). Resolves to how many were written.
     */
    async workIndexes(): Promise<number> {
      const [requests, invitations, relationships, connections, partnerWork, sync] = await Promise.all([
        scanEveryPartition(store("contactRequest")),
        scanEveryPartition(store("invitation")),
        scanEveryPartition(store("relationship")),
        scanEveryPartition(store("connection"), odata`status eq ${"connected"}`),
        scanEveryPartition(new EntityStore(indexes, PARTNER_WORK_POINTER_ROW)),
        scanEveryPartition(new EntityStore(indexes, SYNC_POINTER_ROW)),
      ]);
      const writes: Write[] = [
        ...requests.map((r): Write => ({ kind: "contactRequest", value: r.value })),
        ...invitations.map((r): Write => ({ kind: "invitation", value: r.value })),
        ...relationships.map((r): Write => ({ kind: "relationship", value: r.value })),
        ...connections.map((r): Write => ({ kind: "connection", value: r.value })),
      ];
      const wanted: WorkPointers = pointersOfWrites(writes, () => true);
      const have = new Set([
        ...partnerWork.map((r) => keyOf(PARTNER_WORK_POINTER_ROW.keys(r.value))),
        ...sync.map((r) => keyOf(SYNC_POINTER_ROW.keys(r.value))),
      ]);
      return index.recordMany({
        partnerWork: wanted.partnerWork.filter((p) => !have.has(keyOf(PARTNER_WORK_POINTER_ROW.keys(p)))),
        sync: wanted.sync.filter((p) => !have.has(keyOf(SYNC_POINTER_ROW.keys(p)))),
      });
    },
  };
}
export type Sweeps = ReturnType<typeof openSweeps>;

const keyOf = (k: { partitionKey: string; rowKey: string }) => `${k.partitionKey}\n${k.rowKey}`;
