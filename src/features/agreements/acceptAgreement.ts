import { z } from "zod";
import { formatMessage } from "../../cards/messages.js";
import type { Banner } from "../../cards/models.js";
import type { Agreement } from "../../domain/agreement.js";
import { fail, ok } from "../../domain/result.js";
import type { Relationship } from "../../domain/relationship.js";
import { acceptAgreement as acceptAgreementTransition, TRANSITION_ERRORS } from "../../domain/transitions.js";
import { detailsOrList } from "../relationships/showPartner.js";
import { withWritten } from "../relationships/views.js";
import { FIRST_PAGE, partnerListCard } from "../relationships/partnerList.js";
import { commitDecision, conflictBanner } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import { authorize } from "../authorize.js";
import { IdSchema, ToggleSchema } from "../inputSchemas.js";

import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext, type ViewContext } from "../types.js";

/** The agreement step reads the current agreement and the tenant's relationships, and decides. */
type AgreementContext = FeatureContext<Pick<Ports, "agreements" | "relationships" | "audit" | "roleHolders" | "decisions">>;
import { VERBS } from "../verbs.js";
import { acceptAgreementCard } from "./views.js";
import { ContactInputs, contactOrBanner, type ContactValues } from "./contact.js";

export const AGREEMENT_ERRORS = { unavailable: "AGREEMENT.UNAVAILABLE" } as const;

function reviewCard(
  ctx: ViewContext,
  relationship: Relationship,
  agreement: Agreement,
  banner: Banner | null = null,
  typed: ContactValues = {},
) {
  const s = ctx.strings;
  return acceptAgreementCard(
    ctx,
    agreement,
    {
      title: s.common.agreementName,
      intro: formatMessage(s, s.invitations.acceptAgreementOnlyIntro, { partner: relationship.partnerName }),
      submitTitle: s.invitations.accept,
      verb: VERBS.agreements.accept,
      data: { partnerId: relationship.partnerId },
      backVerb: VERBS.relationships.show,
      backData: { partnerId: relationship.partnerId },
    },
    banner,
    typed,
  );
}

/** "Accept agreement" for a partner the organization already works with. */
export const reviewAgreement = defineRoute({
  verb: VERBS.agreements.review,
  schema: z.object({ partnerId: IdSchema }),
  async handle(input, ctx: AgreementContext) {
    const denied = await authorize(ctx, "agreement.accept");
    if (denied) return denied;
    const [read, agreement] = await Promise.all([
      ctx.ports.relationships.get(ctx.identity.tenantId, input.partnerId),
      ctx.ports.agreements.current(ctx.now),
    ]);
    if (!agreement) return fail(AGREEMENT_ERRORS.unavailable, ctx.strings.errors.noAgreement);
    if (!read) return detailsOrList(ctx, input.partnerId);
    return ok({ card: reviewCard(ctx, read.value, agreement) });
  },
});

/**
 * "Accept": only with the box ticked, for the version that was shown and with the contact details Partner Center
 * records; recorded with audit; then the partner list.
 */
export const acceptAgreement = defineRoute({
  verb: VERBS.agreements.accept,
  schema: z.object({ partnerId: IdSchema, agreementVersion: z.string().max(64).optional(), agreed: ToggleSchema, ...ContactInputs }),
  async handle(input, ctx: AgreementContext) {
    const denied = await authorize(ctx, "agreement.accept");
    if (denied) return denied;
    const s = ctx.strings;
    // One query gives the row to change (with its ETag) and the partner list shown afterwards.
    const [relationships, agreement] = await Promise.all([
      ctx.ports.relationships.listForTenant(ctx.identity.tenantId),
      ctx.ports.agreements.current(ctx.now),
    ]);
    if (!agreement) return fail(AGREEMENT_ERRORS.unavailable, s.errors.noAgreement);
    const read = relationships.find((r) => r.value.partnerId === input.partnerId);
    if (!read) return detailsOrList(ctx, input.partnerId);
    const again = (banner: Banner) => ok({ card: reviewCard(ctx, read.value, agreement, banner, input) });
    if (input.agreementVersion !== agreement.version) return again({ text: s.invitations.agreementChanged, style: "warning" });
    if (!input.agreed) return again({ text: s.invitations.mustConfirm, style: "attention" });
    const checked = contactOrBanner(ctx, input);
    if ("banner" in checked) return again(checked.banner);
    const result = acceptAgreementTransition(read.value, agreement, checked.contact, decisionContext(ctx));
    if (!result.ok) {
      const text =
        result.code === TRANSITION_ERRORS.agreementAlreadyAccepted
          ? formatMessage(s, s.partners.agreementAlready, { partner: read.value.partnerName })
          : formatMessage(s, s.partners.notActive, { status: s.partners.statuses[read.value.status] });
      return detailsOrList(ctx, input.partnerId, { text, style: "warning" });
    }
    const { relationship, decision } = result.value;
    const conflict = await commitDecision(ctx, decision, [read], () => detailsOrList(ctx, input.partnerId, conflictBanner(ctx)));
    if (conflict) return conflict;
    return ok({
      card: partnerListCard(
        ctx,
        withWritten(relationships, relationship),
        {
          text: formatMessage(s, s.partners.agreementNowAccepted, { partner: read.value.partnerName }),
          style: "good",
        },
        { ...FIRST_PAGE, focus: relationship.partnerId },
      ),
    });
  },
});
