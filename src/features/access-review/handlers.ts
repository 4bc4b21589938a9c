import { z } from "zod";
import { formatMessage } from "../../cards/messages.js";
import type { Banner } from "../../cards/models.js";
import {
  complete,
  decide,
  JUSTIFICATION_MAX,
  MESSAGE_MAX,
  REVIEW_ERRORS,
  type AccessReview,
  type ReviewAnswer,
} from "../../domain/accessReview.js";
import type { Decision } from "../../domain/decision.js";
import type { Failure } from "../../domain/result.js";
import { ok } from "../../domain/result.js";
import { RoleTemplateIdSchema } from "../../domain/roles.js";
import type { Versioned } from "../../domain/versioned.js";
import { authorize } from "../authorize.js";
import { simulationLabel } from "../cardText.js";
import { connectedPartnerTenant } from "../carryOut.js";
import { conflictBanner } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import { IdSchema, ListOf, optionalText } from "../inputSchemas.js";
import type { Ports } from "../ports.js";
import { notRecordedBanner, planRemoval } from "../relationships/removeRoles.js";
import { removedBanner } from "../relationships/removalBanners.js";
import { defineRoute, type FeatureContext, type Outcome } from "../types.js";
import { VERBS } from "../verbs.js";
import { startAccessReview } from "./startReview.js";
import { decisionFormCard, reviewCard } from "./views.js";

/** A review reads and decides in the tenant's partition; a removal goes the way of every removal (removeRoles.ts). */
export type ReviewContext = FeatureContext<
  Pick<
    Ports,
    | "accessReviews"
    | "relationships"
    | "decisions"
    | "schedule"
    | "adminAudience"
    | "roleHolders"
    | "audit"
    | "partners"
    | "connections"
    | "microsoft"
  >
>;

const ChoiceSchema = z.enum(["keep", "remove", "contact"]);

/** The review as it is now, for whoever looks (also Teams' refresh of the card: looking changes nothing). */
async function currentReview(ctx: ReviewContext, reviewId: string, banner: Banner | null = null): Promise<Outcome> {
  const [read, refreshIds] = await Promise.all([
    ctx.ports.accessReviews.get(ctx.identity.tenantId, reviewId),
    ctx.ports.adminAudience.teamsAdminIds(ctx.identity.tenantId),
  ]);
  if (!read) return notice(ctx, ctx.strings.accessReview.notFound);
  return ok({ card: reviewCard(ctx, read.value, refreshIds, banner) });
}

function notice(ctx: ReviewContext, message: string, title = ctx.strings.accessReview.title, reviewId?: string): Outcome {
  const s = ctx.strings;
  return ok({
    card: ctx.card("notice", {
      title,
      message,
      facts: [],
      detailsTitle: "",
      details: "",
      actions: [
        ...(reviewId ? [{ title: s.accessReview.showReview, verb: VERBS.accessReview.show, data: { reviewId } }] : []),
        { title: s.common.menu, verb: VERBS.menu.show, data: {} },
      ],
      banner: null,
      simulationLabel: "",
    }),
  });
}

/** `review access`: starts the tenant's review now, or shows the one that is open. */
export const startReviewRoute = defineRoute({
  verb: VERBS.accessReview.start,
  schema: z.object({}),
  async handle(_input, ctx: ReviewContext) {
    const denied = await authorize(ctx, "partnerAccess.review");
    if (denied) return denied;
    const s = ctx.strings.accessReview;
    const by = { now: ctx.now, actor: { userId: ctx.identity.userId, name: ctx.identity.name }, correlationId: ctx.correlationId };
    const result = await startAccessReview(ctx.ports, ctx.identity.tenantId, "onDemand", by);
    if (!result.ok) return notice(ctx, result.code === REVIEW_ERRORS.nothingToReview ? s.nothingToReview : ctx.strings.errors.conflict);
    if (result.value.started) return notice(ctx, s.started, s.startedTitle, result.value.review.id);
    return currentReview(ctx, result.value.review.id);
  },
});

export const showReview = defineRoute({
  verb: VERBS.accessReview.show,
  schema: z.object({ reviewId: IdSchema }),
  async handle(input, ctx: ReviewContext) {
    return (await authorize(ctx, "partnerAccess.review")) ?? currentReview(ctx, input.reviewId);
  },
});

/** The step of one decision: the reason to keep, the roles to remove, or the message to the partner. */
export const reviewDecisionForm = defineRoute({
  verb: VERBS.accessReview.decisionForm,
  schema: z.object({ reviewId: IdSchema, partnerId: IdSchema, choice: ChoiceSchema }),
  async handle(input, ctx: ReviewContext) {
    const denied = await authorize(ctx, "partnerAccess.review");
    if (denied) return denied;
    const read = await ctx.ports.accessReviews.get(ctx.identity.tenantId, input.reviewId);
    const stale = read && staleBanner(ctx, read.value, input.partnerId);
    if (!read || stale !== undefined) return currentReview(ctx, input.reviewId, stale ?? null);
    const item = read.value.items.find((i) => i.partnerId === input.partnerId)!;
    let note = "";
    let connected = false;
    if (input.choice === "remove") {
      const relationship = await ctx.ports.relationships.get(ctx.identity.tenantId, input.partnerId);
      connected = relationship ? (await connectedPartnerTenant(ctx.ports, relationship.value)) !== undefined : false;
      const p = ctx.strings.partners;
      note = connected ? formatMessage(p, p.removeCarriedOut, { partner: item.partnerName }) : p.removeAlsoInAdminCenter;
    }
    const label = simulationLabel(ctx, connected);
    return ok({ card: decisionFormCard(ctx, read.value, item, input.choice, { note, simulationLabel: label, banner: null }) });
  },
});

/** A press that can no longer decide this partner: the review is completed, or the partner decided by someone. */
function staleBanner(ctx: ReviewContext, review: AccessReview, partnerId: string): Banner | null | undefined {
  const s = ctx.strings.accessReview;
  if (review.status !== "open") return { text: s.notOpen, style: "warning" };
  const item = review.items.find((i) => i.partnerId === partnerId);
  if (!item) return null;
  if (item.decision) return { text: formatMessage(s, s.alreadyDecided, { name: item.decision.by.name }), style: "warning" };
  return undefined;
}

/**
 * One partner decided. Keep records the reason; Remove roles goes the one way of every removal (carried out in
 * Microsoft by a connected partner's connection, else recorded), and the review's decision is committed in the
 * same transaction as the relationship's; Contact partner sends the partner a card with the admin's message.
 */
export const reviewDecide = defineRoute({
  verb: VERBS.accessReview.decide,
  schema: z.object({
    reviewId: IdSchema,
    partnerId: IdSchema,
    choice: ChoiceSchema,
    justification: optionalText(JUSTIFICATION_MAX),
    message: optionalText(MESSAGE_MAX),
    roleIds: ListOf(RoleTemplateIdSchema),
  }),
  async handle(input, ctx: ReviewContext) {
    const denied = await authorize(ctx, "partnerAccess.review");
    if (denied) return denied;
    const tenantId = ctx.identity.tenantId;
    const read = await ctx.ports.accessReviews.get(tenantId, input.reviewId);
    const stale = read && staleBanner(ctx, read.value, input.partnerId);
    if (!read || stale !== undefined) return currentReview(ctx, input.reviewId, stale ?? null);
    const review = read.value;
    const dctx = decisionContext(ctx);

    if (input.choice !== "remove") {
      const answer: ReviewAnswer =
        input.choice === "keep" ? { kind: "keep", justification: input.justification } : { kind: "contact", message: input.message };
      const decided = decide(review, input.partnerId, answer, dctx);
      if (!decided.ok && decided.code === REVIEW_ERRORS.justificationRequired) {
        const item = review.items.find((i) => i.partnerId === input.partnerId)!;
        const banner: Banner = { text: ctx.strings.accessReview.justificationRequired, style: "warning" };
        return ok({ card: decisionFormCard(ctx, review, item, "keep", { note: "", simulationLabel: "", banner }) });
      }
      if (!decided.ok) return refused(ctx, review, decided);
      return commitAndShow(ctx, decided.value.decision, [read], input.reviewId, null);
    }

    const relationship = await ctx.ports.relationships.get(tenantId, input.partnerId);
    const item = review.items.find((i) => i.partnerId === input.partnerId)!;
    if (!relationship) return currentReview(ctx, input.reviewId, { text: ctx.strings.errors.conflict, style: "warning" });
    const chosen = input.roleIds.length > 0 ? input.roleIds : item.roles;
    const planned = await planRemoval(ctx, relationship, chosen);
    if (!planned.ok) return currentReview(ctx, input.reviewId, planned.banner);
    const decided = decide(review, input.partnerId, { kind: "remove", roles: chosen }, dctx);
    if (!decided.ok) return refused(ctx, review, decided);
    const both: Decision = { tenantId, writes: [...planned.decision.writes, ...decided.value.decision.writes] };
    const committed = await ctx.ports.decisions.commit(both, [relationship, read]);
    if (!committed.ok) return currentReview(ctx, input.reviewId, notRecordedBanner(ctx, planned.carried));
    return currentReview(ctx, input.reviewId, removedBanner(ctx, item.partnerName, chosen, planned.carried));
  },
});

/** Complete: refused, naming them, while a partner is undecided. */
export const reviewComplete = defineRoute({
  verb: VERBS.accessReview.complete,
  schema: z.object({ reviewId: IdSchema }),
  async handle(input, ctx: ReviewContext) {
    const denied = await authorize(ctx, "partnerAccess.review");
    if (denied) return denied;
    const read = await ctx.ports.accessReviews.get(ctx.identity.tenantId, input.reviewId);
    if (!read) return currentReview(ctx, input.reviewId);
    const completed = complete(read.value, decisionContext(ctx));
    if (!completed.ok) return refused(ctx, read.value, completed);
    return commitAndShow(ctx, completed.value.decision, [read], input.reviewId, null);
  },
});

async function commitAndShow(
  ctx: ReviewContext,
  decision: Decision,
  read: ReadonlyArray<Versioned<unknown>>,
  reviewId: string,
  banner: Banner | null,
): Promise<Outcome> {
  const committed = await ctx.ports.decisions.commit(decision, read);
  return currentReview(ctx, reviewId, committed.ok ? banner : conflictBanner(ctx));
}

/** Why a decision was refused, on the review as it is now. */
function refused(ctx: ReviewContext, review: AccessReview, failure: Failure): Promise<Outcome> {
  const s = ctx.strings.accessReview;
  const texts: Record<string, () => string> = {
    [REVIEW_ERRORS.notOpen]: () => s.notOpen,
    [REVIEW_ERRORS.alreadyDecided]: () =>
      formatMessage(s, s.alreadyDecided, { name: typeof failure.details?.["by"] === "string" ? failure.details["by"] : "" }),
    [REVIEW_ERRORS.undecided]: () => {
      const names = (failure.details?.["partners"] as string[] | undefined) ?? [];
      return formatMessage(s, s.undecided, { count: names.length, names: names.join(", ") });
    },
  };
  const text = texts[failure.code]?.() ?? ctx.strings.errors.conflict;
  return currentReview(ctx, review.id, { text, style: "warning" });
}
