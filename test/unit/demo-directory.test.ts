import { expect } from "chai";
import { readFileSync } from "node:fs";
import { generateSampleDirectory, toSampleJson } from "../../scripts/generate-sample-directory.js";
import { DEMO } from "../../src/demo/constants.js";
import { sampleDirectory } from "../../src/partner-directory/sample.js";
import { ORGANIZATION_SIZES, PartnerSchema } from "../../src/domain/partner.js";
import { PARTNER_TYPES } from "../../src/domain/partnerTypes.js";

const SAMPLE_FILE = new URL("../../src/partner-directory/sample-directory.json", import.meta.url);

describe("the sample directory of local mode (src/partner-directory/sample-directory.json)", () => {
  const partners = sampleDirectory();

  it("offers at least 300 partners, enough to make search and paging real", () => {
    expect(partners).to.have.length.of.at.least(300);
  });

  it("passes the import checks whole: every row of the file becomes a partner", () => {
    const raw = JSON.parse(readFileSync(SAMPLE_FILE, "utf8")) as unknown[];
    expect(partners).to.have.length(raw.length);
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

  it("is exactly what the generator script produces, so the file can be regenerated without surprises", () => {
    expect(toSampleJson(generateSampleDirectory())).to.equal(readFileSync(SAMPLE_FILE, "utf8"));
  });

  it("covers at least ten countries", () => {
    const countries = new Set(partners.flatMap((partner) => partner.locations.map((location) => location.country)));
    expect(countries.size).to.be.at.least(10);
  });

  it("covers every organization size and all seven partner types", () => {
    expect([...new Set(partners.flatMap((partner) => partner.sizes))]).to.have.members([...ORGANIZATION_SIZES]);
    expect([...new Set(partners.flatMap((partner) => partner.types))]).to.have.members([...PARTNER_TYPES]);
  });

  it("offers a range of services and industries to search for", () => {
    expect(new Set(partners.flatMap((partner) => partner.services)).size).to.be.at.least(10);
    expect(new Set(partners.flatMap((partner) => partner.industries)).size).to.be.at.least(8);
  });

  it("includes the partner that sent the demo invitation, with the demo partner contact as its contact", () => {
    const inviting = partners.find((partner) => partner.id === DEMO.invitingPartnerId);
    expect(inviting, DEMO.invitingPartnerId).to.not.equal(undefined);
    expect(inviting?.name).to.equal("Contoso Cloud Partners");
    expect(inviting?.tenantId).to.equal(DEMO.partnerContact.tenantId);
    expect(inviting?.contacts).to.deep.include({
      userId: DEMO.partnerContact.userId,
      tenantId: DEMO.partnerContact.tenantId,
      name: DEMO.partnerContact.name,
    });
  });

  it("includes the partner the demo tenant already works with", () => {
    expect(partners.find((partner) => partner.id === DEMO.activePartnerId)?.name).to.equal("Northwind Managed Services");
  });

  it("keeps the demo customer out of the partner directory", () => {
    expect(partners.map((partner) => partner.tenantId)).to.not.include(DEMO.customerTenantId);
  });

  it("is generated as the named demo partners plus as many generated ones as asked for", () => {
    expect(generateSampleDirectory(10)).to.have.length(12);
    expect(generateSampleDirectory(10).slice(0, 2)).to.deep.equal(partners.slice(0, 2));
  });
});
