import type { Strings } from "../../cards/strings.js";
import { can, type Action } from "../../domain/policies.js";
import type { RoleTemplateId } from "../../domain/roles.js";
import { whomToAsk, type AuthorizeContext } from "../authorize.js";
import type { Identity } from "../types.js";
import { VERBS, type Verb } from "../verbs.js";
import { menuItems } from "./entries.js";

/**
 * What opening a menu entry asks of the user's roles; an entry not listed is open to everyone (the directory is
 * public: anyone may search it, and contacting partners is refused when the contact form would open).
 */
const NEEDS: Partial<Record<Verb, Action>> = {
  [VERBS.invitations.list]: "invitation.read",
  [VERBS.relationships.list]: "relationship.read",
  [VERBS.partnerTypes.show]: "partnerTypes.read",
  [VERBS.auditExport.request]: "audit.export",
  [VERBS.settings.show]: "settings.change",
};

/**
 * The menu entries this user may open, and whether any were left out (then the menu says why in one line):
 * a member is not offered what would only be refused after pressing it.
 */
export function permittedMenu(
  s: Strings,
  identity: Identity,
  roles: readonly RoleTemplateId[],
): { items: ReturnType<typeof menuItems>; withheld: boolean } {
  const all = menuItems(s);
  const items = all.filter((item) => {
    const action = NEEDS[item.verb];
    return action === undefined || can({ ...identity, roles }, action, { tenantId: identity.tenantId }).allowed;
  });
  return { items, withheld: items.length < all.length };
}

/**
 * The customer's menu as the user may use it, for the menu and the welcome alike: the entries they may open, and
 * when some were left out, one line saying why and whom to ask (empty otherwise).
 */
export async function customerMenu(ctx: AuthorizeContext): Promise<{ items: ReturnType<typeof menuItems>; note: string }> {
  const { items, withheld } = permittedMenu(ctx.strings, ctx.identity, await ctx.roles());
  return { items, note: withheld ? `${ctx.strings.errors.menuOnlyAdmins} ${await whomToAsk(ctx)}` : "" };
}
