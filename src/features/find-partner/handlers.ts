import { randomBytes } from "node:crypto";
import { formatMessage } from "../../cards/messages.js";
import { z } from "zod";
import type { Banner, FindQuery } from "../../cards/models.js";
import { OrganizationSizeSchema, type Partner } from "../../domain/partner.js";
import { DECISION_ERRORS } from "../../domain/decision.js";
import { fail, ok } from "../../domain/result.js";
import { sendContactRequest } from "../../domain/transitions.js";
import { decisionContext } from "../decisionContext.js";
import { authorize } from "../authorize.js";
import { IdSchema, optionalText } from "../inputSchemas.js";
import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext, type Outcome, type ViewContext } from "../types.js";

/** Finding a partner reads the directory (and the name partners see for this customer); contacting decides. */
type FindPartnerContext = FeatureContext<Pick<Ports, "partners" | "tenantNames" | "roleHolders" | "decisions">>;
import { VERBS } from "../verbs.js";
import { ANY_SIZE, resultsCard, searchFormCard } from "./views.js";

/** The most partners one request may go to: keeps the transaction (1 + 1 + n rows) and the partners' inboxes sane. */
export const MAX_PARTNERS_PER_REQUEST = 20;
export const MAX_BUSINESS_NEEDS = 4_000;

const QuerySchema = z.object({
  location: optionalText(100),
  size: z
    .string()
    .optional()
    .transform((v) => (v === ANY_SIZE || v === "" ? undefined : v))
    .pipe(OrganizationSizeSchema.optional()),
  keywords: optionalText(200),
});

/** "a,b" (a multi-select choice set's answer) or a list -> distinct ids, each checked. */
const IdListSchema = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v : (v ?? "").split(",")).map((id) => id.trim()).filter(Boolean))
  // Generous here (the body cap bounds it); the handlers say "at most 20" in words instead of a generic refusal.
  .pipe(z.array(IdSchema).max(5_000))
  .transform((ids) => [...new Set(ids)]);

/** Each partner's toggle on the results card answers under `pick.<partnerId>` ("true" when ticked). */
export const PICK_PREFIX = "pick.";

/** Adds the ticked toggles' partners to `selected`, which the ids schema then checks like any other id. */
function gatherPicks(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const record = raw as Record<string, unknown>;
  const picked = Object.entries(record)
    .filter(([key, value]) => key.startsWith(PICK_PREFIX) && (value === true || value === "true"))
    .map(([key]) => key.slice(PICK_PREFIX.length));
  if (picked.length === 0) return raw;
  const given = record["selected"];
  const selected: unknown[] = Array.isArray(given) ? (given as unknown[]) : typeof given === "string" ? given.split(",") : [];
  return { ...record, selected: [...selected, ...picked] };
}

const toFindQuery = (q: z.infer<typeof QuerySchema>): FindQuery => ({
  location: q.location ?? "",
  size: q.size ?? "",
  keywords: q.keywords ?? "",
});

async function resultsPage(
  ctx: FindPartnerContext,
  query: z.infer<typeof QuerySchema>,
  page: number,
  selected: Set<string>,
  banner: Banner | null = null,
): Promise<Outcome> {
  const found = await ctx.ports.partners.search({ ...query, page });
  if (found.total === 0)
    return ok({
      card: searchFormCard(ctx, toFindQuery(query), {
        text: `${ctx.strings.findPartner.noResultsTitle}. ${ctx.strings.findPartner.noResults}`,
        style: "warning",
      }),
    });
  return ok({ card: resultsCard(ctx, toFindQuery(query), found, selected, banner) });
}

/** `find partner`: location, organization size and keywords. */
export const startFindPartner = defineRoute({
  verb: VERBS.findPartner.start,
  schema: QuerySchema,
  async handle(input, ctx: FindPartnerContext) {
    return ok({ card: searchFormCard(ctx, toFindQuery(input)) });
  },
});

/** Ranked, paged results; the directory is public, so searching needs no role. */
export const searchPartners = defineRoute({
  verb: VERBS.findPartner.search,
  schema: z.preprocess(
    gatherPicks,
    QuerySchema.extend({ page: z.coerce.number().int().min(0).max(1000).default(0), selected: IdListSchema, carried: IdListSchema }),
  ),
  async handle(input, ctx: FindPartnerContext) {
    return resultsPage(ctx, input, input.page, new Set([...input.carried, ...input.selected]));
  },
});

const ContactFormSchema = z.preprocess(
  gatherPicks,
  QuerySchema.extend({
    page: z.coerce.number().int().min(0).max(1000).default(0),
    selected: IdListSchema,
    carried: IdListSchema,
  }),
);

interface ContactValues {
  businessNeeds?: string | undefined;
  organization?: string | undefined;
  contactName?: string | undefined;
  contactEmail?: string | undefined;
  contactPhone?: string | undefined;
}

function contactForm(
  ctx: ViewContext,
  partners: readonly Partner[],
  back: Record<string, unknown>,
  values: ContactValues,
  banner: Banner | null = null,
) {
  return ctx.card("contactForm", {
    banner,
    partners: partners.map((p) => ({ name: p.name })),
    partnerIds: partners.map((p) => p.id).join(","),
    businessNeeds: values.businessNeeds ?? "",
    organization: values.organization ?? "",
    contactName: values.contactName ?? ctx.identity.name,
    contactEmail: values.contactEmail ?? "",
    contactPhone: values.contactPhone ?? "",
    backToResults: back,
  });
}

async function partnersById(ctx: FindPartnerContext, ids: readonly string[]): Promise<{ found: Partner[]; missing: string[] }> {
  const looked = await Promise.all(ids.map(async (id) => [id, await ctx.ports.partners.get(id)] as const));
  return { found: looked.flatMap(([, p]) => (p ? [p] : [])), missing: looked.filter(([, p]) => !p).map(([id]) => id) };
}

/** "Contact selected providers" -> the form: business needs (required) and contact details prefilled. */
export const openContactForm = defineRoute({
  verb: VERBS.findPartner.contactForm,
  schema: ContactFormSchema,
  async handle(input, ctx: FindPartnerContext) {
    const denied = await authorize(ctx, "directory.contact");
    if (denied) return denied;
    const s = ctx.strings.findPartner;
    const ids = [...new Set([...input.carried, ...input.selected])];
    if (ids.length === 0) return resultsPage(ctx, input, input.page, new Set(), { text: s.selectAtLeastOne, style: "attention" });
    if (ids.length > MAX_PARTNERS_PER_REQUEST)
      return resultsPage(ctx, input, input.page, new Set(), {
        text: formatMessage(ctx.strings, ctx.strings.findPartner.tooMany, { max: MAX_PARTNERS_PER_REQUEST }),
        style: "attention",
      });
    const { found } = await partnersById(ctx, ids);
    if (found.length === 0) return resultsPage(ctx, input, input.page, new Set(), { text: s.unknownPartners, style: "warning" });
    const back = {
      location: input.location ?? "",
      size: input.size ?? "",
      keywords: input.keywords ?? "",
      page: input.page,
      carried: found.map((p) => p.id).join(","),
    };
    const organization = await ctx.ports.tenantNames.displayName(ctx.identity.tenantId);
    return ok({ card: contactForm(ctx, found, back, { organization }) });
  },
});

const EmailSchema = z.email();

/** "Send": stores the contact request and queues one notification per partner, together; shows a reference. */
export const sendContact = defineRoute({
  verb: VERBS.findPartner.send,
  schema: z.object({
    partnerIds: IdListSchema,
    // Accepted long so the answer can say what the limit is; checked against MAX_BUSINESS_NEEDS below.
    businessNeeds: optionalText(400_000),
    organization: optionalText(200),
    contactName: optionalText(200),
    contactEmail: optionalText(200),
    contactPhone: optionalText(50),
  }),
  async handle(input, ctx: FindPartnerContext) {
    const denied = await authorize(ctx, "directory.contact");
    if (denied) return denied;
    const s = ctx.strings.findPartner;
    if (input.partnerIds.length > MAX_PARTNERS_PER_REQUEST) {
      // Never cut the list silently: the admin chose these partners, and nothing is sent until they choose again.
      return ok({
        card: searchFormCard(
          ctx,
          { location: "", size: "", keywords: "" },
          { text: formatMessage(s, s.tooMany, { max: MAX_PARTNERS_PER_REQUEST }), style: "attention" },
        ),
      });
    }
    const { found, missing } = await partnersById(ctx, input.partnerIds);
    const back = { location: "", size: "", keywords: "", page: 0, carried: found.map((p) => p.id).join(",") };
    if (found.length === 0 || missing.length > 0) {
      return ok({ card: searchFormCard(ctx, { location: "", size: "", keywords: "" }, { text: s.unknownPartners, style: "warning" }) });
    }
    if (!input.businessNeeds)
      return ok({ card: contactForm(ctx, found, back, input, { text: s.businessNeedsRequired, style: "attention" }) });
    if (input.businessNeeds.length > MAX_BUSINESS_NEEDS) {
      const kept = { ...input, businessNeeds: input.businessNeeds.slice(0, MAX_BUSINESS_NEEDS) };
      return ok({
        card: contactForm(ctx, found, back, kept, {
          text: formatMessage(s, s.businessNeedsTooLong, { max: MAX_BUSINESS_NEEDS }),
          style: "attention",
        }),
      });
    }
    if (input.contactEmail && !EmailSchema.safeParse(input.contactEmail).success) {
      return ok({ card: contactForm(ctx, found, back, input, { text: s.invalidEmail, style: "attention" }) });
    }
    const id = `CR-${randomBytes(5).toString("hex").toUpperCase()}`;
    const requester = {
      userId: ctx.identity.userId,
      name: input.contactName ?? ctx.identity.name,
      ...(input.organization ? { organization: input.organization } : {}),
      ...(input.contactEmail ? { email: input.contactEmail } : {}),
      ...(input.contactPhone ? { phone: input.contactPhone } : {}),
    };
    const sent = sendContactRequest(
      id,
      found.map((p) => p.id),
      input.businessNeeds,
      requester,
      decisionContext(ctx),
    );
    // The request, its audit event, a notification per partner and the name partners see: one decision.
    const committed = await ctx.ports.decisions.commit(sent.decision);
    if (!committed.ok) return fail(DECISION_ERRORS.conflict, ctx.strings.errors.conflict);
    return ok({
      card: ctx.card("notice", {
        banner: null,
        simulationLabel: "",
        title: s.sentTitle,
        message: formatMessage(s, s.sent, { count: found.length }),
        facts: [
          { title: s.reference, value: id },
          { title: ctx.strings.invitations.from, value: requester.name },
          ...found.map((p, i) => ({ title: i === 0 ? s.formSelected : "", value: p.name })),
        ],
        detailsTitle: "",
        details: "",
        actions: [
          { title: s.newSearch, verb: VERBS.findPartner.start, data: {} },
          { title: ctx.strings.common.menu, verb: VERBS.menu.show, data: {} },
        ],
      }),
    });
  },
});
