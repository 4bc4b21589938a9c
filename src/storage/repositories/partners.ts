import type { TableClient } from "@azure/data-tables";
import { PartnerSchema, type Partner } from "../../domain/partner.js";
import { upsertInBatches } from "../batchUpserts.js";
import { EntityStore, type Versioned } from "../entityStore.js";

const DIRECTORY_PARTITION = "directory";

/** The partner directory, read whole into the search index (sized and measured for 100,000 partners: bench/RESULTS.md). */
export class PartnerRepository {
  private readonly store: EntityStore<Partner>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, {
      kind: "partner",
      schema: PartnerSchema,
      keys: (p) => ({ partitionKey: DIRECTORY_PARTITION, rowKey: `partner|${p.id}` }),
    });
  }
  get(id: string): Promise<Versioned<Partner> | undefined> {
    return this.store.get(DIRECTORY_PARTITION, this.store.rowKey(id));
  }
  async listAll(): Promise<Partner[]> {
    return (await this.store.listInPartition(DIRECTORY_PARTITION)).map((v) => v.value);
  }
  upsert(partner: Partner): Promise<void> {
    return this.store.upsert(partner);
  }
  /** Imports: every partner upserted, 100 rows per entity group transaction. */
  upsertMany(partners: readonly Partner[], onProgress?: (done: number, total: number) => void) {
    return upsertInBatches(this.store, partners, onProgress);
  }
}
