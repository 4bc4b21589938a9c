import type { GraphReadBudget, GraphRelationship } from "../../domain/microsoftSync.js";
import { ok, type Result } from "../../domain/result.js";
import { approvalLink, GdapClient, type GdapClientOptions } from "./gdapClient.js";
import type { GdapRelationship } from "./schemas.js";
import { durationDays } from "./validation.js";

/**
 * The status sync's read of Graph: every relationship of a partner tenant (all pages), as the domain's small view.
 * Nothing here writes, so reads may be retried (GdapHttp retries GETs on 429, 502, 503, 504 and dropped
 * connections, waiting what Retry-After asks up to the budget's cap; beyond it the read ends GDAP.UNAVAILABLE and
 * the sync changes nothing).
 */

export interface ReadBudget {
  tokenTimeoutMs: number;
  graphTimeoutMs: number;
  maxAttempts: number;
  /** The longest wait between tries, Retry-After included: a longer one ends the read instead. */
  maxDelayMs: number;
}

export const SYNC_BUDGETS: Record<GraphReadBudget, ReadBudget> = {
  /**
   * The scheduled sync: nobody waits for it, so a token and a page get longer than a button press, and a throttled
   * read waits what Graph asks, up to 30 s, before its next try (four in all).
   */
  background: { tokenTimeoutMs: 10_000, graphTimeoutMs: 15_000, maxAttempts: 4, maxDelayMs: 30_000 },
  /** Someone is opening a relationship card: one quick try, no waiting; past it the card shows what is stored. */
  onDemand: { tokenTimeoutMs: 1_500, graphTimeoutMs: 1_500, maxAttempts: 1, maxDelayMs: 0 },
};

/** GdapClient options for a budget, around the endpoint and token a caller brings (the wiring's, or a test's). */
export function clientOptionsFor(
  budget: ReadBudget,
  base: Pick<GdapClientOptions, "baseUrl" | "token" | "fetch" | "sleep" | "pageSize">,
): GdapClientOptions {
  return { ...base, timeoutMs: budget.graphTimeoutMs, maxAttempts: budget.maxAttempts, maxDelayMs: budget.maxDelayMs };
}

/** Every relationship the partner has in Graph, as the sync sees them. */
export async function listForSync(
  client: GdapClient,
  approvalLinkOf: (relationshipId: string) => string = approvalLink,
): Promise<Result<GraphRelationship[]>> {
  const listed = await client.listRelationships();
  return listed.ok ? ok(listed.value.map((relationship) => graphViewOf(relationship, approvalLinkOf))) : listed;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const iso = (timestamp: string | undefined): string | undefined => (timestamp ? new Date(timestamp).toISOString() : undefined);

/**
 * Graph's relationship as the domain's view: timestamps in UTC ISO form, role ids lower-case. A relationship in
 * effect whose endDateTime Graph left out ends, as Microsoft documents, its duration after activation.
 */
export function graphViewOf(
  relationship: GdapRelationship,
  approvalLinkOf: (relationshipId: string) => string = approvalLink,
): GraphRelationship {
  const activatedAt = iso(relationship.activatedDateTime);
  const days = durationDays(relationship.duration);
  const endsAt =
    iso(relationship.endDateTime) ??
    (activatedAt && days !== undefined ? new Date(Date.parse(activatedAt) + days * DAY_MS).toISOString() : undefined);
  return {
    id: relationship.id,
    displayName: relationship.displayName,
    status: relationship.status,
    customerTenantId: relationship.customer?.tenantId,
    roleIds: relationship.roleDefinitionIds.map((id) => id.toLowerCase()),
    ...(activatedAt ? { activatedAt } : {}),
    ...(endsAt ? { endsAt } : {}),
    ...(relationship.autoExtendDuration ? { autoExtendDuration: relationship.autoExtendDuration } : {}),
    approvalLink: approvalLinkOf(relationship.id),
  };
}
