import { formatMessage } from "../../cards/messages.js";
import type { Strings } from "../../cards/strings.js";
import type { AuditEvent } from "../../domain/audit.js";
import { CSV_BOM, csvLine } from "./csv.js";

/** "Ada Admin accepted the invitation and authorized the partner": the history's own sentence, in the reader's language. */
export function auditSentence(event: AuditEvent, s: Strings): string {
  const texts = s.audit as Record<string, string>;
  // An action this release has no sentence for (a newer release's row) still reads as a sentence, never as a code.
  const template = Object.hasOwn(texts, event.action) ? (texts[event.action] ?? s.audit.other) : s.audit.other;
  return formatMessage(s, template, { actor: event.actor.name });
}

/** ISO 8601 in UTC to the second ("2026-01-05T10:00:00Z"): one unambiguous form for every reader and tool. */
export const isoUtc = (iso: string): string => new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");

/** What the event changed and the turn it was decided on, as compact JSON: for the auditor who wants the record itself. */
function details(event: AuditEvent): string {
  const record: Record<string, unknown> = {};
  if (event.before !== undefined) record["before"] = event.before;
  if (event.after !== undefined) record["after"] = event.after;
  record["correlationId"] = event.correlationId;
  return JSON.stringify(record);
}

/**
 * The export file's text: the BOM, a header row in the reader's language, then one event per row in the order
 * given (the caller passes them oldest first, as a history reads).
 */
export function auditCsv(events: readonly AuditEvent[], s: Strings): string {
  const c = s.auditExport.columns;
  const header = csvLine([c.time, c.actorName, c.actorId, c.action, c.sentence, c.target, c.details]);
  const rows = events.map((e) =>
    csvLine([isoUtc(e.at), e.actor.name, e.actor.userId, e.action, auditSentence(e, s), e.target, details(e)]),
  );
  return CSV_BOM + header + rows.join("");
}
