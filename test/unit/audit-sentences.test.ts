import { expect } from "chai";
import { renderCard } from "../../src/cards/render.js";
import { stringsFor, type Strings } from "../../src/cards/strings.js";
import { identify } from "../../src/bot/identity.js";
import { AUDIT_ACTIONS, type AuditEvent } from "../../src/domain/audit.js";
import { formatMoment } from "../../src/features/cardText.js";
import { withSwedish } from "../helpers/languages.js";
import { describeEvent } from "../../src/features/relationships/views.js";
import type { ViewContext } from "../../src/features/types.js";

const s = stringsFor("en");
const AT = "2026-11-29T14:02:00.000Z";

function reader(locale: string, timeZone?: string): ViewContext {
  const strings: Strings = stringsFor(locale);
  return {
    identity: { tenantId: "t", userId: "u", name: "Reader", locale, ...(timeZone ? { timeZone } : {}) },
    strings,
    card: (name, data) => renderCard(name, data, { strings, actionStyle: "execute" }),
    now: new Date(AT),
  };
}

const event = (action: string): AuditEvent => ({
  id: "e1",
  tenantId: "t",
  actor: { userId: "p", name: "Pat Partner" },
  action,
  target: "partner:p",
  at: AT,
  correlationId: "c",
});

describe("history as sentences (finding 8)", () => {
  it("has a plain sentence for every audit action, naming the actor and no code", () => {
    const texts = s.audit as Record<string, string>;
    for (const action of AUDIT_ACTIONS) {
      expect(Object.hasOwn(texts, action), `en.json audit.${action}`).to.equal(true);
      const sentence = texts[action]!;
      expect(sentence, action).to.match(/^\{actor\} [a-z]/);
      expect(sentence, action).to.not.include("{action}");
      expect(sentence, action).to.not.match(/\b[a-z]+\.[a-z][a-zA-Z]+\b/);
    }
  });

  it("reads an invitation sent as a sentence with date and time, in UTC labelled when the reader's zone is unknown", () => {
    expect(describeEvent(event("invitation.send"), reader("en-GB"))).to.equal("Pat Partner sent an invitation · 29 Nov 2026, 14:02 UTC");
  });

  it("writes the moment in the reader's own time zone and locale when their client says", () => {
    expect(describeEvent(event("invitation.send"), reader("en-GB", "Europe/Stockholm"))).to.equal(
      "Pat Partner sent an invitation · 29 Nov 2026, 15:02",
    );
    expect(formatMoment(AT, { locale: "en-US", timeZone: "America/New_York" }, s)).to.match(/^Nov 29, 2026, 9:02\sAM$/);
    withSwedish(() => expect(formatMoment(AT, { locale: "sv-SE" }, stringsFor("sv"))).to.match(/^29 nov\. 2026 14:02 /));
    // German has no strings file: the English sentence gets an English moment, not a German one.
    expect(formatMoment(AT, { locale: "de-DE" }, s)).to.match(/^Nov 29, 2026, 2:02\sPM UTC$/);
  });

  it("reads an action it has no sentence for (a newer release's row) as a sentence, not as its code", () => {
    const text = describeEvent(event("invitation.somethingNew"), reader("en-GB"));
    expect(text).to.equal("Pat Partner recorded a change · 29 Nov 2026, 14:02 UTC");
    expect(describeEvent(event("constructor"), reader("en-GB"))).to.equal("Pat Partner recorded a change · 29 Nov 2026, 14:02 UTC");
  });
});

describe("the reader's time zone from the activity", () => {
  const base = {
    channelId: "msteams",
    from: { id: "29:x", name: "Ada", aadObjectId: "u1" },
    conversation: { id: "c", tenantId: "t1" },
  };
  const rules = { allowedTenants: null };
  const zoneOf = (extra: object) => {
    const identity = identify({ ...base, ...extra } as never, rules);
    if (!identity.ok) throw new Error(identity.code);
    return identity.value.timeZone;
  };

  it("takes Teams' localTimezone, or the clientInfo entity's timezone", () => {
    expect(zoneOf({ localTimezone: "Europe/Stockholm" })).to.equal("Europe/Stockholm");
    expect(zoneOf({ entities: [{ type: "clientInfo", timezone: "America/Los_Angeles", locale: "en-US" }] })).to.equal(
      "America/Los_Angeles",
    );
  });

  it("leaves times in UTC for no zone or one the runtime does not know", () => {
    expect(zoneOf({})).to.equal(undefined);
    expect(zoneOf({ localTimezone: "Mars/Olympus_Mons" })).to.equal(undefined);
    expect(zoneOf({ localTimezone: 42 })).to.equal(undefined);
  });
});
