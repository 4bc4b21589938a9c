import { z } from "zod";
import type { Relationship } from "./relationship.js";

/**
 * Expiry warnings (issue 13, item 1): 30, 7 and 1 days before a relationship or some of its roles end, and on the
 * day, the customer's admins and the partner's contacts are told. Pure: what ends when, when each warning is due,
 * which one a run sends, and how it is worded for the day it is actually sent (late ones say what is true then).
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The days before the end the warnings go out by default (EXPIRY_WARNING_DAYS); 0 is the day it ends. */
export const DEFAULT_WARNING_DAYS: readonly number[] = [30, 7, 1, 0];

/**
 * How long after an end its warning may still go out late (the bot was down): past it, nothing is sent, because a
 * card about something that ended over a week ago helps nobody and the status sync has told them already.
 */
export const LATE_LIMIT_DAYS = 7;

/** "YYYY-MM-DD" of an instant, in UTC: the day warnings are counted in. */
export const utcDay = (at: Date | string): string => new Date(at).toISOString().slice(0, 10);
const dayStart = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);

/** Whole calendar days from `from` to `to` (UTC): 1 is tomorrow, -1 yesterday. */
export const daysBetween = (from: Date | string, to: Date | string): number =>
  Math.round((dayStart(utcDay(to)) - dayStart(utcDay(from))) / DAY_MS);

/** One end a warning can be about: the whole relationship, or only some of its roles (ending earlier). */
export interface EndMoment {
  endsAt: string;
  /** Role template ids that end at that moment (every role, when the relationship ends). */
  roles: string[];
  whole: boolean;
}

/** Every distinct end of a relationship still in force: its own end, and roles that end at another time. */
export function endMoments(r: Relationship): EndMoment[] {
  if (r.status !== "active" && r.status !== "expired") return [];
  const moments: EndMoment[] = [];
  if (r.endsAt) moments.push({ endsAt: r.endsAt, roles: r.roles.map((g) => g.roleId), whole: true });
  const byEnd = new Map<string, string[]>();
  for (const g of r.roles) {
    if (r.endsAt && Date.parse(g.expiresAt) === Date.parse(r.endsAt)) continue;
    byEnd.set(g.expiresAt, [...(byEnd.get(g.expiresAt) ?? []), g.roleId]);
  }
  for (const [endsAt, roles] of [...byEnd].sort(([a], [b]) => a.localeCompare(b))) moments.push({ endsAt, roles, whole: false });
  return moments;
}

/** When the warning `daysBefore` an end is due: the start (00:00 UTC) of that calendar day. */
export const warningDueAt = (endsAt: string, daysBefore: number): Date => new Date(dayStart(utcDay(endsAt)) - daysBefore * DAY_MS);

/**
 * The one warning a run at `now` sends for an end: the most urgent threshold whose day has come (a bot that was down
 * through the 30- and the 7-day warning sends one card, "ends in 5 days", not two). Undefined before the first is
 * due, and past the late limit.
 */
export function mostUrgentDue(endsAt: string, thresholds: readonly number[], now: Date): number | undefined {
  if (daysBetween(endsAt, now) > LATE_LIMIT_DAYS) return undefined;
  const due = thresholds.filter((t) => warningDueAt(endsAt, t).getTime() <= now.getTime());
  return due.length > 0 ? Math.min(...due) : undefined;
}

/** How a warning reads on the day it is sent: counted from that day, so a late one never says "30 days". */
export type ExpiryWording =
  { kind: "endsIn"; days: number } | { kind: "endsToday" } | { kind: "endedToday" } | { kind: "ended"; daysAgo: number };

export function expiryWording(endsAt: string, now: Date): ExpiryWording {
  const days = daysBetween(now, endsAt);
  if (days > 0) return { kind: "endsIn", days };
  if (days === 0) return now.getTime() < Date.parse(endsAt) ? { kind: "endsToday" } : { kind: "endedToday" };
  return { kind: "ended", daysAgo: -days };
}

/** The marker of one sent warning, in the customer's partition: its creation is what makes the warning once only. */
export const ExpiryWarningSchema = z.object({
  tenantId: z.string().min(1),
  partnerId: z.string().min(1),
  /** The end it warned about: a relationship renewed to a new end gets warnings of its own. */
  endsAt: z.iso.datetime(),
  /** The threshold it was sent for (days before the end). */
  daysBefore: z.number().int().min(0),
  sentAt: z.iso.datetime(),
  /** Sent after its day (the bot was down or the end was set late). */
  late: z.boolean(),
});
export type ExpiryWarning = z.infer<typeof ExpiryWarningSchema>;

/**
 * An admin's "Let it end" for one end of a relationship, in the customer's partition: the admins have seen it coming
 * and chose to let it end, so the later warnings about that end go to the partner only. Created once per end (a
 * second admin's press finds it there); an end that moves (renewed, extended) is a different end and warns again.
 */
export const LetItEndSchema = z.object({
  tenantId: z.string().min(1),
  partnerId: z.string().min(1),
  endsAt: z.iso.datetime(),
  by: z.object({ userId: z.string().min(1), name: z.string() }),
  at: z.iso.datetime(),
});
export type LetItEnd = z.infer<typeof LetItEndSchema>;

/** What the scheduler's index key of a warning names: `<partner id>|<end>|<days before>`. */
export interface ExpiryKey {
  partnerId: string;
  endsAt: string;
  daysBefore: number;
}

export const expiryKey = (k: ExpiryKey): string => `${k.partnerId}|${k.endsAt}|${k.daysBefore}`;

export function parseExpiryKey(key: string): ExpiryKey | undefined {
  const parts = key.split("|");
  if (parts.length !== 3) return undefined;
  const [partnerId, endsAt, days] = parts as [string, string, string];
  const daysBefore = Number(days);
  if (!partnerId || Number.isNaN(Date.parse(endsAt)) || !Number.isInteger(daysBefore) || daysBefore < 0) return undefined;
  return { partnerId, endsAt, daysBefore };
}
