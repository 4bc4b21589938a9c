import type { Decision, WriteKind } from "../domain/decision.js";
import { DecisionStore, type DecisionMappings } from "./decisionStore.js";
import { EntityStore } from "./entityStore.js";
import { AccessReviewRepository } from "./repositories/accessReviews.js";
import { AcceptanceRepository } from "./repositories/acceptances.js";
import { AgreementRepository } from "./repositories/agreements.js";
import { AuditRepository } from "./repositories/audit.js";
import { ConnectionRepository } from "./repositories/connections.js";
import { ContactRequestRepository } from "./repositories/contactRequests.js";
import { ConversationRepository } from "./repositories/conversations.js";
import { GdapSyncStateRepository } from "./repositories/gdapSync.js";
import { InvitationRepository } from "./repositories/invitations.js";
import { OutboxRepository } from "./repositories/outbox.js";
import { OutboxShardRepository } from "./repositories/outboxShards.js";
import { PartnerRepository } from "./repositories/partners.js";
import { PartnerWorkRepository } from "./repositories/partnerWork.js";
import { RelationshipRepository } from "./repositories/relationships.js";
import { ExpiryWarningRepository } from "./repositories/expiryWarnings.js";
import { ScheduleRepository } from "./repositories/schedule.js";
import { RoleAssignmentRepository } from "./repositories/roleAssignments.js";
import { TenantPolicyRepository } from "./repositories/tenantPolicies.js";
import { TenantProfileRepository } from "./repositories/tenantProfiles.js";
import { ROWS } from "./rowMappings.js";
import { Seeder } from "./seeder.js";
import { openSweeps } from "./sweeps/index.js";
import { WorkIndexRepository } from "./repositories/workIndex.js";
import { workIndexWriter } from "./workIndexWriter.js";
import type { TableClients } from "./tables.js";

export { createTableClients, ensureTables, pingStorage, type TableClients, type TableConnection } from "./tables.js";
export type { TablePipelinePolicies } from "./tables.js";
export { connectionStringFor, startAzurite, type RunningAzurite } from "./azurite.js";
export { CorruptRowError, isStorageUnavailable, StorageConflictError } from "./errors.js";

export interface StorageOptions {
  /** How long the agreement versions are kept in memory (AGREEMENT_CACHE_SECONDS); 0 = read every time. */
  agreementCacheTtlMs?: number;
  /** Called after every commit that wrote an outbox row (and never after a read): the outbox has work. */
  onOutboxWritten?: () => void;
  /** Awaited after every stored commit: the scheduler's due index is written here (src/jobsWiring.ts). */
  afterCommit?: (decision: Decision) => Promise<void>;
  /** Told of a work-index write that failed after a stored commit (logged by the app; the sweep writes it again). */
  onIndexFailure?: (error: unknown, tenantId: string) => void;
}

/**
 * Partner Desk's storage as the rest of the bot sees it: readers per aggregate, one way to commit a decision,
 * and the few writes that are not decisions (conversation references, directory imports, role assignments,
 * demo data). No entity store or transaction leaves src/storage; the table clients are handed out only as
 * `tables`, for the health check and for tests that look at rows as the service stores them.
 */
export function openStorage(tables: TableClients, options: StorageOptions = {}) {
  const tenant = tables.client("tenant");
  const mappings = Object.fromEntries(
    (Object.keys(ROWS) as WriteKind[]).map((kind) => [kind, new EntityStore(tenant, ROWS[kind] as EntityStore<unknown>["mapping"])]),
  ) as DecisionMappings;
  const outbox = new OutboxRepository(tenant);
  // Pointers to a partner's records and to the partners the status sync follows, kept after every commit and seed.
  const workIndex = new WorkIndexRepository(tables.client("indexes"));
  const indexWriter = workIndexWriter(workIndex, options.onIndexFailure ?? reportIndexFailure);
  return {
    invitations: new InvitationRepository(tenant),
    relationships: new RelationshipRepository(tenant),
    acceptances: new AcceptanceRepository(tenant),
    contactRequests: new ContactRequestRepository(tenant),
    audit: new AuditRepository(tenant),
    tenantNames: new TenantProfileRepository(tenant),
    tenantPolicies: new TenantPolicyRepository(tenant),
    connections: new ConnectionRepository(tenant, workIndex),
    accessReviews: new AccessReviewRepository(tenant),
    /** A partner's requests, invitations and customers, across its customers' partitions (its contacts' home). */
    partnerWork: new PartnerWorkRepository(tenant, workIndex),
    /** The status sync's state per connected partner (last sync, last outcome, lease). */
    gdapSync: new GdapSyncStateRepository(tenant),
    agreements: new AgreementRepository(tables.client("agreements"), { ttlMs: options.agreementCacheTtlMs ?? 0 }),
    conversations: new ConversationRepository(tables.client("conversations")),
    partners: new PartnerRepository(tables.client("directory")),
    roleAssignments: new RoleAssignmentRepository(tables.client("roles")),
    outbox,
    /** The one way business state changes: a decision, conditional on the versions it was based on. */
    decisions: new DecisionStore(tenant, mappings, {
      ...(options.onOutboxWritten ? { onOutboxWritten: options.onOutboxWritten } : {}),
      afterCommit: async (decision, info) => {
        await Promise.all([indexWriter.afterCommit(decision, info), options.afterCommit?.(decision)]);
      },
    }),
    /** Markers of the expiry warnings sent (the scheduler's expiry job). */
    expiryWarnings: new ExpiryWarningRepository(tenant),
    /** The scheduler's due index (by day) and its lease row (src/jobs). */
    schedule: new ScheduleRepository(tables.client("schedule")),
    /** The outbox's shard leases, heartbeats, pending-work and dead-letter index (src/outbox/shards). */
    outboxShards: new OutboxShardRepository(tables.client("outboxShards")),
    seed: new Seeder(tenant, indexWriter.afterSeed),
    /** The periodic sweeps, the only cross-partition reads (src/storage/sweeps): never on a turn or a steady pass. */
    sweeps: openSweeps(tenant, tables.client("indexes"), workIndex),
    tables,
  };
}
export type Storage = ReturnType<typeof openStorage>;

/** Without a logger from the app: one line on stderr, never the decision's failure. */
function reportIndexFailure(error: unknown, tenantId: string): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`storage: a work-index pointer could not be written (tenant ${tenantId}); the next sweep writes it: ${reason}\n`);
}
