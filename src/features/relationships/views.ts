import type { Banner } from "../../cards/models.js";
import { formatMessage } from "../../cards/messages.js";
import type { AdaptiveCardJson } from "../../cards/render.js";
import { LINKS } from "../../cards/links.js";
import type { AuditEvent } from "../../domain/audit.js";
import { waitingForApproval } from "../../domain/microsoftSide.js";
import type { Relationship } from "../../domain/relationship.js";
import type { Versioned } from "../../domain/versioned.js";
import { relationshipTarget } from "../../domain/transitions.js";
import type { ViewContext } from "../types.js";
import { byBreadth, formatDate, formatDateTime, formatMoment, roleModel, simulationLabel, typeNames } from "../cardText.js";

/**
 * A relationship's status as the admin should read it: a GDAP request the customer has not yet approved in the
 * admin center is "waiting for approval", never active, whatever Partner Desk recorded in chat.
 */
export function statusText(relationship: Relationship, ctx: ViewContext): string {
  const s = ctx.strings.partners;
  return waitingForApproval(relationship.microsoft) && relationship.status === "active"
    ? s.waitingForApproval
    : s.statuses[relationship.status];
}

/**
 * Where the roles really stand in Microsoft 365: a GDAP request waiting for the customer's approval (with its
 * approval link), a GDAP relationship in the status Microsoft last gave, or Partner Desk's record only.
 */
export function inMicrosoft(
  relationship: Relationship,
  ctx: ViewContext,
  checkedAt?: string,
): { text: string; linkTitle: string; url: string } {
  const where = whereInMicrosoft(relationship, ctx, checkedAt !== undefined);
  if (checkedAt === undefined) return where;
  const checked = formatMessage(ctx.strings, ctx.strings.gdapSync.checked, { time: formatDateTime(checkedAt, ctx.identity.locale) });
  return { ...where, text: `${where.text} ${checked}` };
}

function whereInMicrosoft(
  relationship: Relationship,
  ctx: ViewContext,
  connected: boolean,
): { text: string; linkTitle: string; url: string } {
  const s = ctx.strings.partners;
  const side = relationship.microsoft;
  if (side && waitingForApproval(side)) return { text: s.gdapWaiting, linkTitle: s.approveInAdminCenter, url: side.approvalLink };
  if (side) {
    const status = (ctx.strings.gdapStatuses as Record<string, string>)[side.status] ?? side.status;
    const text = formatMessage(s, s.gdapStatusNote, { status, date: formatDate(side.syncedAt, ctx.identity.locale) });
    // A simulated relationship is not in Microsoft's admin center: its page in the simulated one is where it is.
    return { text, linkTitle: s.openAdminCenter, url: ctx.microsoftSimulated === true ? side.approvalLink : LINKS.adminCenterPartners };
  }
  // A connected partner just checked with Graph: Microsoft shows it no relationship in effect with this customer.
  return { text: connected ? s.gdapNoneInMicrosoft : s.recordedOnly, linkTitle: s.openAdminCenter, url: LINKS.adminCenterPartners };
}

export function agreementText(relationship: Relationship, ctx: ViewContext): string {
  const s = ctx.strings.partners;
  return relationship.agreement.status === "accepted"
    ? formatMessage(s, s.agreementAccepted, { version: relationship.agreement.version ?? "" })
    : s.agreementMissing;
}

/** The list read before a decision, with the relationship the decision just stored in place of its old row. */
export function withWritten(listed: ReadonlyArray<Versioned<Relationship>>, written: Relationship): Relationship[] {
  return [...listed.map((r) => r.value).filter((r) => r.partnerId !== written.partnerId), written];
}

export function historyOf(events: readonly AuditEvent[], partnerId: string): AuditEvent[] {
  const target = relationshipTarget(partnerId);
  return events.filter((e) => e.target === target || e.target.startsWith(`${target}/`));
}

/** One audit event as a sentence with its moment: "Pat Partner sent an invitation · 29 Nov 2026, 14:02 UTC". */
export function describeEvent(event: AuditEvent, ctx: ViewContext): string {
  const texts = ctx.strings.audit as Record<string, string>;
  // An action this release has no sentence for (a newer release's row) still reads as a sentence, never as a code.
  const template = Object.hasOwn(texts, event.action) ? (texts[event.action] ?? texts["other"]) : ctx.strings.audit.other;
  const sentence = formatMessage(ctx.strings, template ?? ctx.strings.audit.other, { actor: event.actor.name });
  return formatMessage(ctx.strings, ctx.strings.history.line, { sentence, time: formatMoment(event.at, ctx.identity, ctx.strings) });
}

/**
 * One partner: what it is, what it may do and until when, what the agreement says, and what happened; for a
 * connected partner, when Partner Desk last checked it with Microsoft Graph (`checkedAt`).
 */
export function partnerDetailsCard(
  ctx: ViewContext,
  relationship: Relationship,
  history: readonly AuditEvent[],
  banner: Banner | null = null,
  checkedAt?: string,
): AdaptiveCardJson {
  const s = ctx.strings;
  const locale = ctx.identity.locale;
  const r = relationship;
  const live = r.status === "active" || r.status === "terminationRequested";
  const waiting = waitingForApproval(r.microsoft);
  return ctx.card("partnerDetails", {
    banner,
    simulationLabel: simulationLabel(ctx, r.microsoft !== undefined),
    partnerId: r.partnerId,
    name: r.partnerName,
    facts: [
      { title: s.partners.types, value: typeNames(r.types, s) },
      { title: s.partners.status, value: statusText(r, ctx) },
      { title: s.partners.agreement, value: agreementText(r, ctx) },
      { title: s.partners.since, value: formatDate(r.since, locale) },
      { title: s.partners.ends, value: r.endsAt ? formatDate(r.endsAt, locale) : s.common.notSet },
    ],
    roles: [...r.roles]
      .sort((a, b) => byBreadth(a.roleId, b.roleId))
      .flatMap((grant) => {
        const model = roleModel(grant.roleId, s);
        // A role Microsoft has not activated has no end date yet: it is waiting, and says so.
        const expiresText = waiting
          ? s.partners.waitingForApproval.toLowerCase()
          : `${s.common.until} ${formatDate(grant.expiresAt, locale)}`;
        return model ? [{ ...model, expiresText }] : [];
      }),
    history: history.slice(0, 15).map((e) => ({ text: describeEvent(e, ctx) })),
    canRemoveRoles: live && r.roles.length > 0,
    canAcceptAgreement: r.status === "active" && r.agreement.status !== "accepted",
    canEnd: r.status === "active",
    canAskExtension: r.status === "active" || r.status === "expired",
    inMicrosoft: inMicrosoft(r, ctx, checkedAt),
  });
}
