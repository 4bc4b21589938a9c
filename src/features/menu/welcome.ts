import type { AdaptiveCardJson } from "../../cards/render.js";
import { menuItems } from "./entries.js";
import type { ViewContext } from "../types.js";

/** Sent once when the bot is installed or added to a conversation. */
export function welcomeCard(ctx: Pick<ViewContext, "card" | "strings">): AdaptiveCardJson {
  return ctx.card("welcome", { items: menuItems(ctx.strings) });
}
