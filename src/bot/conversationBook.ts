import { LRUCache } from "lru-cache";
import { ADMIN_ROLES_FOR_DECISIONS } from "../domain/policies.js";
import type { ConversationRecord } from "../domain/conversation.js";
import type { RoleTemplateId } from "../domain/roles.js";
import type { Clock } from "../domain/time.js";
import type { DirectoryService } from "../partner-directory/directoryService.js";
import type { Identity } from "../features/types.js";
import type { Storage } from "../storage/index.js";
import { LoadingCache } from "../cache/loadingCache.js";
import { adminTeamsIds } from "../features/adminRecipients.js";
import type { AdminAudience } from "../features/ports.js";
import type { NowReachable } from "../outbox/shards/waiting.js";

export type Reference = ConversationRecord["reference"];

/** Users active in one process's recent memory; a fingerprint is a reference's JSON, a few hundred bytes. */
const MAX_REMEMBERED_FINGERPRINTS = 10_000;
export type Reachable = "partnerContact" | "customerAdmin";
const ADMIN_LIST_TTL_MS = 60_000;

/**
 * Remembers where partner contacts and customer admins can be reached: the conversation reference of
 * their latest turn. Everyone else is not stored (they get no notifications). A reference that did not
 * change since this process last saved it is not written again, so a chatty user costs no extra writes.
 */
export class ConversationBook implements AdminAudience {
  /** Fingerprint of the last record this process saved per user. Dropping one costs a read and a write, never correctness. */
  private readonly saved = new LRUCache<string, string>({ max: MAX_REMEMBERED_FINGERPRINTS });
  /**
   * Each tenant's admins in Teams, read at most once a minute: every invitation card lists them for its refresh,
   * and they change only when an admin first talks to the bot (or leaves it). A change this process saves drops
   * the tenant's entry at once; one saved by another instance is seen within the minute.
   */
  private readonly admins: LoadingCache<string[]>;

  constructor(
    private readonly conversations: Storage["conversations"],
    private readonly directory: Pick<DirectoryService, "partnerOfContact">,
    private readonly clock: Clock,
    /**
     * Called when someone could not be reached as what they are now (new, stale, or now a partner's contact or an
     * admin where they were not) and now can: the outbox unparks what waited for them.
     */
    private readonly onReachable: (who: NowReachable & { userId: string }) => void = () => {},
  ) {
    this.admins = new LoadingCache({ max: MAX_REMEMBERED_FINGERPRINTS, ttlMs: ADMIN_LIST_TTL_MS, now: () => this.clock.now().getTime() });
  }

  teamsAdminIds(tenantId: string): Promise<string[]> {
    return this.admins.get(tenantId, () => adminTeamsIds(this.conversations, tenantId));
  }

  async remember(
    identity: Identity,
    reference: Reference,
    roles: () => Promise<readonly RoleTemplateId[]>,
  ): Promise<Reachable | undefined> {
    const partner = await this.directory.partnerOfContact(identity.tenantId, identity.userId);
    const kind: Reachable | undefined = partner
      ? "partnerContact"
      : (await roles()).some((r) => ADMIN_ROLES_FOR_DECISIONS.includes(r))
        ? "customerAdmin"
        : undefined;
    if (!kind) return undefined;
    const key = `${identity.tenantId}|${identity.userId}`;
    const fingerprint = JSON.stringify([kind, partner?.id, identity.locale, identity.name, reference]);
    if (this.saved.get(key) === fingerprint) return kind;

    const previous = await this.conversations.get(identity.tenantId, identity.userId);
    const record: ConversationRecord = {
      tenantId: identity.tenantId,
      userId: identity.userId,
      name: identity.name,
      reachableAs: kind,
      ...(partner ? { partnerId: partner.id } : {}),
      locale: identity.locale.slice(0, 20),
      reference,
      stale: false,
      updatedAt: this.clock.now().toISOString(),
    };
    await this.conversations.save(record);
    this.admins.delete(identity.tenantId);
    this.saved.set(key, fingerprint);
    const before = previous?.value;
    if (!before || before.stale || before.reachableAs !== kind || before.partnerId !== record.partnerId) {
      this.onReachable({
        tenantId: identity.tenantId,
        userId: identity.userId,
        reachableAs: kind,
        ...(partner ? { partnerId: partner.id } : {}),
        deliveryTenant: partner?.tenantId ?? identity.tenantId,
      });
    }
    return kind;
  }

  /** Teams said the conversation is gone or the bot is blocked: stop sending until the user comes back. */
  async markStale(record: ConversationRecord): Promise<void> {
    const current = await this.conversations.get(record.tenantId, record.userId);
    if (!current || current.value.stale) return;
    // Only if it is still the reference that failed: a newer one (the user reinstalled meanwhile) stays usable.
    if (JSON.stringify(current.value.reference) !== JSON.stringify(record.reference)) return;
    this.admins.delete(record.tenantId);
    await this.conversations.replace({ ...current.value, stale: true, staleSince: this.clock.now().toISOString() }, current.etag);
    this.saved.delete(`${record.tenantId}|${record.userId}`);
  }
}
