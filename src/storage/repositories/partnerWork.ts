import { odata, type TableClient } from "@azure/data-tables";
import type { ContactRequest } from "../../domain/contactRequest.js";
import type { Invitation } from "../../domain/invitation.js";
import type { Relationship } from "../../domain/relationship.js";
import { EntityStore } from "../entityStore.js";
import { ROWS } from "../rowMappings.js";

const newestFirst = <T extends { createdAt: string }>(a: T, b: T) => b.createdAt.localeCompare(a.createdAt);

/**
 * A partner's records in its customers' partitions. Each read is a cross-partition query over one kind of row
 * (a table scan on Azure Tables), narrowed by the partner's id where the row keeps it as a column; a contact
 * request lists its partners as JSON, so those are matched here. It runs only when a partner contact opens their
 * home, never in a customer's turn; an index of a partner's customers, kept by the outbox in the partner's own
 * partition, would make it a single-partition read when partners have many customers.
 */
export class PartnerWorkRepository {
  private readonly requests: EntityStore<ContactRequest>;
  private readonly invitations: EntityStore<Invitation>;
  private readonly relationships: EntityStore<Relationship>;
  constructor(client: TableClient) {
    this.requests = new EntityStore(client, ROWS.contactRequest);
    this.invitations = new EntityStore(client, ROWS.invitation);
    this.relationships = new EntityStore(client, ROWS.relationship);
  }

  async contactRequestsFor(partnerId: string, max: number): Promise<ContactRequest[]> {
    const rows = await this.requests.listEverywhere();
    return rows
      .map((r) => r.value)
      .filter((r) => r.partnerIds.includes(partnerId))
      .sort(newestFirst)
      .slice(0, max);
  }

  async invitationsFrom(partnerId: string, max: number): Promise<Invitation[]> {
    const rows = await this.invitations.listEverywhere(odata`partnerId eq ${partnerId}`);
    return rows
      .map((r) => r.value)
      .sort(newestFirst)
      .slice(0, max);
  }

  async relationshipsOf(partnerId: string): Promise<Relationship[]> {
    return (await this.relationships.listEverywhere(odata`partnerId eq ${partnerId}`)).map((r) => r.value);
  }
}
