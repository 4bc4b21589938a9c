import { expect } from "chai";
import { DEMO } from "../../src/demo/constants.js";
import { demoDirectory } from "../../src/demo/directory.js";
import { PartnerSchema } from "../../src/domain/partner.js";
import { PARTNER_TYPES } from "../../src/domain/partnerTypes.js";

describe("demoDirectory", () => {
  const partners = demoDirectory();

  it("offers at least 300 partners, enough to make search and paging real", () => {
    expect(partners).to.have.length.of.at.least(300);
  });

  it("gives every partner a unique id", () => {
    const ids = partners.map((partner) => partner.id);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it("gives every partner its own tenant", () => {
    const tenants = partners.map((partner) => partner.tenantId);
    expect(new Set(tenants).size).to.equal(tenants.length);
  });

  it("holds only partners that pass PartnerSchema", () => {
    for (const partner of partners) {
      const parsed = PartnerSchema.safeParse(partner);
      expect(parsed.success, `${partner.id}: ${parsed.success ? "" : parsed.error.message}`).to.equal(true);
    }
  });

  it("is the same on every call, so a restart finds the data it seeded before", () => {
    expect(demoDirectory()).to.deep.equal(partners);
  });

  it("covers at least eight countries", () => {
    const countries = new Set(partners.flatMap((partner) => partner.locations.map((location) => location.country)));
    expect(countries.size).to.be.at.least(8);
  });

  it("covers all seven partner types", () => {
    const types = new Set(partners.flatMap((partner) => partner.types));
    expect([...types]).to.have.members([...PARTNER_TYPES]);
  });

  it("includes the partner that sent the demo invitation, with the demo partner contact as its contact", () => {
    const inviting = partners.find((partner) => partner.id === DEMO.invitingPartnerId);
    expect(inviting, DEMO.invitingPartnerId).to.not.equal(undefined);
    expect(inviting?.tenantId).to.equal(DEMO.partnerContact.tenantId);
    expect(inviting?.contacts).to.deep.include({ userId: DEMO.partnerContact.userId, tenantId: DEMO.partnerContact.tenantId, name: DEMO.partnerContact.name });
  });

  it("includes the partner the demo tenant already works with", () => {
    expect(partners.map((partner) => partner.id)).to.include(DEMO.activePartnerId);
  });

  it("keeps the demo customer out of the partner directory", () => {
    expect(partners.map((partner) => partner.tenantId)).to.not.include(DEMO.customerTenantId);
  });

  it("returns the named demo partners plus as many generated ones as asked for", () => {
    expect(demoDirectory(10)).to.have.length(12);
    expect(demoDirectory(10).slice(0, 2)).to.deep.equal(partners.slice(0, 2));
  });
});
