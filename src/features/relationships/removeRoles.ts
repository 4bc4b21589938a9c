import { z } from "zod";
import { formatMessage } from "../../cards/messages.js";
import type { Banner } from "../../cards/models.js";
import { waitingForApproval } from "../../domain/microsoftSide.js";
import type { Relationship } from "../../domain/relationship.js";
import { ok } from "../../domain/result.js";
import type { Decision } from "../../domain/decision.js";
import type { CarriedOutRemoval } from "../../domain/microsoftRemoval.js";
import type { Versioned } from "../../domain/versioned.js";
import { RoleTemplateIdSchema } from "../../domain/roles.js";
import { removeRoles as removeRolesTransition, TRANSITION_ERRORS, typesWithoutAdminRoles } from "../../domain/transitions.js";
import { authorize } from "../authorize.js";
import { byBreadth, hasGlobalAdmin, roleModel, simulationLabel, typeNames } from "../cardText.js";
import { connectedPartnerTenant } from "../carryOut.js";
import { commitDecision, conflictBanner } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import { IdSchema, ListOf } from "../inputSchemas.js";
import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext, type ViewContext } from "../types.js";
import { VERBS } from "../verbs.js";
import { removalRefusedBanner, removedBanner } from "./removalBanners.js";
import { detailsOrList } from "./showPartner.js";

/** Removing roles reads the relationship and, for a connected partner, carries the removal out in Microsoft. */
export type RemovalContext = FeatureContext<
  Pick<Ports, "relationships" | "audit" | "roleHolders" | "decisions" | "partners" | "connections" | "microsoft">
>;

/** "Remove roles?": every role the partner holds, all ticked, and what stays; how the removal takes effect. */
export const confirmRemoveRoles = defineRoute({
  verb: VERBS.relationships.removeRolesConfirm,
  schema: z.object({ partnerId: IdSchema }),
  async handle(input, ctx: RemovalContext) {
    const denied = await authorize(ctx, "relationship.removeRoles");
    if (denied) return denied;
    const s = ctx.strings;
    const read = await ctx.ports.relationships.get(ctx.identity.tenantId, input.partnerId);
    if (!read || read.value.roles.length === 0) {
      const name = read?.value.partnerName ?? input.partnerId;
      return detailsOrList(ctx, input.partnerId, { text: formatMessage(s, s.partners.noRolesLeft, { partner: name }), style: "warning" });
    }
    const r = read.value;
    const connectedTenant = await connectedPartnerTenant(ctx.ports, r);
    if (!connectedTenant && waitingForApproval(r.microsoft)) return detailsOrList(ctx, input.partnerId, waitingBanner(ctx, r), r);
    const roleIds = r.roles.map((g) => g.roleId).sort(byBreadth);
    return ok({
      card: ctx.card("removeRolesConfirm", {
        partnerId: r.partnerId,
        what: formatMessage(s, s.partners.removeWhat, { partner: r.partnerName }),
        roleChoices: roleIds.map((id) => ({ title: choiceTitle(ctx, id), value: id })),
        chosen: roleIds.join(","),
        globalAdmin: hasGlobalAdmin(roleIds),
        keeps: formatMessage(s, s.partners.removeKeeps, { types: typeNames(typesWithoutAdminRoles(r.types), s) }),
        carriedOut: connectedTenant ? formatMessage(s, s.partners.removeCarriedOut, { partner: r.partnerName }) : "",
        simulationLabel: simulationLabel(ctx, connectedTenant !== undefined),
      }),
    });
  },
});

/**
 * "Yes": the chosen roles go. For a connected partner its connection removes them in Microsoft first (or ends the
 * GDAP relationship when none would remain), and only what Microsoft accepted is recorded: a refusal or an outage
 * stores nothing. Otherwise Partner Desk records the removal and sends the admin to the admin center. Either way
 * one decision: the relationship, its audit event and the partner's notification, conditional on what was read.
 */
export const removeRoles = defineRoute({
  verb: VERBS.relationships.removeRoles,
  schema: z.object({
    partnerId: IdSchema,
    /** The ticked roles (an Input.ChoiceSet answers "a,b"); an empty choice is absent from what the client sends. */
    roleIds: ListOf(RoleTemplateIdSchema),
    /** Sent by cards that offer the choice: without it (cards sent before), no role list means every role. */
    chooseRoles: z.boolean().optional(),
  }),
  async handle(input, ctx: RemovalContext) {
    const denied = await authorize(ctx, "relationship.removeRoles");
    if (denied) return denied;
    const read = await ctx.ports.relationships.get(ctx.identity.tenantId, input.partnerId);
    if (!read) return detailsOrList(ctx, input.partnerId);
    const r = read.value;
    const chosen = input.chooseRoles || input.roleIds.length > 0 ? input.roleIds : r.roles.map((g) => g.roleId);
    const planned = await planRemoval(ctx, read, chosen);
    if (!planned.ok) return detailsOrList(ctx, input.partnerId, planned.banner, planned.relationship);
    const conflict = await commitDecision(ctx, planned.decision, [read], () =>
      detailsOrList(ctx, input.partnerId, notRecordedBanner(ctx, planned.carried)),
    );
    if (conflict) return conflict;
    return detailsOrList(ctx, input.partnerId, removedBanner(ctx, r.partnerName, chosen, planned.carried), planned.relationship);
  },
});

/** A removal ready to commit (with Microsoft's answer when the partner's connection carried it out), or why not. */
export type PlannedRemoval =
  | { ok: true; decision: Decision; relationship: Relationship; carried?: CarriedOutRemoval }
  | { ok: false; banner: Banner; relationship?: Relationship };

/**
 * The one path of a removal of roles, for the partner's card and the access review alike. For a connected partner
 * its connection removes them in Microsoft first (or ends the GDAP relationship when none would remain), and only
 * what Microsoft accepted becomes the decision: a refusal or an outage plans nothing. Otherwise the decision records
 * the removal in Partner Desk (the admin center is where it takes effect). The caller commits it, with more rows if
 * it has them, conditional on `read`.
 */
export async function planRemoval(ctx: RemovalContext, read: Versioned<Relationship>, chosen: readonly string[]): Promise<PlannedRemoval> {
  const s = ctx.strings;
  const r = read.value;
  const planned = removeRolesTransition(r, decisionContext(ctx), { roleIds: chosen });
  if (!planned.ok) {
    const texts: Record<string, string> = {
      [TRANSITION_ERRORS.noRoles]: formatMessage(s, s.partners.noRolesLeft, { partner: r.partnerName }),
      [TRANSITION_ERRORS.noRolesChosen]: s.partners.removeNoneChosen,
      [TRANSITION_ERRORS.roleNotHeld]: formatMessage(s, s.partners.removeRoleNotHeld, { partner: r.partnerName }),
    };
    const text = texts[planned.code] ?? formatMessage(s, s.partners.notActive, { status: s.partners.statuses[r.status] });
    return { ok: false, banner: { text, style: "warning" } };
  }
  const connectedTenant = await connectedPartnerTenant(ctx.ports, r);
  if (!connectedTenant) {
    // Nothing of a GDAP request waiting for approval is in effect: there is nothing to remove, in Microsoft or here.
    if (waitingForApproval(r.microsoft)) return { ok: false, banner: waitingBanner(ctx, r), relationship: r };
    return { ok: true, decision: planned.value.decision, relationship: planned.value.relationship };
  }
  const carried = await ctx.ports.microsoft.carryOutRemoval(connectedTenant, {
    relationshipId: r.microsoft!.relationshipId,
    roles: chosen,
  });
  if (!carried.ok) return { ok: false, banner: removalRefusedBanner(ctx, r.partnerName, carried), relationship: r };
  const decided = removeRolesTransition(r, decisionContext(ctx), { roleIds: chosen, inMicrosoft: carried.value });
  if (!decided.ok) return { ok: false, banner: conflictBanner(ctx) };
  return { ok: true, decision: decided.value.decision, relationship: decided.value.relationship, carried: carried.value };
}

/**
 * Why a planned removal was not stored: someone changed the relationship first. When Microsoft changed something
 * Partner Desk could not record, say so; with nothing sent (a retried press finding its own removal done), it is the
 * usual "someone changed this".
 */
export function notRecordedBanner(ctx: ViewContext, carried: CarriedOutRemoval | undefined): Banner {
  return !carried || carried.answer === "nothingToRemove"
    ? conflictBanner(ctx)
    : { text: ctx.strings.partners.carriedOutNotRecorded, style: "warning" };
}

/** A role as a choice: its name, and for Global administrator that it is the broadest role there is. */
function choiceTitle(ctx: ViewContext, roleId: string): string {
  const model = roleModel(roleId, ctx.strings);
  if (!model) return roleId;
  return model.broadest ? `${model.name} (${ctx.strings.common.broadestRole})` : model.name;
}

const waitingBanner = (ctx: ViewContext, r: Relationship): Banner => ({
  text: formatMessage(ctx.strings, ctx.strings.partners.removalWaiting, { partner: r.partnerName }),
  style: "warning",
});
