import { formatMessage } from "../../cards/messages.js";
import type { AdaptiveCardJson } from "../../cards/render.js";
import type { Strings } from "../../cards/strings.js";
import type { Notification } from "../../domain/notification.js";
import { NotificationSourceMissing } from "../../outbox/ports.js";
import { formatDate } from "../cardText.js";
import type { Ports } from "../ports.js";
import type { ViewContext } from "../types.js";
import { reviewCard } from "./views.js";

/** What the review's notification cards read: the review, and which admins' cards Teams refreshes. */
export type ReviewCardSources = Partial<Pick<Ports, "accessReviews">> & Pick<Ports, "adminAudience">;

/**
 * An admin's review card as it is now: sent when the review starts, as the reminder, and in place of both after
 * every decision. The reminder says so at the top; a refresh shows the review as it is.
 */
export async function reviewNotificationCard(n: Notification, sources: ReviewCardSources, view: ViewContext): Promise<AdaptiveCardJson> {
  const reviewId = typeof n.payload["reviewId"] === "string" ? n.payload["reviewId"] : "";
  const [read, adminIds] = await Promise.all([
    sources.accessReviews?.get(n.tenantId, reviewId),
    sources.adminAudience.teamsAdminIds(n.tenantId),
  ]);
  if (!read) throw new NotificationSourceMissing(`access review ${reviewId} is gone`);
  const s = view.strings.accessReview;
  const reminder =
    n.type === "accessReviewReminder" && read.value.status === "open"
      ? { text: formatMessage(s, s.reminder, { date: formatDate(read.value.startedAt, view.identity.locale) }), style: "accent" as const }
      : null;
  return reviewCard(view, read.value, adminIds, reminder);
}

/** The partner's card: a customer reviewing access asks it to get in touch, with the admin's message if any. */
export function reviewContactCard(
  n: Notification,
  s: Strings,
  customer: string,
  notice: (title: string, message: string, options?: { detailsTitle?: string; details?: string }) => AdaptiveCardJson,
): AdaptiveCardJson {
  const message = typeof n.payload["message"] === "string" ? n.payload["message"] : "";
  const t = s.accessReview;
  return notice(
    formatMessage(s, t.partnerTitle, { customer }),
    formatMessage(s, t.partnerMessage, { customer }),
    message ? { detailsTitle: t.theirMessage, details: message } : {},
  );
}
