import { AccessReviewSchema } from "../domain/accessReview.js";
import { AcceptanceSchema } from "../domain/agreement.js";
import { AuditEventSchema } from "../domain/audit.js";
import { ContactRequestSchema } from "../domain/contactRequest.js";
import { ExpiryWarningSchema, LetItEndSchema } from "../domain/expiryWarning.js";
import { ScheduleEntrySchema, SchedulerStateSchema, type ScheduleEntry, type SchedulerState } from "../domain/schedule.js";
import { GdapSyncStateSchema, type GdapSyncState } from "../domain/gdapSyncState.js";
import * as shards from "../domain/outboxShards.js";
import type { WriteKind, Write } from "../domain/decision.js";
import { InvitationSchema } from "../domain/invitation.js";
import { NotificationSchema } from "../domain/notification.js";
import { PartnerConnectionSchema } from "../domain/partnerConnection.js";
import { RelationshipSchema } from "../domain/relationship.js";
import { TenantPolicySchema } from "../domain/tenantPolicy.js";
import { TenantProfileSchema } from "../domain/tenantProfile.js";
import { PartnerWorkPointerSchema, SyncPointerSchema, type PartnerWorkPointer, type SyncPointer } from "../domain/workIndex.js";
import type { RowMapping } from "./entityStore.js";

const MAX_TIME = 9_999_999_999_999;
/** Newest first in RowKey order, so "the latest 20 events" is one short range query. */
export const invertedTime = (iso: string): string => String(MAX_TIME - Date.parse(iso)).padStart(13, "0");

type Mappings = { [K in WriteKind]: RowMapping<Extract<Write, { kind: K }>["value"]> };

/**
 * How every aggregate a customer tenant owns maps to a row of the tenant table: one place, used by the
 * repositories that read them and by the decision store that writes them. PartitionKey = the customer tenant,
 * so one decision is one partition (an entity group transaction); the RowKey starts with the kind, so a kind
 * is listed by range.
 */
export const ROWS: Mappings = {
  invitation: { kind: "inv", schema: InvitationSchema, keys: (i) => ({ partitionKey: i.tenantId, rowKey: `inv|${i.id}` }) },
  relationship: { kind: "rel", schema: RelationshipSchema, keys: (r) => ({ partitionKey: r.tenantId, rowKey: `rel|${r.partnerId}` }) },
  acceptance: { kind: "acc", schema: AcceptanceSchema, keys: (a) => ({ partitionKey: a.tenantId, rowKey: `acc|${a.id}` }) },
  /** Append-only: RK = audit|<inverted time>|<id>, newest first. */
  audit: {
    kind: "audit",
    schema: AuditEventSchema,
    keys: (e) => ({ partitionKey: e.tenantId, rowKey: `audit|${invertedTime(e.at)}|${e.id}` }),
  },
  /** The outbox: notifications waiting for delivery, next to the change that queued them. */
  notification: { kind: "outbox", schema: NotificationSchema, keys: (n) => ({ partitionKey: n.tenantId, rowKey: `outbox|${n.id}` }) },
  contactRequest: { kind: "creq", schema: ContactRequestSchema, keys: (c) => ({ partitionKey: c.tenantId, rowKey: `creq|${c.id}` }) },
  /** One row per tenant: the name partners see. */
  tenantProfile: { kind: "profile", schema: TenantProfileSchema, keys: (p) => ({ partitionKey: p.tenantId, rowKey: "profile|name" }) },
  /** A partner's connection to Microsoft, in the partner's own tenant (the one it consented in): RK = conn|<partner id>. */
  connection: {
    kind: "conn",
    schema: PartnerConnectionSchema,
    keys: (c) => ({ partitionKey: c.partnerTenantId, rowKey: `conn|${c.partnerId}` }),
  },
  /** One row per tenant: its own rules (four-eyes), changed only by a decision on its ETag. */
  tenantPolicy: { kind: "policy", schema: TenantPolicySchema, keys: (p) => ({ partitionKey: p.tenantId, rowKey: "policy|tenant" }) },
  /** An access review of the tenant's partners with admin roles, and every decision on it: RK = review|<id>. */
  accessReview: { kind: "review", schema: AccessReviewSchema, keys: (r) => ({ partitionKey: r.tenantId, rowKey: `review|${r.id}` }) },
  /** A sent expiry warning (created with its outbox rows, so a second sender conflicts): RK = warn|<partner>|<end>|<days>. */
  expiryWarning: {
    kind: "warn",
    schema: ExpiryWarningSchema,
    keys: (w) => ({ partitionKey: w.tenantId, rowKey: `warn|${w.partnerId}|${w.endsAt}|${w.daysBefore}` }),
  },
  /** The admins chose to let one end come (later warnings about it go to the partner only): RK = letend|<partner>|<end>. */
  letItEnd: {
    kind: "letend",
    schema: LetItEndSchema,
    keys: (l) => ({ partitionKey: l.tenantId, rowKey: `letend|${l.partnerId}|${l.endsAt}` }),
  },
};

/**
 * Where the status sync stands for one connected partner (not a decision: the sync's own bookkeeping and lease), in
 * the partner's tenant beside its connection: RK = gsync|<partner id>.
 */
export const SYNC_STATE_ROW: RowMapping<GdapSyncState> = {
  kind: "gsync",
  schema: GdapSyncStateSchema,
  keys: (s) => ({ partitionKey: s.partnerTenantId, rowKey: `gsync|${s.partnerId}` }),
};

/** The scheduler's due index (table `schedule`): PK = the due day, RK = `${job}|${tenantId}|${key}` (src/domain/schedule.ts). */
export const SCHEDULE_ENTRY_ROW: RowMapping<ScheduleEntry> = {
  kind: "due",
  schema: ScheduleEntrySchema,
  keys: (e) => ({ partitionKey: e.day, rowKey: `${e.job}|${e.tenantId}|${e.key}` }),
};

/** The scheduler's own row, beside the index: PK = "runner" (never a day), RK = runner|<name>. */
export const SCHEDULER_STATE_ROW: RowMapping<SchedulerState> = {
  kind: "runner",
  schema: SchedulerStateSchema,
  keys: (s) => ({ partitionKey: "runner", rowKey: `runner|${s.name}` }),
};

/**
 * The work indexes (table `indexes`, src/domain/workIndex.ts). A partner's records: PK = partner|<partner id>, RK =
 * work|<record>|<inverted created time>|<tenant>|<id> (newest first, as the home lists them; a relationship, one per
 * customer: work|rel|<tenant>).
 */
export const PARTNER_WORK_POINTER_ROW: RowMapping<PartnerWorkPointer> = {
  kind: "work",
  schema: PartnerWorkPointerSchema,
  keys: (p) => ({
    partitionKey: `partner|${p.partnerId}`,
    rowKey:
      p.record === "rel"
        ? `work|rel|${p.tenantId}`
        : `work|${p.record}|${invertedTime(p.createdAt ?? new Date(0).toISOString())}|${p.tenantId}|${p.id}`,
  }),
};

export const SYNC_POINTER_PARTITION = "gdapsync";
/** The partners the status sync follows, in one partition: PK = gdapsync, RK = follow|<partner tenant>|<partner id>. */
export const SYNC_POINTER_ROW: RowMapping<SyncPointer> = {
  kind: "follow",
  schema: SyncPointerSchema,
  keys: (p) => ({ partitionKey: SYNC_POINTER_PARTITION, rowKey: `follow|${p.partnerTenantId}|${p.partnerId}` }),
};

/** Two digits at least, so a shard's rows sort in shard order. */
const shardKey = (shard: number) => String(shard).padStart(2, "0");

/** Table `outboxshards` (src/domain/outboxShards.ts): one lease row per shard, PK = lease. */
export const SHARD_LEASE_ROW: RowMapping<shards.ShardLease> = {
  kind: "lease",
  schema: shards.ShardLeaseSchema,
  keys: (l) => ({ partitionKey: "lease", rowKey: `lease|${shardKey(l.shard)}` }),
};

/** An outbox instance's heartbeat, PK = instance. */
export const INSTANCE_BEAT_ROW: RowMapping<shards.InstanceBeat> = {
  kind: "beat",
  schema: shards.InstanceBeatSchema,
  keys: (b) => ({ partitionKey: "instance", rowKey: `beat|${b.instanceId}` }),
};

/** The pending-work index: PK = due-<shard>, so a pass reads only the partitions of the shards it holds. */
export const OUTBOX_DUE_ROW: RowMapping<shards.OutboxDueEntry> = {
  kind: "due",
  schema: shards.OutboxDueEntrySchema,
  keys: (e) => ({ partitionKey: outboxDuePartition(e.shard), rowKey: `due|${e.deliveryTenant}|${e.tenantId}|${e.id}` }),
};
export const outboxDuePartition = (shard: number) => `due-${shardKey(shard)}`;

/**
 * Parked notifications (nobody reachable yet), in their shard's index partition beside its due entries (PK =
 * due-<shard>), RK = waiting|<whom they wait for>|<customer tenant>|<notification id>: parking is one entity group
 * transaction (this row in, the due row out), a listing of due entries (RowKey range due|…) does not read them, and
 * what waits for one group is a RowKey range in each shard's partition. Whom they wait for is encoded (a partner id
 * or a tenant id, never trusted as a key).
 */
export const OUTBOX_WAITING_ROW: RowMapping<shards.OutboxWaitingEntry> = {
  kind: "waiting",
  schema: shards.OutboxWaitingEntrySchema,
  keys: (e) => ({ partitionKey: outboxDuePartition(e.shard), rowKey: `waiting|${outboxWaitingKey(e.waitingFor)}|${e.tenantId}|${e.id}` }),
};
export const outboxWaitingKey = (waitingFor: string) => encodeURIComponent(waitingFor);

/** The dead-letter index, PK = dead. */
export const OUTBOX_DEAD_ROW: RowMapping<shards.OutboxDeadEntry> = {
  kind: "dead",
  schema: shards.OutboxDeadEntrySchema,
  keys: (e) => ({ partitionKey: "dead", rowKey: `dead|${e.tenantId}|${e.id}` }),
};

/** The outbox sweep's state row, PK = sweep. */
export const OUTBOX_SWEEP_ROW: RowMapping<shards.OutboxSweepState> = {
  kind: "sweep",
  schema: shards.OutboxSweepStateSchema,
  keys: () => ({ partitionKey: "sweep", rowKey: "sweep|outbox" }),
};
