import { randomUUID } from "node:crypto";
import type { DecisionContext } from "../domain/transitions.js";
import type { FeatureContext } from "./types.js";

/** Who decides, when, and under which correlation id: the same for every row one decision writes. */
export function decisionContext(ctx: Pick<FeatureContext, "identity" | "now" | "correlationId">): DecisionContext {
  return {
    tenantId: ctx.identity.tenantId,
    actor: { userId: ctx.identity.userId, name: ctx.identity.name },
    now: ctx.now.toISOString(),
    correlationId: ctx.correlationId,
    newId: () => randomUUID(),
  };
}
