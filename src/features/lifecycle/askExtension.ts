import { z } from "zod";
import { formatMessage } from "../../cards/messages.js";
import type { TextColor } from "../../cards/models.js";
import {
  autoExtensionRefusal,
  EXTENSION_ERRORS,
  EXTENSION_MESSAGE_MAX,
  holdsGlobalAdministrator,
  requestExtension,
} from "../../domain/extension.js";
import { ok } from "../../domain/result.js";
import { authorize } from "../authorize.js";
import { formatDate } from "../cardText.js";
import { connectedPartnerTenant } from "../carryOut.js";
import { commitDecision, conflictBanner } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import { IdSchema, optionalText } from "../inputSchemas.js";
import type { Ports } from "../ports.js";
import { detailsOrList } from "../relationships/showPartner.js";
import { defineRoute, type FeatureContext, type Outcome } from "../types.js";
import { VERBS } from "../verbs.js";

/** Asking reads the relationship (and whether the partner is connected, for what the partner may answer) and decides. */
type ExtensionContext = FeatureContext<Pick<Ports, "relationships" | "audit" | "roleHolders" | "decisions" | "partners" | "connections">>;

/**
 * "Ask the partner to extend" (the partner's card; the expiry warning): first the rules in plain words and an
 * optional message; with `send`, the partner gets a card with the request. Nothing changes in Microsoft here: the
 * partner answers with a new invitation, or (connected, no Global administrator) by turning on auto-extension.
 */
export const askExtension = defineRoute({
  verb: VERBS.lifecycle.askExtension,
  schema: z.object({ partnerId: IdSchema, send: z.boolean().optional(), message: optionalText(EXTENSION_MESSAGE_MAX) }),
  async handle(input, ctx: ExtensionContext) {
    const denied = await authorize(ctx, "relationship.askExtension");
    if (denied) return denied;
    const s = ctx.strings;
    const t = s.extension;
    const read = await ctx.ports.relationships.get(ctx.identity.tenantId, input.partnerId);
    if (!read) return detailsOrList(ctx, input.partnerId);
    const r = read.value;
    const partner = r.partnerName;
    if (r.status === "terminated" || r.status === "terminationRequested")
      return detailsOrList(ctx, input.partnerId, { text: formatMessage(s, t.ended, { partner }), style: "warning" }, r);
    if (!input.send) {
      const points: Array<{ text: string; color: TextColor }> = [
        { text: formatMessage(s, t.ruleNewInvitation, { partner }), color: "Default" },
      ];
      if (r.status === "expired") points.push({ text: formatMessage(s, t.ruleExpired, { partner }), color: "Attention" });
      else if (holdsGlobalAdministrator(r)) points.push({ text: t.ruleGlobalAdmin, color: "Attention" });
      else
        points.push({ text: formatMessage(s, t.ruleAutoExtend, { partner }), color: "Default" }, { text: t.ruleNoEmail, color: "Default" });
      return ok({
        card: ctx.card("extensionRequest", {
          partnerId: r.partnerId,
          title: formatMessage(s, t.askTitle, { partner }),
          intro: r.endsAt
            ? formatMessage(s, t.askIntro, { partner, date: formatDate(r.endsAt, ctx.identity.locale) })
            : formatMessage(s, t.askIntroNoEnd, { partner }),
          points,
          messageLabel: formatMessage(s, t.message, { partner }),
        }),
      });
    }
    const connected = (await connectedPartnerTenant(ctx.ports, r)) !== undefined;
    // Offered unless something rules it out; "already on" as last seen is left to Microsoft's fresh read.
    const refusal = autoExtensionRefusal(r, connected);
    const planned = requestExtension(
      r,
      input.message,
      refusal === undefined || refusal === EXTENSION_ERRORS.alreadyOn,
      decisionContext(ctx),
    );
    if (!planned.ok) return detailsOrList(ctx, input.partnerId, { text: formatMessage(s, t.ended, { partner }), style: "warning" }, r);
    const conflict = await commitDecision(ctx, planned.value.decision, [], () => detailsOrList(ctx, input.partnerId, conflictBanner(ctx)));
    if (conflict) return conflict;
    return sent(ctx, partner);
  },
});

function sent(ctx: ExtensionContext, partner: string): Outcome {
  const s = ctx.strings;
  return ok({
    card: ctx.card("notice", {
      title: s.extension.sentTitle,
      message: formatMessage(s, s.extension.sent, { partner }),
      facts: [],
      detailsTitle: "",
      details: "",
      actions: [
        { title: s.features.partners.title, verb: VERBS.relationships.list, data: {} },
        { title: s.common.menu, verb: VERBS.menu.show, data: {} },
      ],
      banner: null,
      simulationLabel: "",
    }),
  });
}
