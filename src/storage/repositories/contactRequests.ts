import type { TableClient } from "@azure/data-tables";
import { ContactRequestSchema, type ContactRequest } from "../../domain/contactRequest.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** A customer's request to be contacted by partners: PK = tenant id, RK = creq|<id>. */
export class ContactRequestRepository {
  readonly store: EntityStore<ContactRequest>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, {
      kind: "creq",
      schema: ContactRequestSchema,
      keys: (c) => ({ partitionKey: c.tenantId, rowKey: `creq|${c.id}` }),
    });
  }
  get(tenantId: string, id: string): Promise<Versioned<ContactRequest> | undefined> {
    return this.store.get(tenantId, this.store.rowKey(id));
  }
  listForTenant(tenantId: string): Promise<Array<Versioned<ContactRequest>>> {
    return this.store.listInPartition(tenantId);
  }
}
