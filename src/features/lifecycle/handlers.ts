import { z } from "zod";
import { formatMessage } from "../../cards/messages.js";
import { letItEndDecision } from "../../domain/expiryDecisions.js";
import { authorize } from "../authorize.js";
import { formatDate } from "../cardText.js";
import { commitDecision, conflictBanner } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import { IdSchema } from "../inputSchemas.js";
import type { RelationshipContext } from "../relationships/context.js";
import { detailsOrList } from "../relationships/showPartner.js";
import { defineRoute } from "../types.js";
import { VERBS } from "../verbs.js";

/**
 * "Let it end": the admin has seen the warning and lets the relationship end. Only recorded (audited, so the review
 * and the export show who decided); nothing about the relationship changes.
 */
export const letItEnd = defineRoute({
  verb: VERBS.lifecycle.letItEnd,
  schema: z.object({ partnerId: IdSchema, endsAt: z.iso.datetime() }),
  async handle(input, ctx: RelationshipContext) {
    const denied = await authorize(ctx, "relationship.removeRoles");
    if (denied) return denied;
    const read = await ctx.ports.relationships.get(ctx.identity.tenantId, input.partnerId);
    if (!read) return detailsOrList(ctx, input.partnerId);
    const conflict = await commitDecision(ctx, letItEndDecision(read.value, input.endsAt, decisionContext(ctx)), [], () =>
      detailsOrList(ctx, input.partnerId, conflictBanner(ctx)),
    );
    if (conflict) return conflict;
    const s = ctx.strings;
    const text = formatMessage(s.expiry, s.expiry.letItEndDone, {
      partner: read.value.partnerName,
      endDate: formatDate(input.endsAt, ctx.identity.locale),
    });
    return detailsOrList(ctx, input.partnerId, { text, style: "good" });
  },
});
