import { z } from "zod";
import { rateWindows, setting, wholeNumber } from "./settings.js";

/** The outbox dispatcher: Teams' published limits by default; every figure can be changed. */
export const notificationSettings = {
  NOTIFY_ENABLED: setting(z.enum(["true", "false"], { message: "NOTIFY_ENABLED must be true or false" }).default("true")),
  NOTIFY_POLL_MS: wholeNumber("NOTIFY_POLL_MS", 2_000, 50, 3_600_000),
  NOTIFY_LEASE_MS: wholeNumber("NOTIFY_LEASE_MS", 60_000, 1_000, 3_600_000),
  NOTIFY_CONCURRENCY: wholeNumber("NOTIFY_CONCURRENCY", 8, 1, 256),
  NOTIFY_MAX_ATTEMPTS: wholeNumber("NOTIFY_MAX_ATTEMPTS", 6, 1, 50),
  NOTIFY_BASE_DELAY_MS: wholeNumber("NOTIFY_BASE_DELAY_MS", 500, 1, 600_000),
  NOTIFY_MAX_DELAY_MS: wholeNumber("NOTIFY_MAX_DELAY_MS", 30_000, 1, 3_600_000),
  NOTIFY_CONVERSATION_LIMITS: rateWindows("NOTIFY_CONVERSATION_LIMITS", "7/1000,8/2000,60/30000,1800/3600000"),
  NOTIFY_TENANT_LIMITS: rateWindows("NOTIFY_TENANT_LIMITS", "30/1000"),
  NOTIFY_GUARD_MS: wholeNumber("NOTIFY_GUARD_MS", 25, 0, 1_000),
};

type NotificationSettings = z.output<z.ZodObject<typeof notificationSettings>>;

export function notificationsFrom(e: NotificationSettings) {
  // The limiter times a send when it leaves; Teams counts it when it arrives. A few milliseconds of guard on every
  // window keep network jitter from tipping exact-edge sends over (bench/RESULTS.md, section 4b).
  const guarded = (windows: Array<{ limit: number; perMs: number }>) => windows.map((w) => ({ ...w, perMs: w.perMs + e.NOTIFY_GUARD_MS }));
  return {
    enabled: e.NOTIFY_ENABLED === "true",
    pollIntervalMs: e.NOTIFY_POLL_MS,
    leaseMs: e.NOTIFY_LEASE_MS,
    concurrency: e.NOTIFY_CONCURRENCY,
    retry: { maxAttempts: e.NOTIFY_MAX_ATTEMPTS, baseDelayMs: e.NOTIFY_BASE_DELAY_MS, maxDelayMs: e.NOTIFY_MAX_DELAY_MS, jitter: 0.2 },
    limits: {
      perConversation: guarded(e.NOTIFY_CONVERSATION_LIMITS),
      perTenant: guarded(e.NOTIFY_TENANT_LIMITS),
      /** Every window above already includes it; the limiter also needs it on its own (RateLimits.guardMs). */
      guardMs: e.NOTIFY_GUARD_MS,
    },
  };
}
