import { write } from "../../src/domain/decision.js";
import { expect } from "chai";
import type { TableClient } from "@azure/data-tables";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { dataPhrases, englishIn } from "../helpers/englishScan.js";
import { ChannelEmulator } from "../helpers/channelEmulator.js";
import {
  ACCEPTING_CONTACT,
  buttonData,
  inputDefaults,
  buttonTitles,
  emulatorDriver,
  json,
  partitionRows,
  rowsOfKind,
  teamsDriver,
  type Answer,
  type Driver,
  type TestUser,
} from "../helpers/journey.js";

const TENANT = DEMO.customerTenantId;
const SECOND_INVITATION = "second-invitation";

/**
 * What the journey types, presses and expects to read, in each language the journey runs in. The Swedish column is
 * written here from the glossary (../shared/GLOSSARY.sv.md), not read from sv.json, so the test checks the file.
 */
interface Words {
  locale: string;
  /** [typed, expected on the answer] */
  commands: ReadonlyArray<readonly [string, string]>;
  menuTitles: string[];
  help: string;
  invitationsCommand: string;
  partnersCommand: string;
  /** A search by country and a service word, as a reader of this language types them. */
  country: string;
  keyword: string;
  organizationSize: string;
  search: string;
  resultsTitle: string;
  nextPage: string;
  previousPage: string;
  alsoSelectedOne: string;
  noResults: string;
  contactSelected: string;
  selectAtLeastOne: string;
  onlyAdminsContact: string;
  businessNeeds: string;
  send: string;
  describeNeeds: string;
  requestSent: string;
  wentToTwo: string;
  wentToOne: string;
  notOne: string | undefined;
  invitationFromContoso: string;
  globalAdministrator: string;
  broadestRole: string;
  helpdeskAdministrator: string;
  licenseAdministrator: string;
  days180Until: string;
  considerNarrower: string;
  acceptAgreementAndAuthorize: string;
  decline: string;
  notOnInvitation: string[];
  agreementLink: string;
  onlyAdminsCan: string;
  readConfirm: string;
  acceptAndAuthorize: string;
  tickTheBox: string;
  agreementUpdated: string;
  validEmail: string;
  nothingChanged: string;
  firstAndLastName: string;
  yourPartners: string;
  youAcceptedContoso: string;
  rolesTakeEffect: string;
  alreadyAcceptedByOther: string;
  alreadyAcceptedByYou: string;
  declineAlpineTitle: string;
  youDeclinedAlpine: string;
  agreementMissing: string;
  acceptAgreement: string;
  agreementName: string;
  accept: string;
  agreementAcceptedNorthwind: string;
  history: string;
  acceptedAgreementSentence: string;
  removeRoles: string;
  contactToEnd: string;
  onlyAdminsRemove: string;
  removeRolesQuestion: string;
  relationshipStays: string;
  contactThePartner: string;
  resellerAfterwards: string;
  no: string;
  yes: string;
  recordedAndNorthwind: string;
  removeInAdminCenter: string;
  noRolesLeft: string;
  askNorthwindToEnd: string;
  sendRequest: string;
  terminationRequested: string;
}

const ENGLISH: Words = {
  locale: "en-US",
  commands: [
    ["find partner", "Find a partner"],
    ["invitations", "Partner invitations"],
    ["partners", "Your partners"],
    ["partner types", "Line-of-business (LOB) partner"],
    ["help", "What would you like to do?"],
    ["something else entirely", "What would you like to do?"],
  ],
  menuTitles: ["Find a partner", "Invitations", "Partners", "Partner types"],
  help: "help",
  invitationsCommand: "invitations",
  partnersCommand: "partners",
  country: "Sweden",
  keyword: "security",
  organizationSize: "Organization size",
  search: "Search",
  resultsTitle: "Partners that match",
  nextPage: "Next page",
  previousPage: "Previous page",
  alsoSelectedOne: "Also selected on other pages: 1 partner",
  noResults: "No partner matches all of that",
  contactSelected: "Contact selected providers",
  selectAtLeastOne: "Select at least one partner to contact.",
  onlyAdminsContact: "Only a Global or Billing administrator can find and contact partners",
  businessNeeds: "Business needs",
  send: "Send",
  describeNeeds: "Describe your business needs",
  requestSent: "Request sent",
  wentToTwo: "Your request went to 2 partners.",
  wentToOne: "Your request went to 1 partner.",
  notOne: "1 partners",
  invitationFromContoso: "Invitation from Contoso Cloud Partners",
  globalAdministrator: "Global administrator",
  broadestRole: "Broadest role",
  helpdeskAdministrator: "Helpdesk administrator",
  licenseAdministrator: "License administrator",
  days180Until: "180 days, until",
  considerNarrower: "Consider asking for narrower roles",
  acceptAgreementAndAuthorize: "Accept agreement & authorize partner",
  decline: "Decline",
  notOnInvitation: ["Review", "Read the Microsoft Customer Agreement"],
  agreementLink: "[Read the Microsoft Customer Agreement](https://www.microsoft.com/licensing/docs/customeragreement)",
  onlyAdminsCan: "Only a Global or Billing administrator can",
  readConfirm: "I have read the Microsoft Customer Agreement",
  acceptAndAuthorize: "Accept & authorize",
  tickTheBox: "Tick the box to confirm",
  agreementUpdated: "was updated since this card was shown",
  validEmail: "Enter a valid work email address",
  nothingChanged: "Nothing was changed",
  firstAndLastName: "Enter your first and last name",
  yourPartners: "Your partners",
  youAcceptedContoso: "You accepted Contoso Cloud Partners's invitation and the Microsoft Customer Agreement",
  rolesTakeEffect: "take effect in Microsoft 365 only when a Global administrator approves them",
  alreadyAcceptedByOther: "This invitation was already accepted",
  alreadyAcceptedByYou: "You already accepted this invitation",
  declineAlpineTitle: "Decline the invitation from Alpine Cloud AB?",
  youDeclinedAlpine: "You declined the invitation from Alpine Cloud AB",
  agreementMissing: "Not accepted: the partner can't buy or manage subscriptions for you",
  acceptAgreement: "Accept agreement",
  agreementName: "Microsoft Customer Agreement",
  accept: "Accept",
  agreementAcceptedNorthwind: "The Microsoft Customer Agreement is accepted for Northwind Managed Services",
  history: "History",
  acceptedAgreementSentence: "accepted the Microsoft Customer Agreement",
  removeRoles: "Remove roles",
  contactToEnd: "Contact partner to end the relationship",
  onlyAdminsRemove: "Only a Global or Billing administrator can remove a partner's roles",
  removeRolesQuestion: "Remove roles?",
  relationshipStays: "The relationship itself stays",
  contactThePartner: "contact the partner",
  resellerAfterwards: "Reseller afterwards",
  no: "No",
  yes: "Yes",
  recordedAndNorthwind: "Recorded in Partner Desk, and Northwind",
  removeInAdminCenter: "remove them in the admin center too",
  noRolesLeft: "holds no admin roles. Nothing was changed.",
  askNorthwindToEnd: "Ask Northwind Managed Services to end the relationship",
  sendRequest: "Send request",
  terminationRequested: "Termination requested",
};

const SWEDISH: Words = {
  locale: "sv-SE",
  commands: [
    ["hitta partner", "Hitta en partner"],
    ["inbjudningar", "Partnerinbjudningar"],
    ["partner", "Dina partner"],
    ["partnertyper", "LOB-partner"],
    ["hjälp", "Vad vill du göra?"],
    ["något helt annat", "Vad vill du göra?"],
  ],
  menuTitles: ["Hitta en partner", "Inbjudningar", "Partner", "Partnertyper"],
  help: "hjälp",
  invitationsCommand: "inbjudningar",
  partnersCommand: "partner",
  country: "Sverige",
  keyword: "säkerhet",
  organizationSize: "Organisationens storlek",
  search: "Sök",
  resultsTitle: "Matchande partner",
  nextPage: "Nästa sida",
  previousPage: "Föregående sida",
  alsoSelectedOne: "Dessutom vald på andra sidor: 1 partner",
  noResults: "Ingen partner matchar allt det där",
  contactSelected: "Kontakta valda leverantörer",
  selectAtLeastOne: "Välj minst en partner att kontakta.",
  onlyAdminsContact: "Bara en global administratör eller faktureringsadministratör kan hitta och kontakta partner",
  businessNeeds: "Verksamhetsbehov",
  send: "Skicka",
  describeNeeds: "Beskriv verksamhetsbehoven",
  requestSent: "Förfrågan skickad",
  wentToTwo: "Din förfrågan har skickats till 2 partner.",
  wentToOne: "Din förfrågan har skickats till 1 partner.",
  notOne: undefined,
  invitationFromContoso: "Inbjudan från Contoso Cloud Partners",
  globalAdministrator: "Global administratör",
  broadestRole: "Den bredaste rollen",
  helpdeskAdministrator: "Supportadministratör",
  licenseAdministrator: "Licensadministratör",
  days180Until: "180 dagar, fram till",
  considerNarrower: "Överväg att be om snävare roller",
  acceptAgreementAndAuthorize: "Acceptera avtal och auktorisera partner",
  decline: "Avböj",
  notOnInvitation: ["Granska", "Läs Microsoft-kundavtalet"],
  agreementLink: "[Läs Microsoft-kundavtalet](https://www.microsoft.com/licensing/docs/customeragreement)",
  onlyAdminsCan: "Bara en global administratör eller faktureringsadministratör kan",
  readConfirm: "Jag har läst Microsoft-kundavtalet",
  acceptAndAuthorize: "Acceptera och auktorisera",
  tickTheBox: "Markera rutan för att bekräfta",
  agreementUpdated: "har uppdaterats sedan det här kortet visades",
  validEmail: "Ange en giltig e-postadress på jobbet",
  nothingChanged: "Inget har ändrats",
  firstAndLastName: "Ange ditt förnamn och efternamn",
  yourPartners: "Dina partner",
  youAcceptedContoso: "Du accepterade inbjudan från Contoso Cloud Partners och Microsoft-kundavtalet",
  rolesTakeEffect: "Rollerna börjar gälla i Microsoft 365",
  alreadyAcceptedByOther: "Den här inbjudan är redan accepterad",
  alreadyAcceptedByYou: "Du har redan accepterat den här inbjudan",
  declineAlpineTitle: "Avböja inbjudan från Alpine Cloud AB?",
  youDeclinedAlpine: "Du avböjde inbjudan från Alpine Cloud AB",
  agreementMissing: "Inte accepterat: partnern kan inte köpa eller hantera prenumerationer åt dig",
  acceptAgreement: "Acceptera avtalet",
  agreementName: "Microsoft-kundavtalet",
  accept: "Acceptera",
  agreementAcceptedNorthwind: "Microsoft-kundavtalet är accepterat för Northwind Managed Services",
  history: "Historik",
  acceptedAgreementSentence: "accepterade Microsoft-kundavtalet",
  removeRoles: "Ta bort roller",
  contactToEnd: "Kontakta partnern för att avsluta relationen",
  onlyAdminsRemove: "Bara en global administratör eller faktureringsadministratör kan ta bort roller från en partner",
  removeRolesQuestion: "Ta bort roller?",
  relationshipStays: "Själva relationen finns kvar",
  contactThePartner: "Kontakta partnern",
  resellerAfterwards: "enbart som Återförsäljare",
  no: "Nej",
  yes: "Ja",
  recordedAndNorthwind: "Registrerat i Partner Desk, och Northwind",
  removeInAdminCenter: "Ta också bort dem i administrationscentret",
  noRolesLeft: "har inga administratörsroller. Inget har ändrats.",
  askNorthwindToEnd: "Be Northwind Managed Services att avsluta relationen",
  sendRequest: "Skicka begäran",
  terminationRequested: "Avslut begärt",
};

/** What the journey types into cards: data, in whatever language the admin writes. */
const JOURNEY_TYPED_TEXT = [
  "Move 200 mailboxes and secure devices",
  "Teams voice for 40 people",
  "Global administrator for two years is too much",
  "We're consolidating vendors.",
  "Full access please.",
];

interface Cast {
  admin: TestUser;
  /** A second admin (Teams) — on the Emulator the same demo admin presses the old button again. */
  otherAdmin: TestUser;
  member: TestUser;
}

/** The whole procedure, one card at a time, run on each channel path; tables are read after every change. */
function journey(
  label: string,
  setup: (app: RunningApp, channel: ChannelEmulator, locale: string) => Promise<{ driver: Driver; cast: Cast }>,
  channelId: "msteams" | "emulator",
  w: Words,
) {
  describe(`end to end: the admin journey on the ${label} path, in ${w.locale}`, function () {
    this.timeout(60_000);
    let app: RunningApp;
    let channel: ChannelEmulator;
    let driver: Driver;
    let cast: Cast;
    let table: TableClient;
    const rows = () => partitionRows(table, TENANT);
    /** Every card the journey was answered with, for the scan for English at the end. */
    const seen: Answer[] = [];
    const keep = (answer: Answer) => (seen.push(answer), answer);

    before(async () => {
      // The outbox is asserted as written (pending); delivery is tested in notifications.test.ts.
      app = await startBotUnderTest({ NOTIFY_ENABLED: "false" });
      channel = await new ChannelEmulator(app.url, { channelId }).start();
      const started = await setup(app, channel, w.locale);
      const inner = started.driver;
      cast = started.cast;
      driver = {
        channelId: inner.channelId,
        press: async (verb, data, as) => keep(await inner.press(verb, data, as)),
        say: async (text, as) => keep(await inner.say(text, as)),
      };
      table = app.storage.tables.client("tenant");
      const now = new Date().toISOString();
      await app.storage.seed.create(
        write.invitation({
          id: SECOND_INVITATION,
          tenantId: TENANT,
          partnerId: "alpine-cloud-ab",
          partnerName: "Alpine Cloud AB",
          relationshipTypes: ["delegatedAdministrator"],
          roles: [ROLE.globalAdministrator],
          durationDays: 730,
          message: "Full access please.",
          status: "pending",
          createdAt: now,
          expiresAt: addDays(now, 90),
        }),
      );
    });
    after(async () => {
      await channel?.stop();
      await app?.stop();
    });

    /** The results card's per-partner toggles (`pick.<partnerId>`), in the order shown. */
    const partnerToggles = (node: any): any[] => {
      const found: any[] = [];
      const walk = (n: any) => {
        if (Array.isArray(n)) return n.forEach(walk);
        if (!n || typeof n !== "object") return;
        if (n.type === "Input.Toggle" && String(n.id).startsWith("pick.")) found.push(n);
        Object.values(n).forEach(walk);
      };
      walk(node);
      return found;
    };
    /** What a client sends for the results card's toggles: "true" for the ticked ones, "false" for the rest. */
    const ticked = (card: any, ids: string[]) =>
      Object.fromEntries(partnerToggles(card).map((t) => [t.id, ids.includes(t.id) ? "true" : "false"]));

    const pressButton = async (answer: { card?: any }, title: string, inputs: Record<string, unknown> = {}, as?: TestUser) => {
      const { verb, data } = buttonData(answer.card, title);
      return driver.press(verb, { ...data, ...inputs }, as);
    };

    describe("commands", () => {
      for (const [text, expected] of w.commands) {
        it(`answers "${text}" with the right card`, async () => {
          expect((await driver.say(text)).text).to.include(expected);
        });
      }

      it("offers every feature on the menu card", async () => {
        const titles = buttonTitles((await driver.say(w.help)).card);
        expect(titles).to.include.members(w.menuTitles);
      });
    });

    describe("find a partner", () => {
      it("searches by location, size and keywords and ranks the results, ten a page", async () => {
        const form = await driver.press("findPartner.start");
        expect(form.text).to.include(w.organizationSize);
        const results = await pressButton(form, w.search, { location: w.country, size: "any", keywords: w.keyword });
        expect(results.text).to.include(w.resultsTitle);
        const hits = results.card.body.filter((b: any) => b.type === "Container" && b.separator);
        expect(hits.length).to.be.within(1, 10);
        expect(JSON.stringify(hits)).to.include(", SE");
        expect(JSON.stringify(hits[0])).to.include("1. ");
      });

      it("pages through results and keeps selections made on other pages", async () => {
        const first = await driver.press("findPartner.search", { location: "", size: "any", keywords: "", page: 0 });
        const toggles = partnerToggles(first.card);
        expect(toggles).to.have.length(10);
        const picked = toggles[0].id;
        const second = await pressButton(first, w.nextPage, ticked(first.card, [picked]));
        expect(second.text).to.include("11. ");
        expect(second.text).to.include(w.alsoSelectedOne);
        const back = await pressButton(second, w.previousPage, ticked(second.card, []));
        expect(partnerToggles(back.card).find((t) => t.id === picked)?.value).to.equal("true", "the partner comes back ticked");
        expect(partnerToggles(back.card).filter((t) => t.value === "true")).to.have.length(1);
      });

      it("shows a compact row per partner: its own toggle beside its name, details on demand (finding 10)", async () => {
        const results = await driver.press("findPartner.search", { location: w.country, size: "any", keywords: "", page: 0 });
        const rowsOnCard = results.card.body.filter((b: any) => b.type === "Container" && b.separator);
        expect(rowsOnCard.length).to.be.within(1, 10);
        for (const row of rowsOnCard) {
          const [toggle] = partnerToggles(row);
          expect(toggle, "each row has its own toggle").to.not.equal(undefined);
          expect(toggle.title).to.match(/^\d+\. \S/, "the toggle is labelled with the partner's rank and name");
          const details = row.items.find((item: any) => item.isVisible === false);
          expect(JSON.stringify(details), "details wait behind the row").to.include(", SE");
          const toggleVisibility = JSON.stringify(row).includes('"Action.ToggleVisibility"');
          expect(toggleVisibility && JSON.stringify(row).includes(details.id), "Details opens this row's details").to.be.true;
        }
        expect(
          results.card.body.some((b: any) => b.id === "selected"),
          "no checkbox list apart from the partners",
        ).to.be.false;
      });

      it("says how to widen the search when nothing matches", async () => {
        const answer = await driver.press("findPartner.search", { location: "Atlantis", size: "5000+", keywords: "zzqxv", page: 0 });
        expect(answer.text).to.include(w.noResults);
        expect(answer.text).to.include(w.organizationSize, "the search form comes back, prefilled, to widen it");
      });

      it("asks to select at least one partner before contacting", async () => {
        const results = await driver.press("findPartner.search", { location: w.country, size: "any", keywords: "", page: 0 });
        const answer = await pressButton(results, w.contactSelected, { selected: "" });
        expect(answer.text).to.include(w.selectAtLeastOne);
      });

      it("refuses a user without an admin role at the contact step, and stores nothing", async () => {
        const before = rowsOfKind(await rows(), "creq").length;
        const results = await driver.press("findPartner.search", { location: w.country, size: "any", keywords: "", page: 0 });
        const answer = await pressButton(results, w.contactSelected, { selected: "contoso-cloud-partners" }, cast.member);
        expect(answer.text).to.include(w.onlyAdminsContact);
        expect(rowsOfKind(await rows(), "creq")).to.have.length(before);
      });

      it("requires business needs, then stores the request and one outbox row per selected partner", async () => {
        const results = await driver.press("findPartner.search", { location: w.country, size: "any", keywords: "", page: 0 });
        const toggles = partnerToggles(results.card);
        const ids = toggles.slice(0, 2).map((t: any) => t.id.slice("pick.".length));
        // Two toggles ticked, the others sent unticked ("false"), as a client sends every input of the card.
        const form = await pressButton(
          results,
          w.contactSelected,
          ticked(
            results.card,
            toggles.slice(0, 2).map((t: any) => t.id),
          ),
        );
        expect(form.text).to.include(w.businessNeeds);
        expect(form.card.body.filter((b: any) => String(b.text).startsWith("• "))).to.have.length(2, "exactly the ticked partners");
        const nameInput = form.card.body.find((b: any) => b.id === "contactName");
        expect(nameInput.value).to.equal(cast.admin.name, "contact details are prefilled from the user");

        const missing = await pressButton(form, w.send, { businessNeeds: "  ", contactName: "Ada" });
        expect(missing.text).to.include(w.describeNeeds);
        expect(rowsOfKind(await rows(), "creq")).to.have.length(0);

        const sent = await pressButton(form, w.send, {
          businessNeeds: "Move 200 mailboxes and secure devices",
          contactName: "Ada",
          contactEmail: "ada@fabrikam.example",
        });
        expect(sent.text).to.include(w.requestSent).and.include(w.wentToTwo);
        const reference = /CR-[0-9A-F]{10}/.exec(sent.text)?.[0];
        expect(reference).to.be.a("string");

        const all = await rows();
        const [request] = rowsOfKind(all, "creq");
        expect(request?.["id"]).to.equal(reference);
        expect(json(request, "partnerIds")).to.have.members(ids);
        expect(json(request, "requester")).to.deep.include({ name: "Ada", email: "ada@fabrikam.example" });
        const outbox = rowsOfKind(all, "outbox").filter((r) => r["type"] === "contactRequest");
        expect(outbox.map((r) => json(r, "recipient").partnerId)).to.have.members(ids);
        expect(rowsOfKind(all, "audit").filter((r) => r["action"] === "contactRequest.send")).to.have.length(1);
      });

      it('says "1 partner", not "1 partners" (finding 11)', async () => {
        const results = await driver.press("findPartner.search", { location: w.country, size: "any", keywords: "", page: 0 });
        const [first] = partnerToggles(results.card);
        const form = await pressButton(results, w.contactSelected, ticked(results.card, [first.id]));
        const sent = await pressButton(form, w.send, { businessNeeds: "Teams voice for 40 people", contactName: "Ada" });
        expect(sent.text).to.include(w.wentToOne);
        if (w.notOne) expect(sent.text).to.not.include(w.notOne);
      });
    });

    describe("invitations", () => {
      it("lists pending invitations and shows one in plain language, Global administrator flagged", async () => {
        const list = await driver.say(w.invitationsCommand);
        expect(list.text).to.include("Contoso Cloud Partners").and.include("Alpine Cloud AB");
        const invitation = await driver.press("invitations.show", { invitationId: DEMO.invitationId });
        expect(invitation.text).to.include(w.invitationFromContoso);
        expect(invitation.text).to.include(w.globalAdministrator).and.include(w.broadestRole);
        expect(invitation.text).to.include(w.helpdeskAdministrator).and.include(w.licenseAdministrator);
        expect(invitation.text).to.include(w.days180Until);
        expect(invitation.text).to.include(w.considerNarrower);
        // The procedure's words on the buttons (finding 2); the agreement is a text link, not a button (finding 6).
        expect(buttonTitles(invitation.card)).to.include.members([w.acceptAgreementAndAuthorize, w.decline]);
        expect(buttonTitles(invitation.card)).to.not.include.members(w.notOnInvitation);
        expect(invitation.text).to.include(w.agreementLink);
      });

      it("refuses a user without an admin role at Review and at Accept, storing nothing", async () => {
        const before = await rows();
        const review = await driver.press("invitations.review", { invitationId: DEMO.invitationId }, cast.member);
        const accept = await driver.press(
          "invitations.accept",
          { invitationId: DEMO.invitationId, agreementVersion: DEMO.agreementVersion, agreed: "true" },
          cast.member,
        );
        for (const answer of [review, accept]) {
          expect(answer.text).to.include(w.onlyAdminsCan);
          expect(answer.text).to.include("Demo Admin", "it says who in the organization can do it");
        }
        expect(await rows()).to.have.length(before.length);
        expect(rowsOfKind(await rows(), "inv").find((r) => r["id"] === DEMO.invitationId)?.["status"]).to.equal("pending");
      });

      it("comes back with an error and stores nothing when the agreement box is not ticked", async () => {
        const invitation = await driver.press("invitations.show", { invitationId: DEMO.invitationId });
        const review = await pressButton(invitation, w.acceptAgreementAndAuthorize);
        expect(review.text).to.include(w.acceptAgreementAndAuthorize).and.include(w.readConfirm);
        const before = await rows();
        const unticked = await pressButton(review, w.acceptAndAuthorize, { agreed: "false" });
        expect(unticked.text).to.include(w.tickTheBox);
        expect(unticked.text).to.include(w.acceptAndAuthorize, "the same card comes back");
        const after = await rows();
        expect(after).to.have.length(before.length);
        expect(rowsOfKind(after, "acc")).to.have.length(0);
      });

      it("refuses to accept a version of the agreement other than the current one, shows the current one, and stores nothing", async () => {
        const before = await rows();
        const outdated = await driver.press("invitations.accept", {
          invitationId: DEMO.invitationId,
          agreementVersion: "2019-01",
          agreed: "true",
        });
        expect(outdated.text).to.include(w.agreementUpdated);
        expect(buttonData(outdated.card, w.acceptAndAuthorize).data["agreementVersion"]).to.equal(
          DEMO.agreementVersion,
          "the card comes back with the current version",
        );
        expect((await rows()).map((r) => r["etag"]).sort()).to.deep.equal(before.map((r) => r["etag"]).sort());
      });

      it("asks for the name and work email Partner Center records, and refuses a missing or invalid email, storing nothing", async () => {
        const review = await driver.press("invitations.review", { invitationId: DEMO.invitationId });
        const input = (id: string) => review.card.body.find((b: any) => b.id === id);
        expect([input("firstName").value, input("lastName").value]).to.deep.equal(
          ["Demo", "Admin"],
          "first and last name are prefilled from the display name",
        );
        expect(input("email").value).to.equal("");
        const before = await rows();
        for (const email of [undefined, "demo.admin at fabrikam"]) {
          const refused = await pressButton(review, w.acceptAndAuthorize, { agreed: "true", ...ACCEPTING_CONTACT, email });
          expect(refused.text).to.include(w.validEmail).and.include(w.nothingChanged);
          expect(refused.text).to.include(w.acceptAndAuthorize, "the same card comes back");
        }
        const noName = await pressButton(review, w.acceptAndAuthorize, { agreed: "true", ...ACCEPTING_CONTACT, lastName: " " });
        expect(noName.text).to.include(w.firstAndLastName);
        expect(noName.card.body.find((b: any) => b.id === "email").value).to.equal(ACCEPTING_CONTACT.email, "what the admin typed is kept");
        const after = await rows();
        expect(after.map((r) => r["etag"]).sort()).to.deep.equal(before.map((r) => r["etag"]).sort(), "not a single row changed");
        expect(rowsOfKind(after, "acc")).to.have.length(0);
      });

      it("accepts with the box ticked: invitation, relationship, acceptance, audit and outbox in one go, then the partner list", async () => {
        const review = await driver.press("invitations.review", { invitationId: DEMO.invitationId });
        const accepted = await pressButton(review, w.acceptAndAuthorize, {
          agreed: "true",
          ...ACCEPTING_CONTACT,
          phoneNumber: "+46 8 123 45",
        });
        expect(accepted.text).to.include(w.yourPartners).and.include(w.youAcceptedContoso).and.include(w.rolesTakeEffect);

        const all = await rows();
        expect(rowsOfKind(all, "inv").find((r) => r["id"] === DEMO.invitationId)?.["status"]).to.equal("accepted");
        const relationship = rowsOfKind(all, "rel").find((r) => r["partnerId"] === DEMO.invitingPartnerId);
        expect(relationship?.["status"]).to.equal("active");
        expect(json(relationship, "types")).to.deep.equal(["resellerAndDelegatedAdministrator"]);
        const roles = json(relationship, "roles") as Array<{ roleId: string; expiresAt: string }>;
        expect(roles.map((r) => r.roleId)).to.have.members([
          ROLE.helpdeskAdministrator,
          ROLE.licenseAdministrator,
          ROLE.globalAdministrator,
        ]);
        const days = (Date.parse(roles[0]!.expiresAt) - Date.now()) / 86_400_000;
        expect(days).to.be.within(179, 181);
        expect(json(relationship, "agreement")).to.deep.equal({ status: "accepted", version: DEMO.agreementVersion });
        const [acceptance] = rowsOfKind(all, "acc");
        expect(acceptance?.["agreementVersion"]).to.equal(DEMO.agreementVersion);
        expect(json(acceptance, "primaryContact")).to.deep.equal({ ...ACCEPTING_CONTACT, phoneNumber: "+46 8 123 45" });
        expect(acceptance).to.include({
          type: "MicrosoftCustomerAgreement",
          templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
          agreementLink: "https://www.microsoft.com/licensing/docs/customeragreement",
        });
        expect(acceptance?.["dateAgreed"]).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(json(acceptance, "acceptedBy").userId).to.equal(channelId === "msteams" ? cast.admin.aadObjectId : DEMO.admin.userId);
        expect(rowsOfKind(all, "audit").filter((r) => r["action"] === "invitation.accept")).to.have.length(1);
        const outbox = rowsOfKind(all, "outbox").filter((r) => r["type"] === "invitationAccepted");
        expect(outbox).to.have.length(1);
        expect(json(outbox[0], "recipient")).to.deep.equal({ kind: "partner", partnerId: DEMO.invitingPartnerId });
        expect(outbox[0]?.["status"]).to.equal("pending");
      });

      it("answers a stale Accept button, pressed after another admin acted, with the current state and changes nothing", async () => {
        const before = await rows();
        const stale = await driver.press(
          "invitations.accept",
          { invitationId: DEMO.invitationId, agreementVersion: DEMO.agreementVersion, agreed: "true" },
          cast.otherAdmin,
        );
        // On the Emulator the "other admin" is the demo admin again: their own earlier answer, in their own words.
        expect(stale.text)
          .to.include(channelId === "msteams" ? w.alreadyAcceptedByOther : w.alreadyAcceptedByYou)
          .and.include(w.nothingChanged);
        expect(buttonTitles(stale.card)).to.not.include(w.acceptAgreementAndAuthorize);
        const after = await rows();
        expect(after.map((r) => r["etag"]).sort()).to.deep.equal(before.map((r) => r["etag"]).sort(), "not a single row changed");
      });

      it("declines with a reason; the partner is told", async () => {
        // The invitation's Decline opens the form, whose Decline decides (the procedure's words, finding 2).
        const shown = await driver.press("invitations.show", { invitationId: SECOND_INVITATION });
        const form = await pressButton(shown, w.decline);
        expect(form.text).to.include(w.declineAlpineTitle);
        const declined = await pressButton(form, w.decline, { reason: "Global administrator for two years is too much" });
        expect(declined.text).to.include(w.youDeclinedAlpine);
        const all = await rows();
        const invitation = rowsOfKind(all, "inv").find((r) => r["id"] === SECOND_INVITATION);
        expect(invitation?.["status"]).to.equal("declined");
        expect(invitation?.["declineReason"]).to.equal("Global administrator for two years is too much");
        const outbox = rowsOfKind(all, "outbox").find((r) => r["type"] === "invitationDeclined");
        expect(json(outbox, "payload")).to.deep.include({ reason: "Global administrator for two years is too much" });
        expect(rowsOfKind(all, "rel").find((r) => r["partnerId"] === "alpine-cloud-ab")).to.equal(undefined, "a decline grants nothing");
      });
    });

    describe("partners, the agreement, roles and the end of a relationship", () => {
      it("lists every relationship with types, roles, agreement status and dates, and offers Accept agreement where it is missing", async () => {
        const list = await driver.say(w.partnersCommand);
        expect(list.text).to.include("Northwind Managed Services").and.include("Contoso Cloud Partners");
        expect(list.text).to.include(w.agreementMissing);
        expect(buttonTitles(list.card)).to.include(w.acceptAgreement);
      });

      it("accepts only the agreement: refused without the tick, recorded with audit with it, then the partner list", async () => {
        const review = await driver.press("agreement.review", { partnerId: DEMO.activePartnerId });
        expect(review.text).to.include(w.agreementName).and.include(w.readConfirm);
        const unticked = await pressButton(review, w.accept, { agreed: "false" });
        expect(unticked.text).to.include(w.tickTheBox);
        expect(
          json(
            rowsOfKind(await rows(), "rel").find((r) => r["partnerId"] === DEMO.activePartnerId),
            "agreement",
          ).status,
        ).to.equal("notAccepted");

        const noEmail = await pressButton(review, w.accept, { agreed: "true", ...ACCEPTING_CONTACT, email: "" });
        expect(noEmail.text).to.include(w.validEmail);
        expect(rowsOfKind(await rows(), "acc").filter((r) => r["partnerId"] === DEMO.activePartnerId)).to.have.length(0);

        const accepted = await pressButton(review, w.accept, { agreed: "true", ...ACCEPTING_CONTACT });
        expect(accepted.text).to.include(w.yourPartners).and.include(w.agreementAcceptedNorthwind);
        const all = await rows();
        expect(
          json(
            rowsOfKind(all, "rel").find((r) => r["partnerId"] === DEMO.activePartnerId),
            "agreement",
          ),
        ).to.deep.equal({ status: "accepted", version: DEMO.agreementVersion });
        expect(rowsOfKind(all, "acc").filter((r) => r["partnerId"] === DEMO.activePartnerId)).to.have.length(1);
        expect(rowsOfKind(all, "audit").filter((r) => r["action"] === "agreement.accept")).to.have.length(1);
      });

      it("shows a partner's details and its history", async () => {
        const details = await driver.press("partners.show", { partnerId: DEMO.activePartnerId });
        expect(details.text).to.include("Northwind Managed Services").and.include(w.history);
        expect(details.text).to.include(w.acceptedAgreementSentence);
        // History reads as sentences with the moment (the test clients send no time zone, so UTC, labelled), never as codes.
        expect(details.text).to.match(new RegExp(`${w.acceptedAgreementSentence} · [^"]*\\d{1,2}[:.]\\d{2}[^"]* UTC`));
        expect(details.text).to.not.match(/: (agreement|invitation|relationship)\.[a-zA-Z]+/);
        expect(buttonTitles(details.card)).to.include.members([w.removeRoles, w.contactToEnd]);
      });

      it("refuses a user without an admin role at Remove roles, changing nothing", async () => {
        const before = await rows();
        const answer = await driver.press("relationship.removeRoles", { partnerId: DEMO.activePartnerId }, cast.member);
        expect(answer.text).to.include(w.onlyAdminsRemove);
        expect((await rows()).map((r) => r["etag"]).sort()).to.deep.equal(before.map((r) => r["etag"]).sort());
      });

      it('asks "Remove roles?" and changes nothing on No', async () => {
        const details = await driver.press("partners.show", { partnerId: DEMO.activePartnerId });
        const confirm = await pressButton(details, w.removeRoles);
        expect(confirm.text).to.include(w.removeRolesQuestion).and.include(w.relationshipStays).and.include(w.contactThePartner);
        expect(confirm.text).to.include(w.resellerAfterwards, "it says what the partner will be afterwards");
        const before = await rows();
        const no = await pressButton(confirm, w.no);
        expect(no.text).to.include("Northwind Managed Services");
        expect((await rows()).map((r) => r["etag"]).sort()).to.deep.equal(before.map((r) => r["etag"]).sort());
      });

      it("removes the roles on Yes: types become Reseller, audit and a partner notification, then the updated details", async () => {
        const confirm = await driver.press("relationship.removeRolesConfirm", { partnerId: DEMO.activePartnerId });
        // Every role is ticked when the card opens; the client sends that choice with Yes.
        const yes = await pressButton(confirm, w.yes, inputDefaults(confirm.card));
        expect(yes.text).to.include(w.recordedAndNorthwind).and.include(w.removeInAdminCenter);
        expect(buttonTitles(yes.card)).to.not.include(w.removeRoles);
        const all = await rows();
        const relationship = rowsOfKind(all, "rel").find((r) => r["partnerId"] === DEMO.activePartnerId);
        expect(json(relationship, "roles")).to.deep.equal([]);
        expect(json(relationship, "types")).to.deep.equal(["reseller"]);
        expect(relationship?.["status"]).to.equal("active", "removing roles does not end the relationship");
        expect(rowsOfKind(all, "audit").filter((r) => r["action"] === "relationship.removeRoles")).to.have.length(1);
        expect(
          rowsOfKind(all, "outbox")
            .filter((r) => r["type"] === "rolesRemoved")
            .map((r) => json(r, "recipient").partnerId),
        ).to.deep.equal([DEMO.activePartnerId]);
      });

      it("answers a stale Yes (roles already removed) with the current state", async () => {
        const before = await rows();
        const again = await driver.press("relationship.removeRoles", { partnerId: DEMO.activePartnerId }, cast.otherAdmin);
        expect(again.text).to.include(w.noRolesLeft);
        expect((await rows()).map((r) => r["etag"]).sort()).to.deep.equal(before.map((r) => r["etag"]).sort());
      });

      it("asks the partner to end the relationship: queued for the partner, shown as termination requested", async () => {
        const details = await driver.press("partners.show", { partnerId: DEMO.activePartnerId });
        const form = await pressButton(details, w.contactToEnd);
        expect(form.text).to.include(w.askNorthwindToEnd);
        const sent = await pressButton(form, w.sendRequest, { message: "We're consolidating vendors." });
        expect(sent.text).to.include(w.terminationRequested);
        const all = await rows();
        expect(rowsOfKind(all, "rel").find((r) => r["partnerId"] === DEMO.activePartnerId)?.["status"]).to.equal("terminationRequested");
        const outbox = rowsOfKind(all, "outbox").find((r) => r["type"] === "terminationRequested");
        expect(json(outbox, "payload")).to.deep.equal({ message: "We're consolidating vendors." });
      });
    });

    if (w !== ENGLISH)
      describe("the language", () => {
        it("shows no English sentence on any card of the journey", async () => {
          // What people typed, and the demo's invitation message, are data: shown as written.
          const demoMessage = (await app.storage.invitations.get(TENANT, DEMO.invitationId))?.value.message ?? "";
          const data = dataPhrases([...JOURNEY_TYPED_TEXT, demoMessage, cast.admin.name, cast.otherAdmin.name, cast.member.name]);
          expect(seen.length).to.be.greaterThan(40, "the whole journey was seen");
          const found = seen.flatMap((answer, i) => englishIn(answer.card, data).map((f) => `card ${i + 1}: "${f.word}" in "${f.text}"`));
          expect(found).to.deep.equal([]);
        });
      });
  });
}

async function teamsCast(app: RunningApp, channel: ChannelEmulator, locale: string) {
  const admin = { id: "29:admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId };
  const otherAdmin = { id: "29:billing", name: "Bea Billing", aadObjectId: "c0ffee00-0000-4000-8000-0000000000bb" };
  const member = { id: "29:member", name: "Max Member", aadObjectId: "c0ffee00-0000-4000-8000-0000000000cc" };
  await app.storage.roleAssignments.upsert({
    tenantId: TENANT,
    userId: otherAdmin.aadObjectId,
    roleId: ROLE.billingAdministrator,
    userName: otherAdmin.name,
    assignedAt: new Date().toISOString(),
  });
  await app.storage.roleAssignments.upsert({
    tenantId: TENANT,
    userId: member.aadObjectId,
    roleId: ROLE.helpdeskAdministrator,
    userName: member.name,
    assignedAt: new Date().toISOString(),
  });
  return { driver: teamsDriver(channel, TENANT, admin, locale), cast: { admin, otherAdmin, member } };
}

async function emulatorCast(_app: RunningApp, channel: ChannelEmulator, locale: string) {
  const admin = { id: "emulator-user-1", name: "Demo Admin" };
  const member = { id: DEMO.member.emulatorUserId, name: "Demo Member" };
  return {
    driver: emulatorDriver(channel, admin, locale),
    cast: { admin, otherAdmin: { id: "emulator-user-2", name: "Demo Admin" }, member },
  };
}

for (const words of [ENGLISH, SWEDISH]) {
  journey("Teams", teamsCast, "msteams", words);
  journey("Emulator", emulatorCast, "emulator", words);
}
