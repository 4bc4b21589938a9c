import { z } from "zod";
import { ok } from "../../domain/result.js";
import { whomToAsk } from "../authorize.js";
import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext } from "../types.js";
import { VERBS } from "../verbs.js";
import { permittedMenu } from "./permitted.js";

/**
 * `help`, `menu`, and any text the bot does not understand: the main menu, with only what the user may do. A user
 * without an admin role reads in one line why the rest is missing and whom to ask, before pressing anything.
 */
export const showMenu = defineRoute({
  verb: VERBS.menu.show,
  schema: z.object({}).strict(),
  async handle(_input, ctx: FeatureContext<Pick<Ports, "roleHolders">>) {
    const { items, withheld } = permittedMenu(ctx.strings, ctx.identity, await ctx.roles());
    const note = withheld ? `${ctx.strings.errors.menuOnlyAdmins} ${await whomToAsk(ctx)}` : "";
    return ok({ card: ctx.card("menu", { items, note }) });
  },
});
