import { z } from "zod";
import { ok } from "../../domain/result.js";
import { removeRoles as removeRolesTransition, TRANSITION_ERRORS, typesWithoutAdminRoles } from "../../domain/transitions.js";
import { commitDecision, conflictBanner } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import { authorize } from "../authorize.js";
import { IdSchema } from "../inputSchemas.js";
import { fill, roleModels, typeNames } from "../cardText.js";
import { defineRoute } from "../types.js";
import type { RelationshipContext } from "./context.js";
import { VERBS } from "../verbs.js";
import { detailsOrList } from "./showPartner.js";

/** "Remove roles?": says exactly what goes (the roles) and what stays (the relationship). */
export const confirmRemoveRoles = defineRoute({
  verb: VERBS.relationships.removeRolesConfirm,
  schema: z.object({ partnerId: IdSchema }),
  async handle(input, ctx: RelationshipContext) {
    const denied = await authorize(ctx, "relationship.removeRoles");
    if (denied) return denied;
    const s = ctx.strings;
    const read = await ctx.ports.relationships.get(ctx.identity.tenantId, input.partnerId);
    if (!read || read.value.roles.length === 0) {
      const name = read?.value.partnerName ?? input.partnerId;
      return detailsOrList(ctx, input.partnerId, { text: fill(s.partners.noRolesLeft, { partner: name }), style: "warning" });
    }
    const r = read.value;
    return ok({
      card: ctx.card("removeRolesConfirm", {
        partnerId: r.partnerId,
        what: fill(s.partners.removeWhat, { partner: r.partnerName }),
        roles: roleModels(
          r.roles.map((g) => g.roleId),
          s,
        ),
        keeps: fill(s.partners.removeKeeps, { types: typeNames(typesWithoutAdminRoles(r.types), s) }),
      }),
    });
  },
});

/** "Yes": the roles go, the types lose their admin part, audit + partner notification in one transaction. */
export const removeRoles = defineRoute({
  verb: VERBS.relationships.removeRoles,
  schema: z.object({ partnerId: IdSchema }),
  async handle(input, ctx: RelationshipContext) {
    const denied = await authorize(ctx, "relationship.removeRoles");
    if (denied) return denied;
    const s = ctx.strings;
    const read = await ctx.ports.relationships.get(ctx.identity.tenantId, input.partnerId);
    if (!read) return detailsOrList(ctx, input.partnerId);
    const result = removeRolesTransition(read.value, decisionContext(ctx));
    if (!result.ok) {
      const text =
        result.code === TRANSITION_ERRORS.noRoles
          ? fill(s.partners.noRolesLeft, { partner: read.value.partnerName })
          : fill(s.partners.notActive, { status: s.partners.statuses[read.value.status] });
      return detailsOrList(ctx, input.partnerId, { text, style: "warning" });
    }
    const { relationship, decision } = result.value;
    const conflict = await commitDecision(ctx, decision, [read], () => detailsOrList(ctx, input.partnerId, conflictBanner(ctx)));
    if (conflict) return conflict;
    return detailsOrList(
      ctx,
      input.partnerId,
      { text: fill(s.partners.rolesRemoved, { partner: read.value.partnerName }), style: "good" },
      relationship,
    );
  },
});
