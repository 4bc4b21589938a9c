import { parse } from "csv-parse/sync";
import type { AuditEvent } from "../../src/domain/audit.js";
import { write } from "../../src/domain/decision.js";
import type { Storage } from "../../src/storage/index.js";

/** An audit event as decisions record them, at `at`, in `tenantId`'s partition. */
export function auditEvent(tenantId: string, at: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: `evt-${at.replace(/\D/g, "")}-${Math.random().toString(36).slice(2, 8)}`,
    tenantId,
    actor: { userId: "bbbbbbbb-0000-4000-8000-000000000001", name: "Ada Admin" },
    action: "relationship.removeRoles",
    target: "relationship/northwind-managed-services",
    at,
    correlationId: "corr-1",
    ...overrides,
  };
}

/** Stores events as the decisions that made them would have (tests set the scene; nothing else writes like this). */
export async function seedAudit(storage: Storage, events: readonly AuditEvent[]): Promise<void> {
  await storage.seed.createAll(events.map(write.audit));
}

/** A CSV export's rows, read by an independent RFC 4180 parser (csv-parse) that insists on CRLF record ends. */
export function csvRows(bytes: Buffer | Uint8Array): string[][] {
  const rows: unknown = parse(Buffer.from(bytes).toString("utf8"), { bom: true, record_delimiter: "\r\n" });
  return rows as string[][];
}
