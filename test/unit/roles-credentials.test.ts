import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from "@azure/identity";
import { expect } from "chai";
import { GraphConsentError, GraphUnavailableError } from "../../src/entra-roles/errors.js";
import { DEFAULT_GRAPH_AUTHORITY_HOST } from "../../src/config.js";
import { graphCredentialFactory } from "../../src/entra-roles/index.js";
import { appOnlyTokens } from "../../src/microsoft/credentials.js";
import { FakeGraph } from "../helpers/fakeGraph.js";

const APP_ID = "0a6f3c3e-5b7d-4e2a-9c1f-2d8e4b6a1c01";
const HOME = "7d2b9e41-3f6a-4c8d-b5e2-9a1c0f4d6e02";
const CUSTOMER = "c0ffee00-0000-4000-8000-000000000001";
const PUBLIC_CLOUD = { authorityHost: DEFAULT_GRAPH_AUTHORITY_HOST };

describe("graphCredentialFactory", () => {
  describe("an app registration with a client secret (MultiTenant, SingleTenant)", () => {
    const credentialFor = graphCredentialFactory(
      {
        MicrosoftAppType: "MultiTenant",
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: "client-secret",
      },
      PUBLIC_CLOUD,
    );

    it("gets tokens in the customer's tenant with a ClientSecretCredential", () => {
      expect(credentialFor(CUSTOMER)).to.be.instanceOf(ClientSecretCredential);
    });

    it("keeps one credential per tenant, so each tenant's token cache is reused", () => {
      expect(credentialFor(CUSTOMER)).to.equal(credentialFor(CUSTOMER.toUpperCase()));
      expect(credentialFor(CUSTOMER)).to.not.equal(credentialFor(HOME));
    });

    it("works the same for a SingleTenant app (other tenants then refuse the token: no consent)", () => {
      const single = graphCredentialFactory(
        {
          MicrosoftAppType: "SingleTenant",
          MicrosoftAppId: APP_ID,
          MicrosoftAppPassword: "s",
          MicrosoftAppTenantId: HOME,
        },
        PUBLIC_CLOUD,
      );
      expect(single(HOME)).to.be.instanceOf(ClientSecretCredential);
    });

    it("refuses to build without a secret", () => {
      expect(() => graphCredentialFactory({ MicrosoftAppType: "MultiTenant", MicrosoftAppId: APP_ID }, PUBLIC_CLOUD)).to.throw(
        /MicrosoftAppPassword/,
      );
    });
  });

  describe("a user-assigned managed identity", () => {
    const credentialFor = graphCredentialFactory(
      {
        MicrosoftAppType: "UserAssignedMSI",
        MicrosoftAppId: APP_ID,
        MicrosoftAppTenantId: HOME,
      },
      PUBLIC_CLOUD,
    );

    it("gets tokens in its own tenant", () => {
      expect(credentialFor(HOME)).to.be.instanceOf(ManagedIdentityCredential);
      expect(credentialFor(HOME.toUpperCase())).to.equal(credentialFor(HOME));
    });

    it("reports every other tenant as one without Graph consent, so its roles come from the table", () => {
      expect(() => credentialFor(CUSTOMER)).to.throw(GraphConsentError);
    });
  });

  it("needs MicrosoftAppId", () => {
    expect(() => graphCredentialFactory({ MicrosoftAppType: "MultiTenant", MicrosoftAppPassword: "s" }, PUBLIC_CLOUD)).to.throw(
      /MicrosoftAppId/,
    );
  });
});

describe("appOnlyTokens: an app-only token for any tenant and scope (partner tenants' GDAP calls)", () => {
  const PARTNER = "d0d0d0d0-0000-4000-8000-000000000001";
  const SCOPE = "https://graph.microsoft.com/.default";
  let graph: FakeGraph;
  beforeEach(() => {
    graph = new FakeGraph();
  });

  it("asks the tenant's credential for the scope and answers with the token", async () => {
    const token = await appOnlyTokens(graph.credentialFor)(PARTNER, SCOPE);
    expect(token).to.match(/^fake-graph-token-/);
    expect(graph.tokenRequests).to.deep.equal([{ tenantId: PARTNER, scopes: [SCOPE] }]);
  });

  it("names a tenant that has not let the app in as a consent error", async () => {
    graph.tenant(PARTNER, { consent: "notInstalled", users: {} });
    const error = await appOnlyTokens(graph.credentialFor)(PARTNER, SCOPE).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(GraphConsentError);
    expect((error as GraphConsentError).graphCode).to.equal("AADSTS700016");
  });

  it("reports a login endpoint that does not answer in time as unavailable, not as missing consent", async () => {
    const silent = (): TokenCredential => ({
      getToken: (_scopes, options) =>
        new Promise((_resolve, reject) => options?.abortSignal?.addEventListener("abort", () => reject(new Error("aborted")))),
    });
    const error = await appOnlyTokens(silent)(PARTNER, SCOPE, { timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(GraphUnavailableError);
    expect((error as Error).message).to.include("within 20 ms");
  });
});
