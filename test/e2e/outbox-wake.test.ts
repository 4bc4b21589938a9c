import { expect } from "chai";
import { pino } from "pino";
import { startApp, type RunningApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { DEMO } from "../../src/demo/constants.js";
import { VERBS } from "../../src/features/verbs.js";
import { freshTables } from "../helpers/azurite.js";
import { ChannelEmulator } from "../helpers/channelEmulator.js";
import { teamsDriver, type Driver } from "../helpers/journey.js";

const admin = { id: "29:wake-admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId };

/**
 * Only a commit that queued something (or someone becoming reachable) wakes the outbox. Reads never do: a
 * pass begins with a query of each of its shards' index partitions (and of the tenants they name), so waking after
 * every card action would make each read cost 16 queries. Counted on the wire, at the Table Storage client of the
 * real app, with notifications on: one query of the first shard's index partition per pass.
 */
describe("end to end: the outbox wakes for queued notifications only", function () {
  this.timeout(60_000);
  let app: RunningApp;
  let channel: ChannelEmulator;
  let driver: Driver;
  let outboxQueries = 0;
  let wakes = 0;

  before(async () => {
    const { prefix, connectionString } = await freshTables();
    const config = loadConfig({
      PORT: "0",
      TABLES_CONNECTION_STRING: connectionString,
      TABLE_PREFIX: prefix,
      LOG_LEVEL: "silent",
      // No poll during the test: every pass here is one something woke.
      NOTIFY_POLL_MS: "3600000",
    });
    const indexTable = `${prefix}outboxshards`;
    app = await startApp(config, {
      logger: pino({ level: "silent" }),
      seedDemo: true,
      tablePolicies: [
        {
          position: "perCall",
          policy: {
            name: "countOutboxQueries",
            sendRequest: (request, next) => {
              const url = new URL(request.url);
              const filter = url.searchParams.get("$filter") ?? "";
              // The pass's listing: the index partition of shard 0 (this one instance holds every shard).
              if (request.method === "GET" && url.pathname.includes(indexTable) && filter.includes("PartitionKey eq 'due-00'"))
                outboxQueries++;
              return next(request);
            },
          },
        },
      ],
    });
    const engine = app.outbox;
    const wake = engine.wake.bind(engine);
    engine.wake = () => {
      wakes++;
      wake();
    };
    channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
    driver = teamsDriver(channel, DEMO.customerTenantId, admin);
    // The admin's first turn makes them reachable (that wakes the outbox, rightly); then the engine goes idle.
    expect((await driver.press(VERBS.menu.show)).card).to.not.equal(undefined);
    // The reference is stored off the invoke's critical path: its wake must come before the counting starts.
    const deadline = Date.now() + 10_000;
    while (!(await app.storage.conversations.get(DEMO.customerTenantId, admin.aadObjectId))) {
      if (Date.now() > deadline) throw new Error("the admin's conversation reference was not stored");
      await new Promise((r) => setTimeout(r, 25));
    }
    await app.outbox.runOnce();
    await new Promise((r) => setTimeout(r, 200));
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });

  it("runs no outbox query and no wake for 100 read-only card actions", async () => {
    outboxQueries = 0;
    wakes = 0;
    const reads = [
      () => driver.press(VERBS.menu.show),
      () => driver.press(VERBS.invitations.list),
      () => driver.press(VERBS.invitations.show, { invitationId: DEMO.invitationId }),
      () => driver.press(VERBS.relationships.list),
      () => driver.press(VERBS.relationships.show, { partnerId: DEMO.activePartnerId }),
    ];
    for (let i = 0; i < 100; i++) {
      const answer = await reads[i % reads.length]!();
      expect(answer.error, `read ${i}`).to.equal(undefined);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(wakes).to.equal(0);
    expect(outboxQueries).to.equal(0);
  });

  it("wakes the outbox exactly once for one decision, and that pass is the one outbox query", async () => {
    outboxQueries = 0;
    wakes = 0;
    const declined = await driver.press(VERBS.invitations.decline, { invitationId: DEMO.invitationId, reason: "Not now" });
    expect(declined.text).to.include("Contoso Cloud Partners");
    const deadline = Date.now() + 5_000;
    while (outboxQueries === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    // Let that pass finish: nobody can be reached for the notification yet, so nothing follows it.
    await new Promise((r) => setTimeout(r, 500));
    expect(wakes).to.equal(1);
    expect(outboxQueries).to.equal(1);
  });
});
