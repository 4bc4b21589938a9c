import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";

/**
 * `count` relationships of one tenant, as a long-standing customer accumulates them: every fifth ended, every
 * fourth holding Global administrator, every third without the agreement, and every seventh ending within days.
 * Names are long on purpose (the card's size grows with them). Partner i is "partner-NN".
 */
export function manyRelationships(tenantId: string, count: number, now: Date): Relationship[] {
  const today = now.toISOString();
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, "0");
    const ended = i % 5 === 4;
    const endsAt = i % 7 === 0 ? addDays(today, 10) : addDays(today, 300);
    return {
      tenantId,
      partnerId: `partner-${n}`,
      partnerName: `Partner ${n} Managed Cloud Services and Consulting International`,
      types: ["resellerAndDelegatedAdministrator"],
      roles: [
        { roleId: i % 4 === 0 ? ROLE.globalAdministrator : ROLE.helpdeskAdministrator, expiresAt: endsAt },
        { roleId: ROLE.userAdministrator, expiresAt: endsAt },
      ],
      agreement: i % 3 === 0 ? { status: "notAccepted" } : { status: "accepted", version: "2024-06" },
      status: ended ? "terminated" : "active",
      since: addDays(today, -400),
      endsAt,
    } satisfies Relationship;
  });
}
