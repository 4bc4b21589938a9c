import { z } from "zod";
import { formatMessage } from "../../cards/messages.js";
import type { CarriedOutRemoval } from "../../domain/microsoftRemoval.js";
import { fail, ok, type Failure } from "../../domain/result.js";
import { confirmEnd as confirmEndTransition } from "../../domain/transitions.js";
import { GDAP_ERROR, PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID } from "../../microsoft/gdap/errors.js";
import { connectedPartnerTenant, refusedAsWaiting } from "../carryOut.js";
import { commitDecision } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import { TenantIdSchema } from "../inputSchemas.js";
import { simulationLabel } from "../cardText.js";
import { MICROSOFT_ERRORS, type Ports } from "../ports.js";
import { defineRoute, type FeatureContext, type ViewContext } from "../types.js";
import { gdapStatusText } from "./gdapSend.js";
import { actingPartner, PARTNER_ERRORS, type PartnerContext } from "./partnerActor.js";
import { VERBS } from "../verbs.js";

/** Confirming an end also reads the partner's connection and, when it is connected, ends the GDAP relationship. */
type EndContext = FeatureContext<PartnerContext["ports"] & Pick<Ports, "connections" | "microsoft">>;

/**
 * "Confirm end of relationship": only the partner the customer asked, only while the request stands. A connected
 * partner's connection first asks Microsoft to terminate the GDAP relationship (the partner agreed to carry out its
 * customers' end requests when it connected); if Microsoft refuses or does not answer, nothing is stored.
 */
export const partnerConfirmEnd = defineRoute({
  verb: VERBS.partnerSide.confirmEnd,
  schema: z.object({ customerTenantId: TenantIdSchema }),
  async handle(input, ctx: EndContext) {
    const s = ctx.strings;
    const partner = await actingPartner(ctx);
    if (!partner.ok) return partner;
    const read = await ctx.ports.relationships.get(input.customerTenantId, partner.value.id);
    if (!read) return fail(PARTNER_ERRORS.noLink, s.partnerSide.noLink);
    const customer =
      (await ctx.ports.tenantNames.displayName(input.customerTenantId)) ?? `${s.partnerSide.unknownCustomer} (${input.customerTenantId})`;
    // The title says what happened: only an end that was stored is titled "Relationship ended".
    const notice = (message: string, fromMicrosoft = false, title = s.partnerSide.endNotConfirmedTitle) =>
      ok({
        card: ctx.card("notice", {
          title,
          message,
          facts: [],
          detailsTitle: "",
          details: "",
          actions: [],
          banner: null,
          simulationLabel: simulationLabel(ctx, fromMicrosoft),
        }),
      });
    const decisionCtx = { ...decisionContext(ctx), tenantId: input.customerTenantId };
    const planned = confirmEndTransition(read.value, decisionCtx);
    if (!planned.ok) return notice(s.partnerSide.endNotRequested, false, s.partnerSide.endNotRequestedTitle);

    let decided = planned.value;
    let message = formatMessage(s, s.partnerSide.endConfirmed, { customer });
    let fromMicrosoft = false;
    const connectedTenant = await connectedPartnerTenant(ctx.ports, read.value);
    if (connectedTenant) {
      const carried = await ctx.ports.microsoft.carryOutRemoval(connectedTenant, {
        relationshipId: read.value.microsoft!.relationshipId,
        roles: "all",
      });
      if (carried.ok) {
        const withMicrosoft = confirmEndTransition(read.value, decisionCtx, carried.value);
        if (!withMicrosoft.ok) return notice(s.partnerSide.endNotRequested, false, s.partnerSide.endNotRequestedTitle);
        decided = withMicrosoft.value;
        message = endedInMicrosoft(ctx, customer, carried.value);
        fromMicrosoft = true;
      } else if (refusedAsWaiting(carried)) {
        // A request the customer never approved has no role in effect: ending it here leaves nothing behind there.
        message = formatMessage(s, s.partnerSide.endConfirmedWaiting, { customer });
      } else {
        return notice(endRefusal(ctx, carried), true);
      }
    }
    const conflict = await commitDecision(ctx, decided.decision, [read], async () => notice(s.errors.conflict));
    if (conflict) return conflict;
    return notice(message, fromMicrosoft, s.partnerSide.endConfirmedTitle);
  },
});

function endedInMicrosoft(ctx: ViewContext, customer: string, carried: CarriedOutRemoval): string {
  const s = ctx.strings.partnerSide;
  return carried.answer === "terminationRequested"
    ? formatMessage(s, s.endConfirmedInMicrosoft, { customer })
    : formatMessage(s, s.endConfirmedAlreadyEnding, { customer, status: gdapStatusText(ctx, carried.side.status) });
}

/** Why the end was not carried out: what the partner's tenant lacks, or that Microsoft did not answer. Nothing stored. */
function endRefusal(ctx: ViewContext, failure: Failure): string {
  const s = ctx.strings.partnerSide;
  if (failure.code === GDAP_ERROR.UNAVAILABLE) return s.endUnavailable;
  const c = s.connection;
  const missing: Record<string, string> = {
    [GDAP_ERROR.NO_CONSENT]: c.missingConsent,
    [GDAP_ERROR.PERMISSION_MISSING]: c.missingPermission,
    [GDAP_ERROR.SERVICE_PRINCIPAL_MISSING]: formatMessage(c, c.missingServicePrincipal, {
      appId: PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID,
    }),
    [GDAP_ERROR.TOKEN_REFUSED]: c.tokenRefused,
    [MICROSOFT_ERRORS.localMode]: c.localMode,
  };
  const why = Object.hasOwn(missing, failure.code)
    ? missing[failure.code]!
    : formatMessage(s, s.endRefusedReason, { reason: failure.message });
  return `${s.endNotCarriedOut} ${why}`;
}
