import { z } from "zod";
import { fail, ok } from "../../domain/result.js";
import { confirmEnd as confirmEndTransition } from "../../domain/transitions.js";
import { commitDecision } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import { TenantIdSchema } from "../inputSchemas.js";
import { fill } from "../cardText.js";
import { defineRoute } from "../types.js";
import { actingPartner, PARTNER_ERRORS, type PartnerContext } from "./partnerActor.js";
import { VERBS } from "../verbs.js";

/** "Confirm end of relationship": only the partner the customer asked, only while the request stands. */
export const partnerConfirmEnd = defineRoute({
  verb: VERBS.partnerSide.confirmEnd,
  schema: z.object({ customerTenantId: TenantIdSchema }),
  async handle(input, ctx: PartnerContext) {
    const s = ctx.strings;
    const partner = await actingPartner(ctx);
    if (!partner.ok) return partner;
    const read = await ctx.ports.relationships.get(input.customerTenantId, partner.value.id);
    if (!read) return fail(PARTNER_ERRORS.noLink, s.partnerSide.noLink);
    const customer =
      (await ctx.ports.tenantNames.displayName(input.customerTenantId)) ?? `${s.partnerSide.unknownCustomer} (${input.customerTenantId})`;
    const notice = (title: string, message: string) =>
      ok({
        card: ctx.card("notice", {
          title,
          message,
          facts: [],
          detailsTitle: "",
          details: "",
          actions: [],
          banner: null,
          simulationLabel: "",
        }),
      });
    const result = confirmEndTransition(read.value, { ...decisionContext(ctx), tenantId: input.customerTenantId });
    if (!result.ok) return notice(s.partnerSide.endConfirmedTitle, s.partnerSide.endNotRequested);
    const conflict = await commitDecision(ctx, result.value.decision, [read], async () =>
      notice(s.partnerSide.endConfirmedTitle, s.errors.conflict),
    );
    if (conflict) return conflict;
    return notice(s.partnerSide.endConfirmedTitle, fill(s.partnerSide.endConfirmed, { customer }));
  },
});
