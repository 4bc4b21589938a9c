import { expect } from "chai";
import { DEMO } from "../../src/demo/constants.js";
import { seedDemo } from "../../src/demo/seed.js";
import { ROLE } from "../../src/domain/roles.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables } from "../helpers/azurite.js";
import { ChannelEmulator, cardOf, textOf } from "../helpers/channelEmulator.js";
import { FakeGdap, type RecordedGdapRequest } from "../helpers/fakeGdap.js";
import { ACCEPTING_CONTACT, buttonData, inputDefaults, json, openUrls, partitionRows, rowsOfKind } from "../helpers/journey.js";
import { LoginServer } from "../helpers/loginServer.js";
import { OpenIdServer } from "../helpers/openIdServer.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";
import { startRegisteredBot, type RegisteredBot } from "../helpers/registeredBot.js";
import { expectNothingChanged, tableSnapshotter, type TablesSnapshot } from "../helpers/tableSnapshot.js";

/*
 * Issue 10, items 5 and 9, through the real bot process: a connected partner's GDAP relationship, approved in the
 * (fake) admin center, loses the roles the customer's admin chooses in chat. The partner's connection carries it
 * out in Graph (tokens from the loopback https login server, delegatedAdminRelationships the loopback fake): a
 * PATCH with the ETag it just read, a 412 read again and tried once, a terminate when no role would remain, and
 * nothing stored when Microsoft refuses or is down. A standalone partner's removal is recorded and points to the
 * admin center. Teams' invoke for most presses, the Emulator's message with value for one.
 */

const APP_ID = "0a0a0a0a-1111-4222-8333-999999999999";
const SECRET = "gdap-removal-test-secret";
const CUSTOMER = DEMO.customerTenantId;
const ADMIN = { id: "29:removal-admin", name: DEMO.admin.name, aadObjectId: DEMO.admin.userId };
const ADMIN_CENTER = "https://admin.microsoft.com/AdminPortal/Home#/partners";
const GA = ROLE.globalAdministrator;
const HELPDESK = ROLE.helpdeskAdministrator;
const USERS = ROLE.userAdministrator;

interface ConnectedPartner {
  tenantId: string;
  id: string;
  name: string;
  contact: { id: string; name: string; aadObjectId: string };
}
const REMOVING: ConnectedPartner = {
  tenantId: "d0d0d0d0-0000-4000-8000-0000000000c1",
  id: "removal-partner",
  name: "Removal Partners AB",
  contact: { id: "29:removal-pc", name: "Rita Removal", aadObjectId: "d0d0d0d0-0000-4000-8000-0000000000c2" },
};
const ENDING: ConnectedPartner = {
  tenantId: "d0d0d0d0-0000-4000-8000-0000000000e1",
  id: "ending-partner",
  name: "Ending Partners AB",
  contact: { id: "29:ending-pc", name: "Edna Ending", aadObjectId: "d0d0d0d0-0000-4000-8000-0000000000e2" },
};

type Person = { id: string; name: string; aadObjectId: string };

describe("end to end: a customer removes a connected partner's roles, carried out in Microsoft", function () {
  this.timeout(120_000);
  let bot: RegisteredBot | undefined;
  let teams: ChannelEmulator;
  let openId: OpenIdServer;
  let login: LoginServer;
  let gdap: FakeGdap;
  let storage: Storage;
  let snapshot: () => Promise<TablesSnapshot>;
  const relationshipIds: Record<string, string> = {};

  before(async () => {
    [openId, login, gdap] = await Promise.all([new OpenIdServer().start(), new LoginServer().start(), new FakeGdap().start()]);
    gdap.tokensFrom = login.tenantOf;
    const { tables, prefix, connectionString } = await freshTables();
    storage = openStorage(tables);
    snapshot = tableSnapshotter(connectionString, prefix);
    await seedDemo(storage, new Date());
    for (const partner of [REMOVING, ENDING]) {
      gdap.partner(partner.tenantId, "granted");
      await storage.partners.upsert({
        id: partner.id,
        name: partner.name,
        tenantId: partner.tenantId,
        locations: [{ country: "SE", city: "Malmö" }],
        sizes: ["51-250"],
        services: ["Identity and access management"],
        industries: [],
        types: ["resellerAndDelegatedAdministrator"],
        contacts: [{ tenantId: partner.tenantId, userId: partner.contact.aadObjectId, name: partner.contact.name }],
      });
    }
    bot = await startRegisteredBot({
      appId: APP_ID,
      secret: SECRET,
      openId,
      login,
      connectionString,
      prefix,
      env: {
        NOTIFY_ENABLED: "false",
        ALLOWED_TENANTS: `${REMOVING.tenantId},${ENDING.tenantId},${CUSTOMER}`,
        ROLE_SOURCE: "table",
        GRAPH_BASE_URL: gdap.baseUrl,
      },
    });
    teams = await new ChannelEmulator(bot.url, {
      channelId: "msteams",
      token: (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl }),
    }).start();
  });
  after(async () => {
    await teams?.stop();
    await bot?.stop();
    await Promise.all([openId?.stop(), login?.stop(), gdap?.stop()]);
  });
  beforeEach(() => gdap.reset());

  /**
   * Presses a button in Teams as `person` in their own tenant (a signed adaptiveCard/action invoke); the card it
   * answers. One Teams channel for the whole test, as a real chat has: its serviceUrl stays the same, so a press
   * rewrites no conversation reference and "nothing changed" can be asserted on every row.
   */
  async function press(person: Person, tenantId: string, verb: string, data: Record<string, unknown> = {}) {
    const result = await teams.post(teamsCardAction(verb, data, personalChat(person, tenantId)));
    expect(result.status).to.equal(200);
    expect(result.body?.statusCode, textOf(result.body)).to.equal(200);
    return result.body.value as Record<string, unknown>;
  }

  /** Presses a button in the Bot Framework Emulator: a signed message with `value`; the card it is replaced with. */
  async function pressInEmulator(person: Person, tenantId: string, verb: string, data: Record<string, unknown>) {
    const emulator = await new ChannelEmulator(bot!.url, {
      channelId: "emulator",
      token: (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl }),
    }).start();
    try {
      const result = await emulator.post({
        type: "message",
        from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
        conversation: { id: `emulator-${person.id}`, tenantId },
        value: { ...data, verb },
        replyToId: "card-remove",
      });
      expect(result.status).to.equal(200);
      const [update] = await emulator.waitFor((r) => r.kind === "update" && r.activityId === "card-remove");
      return cardOf(update!.activity) as Record<string, unknown>;
    } finally {
      await emulator.stop();
    }
  }

  /** Connect → contact request → invitation (one GDAP request) → the admin accepts → the customer approves: active. */
  async function connectedAndApproved(partner: ConnectedPartner, roles: string[]): Promise<string> {
    expect(textOf(await press(partner.contact, partner.tenantId, "partnerSide.checkConnection"))).to.include("Connected to Microsoft");
    const asked = await press(ADMIN, CUSTOMER, "findPartner.send", {
      partnerIds: partner.id,
      businessNeeds: "Least privilege, please",
      organization: DEMO.customerName,
      contactName: ADMIN.name,
    });
    const contactRequestId = /CR-[0-9A-F]{10}/.exec(textOf(asked))![0];
    const sent = await press(partner.contact, partner.tenantId, "partnerSide.sendInvitation", {
      customerTenantId: CUSTOMER,
      contactRequestId,
      types: "resellerAndDelegatedAdministrator",
      roles: roles.join(","),
      durationDays: "365",
      message: `Help for ${partner.name}`,
      globalAdminConfirmed: true,
    });
    expect(textOf(sent)).to.include("Invitation sent");
    const invitation = (await storage.invitations.listPending(CUSTOMER)).find((i) => i.value.partnerId === partner.id)!.value;
    const review = await press(ADMIN, CUSTOMER, "invitations.review", { invitationId: invitation.id });
    const accept = buttonData(review, "Accept & authorize");
    await press(ADMIN, CUSTOMER, accept.verb, { ...accept.data, agreed: true, ...ACCEPTING_CONTACT });
    const relationshipId = invitation.microsoft!.relationshipId;
    gdap.customerApproves(relationshipId);
    return relationshipId;
  }

  const held = (partner: ConnectedPartner) => gdap.relationshipsOf(partner.tenantId).find((r) => r.id === relationshipIds[partner.id])!;
  const stored = async (partnerId: string) => (await storage.relationships.get(CUSTOMER, partnerId))!.value;
  const writes = (): RecordedGdapRequest[] => gdap.requests.filter((r) => r.method !== "GET");
  const remove = (roleIds: string[]) => ({ partnerId: REMOVING.id, chooseRoles: true, roleIds: roleIds.join(",") });

  it("sets up: a connected partner's GDAP relationship with Global, Helpdesk and User administrator, active in Microsoft", async () => {
    relationshipIds[REMOVING.id] = await connectedAndApproved(REMOVING, [GA, HELPDESK, USERS]);
    expect(held(REMOVING)).to.deep.include({ status: "active" });
    expect([...held(REMOVING).roleDefinitionIds].sort()).to.deep.equal([GA, HELPDESK, USERS].sort());
  });

  it("asks which roles go: every role ticked, Global administrator flagged, carried out by the partner's connection", async () => {
    const confirm = await press(ADMIN, CUSTOMER, "relationships.removeRolesConfirm", { partnerId: REMOVING.id });
    const choice = (confirm["body"] as Array<Record<string, any>>).find((b) => b["type"] === "Input.ChoiceSet")!;
    expect(choice["choices"].map((c: { value: string }) => c.value)).to.deep.equal([GA, USERS, HELPDESK]);
    expect(choice["value"]).to.equal([GA, USERS, HELPDESK].join(","));
    expect(choice["choices"][0].title).to.include("Global administrator (Broadest role");
    expect(textOf(confirm)).to.include("connection removes the roles you choose in Microsoft 365");
    expect(buttonData(confirm, "Yes").data).to.deep.include({ partnerId: REMOVING.id, chooseRoles: true });
    expect(gdap.requests, "the confirm card asks Microsoft nothing").to.deep.equal([]);
  });

  it("changes nothing during a Graph outage, and says nothing was removed", async () => {
    gdap.outage = { status: 503 };
    const card = await expectNothingChanged(snapshot, () => press(ADMIN, CUSTOMER, "relationships.removeRoles", remove([GA])));
    expect(textOf(card))
      .to.include("Nothing was removed: Microsoft didn't answer in time")
      .and.include("Nothing was changed in Partner Desk");
    expect(held(REMOVING).roleDefinitionIds).to.include(GA);
  });

  it("reads a stale ETag again and tries once more; when it is stale again, reports it and changes nothing", async () => {
    gdap.onRequest = (request) => {
      if (request.method === "PATCH") gdap.changeElsewhere(relationshipIds[REMOVING.id]!);
    };
    const card = await expectNothingChanged(snapshot, () => press(ADMIN, CUSTOMER, "relationships.removeRoles", remove([GA])));
    expect(textOf(card)).to.include("changed in Microsoft meanwhile").and.include("Nothing was removed");
    expect(gdap.requests.map((r) => r.method)).to.deep.equal(["GET", "PATCH", "GET", "PATCH"]);
    const [first, second] = gdap.requests.filter((r) => r.method === "PATCH");
    expect(second!.ifMatch, "the second PATCH carries the ETag read again").to.not.equal(first!.ifMatch);
    expect(held(REMOVING).roleDefinitionIds).to.include(GA);
  });

  it("removes Global administrator only (Teams): a PATCH with the current ETag and the remaining roles; Microsoft accepted", async () => {
    const etag = held(REMOVING).etag;
    const card = await press(ADMIN, CUSTOMER, "relationships.removeRoles", remove([GA]));
    const [patch] = writes();
    expect(writes()).to.have.length(1);
    expect(patch).to.deep.include({ method: "PATCH", ifMatch: etag, tenantId: REMOVING.tenantId });
    expect((patch!.body as any).accessDetails.unifiedRoles.map((r: any) => r.roleDefinitionId).sort()).to.deep.equal(
      [HELPDESK, USERS].sort(),
    );
    const text = textOf(card);
    expect(text).to.include("Microsoft accepted the removal").and.include("is carrying it out").and.not.include("Removed in Microsoft");
    const relationship = await stored(REMOVING.id);
    expect(relationship.roles.map((r) => r.roleId).sort()).to.deep.equal([HELPDESK, USERS].sort());
    expect(relationship.microsoft).to.deep.include({ status: "active", partnerTenantId: REMOVING.tenantId });
    const told = rowsOfKind(await partitionRows(storage.tables.client("tenant"), CUSTOMER), "outbox").filter(
      (r) => r["type"] === "rolesRemoved" && json(r, "recipient").partnerId === REMOVING.id,
    );
    expect(told.map((r) => json(r, "payload"))).to.deep.equal([{ removedRoles: [GA], inMicrosoft: "accepted" }]);
  });

  it("removes Helpdesk administrator through the Emulator, after one stale ETag: read again, retried, and Microsoft confirmed (200)", async () => {
    gdap.activeUpdateAnswer = 200;
    let patches = 0;
    gdap.onRequest = (request) => {
      if (request.method === "PATCH" && ++patches === 1) gdap.changeElsewhere(relationshipIds[REMOVING.id]!);
    };
    const card = await pressInEmulator(ADMIN, CUSTOMER, "relationships.removeRoles", remove([HELPDESK]));
    expect(gdap.requests.map((r) => r.method)).to.deep.equal(["GET", "PATCH", "GET", "PATCH"]);
    expect(textOf(card)).to.include("Removed in Microsoft 365: Microsoft confirmed");
    expect(held(REMOVING).roleDefinitionIds).to.deep.equal([USERS]);
    expect((await stored(REMOVING.id)).roles.map((r) => r.roleId)).to.deep.equal([USERS]);
  });

  it("removes the rest: no role would remain, so Microsoft is asked to terminate the relationship", async () => {
    const card = await press(ADMIN, CUSTOMER, "relationships.removeRoles", remove([USERS]));
    expect(writes()).to.have.length(1);
    expect(writes()[0]).to.deep.include({ method: "POST", tenantId: REMOVING.tenantId });
    expect(writes()[0]!.path).to.match(/\/requests$/);
    expect(writes()[0]!.body).to.deep.equal({ action: "terminate" });
    expect(textOf(card)).to.include("asked Microsoft to end the GDAP relationship");
    expect(held(REMOVING).status).to.equal("terminationRequested");
    const relationship = await stored(REMOVING.id);
    expect(relationship).to.deep.include({ status: "terminationRequested", roles: [] });
    expect(relationship.microsoft?.status).to.equal("terminationRequested");
  });

  it("a standalone partner's removal is recorded in Partner Desk and sends the admin to the admin center", async () => {
    const confirm = await press(ADMIN, CUSTOMER, "relationships.removeRolesConfirm", { partnerId: DEMO.activePartnerId });
    expect(openUrls(confirm)).to.include(ADMIN_CENTER);
    const yes = buttonData(confirm, "Yes");
    const card = await press(ADMIN, CUSTOMER, yes.verb, { ...yes.data, ...inputDefaults(confirm) });
    expect(textOf(card)).to.include("Recorded in Partner Desk").and.include("remove them in the admin center too");
    expect(openUrls(card)).to.include(ADMIN_CENTER);
    expect(gdap.requests, "a partner that is not connected is never called").to.deep.equal([]);
    expect((await stored(DEMO.activePartnerId)).roles).to.deep.equal([]);
  });

  describe("a connected partner confirms the end the customer asked for", () => {
    it("sets up a second connected partner's active relationship, and the customer asks to end it", async () => {
      relationshipIds[ENDING.id] = await connectedAndApproved(ENDING, [HELPDESK]);
      const asked = await press(ADMIN, CUSTOMER, "relationships.requestEnd", { partnerId: ENDING.id, message: "Thanks, we're done" });
      expect(textOf(asked)).to.include("Termination requested");
    });

    it("stores nothing when Microsoft is down, and tells the partner the relationship was not ended", async () => {
      gdap.outage = { status: 503 };
      const card = await expectNothingChanged(snapshot, () =>
        press(ENDING.contact, ENDING.tenantId, "partnerSide.confirmEnd", { customerTenantId: CUSTOMER }),
      );
      expect(textOf(card)).to.include("The relationship was not ended");
      expect(held(ENDING).status).to.equal("active");
    });

    it("terminates the GDAP relationship in Microsoft, then records the end", async () => {
      const card = await press(ENDING.contact, ENDING.tenantId, "partnerSide.confirmEnd", { customerTenantId: CUSTOMER });
      expect(writes().map((r) => r.body)).to.deep.equal([{ action: "terminate" }]);
      expect(textOf(card)).to.include("your connection asked Microsoft to end the GDAP relationship");
      expect(held(ENDING).status).to.equal("terminationRequested");
      const relationship = await stored(ENDING.id);
      expect(relationship.status).to.equal("terminated");
      expect(relationship.microsoft?.status).to.equal("terminationRequested");
    });
  });
});
