import type { MicrosoftSide } from "./microsoftSide.js";

/**
 * What Microsoft answered when a connected partner's connection carried out a customer's removal of roles (or the
 * end of a relationship) in the partner's tenant. Partner Desk records exactly this, never more:
 * - `removed`: Graph answered the PATCH of accessDetails with 200 and the relationship without the roles;
 * - `accepted`: Graph answered 202 Accepted: a long-running operation that Microsoft carries out (the status sync
 *   confirms it later), so nothing may say the roles are gone yet;
 * - `terminationRequested`: no role would remain, so the relationship was terminated (requests: terminate) and
 *   is terminationRequested → terminating → terminated in Microsoft;
 * - `nothingToRemove`: Microsoft's fresh read showed none of the roles (or the relationship already ending or
 *   ended), so there was nothing to send.
 */
export const REMOVAL_ANSWERS = ["removed", "accepted", "terminationRequested", "nothingToRemove"] as const;
export type RemovalAnswer = (typeof REMOVAL_ANSWERS)[number];

export interface CarriedOutRemoval {
  answer: RemovalAnswer;
  /** The GDAP relationship as Microsoft showed it: after the change for `removed` and `terminationRequested`. */
  side: MicrosoftSide;
  /** For `accepted`: where Graph said the long-running operation can be read (its Location header), if it gave one. */
  operationUrl?: string;
}

/** GDAP statuses in which the roles are in effect in the customer's tenant: the only ones a removal can change. */
export const IN_EFFECT: ReadonlySet<string> = new Set(["active", "expiring"]);

/** Statuses in which Microsoft already ends (or ended) the relationship: its roles go with it, nothing to send. */
export const ENDING_OR_ENDED: ReadonlySet<string> = new Set(["terminationRequested", "terminating", "terminated", "expired"]);
