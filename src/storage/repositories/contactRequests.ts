import type { TableClient } from "@azure/data-tables";
import type { ContactRequest } from "../../domain/contactRequest.js";
import { ROWS } from "../rowMappings.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** A customer's request to be contacted by partners: PK = tenant id, RK = creq|<id>. */
export class ContactRequestRepository {
  private readonly store: EntityStore<ContactRequest>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, ROWS.contactRequest);
  }
  get(tenantId: string, id: string): Promise<Versioned<ContactRequest> | undefined> {
    return this.store.get(tenantId, this.store.rowKey(id));
  }
  listForTenant(tenantId: string): Promise<Array<Versioned<ContactRequest>>> {
    return this.store.listInPartition(tenantId);
  }
}
