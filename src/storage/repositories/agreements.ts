import type { TableClient } from "@azure/data-tables";
import { AgreementSchema, type Agreement } from "../../domain/agreement.js";
import { EntityStore } from "../entityStore.js";

const MCA_PARTITION = "mca";

/** Versions of the Microsoft Customer Agreement; the current one is the latest effective version. */
export class AgreementRepository {
  readonly store: EntityStore<Agreement>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, {
      kind: "agreement",
      schema: AgreementSchema,
      keys: (a) => ({ partitionKey: MCA_PARTITION, rowKey: `agreement|${a.version}` }),
    });
  }
  async current(now: Date): Promise<Agreement | undefined> {
    const all = (await this.store.listInPartition(MCA_PARTITION)).map((v) => v.value);
    return all
      .filter((a) => Date.parse(a.effectiveFrom) <= now.getTime())
      .sort((a, b) => Date.parse(b.effectiveFrom) - Date.parse(a.effectiveFrom))[0];
  }
  upsert(agreement: Agreement): Promise<void> {
    return this.store.upsert(agreement);
  }
}
