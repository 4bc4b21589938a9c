/**
 * What the outbox engine needs from the rest of the house, as narrow ports. The engine imports nothing from
 * storage, features or the bot: src/storage/outboxStore.ts implements the storage side, the bot edge the
 * sender, the partner-side features the rendering; src/app.ts plugs them in.
 */
import type { WaitingFor } from "./shards/waiting.js";
import type { AdaptiveCardJson } from "../cards/render.js";
import type { ConversationRecord } from "../domain/conversation.js";
import type { Notification } from "../domain/notification.js";
import type { Departure } from "./rateLimiter.js";

export type Reference = ConversationRecord["reference"];
export type Lease = NonNullable<Notification["lease"]>;

/** What one pass did. `delivered` and `stale` count recipients; `retried`, `dead` and `waiting` count notifications. */
export interface OutboxReport {
  delivered: number;
  retried: number;
  stale: number;
  dead: number;
  /** Notifications left pending because someone cannot be reached yet. */
  waiting: number;
}

/** An outbox row as read or last written: every write to it is conditional on this ETag. */
export interface OutboxRow {
  readonly value: Notification;
  readonly etag: string;
}

/** Who dead-lettered a notification, for the audit event written with it. */
export interface DeadLetter {
  reason: string;
  actor: { userId: string; name: string };
  at: string;
}

export interface OutboxStore {
  /**
   * The pending notifications this instance may deliver (those of the tenant shards it holds), oldest first; with
   * `shards`, only those of these shards (shards just taken, for the pass in progress).
   */
  listPending(shards?: readonly number[]): Promise<OutboxRow[]>;
  /**
   * Whether a send for this listed notification may start now: its delivery tenant's shard is still held with
   * enough lease left. Absent: always (a single instance).
   */
  mayDeliver?(n: Notification): boolean;
  /** A send for this listed notification starts (its last shard check passed); the result is called when it is over. */
  sendStarts?(n: Notification): () => void;
  /** The tenant whose Teams limits a listed notification's sends count against (undefined: not known). */
  deliveryTenantOf?(n: Notification): string | undefined;
  /**
   * Parks a listed notification nobody it goes to can receive yet (src/outbox/shards/waiting.ts): passes stop listing
   * it until someone of them becomes reachable (`unparkFor`) or the sweep lists it again. False when it was not
   * parked (a card refresh, or a row not from the last listing). Absent: nothing is parked (a single instance).
   */
  park?(row: OutboxRow): Promise<boolean>;
  /** Undoes `park` for one notification: someone became reachable while it was being parked. */
  unpark?(row: OutboxRow): Promise<void>;
  /**
   * Everything parked for this group in the shard of `deliveryTenant` is due again; resolves to how many
   * notifications. (Parked elsewhere, e.g. before OUTBOX_SHARDS changed: the sweep lists it again.)
   */
  unparkFor?(waitingFor: WaitingFor, deliveryTenant: string): Promise<number>;
  /** The row as it is now (after a claim found it changed since it was listed); undefined if it is gone. */
  reread?(row: OutboxRow): Promise<OutboxRow | undefined>;
  /** Takes the lease, conditional on the ETag: undefined when someone else changed the row first (it is theirs). */
  claim(row: OutboxRow, lease: Lease): Promise<OutboxRow | undefined>;
  /**
   * Leases rows of one partition in one entity group transaction, each conditional on its ETag: all or none.
   * Returns the rows as written, in order; undefined when any of them had changed (someone else has it).
   */
  claimTogether(rows: readonly OutboxRow[], lease: Lease): Promise<OutboxRow[] | undefined>;
  /**
   * Writes `value` over the row we hold (conditional on its ETag): a delivery mark, a completion, a retry,
   * or a release (`lease: undefined`). A conflict throws: the row is no longer ours.
   */
  save(row: OutboxRow, value: Notification): Promise<OutboxRow>;
  /**
   * Marks a row that needs no send as sent, without a lease (conditional on the ETag listed): false when
   * someone changed it first (another instance took it; it is theirs).
   */
  completeUnclaimed(row: OutboxRow, sentAt: string): Promise<boolean>;
  /** Writes the dead row (conditional on its ETag) and its audit event in one transaction. */
  deadLetter(row: OutboxRow, dead: Notification, why: DeadLetter): Promise<void>;
  /**
   * The invitation-received notifications of an invitation, or the access-review notifications (the review and its
   * reminder) of a review: their deliveries are the cards a refresh replaces.
   */
  invitationCards(tenantId: string, invitationId: string): Promise<Notification[]>;
}

/** Where people can be reached: the conversation references the bot keeps. */
export interface Recipients {
  /** A person's conversation record, if they ever talked to the bot. */
  conversation(tenantId: string, userId: string): Promise<ConversationRecord | undefined>;
  /** The admins of a customer tenant who have talked to the bot. */
  tenantAdmins(tenantId: string): Promise<ConversationRecord[]>;
  /** The listed contacts of a partner (empty if the partner is gone). */
  partnerContacts(partnerId: string): Promise<Array<{ tenantId: string; userId: string }>>;
  /** Teams said the conversation is gone: stop sending until the user comes back. A lost race is not an error. */
  markStale(record: ConversationRecord): Promise<void>;
}

/** Puts one card into one conversation; the bot edge implements it with continueConversationAsync. */
export interface ProactiveSender {
  send(reference: Reference, card: AdaptiveCardJson, idempotencyKey: string): Promise<{ activityId: string }>;
  /** Replaces a card the bot sent earlier (so every admin sees the current state). */
  update(reference: Reference, activityId: string, card: AdaptiveCardJson): Promise<void>;
}

/** The card a recipient gets for a notification; throws NotificationSourceMissing when its record is gone. */
export type RenderNotification = (notification: Notification, recipient: ConversationRecord) => Promise<AdaptiveCardJson>;

/** Teams' rate limits (RateLimiter): waits until a send to this conversation is allowed. */
export interface SendLimiter {
  acquire(tenantId: string, conversationId: string): Promise<Departure>;
}

/** Thrown when the record a notification points at is gone: the notification cannot be shown and is dead-lettered. */
export class NotificationSourceMissing extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotificationSourceMissing";
  }
}

/** The engine's handle on the shard keeper (src/outbox/shards/shardKeeper.ts). */
export interface ShardLifecycle {
  start(): void;
  /** Gives every shard back and expires the heartbeat. */
  stop(): Promise<void>;
  /** Ticks now unless a tick succeeded within the renewal interval (a pass never lists on a stale view). */
  ensureTicked(): Promise<void>;
  /** The shards this instance may send for now. */
  sendable(): number[];
  /** Calls `listener` with the shards a tick took (from a lapsed or given-back lease); absent: none are ever taken. */
  onTaken?(listener: (shards: number[]) => void): void;
  /** Where to ask which delivery tenants have a backlog in this instance's hands (undefined: not known yet). */
  reportBacklogs?(source: () => Iterable<string> | undefined): void;
  /** The backlogs may have changed (a pass listed or took up rows). */
  backlogsChanged?(): void;
  /** Resolves once shares settled after start; a pass sends nothing before. */
  settled?(): Promise<void>;
}
