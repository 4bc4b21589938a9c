import { ClientSecretCredential, ManagedIdentityCredential } from "@azure/identity";
import { expect } from "chai";
import { GraphConsentError } from "../../src/entra-roles/errors.js";
import { graphCredentialFactory } from "../../src/entra-roles/index.js";

const APP_ID = "0a6f3c3e-5b7d-4e2a-9c1f-2d8e4b6a1c01";
const HOME = "7d2b9e41-3f6a-4c8d-b5e2-9a1c0f4d6e02";
const CUSTOMER = "c0ffee00-0000-4000-8000-000000000001";

describe("graphCredentialFactory", () => {
  describe("an app registration with a client secret (MultiTenant, SingleTenant)", () => {
    const credentialFor = graphCredentialFactory({
      MicrosoftAppType: "MultiTenant",
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: "client-secret",
    });

    it("gets tokens in the customer's tenant with a ClientSecretCredential", () => {
      expect(credentialFor(CUSTOMER)).to.be.instanceOf(ClientSecretCredential);
    });

    it("keeps one credential per tenant, so each tenant's token cache is reused", () => {
      expect(credentialFor(CUSTOMER)).to.equal(credentialFor(CUSTOMER.toUpperCase()));
      expect(credentialFor(CUSTOMER)).to.not.equal(credentialFor(HOME));
    });

    it("works the same for a SingleTenant app (other tenants then refuse the token: no consent)", () => {
      const single = graphCredentialFactory({
        MicrosoftAppType: "SingleTenant",
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: "s",
        MicrosoftAppTenantId: HOME,
      });
      expect(single(HOME)).to.be.instanceOf(ClientSecretCredential);
    });

    it("refuses to build without a secret", () => {
      expect(() => graphCredentialFactory({ MicrosoftAppType: "MultiTenant", MicrosoftAppId: APP_ID })).to.throw(/MicrosoftAppPassword/);
    });
  });

  describe("a user-assigned managed identity", () => {
    const credentialFor = graphCredentialFactory({
      MicrosoftAppType: "UserAssignedMSI",
      MicrosoftAppId: APP_ID,
      MicrosoftAppTenantId: HOME,
    });

    it("gets tokens in its own tenant", () => {
      expect(credentialFor(HOME)).to.be.instanceOf(ManagedIdentityCredential);
      expect(credentialFor(HOME.toUpperCase())).to.equal(credentialFor(HOME));
    });

    it("reports every other tenant as one without Graph consent, so its roles come from the table", () => {
      expect(() => credentialFor(CUSTOMER)).to.throw(GraphConsentError);
    });
  });

  it("needs MicrosoftAppId", () => {
    expect(() => graphCredentialFactory({ MicrosoftAppType: "MultiTenant", MicrosoftAppPassword: "s" })).to.throw(/MicrosoftAppId/);
  });
});
