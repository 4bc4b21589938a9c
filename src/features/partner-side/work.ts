import { z } from "zod";
import { formatMessage } from "../../cards/messages.js";
import type { ActionModel, Fact } from "../../cards/models.js";
import type { AdaptiveCardJson } from "../../cards/render.js";
import type { ContactRequest } from "../../domain/contactRequest.js";
import type { Invitation } from "../../domain/invitation.js";
import { waitingForApproval } from "../../domain/microsoftSide.js";
import type { Partner } from "../../domain/partner.js";
import type { Relationship } from "../../domain/relationship.js";
import { ok } from "../../domain/result.js";
import { isExpired } from "../../domain/transitions.js";
import { collatorFor, formatDate, formatMoment, roleNames, typeNames } from "../cardText.js";
import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext, type Outcome, type ViewContext } from "../types.js";
import { VERBS } from "../verbs.js";
import { actingPartner } from "./partnerActor.js";

/** A partner contact's views read the directory (who they speak for), their work across customers, and names. */
export type PartnerWorkContext = FeatureContext<Pick<Ports, "partners" | "partnerWork" | "tenantNames">>;
export type PartnerView = "requests" | "invitations" | "customers";

/** Rows per view: the newest first; a row is at most about 1 KB (long messages are shortened), so the card stays small. */
export const PARTNER_VIEW_ROWS = 15;
/** A customer's message in the list; the full text is in the request's own card. */
const MESSAGE_PREVIEW = 280;

const preview = (text: string): string => (text.length > MESSAGE_PREVIEW ? `${text.slice(0, MESSAGE_PREVIEW - 1).trimEnd()}…` : text);

/** The names partners see for these customer tenants (or "A customer (tenant id)"), read once per tenant. */
async function customerNames(ctx: PartnerWorkContext, tenantIds: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(tenantIds)];
  const names = await Promise.all(unique.map((id) => ctx.ports.tenantNames.displayName(id)));
  return new Map(unique.map((id, i) => [id, names[i] ?? `${ctx.strings.partnerSide.unknownCustomer} (${id})`]));
}

/** `more`: newer-first lists say only that older rows are left out; the customers say how many there are. */
function card(
  ctx: ViewContext,
  texts: { title: string; intro: string; none: string },
  rows: Array<{ title: string; facts: Fact[]; details: string; actions: ActionModel[] }>,
  more: boolean | { total: number },
): AdaptiveCardJson {
  const h = ctx.strings.partnerHome;
  const left = typeof more === "object" ? more.total > rows.length : more;
  const note = !left
    ? ""
    : typeof more === "object"
      ? formatMessage(h, h.firstOnly, { count: rows.length, total: more.total })
      : formatMessage(h, h.latestOnly, { count: PARTNER_VIEW_ROWS });
  return ctx.card("partnerWork", { title: texts.title, intro: texts.intro, noneText: rows.length === 0 ? texts.none : "", note, rows });
}

function requestRow(ctx: ViewContext, request: ContactRequest, customer: string) {
  const s = ctx.strings;
  const facts: Fact[] = [
    { title: s.partnerHome.organization, value: request.requester.organization ?? customer },
    { title: s.partnerSide.contactPerson, value: request.requester.name },
  ];
  if (request.requester.email) facts.push({ title: s.partnerSide.email, value: request.requester.email });
  if (request.requester.phone) facts.push({ title: s.partnerSide.phone, value: request.requester.phone });
  facts.push({ title: s.partnerHome.received, value: formatMoment(request.createdAt, ctx.identity, s) });
  return {
    title: request.requester.organization ?? customer,
    facts,
    details: preview(request.businessNeeds),
    actions: [
      {
        title: s.partnerSide.sendInvitation,
        verb: VERBS.partnerSide.invitationForm,
        data: { customerTenantId: request.tenantId, contactRequestId: request.id },
      },
    ],
  };
}

function invitationRow(ctx: ViewContext, invitation: Invitation, customer: string) {
  const s = ctx.strings;
  const now = ctx.now.toISOString();
  const status =
    invitation.status === "pending" && isExpired(invitation, now)
      ? s.invitations.statuses.expired
      : invitation.status === "accepted" && waitingForApproval(invitation.microsoft)
        ? `${s.invitations.statuses.accepted} · ${s.partners.waitingForApproval}`
        : s.invitations.statuses[invitation.status];
  const facts: Fact[] = [
    { title: s.partnerHome.status, value: status },
    { title: s.partnerHome.types, value: typeNames(invitation.relationshipTypes, s) },
    { title: s.partnerHome.roles, value: roleNames(invitation.roles, s) },
    { title: s.partnerHome.sent, value: formatMoment(invitation.createdAt, ctx.identity, s) },
  ];
  if (invitation.decidedAt)
    facts.push({
      title: s.partnerHome.decided,
      value: formatMessage(s, s.partnerHome.decidedValue, {
        date: formatMoment(invitation.decidedAt, ctx.identity, s),
        by: invitation.decidedBy?.name ?? s.common.notSet,
      }),
    });
  else if (invitation.status === "pending")
    facts.push({ title: s.partnerHome.expires, value: formatDate(invitation.expiresAt, ctx.identity.locale) });
  return { title: customer, facts, details: invitation.declineReason ?? "", actions: [] };
}

function customerRow(ctx: ViewContext, relationship: Relationship, customer: string) {
  const s = ctx.strings;
  const waiting = waitingForApproval(relationship.microsoft) && relationship.status === "active";
  return {
    title: customer,
    facts: [
      { title: s.partnerHome.status, value: waiting ? s.partners.waitingForApproval : s.partners.statuses[relationship.status] },
      { title: s.partnerHome.types, value: typeNames(relationship.types, s) },
      {
        title: s.partnerHome.roles,
        value: roleNames(
          relationship.roles.map((g) => g.roleId),
          s,
        ),
      },
      {
        title: s.partnerHome.agreement,
        value:
          relationship.agreement.status === "accepted"
            ? formatMessage(s, s.partnerHome.agreementAccepted, { version: relationship.agreement.version ?? "" })
            : s.partnerHome.agreementMissing,
      },
      { title: s.partnerHome.ends, value: relationship.endsAt ? formatDate(relationship.endsAt, ctx.identity.locale) : s.common.notSet },
    ],
    details: "",
    actions: [],
  };
}

const LIVE_FIRST: Record<Relationship["status"], number> = { active: 0, terminationRequested: 1, expired: 2, terminated: 3 };

/** One of the partner contact's views, for the partner they speak for. */
export async function partnerViewCard(ctx: PartnerWorkContext, partner: Partner, view: PartnerView): Promise<AdaptiveCardJson> {
  const h = ctx.strings.partnerHome;
  const name = { partner: partner.name };
  if (view === "requests") {
    const requests = await ctx.ports.partnerWork.contactRequestsFor(partner.id, PARTNER_VIEW_ROWS + 1);
    const shown = requests.slice(0, PARTNER_VIEW_ROWS);
    const names = await customerNames(
      ctx,
      shown.map((r) => r.tenantId),
    );
    const texts = { title: h.requestsTitle, intro: formatMessage(h, h.requestsIntro, name), none: formatMessage(h, h.requestsNone, name) };
    return card(
      ctx,
      texts,
      shown.map((r) => requestRow(ctx, r, names.get(r.tenantId) ?? "")),
      requests.length > PARTNER_VIEW_ROWS,
    );
  }
  if (view === "invitations") {
    const invitations = await ctx.ports.partnerWork.invitationsFrom(partner.id, PARTNER_VIEW_ROWS + 1);
    const shown = invitations.slice(0, PARTNER_VIEW_ROWS);
    const names = await customerNames(
      ctx,
      shown.map((i) => i.tenantId),
    );
    const texts = {
      title: h.invitationsTitle,
      intro: formatMessage(h, h.invitationsIntro, name),
      none: formatMessage(h, h.invitationsNone, name),
    };
    return card(
      ctx,
      texts,
      shown.map((i) => invitationRow(ctx, i, names.get(i.tenantId) ?? "")),
      invitations.length > PARTNER_VIEW_ROWS,
    );
  }
  const relationships = await ctx.ports.partnerWork.relationshipsOf(partner.id);
  const names = await customerNames(
    ctx,
    relationships.map((r) => r.tenantId),
  );
  const byName = collatorFor(ctx.identity.locale);
  const sorted = [...relationships].sort(
    (a, b) => LIVE_FIRST[a.status] - LIVE_FIRST[b.status] || byName.compare(names.get(a.tenantId) ?? "", names.get(b.tenantId) ?? ""),
  );
  const shown = sorted.slice(0, PARTNER_VIEW_ROWS);
  const texts = { title: h.customersTitle, intro: formatMessage(h, h.customersIntro, name), none: formatMessage(h, h.customersNone, name) };
  return card(
    ctx,
    texts,
    shown.map((r) => customerRow(ctx, r, names.get(r.tenantId) ?? "")),
    { total: sorted.length },
  );
}

function viewRoute<V extends PartnerView>(verb: (typeof VERBS.partnerSide)[V], view: V) {
  return defineRoute({
    verb,
    schema: z.object({}),
    async handle(_input, ctx: PartnerWorkContext): Promise<Outcome> {
      const partner = await actingPartner(ctx);
      if (!partner.ok) return partner;
      return ok({ card: await partnerViewCard(ctx, partner.value, view) });
    },
  });
}

/** `requests`: customers who asked to hear from the partner, with their details and Send invitation. */
export const partnerRequests = viewRoute(VERBS.partnerSide.requests, "requests");
/** `invitations` (typed by a partner contact): what the partner sent and where each stands. */
export const partnerInvitations = viewRoute(VERBS.partnerSide.invitations, "invitations");
/** `customers`: the partner's relationships with their status, roles and end date. */
export const partnerCustomers = viewRoute(VERBS.partnerSide.customers, "customers");
