import { z } from "zod";
import { formatMessage } from "../../cards/messages.js";
import { ok } from "../../domain/result.js";
import { authorize } from "../authorize.js";

import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext, type ViewContext } from "../types.js";
import { VERBS } from "../verbs.js";

/**
 * `reset demo`: the local demo back to its seeded story, so the journey can be taken again; for the demo tenant's
 * admins (as the demo's other decisions are). Outside the local demo there is no such port, and the answer says
 * so: nothing of a real tenant is ever reset.
 */
export const resetDemo = defineRoute({
  verb: VERBS.demo.reset,
  schema: z.object({}).strict(),
  async handle(_input, ctx: FeatureContext<Pick<Ports, "demo" | "roleHolders">>) {
    const s = ctx.strings;
    if (!ctx.ports.demo) return ok({ card: resetCard(ctx, s.demo.resetRefused) });
    // A partner contact (or anyone of another tenant) is told plainly, not with the generic refusal of a foreign target.
    if (ctx.identity.tenantId !== ctx.ports.demo.tenantId) return ok({ card: resetCard(ctx, s.demo.resetOtherTenant) });
    const denied = await authorize(ctx, "demoStory.reset", ctx.ports.demo.tenantId);
    if (denied) return denied;
    const { pendingInvitations } = await ctx.ports.demo.reset();
    const invitations =
      pendingInvitations === 1 ? s.demo.onePendingInvitation : formatMessage(s, s.demo.pendingInvitations, { count: pendingInvitations });
    return ok({ card: resetCard(ctx, formatMessage(s, s.demo.resetDone, { invitations })) });
  },
});

function resetCard(ctx: ViewContext, message: string) {
  const s = ctx.strings;
  return ctx.card("notice", {
    banner: null,
    simulationLabel: "",
    title: s.demo.resetTitle,
    message,
    facts: [],
    detailsTitle: "",
    details: "",
    actions: [
      { title: s.features.invitations.title, verb: VERBS.invitations.list, data: {} },
      { title: s.common.menu, verb: VERBS.menu.show, data: {} },
    ],
  });
}
