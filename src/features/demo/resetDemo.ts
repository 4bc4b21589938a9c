import { z } from "zod";
import { ok } from "../../domain/result.js";
import { fill } from "../cardText.js";
import { menuItems } from "../menu/entries.js";
import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext } from "../types.js";
import { VERBS } from "../verbs.js";

/**
 * `reset demo`: the local demo back to its seeded story, so the journey can be taken again. Outside the local demo
 * there is no such port, and the answer says so: nothing of a real tenant is ever reset.
 */
export const resetDemo = defineRoute({
  verb: VERBS.demo.reset,
  schema: z.object({}).strict(),
  async handle(_input, ctx: FeatureContext<Pick<Ports, "demo">>) {
    const s = ctx.strings;
    if (!ctx.ports.demo) return ok({ card: ctx.card("menu", { items: menuItems(s) }), say: s.demo.resetRefused });
    const { pendingInvitations } = await ctx.ports.demo.reset();
    const invitations =
      pendingInvitations === 1 ? s.demo.onePendingInvitation : fill(s.demo.pendingInvitations, { count: String(pendingInvitations) });
    return ok({ card: ctx.card("menu", { items: menuItems(s) }), say: fill(s.demo.resetDone, { invitations }) });
  },
});
