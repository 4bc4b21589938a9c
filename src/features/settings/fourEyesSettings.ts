import { z } from "zod";
import { formatMessage } from "../../cards/messages.js";
import type { Banner } from "../../cards/models.js";
import type { AdaptiveCardJson } from "../../cards/render.js";
import { ok } from "../../domain/result.js";
import { fourEyesIsOn, setFourEyes, type TenantPolicy } from "../../domain/tenantPolicy.js";
import { authorize } from "../authorize.js";
import { formatDateTime } from "../cardText.js";
import { commitDecision, conflictBanner } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext, type Outcome, type ViewContext } from "../types.js";
import { VERBS } from "../verbs.js";

/** The settings read the tenant's policy and change it by a decision; only the admins who decide see them. */
type SettingsContext = FeatureContext<Pick<Ports, "tenantPolicies" | "roleHolders" | "decisions">>;

/** "on"/"off" from a card or a typed request ("true"/"false" as toggles send it, or a boolean). */
const OnOffSchema = z
  .union([z.boolean(), z.enum(["true", "false", "on", "off"])])
  .transform((v) => v === true || v === "true" || v === "on");

/** The settings card: the four-eyes rule in plain words, whether it is on, who changed it last, and the switch. */
export function settingsCard(ctx: ViewContext, policy: TenantPolicy | undefined, banner: Banner | null = null): AdaptiveCardJson {
  const s = ctx.strings.settings;
  const on = fourEyesIsOn(policy);
  return ctx.card("notice", {
    title: s.title,
    message: s.fourEyesExplain,
    facts: [{ title: s.fourEyesHeading, value: on ? s.on : s.off }],
    detailsTitle: "",
    details: policy
      ? formatMessage(ctx.strings, s.changedBy, { by: policy.updatedBy.name, date: formatDateTime(policy.updatedAt, ctx.identity.locale) })
      : "",
    actions: [
      { title: on ? s.turnOff : s.turnOn, verb: VERBS.settings.fourEyesConfirm, data: { on: on ? "false" : "true" } },
      { title: ctx.strings.common.menu, verb: VERBS.menu.show, data: {} },
    ],
    banner,
    simulationLabel: "",
  });
}

async function current(ctx: SettingsContext, banner: Banner | null = null): Promise<Outcome> {
  const read = await ctx.ports.tenantPolicies.get(ctx.identity.tenantId);
  return ok({ card: settingsCard(ctx, read?.value, banner) });
}

/** `settings` (menu, typed): the tenant's rules for decisions. */
export const showSettings = defineRoute({
  verb: VERBS.settings.show,
  schema: z.object({}),
  async handle(_input, ctx: SettingsContext) {
    return (await authorize(ctx, "settings.change")) ?? current(ctx);
  },
});

/**
 * "Turn on"/"Turn off", or typed "four-eyes on": a confirmation saying what changes, before anything is stored.
 * Asking for what already is so answers with the settings card and says nothing was changed.
 */
export const confirmFourEyes = defineRoute({
  verb: VERBS.settings.fourEyesConfirm,
  schema: z.object({ on: OnOffSchema }),
  async handle(input, ctx: SettingsContext) {
    const denied = await authorize(ctx, "settings.change");
    if (denied) return denied;
    const s = ctx.strings.settings;
    const read = await ctx.ports.tenantPolicies.get(ctx.identity.tenantId);
    if (fourEyesIsOn(read?.value) === input.on)
      return ok({ card: settingsCard(ctx, read?.value, { text: input.on ? s.alreadyOn : s.alreadyOff, style: "warning" }) });
    return ok({
      card: ctx.card("notice", {
        title: input.on ? s.confirmOnTitle : s.confirmOffTitle,
        message: input.on ? s.confirmOn : s.confirmOff,
        facts: [],
        detailsTitle: "",
        details: "",
        actions: [
          { title: ctx.strings.common.yes, verb: VERBS.settings.fourEyes, data: { on: String(input.on) } },
          { title: ctx.strings.common.no, verb: VERBS.settings.show, data: {} },
        ],
        banner: null,
        simulationLabel: "",
      }),
    });
  },
});

/**
 * "Yes": the policy and its audit event, one decision conditional on the policy row as read (created if the tenant
 * never had one). Two admins at once: one wins, the other sees the settings as they now are.
 */
export const setFourEyesRoute = defineRoute({
  verb: VERBS.settings.fourEyes,
  schema: z.object({ on: OnOffSchema }),
  async handle(input, ctx: SettingsContext) {
    const denied = await authorize(ctx, "settings.change");
    if (denied) return denied;
    const s = ctx.strings.settings;
    const read = await ctx.ports.tenantPolicies.get(ctx.identity.tenantId);
    const changed = setFourEyes(read?.value, input.on, decisionContext(ctx));
    if (!changed.ok) return current(ctx, { text: input.on ? s.alreadyOn : s.alreadyOff, style: "warning" });
    const conflict = await commitDecision(ctx, changed.value.decision, [read], () => current(ctx, conflictBanner(ctx)));
    if (conflict) return conflict;
    return ok({ card: settingsCard(ctx, changed.value.policy, { text: input.on ? s.turnedOn : s.turnedOff, style: "good" }) });
  },
});
