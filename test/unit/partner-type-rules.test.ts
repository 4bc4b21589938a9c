import { expect } from "chai";
import { MCA_TEMPLATE_ID, type Agreement } from "../../src/domain/agreement.js";
import type { Invitation } from "../../src/domain/invitation.js";
import { PARTNER_TYPES, mergeTypes, type PartnerType } from "../../src/domain/partnerTypes.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { acceptInvitation, sendInvitation, TRANSITION_ERRORS, type DecisionContext } from "../../src/domain/transitions.js";

/** Issue 11, finding 13: admin roles need an admin type; a second invitation's types merge without duplicates. */
const NOW = "2026-11-29T14:02:00.000Z";
const TENANT = "c0ffee00-0000-4000-8000-000000000001";
const ctx = (): DecisionContext => ({
  tenantId: TENANT,
  actor: { userId: "ada", name: "Ada Admin" },
  now: NOW,
  correlationId: "c",
  newId: () => "id-1",
});
const AGREEMENT: Agreement = {
  version: "2024-06",
  title: "Microsoft Customer Agreement",
  url: "https://www.microsoft.com/licensing/docs/customeragreement",
  contentHash: "a".repeat(64),
  effectiveFrom: "2024-06-01T00:00:00.000Z",
  templateId: MCA_TEMPLATE_ID,
};
const CONTACT = { firstName: "Ada", lastName: "Admin", email: "ada@fabrikam.example" };

const asked = (relationshipTypes: PartnerType[], roles: string[]) => ({
  id: "inv-1",
  partner: { id: "contoso", name: "Contoso" },
  relationshipTypes,
  roles,
  durationDays: 90,
  message: "",
});

const invitation = (relationshipTypes: PartnerType[], roles: string[]): Invitation => ({
  id: "inv-2",
  tenantId: TENANT,
  partnerId: "contoso",
  partnerName: "Contoso",
  relationshipTypes,
  roles,
  durationDays: 90,
  message: "",
  status: "pending",
  createdAt: NOW,
  expiresAt: "2027-01-01T00:00:00.000Z",
});

const live = (types: PartnerType[]): Relationship => ({
  tenantId: TENANT,
  partnerId: "contoso",
  partnerName: "Contoso",
  types,
  roles: [{ roleId: ROLE.userAdministrator, expiresAt: "2027-06-01T00:00:00.000Z" }],
  agreement: { status: "accepted", version: "2024-06" },
  status: "active",
  since: "2026-01-01T00:00:00.000Z",
});

describe("partner type rules", () => {
  describe("admin roles need an admin type", () => {
    it("refuses to send a Reseller-only invitation with admin roles, with a coded error and nothing to write", () => {
      const sent = sendInvitation(asked(["reseller"], [ROLE.helpdeskAdministrator]), ctx());
      expect(sent.ok).to.equal(false);
      if (!sent.ok) expect(sent.code).to.equal(TRANSITION_ERRORS.rolesNeedAdminType);
    });

    it("refuses any mix of types without an admin one (Partner, MPSA, LOB) when roles are asked", () => {
      const sent = sendInvitation(asked(["reseller", "partner", "mpsaPartner", "lobPartner"], [ROLE.globalReader]), ctx());
      expect(sent.ok).to.equal(false);
    });

    it("sends a Reseller-only invitation without roles, and admin roles with an admin type", () => {
      expect(sendInvitation(asked(["reseller"], []), ctx()).ok).to.equal(true);
      for (const type of ["delegatedAdministrator", "resellerAndDelegatedAdministrator", "advisor"] as const)
        expect(sendInvitation(asked(["reseller", type], [ROLE.helpdeskAdministrator]), ctx()).ok, type).to.equal(true);
    });

    it("refuses to accept such an invitation written before the check: no role is granted", () => {
      const accepted = acceptInvitation(invitation(["reseller"], [ROLE.globalAdministrator]), undefined, AGREEMENT, CONTACT, ctx());
      expect(accepted.ok).to.equal(false);
      if (!accepted.ok) expect(accepted.code).to.equal(TRANSITION_ERRORS.rolesNeedAdminType);
    });
  });

  describe("a second invitation from the same partner", () => {
    const typesAfter = (held: PartnerType[], added: PartnerType[]) => {
      const accepted = acceptInvitation(invitation(added, [ROLE.helpdeskAdministrator]), live(held), AGREEMENT, CONTACT, ctx());
      if (!accepted.ok) throw new Error(accepted.message);
      return accepted.value.relationship.types;
    };

    it("keeps one Reseller & delegated administrator when the second asks for Delegated administrator", () => {
      expect(typesAfter(["resellerAndDelegatedAdministrator"], ["delegatedAdministrator"])).to.deep.equal([
        "resellerAndDelegatedAdministrator",
      ]);
    });

    it("keeps one Reseller & delegated administrator when Reseller and Delegated administrator were held apart", () => {
      expect(typesAfter(["reseller", "delegatedAdministrator"], ["resellerAndDelegatedAdministrator"])).to.deep.equal([
        "resellerAndDelegatedAdministrator",
      ]);
    });

    it("adds a new type once, in the procedure's order", () => {
      expect(typesAfter(["advisor", "delegatedAdministrator"], ["advisor", "delegatedAdministrator", "lobPartner"])).to.deep.equal([
        "delegatedAdministrator",
        "advisor",
        "lobPartner",
      ]);
    });

    it("never lists a type twice nor Reseller beside the type that includes it, for any two sets", () => {
      const subsets = (n: number) => PARTNER_TYPES.filter((_, i) => (n >> i) & 1);
      for (let a = 0; a < 1 << PARTNER_TYPES.length; a += 7)
        for (let b = 0; b < 1 << PARTNER_TYPES.length; b += 11) {
          const merged = mergeTypes(subsets(a), subsets(b));
          expect(new Set(merged).size).to.equal(merged.length);
          if (merged.includes("resellerAndDelegatedAdministrator"))
            expect(merged.filter((t) => t === "reseller" || t === "delegatedAdministrator")).to.deep.equal([]);
        }
    });
  });
});
