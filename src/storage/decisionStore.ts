import type { TableClient } from "@azure/data-tables";
import { DECISION_ERRORS, type Decision, type Write, type WriteKind } from "../domain/decision.js";
import { fail, ok, type Result } from "../domain/result.js";
import type { Versioned } from "../domain/versioned.js";
import { addressOf, PartitionTransaction, type EntityStore } from "./entityStore.js";
import { StorageConflictError } from "./errors.js";
import type { CommitInfo } from "./workIndexWriter.js";

/** How each aggregate a decision writes maps to rows, and whether a write must be conditional. */
export type DecisionMappings = { [K in WriteKind]: EntityStore<Extract<Write, { kind: K }>["value"]> };

/**
 * Rows where the latest write wins, written unconditionally (create or replace): a display name, or a second admin
 * also choosing "Let it end", is not a decision anyone can lose. Every other row is created (409 if it exists) or
 * replaced on the ETag read.
 */
const LATEST_WINS: ReadonlySet<WriteKind> = new Set(["tenantProfile", "letItEnd"]);

export interface DecisionStoreOptions {
  /** Called once after every commit that wrote at least one outbox row: the outbox has something to deliver. */
  onOutboxWritten?: () => void;
  /**
   * Awaited after every commit that was stored (never after a conflict): work the decision made due is indexed here
   * (the scheduler's due index). It must not throw: the decision stands either way.
   */
  afterCommit?: (decision: Decision, info: CommitInfo) => Promise<void>;
}

/**
 * Commits a decision: every row it writes, in the customer tenant's partition, as one entity group transaction.
 * A row the use case read (handed back as the `Versioned` it got from storage) is replaced only if its ETag
 * still matches; any other row is created and must not exist yet. Either everything is written, or nothing is
 * and the answer is the named conflict `DECISION.CONFLICT` (someone decided meanwhile: re-read and show that).
 */
export class DecisionStore {
  constructor(
    private readonly tenantTable: TableClient,
    private readonly mappings: DecisionMappings,
    private readonly options: DecisionStoreOptions = {},
  ) {}

  async commit(decision: Decision, read: ReadonlyArray<Versioned<unknown> | undefined> = []): Promise<Result<{ etags: string[] }>> {
    const etagsRead = new Map<string, string>();
    for (const version of read) {
      if (!version) continue;
      const address = addressOf(version);
      // A copy of a read value would silently become a "create" (and then a conflict): say so where it happens.
      if (!address) throw new Error("a decision was handed a version storage did not read (a copy of a read value?)");
      if (address.table === this.tenantTable.tableName) etagsRead.set(`${address.partitionKey}\n${address.rowKey}`, version.etag);
    }
    const tx = new PartitionTransaction(this.tenantTable, decision.tenantId);
    const created = new Set<Write>();
    for (const w of decision.writes) if (this.add(tx, w, etagsRead) === "created") created.add(w);
    let etags: Array<string | undefined>;
    try {
      etags = await tx.commit();
    } catch (error) {
      if (error instanceof StorageConflictError) return fail(DECISION_ERRORS.conflict, error.message);
      throw error;
    }
    await this.options.afterCommit?.(decision, { created: (w) => created.has(w) });
    // After the index writes: a pass woken now finds the new notifications in the outbox's index.
    if (decision.writes.some((w) => w.kind === "notification")) this.options.onOutboxWritten?.();
    return ok({ etags: etags.map((e) => e ?? "") });
  }

  /** Adds the write to the transaction; says whether its row is new ("created": it did not exist when read). */
  private add(tx: PartitionTransaction, w: Write, etagsRead: ReadonlyMap<string, string>): "created" | "replaced" {
    // The mapping of a kind stores values of that kind; TypeScript cannot follow the pairing through the index.
    const store = this.mappings[w.kind] as EntityStore<typeof w.value>;
    if (LATEST_WINS.has(w.kind)) {
      tx.upsert(store, w.value);
      return "replaced";
    }
    const keys = store.mapping.keys(w.value);
    const etag = etagsRead.get(`${keys.partitionKey}\n${keys.rowKey}`);
    if (etag) {
      tx.update(store, w.value, etag);
      return "replaced";
    }
    tx.create(store, w.value);
    return "created";
  }
}
