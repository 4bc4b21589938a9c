import type { MenuEntry } from "./types.js";

/** The main menu, in the order admins meet the procedure. Later features add their entries here. */
export const MENU: readonly MenuEntry[] = [
  { verb: "partnerTypes.show", command: "partner types", title: (s) => s.features.partnerTypes.title, description: (s) => s.features.partnerTypes.description },
  { verb: "menu.show", command: "help", title: (s) => s.features.help.title, description: (s) => s.features.help.description },
];

/** Text a user may type, normalised (lower case, single spaces), mapped to the verb it runs. */
export const TEXT_COMMANDS: ReadonlyMap<string, string> = new Map([
  ...MENU.map((entry) => [entry.command, entry.verb] as const),
  ["menu", "menu.show"],
  ["?", "menu.show"],
  ["types", "partnerTypes.show"],
  ["partner type", "partnerTypes.show"],
]);

export const menuItems = (s: Parameters<MenuEntry["title"]>[0]) =>
  MENU.filter((entry) => entry.verb !== "menu.show").map((entry) => ({ verb: entry.verb, command: entry.command, title: entry.title(s), description: entry.description(s) }));
