import type { Notification } from "../../domain/notification.js";

/**
 * Whom a parked notification waits for (the `waitingFor` of its index entry): the contacts of one partner, or the
 * admins of one customer tenant. A pass that finds nobody it goes to reachable parks it under this key; when
 * someone of that group becomes reachable (their first turn, or their first after Teams called their conversation
 * gone), everything parked under the key is due again. Cost then follows the work: a partner whose contacts never
 * talk to the bot costs one parking, not a listing in every pass.
 */
export type WaitingFor = `partner|${string}` | `admins|${string}`;

/**
 * The group a notification waits for, or undefined when it should not be parked: a card refresh goes to the admins
 * who received the cards (not one group, and a refresh nobody can see is completed, not kept).
 */
export function waitingForOf(n: Notification): WaitingFor | undefined {
  if (n.type === "cardRefresh") return undefined;
  return n.recipient.kind === "partner" ? `partner|${n.recipient.partnerId}` : `admins|${n.recipient.tenantId}`;
}

/** Someone who became reachable, as the conversation book records them. */
export interface NowReachable {
  tenantId: string;
  reachableAs: "partnerContact" | "customerAdmin";
  /** The partner a partner contact speaks for. */
  partnerId?: string;
  /**
   * The tenant whose Teams limits their notifications count against (their partner's, as the directory has it, or
   * their own): its shard is where what waits for them is parked.
   */
  deliveryTenant: string;
}

/** The group whose parked notifications a person who became reachable may receive. */
export function waitingForWhom(who: NowReachable): WaitingFor | undefined {
  if (who.reachableAs === "customerAdmin") return `admins|${who.tenantId}`;
  return who.partnerId ? `partner|${who.partnerId}` : undefined;
}
