import { randomBytes } from "node:crypto";
import { formatMessage } from "../../cards/messages.js";
import { z } from "zod";
import type { Banner } from "../../cards/models.js";
import type { Invitation } from "../../domain/invitation.js";
import type { Partner } from "../../domain/partner.js";
import { PARTNER_TYPES, PartnerTypeSchema } from "../../domain/partnerTypes.js";
import { fail, ok } from "../../domain/result.js";
import { ROLE, ROLE_BREADTH, RoleTemplateIdSchema } from "../../domain/roles.js";
import { invitationIdFor, type MicrosoftSide } from "../../domain/microsoftSide.js";
import { MAX_RELATIONSHIP_DAYS } from "../../domain/time.js";
import { DECISION_ERRORS } from "../../domain/decision.js";
import { askProblem, sendInvitation } from "../../domain/transitions.js";
import { decisionContext } from "../decisionContext.js";
import { IdSchema, ListOf, optionalText, TenantIdSchema } from "../inputSchemas.js";
import { formatDate, simulationLabel } from "../cardText.js";
import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext, type Outcome, type ViewContext } from "../types.js";
import { gdapFacts, gdapRefusalBanner, microsoftSideFor } from "./gdapSend.js";
import { actingPartner, linkedToCustomer, PARTNER_ERRORS, type PartnerContext } from "./partnerActor.js";
import { VERBS } from "../verbs.js";

/** `extend`: the answer to a customer's request to extend, prefilled from the relationship it replaces. */
const Target = z.object({ customerTenantId: TenantIdSchema, contactRequestId: IdSchema.optional(), extend: z.boolean().optional() });

/** Sending also reads the partner's connection and asks Microsoft for a connected partner's GDAP request. */
type SendContext = FeatureContext<PartnerContext["ports"] & Pick<Ports, "connections" | "microsoft">>;

interface FormValues {
  types: string[];
  roles: string[];
  durationDays: number;
  message: string;
}

const unknownCustomer = (ctx: ViewContext, tenantId: string): string => `${ctx.strings.partnerSide.unknownCustomer} (${tenantId})`;

async function customerName(ctx: PartnerContext, tenantId: string): Promise<string> {
  return (await ctx.ports.tenantNames.displayName(tenantId)) ?? unknownCustomer(ctx, tenantId);
}

function sentCard(ctx: ViewContext, customer: string, microsoft: MicrosoftSide | undefined, title: string, message: string) {
  return ctx.card("notice", {
    title,
    message: formatMessage(ctx.strings, message, { customer }),
    facts: microsoft ? gdapFacts(ctx, microsoft) : [],
    detailsTitle: "",
    details: "",
    actions: [],
    banner: null,
    simulationLabel: simulationLabel(ctx, microsoft !== undefined),
  });
}

function form(
  ctx: ViewContext,
  customer: string,
  target: z.infer<typeof Target>,
  values: FormValues,
  banner: Banner | null,
  extra: Record<string, unknown> = {},
  bannerFromMicrosoft = false,
) {
  const s = ctx.strings;
  return ctx.card("partnerInvitationForm", {
    title: formatMessage(s, s.partnerSide.formTitle, { customer }),
    typeChoices: PARTNER_TYPES.map((type) => ({ title: s.partnerTypes.types[type].name, value: type })),
    roleChoices: ROLE_BREADTH.map((key) => ({ title: `${s.roles[key].name}: ${s.roles[key].description}`, value: ROLE[key] })),
    types: values.types.join(","),
    roles: values.roles.join(","),
    durationDays: values.durationDays,
    message: values.message,
    data: { ...target, ...extra },
    banner,
    simulationLabel: simulationLabel(ctx, bannerFromMicrosoft),
  });
}

/** "Send invitation" on a contact request: the form (types, roles with a one-line description, duration, message). */
export const partnerInvitationForm = defineRoute({
  verb: VERBS.partnerSide.invitationForm,
  schema: Target,
  async handle(input, ctx: PartnerContext) {
    const partner = await actingPartner(ctx);
    if (!partner.ok) return partner;
    if (!(await linkedToCustomer(ctx, partner.value, input.customerTenantId, input.contactRequestId)))
      return fail(PARTNER_ERRORS.noLink, ctx.strings.partnerSide.noLink);
    const customer = await customerName(ctx, input.customerTenantId);
    const values = input.extend ? await extensionValues(ctx, input.customerTenantId, partner.value.id) : undefined;
    // A new card: the customer's request (its details, its message) stays in the chat above the form.
    return ok({
      card: form(ctx, customer, input, values ?? { types: [], roles: [], durationDays: 180, message: "" }, null),
      asNewCard: { note: ctx.strings.partnerHome.formOpened },
    });
  },
});

/** A new invitation that extends a relationship: its types and roles, and a duration as long as it was (180 days unknown). */
async function extensionValues(ctx: PartnerContext, customerTenantId: string, partnerId: string): Promise<FormValues | undefined> {
  const read = await ctx.ports.relationships.get(customerTenantId, partnerId);
  if (!read) return undefined;
  const r = read.value;
  const days = r.endsAt ? Math.round((Date.parse(r.endsAt) - Date.parse(r.since)) / 86_400_000) : 180;
  const durationDays = Math.min(MAX_RELATIONSHIP_DAYS, Math.max(1, days));
  // The message says what it renews, and makes it a request of its own in Microsoft (the message is part of its key).
  const message = formatMessage(ctx.strings, ctx.strings.extension.invitationMessage, {
    date: formatDate(r.endsAt ?? ctx.now.toISOString(), ctx.identity.locale),
  });
  return { types: r.types, roles: r.roles.map((g) => g.roleId), durationDays, message };
}

/**
 * Creates the invitation in the customer's partition, with its audit event and the notification that brings
 * it to every admin of that tenant who has talked to the bot: one decision.
 */
export const partnerSendInvitation = defineRoute({
  verb: VERBS.partnerSide.sendInvitation,
  schema: Target.extend({
    types: ListOf(PartnerTypeSchema),
    roles: ListOf(RoleTemplateIdSchema),
    durationDays: z.coerce.number().int().optional(),
    message: optionalText(2000),
    globalAdminConfirmed: z.boolean().optional(),
  }),
  async handle(input, ctx: SendContext) {
    const s = ctx.strings;
    const partner = await actingPartner(ctx);
    if (!partner.ok) return partner;
    const target = {
      customerTenantId: input.customerTenantId,
      ...(input.contactRequestId ? { contactRequestId: input.contactRequestId } : {}),
    };
    if (!(await linkedToCustomer(ctx, partner.value, input.customerTenantId, input.contactRequestId)))
      return fail(PARTNER_ERRORS.noLink, s.partnerSide.noLink);
    // Read once: the cards show it (or "a customer"), and Graph gets it as the relationship's customer name.
    const knownName = await ctx.ports.tenantNames.displayName(input.customerTenantId);
    const customer = knownName ?? unknownCustomer(ctx, input.customerTenantId);
    const values = { types: input.types, roles: input.roles, durationDays: input.durationDays ?? 180, message: input.message ?? "" };
    if (input.types.length === 0)
      return ok({ card: form(ctx, customer, target, values, { text: s.partnerSide.typesRequired, style: "attention" }) });
    if (!input.durationDays || input.durationDays < 1 || input.durationDays > MAX_RELATIONSHIP_DAYS)
      return ok({ card: form(ctx, customer, target, values, { text: s.partnerSide.durationInvalid, style: "attention" }) });
    // Before anything is asked of Microsoft: admin roles need a type that gets them (a Reseller gets none).
    if (askProblem({ relationshipTypes: input.types, roles: input.roles }))
      return ok({ card: form(ctx, customer, target, values, { text: s.partnerSide.rolesNeedAdminType, style: "attention" }) });
    if (input.roles.includes(ROLE.globalAdministrator) && !input.globalAdminConfirmed) {
      // Least privilege: one more look before asking for the broadest role.
      return ok({
        card: form(
          ctx,
          customer,
          target,
          values,
          { text: s.partnerSide.globalAdminPicked, style: "warning" },
          { globalAdminConfirmed: true },
        ),
      });
    }
    return send(ctx, partner.value, target, { display: customer, known: knownName }, values, {
      relationshipTypes: input.types,
      roles: input.roles,
      durationDays: input.durationDays,
      message: input.message,
      globalAdminConfirmed: input.globalAdminConfirmed,
    });
  },
});

type Asked = Pick<Invitation, "relationshipTypes" | "roles" | "durationDays"> & {
  message: string | undefined;
  globalAdminConfirmed: boolean | undefined;
};

/**
 * Microsoft first (a connected partner's GDAP request, created and locked), then the invitation, with its
 * audit event and the notification that brings it to every admin of the customer who talks to the bot: one
 * decision in the customer's partition. A refusal from Microsoft stores nothing and shows the form again with
 * what happened. A GDAP invitation's id comes from its relationship, so a second press stores nothing new.
 */
async function send(
  ctx: SendContext,
  partner: Partner,
  target: z.infer<typeof Target>,
  names: { display: string; known: string | undefined },
  values: FormValues,
  input: Asked,
): Promise<Outcome> {
  const customer = names.display;
  const s = ctx.strings;
  const asked = {
    relationshipTypes: input.relationshipTypes,
    roles: input.roles,
    durationDays: input.durationDays,
    message: input.message ?? "",
  };
  const side = await microsoftSideFor(ctx, partner, { tenantId: target.customerTenantId, name: names.known }, asked);
  if (!side.ok) {
    // The same form again, Global administrator still confirmed: pressing Send again retries the same request.
    const extra = input.globalAdminConfirmed ? { globalAdminConfirmed: true } : {};
    return ok({ card: form(ctx, customer, target, values, gdapRefusalBanner(ctx, side), extra, true) });
  }
  const microsoft = side.value;
  // The decision belongs to the customer's partition; the actor is the partner contact.
  const sent = sendInvitation(
    {
      id: microsoft ? invitationIdFor(microsoft.relationshipId) : `inv-${randomBytes(6).toString("hex")}`,
      partner: { id: partner.id, name: partner.name },
      ...asked,
      ...(microsoft ? { microsoft } : {}),
    },
    { ...decisionContext(ctx), tenantId: target.customerTenantId },
  );
  if (!sent.ok) return ok({ card: form(ctx, customer, target, values, { text: s.partnerSide.rolesNeedAdminType, style: "attention" }) });
  const committed = await ctx.ports.decisions.commit(sent.value.decision);
  if (!committed.ok && microsoft)
    return ok({ card: sentCard(ctx, customer, microsoft, s.partnerSide.alreadySentTitle, s.partnerSide.alreadySent) });
  if (!committed.ok) return fail(DECISION_ERRORS.conflict, s.errors.conflict);
  return ok({ card: sentCard(ctx, customer, microsoft, s.partnerSide.sentTitle, microsoft ? s.partnerSide.sentGdap : s.partnerSide.sent) });
}
