import type { Strings } from "../../cards/strings.js";
import type { MenuEntry } from "../types.js";

/** The main menu, in the order admins meet the procedure: find, review invitations, manage partners, learn. */
export const MENU: readonly MenuEntry[] = [
  {
    verb: "findPartner.start",
    command: "find partner",
    title: (s) => s.features.findPartner.title,
    description: (s) => s.features.findPartner.description,
  },
  {
    verb: "invitations.list",
    command: "invitations",
    title: (s) => s.features.invitations.title,
    description: (s) => s.features.invitations.description,
  },
  {
    verb: "partners.list",
    command: "partners",
    title: (s) => s.features.partners.title,
    description: (s) => s.features.partners.description,
  },
  {
    verb: "partnerTypes.show",
    command: "partner types",
    title: (s) => s.features.partnerTypes.title,
    description: (s) => s.features.partnerTypes.description,
  },
  { verb: "menu.show", command: "help", title: (s) => s.features.help.title, description: (s) => s.features.help.description },
];

/** Text a user may type, normalised (lower case, single spaces), mapped to the verb it runs. Anything else shows help. */
export const TEXT_COMMANDS: ReadonlyMap<string, string> = new Map([
  ...MENU.map((entry) => [entry.command, entry.verb] as const),
  ["menu", "menu.show"],
  ["?", "menu.show"],
  ["start", "menu.show"],
  ["find", "findPartner.start"],
  ["find a partner", "findPartner.start"],
  ["find partners", "findPartner.start"],
  ["search", "findPartner.start"],
  ["search partners", "findPartner.start"],
  ["invitation", "invitations.list"],
  ["invites", "invitations.list"],
  ["pending invitations", "invitations.list"],
  ["my partners", "partners.list"],
  ["partner", "partners.list"],
  ["relationships", "partners.list"],
  ["partner relationships", "partners.list"],
  ["types", "partnerTypes.show"],
  ["partner type", "partnerTypes.show"],
]);

export const menuItems = (s: Strings) =>
  MENU.filter((entry) => entry.verb !== "menu.show").map((entry) => ({
    verb: entry.verb,
    command: entry.command,
    title: entry.title(s),
    description: entry.description(s),
  }));
