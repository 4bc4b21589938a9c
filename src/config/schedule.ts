import { z } from "zod";
import { DEFAULT_WARNING_DAYS } from "../domain/expiryWarning.js";
import { setting, wholeNumber } from "./settings.js";

/** The scheduler beside the outbox (src/jobs) and the expiry warnings it sends. */
export const scheduleSettings = {
  SCHEDULE_INTERVAL_SECONDS: wholeNumber(
    "SCHEDULE_INTERVAL_SECONDS",
    300,
    0,
    86_400,
    "SCHEDULE_INTERVAL_SECONDS must be a whole number of seconds between 0 (no scheduled passes) and 86400, e.g. SCHEDULE_INTERVAL_SECONDS=300",
  ),
  SCHEDULE_LEASE_SECONDS: wholeNumber("SCHEDULE_LEASE_SECONDS", 120, 5, 3_600),
  SCHEDULE_SWEEP_HOURS: wholeNumber("SCHEDULE_SWEEP_HOURS", 24, 0, 720),
  INDEX_SWEEP_HOURS: wholeNumber("INDEX_SWEEP_HOURS", 24, 0, 720),
  ACCESS_REVIEW_MONTHS: setting(
    z
      .string()
      .trim()
      .default("3")
      .refine(
        (v) => ["1", "2", "3", "4", "6", "12"].includes(v),
        "ACCESS_REVIEW_MONTHS must divide the year into equal periods: 1, 2, 3, 4, 6 or 12, e.g. ACCESS_REVIEW_MONTHS=3",
      )
      .transform(Number),
  ),
  EXPIRY_WARNING_DAYS: setting(
    z
      .string()
      .trim()
      .default(DEFAULT_WARNING_DAYS.join(","))
      .refine(
        (v) => /^\d{1,3}(\s*,\s*\d{1,3})*$/.test(v) && v.split(",").every((d) => Number(d) <= 365),
        "EXPIRY_WARNING_DAYS must list whole numbers of days (0-365) before the end, separated by commas, e.g. EXPIRY_WARNING_DAYS=30,7,1,0",
      )
      .transform((v) => [...new Set(v.split(",").map((d) => Number(d.trim())))].sort((a, b) => b - a)),
  ),
};

type ScheduleSettings = z.output<z.ZodObject<typeof scheduleSettings>>;

export function scheduleFrom(e: ScheduleSettings) {
  return {
    /** Between passes; 0: no timer (passes only on demand: tests, tools). */
    intervalMs: e.SCHEDULE_INTERVAL_SECONDS * 1000,
    leaseMs: e.SCHEDULE_LEASE_SECONDS * 1000,
    /** At most one safety-net sweep per this long (across instances); 0: never. */
    sweepIntervalMs: e.SCHEDULE_SWEEP_HOURS * 3_600_000,
    /** At most one sweep of the work indexes (a partner's records, the partners the sync follows) per this long; 0: never. */
    indexSweepIntervalMs: e.INDEX_SWEEP_HOURS * 3_600_000,
    /** Months between scheduled access reviews (periods start on 1 Jan, so they divide the year). */
    accessReviewEveryMonths: e.ACCESS_REVIEW_MONTHS,
    /** Days before an end the expiry warnings go out, largest first; 0 is the day it ends. */
    expiryWarningDays: e.EXPIRY_WARNING_DAYS as readonly number[],
  };
}
