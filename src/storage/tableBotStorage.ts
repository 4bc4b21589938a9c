import { createHash } from "node:crypto";
import type { TableClient } from "@azure/data-tables";
import { StorageConflictError, StorageLimitError, statusOf } from "./errors.js";
import { TABLE_LIMITS, assertEntityWithinLimits } from "./limits.js";

/**
 * botbuilder's Storage contract (read/write/delete of StoreItems with optional eTag), declared structurally
 * so this module stays free of botbuilder; src/bot checks the two are assignable.
 */
export type StoreItems = Record<string, any>;
export interface BotStorageLike {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

const CHUNK_CHARS = TABLE_LIMITS.stringChars;
/** Leaves room for the key properties and the per-property overhead inside the 1 MiB entity limit. */
const MAX_DOCUMENT_CHARS = Math.floor((TABLE_LIMITS.entityBytes - 8 * 1024) / 2);

/**
 * Bot state on Azure Tables with botbuilder's ETag semantics: no eTag or "*" overwrites, a matching eTag
 * replaces, a stale eTag is a StorageConflictError. Keys are hashed because botbuilder keys contain "/"
 * (forbidden in Table keys) and may exceed the 1 KiB key limit; the original key is kept in the row.
 */
export class TableBotStorage implements BotStorageLike {
  constructor(private readonly client: TableClient) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new ReferenceError("Keys are required when reading.");
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const { partitionKey, rowKey } = locate(key);
        try {
          const entity = await this.client.getEntity<Record<string, unknown>>(partitionKey, rowKey);
          items[key] = { ...JSON.parse(joinChunks(entity)), eTag: entity.etag };
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
        }
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== "object") throw new ReferenceError("Changes are required when writing.");
    await Promise.all(Object.entries(changes).map(([key, item]) => this.writeOne(key, item)));
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new ReferenceError("Keys are required when deleting.");
    await Promise.all(
      keys.map(async (key) => {
        const { partitionKey, rowKey } = locate(key);
        try {
          await this.client.deleteEntity(partitionKey, rowKey);
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
        }
      }),
    );
  }

  private async writeOne(key: string, item: unknown): Promise<void> {
    if (item === null || typeof item !== "object") throw new TypeError(`Storage: the item for "${key}" must be an object.`);
    const { eTag, ...document } = item as { eTag?: unknown } & Record<string, unknown>;
    const entity = { ...locate(key), key, ...toChunks(key, JSON.stringify(document)) };
    assertEntityWithinLimits(entity);
    if (typeof eTag !== "string" || eTag === "" || eTag === "*") {
      await this.client.upsertEntity(entity, "Replace");
      return;
    }
    try {
      await this.client.updateEntity(entity, "Replace", { etag: eTag });
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) {
        // Same as botbuilder's MemoryStorage: an eTag for an item that no longer exists writes it anew,
        // but only if nobody created it in between.
        try {
          await this.client.createEntity(entity);
          return;
        } catch (createError) {
          if (statusOf(createError) === 409) throw new StorageConflictError(this.client.tableName, key, createError);
          throw createError;
        }
      }
      if (status === 412) throw new StorageConflictError(this.client.tableName, key, error);
      throw error;
    }
  }
}

function locate(key: string): { partitionKey: string; rowKey: string } {
  if (typeof key !== "string" || key.length === 0) throw new TypeError("Storage keys must be non-empty strings.");
  const hash = createHash("sha256").update(key).digest("hex");
  return { partitionKey: hash.slice(0, 2), rowKey: hash };
}

function toChunks(key: string, json: string): Record<string, string | number> {
  if (json.length > MAX_DOCUMENT_CHARS) {
    throw new StorageLimitError(
      `Storage: the item for "${key}" is ${json.length} characters of JSON; a table row holds at most about ${MAX_DOCUMENT_CHARS}`,
    );
  }
  const chunks: Record<string, string | number> = {};
  let count = 0;
  for (let offset = 0; offset < json.length || count === 0; offset += CHUNK_CHARS, count++) {
    chunks[`d${count}`] = json.slice(offset, offset + CHUNK_CHARS);
  }
  chunks["chunks"] = count;
  return chunks;
}

function joinChunks(entity: Record<string, unknown>): string {
  const count = Number(entity["chunks"]);
  let json = "";
  for (let i = 0; i < count; i++) json += String(entity[`d${i}`] ?? "");
  return json;
}
