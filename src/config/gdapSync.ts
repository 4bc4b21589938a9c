import type { z } from "zod";
import { wholeNumber } from "./settings.js";

/**
 * The status sync (src/gdapSync): how often every connected partner's GDAP relationships are read from Microsoft
 * Graph. Opening a relationship whose partner was last checked more than a minute ago syncs it on demand anyway.
 */
export const gdapSyncSettings = {
  GDAP_SYNC_INTERVAL_SECONDS: wholeNumber(
    "GDAP_SYNC_INTERVAL_SECONDS",
    300,
    0,
    86_400,
    "GDAP_SYNC_INTERVAL_SECONDS must be a whole number of seconds between 0 (no scheduled sync) and 86400, e.g. GDAP_SYNC_INTERVAL_SECONDS=300",
  ),
};

type GdapSyncSettings = z.output<z.ZodObject<typeof gdapSyncSettings>>;

export function gdapSyncFrom(e: GdapSyncSettings) {
  return {
    /** Between scheduled passes; 0 turns the schedule off. */
    intervalMs: e.GDAP_SYNC_INTERVAL_SECONDS * 1000,
    /** Each wait is the interval ± 20 %, so instances started together do not read Graph in lockstep. */
    jitter: 0.2,
  };
}
