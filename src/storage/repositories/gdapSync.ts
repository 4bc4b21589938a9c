import type { TableClient } from "@azure/data-tables";
import type { GdapSyncState } from "../../domain/gdapSyncState.js";
import { StorageConflictError } from "../errors.js";
import { EntityStore, type Versioned } from "../entityStore.js";
import { SYNC_STATE_ROW } from "../rowMappings.js";

/** The status sync's row per connected partner, in the partner's tenant: PK = partner tenant id, RK = gsync|<partner id>. */
export class GdapSyncStateRepository {
  private readonly store: EntityStore<GdapSyncState>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, SYNC_STATE_ROW);
  }

  get(partnerTenantId: string, partnerId: string): Promise<Versioned<GdapSyncState> | undefined> {
    return this.store.get(partnerTenantId, this.store.rowKey(partnerId));
  }

  /**
   * Writes the state over the version read (ETag-conditional), or creates it when none was read: undefined when
   * someone else wrote it first (another instance took the lease), never a silent overwrite.
   */
  async save(state: GdapSyncState, read: Versioned<GdapSyncState> | undefined): Promise<Versioned<GdapSyncState> | undefined> {
    try {
      return read ? await this.store.update(state, read.etag) : await this.store.create(state);
    } catch (error) {
      if (error instanceof StorageConflictError) return undefined;
      throw error;
    }
  }
}
