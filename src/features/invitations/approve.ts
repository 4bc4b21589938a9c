import { z } from "zod";
import { fail, ok } from "../../domain/result.js";
import { approveInvitation } from "../../domain/fourEyes.js";
import { AGREEMENT_ERRORS } from "../agreements/acceptAgreement.js";
import { authorize } from "../authorize.js";
import { commitDecision } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import { IdSchema } from "../inputSchemas.js";
import { FIRST_PAGE, partnerListCard } from "../relationships/partnerList.js";
import { withWritten } from "../relationships/views.js";
import { defineRoute } from "../types.js";
import { VERBS } from "../verbs.js";
import { currentState, type InvitationContext } from "./handlers.js";
import { acceptedBanner, fourEyesRefusal } from "./fourEyesViews.js";

/**
 * "Approve" (four-eyes): a second, different admin completes an acceptance the first admin recorded, exactly as a
 * single acceptance would be (relationship, acceptance record, audit, the partner's notification, every admin's
 * card refreshed), conditional on the invitation and the partner's relationship as read. Two admins pressing at
 * once: one wins, the other sees the invitation as it now is. The first admin pressing it is told so; nothing is
 * stored.
 */
export const approveInvitationRoute = defineRoute({
  verb: VERBS.invitations.approve,
  schema: z.object({ invitationId: IdSchema }),
  async handle(input, ctx: InvitationContext) {
    const denied = await authorize(ctx, "invitation.accept");
    if (denied) return denied;
    const s = ctx.strings;
    const tenantId = ctx.identity.tenantId;
    const [read, agreement, relationships] = await Promise.all([
      ctx.ports.invitations.get(tenantId, input.invitationId),
      ctx.ports.agreements.current(ctx.now),
      ctx.ports.relationships.listForTenant(tenantId),
    ]);
    if (!agreement) return fail(AGREEMENT_ERRORS.unavailable, s.errors.noAgreement);
    if (!read) return currentState(ctx, input.invitationId);
    const existing = relationships.find((r) => r.value.partnerId === read.value.partnerId);
    const result = approveInvitation(read.value, existing?.value, agreement, decisionContext(ctx));
    if (!result.ok) return currentState(ctx, input.invitationId, fourEyesRefusal(ctx, read.value, result.code));
    const { invitation, relationship, decision } = result.value;
    const conflict = await commitDecision(ctx, decision, [read, existing], () => currentState(ctx, input.invitationId));
    if (conflict) return conflict;
    return ok({
      card: partnerListCard(ctx, withWritten(relationships, relationship), acceptedBanner(ctx, invitation), {
        ...FIRST_PAGE,
        focus: relationship.partnerId,
      }),
    });
  },
});
