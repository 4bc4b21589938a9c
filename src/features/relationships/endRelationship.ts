import { z } from "zod";
import { formatMessage } from "../../cards/messages.js";
import { ok } from "../../domain/result.js";
import { requestEnd as requestEndTransition } from "../../domain/transitions.js";
import { commitDecision, conflictBanner } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import { authorize } from "../authorize.js";
import { IdSchema, optionalText } from "../inputSchemas.js";

import { defineRoute } from "../types.js";
import type { RelationshipContext } from "./context.js";
import { VERBS } from "../verbs.js";
import { detailsOrList } from "./showPartner.js";

/** Ending a relationship is the partner's to confirm: the customer sends a request. */
export const endRelationshipForm = defineRoute({
  verb: VERBS.relationships.endForm,
  schema: z.object({ partnerId: IdSchema }),
  async handle(input, ctx: RelationshipContext) {
    const denied = await authorize(ctx, "relationship.end");
    if (denied) return denied;
    const read = await ctx.ports.relationships.get(ctx.identity.tenantId, input.partnerId);
    if (!read || read.value.status !== "active") {
      const status = read ? ctx.strings.partners.statuses[read.value.status] : "";
      return detailsOrList(
        ctx,
        input.partnerId,
        read ? { text: formatMessage(ctx.strings, ctx.strings.partners.notActive, { status }), style: "warning" } : null,
      );
    }
    return ok({
      card: ctx.card("endRelationshipForm", {
        partnerId: read.value.partnerId,
        title: formatMessage(ctx.strings, ctx.strings.partners.endTitle, { partner: read.value.partnerName }),
      }),
    });
  },
});

export const requestEnd = defineRoute({
  verb: VERBS.relationships.requestEnd,
  schema: z.object({ partnerId: IdSchema, message: optionalText(1000) }),
  async handle(input, ctx: RelationshipContext) {
    const denied = await authorize(ctx, "relationship.end");
    if (denied) return denied;
    const s = ctx.strings;
    const read = await ctx.ports.relationships.get(ctx.identity.tenantId, input.partnerId);
    if (!read) return detailsOrList(ctx, input.partnerId);
    const result = requestEndTransition(read.value, input.message, decisionContext(ctx));
    if (!result.ok)
      return detailsOrList(ctx, input.partnerId, {
        text: formatMessage(s, s.partners.notActive, { status: s.partners.statuses[read.value.status] }),
        style: "warning",
      });
    const { relationship, decision } = result.value;
    const conflict = await commitDecision(ctx, decision, [read], () => detailsOrList(ctx, input.partnerId, conflictBanner(ctx)));
    if (conflict) return conflict;
    return detailsOrList(
      ctx,
      input.partnerId,
      { text: formatMessage(s, s.partners.endRequested, { partner: read.value.partnerName }), style: "good" },
      relationship,
    );
  },
});
