import type { Banner } from "../cards/models.js";
import type { PartitionTransaction } from "../storage/entityStore.js";
import { StorageConflictError } from "../storage/errors.js";
import type { FeatureContext, Outcome } from "./types.js";

/**
 * Writes one decision (state change, audit event, outbox row...) as one entity group transaction in the
 * tenant's partition. If someone changed a row since it was read, nothing is written and the user gets
 * `onConflict()` — the current state — instead. Resolves to undefined when the decision was stored.
 */
export async function commitDecision(
  ctx: FeatureContext,
  build: (tx: PartitionTransaction) => PartitionTransaction,
  onConflict: () => Promise<Outcome>,
  /** The partition the decision belongs to: the acting user's tenant, or the customer's when a partner acts. */
  tenantId: string = ctx.identity.tenantId,
): Promise<Outcome | undefined> {
  try {
    await build(ctx.services.repos.tenantTransaction(tenantId)).commit();
    return undefined;
  } catch (error) {
    if (error instanceof StorageConflictError) return onConflict();
    throw error;
  }
}

export const conflictBanner = (ctx: FeatureContext): Banner => ({ text: ctx.strings.errors.conflict, style: "warning" });
