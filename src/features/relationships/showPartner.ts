import { z } from "zod";
import { ok } from "../../domain/result.js";
import { authorize } from "../authorize.js";
import { IdSchema } from "../inputSchemas.js";
import { defineRoute, type FeatureContext, type Outcome } from "../types.js";
import { VERBS } from "../verbs.js";
import type { Relationship } from "../../domain/relationship.js";
import { loadDetails, loadHistory, partnerDetailsCard, partnerListCard } from "./views.js";
import type { Banner } from "../../cards/models.js";

/**
 * The details card for one partner, or the list with a note when the relationship is gone. After a write the
 * caller passes the relationship it just stored, so only the history is read again.
 */
export async function detailsOrList(
  ctx: FeatureContext,
  partnerId: string,
  banner: Banner | null = null,
  justWritten?: Relationship,
): Promise<Outcome> {
  if (justWritten) {
    return ok({ card: partnerDetailsCard(ctx, justWritten, await loadHistory(ctx, partnerId), banner) });
  }
  const { relationship, history } = await loadDetails(ctx, partnerId);
  if (!relationship) {
    const all = await ctx.services.repos.relationships.listForTenant(ctx.identity.tenantId);
    return ok({
      card: partnerListCard(
        ctx,
        all.map((r) => r.value),
        { text: ctx.strings.partners.notFound, style: "warning" },
      ),
    });
  }
  return ok({ card: partnerDetailsCard(ctx, relationship.value, history, banner) });
}

export const showPartner = defineRoute({
  verb: VERBS.relationships.show,
  schema: z.object({ partnerId: IdSchema }),
  async handle(input, ctx) {
    const denied = await authorize(ctx, "relationship.read");
    if (denied) return denied;
    return detailsOrList(ctx, input.partnerId);
  },
});
