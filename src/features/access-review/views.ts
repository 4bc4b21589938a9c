import { formatMessage } from "../../cards/messages.js";
import type { ActionModel, Banner, CardData } from "../../cards/models.js";
import type { AdaptiveCardJson } from "../../cards/render.js";
import { hasGlobalAdministrator, progress, type AccessReview, type ReviewChoice, type ReviewItem } from "../../domain/accessReview.js";
import { byBreadth, formatDate, roleModel, roleNames } from "../cardText.js";
import type { ViewContext } from "../types.js";
import { VERBS } from "../verbs.js";

/**
 * The review card as it is now, the same for every admin (each reader in their own language): who is under review,
 * what was decided by whom and why, and the buttons for the partners still undecided.
 */
export function reviewCard(
  view: ViewContext,
  review: AccessReview,
  refreshUserIds: readonly string[],
  banner: Banner | null,
): AdaptiveCardJson {
  const s = view.strings;
  const t = s.accessReview;
  const locale = view.identity.locale;
  const open = review.status === "open";
  const { decided, total } = progress(review);
  const intro =
    review.trigger === "scheduled"
      ? formatMessage(s, t.introScheduled, { date: formatDate(review.startedAt, locale) })
      : formatMessage(s, t.introOnDemand, { name: review.startedBy.name, date: formatDate(review.startedAt, locale) });
  const data: CardData["accessReview"] = {
    reviewId: review.id,
    intro,
    progressText: formatMessage(s, t.progress, { decided, total }),
    items: review.items.map((item) => ({
      name: item.partnerName,
      globalAdmin: hasGlobalAdministrator(item.roles),
      facts: [
        { title: t.roles, value: roleNames([...item.roles].sort(byBreadth), s) },
        { title: t.since, value: formatDate(item.since, locale) },
        { title: t.ends, value: item.endsAt ? formatDate(item.endsAt, locale) : s.common.notSet },
      ],
      decisionText: decisionText(view, item),
      actions: open && !item.decision ? decisionButtons(view, review.id, item.partnerId) : [],
    })),
    completedText:
      review.status === "completed" && review.completedBy && review.completedAt
        ? formatMessage(s, t.completedBy, { name: review.completedBy.name, date: formatDate(review.completedAt, locale) })
        : "",
    canComplete: open,
    refreshUserIds: [...refreshUserIds],
    banner,
  };
  return view.card("accessReview", data);
}

/** Who decided what for one partner, and why; "" while undecided. */
export function decisionText(view: ViewContext, item: ReviewItem): string {
  const s = view.strings;
  const d = item.decision;
  if (!d) return "";
  const date = formatDate(d.at, view.identity.locale);
  if (d.kind === "keep") return formatMessage(s, s.accessReview.keptBy, { name: d.by.name, date, justification: d.justification });
  if (d.kind === "remove") return formatMessage(s, s.accessReview.removedBy, { name: d.by.name, date, roles: roleNames(d.roles, s) });
  return formatMessage(s, s.accessReview.contactedBy, { name: d.by.name, date });
}

function decisionButtons(view: ViewContext, reviewId: string, partnerId: string): ActionModel[] {
  const t = view.strings.accessReview;
  const button = (title: string, choice: ReviewChoice): ActionModel => ({
    title,
    verb: VERBS.accessReview.decisionForm,
    data: { reviewId, partnerId, choice },
  });
  return [button(t.keep, "keep"), button(t.remove, "remove"), button(t.contact, "contact")];
}

/** The step of one decision: what it asks for, in the words of its choice. */
export function decisionFormCard(
  view: ViewContext,
  review: AccessReview,
  item: ReviewItem,
  choice: ReviewChoice,
  extra: { note: string; simulationLabel: string; banner: Banner | null },
): AdaptiveCardJson {
  const s = view.strings;
  const t = s.accessReview;
  const partner = item.partnerName;
  const roleIds = [...item.roles].sort(byBreadth);
  const titles: Record<ReviewChoice, string> = {
    keep: formatMessage(s, t.keepTitle, { partner }),
    remove: formatMessage(s, t.removeTitle, { partner }),
    contact: formatMessage(s, t.contactTitle, { partner }),
  };
  return view.card("accessReviewDecision", {
    reviewId: review.id,
    partnerId: item.partnerId,
    choice,
    title: titles[choice],
    intro: choice === "contact" ? formatMessage(s, t.contactIntro, { partner }) : "",
    justificationLabel: formatMessage(s, t.keepJustification, { partner }),
    roleChoices: roleIds.map((id) => {
      const model = roleModel(id, s);
      return { title: model ? (model.broadest ? `${model.name} (${s.common.broadestRole})` : model.name) : id, value: id };
    }),
    chosen: roleIds.join(","),
    globalAdmin: hasGlobalAdministrator(roleIds),
    note: extra.note,
    confirmTitle: choice === "keep" ? t.keepRoles : choice === "remove" ? t.remove : t.send,
    confirmStyle: choice === "remove" ? "destructive" : "positive",
    banner: extra.banner,
    simulationLabel: extra.simulationLabel,
  });
}
