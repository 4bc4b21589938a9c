/**
 * The scale-out section's data, as the product spreads it: customer tenants' decisions queue notifications (rows in
 * the customer's outbox partition) to partner contacts, whose conversations live in the partners' own tenants.
 * Conversation i belongs to partner i, in tenant i mod T; notification k goes to partner k mod C, so every
 * conversation gets several (N / C) and every tenant the same share (N / T), from every customer tenant.
 */
import type { ConversationRecord } from "../../src/domain/conversation.js";
import { write } from "../../src/domain/decision.js";
import type { Notification } from "../../src/domain/notification.js";
import type { Partner } from "../../src/domain/partner.js";
import type { Storage } from "../../src/storage/index.js";
import { deliveryTenantResolver, dueEntryOf } from "../../src/outbox/shards/deliveryIndex.js";
import { now } from "../lib/stats.js";

export interface ScaleoutSeed {
  notifications: number;
  conversations: number;
  /** Tenants the conversations (the partners' contacts) live in: Teams' per-tenant limit is theirs. */
  tenants: number;
  /** Customer tenants whose outbox partitions hold the notifications. */
  customers: number;
  /** The service URL stored in the references (each instance sends to its own port of the channel instead). */
  serviceUrl: string;
}

/** OUTBOX_SHARDS of the instances: the seed indexes its pending rows into their shards, as a commit would. */
export interface SeedShards {
  count: number;
}

export interface Seeded {
  seedMs: number;
  rowsWritten: number;
  /** conversation id -> tenant id. */
  conversations: Record<string, string>;
}

const hex12 = (n: number) => n.toString(16).padStart(12, "0");
const partnerTenant = (t: number) => `5a000000-0000-4000-8000-${hex12(t)}`;
const customerTenant = (c: number) => `5c000000-0000-4000-8000-${hex12(c)}`;
const contactUser = (i: number) => `5a0c0000-0000-4000-8000-${hex12(i)}`;
export const scaleoutConversation = (i: number) => `a:scaleout-${i}`;
/** The key the engine sends with every delivery (delivery.ts): notification id and recipient. */
export const deliveryKey = (k: number, conversations: number) => `${notificationId(k)}:${contactUser(k % conversations)}`;
const notificationId = (k: number) => `scale-${k.toString().padStart(6, "0")}`;

export async function seedScaleout(repos: Storage, setup: ScaleoutSeed, shards: SeedShards): Promise<Seeded> {
  const started = now();
  const at = new Date().toISOString();
  const partners: Partner[] = [];
  const contacts: ConversationRecord[] = [];
  const conversations: Record<string, string> = {};
  for (let i = 0; i < setup.conversations; i++) {
    const tenantId = partnerTenant(i % setup.tenants);
    const contact = { tenantId, userId: contactUser(i), name: `Scale-out Contact ${i}` };
    partners.push({
      id: `scale-partner-${i}`,
      name: `Scale-out Partner ${i}`,
      tenantId,
      locations: [{ country: "SE", city: "Stockholm" }],
      sizes: ["1-50"],
      services: ["Helpdesk support"],
      industries: [],
      types: ["reseller"],
      contacts: [contact],
    });
    contacts.push({
      tenantId,
      userId: contact.userId,
      name: contact.name,
      reachableAs: "partnerContact",
      partnerId: `scale-partner-${i}`,
      locale: "en-US",
      reference: {
        channelId: "msteams",
        serviceUrl: setup.serviceUrl,
        conversation: { id: scaleoutConversation(i), tenantId, conversationType: "personal" },
        bot: { id: "28:bench-bot", name: "Partner Desk" },
        user: { id: `29:scaleout-${i}`, name: contact.name, aadObjectId: contact.userId },
        locale: "en-US",
      },
      stale: false,
      updatedAt: at,
    });
    conversations[scaleoutConversation(i)] = tenantId;
  }
  let rowsWritten = (await repos.partners.upsertMany(partners)).written;
  await repos.conversations.saveMany(contacts);
  rowsWritten += contacts.length;

  for (let c = 0; c < setup.customers; c++)
    await repos.seed.upsert(write.tenantProfile({ tenantId: customerTenant(c), displayName: `Scale-out Customer ${c}`, updatedAt: at }));
  const base = Date.now() - setup.notifications - 60_000;
  const perCustomer = Math.ceil(setup.notifications / setup.customers);
  const queued: Notification[] = [];
  for (let k = 0; k < setup.notifications; k++) {
    // createdAt interleaves the customers, as notifications caused by many admins' decisions would be.
    queued.push({
      id: notificationId(k),
      tenantId: customerTenant(Math.floor(k / perCustomer)),
      recipient: { kind: "partner", partnerId: `scale-partner-${k % setup.conversations}` },
      type: "invitationDeclined",
      payload: { invitationId: `scale-inv-${k}`, reason: "Not this quarter" },
      status: "pending",
      attempts: 0,
      createdAt: new Date(base + (k % perCustomer) * setup.customers + Math.floor(k / perCustomer)).toISOString(),
      correlationId: `bench-scaleout-${k}`,
      deliveries: {},
    });
  }
  await repos.seed.createAll(queued.map(write.notification));
  // The seeder writes no outbox index (a demo's rows wait for the sweep); the product's commit does, right after
  // its transaction (outboxIndexer). Without this the instances would find the work only through their sweep.
  const partnerTenantOf = new Map(partners.map((p) => [p.id, p.tenantId]));
  const deliveryTenantOf = deliveryTenantResolver((partnerId) => Promise.resolve(partnerTenantOf.get(partnerId)));
  await repos.outboxShards.indexDue(await Promise.all(queued.map((n) => dueEntryOf(n, deliveryTenantOf, shards.count))));
  rowsWritten += 2 * queued.length + setup.customers;
  return { seedMs: now() - started, rowsWritten, conversations };
}
