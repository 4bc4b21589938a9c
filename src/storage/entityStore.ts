import { odata, type TableClient, type TableEntity, type TransactionAction } from "@azure/data-tables";
import type { z } from "zod";
import { CorruptRowError, StorageConflictError, statusOf } from "./errors.js";
import { assertBatchWithinLimits, assertEntityWithinLimits } from "./limits.js";
import type { Versioned } from "../domain/versioned.js";

export interface Keys {
  partitionKey: string;
  rowKey: string;
}

export type { Versioned } from "../domain/versioned.js";

/** Where a row lives: a versioned value handed back with a decision is matched to the row it was read from. */
export interface RowAddress {
  table: string;
  partitionKey: string;
  rowKey: string;
}

/**
 * The row every value this module hands out was read from (or written to). Kept beside the value instead of
 * in it, so values stay plain domain data; a copy of a value is simply not recognised (and is then written as
 * a new row, which fails as a conflict if the row exists: never a silent overwrite).
 */
const ADDRESSES = new WeakMap<object, RowAddress>();
export const addressOf = (versioned: object): RowAddress | undefined => ADDRESSES.get(versioned);
function addressed<T>(versioned: Versioned<T>, address: RowAddress): Versioned<T> {
  ADDRESSES.set(versioned, address);
  return versioned;
}

export interface RowMapping<T> {
  /** Discriminates aggregates sharing one table; also the RowKey prefix, so a kind can be listed by range. */
  kind: string;
  schema: z.ZodType<T>;
  keys(value: T): Keys;
}

type Entity = TableEntity<Record<string, unknown>>;
const SYSTEM = new Set(["partitionKey", "rowKey", "etag", "timestamp", "odata.etag", "odata.metadata", "kind"]);
const JSON_MARK = "__json";

/**
 * Maps one aggregate onto table rows: nested values are stored as JSON strings (Tables has flat rows),
 * every row is parsed with the aggregate's zod schema on read, and updates are conditional on the ETag.
 */
export class EntityStore<T> {
  constructor(
    readonly client: TableClient,
    readonly mapping: RowMapping<T>,
  ) {}

  rowKey(...parts: string[]): string {
    return [this.mapping.kind, ...parts].join("|");
  }

  toEntity(value: T): Entity {
    const checked = this.mapping.schema.parse(value);
    const keys = this.mapping.keys(checked);
    const entity: Entity = { ...keys, kind: this.mapping.kind };
    const jsonFields: string[] = [];
    for (const [name, field] of Object.entries(checked as Record<string, unknown>)) {
      if (field === undefined) continue;
      if (SYSTEM.has(name) || name === JSON_MARK)
        throw new Error(`${this.mapping.kind}: the field "${name}" is reserved by the storage layer; rename it in the domain model`);
      if (field !== null && typeof field === "object") {
        entity[name] = JSON.stringify(field);
        jsonFields.push(name);
      } else {
        entity[name] = field;
      }
    }
    if (jsonFields.length > 0) entity[JSON_MARK] = jsonFields.join(",");
    assertEntityWithinLimits(entity);
    return entity;
  }

  fromEntity(entity: Record<string, unknown>): Versioned<T> {
    const partitionKey = String(entity["partitionKey"]);
    const rowKey = String(entity["rowKey"]);
    const jsonFields = new Set(typeof entity[JSON_MARK] === "string" ? entity[JSON_MARK].split(",") : []);
    const raw: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const [name, field] of Object.entries(entity)) {
      if (SYSTEM.has(name) || name === JSON_MARK) continue;
      if (jsonFields.has(name) && typeof field === "string") {
        try {
          raw[name] = JSON.parse(field);
        } catch {
          problems.push(`${name} is not valid JSON`);
        }
      } else {
        raw[name] = field;
      }
    }
    const parsed = this.mapping.schema.safeParse(raw);
    if (!parsed.success || problems.length > 0) {
      const issues = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".") || "(row)"}: ${i.message}`);
      throw new CorruptRowError(this.client.tableName, partitionKey, rowKey, [...problems, ...issues]);
    }
    return addressed({ value: parsed.data, etag: String(entity["etag"]) }, { table: this.client.tableName, partitionKey, rowKey });
  }

  async get(partitionKey: string, rowKey: string): Promise<Versioned<T> | undefined> {
    try {
      const entity = await this.client.getEntity<Record<string, unknown>>(partitionKey, rowKey);
      return this.fromEntity(entity);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * Every row of this kind in one partition (optionally only those whose RowKey continues with `within`),
   * in RowKey order: one range query, paged by the SDK.
   */
  async listInPartition(partitionKey: string, options: { maxResults?: number; within?: string[] } = {}): Promise<Array<Versioned<T>>> {
    const stem = [this.mapping.kind, ...(options.within ?? [])].join("|");
    const prefix = `${stem}|`;
    const upper = `${stem}}`; // "}" sorts right after "|", so [prefix, upper) is exactly this range
    const filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${prefix} and RowKey lt ${upper}`;
    const out: Array<Versioned<T>> = [];
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push(this.fromEntity(entity));
      if (options.maxResults !== undefined && out.length >= options.maxResults) break;
    }
    return out;
  }

  /**
   * Rows of this kind in one partition whose RowKey lies in [lower, upper), in RowKey order, at most `maxResults`:
   * one range query the SDK pages through (1,000 rows a page), never more pages than the rows asked for need.
   */
  async listRowKeyRange(partitionKey: string, lower: string, upper: string, maxResults: number): Promise<Array<Versioned<T>>> {
    const filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${lower} and RowKey lt ${upper}`;
    const out: Array<Versioned<T>> = [];
    if (maxResults <= 0) return out;
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push(this.fromEntity(entity));
      if (out.length >= maxResults) break;
    }
    return out;
  }

  /**
   * Rows of this kind in every partition, optionally narrowed by an extra OData filter (built with `odata`).
   * A cross-partition scan: only for the periodic sweeps, through `scanEveryPartition` (src/storage/sweeps); steady
   * readers find their rows through an index. test/unit/no-scans.test.ts names the few callers allowed.
   */
  async listEverywhere(extraFilter?: string): Promise<Array<Versioned<T>>> {
    const range = odata`RowKey ge ${`${this.mapping.kind}|`} and RowKey lt ${`${this.mapping.kind}}`}`;
    const filter = extraFilter ? `${range} and (${extraFilter})` : range;
    const out: Array<Versioned<T>> = [];
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
      out.push(this.fromEntity(entity));
    return out;
  }

  /** Inserts a new row; a row that already exists is a conflict, never silently replaced. */
  async create(value: T): Promise<Versioned<T>> {
    const entity = this.toEntity(value);
    try {
      const response = await this.client.createEntity(entity);
      return this.versioned(value, entity, response.etag);
    } catch (error) {
      if (statusOf(error) === 409) throw new StorageConflictError(this.client.tableName, `${entity.partitionKey}/${entity.rowKey}`, error);
      throw error;
    }
  }

  /** Replaces the row only if nobody changed it since it was read (ETag match); otherwise StorageConflictError. */
  async update(value: T, etag: string): Promise<Versioned<T>> {
    if (!etag) throw new Error("update needs the ETag the row was read with");
    const entity = this.toEntity(value);
    try {
      const response = await this.client.updateEntity(entity, "Replace", { etag });
      return this.versioned(value, entity, response.etag);
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 404)
        throw new StorageConflictError(this.client.tableName, `${entity.partitionKey}/${entity.rowKey}`, error);
      throw error;
    }
  }

  /** The value as written, with the ETag the service answered and the row it lives in. */
  versioned(value: T, entity: Keys, etag: string | undefined): Versioned<T> {
    return addressed(
      { value, etag: etag ?? "" },
      { table: this.client.tableName, partitionKey: entity.partitionKey, rowKey: entity.rowKey },
    );
  }

  /** Seeding and imports: create or replace without a business decision behind it. */
  async upsert(value: T): Promise<void> {
    await this.client.upsertEntity(this.toEntity(value), "Replace");
  }

  async delete(keys: Keys, etag: string): Promise<void> {
    try {
      await this.client.deleteEntity(keys.partitionKey, keys.rowKey, { etag });
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 404)
        throw new StorageConflictError(this.client.tableName, `${keys.partitionKey}/${keys.rowKey}`, error);
      throw error;
    }
  }
}

/**
 * An entity group transaction in one partition of one table: a state change, its audit event and its outbox
 * message land together or not at all.
 */
export class PartitionTransaction {
  private readonly actions: TransactionAction[] = [];
  private readonly entities: Entity[] = [];

  constructor(
    private readonly client: TableClient,
    readonly partitionKey: string,
  ) {}

  create<T>(store: EntityStore<T>, value: T): this {
    return this.push(["create", store.toEntity(value)]);
  }

  /** Create or replace, unconditionally: only for rows where the latest write wins (a display name). */
  upsert<T>(store: EntityStore<T>, value: T): this {
    return this.push(["upsert", store.toEntity(value), "Replace"]);
  }

  update<T>(store: EntityStore<T>, value: T, etag: string): this {
    if (!etag) throw new Error("a transactional update needs the ETag the row was read with");
    return this.push(["update", store.toEntity(value), "Replace", { etag }]);
  }

  get size(): number {
    return this.actions.length;
  }

  private push(action: TransactionAction): this {
    const entity = action[1] as Entity;
    if (entity.partitionKey !== this.partitionKey) {
      throw new Error(`an entity group transaction stays in one partition: ${entity.partitionKey} is not ${this.partitionKey}`);
    }
    this.actions.push(action);
    this.entities.push(entity);
    return this;
  }

  /** Resolves to the new ETag of each action's row, in order (undefined where the service sent none). */
  async commit(): Promise<Array<string | undefined>> {
    if (this.actions.length === 0) return [];
    assertBatchWithinLimits(this.entities);
    try {
      const response = await this.client.submitTransaction(this.actions);
      return this.actions.map((_, i) => response.subResponses[i]?.etag);
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 409 || status === 404) {
        throw new StorageConflictError(this.client.tableName, `${this.partitionKey} (transaction of ${this.actions.length})`, error);
      }
      throw error;
    }
  }
}
