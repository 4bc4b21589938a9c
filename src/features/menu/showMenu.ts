import { z } from "zod";
import { ok } from "../../domain/result.js";
import { partnerHomeCard, partnerOfActor } from "../partner-side/home.js";
import { menuItems } from "./entries.js";
import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext } from "../types.js";
import { VERBS } from "../verbs.js";

/**
 * `help`, `menu`, and any text the bot does not understand: the main menu of the person asking. A partner's contact
 * gets the partner's (requests, invitations sent, customers, connection); everyone else the customer's.
 */
export const showMenu = defineRoute({
  verb: VERBS.menu.show,
  schema: z.object({}).strict(),
  async handle(_input, ctx: FeatureContext<Pick<Ports, "partners">>) {
    const partner = await partnerOfActor(ctx);
    if (partner) return ok({ card: partnerHomeCard(ctx, partner, "menu") });
    return ok({ card: ctx.card("menu", { items: menuItems(ctx.strings) }) });
  },
});
