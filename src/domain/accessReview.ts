import { z } from "zod";
import type { AuditEvent } from "./audit.js";
import { write, type Decision, type Write } from "./decision.js";
import { auditEvent, notification, relationshipTarget, type DecisionContext } from "./decisionRows.js";
import type { Notification } from "./notification.js";
import type { Relationship } from "./relationship.js";
import { fail, ok, type Result } from "./result.js";
import { ROLE, RoleTemplateIdSchema } from "./roles.js";

/*
 * The access review (issue 13, item 3): every partner that holds admin roles in the customer's tenant, and for
 * each an admin's decision — keep (and why), remove roles, or contact the partner. One row in the tenant's
 * partition, changed only by decisions; complete only when every partner is decided.
 */

export const REVIEW_TRIGGERS = ["scheduled", "onDemand"] as const;
export type ReviewTrigger = (typeof REVIEW_TRIGGERS)[number];

/** How long a justification of "Keep" may be: a sentence or two, not an essay. */
export const JUSTIFICATION_MAX = 300;
export const MESSAGE_MAX = 500;
/** An unfinished review reminds its admins once, this many days after it started. */
export const REMINDER_AFTER_DAYS = 14;

const ActorSchema = z.object({ userId: z.string().min(1), name: z.string() });

export const ReviewDecisionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("keep"), by: ActorSchema, at: z.iso.datetime(), justification: z.string().min(1).max(JUSTIFICATION_MAX) }),
  z.object({ kind: z.literal("remove"), by: ActorSchema, at: z.iso.datetime(), roles: z.array(RoleTemplateIdSchema).min(1) }),
  z.object({ kind: z.literal("contact"), by: ActorSchema, at: z.iso.datetime(), message: z.string().max(MESSAGE_MAX).optional() }),
]);
export type ReviewDecision = z.infer<typeof ReviewDecisionSchema>;
export type ReviewChoice = ReviewDecision["kind"];

/** One partner under review, as it stood when the review started. */
export const ReviewItemSchema = z.object({
  partnerId: z.string().min(1),
  partnerName: z.string().min(1),
  roles: z.array(RoleTemplateIdSchema).min(1),
  since: z.iso.datetime(),
  endsAt: z.iso.datetime().optional(),
  decision: ReviewDecisionSchema.optional(),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;

export const AccessReviewSchema = z.object({
  tenantId: z.string().min(1),
  id: z.string().min(1).max(64),
  trigger: z.enum(REVIEW_TRIGGERS),
  status: z.enum(["open", "completed"]),
  startedAt: z.iso.datetime(),
  startedBy: ActorSchema,
  items: z.array(ReviewItemSchema),
  remindedAt: z.iso.datetime().optional(),
  completedAt: z.iso.datetime().optional(),
  completedBy: ActorSchema.optional(),
});
export type AccessReview = z.infer<typeof AccessReviewSchema>;

export const REVIEW_ERRORS = {
  /** No partner holds admin roles: there is nothing to review. */
  nothingToReview: "REVIEW.NOTHING_TO_REVIEW",
  notOpen: "REVIEW.NOT_OPEN",
  unknownPartner: "REVIEW.UNKNOWN_PARTNER",
  alreadyDecided: "REVIEW.ALREADY_DECIDED",
  justificationRequired: "REVIEW.JUSTIFICATION_REQUIRED",
  /** Completing with a partner undecided: the failure's details name them. */
  undecided: "REVIEW.UNDECIDED",
  alreadyReminded: "REVIEW.ALREADY_REMINDED",
} as const;

export const hasGlobalAdministrator = (roles: readonly string[]): boolean =>
  roles.some((id) => id.toLowerCase() === ROLE.globalAdministrator);

export function progress(review: Pick<AccessReview, "items">): { decided: number; total: number } {
  return { decided: review.items.filter((i) => i.decision).length, total: review.items.length };
}

export const undecided = (review: Pick<AccessReview, "items">): ReviewItem[] => review.items.filter((i) => !i.decision);

/** A review's rows: the review itself, its audit event and the notification its admins' cards come from. */
export interface ReviewChanged {
  review: AccessReview;
  audit: AuditEvent;
  decision: Decision;
}

const reviewTarget = (id: string): string => `review:${id}`;

/** After every change the review cards the admins got are replaced with the current one. */
export function reviewCardsRefresh(ctx: DecisionContext, reviewId: string): Notification {
  return { ...notification(ctx, "", "cardRefresh", { reviewId }), recipient: { kind: "tenantAdmins", tenantId: ctx.tenantId } };
}

function toAdmins(ctx: DecisionContext, type: "accessReview" | "accessReviewReminder", reviewId: string): Notification {
  return { ...notification(ctx, "", type, { reviewId }), recipient: { kind: "tenantAdmins", tenantId: ctx.tenantId } };
}

function changed(review: AccessReview, audit: AuditEvent, also: Write[]): ReviewChanged {
  return { review, audit, decision: { tenantId: review.tenantId, writes: [write.accessReview(review), write.audit(audit), ...also] } };
}

/**
 * A new review of every partner that holds admin roles now (active, or asked to end but still holding them), with
 * the card for every admin queued beside it.
 */
export function startReview(
  relationships: readonly Relationship[],
  ctx: DecisionContext,
  started: { id: string; trigger: ReviewTrigger },
): Result<ReviewChanged> {
  const items: ReviewItem[] = relationships
    .filter((r) => (r.status === "active" || r.status === "terminationRequested") && r.roles.length > 0)
    .sort((a, b) => a.partnerName.localeCompare(b.partnerName))
    .map((r) => ({
      partnerId: r.partnerId,
      partnerName: r.partnerName,
      roles: r.roles.map((g) => g.roleId),
      since: r.since,
      ...(r.endsAt ? { endsAt: r.endsAt } : {}),
    }));
  if (items.length === 0) return fail(REVIEW_ERRORS.nothingToReview, "no partner holds admin roles");
  const review: AccessReview = {
    tenantId: ctx.tenantId,
    id: started.id,
    trigger: started.trigger,
    status: "open",
    startedAt: ctx.now,
    startedBy: ctx.actor,
    items,
  };
  const audit = auditEvent(ctx, "review.start", reviewTarget(review.id), undefined, {
    trigger: started.trigger,
    partners: items.map((i) => i.partnerId),
  });
  return ok(changed(review, audit, [write.notification(toAdmins(ctx, "accessReview", review.id))]));
}

/** What an admin chose for one partner; a removal names the roles that went. */
export type ReviewAnswer =
  | { kind: "keep"; justification: string | undefined }
  | { kind: "remove"; roles: readonly string[] }
  | { kind: "contact"; message: string | undefined };

/**
 * One partner decided. Keep needs a justification (it is what an auditor reads); a decided partner stays decided
 * (a second admin's press finds it so). "Contact partner" also sends the partner the admin's message.
 */
export function decide(review: AccessReview, partnerId: string, answer: ReviewAnswer, ctx: DecisionContext): Result<ReviewChanged> {
  if (review.status !== "open") return fail(REVIEW_ERRORS.notOpen, `review is ${review.status}`);
  const item = review.items.find((i) => i.partnerId === partnerId);
  if (!item) return fail(REVIEW_ERRORS.unknownPartner, `partner ${partnerId} is not in the review`);
  if (item.decision) return fail(REVIEW_ERRORS.alreadyDecided, `decided by ${item.decision.by.name}`, { by: item.decision.by.name });
  const by = ctx.actor;
  let decision: ReviewDecision;
  if (answer.kind === "keep") {
    const justification = answer.justification?.trim() ?? "";
    if (!justification) return fail(REVIEW_ERRORS.justificationRequired, "keeping a partner's roles needs a justification");
    decision = { kind: "keep", by, at: ctx.now, justification: justification.slice(0, JUSTIFICATION_MAX) };
  } else if (answer.kind === "remove") {
    decision = { kind: "remove", by, at: ctx.now, roles: [...answer.roles] };
  } else {
    const message = answer.message?.trim();
    decision = { kind: "contact", by, at: ctx.now, ...(message ? { message: message.slice(0, MESSAGE_MAX) } : {}) };
  }
  const updated: AccessReview = { ...review, items: review.items.map((i) => (i.partnerId === partnerId ? { ...i, decision } : i)) };
  const { by: _by, at: _at, ...what } = decision;
  const audit = auditEvent(ctx, "review.decide", `${relationshipTarget(partnerId)}/review:${review.id}`, undefined, what);
  const also: Write[] = [write.notification(reviewCardsRefresh(ctx, review.id))];
  if (decision.kind === "contact")
    also.push(
      write.notification(
        notification(ctx, partnerId, "accessReviewContact", {
          reviewId: review.id,
          ...(decision.message ? { message: decision.message } : {}),
        }),
      ),
    );
  return ok(changed(updated, audit, also));
}

/** Complete: only with every partner decided. The audit event records who decided what and why. */
export function complete(review: AccessReview, ctx: DecisionContext): Result<ReviewChanged> {
  if (review.status !== "open") return fail(REVIEW_ERRORS.notOpen, `review is ${review.status}`);
  const open = undecided(review);
  if (open.length > 0)
    return fail(REVIEW_ERRORS.undecided, `${open.length} partner(s) undecided`, { partners: open.map((i) => i.partnerName) });
  const updated: AccessReview = { ...review, status: "completed", completedAt: ctx.now, completedBy: ctx.actor };
  const decisions = review.items.map((i) => ({ partnerId: i.partnerId, partnerName: i.partnerName, ...i.decision! }));
  const audit = auditEvent(ctx, "review.complete", reviewTarget(review.id), { status: "open" }, { status: "completed", decisions });
  return ok(changed(updated, audit, [write.notification(reviewCardsRefresh(ctx, review.id))]));
}

/** The one reminder of an unfinished review: a new card for every admin, and the review marks it sent. */
export function remind(review: AccessReview, ctx: DecisionContext): Result<ReviewChanged> {
  if (review.status !== "open") return fail(REVIEW_ERRORS.notOpen, `review is ${review.status}`);
  if (review.remindedAt) return fail(REVIEW_ERRORS.alreadyReminded, `reminded at ${review.remindedAt}`);
  const updated: AccessReview = { ...review, remindedAt: ctx.now };
  const audit = auditEvent(ctx, "review.remind", reviewTarget(review.id), undefined, progress(review));
  return ok(changed(updated, audit, [write.notification(toAdmins(ctx, "accessReviewReminder", review.id))]));
}
