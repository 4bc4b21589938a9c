/**
 * Child process: the outbox engine of Partner Desk, built by src/app.ts's createOutboxEngine (real repositories on
 * Azurite, the real RateLimiter, BotProactiveSender on a CloudAdapter), with its settings parsed by the same
 * loadConfig from NOTIFY_* values. It sends to the parent's loopback channel, which enforces the same limits.
 *
 * Environment: BENCH_TABLES (Azurite connection string), BENCH_PREFIX (table prefix).
 */
import { createAdapter } from "../../src/bot/adapter.js";
import { BotProactiveSender } from "../../src/bot/proactiveSender.js";
import { loadConfig, type NotificationsConfig } from "../../src/config.js";
import { DirectoryService } from "../../src/partner-directory/directoryService.js";
import type { ConversationRecord } from "../../src/domain/conversation.js";
import type { Notification } from "../../src/domain/notification.js";
import type { Partner } from "../../src/domain/partner.js";
import { systemClock } from "../../src/domain/time.js";
import { ConversationBook } from "../../src/bot/conversationBook.js";
import { createOutboxEngine } from "../../src/outboxWiring.js";
import type { OutboxEngine } from "../../src/outbox/engine.js";
import { RateLimiter } from "../../src/outbox/rateLimiter.js";
import { write } from "../../src/domain/decision.js";
import { deliveryTenantResolver, dueEntryOf } from "../../src/outbox/shards/deliveryIndex.js";
import { createTableClients, ensureTables, openStorage, type Storage } from "../../src/storage/index.js";
import { allOutboxRows, pendingCount } from "../lib/outboxRows.js";
import { engineLogger } from "../lib/engineLog.js";
import { serve } from "../lib/child.js";
import { now } from "../lib/stats.js";
import { StorageCounter, type StorageCall } from "../lib/storageCounter.js";

export interface FanoutSetup {
  partners: number;
  /** Tenants the partners' contacts (the conversations) live in. */
  tenants: number;
  /** Customer tenants whose outbox partitions hold the notifications. */
  customers: number;
  notifications: number;
  serviceUrl: string;
  /** NOTIFY_* settings, exactly as an operator would set them. */
  env: Record<string, string>;
}

export interface FanoutReady {
  seedMs: number;
  rowsWritten: number;
  notifications: NotificationsConfig;
  /** conversation id -> tenant id, for the channel's per-tenant limits. */
  conversations: Record<string, string>;
}

/** The dispatcher's Table Storage requests from start() on (the benchmark's own reads and seeding not counted). */
export interface FanoutStorage {
  requests: number;
  /** Requests by what they do ("point read conversations conv|…", "upsert/replace tenant outbox|…", ...). */
  byKind: Record<string, number>;
}

export interface OutboxCounts {
  pending: number;
  sent: number;
  dead: number;
  /** Rows whose deliveries list more than one recipient (there is one recipient each: must be 0). */
  multipleDeliveries: number;
  attempts: Record<string, number>;
}

const hex12 = (n: number) => n.toString(16).padStart(12, "0");
export const partnerTenant = (t: number) => `fa000000-0000-4000-8000-${hex12(t)}`;
export const customerTenant = (c: number) => `fc000000-0000-4000-8000-${hex12(c)}`;
const contactUser = (i: number) => `fa0c0000-0000-4000-8000-${hex12(i)}`;
export const conversationOf = (i: number) => `a:fanout-${i}`;

let dispatcher: OutboxEngine | undefined;
/** The benchmark's own view of the tables (seeding, counting the outbox): not counted. */
let repos: Storage | undefined;
let counter: StorageCounter | undefined;

serve(
  () =>
    Promise.resolve({
      setup: async (setup: FanoutSetup): Promise<FanoutReady> => {
        const connectionString = process.env["BENCH_TABLES"];
        if (!connectionString) throw new Error("BENCH_TABLES is not set");
        const config = loadConfig({
          PORT: "0",
          TABLES_CONNECTION_STRING: connectionString,
          TABLE_PREFIX: process.env["BENCH_PREFIX"] ?? "fan",
          LOG_LEVEL: "silent",
          ...setup.env,
        });
        const tables = createTableClients({ kind: "connectionString", connectionString }, config.tablePrefix);
        await ensureTables(tables);
        repos = openStorage(tables);
        // The dispatcher gets its own clients with a counting policy, so every request it makes is counted.
        counter = new StorageCounter(config.tablePrefix);
        const dispatcherRepos = openStorage(
          createTableClients({ kind: "connectionString", connectionString }, config.tablePrefix, { additionalPolicies: [counter.policy] }),
        );
        const started = now();
        const at = new Date().toISOString();
        let rowsWritten = 0;

        const partners: Partner[] = [];
        const records = new Map<string, ConversationRecord[]>();
        const conversations: Record<string, string> = {};
        for (let i = 0; i < setup.partners; i++) {
          const tenantId = partnerTenant(i % setup.tenants);
          const contact = { tenantId, userId: contactUser(i), name: `Fan-out Contact ${i}` };
          partners.push({
            id: `fan-partner-${i}`,
            name: `Fan-out Partner ${i}`,
            tenantId,
            locations: [{ country: "SE", city: "Stockholm" }],
            sizes: ["1-50"],
            services: ["Helpdesk support"],
            industries: [],
            types: ["reseller"],
            contacts: [contact],
          });
          const list = records.get(tenantId) ?? [];
          list.push({
            tenantId,
            userId: contact.userId,
            name: contact.name,
            reachableAs: "partnerContact",
            partnerId: `fan-partner-${i}`,
            locale: "en-US",
            reference: {
              channelId: "msteams",
              serviceUrl: setup.serviceUrl,
              conversation: { id: conversationOf(i), tenantId, conversationType: "personal" },
              bot: { id: "28:bench-bot", name: "Partner Desk" },
              user: { id: `29:fanout-${i}`, name: contact.name, aadObjectId: contact.userId },
              locale: "en-US",
            },
            stale: false,
            updatedAt: at,
          });
          records.set(tenantId, list);
          conversations[conversationOf(i)] = tenantId;
        }
        rowsWritten += (await repos.partners.upsertMany(partners)).written;
        const contacts = [...records.values()].flat();
        await repos.conversations.saveMany(contacts);
        rowsWritten += contacts.length;

        const outbox = new Map<string, Notification[]>();
        const base = Date.now() - setup.notifications - 60_000;
        for (let c = 0; c < setup.customers; c++)
          await repos.seed.upsert(
            write.tenantProfile({ tenantId: customerTenant(c), displayName: `Fan-out Customer ${c}`, updatedAt: at }),
          );
        const perCustomer = Math.ceil(setup.notifications / setup.customers);
        for (let k = 0; k < setup.notifications; k++) {
          // Customer c notifies every partner in turn; createdAt interleaves the customers and the partners' tenants,
          // as notifications caused by many admins' decisions would be.
          const customer = customerTenant(Math.floor(k / perCustomer));
          const list = outbox.get(customer) ?? [];
          list.push({
            id: `fan-${k.toString().padStart(6, "0")}`,
            tenantId: customer,
            recipient: { kind: "partner", partnerId: `fan-partner-${k % setup.partners}` },
            type: "invitationDeclined",
            payload: { invitationId: `fan-inv-${k}`, reason: "Not this quarter" },
            status: "pending",
            attempts: 0,
            createdAt: new Date(base + (k % perCustomer) * setup.customers + Math.floor(k / perCustomer)).toISOString(),
            correlationId: `bench-fanout-${k}`,
            deliveries: {},
          });
          outbox.set(customer, list);
        }
        const queued = [...outbox.values()].flat();
        await repos.seed.createAll(queued.map(write.notification));
        // The seeder writes no outbox index (a demo's rows wait for the sweep); the product's commit does, right after
        // its transaction (outboxIndexer), as the scale-out's seed does. Without it the engine would find this work
        // only through its start-up sweep (the safety net), which is not how queued notifications reach it.
        const partnerTenantOf = new Map(partners.map((p) => [p.id, p.tenantId]));
        const deliveryTenantOf = deliveryTenantResolver((partnerId) => Promise.resolve(partnerTenantOf.get(partnerId)));
        const shards = config.notifications.shards.count;
        await repos.outboxShards.indexDue(await Promise.all(queued.map((n) => dueEntryOf(n, deliveryTenantOf, shards))));
        rowsWritten += 2 * queued.length;
        const seedMs = now() - started;

        const directory = new DirectoryService(dispatcherRepos.partners);
        await directory.reload();
        const services = {
          storage: dispatcherRepos,
          adminAudience: new ConversationBook(dispatcherRepos.conversations, directory, systemClock),
          directory,
          clock: systemClock,
        };
        // BENCH_FANOUT_LOG_DIR: the engine's debug log in a file there (its passes, how long each listing took).
        const logger = engineLogger("BENCH_FANOUT_LOG_DIR", `${process.env["BENCH_PREFIX"] ?? "fan"}-engine`);
        const book = new ConversationBook(dispatcherRepos.conversations, directory, systemClock, () => dispatcher?.wake());
        dispatcher = createOutboxEngine(
          {
            services,
            book,
            sender: new BotProactiveSender(createAdapter(config.auth, logger), config.auth.MicrosoftAppId ?? ""),
            limiter: new RateLimiter(config.notifications.limits),
            logger,
          },
          config.notifications,
        );
        return { seedMs, rowsWritten, notifications: config.notifications, conversations };
      },
      start: () => {
        if (!dispatcher || !counter) throw new Error("setup first");
        counter.start();
        dispatcher.start();
        return now();
      },
      pending: async () => (repos ? await pendingCount(repos) : -1),
      counts: async (): Promise<OutboxCounts> => {
        if (!repos) throw new Error("setup first");
        const rows = await allOutboxRows(repos);
        const counts: OutboxCounts = { pending: 0, sent: 0, dead: 0, multipleDeliveries: 0, attempts: {} };
        for (const value of rows) {
          counts[value.status]++;
          if (value.deliveries > 1) counts.multipleDeliveries++;
          counts.attempts[value.attempts] = (counts.attempts[value.attempts] ?? 0) + 1;
        }
        return counts;
      },
      stopDispatcher: async () => dispatcher?.stop(),
      /** After stopDispatcher: what the dispatcher asked of storage since start(). */
      storage: async (): Promise<FanoutStorage> => {
        const calls: StorageCall[] = (await counter?.stop(0, 1_000)) ?? [];
        const byKind: Record<string, number> = {};
        for (const call of calls) byKind[call.what] = (byKind[call.what] ?? 0) + 1;
        return { requests: calls.length, byKind };
      },
    }),
  async () => {
    await dispatcher?.stop();
  },
);
