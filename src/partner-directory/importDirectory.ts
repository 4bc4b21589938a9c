import type { Partner } from "../domain/partner.js";
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

/** Where the directory is written: upserts in batches (storage's PartnerRepository fits). */
export interface DirectoryWriter {
  /** Writes every partner; resolves with how many were written and, if it stopped, why. */
  upsertMany(
    partners: readonly Partner[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ written: number; batches: number; failure?: { error: unknown } }>;
}

/**
 * Writes the partners of a checked file. Upserts by id, so the same import can be run again after a failure
 * and ends in the same state; a failure says how far it got.
 */
export async function importDirectory(
  writer: DirectoryWriter,
  partners: readonly Partner[],
  onProgress?: (done: number, total: number) => void,
): Promise<ImportSummary> {
  const ids = new Set<string>();
  for (const partner of partners) {
    // Two writes to one row in a transaction fail the batch; the parser reports duplicates, this guards other callers.
    if (ids.has(partner.id)) throw new Error(`partner "${partner.id}" appears twice in one import`);
    ids.add(partner.id);
  }
  const result = await writer.upsertMany(partners, onProgress);
  if (result.failure) throw new ImportFailedError(result.written, partners.length, result.failure.error);
  return { imported: result.written, batches: result.batches };
}
