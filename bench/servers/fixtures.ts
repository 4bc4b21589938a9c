/**
 * Data the benchmarks need, written through the bot's own repositories (so every row passes the same zod
 * schemas and limits as in production). Several rows of one partition go in entity group transactions of
 * at most 100.
 */
import { DEMO } from "../../src/demo/constants.js";
import type { Invitation } from "../../src/domain/invitation.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays, INVITATION_TTL_DAYS } from "../../src/domain/time.js";
import { write } from "../../src/domain/decision.js";
import type { Storage } from "../../src/storage/index.js";

export const MAX_BATCH = 100;

const hex12 = (n: number) => n.toString(16).padStart(12, "0");

/** One conversation of the turns benchmark: who talks, in which tenant, and whose invitations they accept. */
export interface BenchUser {
  index: number;
  tenantId: string;
  userId: string;
  name: string;
  conversationId: string;
  /** The partner whose invitations this user accepts (a relationship is created once, then updated). */
  partnerId: string;
  partnerName: string;
}

/**
 * "tenants": conversation i is the Global administrator of its own customer tenant i (the bot is multi-tenant;
 * 100 concurrent conversations are 100 people, most of them in different organizations).
 * "demo": every conversation is the demo admin of the demo tenant (one user in N conversations, one partition).
 */
export type TurnsMode = "tenants" | "demo";

export function turnsUsers(count: number, mode: TurnsMode): BenchUser[] {
  return Array.from({ length: count }, (_, index) => {
    if (mode === "demo") {
      return {
        index,
        tenantId: DEMO.customerTenantId,
        userId: DEMO.admin.userId,
        name: DEMO.admin.name,
        conversationId: `a:bench-demo-${index}`,
        // Distinct partners: two conversations accepting from one partner at once would conflict on one relationship row.
        partnerId: `bench-partner-${index}`,
        partnerName: `Bench Partner ${index}`,
      };
    }
    return {
      index,
      tenantId: `be4c0000-0000-4000-8000-${hex12(index)}`,
      userId: `be4ca000-0000-4000-8000-${hex12(index)}`,
      name: `Bench Admin ${index}`,
      conversationId: `a:bench-${index}`,
      partnerId: DEMO.invitingPartnerId,
      partnerName: "Contoso Cloud Partners",
    };
  });
}

/** Tenant profiles and Global administrator role assignments for the benchmark's users. */
export async function setupTurnsUsers(repos: Storage, users: readonly BenchUser[], now: Date): Promise<void> {
  const at = now.toISOString();
  const seen = new Set<string>();
  for (const user of users) {
    const key = `${user.tenantId}|${user.userId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await repos.seed.upsert(write.tenantProfile({ tenantId: user.tenantId, displayName: `Bench Customer ${user.index}`, updatedAt: at }));
    await repos.roleAssignments.upsert({
      tenantId: user.tenantId,
      userId: user.userId,
      roleId: ROLE.globalAdministrator,
      userName: user.name,
      assignedAt: at,
    });
  }
}

export const invitationId = (load: number, round: number, user: number) => `bench-l${load}-r${round}-c${user}`;

export function pendingInvitation(id: string, tenantId: string, partnerId: string, partnerName: string, now: Date): Invitation {
  const at = now.toISOString();
  return {
    id,
    tenantId,
    partnerId,
    partnerName,
    relationshipTypes: ["resellerAndDelegatedAdministrator"],
    roles: [ROLE.helpdeskAdministrator, ROLE.licenseAdministrator],
    durationDays: 180,
    message: "We would like to take over licensing and first-line support.",
    status: "pending",
    createdAt: at,
    expiresAt: addDays(at, INVITATION_TTL_DAYS),
  };
}

/** One pending invitation per user and round of one load, written per tenant partition in batches of 100. */
export async function seedInvitations(
  repos: Storage,
  users: readonly BenchUser[],
  load: number,
  rounds: number,
  now: Date,
): Promise<number> {
  const byTenant = new Map<string, Invitation[]>();
  for (const user of users) {
    for (let round = 0; round < rounds; round++) {
      const list = byTenant.get(user.tenantId) ?? [];
      list.push(pendingInvitation(invitationId(load, round, user.index), user.tenantId, user.partnerId, user.partnerName, now));
      byTenant.set(user.tenantId, list);
    }
  }
  const all = [...byTenant.values()].flat();
  await repos.seed.createAll(all.map(write.invitation));
  return all.length;
}

/** The round-trip benchmark's own customer tenant: admins, invitations and relationships for every action it runs. */
/**
 * What the benchmark's admin types into the accept step for Partner Center's Agreement record: an acceptance
 * without it is refused with the card back, which would measure a refusal instead of a decision.
 */
export const ACCEPTING_CONTACT = { firstName: "Bench", lastName: "Admin", email: "bench.admin@fabrikam.example" } as const;

export const RT = {
  tenantId: "be4cf000-0000-4000-8000-000000000001",
  /** The admin whose turns are counted warm (roles cached, conversation reference stored). */
  warmAdmin: "be4cf000-0000-4000-8000-0000000000a0",
  /** Fresh admins: each one's first turn is counted cold. */
  coldAdmin: (i: number) => `be4cf000-0000-4000-8000-0000000000c${i}`,
  coldAdmins: 4,
  partners: {
    removeRoles: "northwind-managed-services",
    agreement: "coral-managed-services-group",
    end: "contoso-cloud-partners",
  },
  invitations: {
    show: "rt-show",
    acceptCold: "rt-accept-cold",
    acceptWarm: "rt-accept-warm",
    decline: "rt-decline",
    showCold: "rt-show-cold",
  },
} as const;

export async function setupRoundTrips(repos: Storage, now: Date): Promise<void> {
  const at = now.toISOString();
  await repos.seed.upsert(write.tenantProfile({ tenantId: RT.tenantId, displayName: "Round Trip Corp", updatedAt: at }));
  const admins = [
    { id: RT.warmAdmin, name: "RT Warm Admin" },
    ...Array.from({ length: RT.coldAdmins }, (_, i) => ({ id: RT.coldAdmin(i), name: `RT Cold Admin ${i}` })),
  ];
  for (const admin of admins) {
    await repos.roleAssignments.upsert({
      tenantId: RT.tenantId,
      userId: admin.id,
      roleId: ROLE.globalAdministrator,
      userName: admin.name,
      assignedAt: at,
    });
  }
  const partnerNames: Record<string, string> = {
    "northwind-managed-services": "Northwind Managed Services",
    "coral-managed-services-group": "Coral Managed Services Group",
    "contoso-cloud-partners": "Contoso Cloud Partners",
    "juniper-networks-partners": "Juniper Networks Partners",
    "quartz-solutions-partners": "Quartz Solutions Partners",
  };
  const invitations: Array<[string, string]> = [
    [RT.invitations.show, "juniper-networks-partners"],
    [RT.invitations.showCold, "juniper-networks-partners"],
    [RT.invitations.acceptCold, "quartz-solutions-partners"],
    [RT.invitations.acceptWarm, "juniper-networks-partners"],
    [RT.invitations.decline, "quartz-solutions-partners"],
  ];
  const rows = invitations.map(([id, partnerId]) =>
    write.invitation(pendingInvitation(id, RT.tenantId, partnerId, partnerNames[partnerId]!, now)),
  );
  const since = addDays(at, -60);
  const relationship = (partnerId: string, agreement: Relationship["agreement"]): Relationship => ({
    tenantId: RT.tenantId,
    partnerId,
    partnerName: partnerNames[partnerId]!,
    types: ["resellerAndDelegatedAdministrator"],
    roles: [
      { roleId: ROLE.helpdeskAdministrator, expiresAt: addDays(since, 365) },
      { roleId: ROLE.userAdministrator, expiresAt: addDays(since, 365) },
    ],
    agreement,
    status: "active",
    since,
    endsAt: addDays(since, 365),
  });
  rows.push(
    write.relationship(relationship(RT.partners.removeRoles, { status: "accepted", version: DEMO.agreementVersion })),
    write.relationship(relationship(RT.partners.agreement, { status: "notAccepted" })),
    write.relationship(relationship(RT.partners.end, { status: "accepted", version: DEMO.agreementVersion })),
  );
  await repos.seed.createAll(rows);
}
