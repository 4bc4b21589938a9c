import type { TableEntity, TransactionAction } from "@azure/data-tables";
import type { Partner } from "../domain/partner.js";
import { entitySize, TABLE_LIMITS } from "../storage/limits.js";
import type { PartnerRepository } from "../storage/repositories/partners.js";
import { FILE_ROW, type ParsedDirectory, type RowError } from "./importer.js";

/**
 * Writing a validated directory. The policy (all or nothing unless the caller chose to skip invalid rows)
 * is decided from the parse result before anything is written; the write itself upserts, so an import
 * can be run again after a failure and ends in the same state.
 */

export type ImportPlan = { kind: "import"; partners: Partner[]; skipped: RowError[] } | { kind: "refused"; errors: RowError[] };

/** Problems that spoil the whole file (unreadable, bad header): never skippable, whatever the policy. */
export const isFileLevelError = (error: RowError): boolean => error.row === FILE_ROW || error.field === "(header)";

/**
 * All or nothing by default: one bad row and nothing is imported, so a directory is never half-updated from
 * a file someone still has to fix. With `skipInvalid` the good rows go in and the bad ones are reported.
 */
export function planImport(parsed: ParsedDirectory, options: { skipInvalid: boolean }): ImportPlan {
  if (parsed.errors.length === 0) return { kind: "import", partners: parsed.partners, skipped: [] };
  if (!options.skipInvalid || parsed.errors.some(isFileLevelError)) return { kind: "refused", errors: parsed.errors };
  return { kind: "import", partners: parsed.partners, skipped: parsed.errors };
}

export interface ImportSummary {
  imported: number;
  /** Storage round trips: one entity group transaction per batch. */
  batches: number;
}

export class ImportFailedError extends Error {
  readonly code = "DIRECTORY.IMPORT_FAILED";
  constructor(
    readonly imported: number,
    readonly total: number,
    cause: unknown,
  ) {
    super(
      `The import stopped after ${imported} of ${total} partners: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        "Each batch is written whole or not at all and rows are upserted, so running the same import again is safe.",
      { cause },
    );
    this.name = "ImportFailedError";
  }
}

/** Batches in flight at once: quick on Azurite and on the real service without a burst of hundreds of requests. */
const PARALLEL_BATCHES = 4;

/**
 * Upserts the partners in entity group transactions (the whole directory shares one partition, so up to
 * 100 rows go in one round trip and land together or not at all), a few batches at a time. Every row is
 * turned into its entity first (schema-checked and within the Table service limits), so a row that could
 * not be stored stops the import before the first write, not in the middle of it.
 */
export async function importDirectory(
  repo: PartnerRepository,
  partners: readonly Partner[],
  onProgress?: (done: number, total: number) => void,
): Promise<ImportSummary> {
  const ids = new Set<string>();
  for (const partner of partners) {
    // Two writes to one row in a transaction fail the batch; the parser reports duplicates, this guards other callers.
    if (ids.has(partner.id)) throw new Error(`partner "${partner.id}" appears twice in one import`);
    ids.add(partner.id);
  }
  const entities = partners.map((partner) => repo.store.toEntity(partner));
  const batches = toBatches(entities);
  const total = entities.length;
  let done = 0;
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    while (failure === undefined && next < batches.length) {
      const batch = batches[next++]!;
      try {
        await repo.store.client.submitTransaction(batch.map((entity): TransactionAction => ["upsert", entity, "Replace"]));
      } catch (error) {
        failure ??= { error };
        return;
      }
      done += batch.length;
      onProgress?.(done, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_BATCHES, batches.length) }, worker));
  if (failure) throw new ImportFailedError(done, total, failure.error);
  return { imported: done, batches: batches.length };
}

type Entity = TableEntity<Record<string, unknown>>;

/** At most 100 entities and 4 MiB per transaction (the service's limits); a little headroom for the envelope. */
function toBatches(entities: Entity[]): Entity[][] {
  const maxBytes = TABLE_LIMITS.batchBytes - 64 * 1024;
  const batches: Entity[][] = [];
  let current: Entity[] = [];
  let bytes = 0;
  for (const entity of entities) {
    const size = entitySize(entity);
    if (current.length > 0 && (current.length === TABLE_LIMITS.batchEntities || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entity);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
