import type { TableClient } from "@azure/data-tables";
import { expect } from "chai";
import { createTableClients, TABLES, type TableName } from "../../src/storage/tables.js";

/** One stored row as the service versions it: any write, even one that rewrites the same values, changes its ETag. */
export interface RowVersion {
  table: TableName;
  partitionKey: string;
  rowKey: string;
  etag: string;
}

/** Every row of every table the bot owns, sorted, so two snapshots compare with a plain deep equality. */
export type TablesSnapshot = RowVersion[];

/** The prefix the bot was started with, read from one of its own clients (`<prefix>tenant`). */
export function tablePrefixOf(tenantTable: TableClient): string {
  const name = tenantTable.tableName;
  if (!name.endsWith(TABLES.tenant)) throw new Error(`not the tenant table: ${name}`);
  return name.slice(0, -TABLES.tenant.length);
}

/**
 * The outbox shard keeper's heartbeat and lease rows: renewed on its own timer (every third of the lease, and within
 * a second of start while shares settle), never by a request, so a snapshot taken around a request leaves them out.
 * Everything else in that table (the due index, parked notifications) is compared like any row.
 */
const KEEPER_PARTITIONS = new Set(["instance", "lease"]);
const kept = (table: TableName, partitionKey: string) => table !== "outboxShards" || !KEEPER_PARTITIONS.has(partitionKey);

/**
 * Reads every table of TABLES under the bot's prefix straight from the service (not through our repositories),
 * keeping only the keys and the ETag of each row (but the shard keeper's timer-driven rows, above).
 */
export function tableSnapshotter(connectionString: string, prefix: string): () => Promise<TablesSnapshot> {
  const tables = createTableClients({ kind: "connectionString", connectionString }, prefix);
  const names = Object.keys(TABLES) as TableName[];
  return async () => {
    const perTable = await Promise.all(
      names.map(async (table) => {
        const rows: RowVersion[] = [];
        // Only the keys are selected: the ETag comes with every entity's metadata anyway.
        for await (const entity of tables.client(table).listEntities({ queryOptions: { select: ["PartitionKey", "RowKey"] } })) {
          if (kept(table, entity.partitionKey!))
            rows.push({ table, partitionKey: entity.partitionKey!, rowKey: entity.rowKey!, etag: String(entity.etag) });
        }
        return rows;
      }),
    );
    return perTable.flat().sort((a, b) => key(a).localeCompare(key(b)));
  };
}

const key = (row: Omit<RowVersion, "etag">) => `${row.table}\u0000${row.partitionKey}\u0000${row.rowKey}`;

/** What changed between two snapshots, one readable line per row ("+" added, "-" removed, "~" rewritten). */
export function diffSnapshots(before: TablesSnapshot, after: TablesSnapshot): string[] {
  const old = new Map(before.map((r) => [key(r), r]));
  const now = new Map(after.map((r) => [key(r), r]));
  const lines: string[] = [];
  const show = (r: RowVersion) => `${r.table} ${r.partitionKey} ${r.rowKey}`;
  for (const [k, r] of now) {
    const was = old.get(k);
    if (!was) lines.push(`+ ${show(r)}`);
    else if (was.etag !== r.etag) lines.push(`~ ${show(r)}`);
  }
  for (const [k, r] of old) if (!now.has(k)) lines.push(`- ${show(r)}`);
  return lines.sort();
}

/** The rows a diff line names, for checks such as "only this tenant's partition changed". */
export function changedRows(before: TablesSnapshot, after: TablesSnapshot): RowVersion[] {
  const old = new Map(before.map((r) => [key(r), r]));
  const now = new Map(after.map((r) => [key(r), r]));
  const changed = after.filter((r) => old.get(key(r))?.etag !== r.etag);
  const removed = before.filter((r) => !now.has(key(r)));
  return [...changed, ...removed];
}

/**
 * Takes a snapshot, acts, takes another and asserts that no row was added, rewritten or removed in between
 * (the failure lists the rows, as diffSnapshots words them). Hands back what `act` returned.
 */
export async function expectNothingChanged<T>(
  snapshot: () => Promise<TablesSnapshot>,
  act: () => Promise<T>,
  message = "rows changed",
): Promise<T> {
  const before = await snapshot();
  const result = await act();
  expect(diffSnapshots(before, await snapshot()), message).to.deep.equal([]);
  return result;
}
