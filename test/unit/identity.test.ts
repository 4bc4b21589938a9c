import type { Activity } from "botbuilder";
import { expect } from "chai";
import { IDENTITY_ERRORS, identify, type IdentityRules } from "../../src/bot/identity.js";
import { DEMO, demoIdentities } from "../../src/demo/constants.js";
import type { Failure } from "../../src/domain/result.js";
import type { Identity } from "../../src/features/types.js";

type IdentityConfig = IdentityRules;

const CONTOSO_TENANT = "5A1B2C3D-0000-4000-8000-00000000C0DE";
const FABRIKAM_TENANT = "6b2c3d4e-0000-4000-8000-0000000fab01";
const USER_OBJECT_ID = "0f9e8d7c-1111-4222-8333-444455556666";

// As the composition root builds them: local mode gets the demo's people, a registered bot none.
const localMode: IdentityConfig = { allowedTenants: null, localIdentities: demoIdentities("demo-partner") };
const registered: IdentityConfig = { allowedTenants: null };

/** A personal-chat message as Teams delivers it, after the adapter has checked the channel's token. */
function teamsActivity(overrides: Partial<Activity> = {}): Partial<Activity> {
  return {
    type: "message",
    channelId: "msteams",
    locale: "sv-SE",
    from: { id: "29:1abc", name: "Alex Wilber", aadObjectId: USER_OBJECT_ID },
    conversation: { id: "a:1xyz", name: "", isGroup: false, conversationType: "personal", tenantId: CONTOSO_TENANT },
    recipient: { id: "28:bot", name: "Partner Desk" },
    channelData: { tenant: { id: CONTOSO_TENANT } },
    ...overrides,
  };
}

/** A message from the Bot Framework Emulator: no Entra identity at all. */
function emulatorActivity(fromId = "user-1", overrides: Partial<Activity> = {}): Partial<Activity> {
  return {
    type: "message",
    channelId: "emulator",
    locale: "en-US",
    from: { id: fromId, name: "User" },
    conversation: { id: "conv-1", name: "", isGroup: false, conversationType: "personal" },
    recipient: { id: "bot", name: "Bot" },
    ...overrides,
  };
}

function identityOf(activity: Partial<Activity>, config: IdentityConfig): Identity {
  const result = identify(activity, config);
  if (!result.ok) expect.fail(`expected an identity, got ${result.code}: ${result.message}`);
  return result.value;
}

function refusalOf(activity: Partial<Activity>, config: IdentityConfig): Failure {
  const result = identify(activity, config);
  if (result.ok) expect.fail(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result;
}

describe("identify", () => {
  describe("in Teams", () => {
    it("takes the tenant from the conversation (lower-cased) and the user from aadObjectId, with name and locale", () => {
      expect(identityOf(teamsActivity(), registered)).to.deep.equal({
        tenantId: CONTOSO_TENANT.toLowerCase(),
        userId: USER_OBJECT_ID,
        name: "Alex Wilber",
        locale: "sv-SE",
      });
    });

    it("takes the tenant from channelData when the conversation has none", () => {
      const activity = teamsActivity({
        conversation: { id: "a:1xyz", name: "", isGroup: false, conversationType: "personal" },
        channelData: { tenant: { id: FABRIKAM_TENANT.toUpperCase() } },
      });
      expect(identityOf(activity, registered).tenantId).to.equal(FABRIKAM_TENANT);
    });

    it("prefers the conversation's tenant over channelData's", () => {
      const activity = teamsActivity({ channelData: { tenant: { id: FABRIKAM_TENANT } } });
      expect(identityOf(activity, registered).tenantId).to.equal(CONTOSO_TENANT.toLowerCase());
    });

    it("ignores a channelData tenant id that is not a string", () => {
      const activity = teamsActivity({
        conversation: { id: "a:1xyz", name: "", isGroup: false, conversationType: "personal" },
        channelData: { tenant: { id: 42 } },
      });
      expect(refusalOf(activity, registered).code).to.equal(IDENTITY_ERRORS.noTenant);
    });

    it("refuses a user without aadObjectId with IDENTITY.NO_TENANT, even in local mode", () => {
      const activity = teamsActivity({ from: { id: "29:guest", name: "Guest" } });
      expect(refusalOf(activity, registered).code).to.equal("IDENTITY.NO_TENANT");
      expect(refusalOf(activity, localMode).code).to.equal("IDENTITY.NO_TENANT");
    });

    it("uses the user id as the name when Teams sends none, and en-US when it sends no locale", () => {
      const { locale: _locale, ...withoutLocale } = teamsActivity({ from: { id: "29:1abc", name: "", aadObjectId: USER_OBJECT_ID } });
      const identity = identityOf(withoutLocale, registered);
      expect(identity.name).to.equal(USER_OBJECT_ID);
      expect(identity.locale).to.equal("en-US");
    });
  });

  describe("in the Emulator", () => {
    it("plays the demo admin in local mode", () => {
      const identity = identityOf(emulatorActivity(), localMode);
      expect(identity.tenantId).to.equal(DEMO.admin.tenantId);
      expect(identity.userId).to.equal(DEMO.admin.userId);
      expect(identity.name).to.equal("User");
    });

    it("plays the demo partner contact when the user id is the configured partner user id", () => {
      const identity = identityOf(emulatorActivity("demo-partner"), localMode);
      expect({ tenantId: identity.tenantId, userId: identity.userId }).to.deep.equal({
        tenantId: DEMO.partnerContact.tenantId,
        userId: DEMO.partnerContact.userId,
      });
    });

    it("follows DEMO_PARTNER_USER_ID when it names another user", () => {
      const config: IdentityConfig = { ...localMode, localIdentities: demoIdentities("bob") };
      expect(identityOf(emulatorActivity("bob"), config).userId).to.equal(DEMO.partnerContact.userId);
      expect(identityOf(emulatorActivity("demo-partner"), config).userId).to.equal(DEMO.admin.userId);
    });

    it("refuses with IDENTITY.NO_TENANT when the bot is not in local mode", () => {
      expect(refusalOf(emulatorActivity(), registered).code).to.equal("IDENTITY.NO_TENANT");
    });
  });

  describe("allowed tenants", () => {
    it("refuses a tenant missing from ALLOWED_TENANTS with IDENTITY.TENANT_NOT_ALLOWED", () => {
      const config: IdentityConfig = { ...registered, allowedTenants: new Set([FABRIKAM_TENANT]) };
      const failure = refusalOf(teamsActivity(), config);
      expect(failure.code).to.equal(IDENTITY_ERRORS.tenantNotAllowed).and.to.equal("IDENTITY.TENANT_NOT_ALLOWED");
    });

    it("admits a listed tenant whatever the case Teams sends it in", () => {
      const config: IdentityConfig = { ...registered, allowedTenants: new Set([CONTOSO_TENANT.toLowerCase()]) };
      expect(identityOf(teamsActivity(), config).tenantId).to.equal(CONTOSO_TENANT.toLowerCase());
    });

    it("admits every tenant when ALLOWED_TENANTS is * (null)", () => {
      expect(identify(teamsActivity(), { ...registered, allowedTenants: null }).ok).to.equal(true);
    });

    it("applies the allow list to the demo identities too", () => {
      const config: IdentityConfig = { ...localMode, allowedTenants: new Set([DEMO.partnerContact.tenantId]) };
      expect(refusalOf(emulatorActivity(), config).code).to.equal("IDENTITY.TENANT_NOT_ALLOWED");
      expect(identityOf(emulatorActivity("demo-partner"), config).tenantId).to.equal(DEMO.partnerContact.tenantId);
    });
  });

  describe("card data", () => {
    it("never decides who is acting: tenant and user ids in the submitted value are ignored", () => {
      const value = {
        verb: "invitation.accept",
        tenantId: FABRIKAM_TENANT,
        userId: "attacker",
        aadObjectId: "attacker",
        from: { aadObjectId: "attacker" },
      };
      const identity = identityOf(teamsActivity({ value }), registered);
      expect(identity.tenantId).to.equal(CONTOSO_TENANT.toLowerCase());
      expect(identity.userId).to.equal(USER_OBJECT_ID);
    });

    it("does not let card data give an Emulator user an identity outside local mode", () => {
      const value = { tenantId: FABRIKAM_TENANT, userId: USER_OBJECT_ID };
      expect(refusalOf(emulatorActivity("user-1", { value }), registered).code).to.equal("IDENTITY.NO_TENANT");
      expect(identityOf(emulatorActivity("user-1", { value }), localMode).tenantId).to.equal(DEMO.admin.tenantId);
    });
  });
});
