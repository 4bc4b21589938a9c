import type { AuditEvent } from "./audit.js";
import { write, type Decision } from "./decision.js";
import { auditEvent, type DecisionContext } from "./decisionRows.js";
import { CONNECTION_CHECK_OK, type PartnerConnection } from "./partnerConnection.js";
import { fail, ok, type Result } from "./result.js";

export const CONNECTION_ERRORS = {
  /** Disconnect asked of a partner that is not connected: nothing to change. */
  notConnected: "CONNECTION.NOT_CONNECTED",
} as const;

/** What a successful check saw: Graph listed the partner's relationships with a token in its tenant. */
export interface ConnectionCheck {
  partnerId: string;
  relationships: number;
}

export interface ConnectionDecided {
  connection: PartnerConnection;
  audit: AuditEvent;
  decision: Decision;
}

/** Audit targets start with the partner, as every other partner's history does. */
export const connectionTarget = (partnerId: string): string => `partner:${partnerId}/connection`;

/**
 * A check succeeded: the partner is connected (again, or still, with a fresh check). Written in the partner's own
 * tenant (`ctx.tenantId`, the contact's), where the consent it records lives: the connection row and its audit
 * event are one partition, so one transaction. The first connection keeps its connectedAt on later checks.
 */
export function connectPartner(previous: PartnerConnection | undefined, check: ConnectionCheck, ctx: DecisionContext): ConnectionDecided {
  const alreadyConnected = previous?.status === "connected";
  const connection: PartnerConnection = {
    partnerId: check.partnerId,
    partnerTenantId: ctx.tenantId,
    status: "connected",
    checkedAt: ctx.now,
    checkedBy: ctx.actor,
    lastCheck: CONNECTION_CHECK_OK,
    relationshipsVisible: check.relationships,
    connectedAt: alreadyConnected && previous.connectedAt ? previous.connectedAt : ctx.now,
    connectedBy: alreadyConnected && previous.connectedBy ? previous.connectedBy : ctx.actor,
  };
  const audit = auditEvent(
    ctx,
    alreadyConnected ? "connection.check" : "connection.connect",
    connectionTarget(check.partnerId),
    previous ? { status: previous.status, relationshipsVisible: previous.relationshipsVisible } : null,
    { status: "connected", relationshipsVisible: check.relationships },
  );
  return { connection, audit, decision: { tenantId: ctx.tenantId, writes: [write.connection(connection), write.audit(audit)] } };
}

/**
 * A check of a connected partner that Microsoft refused for a reason the partner must fix (consent withdrawn, the
 * permission or the service principal removed, the token refused). Stored, so every card stops calling the partner
 * simply "connected": the row keeps its status (the partner's choice; the next successful check clears the warning)
 * and records the code, when and by whom. A transient failure (Graph did not answer) is not a finding and is not
 * stored; nor is any failure of a partner that was not connected, which has nothing to correct.
 */
export function recordFailedCheck(
  previous: PartnerConnection | undefined,
  code: string,
  definitive: boolean,
  ctx: DecisionContext,
): ConnectionDecided | undefined {
  if (previous?.status !== "connected" || !definitive) return undefined;
  const connection: PartnerConnection = { ...previous, checkedAt: ctx.now, checkedBy: ctx.actor, lastCheck: code };
  const audit = auditEvent(
    ctx,
    "connection.checkFailed",
    connectionTarget(previous.partnerId),
    { lastCheck: previous.lastCheck },
    { lastCheck: code },
  );
  return { connection, audit, decision: { tenantId: ctx.tenantId, writes: [write.connection(connection), write.audit(audit)] } };
}

/**
 * The partner stops Partner Desk from acting for it. The row stays (disconnected, with who and when) so the history
 * reads right; the consent itself lives in the partner's tenant, where its admin removes the app.
 */
export function disconnectPartner(previous: PartnerConnection | undefined, ctx: DecisionContext): Result<ConnectionDecided> {
  if (previous?.status !== "connected") return fail(CONNECTION_ERRORS.notConnected, "the partner is not connected");
  const connection: PartnerConnection = { ...previous, status: "disconnected", disconnectedAt: ctx.now, disconnectedBy: ctx.actor };
  const audit = auditEvent(
    ctx,
    "connection.disconnect",
    connectionTarget(previous.partnerId),
    { status: previous.status },
    { status: "disconnected" },
  );
  return ok({ connection, audit, decision: { tenantId: ctx.tenantId, writes: [write.connection(connection), write.audit(audit)] } });
}
