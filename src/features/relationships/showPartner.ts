import { z } from "zod";
import { ok } from "../../domain/result.js";
import { authorize } from "../authorize.js";
import { IdSchema } from "../inputSchemas.js";
import { defineRoute, type Outcome } from "../types.js";
import type { AuditEvent } from "../../domain/audit.js";
import { VERBS } from "../verbs.js";
import type { Relationship } from "../../domain/relationship.js";
import type { DetailsContext, ShowPartnerContext } from "./context.js";
import { historyOf, partnerDetailsCard } from "./views.js";
import { partnerListCard } from "./partnerList.js";
import type { Banner } from "../../cards/models.js";

/** What happened to one partner's relationship, newest first, from the tenant's latest audit events. */
async function loadHistory(ctx: DetailsContext, partnerId: string): Promise<AuditEvent[]> {
  return historyOf(await ctx.ports.audit.latest(ctx.identity.tenantId, 200), partnerId);
}

/**
 * The details card for one partner, or the list with a note when the relationship is gone. After a write the
 * caller passes the relationship it just stored, so only the history is read again.
 */
export async function detailsOrList(
  ctx: DetailsContext,
  partnerId: string,
  banner: Banner | null = null,
  justWritten?: Relationship,
  checkedAt?: string,
): Promise<Outcome> {
  if (justWritten) {
    return ok({ card: partnerDetailsCard(ctx, justWritten, await loadHistory(ctx, partnerId), banner, checkedAt) });
  }
  // The relationship and its history: two queries in one partition, at once.
  const [relationship, history] = await Promise.all([
    ctx.ports.relationships.get(ctx.identity.tenantId, partnerId),
    loadHistory(ctx, partnerId),
  ]);
  if (!relationship) {
    const all = await ctx.ports.relationships.listForTenant(ctx.identity.tenantId);
    return ok({
      card: partnerListCard(
        ctx,
        all.map((r) => r.value),
        { text: ctx.strings.partners.notFound, style: "warning" },
      ),
    });
  }
  return ok({ card: partnerDetailsCard(ctx, relationship.value, history, banner, checkedAt) });
}

export const showPartner = defineRoute({
  verb: VERBS.relationships.show,
  schema: z.object({ partnerId: IdSchema }),
  async handle(input, ctx: ShowPartnerContext) {
    const denied = await authorize(ctx, "relationship.read");
    if (denied) return denied;
    const relationship = await ctx.ports.relationships.get(ctx.identity.tenantId, input.partnerId);
    if (!relationship) return detailsOrList(ctx, input.partnerId);
    // A record with no GDAP relationship behind it has nothing to bring up to date: no connection, sync-state or
    // directory reads on the press (a connected partner's relationships made elsewhere arrive with the schedule).
    if (!relationship.value.microsoft) return detailsOrList(ctx, input.partnerId, null, relationship.value);
    // A GDAP relationship is brought up to date from Microsoft Graph first, when last checked over a minute ago
    // (within a short budget: past it, the card shows what is stored). Only a sync that ran may have changed the
    // relationship; otherwise the one just read is shown.
    const { checkedAt, synced } = await ctx.ports.microsoftSync.freshen(input.partnerId);
    return detailsOrList(ctx, input.partnerId, null, synced ? undefined : relationship.value, checkedAt);
  },
});
