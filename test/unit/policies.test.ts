import { expect } from "chai";
import { DEMO } from "../../src/demo/constants.js";
import type { Actor } from "../../src/domain/identity.js";
import { ADMIN_ROLES_FOR_DECISIONS, can, type Action } from "../../src/domain/policies.js";
import { ROLE, type RoleTemplateId } from "../../src/domain/roles.js";

const OWN_TENANT = DEMO.customerTenantId;
const OTHER_TENANT = DEMO.partnerContact.tenantId;
const DECISIONS: readonly Action[] = [
  "invitation.accept",
  "invitation.decline",
  "relationship.removeRoles",
  "relationship.end",
  "agreement.accept",
];

const actor = (roles: readonly RoleTemplateId[], tenantId: string = OWN_TENANT): Actor => ({
  tenantId,
  userId: DEMO.admin.userId,
  name: DEMO.admin.name,
  locale: "en-US",
  roles,
});

describe("can", () => {
  it("lets a Global administrator accept, decline and remove roles in their own tenant", () => {
    for (const action of DECISIONS)
      expect(can(actor([ROLE.globalAdministrator]), action, { tenantId: OWN_TENANT }), action).to.deep.equal({ allowed: true });
  });

  it("lets a Billing administrator accept, decline and remove roles in their own tenant", () => {
    for (const action of DECISIONS)
      expect(can(actor([ROLE.billingAdministrator]), action, { tenantId: OWN_TENANT }), action).to.deep.equal({ allowed: true });
  });

  it("lets an admin with several roles act when one of them is Global or Billing administrator", () => {
    expect(can(actor([ROLE.globalReader, ROLE.billingAdministrator]), "invitation.accept", { tenantId: OWN_TENANT }).allowed).to.equal(
      true,
    );
  });

  it("refuses a Helpdesk administrator with MISSING_ROLE and names Global and Billing administrator as required", () => {
    for (const action of DECISIONS) {
      expect(can(actor([ROLE.helpdeskAdministrator]), action, { tenantId: OWN_TENANT }), action).to.deep.equal({
        allowed: false,
        reason: "MISSING_ROLE",
        requiredRoles: [ROLE.globalAdministrator, ROLE.billingAdministrator],
      });
    }
  });

  it("refuses a user with no directory roles with MISSING_ROLE", () => {
    const decision = can(actor([]), "relationship.removeRoles", { tenantId: OWN_TENANT });
    expect(decision).to.deep.equal({
      allowed: false,
      reason: "MISSING_ROLE",
      requiredRoles: [ROLE.globalAdministrator, ROLE.billingAdministrator],
    });
    expect(ADMIN_ROLES_FOR_DECISIONS).to.deep.equal([ROLE.globalAdministrator, ROLE.billingAdministrator]);
  });

  it("refuses every other admin role, even a Global reader or User administrator", () => {
    for (const role of [ROLE.globalReader, ROLE.userAdministrator, ROLE.licenseAdministrator, ROLE.serviceSupportAdministrator]) {
      const decision = can(actor([role]), "invitation.accept", { tenantId: OWN_TENANT });
      expect(decision.allowed, role).to.equal(false);
    }
  });

  it("refuses anyone acting on another tenant with OTHER_TENANT, even a Global administrator", () => {
    for (const action of [...DECISIONS, "partnerTypes.read" as const]) {
      expect(can(actor([ROLE.globalAdministrator, ROLE.billingAdministrator]), action, { tenantId: OTHER_TENANT }), action).to.deep.equal({
        allowed: false,
        reason: "OTHER_TENANT",
        requiredRoles: [],
      });
    }
  });

  it("compares tenant ids without regard to case", () => {
    expect(
      can(actor([ROLE.globalAdministrator], OWN_TENANT.toUpperCase()), "invitation.accept", { tenantId: OWN_TENANT }).allowed,
    ).to.equal(true);
    expect(
      can(actor([ROLE.globalAdministrator], OWN_TENANT), "invitation.accept", { tenantId: OWN_TENANT.toUpperCase() }).allowed,
    ).to.equal(true);
  });

  it("lets anyone in the tenant read the partner types, with no role at all", () => {
    expect(can(actor([]), "partnerTypes.read", { tenantId: OWN_TENANT })).to.deep.equal({ allowed: true });
  });
});
