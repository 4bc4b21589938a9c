import { formatMessage } from "../../cards/messages.js";
import type { Strings } from "../../cards/strings.js";
import { fail, ok, type Result } from "../../domain/result.js";
import { authorize } from "../authorize.js";
import { formatDate } from "../cardText.js";
import type { AuditHistory, Ports } from "../ports.js";
import { defineRoute, type FeatureContext } from "../types.js";
import { VERBS } from "../verbs.js";
import { auditCsv } from "./auditCsv.js";
import { ExportRangeSchema, rangeInstants, rangeProblem, type ExportRange } from "./range.js";

/**
 * At most this many events in one file: a chat file and an Excel sheet stay usable, and one request reads a
 * bounded number of pages. A longer history is exported in several ranges, and the answer says so.
 */
export const MAX_EXPORT_ROWS = 10_000;

export const EXPORT_ERRORS = { badRange: "EXPORT.BAD_RANGE" } as const;

/** One export, built: the file and what to say about it. The file's content never goes into card data. */
export interface AuditExport {
  fileName: string;
  csv: Uint8Array;
  events: number;
  /** More events than MAX_EXPORT_ROWS were in the range: the file holds the newest ones. */
  truncated: boolean;
  range: ExportRange;
  /** "12 events from 1 Jan 2026 to 31 Mar 2026, as a CSV file for Excel." (and, when truncated, what is left out). */
  summary: string;
  /** One line for Teams' file consent card. */
  description: string;
  /** The sentence posted with the file once it is saved. */
  handedOver: string;
}

/**
 * The tenant's history in the range as CSV, oldest first: one RowKey range in the tenant's partition, read newest
 * first up to one more than the bound (so a longer history is known to be one). No authorization: the caller
 * decides who may (the bot checks the admin's roles, the operators' CLI runs with storage access).
 */
export async function buildAuditExport(
  audit: AuditHistory,
  tenantId: string,
  range: ExportRange,
  reader: { strings: Strings; locale: string; now: Date },
  maxRows: number = MAX_EXPORT_ROWS,
): Promise<AuditExport> {
  const s = reader.strings;
  const newestFirst = await audit.between(tenantId, rangeInstants(range), maxRows + 1);
  const truncated = newestFirst.length > maxRows;
  const events = newestFirst.slice(0, maxRows).reverse();
  const text = rangeText(range, s, reader.locale);
  const count = events.length;
  const ready = formatMessage(s, s.auditExport.ready, { count, range: text });
  const oldest = events[0];
  const summary =
    truncated && oldest
      ? `${ready} ${formatMessage(s, s.auditExport.truncated, { max: maxRows, oldest: formatDate(oldest.at, reader.locale) })}`
      : ready;
  return {
    fileName: `partner-desk-history-${range.from ?? "start"}-to-${range.to ?? reader.now.toISOString().slice(0, 10)}.csv`,
    csv: new TextEncoder().encode(auditCsv(events, s)),
    events: count,
    truncated,
    range,
    summary,
    description: formatMessage(s, s.auditExport.fileDescription, { count, range: text }),
    handedOver: formatMessage(s, s.auditExport.uploaded, { count, range: text }),
  };
}

/** "from 1 Jan 2026 to 31 Mar 2026", "up to and including 31 Mar 2026", "since the beginning". */
export function rangeText(range: ExportRange, s: Strings, locale: string): string {
  const day = (d: string) => formatDate(`${d}T00:00:00Z`, locale);
  if (range.from !== undefined && range.to !== undefined)
    return formatMessage(s, s.auditExport.rangeBetween, { from: day(range.from), to: day(range.to) });
  if (range.from !== undefined) return formatMessage(s, s.auditExport.rangeFrom, { from: day(range.from) });
  if (range.to !== undefined) return formatMessage(s, s.auditExport.rangeTo, { to: day(range.to) });
  return s.auditExport.rangeAll;
}

export type ExportContext = FeatureContext<Pick<Ports, "auditHistory" | "roleHolders">>;

/**
 * The export for the person on the turn: only a Global or Billing administrator, only their own organization, only
 * a range that exists. The bot calls it when the export is asked for and again when Teams says the file may be
 * saved: the roles are checked and the history read afresh each time, from the identity the channel vouched for.
 */
export async function exportForActor(ctx: ExportContext, range: ExportRange): Promise<Result<AuditExport>> {
  const denied = await authorize(ctx, "audit.export");
  if (denied) return denied;
  const s = ctx.strings;
  const problem = rangeProblem(range);
  if (problem?.kind === "notADay") return fail(EXPORT_ERRORS.badRange, formatMessage(s, s.auditExport.badDate, { date: problem.day }));
  if (problem) return fail(EXPORT_ERRORS.badRange, formatMessage(s, s.auditExport.badOrder, { from: problem.from, to: problem.to }));
  return ok(
    await buildAuditExport(ctx.ports.auditHistory, ctx.identity.tenantId, range, { strings: s, locale: ctx.identity.locale, now: ctx.now }),
  );
}

/** `export history [from YYYY-MM-DD] [to YYYY-MM-DD]`, typed or from the menu: the summary card, and the file for the bot to send. */
export const requestAuditExport = defineRoute({
  verb: VERBS.auditExport.request,
  schema: ExportRangeSchema,
  async handle(input, ctx: ExportContext) {
    const built = await exportForActor(ctx, input);
    // A range that cannot be read is answered with how to write one, on a card with the menu, not as an error.
    if (!built.ok && built.code === EXPORT_ERRORS.badRange) return ok({ card: exportCard(ctx, built.message) });
    if (!built.ok) return built;
    const { fileName, csv, description, summary, range } = built.value;
    return ok({
      card: exportCard(ctx, summary),
      file: { name: fileName, bytes: csv, contentType: "text/csv", description, rebuild: { ...range } },
    });
  },
});

function exportCard(ctx: ExportContext, message: string) {
  const s = ctx.strings;
  return ctx.card("notice", {
    banner: null,
    simulationLabel: "",
    title: s.auditExport.title,
    message,
    facts: [],
    detailsTitle: "",
    details: "",
    actions: [{ title: s.common.menu, verb: VERBS.menu.show, data: {} }],
  });
}
