/** Named storage failures: callers decide what a conflict means (re-read and answer with the current card). */
export class StorageConflictError extends Error {
  readonly code = "STORAGE.CONFLICT";
  constructor(
    readonly table: string,
    readonly key: string,
    cause?: unknown,
  ) {
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
  constructor(
    readonly table: string,
    readonly partitionKey: string,
    readonly rowKey: string,
    readonly problems: string[],
  ) {
    super(`Row ${table}(${partitionKey}, ${rowKey}) does not match its schema: ${problems.join("; ")}`);
    this.name = "CorruptRowError";
  }
}

export const statusOf = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && "statusCode" in error && typeof error.statusCode === "number"
    ? (error as { statusCode: number }).statusCode
    : undefined;

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "REQUEST_SEND_ERROR",
]);

/**
 * Storage did not answer (network error, timeout, 5xx after the SDK's retries): an outage to report as
 * "try again in a moment", not a bug. Nothing was written — a transaction either commits whole or not at all.
 */
export function isStorageUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, statusCode, name } = e as { code?: unknown; statusCode?: unknown; name?: unknown };
    if (typeof code === "string" && UNREACHABLE_CODES.has(code)) return true;
    if (typeof statusCode === "number" && statusCode >= 500) return true;
    if (name === "AbortError" || name === "TimeoutError") return true;
  }
  return false;
}
