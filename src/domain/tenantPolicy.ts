import { z } from "zod";
import { auditEvent, type DecisionContext } from "./decisionRows.js";
import { write, type Decision } from "./decision.js";
import type { AuditEvent } from "./audit.js";
import { PersonSchema } from "./person.js";
import { fail, ok, type Result } from "./result.js";

/**
 * A customer tenant's own rules for decisions in Partner Desk, one row in its partition. Changed only by a decision
 * (conditional on the row as read) with an audit event; a tenant that never set one has the defaults.
 */
export const TenantPolicySchema = z.object({
  tenantId: z.string().min(1),
  /** Four-eyes: accepting an invitation that asks for Global administrator needs a second, different admin. */
  fourEyesForGlobalAdmin: z.boolean(),
  updatedAt: z.iso.datetime(),
  updatedBy: PersonSchema,
});
export type TenantPolicy = z.infer<typeof TenantPolicySchema>;

export const POLICY_CHANGE_ERRORS = {
  /** The policy already is what was asked: nothing to record. */
  unchanged: "TENANT_POLICY.UNCHANGED",
} as const;

/** Off by default: a tenant that never chose gets today's single acceptance. */
export const fourEyesIsOn = (policy: TenantPolicy | undefined): boolean => policy?.fourEyesForGlobalAdmin ?? false;

/** The audit target of the tenant's own settings (not a partner's: a partner's history never shows it). */
export const tenantPolicyTarget = (tenantId: string): string => `tenant:${tenantId}/policy`;

/** Turning four-eyes on or off: the policy row and its audit event, one decision; asking for what is already so is refused. */
export function setFourEyes(
  current: TenantPolicy | undefined,
  on: boolean,
  ctx: DecisionContext,
): Result<{ policy: TenantPolicy; audit: AuditEvent; decision: Decision }> {
  if (fourEyesIsOn(current) === on) return fail(POLICY_CHANGE_ERRORS.unchanged, `four-eyes is already ${on ? "on" : "off"}`);
  const policy: TenantPolicy = { tenantId: ctx.tenantId, fourEyesForGlobalAdmin: on, updatedAt: ctx.now, updatedBy: ctx.actor };
  const audit = auditEvent(
    ctx,
    on ? "tenantPolicy.fourEyesOn" : "tenantPolicy.fourEyesOff",
    tenantPolicyTarget(ctx.tenantId),
    { fourEyesForGlobalAdmin: fourEyesIsOn(current) },
    { fourEyesForGlobalAdmin: on },
  );
  return ok({ policy, audit, decision: { tenantId: ctx.tenantId, writes: [write.tenantPolicy(policy), write.audit(audit)] } });
}
