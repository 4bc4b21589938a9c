import { StorageLimitError } from "./errors.js";

/**
 * Azure Table service limits. Azurite does not enforce all of them, so a write that works locally
 * could fail in production; guarding here makes local runs and tests honest.
 */
export const TABLE_LIMITS = {
  entityBytes: 1024 * 1024,
  stringChars: 32 * 1024,
  customProperties: 252,
  keyBytes: 1024,
  batchEntities: 100,
  batchBytes: 4 * 1024 * 1024,
} as const;

// Forbidden in PartitionKey and RowKey: / \ # ? and control characters U+0000-U+001F, U+007F-U+009F.
// eslint-disable-next-line no-control-regex -- matching control characters is the point: the service refuses them
const FORBIDDEN_KEY_CHARS = /[/\\#?\u0000-\u001f\u007f-\u009f]/;
const SYSTEM_PROPERTIES = new Set(["partitionKey", "rowKey", "timestamp", "etag", "odata.etag", "odata.metadata"]);

export function assertValidKey(name: "PartitionKey" | "RowKey", key: string): void {
  if (FORBIDDEN_KEY_CHARS.test(key)) {
    throw new StorageLimitError(
      `${name} "${key.slice(0, 80)}" contains a character the Table service forbids (/ \\ # ? or a control character)`,
    );
  }
  if (key.length * 2 > TABLE_LIMITS.keyBytes) {
    throw new StorageLimitError(`${name} is ${key.length} characters; the Table service allows at most ${TABLE_LIMITS.keyBytes / 2}`);
  }
}

/** Size of an entity as the service counts it (UTF-16 strings, per-property overhead), in bytes. */
export function entitySize(entity: Record<string, unknown>): number {
  let size = 4;
  for (const [name, value] of Object.entries(entity)) {
    if (name === "partitionKey" || name === "rowKey") {
      size += String(value).length * 2;
      continue;
    }
    if (SYSTEM_PROPERTIES.has(name) || value === undefined || value === null) continue;
    size += 8 + name.length * 2 + valueSize(value);
  }
  return size;
}

function valueSize(value: unknown): number {
  if (typeof value === "string") return 4 + value.length * 2;
  if (typeof value === "boolean") return 1;
  if (typeof value === "number") return 8;
  if (value instanceof Date) return 8;
  if (value instanceof Uint8Array) return 4 + value.byteLength;
  if (typeof value === "object" && value !== null && "value" in value) return valueSize(value.value);
  return 8;
}

export function assertEntityWithinLimits(entity: Record<string, unknown> & { partitionKey: string; rowKey: string }): void {
  assertValidKey("PartitionKey", entity.partitionKey);
  assertValidKey("RowKey", entity.rowKey);
  const custom = Object.keys(entity).filter((name) => !SYSTEM_PROPERTIES.has(name));
  if (custom.length > TABLE_LIMITS.customProperties) {
    throw new StorageLimitError(
      `Entity has ${custom.length} properties; the Table service allows at most ${TABLE_LIMITS.customProperties}`,
    );
  }
  for (const name of custom) {
    const value = entity[name];
    if (typeof value === "string" && value.length > TABLE_LIMITS.stringChars) {
      throw new StorageLimitError(
        `Property ${name} holds ${value.length} characters; the Table service allows at most ${TABLE_LIMITS.stringChars} in one string`,
      );
    }
  }
  const size = entitySize(entity);
  if (size > TABLE_LIMITS.entityBytes) {
    throw new StorageLimitError(`Entity is ${size} bytes; the Table service allows at most ${TABLE_LIMITS.entityBytes}`);
  }
}

export function assertBatchWithinLimits(entities: ReadonlyArray<Record<string, unknown>>): void {
  if (entities.length > TABLE_LIMITS.batchEntities) {
    throw new StorageLimitError(
      `A transaction holds ${entities.length} entities; the Table service allows at most ${TABLE_LIMITS.batchEntities}`,
    );
  }
  const bytes = entities.reduce((sum, e) => sum + entitySize(e), 0);
  if (bytes > TABLE_LIMITS.batchBytes) {
    throw new StorageLimitError(`A transaction is ${bytes} bytes; the Table service allows at most ${TABLE_LIMITS.batchBytes}`);
  }
}
