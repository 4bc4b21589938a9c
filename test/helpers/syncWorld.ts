import { randomUUID } from "node:crypto";
import { pino, type Logger } from "pino";
import { AgreementSchema } from "../../src/domain/agreement.js";
import { connectPartner } from "../../src/domain/connectionDecisions.js";
import type { DecisionContext } from "../../src/domain/decisionRows.js";
import { gdapDisplayName, invitationIdFor } from "../../src/domain/microsoftSide.js";
import type { GraphRelationship } from "../../src/domain/microsoftSync.js";
import type { Notification } from "../../src/domain/notification.js";
import type { Partner } from "../../src/domain/partner.js";
import { ROLE } from "../../src/domain/roles.js";
import { acceptInvitation, sendInvitation } from "../../src/domain/transitions.js";
import type { GdapSyncEngine, GdapSyncOptions } from "../../src/gdapSync/engine.js";
import type { GdapSyncDeps } from "../../src/gdapSync/ports.js";
import { createGdapSyncEngine } from "../../src/gdapSyncWiring.js";
import { GdapClient } from "../../src/microsoft/gdap/index.js";
import { clientOptionsFor, listForSync, SYNC_BUDGETS } from "../../src/microsoft/gdap/syncListing.js";
import { requestRelationship } from "../../src/microsoftWiring.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables } from "./azurite.js";
import type { FakeGdap } from "./fakeGdap.js";
import { tableSnapshotter, type TablesSnapshot } from "./tableSnapshot.js";

/**
 * A world for the status sync against Azurite and the in-process GDAP fake: a connected partner in the directory,
 * its Microsoft port (tokens from the fake's tokenFor), and sync engines built as the app builds them.
 */

export const CUSTOMER = "c0ffee00-0000-4000-8000-0000000000c1";
export const PARTNER_TENANT = "d0d0d0d0-0000-4000-8000-0000000000f1";
export const PARTNER: Partner = {
  id: "sync-partner",
  name: "Synchronous Partners AB",
  tenantId: PARTNER_TENANT,
  locations: [{ country: "SE", city: "Umeå" }],
  sizes: ["51-250"],
  services: ["Identity and access management"],
  industries: [],
  types: ["resellerAndDelegatedAdministrator"],
  contacts: [{ tenantId: PARTNER_TENANT, userId: "d0d0d0d0-0000-4000-8000-0000000000f2", name: "Sanna Sync" }],
};
const AGREEMENT = AgreementSchema.parse({
  version: "2024-06",
  title: "Microsoft Customer Agreement",
  url: "https://www.microsoft.com/licensing/docs/customeragreement",
  contentHash: "c".repeat(64),
  effectiveFrom: "2024-06-01T00:00:00.000Z",
});

export interface SyncWorld {
  storage: Storage;
  snapshot: () => Promise<TablesSnapshot>;
  /** Every wait the Microsoft port's retries asked for (Retry-After or backoff), instead of sleeping. */
  waits: number[];
  engine(options?: Partial<GdapSyncOptions>): GdapSyncEngine;
  /** The partner's GdapClient on the fake, as the partner side uses it (send, terminate). */
  client(): GdapClient;
  /** What Graph lists for the partner now, as the sync reads it. */
  listing(): Promise<GraphRelationship[]>;
  /** The sync's ports, as the wiring plugs them in (for driving its parts directly). */
  deps(logger: Logger): GdapSyncDeps;
  /** Outbox rows of a type in the customer's partition. */
  notifications(type: Notification["type"], tenantId?: string): Promise<Notification[]>;
}

export async function syncWorld(gdap: FakeGdap, options: { pageSize?: number; connect?: boolean } = {}): Promise<SyncWorld> {
  const { tables, prefix, connectionString } = await freshTables();
  const storage = openStorage(tables);
  await storage.partners.upsert(PARTNER);
  gdap.partner(PARTNER_TENANT, "granted");
  if (options.connect ?? true) {
    const connected = connectPartner(undefined, { partnerId: PARTNER.id, relationships: 0 }, context(PARTNER_TENANT, "contact"));
    await storage.decisions.commit(connected.decision);
  }
  const waits: number[] = [];
  const base = (tenantId: string) => ({
    baseUrl: gdap.baseUrl,
    token: gdap.tokenFor(tenantId),
    sleep: async (ms: number) => void waits.push(ms),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  });
  const microsoft = {
    listRelationships: (tenantId: string, budget: keyof typeof SYNC_BUDGETS) =>
      listForSync(new GdapClient(clientOptionsFor(SYNC_BUDGETS[budget], base(tenantId)))),
  };
  const directory = { get: async (id: string) => (id === PARTNER.id ? PARTNER : undefined) };
  return {
    storage,
    snapshot: tableSnapshotter(connectionString, prefix),
    waits,
    engine: (engineOptions = {}) =>
      createGdapSyncEngine(
        { gdapSync: { intervalMs: 0, jitter: 0.2 }, allowedTenants: null },
        { storage, directory, microsoft, logger: pino({ level: "silent" }), clock: { now: () => new Date() } },
        engineOptions,
      ),
    client: () => new GdapClient({ ...base(PARTNER_TENANT), maxAttempts: 1 }),
    listing: async () => {
      const listed = await microsoft.listRelationships(PARTNER_TENANT, "background");
      if (!listed.ok) throw new Error(listed.message);
      return listed.value;
    },
    deps: (logger) => ({
      connections: storage.connections,
      partners: directory,
      microsoft,
      invitations: storage.invitations,
      relationships: storage.relationships,
      decisions: storage.decisions,
      state: storage.gdapSync,
      logger,
    }),
    notifications: async (type, tenantId = CUSTOMER) =>
      (await storage.outbox.listForTenant(tenantId)).map((r) => r.value).filter((n) => n.type === type),
  };
}

export function context(tenantId: string, who: "contact" | "admin"): DecisionContext {
  const actor = who === "contact" ? { userId: PARTNER.contacts[0]!.userId, name: "Sanna Sync" } : { userId: "admin-1", name: "Ada Admin" };
  return { tenantId, actor, now: new Date().toISOString(), correlationId: `test-${randomUUID()}`, newId: () => randomUUID() };
}

/**
 * What the partner and the customer do in chat, straight through the domain and the fake: the partner's invitation
 * becomes a GDAP request locked for approval, and (unless `accept` is false) the customer's admin accepts it and
 * the agreement in chat. Returns the Graph relationship's id.
 */
export async function invitedAndAccepted(world: SyncWorld, accept = true): Promise<string> {
  const roles = [ROLE.helpdeskAdministrator, ROLE.userAdministrator];
  const asked = { relationshipTypes: ["resellerAndDelegatedAdministrator" as const], roles, durationDays: 180, message: "Identity help" };
  const side = await requestRelationship(
    world.client(),
    {
      displayName: gdapDisplayName({ ...asked, partnerId: PARTNER.id, customerTenantId: CUSTOMER }),
      customerTenantId: CUSTOMER,
      roles,
      durationDays: 180,
    },
    () => new Date(),
    PARTNER_TENANT,
  );
  if (!side.ok) throw new Error(`the fake refused the request: ${side.message}`);
  const id = invitationIdFor(side.value.relationshipId);
  const sent = sendInvitation(
    { id, partner: { id: PARTNER.id, name: PARTNER.name }, ...asked, microsoft: side.value },
    context(CUSTOMER, "contact"),
  );
  if (!sent.ok) throw new Error(`the domain refused the invitation: ${sent.message}`);
  await world.storage.decisions.commit(sent.value.decision);
  if (accept) {
    const read = (await world.storage.invitations.get(CUSTOMER, id))!;
    const contact = { firstName: "Ada", lastName: "Admin", email: "ada@fabrikam.example" };
    const accepted = acceptInvitation(read.value, undefined, AGREEMENT, contact, context(CUSTOMER, "admin"));
    if (!accepted.ok) throw new Error(accepted.code);
    await world.storage.decisions.commit(accepted.value.decision, [read]);
  }
  return side.value.relationshipId;
}

/** The sync state row's line in a snapshot diff: the only row a pass that changed nothing may rewrite. */
export const syncStateLine = (prefix = "~") => `${prefix} tenant ${PARTNER_TENANT} gsync|${PARTNER.id}`;
