import { expect } from "chai";
import { ConversationBook, type Reference } from "../../src/bot/conversationBook.js";
import { ROLE, type RoleTemplateId } from "../../src/domain/roles.js";
import { waitingForWhom, type NowReachable } from "../../src/outbox/shards/waiting.js";
import type { Clock } from "../../src/domain/time.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables } from "../helpers/azurite.js";

const TENANT = "7a7a7a7a-0000-4000-8000-00000000000a";

const reference = (userId: string): Reference => ({
  channelId: "msteams",
  serviceUrl: "https://smba.trafficmanager.net/emea/",
  conversation: { id: `a:${userId}`, tenantId: TENANT, conversationType: "personal" },
  bot: { id: "28:bot" },
  user: { id: `29:${userId}`, aadObjectId: userId },
});

describe("the conversation book keeps each tenant's admins for the invitation cards' refresh", function () {
  this.timeout(20_000);
  let storage: Storage;
  let reads: number;
  let book: ConversationBook;
  let now: number;

  beforeEach(async () => {
    storage = openStorage((await freshTables()).tables);
    reads = 0;
    now = Date.parse("2026-11-29T10:00:00Z");
    const clock: Clock = { now: () => new Date(now) };
    // The real repository, with its tenant listing counted.
    const conversations = Object.assign(Object.create(storage.conversations) as Storage["conversations"], {
      listForTenant: (tenantId: string) => {
        reads++;
        return storage.conversations.listForTenant(tenantId);
      },
    });
    book = new ConversationBook(conversations, { partnerOfContact: async () => undefined }, clock);
  });

  const adminTalks = (userId: string) =>
    book.remember({ tenantId: TENANT, userId, name: userId, locale: "en-US" }, reference(userId), async () => [ROLE.globalAdministrator]);

  it("reads the list once for many cards, and again after a minute", async () => {
    await adminTalks("admin-1");
    expect(await book.teamsAdminIds(TENANT)).to.deep.equal(["29:admin-1"]);
    expect(await book.teamsAdminIds(TENANT)).to.deep.equal(["29:admin-1"]);
    expect(reads).to.equal(1);
    now += 61_000;
    await book.teamsAdminIds(TENANT);
    expect(reads).to.equal(2);
  });

  it("sees at once an admin who starts talking to the bot in this process", async () => {
    await adminTalks("admin-1");
    await book.teamsAdminIds(TENANT);
    await adminTalks("admin-2");
    expect((await book.teamsAdminIds(TENANT)).sort()).to.deep.equal(["29:admin-1", "29:admin-2"]);
    expect(reads).to.equal(2);
  });

  it("tells the outbox who became reachable as what: a first turn, a return after a stale conversation, a new partner contact", async () => {
    const told: unknown[] = [];
    const listed: { partnerId?: string } = {};
    const clock: Clock = { now: () => new Date(now) };
    const telling = new ConversationBook(
      storage.conversations,
      {
        partnerOfContact: async () =>
          listed.partnerId ? ({ id: listed.partnerId, tenantId: `${listed.partnerId}-tenant` } as never) : undefined,
      },
      clock,
      (who) => told.push(who),
    );
    const talks = (roles: RoleTemplateId[]) =>
      telling.remember({ tenantId: TENANT, userId: "u-1", name: "U", locale: "en-US" }, reference("u-1"), async () => roles);
    await talks([ROLE.globalAdministrator]);
    await talks([ROLE.globalAdministrator]); // nothing new: reachable already
    const record = (await storage.conversations.get(TENANT, "u-1"))!.value;
    await telling.markStale(record);
    now += 1_000;
    await talks([ROLE.globalAdministrator]);
    listed.partnerId = "partner-7"; // the directory now lists them as a partner's contact
    await talks([]);
    expect(told).to.deep.equal([
      { tenantId: TENANT, userId: "u-1", reachableAs: "customerAdmin", deliveryTenant: TENANT },
      { tenantId: TENANT, userId: "u-1", reachableAs: "customerAdmin", deliveryTenant: TENANT },
      { tenantId: TENANT, userId: "u-1", reachableAs: "partnerContact", partnerId: "partner-7", deliveryTenant: "partner-7-tenant" },
    ]);
    expect(waitingForWhom(told[2] as NowReachable)).to.equal("partner|partner-7");
    expect(waitingForWhom(told[0] as NowReachable)).to.equal(`admins|${TENANT}`);
  });

  it("keeps each reader's locale with their reference, for notifications in their language", async () => {
    await book.remember({ tenantId: TENANT, userId: "admin-sv", name: "Sara", locale: "sv-SE" }, reference("admin-sv"), async () => [
      ROLE.globalAdministrator,
    ]);
    await adminTalks("admin-en");
    expect((await storage.conversations.get(TENANT, "admin-sv"))?.value.locale).to.equal("sv-SE");
    expect((await storage.conversations.get(TENANT, "admin-en"))?.value.locale).to.equal("en-US");
  });

  it("reads a row saved before locales were kept as English, rather than failing to parse it", async () => {
    await adminTalks("admin-old");
    const client = storage.tables.client("conversations");
    const row = await client.getEntity<Record<string, unknown>>(TENANT, "conv|admin-old");
    const { locale, ...withoutLocale } = row;
    expect(locale).to.equal("en-US");
    await client.updateEntity({ ...withoutLocale, partitionKey: TENANT, rowKey: "conv|admin-old" }, "Replace");
    expect((await storage.conversations.get(TENANT, "admin-old"))?.value.locale).to.equal("en");
    expect((await storage.conversations.listForTenant(TENANT)).map((r) => r.value.locale)).to.deep.equal(["en"]);
  });
});
