import type { Strings } from "../../cards/strings.js";
import type { MenuEntry } from "../types.js";
import { VERBS } from "../verbs.js";

/** The main menu, in the order admins meet the procedure: find, review invitations, manage partners, learn. */
export const MENU: readonly MenuEntry[] = [
  {
    verb: VERBS.findPartner.start,
    command: (s) => s.features.findPartner.command,
    title: (s) => s.features.findPartner.title,
    description: (s) => s.features.findPartner.description,
  },
  {
    verb: VERBS.invitations.list,
    command: (s) => s.features.invitations.command,
    title: (s) => s.features.invitations.title,
    description: (s) => s.features.invitations.description,
  },
  {
    verb: VERBS.relationships.list,
    command: (s) => s.features.partners.command,
    title: (s) => s.features.partners.title,
    description: (s) => s.features.partners.description,
  },
  {
    verb: VERBS.partnerTypes.show,
    command: (s) => s.features.partnerTypes.command,
    title: (s) => s.features.partnerTypes.title,
    description: (s) => s.features.partnerTypes.description,
  },
  {
    verb: VERBS.auditExport.request,
    command: (s) => s.features.auditExport.command,
    title: (s) => s.features.auditExport.title,
    description: (s) => s.features.auditExport.description,
  },
  {
    verb: VERBS.settings.show,
    command: (s) => s.features.settings.command,
    title: (s) => s.features.settings.title,
    description: (s) => s.features.settings.description,
  },
  {
    verb: VERBS.menu.show,
    command: (s) => s.features.help.command,
    title: (s) => s.features.help.title,
    description: (s) => s.features.help.description,
  },
];

export const menuItems = (s: Strings) =>
  MENU.filter((entry) => entry.verb !== VERBS.menu.show).map((entry) => ({
    verb: entry.verb,
    command: entry.command(s),
    title: entry.title(s),
    description: entry.description(s),
  }));
