import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { ROLE } from "../../src/domain/roles.js";
import { VERBS } from "../../src/features/verbs.js";
import { sampleDirectory } from "../../src/partner-directory/sample.js";
import { personalChat } from "../helpers/activities.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { actionsOf, cardOf, ChannelEmulator } from "../helpers/channelEmulator.js";
import { emulatorDriver, inputDefaults, teamsDriver, type Driver } from "../helpers/journey.js";

/*
 * Typed requests through the real bot, on both channel paths: what a person types is understood (the examples of
 * issue 11, finding 5), the card it opens is the right one, and its buttons carry the flow on.
 */

const ADMIN = { id: "29:typed-admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId };

/** The verb and data of the card's button that sends `verb` (Teams: Action.Execute; Emulator: Action.Submit). */
function button(card: any, verb: string): { verb: string; data: Record<string, unknown> } | undefined {
  for (const action of actionsOf(card)) {
    if (action.type === "Action.Execute" && action.verb === verb) return { verb, data: action.data ?? {} };
    if (action.type === "Action.Submit" && action.data?.verb === verb) {
      const { verb: _verb, ...data } = action.data;
      return { verb, data };
    }
  }
  return undefined;
}

for (const channelId of ["msteams", "emulator"] as const) {
  describe(`end to end: typed requests on the ${channelId === "msteams" ? "Teams" : "Emulator"} path`, function () {
    this.timeout(60_000);
    let app: RunningApp;
    let channel: ChannelEmulator;
    let driver: Driver;

    /** Types a message as the demo admin (in Teams' language `locale`); the reply's sentence (if any) and its card. */
    async function type(text: string, locale = "en-US"): Promise<{ said: string; card: any }> {
      channel.clear();
      const from =
        channelId === "msteams"
          ? personalChat(ADMIN, DEMO.customerTenantId, "a:typed")
          : { from: { id: "typed-admin", name: "Demo Admin" } };
      await channel.post({ type: "message", text, locale, ...from });
      const [reply] = await channel.waitFor((r) => r.kind === "reply");
      return { said: String(reply!.activity.text ?? ""), card: cardOf(reply!.activity) };
    }

    before(async () => {
      app = await startBotUnderTest({ NOTIFY_ENABLED: "false" });
      channel = await new ChannelEmulator(app.url, { channelId }).start();
      driver =
        channelId === "msteams"
          ? teamsDriver(channel, DEMO.customerTenantId, ADMIN)
          : emulatorDriver(channel, { id: "typed-admin", name: "Demo Admin" });
    });
    after(async () => {
      await channel?.stop();
      await app?.stop();
    });

    it('"show invitations" lists the pending invitations', async () => {
      const { said, card } = await type("show invitations");
      expect(said).to.equal("");
      expect(button(card, VERBS.invitations.show)?.data).to.deep.equal({ invitationId: DEMO.invitationId });
    });

    it('"partners please" lists the partners', async () => {
      const { card } = await type("partners please");
      expect(button(card, VERBS.relationships.show)?.data).to.deep.equal({ partnerId: DEMO.activePartnerId });
    });

    it('"I want to find a partner in Stockholm" runs the directory search for Stockholm', async () => {
      const { said, card } = await type("I want to find a partner in Stockholm");
      expect(said).to.equal("");
      const text = JSON.stringify(card);
      expect(text).to.include("Contoso Cloud Partners").and.include("Stockholm");
      expect(text, "a partner in Seattle only").to.not.include("Northwind Managed Services");
      // "New search" starts from the query that ran.
      expect(button(card, VERBS.findPartner.start)?.data).to.include({ location: "Stockholm" });
    });

    it('"accept" with the one pending invitation opens it, and its Review carries the decision on', async () => {
      const { card } = await type("accept");
      expect(JSON.stringify(card)).to.include("Contoso Cloud Partners");
      const review = button(card, VERBS.invitations.review);
      expect(review?.data).to.deep.equal({ invitationId: DEMO.invitationId });
      const next = await driver.press(review!.verb, review!.data);
      expect(button(next.card, VERBS.invitations.accept), "the accept step").to.not.equal(undefined);
    });

    it('"cancel" says nothing is in progress and shows the menu', async () => {
      const { said, card } = await type("cancel");
      expect(said).to.match(/^Nothing is in progress/);
      expect(button(card, VERBS.findPartner.start)).to.not.equal(undefined);
    });

    it('anything else gets "I didn\'t catch that" and the menu', async () => {
      const { said, card } = await type("what is the weather in Paris tomorrow");
      expect(said).to.match(/^I didn't catch that/);
      expect(button(card, VERBS.invitations.list)).to.not.equal(undefined);
    });

    describe("in Swedish (understood whatever the client's language)", () => {
      /** The directory partners a card names: what a search found, compared by name. */
      const directoryNames = sampleDirectory().map((p) => p.name);
      const partnersNamedIn = (card: unknown) => directoryNames.filter((name) => JSON.stringify(card).includes(name)).sort();

      for (const locale of ["sv-SE", "en-US"]) {
        it(`"hej", "hjälp", "meny" show the menu, as "help" does (${locale})`, async () => {
          const help = await type("help", locale);
          for (const text of ["hej", "hjälp", "hjalp", "meny"]) expect(await type(text, locale), text).to.deep.equal(help);
        });

        it(`"inbjudningar" lists the pending invitations, as "invitations" does (${locale})`, async () => {
          const { said, card } = await type("inbjudningar", locale);
          expect(said).to.equal("");
          expect(button(card, VERBS.invitations.show)?.data).to.deep.equal({ invitationId: DEMO.invitationId });
          expect(card).to.deep.equal((await type("invitations", locale)).card);
        });

        it(`"mina partner" and "partner" list the partners; "partnertyper" shows the partner types (${locale})`, async () => {
          for (const text of ["mina partner", "partner"])
            expect(button((await type(text, locale)).card, VERBS.relationships.show)?.data, text).to.deep.equal({
              partnerId: DEMO.activePartnerId,
            });
          expect((await type("partnertyper", locale)).card).to.deep.equal((await type("partner types", locale)).card);
        });

        it(`"sök partner" and "hitta partner" open the search form (${locale})`, async () => {
          const form = (await type("find partner", locale)).card;
          expect(button(form, VERBS.findPartner.search), "the form's Search").to.not.equal(undefined);
          for (const text of ["sök partner", "hitta partner"]) expect((await type(text, locale)).card, text).to.deep.equal(form);
        });

        it(`"hitta en partner i Göteborg" finds the partners "find a partner in Gothenburg" finds (${locale})`, async () => {
          const english = partnersNamedIn((await type("find a partner in Gothenburg", locale)).card);
          const inGothenburg = sampleDirectory().filter((p) => p.locations.some((l) => l.city === "Gothenburg"));
          expect(english).to.include.members(inGothenburg.slice(0, 3).map((p) => p.name));
          for (const text of ["hitta en partner i Göteborg", "hitta en partner i Goteborg"]) {
            const { said, card } = await type(text, locale);
            expect(said, text).to.equal("");
            expect(partnersNamedIn(card), text).to.deep.equal(english);
            expect(button(card, VERBS.findPartner.start)?.data, text).to.include({ location: "Göteborg" });
          }
        });

        it(`"acceptera" opens the one pending invitation; "avbryt" answers as "cancel" does (${locale})`, async () => {
          const { card } = await type("acceptera", locale);
          expect(button(card, VERBS.invitations.review)?.data).to.deep.equal({ invitationId: DEMO.invitationId });
          expect(await type("avbryt", locale)).to.deep.equal(await type("cancel", locale));
        });

        it(`"ta bort roller från Northwind" opens Northwind's Remove roles step (${locale})`, async () => {
          const { said, card } = await type("ta bort roller från Northwind", locale);
          expect(said).to.equal("");
          expect(button(card, VERBS.relationships.removeRoles)?.data).to.include({ partnerId: DEMO.activePartnerId });
          expect(card).to.deep.equal((await type("remove roles from Northwind", locale)).card);
        });
      }
    });

    // Last: it removes Northwind's roles.
    it('"remove roles from Northwind" opens Northwind\'s Remove roles step, and Yes removes the chosen roles', async () => {
      const { said, card } = await type("remove roles from Northwind");
      expect(said).to.equal("");
      const yes = button(card, VERBS.relationships.removeRoles);
      expect(yes?.data).to.include({ partnerId: DEMO.activePartnerId });
      const chosen = inputDefaults(card)["roleIds"]!.split(",");
      expect(chosen).to.have.members([ROLE.globalAdministrator, ROLE.helpdeskAdministrator], "all of Northwind's roles, ticked");
      await driver.press(yes!.verb, { ...yes!.data, roleIds: ROLE.globalAdministrator });
      const northwind = await app.storage.relationships.get(DEMO.customerTenantId, DEMO.activePartnerId);
      expect(northwind!.value.roles.map((r) => r.roleId)).to.deep.equal([ROLE.helpdeskAdministrator]);
    });

    it('"reset demo" puts the demo back as it started, and says so', async () => {
      const { card } = await type("reset demo");
      expect(JSON.stringify(card)).to.include("The demo is back to where it started: 1 pending invitation");
      expect(button(card, VERBS.invitations.list)).to.not.equal(undefined);
      const northwind = await app.storage.relationships.get(DEMO.customerTenantId, DEMO.activePartnerId);
      expect(northwind!.value.roles.map((r) => r.roleId)).to.have.members([ROLE.globalAdministrator, ROLE.helpdeskAdministrator]);
      const pending = await app.storage.invitations.listPending(DEMO.customerTenantId);
      expect(pending.map((i) => i.value.id)).to.deep.equal([DEMO.invitationId]);
    });
  });

  describe(`end to end: "reset demo" outside the local demo, on the ${channelId === "msteams" ? "Teams" : "Emulator"} path`, function () {
    this.timeout(60_000);
    let app: RunningApp;
    let channel: ChannelEmulator;

    before(async () => {
      app = await startBotUnderTest({ NOTIFY_ENABLED: "false" }, { seedDemo: false });
      channel = await new ChannelEmulator(app.url, { channelId }).start();
    });
    after(async () => {
      await channel?.stop();
      await app?.stop();
    });

    it("is refused with a clear answer, and nothing is written", async () => {
      const from =
        channelId === "msteams"
          ? personalChat(ADMIN, DEMO.customerTenantId, "a:typed")
          : { from: { id: "typed-admin", name: "Demo Admin" } };
      await channel.post({ type: "message", text: "reset demo", ...from });
      const [reply] = await channel.waitFor((r) => r.kind === "reply");
      expect(JSON.stringify(cardOf(reply!.activity))).to.include("reset demo works only in the local demo");
      expect(await app.storage.invitations.listForTenant(DEMO.customerTenantId)).to.deep.equal([]);
      expect(await app.storage.relationships.listForTenant(DEMO.customerTenantId)).to.deep.equal([]);
    });
  });
}
