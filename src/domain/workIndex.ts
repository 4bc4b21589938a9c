import { z } from "zod";
import type { Write } from "./decision.js";

/**
 * The work indexes: rows that say where a reader finds its rows, so a partner contact's home and the status sync's
 * pass each read one partition of the index and then the real rows by their keys, instead of querying every
 * customer's partition. Only pointers: the real rows say what is true (a pointer to a row that is gone, or no
 * longer matches, is skipped). Written after the commit that created the row (src/storage/workIndexWriter.ts),
 * and again by the periodic sweep (src/storage/sweeps), the safety net for a crash between the two writes.
 */

/** The records a partner's home lists, by the kind of row they point at. */
export const PARTNER_RECORDS = ["creq", "inv", "rel"] as const;
export type PartnerRecord = (typeof PARTNER_RECORDS)[number];

/** A record of a partner in a customer's partition: a contact request naming it, its invitation, its relationship. */
export const PartnerWorkPointerSchema = z.object({
  partnerId: z.string().min(1),
  record: z.enum(PARTNER_RECORDS),
  /** The customer tenant: the partition the row lives in. */
  tenantId: z.string().min(1),
  /** The row's own id (a relationship's is the partner id: one per customer and partner). */
  id: z.string().min(1),
  /** Newest first in the index's RowKey order, as the home lists them (relationships have none: listed by customer). */
  createdAt: z.iso.datetime().optional(),
});
export type PartnerWorkPointer = z.infer<typeof PartnerWorkPointerSchema>;

/** A connected partner the status sync follows: where its connection row lives. */
export const SyncPointerSchema = z.object({
  partnerTenantId: z.string().min(1),
  partnerId: z.string().min(1),
});
export type SyncPointer = z.infer<typeof SyncPointerSchema>;

export interface WorkPointers {
  partnerWork: PartnerWorkPointer[];
  sync: SyncPointer[];
}

/**
 * The pointers one written row needs. A partner's records are indexed when the row is created (whom a request,
 * an invitation or a relationship is with never changes after); a connection whenever it is written connected
 * (a partner can connect again after disconnecting). Every other write needs none.
 */
export function pointersOf(w: Write, created: boolean): WorkPointers {
  const none: WorkPointers = { partnerWork: [], sync: [] };
  switch (w.kind) {
    case "contactRequest": {
      if (!created) return none;
      const { tenantId, id, createdAt } = w.value;
      const partners = [...new Set(w.value.partnerIds)];
      return { ...none, partnerWork: partners.map((partnerId) => ({ partnerId, record: "creq", tenantId, id, createdAt })) };
    }
    case "invitation": {
      if (!created) return none;
      const { tenantId, id, createdAt, partnerId } = w.value;
      return { ...none, partnerWork: [{ partnerId, record: "inv", tenantId, id, createdAt }] };
    }
    case "relationship": {
      if (!created) return none;
      const { tenantId, partnerId } = w.value;
      return { ...none, partnerWork: [{ partnerId, record: "rel", tenantId, id: partnerId }] };
    }
    case "connection": {
      if (w.value.status !== "connected") return none;
      const { partnerTenantId, partnerId } = w.value;
      return { ...none, sync: [{ partnerTenantId, partnerId }] };
    }
    default:
      return none;
  }
}

/** Every pointer a set of written rows needs (`created` tells which rows were new). */
export function pointersOfWrites(writes: readonly Write[], created: (w: Write) => boolean): WorkPointers {
  const all = writes.map((w) => pointersOf(w, created(w)));
  return { partnerWork: all.flatMap((p) => p.partnerWork), sync: all.flatMap((p) => p.sync) };
}
