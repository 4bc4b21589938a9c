import type { TableClient } from "@azure/data-tables";
import type { ExpiryKey, ExpiryWarning, LetItEnd } from "../../domain/expiryWarning.js";
import { EntityStore, type Versioned } from "../entityStore.js";
import { ROWS } from "../rowMappings.js";

/** The markers of sent expiry warnings, in the customer's partition: RK = warn|<partner>|<end>|<days before>. */
export class ExpiryWarningRepository {
  private readonly store: EntityStore<ExpiryWarning>;
  private readonly letEnds: EntityStore<LetItEnd>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, ROWS.expiryWarning);
    this.letEnds = new EntityStore(client, ROWS.letItEnd);
  }

  /** Whether the admins chose to let this end come ("Let it end"): one point read. */
  letItEnd(tenantId: string, partnerId: string, endsAt: string): Promise<Versioned<LetItEnd> | undefined> {
    return this.letEnds.get(tenantId, this.letEnds.rowKey(partnerId, endsAt));
  }

  /** The marker of one warning, if it was sent: one point read. */
  get(tenantId: string, key: ExpiryKey): Promise<Versioned<ExpiryWarning> | undefined> {
    return this.store.get(tenantId, this.store.rowKey(key.partnerId, key.endsAt, String(key.daysBefore)));
  }

  /** Every warning sent to the tenant (its history and tests). */
  listForTenant(tenantId: string): Promise<Array<Versioned<ExpiryWarning>>> {
    return this.store.listInPartition(tenantId);
  }
}
