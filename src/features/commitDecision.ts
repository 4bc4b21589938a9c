import type { Banner } from "../cards/models.js";
import type { Decision } from "../domain/decision.js";
import type { Versioned } from "../domain/versioned.js";
import type { Ports } from "./ports.js";
import type { FeatureContext, Outcome, ViewContext } from "./types.js";

/**
 * Hands a decision to storage with the versions it was based on. If someone changed one of those rows since
 * it was read, nothing is written and the user gets `onConflict()` (the current state) instead. Resolves to
 * undefined when the decision was stored.
 */
export async function commitDecision(
  ctx: FeatureContext<Pick<Ports, "decisions">>,
  decision: Decision,
  read: ReadonlyArray<Versioned<unknown> | undefined>,
  onConflict: () => Promise<Outcome>,
): Promise<Outcome | undefined> {
  const committed = await ctx.ports.decisions.commit(decision, read);
  return committed.ok ? undefined : onConflict();
}

export const conflictBanner = (ctx: ViewContext): Banner => ({ text: ctx.strings.errors.conflict, style: "warning" });
