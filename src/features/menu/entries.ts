import type { Strings } from "../../cards/strings.js";
import type { MenuEntry } from "../types.js";
import { VERBS, type Verb } from "../verbs.js";

/** The main menu, in the order admins meet the procedure: find, review invitations, manage partners, learn. */
export const MENU: readonly MenuEntry[] = [
  {
    verb: VERBS.findPartner.start,
    command: "find partner",
    title: (s) => s.features.findPartner.title,
    description: (s) => s.features.findPartner.description,
  },
  {
    verb: VERBS.invitations.list,
    command: "invitations",
    title: (s) => s.features.invitations.title,
    description: (s) => s.features.invitations.description,
  },
  {
    verb: VERBS.relationships.list,
    command: "partners",
    title: (s) => s.features.partners.title,
    description: (s) => s.features.partners.description,
  },
  {
    verb: VERBS.partnerTypes.show,
    command: "partner types",
    title: (s) => s.features.partnerTypes.title,
    description: (s) => s.features.partnerTypes.description,
  },
  { verb: VERBS.menu.show, command: "help", title: (s) => s.features.help.title, description: (s) => s.features.help.description },
];

/** Text a user may type, normalised (lower case, single spaces), mapped to the verb it runs. Anything else shows help. */
export const TEXT_COMMANDS: ReadonlyMap<string, Verb> = new Map<string, Verb>([
  ...MENU.map((entry) => [entry.command, entry.verb] as const),
  ["menu", VERBS.menu.show],
  ["?", VERBS.menu.show],
  ["start", VERBS.menu.show],
  ["find", VERBS.findPartner.start],
  ["find a partner", VERBS.findPartner.start],
  ["find partners", VERBS.findPartner.start],
  ["search", VERBS.findPartner.start],
  ["search partners", VERBS.findPartner.start],
  ["invitation", VERBS.invitations.list],
  ["invites", VERBS.invitations.list],
  ["pending invitations", VERBS.invitations.list],
  ["my partners", VERBS.relationships.list],
  ["partner", VERBS.relationships.list],
  ["relationships", VERBS.relationships.list],
  ["partner relationships", VERBS.relationships.list],
  ["types", VERBS.partnerTypes.show],
  ["partner type", VERBS.partnerTypes.show],
  // Partner contacts only (the card refuses anyone else), so not in the admins' menu.
  ["connect", VERBS.partnerSide.connection],
  ["connect to microsoft", VERBS.partnerSide.connection],
  ["connection", VERBS.partnerSide.connection],
  // A partner contact's views ("invitations", "partners", "menu" and "help" reach them through the same handlers,
  // which answer a partner's contact with the partner's own view).
  ["requests", VERBS.partnerSide.requests],
  ["contact requests", VERBS.partnerSide.requests],
  ["customers", VERBS.partnerSide.customers],
  ["my customers", VERBS.partnerSide.customers],
  ["invitations sent", VERBS.partnerSide.invitations],
  ["sent invitations", VERBS.partnerSide.invitations],
]);

export const menuItems = (s: Strings) =>
  MENU.filter((entry) => entry.verb !== VERBS.menu.show).map((entry) => ({
    verb: entry.verb,
    command: entry.command,
    title: entry.title(s),
    description: entry.description(s),
  }));
