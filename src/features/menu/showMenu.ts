import { z } from "zod";
import { ok } from "../../domain/result.js";
import { partnerHomeCard, partnerOfActor } from "../partner-side/home.js";
import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext } from "../types.js";
import { VERBS } from "../verbs.js";
import { customerMenu } from "./permitted.js";

/**
 * `help`, `menu`, and any text the bot does not understand: the main menu of the person asking. A partner's contact
 * gets the partner's (requests, invitations sent, customers, connection). Everyone else gets the customer's, with
 * only what the user may do: a user without an admin role reads in one line why the rest is missing and whom to ask.
 */
export const showMenu = defineRoute({
  verb: VERBS.menu.show,
  schema: z.object({}).strict(),
  async handle(_input, ctx: FeatureContext<Pick<Ports, "roleHolders" | "partners">>) {
    const partner = await partnerOfActor(ctx);
    if (partner) return ok({ card: partnerHomeCard(ctx, partner, "menu") });
    return ok({ card: ctx.card("menu", await customerMenu(ctx)) });
  },
});
