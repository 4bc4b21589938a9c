import { z } from "zod";
import { formatMessage } from "../../cards/messages.js";
import type { Banner } from "../../cards/models.js";
import { fail, ok } from "../../domain/result.js";
import { acceptUnderPolicy, awaitingSecondApproval, needsTwoApprovals } from "../../domain/fourEyes.js";
import { askProblem, declineInvitation, isExpired, TRANSITION_ERRORS } from "../../domain/transitions.js";
import { AGREEMENT_ERRORS } from "../agreements/acceptAgreement.js";
import { ContactInputs, contactOrBanner } from "../agreements/contact.js";
import { withWritten } from "../relationships/views.js";
import { FIRST_PAGE, partnerListCard } from "../relationships/partnerList.js";
import { commitDecision } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import { authorize } from "../authorize.js";
import { IdSchema, optionalText, ToggleSchema } from "../inputSchemas.js";

import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext, type Outcome } from "../types.js";
import { VERBS } from "../verbs.js";
import { partnerOfActor } from "../partner-side/home.js";
import { partnerViewCard, type PartnerWorkContext } from "../partner-side/work.js";
import { authorizeCard, decidedBanner, invitationCard, invitationListCard } from "./views.js";
import { acceptedBanner, fourEyesRefusal, firstApprovalBanner } from "./fourEyesViews.js";

/**
 * An admin's invitation cards read invitations, the agreement, who else gets the card; accepting decides, under the
 * tenant's policy (four-eyes).
 */
export type InvitationContext = FeatureContext<
  Pick<
    Ports,
    "invitations" | "agreements" | "adminAudience" | "relationships" | "roleHolders" | "decisions" | "tenantPolicies" | "schedule"
  >
>;
/** The list also tells who asks: a partner's contact gets the invitations their partner sent. */
type InvitationListContext = InvitationContext & PartnerWorkContext;

async function listCard(ctx: InvitationContext, banner: Banner | null = null): Promise<Outcome> {
  const pending = await ctx.ports.invitations.listPending(ctx.identity.tenantId);
  const live = pending.map((i) => i.value).filter((i) => !isExpired(i, ctx.now.toISOString()));
  return ok({ card: invitationListCard(ctx, live, banner) });
}

/**
 * The current state of one invitation. After a press that could not act (`pressed`: a stale or refused button)
 * the banner says nothing changed and why; when the card is only looked at (opened, or refreshed by Teams) it
 * says who decided, in the viewer's own words if it was them.
 */
export async function currentState(ctx: InvitationContext, invitationId: string, banner?: Banner, pressed = true): Promise<Outcome> {
  const [read, agreement, refreshIds] = await Promise.all([
    ctx.ports.invitations.get(ctx.identity.tenantId, invitationId),
    ctx.ports.agreements.current(ctx.now),
    ctx.ports.adminAudience.teamsAdminIds(ctx.identity.tenantId),
  ]);
  if (!read) return listCard(ctx, { text: ctx.strings.errors.invitationNotFound, style: "warning" });
  const invitation = read.value;
  const stale = invitation.status !== "pending" || isExpired(invitation, ctx.now.toISOString());
  // The card refreshes for every admin who talks to the bot, so all of them see the same, current state.
  return ok({
    card: invitationCard(ctx, invitation, agreement, banner ?? (stale ? decidedBanner(ctx, invitation, pressed) : null), refreshIds),
  });
}

/**
 * `invitations`: pending invitations of the user's tenant, soonest to expire first; for a partner's contact, the
 * invitations their partner sent (a partner has no invitations to decide, and must not be told it lacks a role).
 */
export const listInvitations = defineRoute({
  verb: VERBS.invitations.list,
  schema: z.object({}),
  async handle(_input, ctx: InvitationListContext) {
    const partner = await partnerOfActor(ctx);
    if (partner) return ok({ card: await partnerViewCard(ctx, partner, "invitations") });
    return (await authorize(ctx, "invitation.read")) ?? listCard(ctx);
  },
});

export const showInvitation = defineRoute({
  verb: VERBS.invitations.show,
  schema: z.object({ invitationId: IdSchema }),
  async handle(input, ctx: InvitationContext) {
    // Also the card's refresh verb (Teams asks it whenever someone views the card): looking changes nothing.
    return (await authorize(ctx, "invitation.read")) ?? currentState(ctx, input.invitationId, undefined, false);
  },
});

/** "Review" -> the "Accept agreement & authorize partner" step. */
export const reviewInvitation = defineRoute({
  verb: VERBS.invitations.review,
  schema: z.object({ invitationId: IdSchema }),
  async handle(input, ctx: InvitationContext) {
    const denied = await authorize(ctx, "invitation.accept");
    if (denied) return denied;
    const [read, agreement, policy] = await Promise.all([
      ctx.ports.invitations.get(ctx.identity.tenantId, input.invitationId),
      ctx.ports.agreements.current(ctx.now),
      ctx.ports.tenantPolicies.get(ctx.identity.tenantId),
    ]);
    if (!agreement) return fail(AGREEMENT_ERRORS.unavailable, ctx.strings.errors.noAgreement);
    if (!read || read.value.status !== "pending" || isExpired(read.value, ctx.now.toISOString()))
      return currentState(ctx, input.invitationId);
    // Accepted once already (four-eyes): the card, with Approve for a second admin, is the next step, not the form.
    if (awaitingSecondApproval(read.value)) return currentState(ctx, input.invitationId, undefined, false);
    // Told before the form is filled: accepting it would be refused (roles without a type that gets them).
    if (askProblem(read.value))
      return currentState(ctx, input.invitationId, { text: ctx.strings.invitations.rolesNeedAdminType, style: "warning" });
    return ok({ card: authorizeCard(ctx, read.value, agreement, null, {}, needsTwoApprovals(policy?.value, read.value)) });
  },
});

/**
 * "Accept & authorize". Only with the box ticked, for the agreement version that was shown, with the contact
 * details Partner Center records (first and last name, a valid work email), and only while the invitation is
 * still pending (another admin may have decided meanwhile). Invitation, relationship, acceptance, audit event and
 * the partner's notification are one decision, committed conditional on the versions read.
 */
export const acceptInvitationRoute = defineRoute({
  verb: VERBS.invitations.accept,
  schema: z.object({
    invitationId: IdSchema,
    agreementVersion: z.string().max(64).optional(),
    agreed: ToggleSchema,
    ...ContactInputs,
  }),
  async handle(input, ctx: InvitationContext) {
    const denied = await authorize(ctx, "invitation.accept");
    if (denied) return denied;
    const s = ctx.strings;
    const tenantId = ctx.identity.tenantId;
    // The tenant's relationships are read with the invitation: the partner's row (with its ETag) is the one the
    // decision changes, and the whole list is the card shown afterwards — one request instead of two.
    const [read, agreement, relationships, policy] = await Promise.all([
      ctx.ports.invitations.get(tenantId, input.invitationId),
      ctx.ports.agreements.current(ctx.now),
      ctx.ports.relationships.listForTenant(tenantId),
      ctx.ports.tenantPolicies.get(tenantId),
    ]);
    if (!agreement) return fail(AGREEMENT_ERRORS.unavailable, s.errors.noAgreement);
    if (!read || read.value.status !== "pending" || isExpired(read.value, ctx.now.toISOString()))
      return currentState(ctx, input.invitationId);
    const again = (banner: Banner) => ok({ card: authorizeCard(ctx, read.value, agreement, banner, input) });
    if (input.agreementVersion !== agreement.version) return again({ text: s.invitations.agreementChanged, style: "warning" });
    if (!input.agreed) return again({ text: s.invitations.mustConfirm, style: "attention" });
    const checked = contactOrBanner(ctx, input);
    if ("banner" in checked) return again(checked.banner);

    const existing = relationships.find((r) => r.value.partnerId === read.value.partnerId);
    const result = acceptUnderPolicy(read.value, existing?.value, agreement, checked.contact, policy?.value, decisionContext(ctx));
    if (!result.ok && result.code === TRANSITION_ERRORS.rolesNeedAdminType)
      return currentState(ctx, input.invitationId, { text: s.invitations.rolesNeedAdminType, style: "warning" });
    if (!result.ok) return currentState(ctx, input.invitationId, fourEyesRefusal(ctx, read.value, result.code));
    if (result.value.kind === "firstApproval") {
      // Four-eyes: only the invitation changes (conditional on it as read); its card now waits for a second admin.
      const first = await commitDecision(ctx, result.value.decision, [read], () => currentState(ctx, input.invitationId));
      return first ?? currentState(ctx, input.invitationId, firstApprovalBanner(ctx, read.value), false);
    }
    const { invitation, relationship, decision } = result.value;
    // Conditional on the invitation and the partner's relationship as read (a new one must not exist yet).
    const conflict = await commitDecision(ctx, decision, [read, existing], () => currentState(ctx, input.invitationId));
    if (conflict) return conflict;
    // The tenant's next access review is indexed with the relationship's expiry warnings, after the commit
    // (src/jobsWiring.ts expiryIndexer): a failed index write never turns this acceptance into an error.
    return ok({
      // A GDAP request is recorded here, not granted: the list shows it waiting, with the admin center's link.
      card: partnerListCard(ctx, withWritten(relationships, relationship), acceptedBanner(ctx, invitation), {
        ...FIRST_PAGE,
        focus: relationship.partnerId,
      }),
    });
  },
});

export const declineForm = defineRoute({
  verb: VERBS.invitations.declineForm,
  schema: z.object({ invitationId: IdSchema }),
  async handle(input, ctx: InvitationContext) {
    const denied = await authorize(ctx, "invitation.decline");
    if (denied) return denied;
    const read = await ctx.ports.invitations.get(ctx.identity.tenantId, input.invitationId);
    if (!read || read.value.status !== "pending") return currentState(ctx, input.invitationId);
    return ok({
      card: ctx.card("declineForm", {
        invitationId: read.value.id,
        title: formatMessage(ctx.strings, ctx.strings.invitations.declineTitle, { partner: read.value.partnerName }),
      }),
    });
  },
});

/** "Decline": for an admin who does not want to give the roles asked for; the partner gets the reason. */
export const declineInvitationRoute = defineRoute({
  verb: VERBS.invitations.decline,
  schema: z.object({ invitationId: IdSchema, reason: optionalText(1000) }),
  async handle(input, ctx: InvitationContext) {
    const denied = await authorize(ctx, "invitation.decline");
    if (denied) return denied;
    const s = ctx.strings;
    const read = await ctx.ports.invitations.get(ctx.identity.tenantId, input.invitationId);
    if (!read) return currentState(ctx, input.invitationId);
    const result = declineInvitation(read.value, input.reason, decisionContext(ctx));
    if (!result.ok) return currentState(ctx, input.invitationId);
    const conflict = await commitDecision(ctx, result.value.decision, [read], () => currentState(ctx, input.invitationId));
    if (conflict) return conflict;
    return listCard(ctx, { text: formatMessage(s, s.invitations.declined, { partner: read.value.partnerName }), style: "good" });
  },
});
