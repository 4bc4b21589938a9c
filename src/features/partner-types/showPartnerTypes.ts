import { z } from "zod";
import { ADMIN_PARTNER_TYPES, PARTNER_TYPES } from "../../domain/partnerTypes.js";
import { ok } from "../../domain/result.js";
import type { NoPorts } from "../ports.js";
import { defineRoute, type FeatureContext } from "../types.js";
import { VERBS } from "../verbs.js";

/** The seven partner types and what each may do; readable by anyone in the tenant. */
export const showPartnerTypes = defineRoute({
  verb: VERBS.partnerTypes.show,
  schema: z.object({}).strict(),
  async handle(_input, ctx: FeatureContext<NoPorts>) {
    const types = PARTNER_TYPES.map((type) => ({
      type,
      name: ctx.strings.partnerTypes.types[type].name,
      description: ctx.strings.partnerTypes.types[type].description,
      adminRoles: ADMIN_PARTNER_TYPES.has(type),
    }));
    return ok({ card: ctx.card("partnerTypes", { types }) });
  },
});
