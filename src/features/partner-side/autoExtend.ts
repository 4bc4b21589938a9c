import { z } from "zod";
import { formatMessage } from "../../cards/messages.js";
import type { Banner } from "../../cards/models.js";
import { autoExtensionRefusal, EXTENSION_ERRORS, recordAutoExtension } from "../../domain/extension.js";
import { fail, ok } from "../../domain/result.js";
import { simulationLabel } from "../cardText.js";
import { connectedPartnerTenant } from "../carryOut.js";
import { decisionContext } from "../decisionContext.js";
import { TenantIdSchema } from "../inputSchemas.js";
import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext, type Outcome } from "../types.js";
import { VERBS } from "../verbs.js";
import { gdapRefusalBanner } from "./gdapSend.js";
import { actingPartner, linkedToCustomer, PARTNER_ERRORS, type PartnerContext } from "./partnerActor.js";

type AutoExtendContext = FeatureContext<PartnerContext["ports"] & Pick<Ports, "connections" | "microsoft">>;

/**
 * The partner's answer to a request to extend: auto-extension (180 days) turned on through its connection to
 * Microsoft. Refused before any call when the relationship is not active (an expired one cannot be restored), has
 * Global administrator (Microsoft does not allow it), or is not one Partner Desk can change in Microsoft. Only what
 * Graph said is recorded, with the customer's admins told (Microsoft sends no email about it).
 */
export const partnerAutoExtend = defineRoute({
  verb: VERBS.partnerSide.autoExtend,
  schema: z.object({ customerTenantId: TenantIdSchema }),
  async handle(input, ctx: AutoExtendContext) {
    const s = ctx.strings;
    const t = s.extension;
    const partner = await actingPartner(ctx);
    if (!partner.ok) return partner;
    if (!(await linkedToCustomer(ctx, partner.value, input.customerTenantId))) return fail(PARTNER_ERRORS.noLink, s.partnerSide.noLink);
    const customer =
      (await ctx.ports.tenantNames.displayName(input.customerTenantId)) ?? `${s.partnerSide.unknownCustomer} (${input.customerTenantId})`;
    const read = await ctx.ports.relationships.get(input.customerTenantId, partner.value.id);
    if (!read) return fail(PARTNER_ERRORS.noLink, s.partnerSide.noLink);
    const r = read.value;
    const connectedTenant = await connectedPartnerTenant(ctx.ports, r);
    const refusal = autoExtensionRefusal(r, connectedTenant !== undefined);
    const refused: Record<string, string> = {
      [EXTENSION_ERRORS.ended]: t.refusedEnded,
      [EXTENSION_ERRORS.globalAdministrator]: t.refusedGlobalAdmin,
      [EXTENSION_ERRORS.notConnected]: t.refusedNotConnected,
    };
    // "Already on" as Partner Desk last saw it is asked of Microsoft again: its fresh read decides.
    if (refusal && refused[refusal]) return answer(ctx, formatMessage(s, refused[refusal], { customer }), "warning", false);

    const turned = await ctx.ports.microsoft.turnOnAutoExtend(connectedTenant!, r.microsoft!.relationshipId);
    if (!turned.ok) {
      const banner = gdapRefusalBanner(ctx, turned);
      return answer(ctx, `${formatMessage(s, t.refusedByMicrosoft, { reason: turned.message })} ${banner.text}`, "warning", true);
    }
    if (turned.value.answer === "alreadyOn") return answer(ctx, formatMessage(s, t.autoExtendAlreadyOn, { customer }), "good", true);
    if (turned.value.answer === "accepted") return answer(ctx, formatMessage(s, t.autoExtendAccepted, { customer }), "accent", true);
    const recorded = recordAutoExtension(r, turned.value.side, { ...decisionContext(ctx), tenantId: input.customerTenantId });
    const committed = await ctx.ports.decisions.commit(recorded.decision, [read]);
    if (!committed.ok) return answer(ctx, t.notRecorded, "warning", true);
    return answer(ctx, formatMessage(s, t.autoExtendOn, { customer }), "good", true, t.autoExtendOnTitle);
  },
});

function answer(ctx: AutoExtendContext, text: string, style: Banner["style"], fromMicrosoft: boolean, title?: string): Outcome {
  const s = ctx.strings;
  return ok({
    card: ctx.card("notice", {
      title: title ?? (style === "good" ? s.extension.autoExtendOnTitle : s.extension.answerAutoExtend),
      message: text,
      facts: [],
      detailsTitle: "",
      details: "",
      actions: [{ title: s.common.menu, verb: VERBS.menu.show, data: {} }],
      // The message says it all; the style only colours a refusal's title.
      banner: null,
      simulationLabel: simulationLabel(ctx, fromMicrosoft),
    }),
  });
}
