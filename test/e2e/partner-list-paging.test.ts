import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { write } from "../../src/domain/decision.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator } from "../helpers/channelEmulator.js";
import { buttonData, buttonTitles, emulatorDriver, teamsDriver, type Answer, type Driver } from "../helpers/journey.js";
import { manyRelationships } from "../helpers/manyRelationships.js";

const TENANT = DEMO.customerTenantId;
/** Teams refuses cards past about 28 KB. */
const TEAMS_CARD_LIMIT = 28 * 1024;

/**
 * A customer with 35 relationships (the demo's Northwind and 34 more, 6 of them ended): the list pages, hides the
 * ended ones until asked, and flags risk, through the real bot on each channel path.
 */
function pagingOn(label: string, channelId: "msteams" | "emulator", driverFor: (channel: ChannelEmulator) => Driver) {
  describe(`end to end: the partner list pages on the ${label} path`, function () {
    this.timeout(60_000);
    let app: RunningApp;
    let channel: ChannelEmulator;
    let driver: Driver;

    before(async () => {
      app = await startBotUnderTest({ NOTIFY_ENABLED: "false" });
      channel = await new ChannelEmulator(app.url, { channelId }).start();
      driver = driverFor(channel);
      await app.storage.seed.createAll(manyRelationships(TENANT, 34, new Date()).map(write.relationship));
    });
    after(async () => {
      await channel?.stop();
      await app?.stop();
    });

    const press = (answer: Answer, title: string) => {
      const { verb, data } = buttonData(answer.card, title);
      return driver.press(verb, data);
    };
    const size = (answer: Answer) => Buffer.byteLength(JSON.stringify(answer.card));

    it("shows the first 10 current relationships, with risk flags, in a card well under Teams' limit", async () => {
      const first = await driver.say("partners");
      expect(first.text).to.include("Showing 1–10 of 29");
      expect(first.text).to.include("Global administrator · Agreement not accepted");
      expect(first.text).to.match(/Ends soon \(/);
      expect(first.text).to.not.include('"Ended"');
      expect(size(first)).to.be.below(TEAMS_CARD_LIMIT * 0.75);
      expect(buttonTitles(first.card)).to.include.members(["Next", "Show ended (6)"]).and.not.include("Previous");
    });

    it("pages with Next and Previous", async () => {
      const first = await driver.say("partners");
      const second = await press(first, "Next");
      expect(second.text).to.include("Showing 11–20 of 29");
      const third = await press(second, "Next");
      expect(third.text).to.include("Showing 21–29 of 29");
      expect(buttonTitles(third.card)).to.not.include("Next");
      const back = await press(third, "Previous");
      expect(back.text).to.include("Showing 11–20 of 29");
    });

    it("lists the ended relationships on Show ended, and hides them again", async () => {
      const first = await driver.say("partners");
      const withEnded = await press(first, "Show ended (6)");
      expect(withEnded.text).to.include("Showing 1–10 of 35").and.include('"Ended"');
      expect(size(withEnded)).to.be.below(TEAMS_CARD_LIMIT * 0.75);
      const next = await press(withEnded, "Next");
      expect(next.text).to.include("Showing 11–20 of 35");
      const hidden = await press(next, "Hide ended");
      expect(hidden.text).to.include("Showing 1–10 of 29");
    });
  });
}

pagingOn("Teams", "msteams", (channel) =>
  teamsDriver(channel, TENANT, { id: "29:admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId }),
);
pagingOn("Emulator", "emulator", (channel) => emulatorDriver(channel, { id: "emulator-user-1", name: "Demo Admin" }));
