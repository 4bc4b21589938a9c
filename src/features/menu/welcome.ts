import type { AdaptiveCardJson } from "../../cards/render.js";
import { partnerHomeCard, partnerOfActor } from "../partner-side/home.js";
import type { Ports } from "../ports.js";
import { customerMenu } from "./permitted.js";
import type { FeatureContext } from "../types.js";

/** Sent once when the bot is installed or added to a conversation: a partner's contact gets the partner's welcome. */
export async function welcomeCard(ctx: FeatureContext<Pick<Ports, "partners" | "roleHolders">>): Promise<AdaptiveCardJson> {
  const partner = await partnerOfActor(ctx);
  if (partner) return partnerHomeCard(ctx, partner, "welcome");
  // A member is offered only what they may do, as in the menu: nothing on the first card is refused when pressed.
  return ctx.card("welcome", await customerMenu(ctx));
}
