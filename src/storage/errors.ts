/** Named storage failures: callers decide what a conflict means (re-read and answer with the current card). */
export class StorageConflictError extends Error {
  readonly code = "STORAGE.CONFLICT";
  constructor(readonly table: string, readonly key: string, cause?: unknown) {
    super(`Storage: error writing "${key}" in ${table} due to eTag conflict: it was changed by someone else since it was read`, { cause });
    this.name = "StorageConflictError";
  }
}

export class StorageLimitError extends Error {
  readonly code = "STORAGE.LIMIT";
  constructor(message: string) {
    super(message);
    this.name = "StorageLimitError";
  }
}

/** A row that does not match its schema is never used: it is reported with enough to find it. */
export class CorruptRowError extends Error {
  readonly code = "STORAGE.CORRUPT_ROW";
  constructor(readonly table: string, readonly partitionKey: string, readonly rowKey: string, readonly problems: string[]) {
    super(`Row ${table}(${partitionKey}, ${rowKey}) does not match its schema: ${problems.join("; ")}`);
    this.name = "CorruptRowError";
  }
}

export const statusOf = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && "statusCode" in error && typeof (error as { statusCode: unknown }).statusCode === "number"
    ? (error as { statusCode: number }).statusCode
    : undefined;
