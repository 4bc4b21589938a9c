import { Ajv } from "ajv";
import type { Activity } from "botbuilder";
import { expect } from "chai";
import { identify } from "../../src/bot/identity.js";
import { DEMO, demoIdentities, demoTenantOf } from "../../src/demo/constants.js";
import { playgroundConfig, playgroundConfigSchema } from "../helpers/playground.js";

/*
 * `.m365agentsplayground.yml` is Microsoft 365 Agents Playground's: it must pass the Playground's own schema
 * (taken from the installed package, not copied), and its people must be the demo's, so that the Playground's
 * current user is the demo's Global administrator and not a stranger the bot refuses.
 */
describe("the Agents Playground config", () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(playgroundConfigSchema());
  const config = playgroundConfig();

  it("passes the Playground's own schema", () => {
    expect(validate(config), JSON.stringify(validate.errors)).to.equal(true);
  });

  it("would notice a config the Playground refuses (four users instead of five, a field it does not know)", () => {
    expect(validate({ ...config, users: config.users.slice(1) })).to.equal(false);
    expect(validate({ ...config, currentUser: { ...config.currentUser, tenantId: DEMO.customerTenantId } })).to.equal(false);
  });

  it("is the demo's tenant, with Demo Admin as the current user and Demo Member and the partner contact among the users", () => {
    expect(config.tenantId).to.equal(DEMO.customerTenantId);
    expect(config.currentUser).to.include({ name: DEMO.admin.name, aadObjectId: DEMO.admin.userId });
    const users = config.users.map((u: any) => [u.name, u.aadObjectId]);
    expect(users).to.deep.include([DEMO.member.name, DEMO.member.userId]);
    expect(users).to.deep.include([DEMO.partnerContact.name, DEMO.partnerContact.userId]);
  });

  // As app.ts wires the identity edge in local mode.
  const localRules = { allowedTenants: null, localIdentities: demoIdentities("demo-partner"), localTenantOf: demoTenantOf };
  const fromPlayground = (user: { id: string; name: string; aadObjectId: string }): Partial<Activity> => ({
    channelId: "msteams",
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    conversation: { id: config.personalChat.id, name: "", isGroup: false, conversationType: "personal", tenantId: config.tenantId },
    channelData: { tenant: { id: config.tenantId } },
  });

  it("makes the Playground's current user the demo's Global administrator, as the bot identifies people", () => {
    const identity = identify(fromPlayground(config.currentUser), localRules);
    expect(identity.ok && identity.value).to.include({ tenantId: DEMO.admin.tenantId, userId: DEMO.admin.userId });
  });

  it("puts the partner contact back in Contoso's tenant (the Playground has one tenant for everyone), the member in the demo's", () => {
    const partner = config.users.find((u: any) => u.aadObjectId === DEMO.partnerContact.userId);
    const member = config.users.find((u: any) => u.aadObjectId === DEMO.member.userId);
    const asPartner = identify(fromPlayground(partner), localRules);
    const asMember = identify(fromPlayground(member), localRules);
    expect(asPartner.ok && asPartner.value).to.include({ tenantId: DEMO.partnerContact.tenantId, userId: DEMO.partnerContact.userId });
    expect(asMember.ok && asMember.value).to.include({ tenantId: DEMO.member.tenantId, userId: DEMO.member.userId });
    const outsideLocalMode = identify(fromPlayground(partner), { allowedTenants: null });
    expect(outsideLocalMode.ok && outsideLocalMode.value.tenantId, "never outside local mode").to.equal(DEMO.customerTenantId);
  });
});
