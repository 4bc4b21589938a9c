import type { Banner } from "../../cards/models.js";
import { formatMessage } from "../../cards/messages.js";
import type { AdaptiveCardJson } from "../../cards/render.js";
import { waitingForApproval } from "../../domain/microsoftSide.js";
import type { Relationship } from "../../domain/relationship.js";
import { ROLE } from "../../domain/roles.js";
import { addDays } from "../../domain/time.js";
import type { ViewContext } from "../types.js";
import { collatorFor, formatDate, formatNumber, roleNames, simulationLabel, typeNames } from "../cardText.js";
import { agreementText, statusText } from "./views.js";

/**
 * Rows per page. A row is about 1.2 KB of card JSON, so ten keep the card near 15 KB, well under Teams' limit
 * (about 28 KB for a card), whatever the tenant's partners are called.
 */
export const PARTNER_PAGE_SIZE = 10;

/** A relationship ending this close is flagged, so an admin renews or lets it go on purpose. */
export const ENDING_SOON_DAYS = 30;

/**
 * Which slice of the list the card shows: the page (0-based) and whether ended relationships are listed; or, after a
 * decision about one partner, the page that lists it (`focus`), so the banner and the row it speaks of are seen together.
 */
export interface PartnerListView {
  page: number;
  showEnded: boolean;
  focus?: string;
}
export const FIRST_PAGE: PartnerListView = { page: 0, showEnded: false };

const isEnded = (r: Relationship): boolean => r.status === "terminated" || r.status === "expired";

/** What an admin should look at first in a relationship: the broadest role, a missing agreement, an end close by. */
export function riskFlags(r: Relationship, ctx: ViewContext): string[] {
  if (isEnded(r)) return [];
  const s = ctx.strings.partners;
  const flags: string[] = [];
  if (r.roles.some((g) => g.roleId.toLowerCase() === ROLE.globalAdministrator)) flags.push(s.riskGlobalAdmin);
  if (r.status === "active" && r.agreement.status !== "accepted") flags.push(s.riskAgreement);
  const now = ctx.now.toISOString();
  if (r.endsAt && r.endsAt > now && r.endsAt <= addDays(now, ENDING_SOON_DAYS))
    flags.push(formatMessage(s, s.riskEnding, { date: formatDate(r.endsAt, ctx.identity.locale) }));
  return flags;
}

function rolesText(relationship: Relationship, ctx: ViewContext): string {
  const names = roleNames(
    relationship.roles.map((g) => g.roleId),
    ctx.strings,
  );
  return waitingForApproval(relationship.microsoft) && relationship.roles.length > 0
    ? formatMessage(ctx.strings, ctx.strings.partners.rolesWaiting, { roles: names })
    : names;
}

/**
 * The tenant's relationships, one page at a time, by name: current ones by default, ended ones on request, each
 * row flagged with its risks. A page past the end (the list shrank since the card was sent) shows the last one.
 */
export function partnerListCard(
  ctx: ViewContext,
  relationships: readonly Relationship[],
  banner: Banner | null = null,
  view: PartnerListView = FIRST_PAGE,
): AdaptiveCardJson {
  const s = ctx.strings;
  const locale = ctx.identity.locale;
  const byName = collatorFor(locale);
  const endedCount = relationships.filter(isEnded).length;
  const listed = relationships.filter((r) => view.showEnded || !isEnded(r)).sort((a, b) => byName.compare(a.partnerName, b.partnerName));
  const pages = Math.max(1, Math.ceil(listed.length / PARTNER_PAGE_SIZE));
  const focused = view.focus === undefined ? -1 : listed.findIndex((r) => r.partnerId === view.focus);
  const wanted = focused >= 0 ? Math.floor(focused / PARTNER_PAGE_SIZE) : view.page;
  const page = Math.min(Math.max(0, wanted), pages - 1);
  const shown = listed.slice(page * PARTNER_PAGE_SIZE, (page + 1) * PARTNER_PAGE_SIZE);
  const number = (n: number) => formatNumber(n, locale);
  return ctx.card("partnerList", {
    banner,
    simulationLabel: simulationLabel(
      ctx,
      shown.some((r) => r.microsoft !== undefined),
    ),
    partners: shown.map((r) => ({
      partnerId: r.partnerId,
      name: r.partnerName,
      typesText: typeNames(r.types, s),
      rolesText: rolesText(r, ctx),
      agreementText: agreementText(r, ctx),
      agreementMissing: r.agreement.status !== "accepted" && r.status === "active",
      statusText: statusText(r, ctx),
      sinceText: formatDate(r.since, locale),
      endsText: r.endsAt ? formatDate(r.endsAt, locale) : s.common.notSet,
      approvalUrl: r.microsoft && waitingForApproval(r.microsoft) ? r.microsoft.approvalLink : "",
      riskText: riskFlags(r, ctx).join(" · "),
    })),
    noneText: relationships.length === 0 ? s.partners.none : listed.length === 0 ? s.partners.noneCurrent : "",
    showingText:
      listed.length > PARTNER_PAGE_SIZE
        ? formatMessage(s, s.partners.showing, {
            from: number(page * PARTNER_PAGE_SIZE + 1),
            to: number(page * PARTNER_PAGE_SIZE + shown.length),
            total: number(listed.length),
          })
        : "",
    menuMode: pages > 1 ? "secondary" : "primary",
    previous: page > 0 ? { page: page - 1, showEnded: view.showEnded } : null,
    next: page < pages - 1 ? { page: page + 1, showEnded: view.showEnded } : null,
    endedToggle:
      endedCount === 0
        ? null
        : view.showEnded
          ? { title: s.partners.hideEnded, page: 0, showEnded: false }
          : { title: formatMessage(s, s.partners.showEnded, { count: number(endedCount) }), page: 0, showEnded: true },
  });
}
