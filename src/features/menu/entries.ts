import type { Strings } from "../../cards/strings.js";
import type { MenuEntry } from "../types.js";
import { VERBS } from "../verbs.js";

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
  {
    verb: VERBS.settings.show,
    command: "settings",
    title: (s) => s.features.settings.title,
    description: (s) => s.features.settings.description,
  },
  { verb: VERBS.menu.show, command: "help", title: (s) => s.features.help.title, description: (s) => s.features.help.description },
];

export const menuItems = (s: Strings) =>
  MENU.filter((entry) => entry.verb !== VERBS.menu.show).map((entry) => ({
    verb: entry.verb,
    command: entry.command,
    title: entry.title(s),
    description: entry.description(s),
  }));
