import { z } from "zod";
import { ok } from "../../domain/result.js";
import { authorize } from "../authorize.js";
import { defineRoute } from "../types.js";
import type { RelationshipContext } from "./context.js";
import { VERBS } from "../verbs.js";
import { partnerListCard } from "./views.js";

/** `partners`: every relationship of the tenant with types, roles, agreement status and dates. */
export const listPartners = defineRoute({
  verb: VERBS.relationships.list,
  schema: z.object({}),
  async handle(_input, ctx: RelationshipContext) {
    const denied = await authorize(ctx, "relationship.read");
    if (denied) return denied;
    const relationships = await ctx.ports.relationships.listForTenant(ctx.identity.tenantId);
    return ok({
      card: partnerListCard(
        ctx,
        relationships.map((r) => r.value),
      ),
    });
  },
});
