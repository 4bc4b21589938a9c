/**
 * The scene of the steady-state passes (section 2, "steady state"): the demo's partner has records in many customer
 * tenants, and several partners are connected for the GDAP status sync. Written as the bot writes them (the seeder and
 * decisions), so the work indexes hold their pointers as in production.
 */
import { randomUUID } from "node:crypto";
import { connectPartner } from "../../src/domain/connectionDecisions.js";
import { write, type Write } from "../../src/domain/decision.js";
import { ROLE } from "../../src/domain/roles.js";
import type { Storage } from "../../src/storage/index.js";

export const STEADY = { customers: 40, connectedPartners: 5 } as const;
const customer = (i: number) => `5eed0000-0000-4000-8000-${String(i).padStart(12, "0")}`;
const partnerTenant = (i: number) => `5eedf000-0000-4000-8000-${String(i).padStart(12, "0")}`;

export async function setupSteadyState(storage: Storage, partnerId: string, now: Date): Promise<void> {
  const at = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
  const ends = new Date(now.getTime() + 300 * 86_400_000).toISOString();
  for (let i = 0; i < STEADY.customers; i++) {
    const tenantId = customer(i);
    const writes: Write[] = [
      write.tenantProfile({ tenantId, displayName: `Steady Customer ${i}`, updatedAt: at(0) }),
      write.contactRequest({
        id: `CR-${randomUUID().slice(0, 10)}`,
        tenantId,
        partnerIds: [partnerId],
        businessNeeds: "Move mailboxes to Exchange Online",
        requester: { userId: `steady-admin-${i}`, name: `Steady Admin ${i}` },
        createdAt: at(i),
      }),
      write.invitation({
        id: randomUUID(),
        tenantId,
        partnerId,
        partnerName: "Contoso Cloud Partners",
        relationshipTypes: ["reseller"],
        roles: [],
        durationDays: 180,
        message: "",
        status: "pending",
        createdAt: at(i),
        expiresAt: ends,
      }),
      write.relationship({
        tenantId,
        partnerId,
        partnerName: "Contoso Cloud Partners",
        types: ["resellerAndDelegatedAdministrator"],
        roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: ends }],
        agreement: { status: "accepted", version: "2024-06" },
        status: "active",
        since: at(1000),
        endsAt: ends,
      }),
    ];
    await storage.seed.createAll(writes);
  }
  for (let i = 0; i < STEADY.connectedPartners; i++) {
    const ctx = {
      tenantId: partnerTenant(i),
      actor: { userId: `steady-contact-${i}`, name: `Steady Contact ${i}` },
      now: at(0),
      correlationId: `bench-${randomUUID()}`,
      newId: () => randomUUID(),
    };
    const connected = connectPartner(undefined, { partnerId: `steady-partner-${i}`, relationships: 0 }, ctx);
    const result = await storage.decisions.commit(connected.decision);
    if (!result.ok) throw new Error(`could not connect steady-partner-${i}: ${result.message}`);
  }
}
