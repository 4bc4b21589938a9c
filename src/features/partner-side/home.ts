import type { AdaptiveCardJson } from "../../cards/render.js";
import { formatMessage } from "../../cards/messages.js";
import type { Strings } from "../../cards/strings.js";
import type { Partner } from "../../domain/partner.js";

import type { Ports } from "../ports.js";
import type { FeatureContext, MenuEntry, ViewContext } from "../types.js";
import { VERBS } from "../verbs.js";

/**
 * A partner contact's own menu: what customers asked, what they were sent, whom they work with, and the
 * connection to Microsoft. The commands are the words a partner types, in their language (`invitations` means the ones they sent).
 */
export const PARTNER_MENU: readonly MenuEntry[] = [
  {
    verb: VERBS.partnerSide.requests,
    command: (s) => s.partnerHome.requestsCommand,
    title: (s) => s.partnerHome.requestsTitle,
    description: (s) => s.partnerHome.requestsDescription,
  },
  {
    verb: VERBS.partnerSide.invitations,
    command: (s) => s.partnerHome.invitationsCommand,
    title: (s) => s.partnerHome.invitationsTitle,
    description: (s) => s.partnerHome.invitationsDescription,
  },
  {
    verb: VERBS.partnerSide.customers,
    command: (s) => s.partnerHome.customersCommand,
    title: (s) => s.partnerHome.customersTitle,
    description: (s) => s.partnerHome.customersDescription,
  },
  {
    verb: VERBS.partnerSide.connection,
    command: (s) => s.partnerHome.connectionCommand,
    title: (s) => s.partnerHome.connectionTitle,
    description: (s) => s.partnerHome.connectionDescription,
  },
];

const partnerMenuItems = (s: Strings) =>
  PARTNER_MENU.map((entry) => ({ verb: entry.verb, command: entry.command(s), title: entry.title(s), description: entry.description(s) }));

/**
 * The partner the acting user is a listed contact of, or undefined for everyone else: who the user is decides
 * which home they get (the customer's or the partner's), not the words they typed.
 */
export async function partnerOfActor(ctx: FeatureContext<Pick<Ports, "partners">>): Promise<Partner | undefined> {
  return ctx.ports.partners.partnerOfContact(ctx.identity.tenantId, ctx.identity.userId);
}

/** The partner contact's welcome (installed, or first contact) and menu (`menu`, `help`, anything else typed). */
export function partnerHomeCard(ctx: ViewContext, partner: Partner, as: "welcome" | "menu"): AdaptiveCardJson {
  const s = ctx.strings;
  return ctx.card("partnerHome", {
    title: as === "welcome" ? s.partnerHome.welcomeTitle : s.menu.title,
    intro: as === "welcome" ? formatMessage(s, s.partnerHome.welcomeIntro, { partner: partner.name }) : s.partnerHome.menuIntro,
    items: partnerMenuItems(s),
  });
}
