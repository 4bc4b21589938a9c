import { write } from "../domain/decision.js";
import type { Storage } from "../storage/index.js";
import { DEMO } from "./constants.js";
import { seedDemoStory } from "./seed.js";

/**
 * `reset demo`: the demo tenant's invitations and relationships back to the seeded story (one pending invitation
 * from Contoso Cloud Partners, Northwind Managed Services active with its admin roles), whatever a tester did.
 * Only the local demo wires it (the composition root), and it touches the demo tenant's partition alone; the audit
 * history stays, so what was done before the reset can still be read.
 */
export async function resetDemo(repos: Storage, now: Date): Promise<{ pendingInvitations: number }> {
  const [invitations, relationships] = await Promise.all([
    repos.invitations.listForTenant(DEMO.customerTenantId),
    repos.relationships.listForTenant(DEMO.customerTenantId),
  ]);
  // Deleted with the ETag just read: a row changed meanwhile (a press in another chat) fails the reset loudly.
  for (const read of invitations) await repos.seed.delete(write.invitation(read.value), read.etag);
  for (const read of relationships) await repos.seed.delete(write.relationship(read.value), read.etag);
  // Four-eyes back to its default (off): on the Emulator there is one admin, who could never give a second approval.
  const policy = await repos.tenantPolicies.get(DEMO.customerTenantId);
  if (policy) await repos.seed.delete(write.tenantPolicy(policy.value), policy.etag);
  // Reference data (directory, agreement, roles) is the same every start: only the story is put back.
  const seeded = await seedDemoStory(repos, now.toISOString());
  return { pendingInvitations: seeded.pendingInvitations };
}
