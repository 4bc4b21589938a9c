import { z } from "zod";
import { ok } from "../../domain/result.js";
import { menuItems } from "./entries.js";
import type { NoPorts } from "../ports.js";
import { defineRoute, type FeatureContext } from "../types.js";
import { VERBS } from "../verbs.js";

/** `help`, `menu`, and any text the bot does not understand: the main menu. */
export const showMenu = defineRoute({
  verb: VERBS.menu.show,
  schema: z.object({}).strict(),
  async handle(_input, ctx: FeatureContext<NoPorts>) {
    return ok({ card: ctx.card("menu", { items: menuItems(ctx.strings) }) });
  },
});
