import { createHash } from "node:crypto";
import { importDirectory } from "../partner-directory/importDirectory.js";
import { sampleDirectory } from "../partner-directory/sample.js";
import { MCA_TEMPLATE_ID } from "../domain/agreement.js";
import { ROLE } from "../domain/roles.js";
import { addDays, INVITATION_TTL_DAYS } from "../domain/time.js";
import { StorageConflictError } from "../storage/errors.js";
import { write } from "../domain/decision.js";
import type { Storage } from "../storage/index.js";
import { DEMO } from "./constants.js";
import type { SimulatedPartnerCenter } from "./simulated-partner-center/index.js";

export interface SeedSummary {
  partners: number;
  createdInvitation: boolean;
  createdRelationship: boolean;
}

/**
 * Seeds local mode. Reference data (directory, agreement, the demo admin's role) is upserted every start;
 * the demo story (one pending invitation, one active relationship) is created only if missing, so what a
 * tester did in the last session survives a restart.
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

  const createdInvitation = await createIfMissing(() =>
    repos.seed.create(
      write.invitation({
        id: DEMO.invitationId,
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
      }),
    ),
  );
  const since = addDays(nowIso, -120);
  const createdRelationship = await createIfMissing(() =>
    repos.seed.create(
      write.relationship({
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
      }),
    ),
  );
  return { partners: imported, createdInvitation, createdRelationship };
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
