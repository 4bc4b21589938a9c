import { z } from "zod";
import { ok } from "../../domain/result.js";
import { authorize } from "../authorize.js";
import { ToggleSchema } from "../inputSchemas.js";
import { defineRoute } from "../types.js";
import type { RelationshipContext } from "./context.js";
import { VERBS } from "../verbs.js";
import { partnerListCard } from "./partnerList.js";
import { partnerOfActor } from "../partner-side/home.js";
import { partnerViewCard, type PartnerWorkContext } from "../partner-side/work.js";

/**
 * Which page the paging buttons ask for: absent (typed `partners`, the menu, an older card's button) is the first
 * page of current relationships. A page past the end shows the last one.
 */
const ListPage = z.object({
  page: z.coerce.number().int().min(0).max(10_000).optional(),
  showEnded: ToggleSchema,
});

/** `partners`: the tenant's relationships with types, roles, agreement status, dates and risks, a page at a time. */
export const listPartners = defineRoute({
  verb: VERBS.relationships.list,
  schema: ListPage,
  async handle(input, ctx: RelationshipContext & PartnerWorkContext) {
    // A partner's contact typing `partners` means the partner's customers.
    const partner = await partnerOfActor(ctx);
    if (partner) return ok({ card: await partnerViewCard(ctx, partner, "customers") });
    const denied = await authorize(ctx, "relationship.read");
    if (denied) return denied;
    const relationships = await ctx.ports.relationships.listForTenant(ctx.identity.tenantId);
    return ok({
      card: partnerListCard(
        ctx,
        relationships.map((r) => r.value),
        null,
        { page: input.page ?? 0, showEnded: input.showEnded },
      ),
    });
  },
});
