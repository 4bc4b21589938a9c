import type { TableClient } from "@azure/data-tables";
import type { ContactRequest } from "../../domain/contactRequest.js";
import type { Invitation } from "../../domain/invitation.js";
import type { Relationship } from "../../domain/relationship.js";
import type { PartnerWorkPointer } from "../../domain/workIndex.js";
import { EntityStore, type Versioned } from "../entityStore.js";
import { ROWS } from "../rowMappings.js";
import type { WorkIndexRepository } from "./workIndex.js";

const newestFirst = <T extends { createdAt: string }>(a: T, b: T) => b.createdAt.localeCompare(a.createdAt);
/** Point reads at once: the rows a home shows, without a burst of hundreds of requests for a partner with many. */
const READS_AT_ONCE = 25;

/**
 * A partner's records in its customers' partitions, found through the partner's partition of the work index
 * (src/domain/workIndex.ts): one query there, then a point read of each row in its customer's partition. Only rows
 * that exist and still name the partner are listed: the index says where to look, never what is true.
 */
export class PartnerWorkRepository {
  private readonly requests: EntityStore<ContactRequest>;
  private readonly invitations: EntityStore<Invitation>;
  private readonly relationships: EntityStore<Relationship>;
  constructor(
    client: TableClient,
    private readonly index: Pick<WorkIndexRepository, "partnerRecords">,
  ) {
    this.requests = new EntityStore(client, ROWS.contactRequest);
    this.invitations = new EntityStore(client, ROWS.invitation);
    this.relationships = new EntityStore(client, ROWS.relationship);
  }

  async contactRequestsFor(partnerId: string, max: number): Promise<ContactRequest[]> {
    const rows = await this.follow(
      this.index.partnerRecords(partnerId, "creq"),
      (p) => this.requests.get(p.tenantId, this.requests.rowKey(p.id)),
      (r) => r.partnerIds.includes(partnerId),
      max,
    );
    return rows.sort(newestFirst);
  }

  async invitationsFrom(partnerId: string, max: number): Promise<Invitation[]> {
    const rows = await this.follow(
      this.index.partnerRecords(partnerId, "inv"),
      (p) => this.invitations.get(p.tenantId, this.invitations.rowKey(p.id)),
      (i) => i.partnerId === partnerId,
      max,
    );
    return rows.sort(newestFirst);
  }

  relationshipsOf(partnerId: string): Promise<Relationship[]> {
    return this.follow(
      this.index.partnerRecords(partnerId, "rel"),
      (p) => this.relationships.get(p.tenantId, this.relationships.rowKey(partnerId)),
      (r) => r.partnerId === partnerId,
    );
  }

  /** Reads the rows the pointers name, in the pointers' order, until `max` of them exist and match. */
  private async follow<T>(
    pointers: AsyncIterable<PartnerWorkPointer>,
    read: (p: PartnerWorkPointer) => Promise<Versioned<T> | undefined>,
    matches: (value: T) => boolean,
    max = Number.POSITIVE_INFINITY,
  ): Promise<T[]> {
    const out: T[] = [];
    let batch: PartnerWorkPointer[] = [];
    const readBatch = async () => {
      for (const row of await Promise.all(batch.map(read))) if (row && matches(row.value) && out.length < max) out.push(row.value);
      batch = [];
    };
    for await (const pointer of pointers) {
      batch.push(pointer);
      if (batch.length >= Math.min(READS_AT_ONCE, max - out.length)) await readBatch();
      if (out.length >= max) return out;
    }
    await readBatch();
    return out;
  }
}
