import { stringsFor } from "../../src/cards/strings.js";
import { MENU } from "../../src/features/menu/entries.js";
import { VERBS, type Verb } from "../../src/features/verbs.js";

/**
 * The exact phrases the bot understood before typed requests had an intent table (a lookup of whole, normalised
 * messages). Kept as a regression list: every one of them must still reach the verb it ran then.
 */
export const TEXT_COMMANDS: ReadonlyMap<string, Verb> = new Map<string, Verb>([
  ...MENU.map((entry) => [entry.command(stringsFor("en")), entry.verb] as const),
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
