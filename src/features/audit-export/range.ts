import { z } from "zod";

/**
 * The days an export covers, as people write them (YYYY-MM-DD, UTC days), both ends included; either may be left
 * open. What a card or a typed request sends is only shaped here: whether the days exist and come in order is
 * checked by `rangeProblem`, so the answer can say which day is wrong.
 */
const DAY_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
export const ExportRangeSchema = z
  .object({ from: z.string().regex(DAY_SHAPE).optional(), to: z.string().regex(DAY_SHAPE).optional() })
  .strict();
export type ExportRange = z.infer<typeof ExportRangeSchema>;

const DAY_MS = 86_400_000;

/** Whether "2026-02-30" names a real day: the calendar, not just the shape. */
export const isRealDay = (day: string): boolean =>
  DAY_SHAPE.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);

export type RangeProblem = { kind: "notADay"; day: string } | { kind: "order"; from: string; to: string };

/** What is wrong with a range, if anything: a day that does not exist, or an end before the start. */
export function rangeProblem(range: ExportRange): RangeProblem | undefined {
  for (const day of [range.from, range.to]) if (day !== undefined && !isRealDay(day)) return { kind: "notADay", day };
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) return { kind: "order", from: range.from, to: range.to };
  return undefined;
}

/** The instants a (valid) range covers: from the start of `from` to the end of `to`, as [from, until). */
export function rangeInstants(range: ExportRange): { from?: string; until?: string } {
  return {
    ...(range.from !== undefined ? { from: `${range.from}T00:00:00.000Z` } : {}),
    ...(range.to !== undefined ? { until: new Date(Date.parse(`${range.to}T00:00:00Z`) + DAY_MS).toISOString() } : {}),
  };
}

/** Words that put a lone date at the end of the range ("export history until 2026-03-31"); any other puts it at the start. */
const END_WORDS = new Set(["to", "until", "till", "through", "thru", "before", "up", "tom", "t.o.m.", "t.o.m", "innan", "fore", "före"]);

/**
 * The range in a typed request: "export history from 2026-01-01 to 2026-03-31", "2026-01-01..2026-03-31",
 * "exportera historik från 2026-01-01 till 2026-03-31", "since 2026-01-01", "until 2026-03-31". Two dates are the
 * start and the end, in the order written; one date is the start unless the word before it says end.
 */
export function rangeFromText(text: string): ExportRange {
  const dates = [...text.matchAll(/(?<![\d-])(\d{4}-\d{1,2}-\d{1,2})(?![\d-])/g)].map((m) => ({
    day: normalisedDay(m[1]!),
    before: text.slice(0, m.index).trim().split(/\s+/).pop()?.toLowerCase() ?? "",
  }));
  const [first, second] = dates;
  if (!first) return {};
  if (second) return { from: first.day, to: second.day };
  return END_WORDS.has(first.before) ? { to: first.day } : { from: first.day };
}

/** "2026-1-5" as "2026-01-05": people leave out leading zeros. */
function normalisedDay(text: string): string {
  const [year, month, day] = text.split("-");
  return `${year}-${month!.padStart(2, "0")}-${day!.padStart(2, "0")}`;
}
