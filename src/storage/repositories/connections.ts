import type { TableClient } from "@azure/data-tables";
import type { PartnerConnection } from "../../domain/partnerConnection.js";
import { ROWS } from "../rowMappings.js";
import { EntityStore, type Versioned } from "../entityStore.js";
import type { WorkIndexRepository } from "./workIndex.js";

/** Point reads at once while following the index: quick, without a burst of hundreds of requests. */
const READS_AT_ONCE = 16;

/** One row per partner, in the partner's own tenant: PK = partner tenant id, RK = conn|<partner id>. */
export class ConnectionRepository {
  private readonly store: EntityStore<PartnerConnection>;
  constructor(
    client: TableClient,
    private readonly index: Pick<WorkIndexRepository, "followed" | "forget">,
  ) {
    this.store = new EntityStore(client, ROWS.connection);
  }
  get(partnerTenantId: string, partnerId: string): Promise<Versioned<PartnerConnection> | undefined> {
    return this.store.get(partnerTenantId, this.store.rowKey(partnerId));
  }
  /**
   * Every connected partner: the status sync's list of whom to read Graph for. One query of the index's partition,
   * then a point read of each connection in its partner's tenant (the index only says where to look). A pointer
   * whose partner is no longer connected is dropped on the way (ETag-conditional: a reconnect keeps it).
   */
  async listConnected(): Promise<PartnerConnection[]> {
    const pointers = await this.index.followed();
    const out: PartnerConnection[] = [];
    for (let i = 0; i < pointers.length; i += READS_AT_ONCE) {
      const chunk = pointers.slice(i, i + READS_AT_ONCE);
      const rows = await Promise.all(chunk.map((p) => this.get(p.value.partnerTenantId, p.value.partnerId)));
      for (const [j, row] of rows.entries()) {
        if (row?.value.status === "connected") out.push(row.value);
        else await this.index.forget(chunk[j]!);
      }
    }
    return out;
  }
}
