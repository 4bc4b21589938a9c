import { createHash } from "node:crypto";
import { importDirectory } from "../partner-directory/importDirectory.js";
import { sampleDirectory } from "../partner-directory/sample.js";
import { MCA_TEMPLATE_ID } from "../domain/agreement.js";
import { ROLE } from "../domain/roles.js";
import { addDays, INVITATION_TTL_DAYS } from "../domain/time.js";
import { StorageConflictError } from "../storage/errors.js";
import { write } from "../domain/decision.js";
import type { Invitation } from "../domain/invitation.js";
import type { Relationship } from "../domain/relationship.js";
import type { Storage } from "../storage/index.js";
import { DEMO } from "./constants.js";
import type { SimulatedPartnerCenter } from "./simulated-partner-center/index.js";

export interface SeedSummary {
  partners: number;
  createdInvitation: boolean;
  createdRelationship: boolean;
  /** Read after seeding: the demo tenant's invitations that can be accepted now. */
  pendingInvitations: number;
  /** Read after seeding: the demo tenant's active relationships. */
  activeRelationships: number;
}

/**
 * Seeds local mode. Reference data (directory, agreement, the demo admin's role) is upserted every start;
 * the demo story (one active relationship, one pending invitation) is created only if missing, so what a
 * tester did in the last session survives a restart; but when the demo partner's invitation was decided, a
 * fresh one is sent, so every start leaves an invitation to try. The summary says what is there, as read.
 */
export async function seedDemo(repos: Storage, now: Date): Promise<SeedSummary> {
  const nowIso = now.toISOString();
  // The sample directory takes the same path as a file given to `npm run directory:import`.
  const { imported } = await importDirectory(repos.partners, sampleDirectory());
  await repos.agreements.upsert({
    version: DEMO.agreementVersion,
    title: "Microsoft Customer Agreement",
    url: "https://www.microsoft.com/licensing/docs/customeragreement",
    contentHash: createHash("sha256").update(`Microsoft Customer Agreement ${DEMO.agreementVersion}`).digest("hex"),
    effectiveFrom: "2024-06-01T00:00:00.000Z",
    templateId: MCA_TEMPLATE_ID,
  });
  await repos.seed.upsert(write.tenantProfile({ tenantId: DEMO.customerTenantId, displayName: DEMO.customerName, updatedAt: nowIso }));
  await repos.roleAssignments.upsert({
    tenantId: DEMO.admin.tenantId,
    userId: DEMO.admin.userId,
    roleId: ROLE.globalAdministrator,
    userName: DEMO.admin.name,
    assignedAt: nowIso,
  });

  return { partners: imported, ...(await seedDemoStory(repos, nowIso)) };
}

/**
 * The demo tenant's story, in its partition alone: the active relationship and an invitation to try, created when
 * missing (a fresh invitation when the demo partner's last one was decided), then counted as stored.
 */
export async function seedDemoStory(repos: Storage, nowIso: string): Promise<Omit<SeedSummary, "partners">> {
  const createdInvitation =
    (await createIfMissing(() => repos.seed.create(write.invitation(demoInvitation(DEMO.invitationId, nowIso))))) ||
    // The first invitation was decided (or ran out) in an earlier session: a fresh one, so the demo can be replayed.
    ((await pendingDemoInvitations(repos, nowIso)) === 0 &&
      (await createIfMissing(() =>
        repos.seed.create(write.invitation(demoInvitation(`${DEMO.invitationId}-${compact(nowIso)}`, nowIso))),
      )));
  const createdRelationship = await createIfMissing(() => repos.seed.create(write.relationship(demoRelationship(nowIso))));
  const [pendingInvitations, activeRelationships] = await Promise.all([
    pendingDemoInvitations(repos, nowIso, "any partner"),
    repos.relationships.listForTenant(DEMO.customerTenantId).then((all) => all.filter((r) => r.value.status === "active").length),
  ]);
  return { createdInvitation, createdRelationship, pendingInvitations, activeRelationships };
}

/** The demo partner's invitation, as the demo sends it. */
export function demoInvitation(id: string, nowIso: string): Invitation {
  return {
    id,
    tenantId: DEMO.customerTenantId,
    partnerId: DEMO.invitingPartnerId,
    partnerName: "Contoso Cloud Partners",
    relationshipTypes: ["resellerAndDelegatedAdministrator"],
    roles: [ROLE.helpdeskAdministrator, ROLE.licenseAdministrator, ROLE.globalAdministrator],
    durationDays: 180,
    message:
      "Hello! We'd like to take over your licensing and first-line support. We asked for Global administrator for the migration weeks only.",
    status: "pending",
    createdAt: nowIso,
    expiresAt: addDays(nowIso, INVITATION_TTL_DAYS),
  };
}

/** The demo partner's relationship with admin roles, as the demo starts with it. */
export function demoRelationship(nowIso: string): Relationship {
  const since = addDays(nowIso, -120);
  return {
    tenantId: DEMO.customerTenantId,
    partnerId: DEMO.activePartnerId,
    partnerName: "Northwind Managed Services",
    types: ["resellerAndDelegatedAdministrator"],
    roles: [
      { roleId: ROLE.globalAdministrator, expiresAt: addDays(since, 365) },
      { roleId: ROLE.helpdeskAdministrator, expiresAt: addDays(since, 365) },
    ],
    agreement: { status: "notAccepted" },
    status: "active",
    since,
    endsAt: addDays(since, 365),
  };
}

/** Invitations of the demo tenant that can still be accepted (from the demo partner, or from any partner). */
async function pendingDemoInvitations(
  repos: Storage,
  nowIso: string,
  from: "demo partner" | "any partner" = "demo partner",
): Promise<number> {
  const pending = await repos.invitations.listPending(DEMO.customerTenantId);
  return pending.filter((i) => i.value.expiresAt > nowIso && (from === "any partner" || i.value.partnerId === DEMO.invitingPartnerId))
    .length;
}

/** "2026-11-24T09:00:00.000Z" -> "20261124t090000": a row id part that tells when the invitation was sent. */
const compact = (iso: string) =>
  iso
    .replace(/\.\d+Z$/, "")
    .replace(/[-:]/g, "")
    .toLowerCase();

/** What the start-up banner says about the demo's data: what was read, never what was meant to be there. */
export function seededSentence(summary: SeedSummary): string {
  const count = (n: number, one: string, many: string) => `${n === 0 ? "no" : n} ${n === 1 ? one : many}`;
  return (
    `Seeded ${summary.partners} directory partners. The demo tenant has ` +
    `${count(summary.pendingInvitations, "pending invitation", "pending invitations")} and ` +
    `${count(summary.activeRelationships, "active relationship", "active relationships")}.`
  );
}

async function createIfMissing(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (error) {
    if (error instanceof StorageConflictError) return false;
    throw error;
  }
}

/**
 * The simulated Partner Center's part of the demo, set every start: Contoso Cloud Partners' tenant has consented
 * to Partner Desk there, so its contact connects with one press of Check connection.
 */
export function seedSimulatedPartnerCenter(center: Pick<SimulatedPartnerCenter, "partner">): void {
  center.partner(DEMO.partnerContact.tenantId, "granted", "Contoso Cloud Partners");
}
