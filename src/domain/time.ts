/** GDAP limits: a relationship lasts at most 730 days; a pending request expires after 90. */
export const MAX_RELATIONSHIP_DAYS = 730;
export const INVITATION_TTL_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY_MS).toISOString();
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
