import { expect } from "chai";
import { stringsFor } from "../../src/cards/strings.js";
import { ROLE } from "../../src/domain/roles.js";
import { withSwedish } from "../helpers/languages.js";
import { formatDate, hasGlobalAdmin, roleModels, roleNames, typeNames } from "../../src/features/cardText.js";

const s = stringsFor("en");

describe("formatDate", () => {
  const LATE = "2026-11-24T23:30:00.000Z";
  const EARLY = "2026-11-24T00:30:00.000Z";

  it("writes the date the way US English does", () => {
    expect(formatDate(LATE, "en-US")).to.equal("Nov 24, 2026");
  });

  it("writes the date the way Swedish does for a Swedish reader", () => {
    withSwedish(() => expect(formatDate(LATE, "sv-SE")).to.equal("24 nov. 2026"));
  });

  it("writes the date the way its English sentence does for a reader whose language has no file (no German date in English)", () => {
    expect(formatDate(LATE, "de-DE")).to.equal("Nov 24, 2026");
    expect(formatDate(LATE, "en-GB")).to.equal("24 Nov 2026");
  });

  it("shows the UTC day whatever the server's time zone", () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = "America/Los_Angeles";
      expect(formatDate(EARLY, "en-US")).to.equal("Nov 24, 2026");
      process.env.TZ = "Pacific/Kiritimati";
      expect(formatDate(LATE, "en-US")).to.equal("Nov 24, 2026");
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("falls back to a readable date instead of throwing for a locale that is not a locale", () => {
    for (const locale of ["not a locale", "en_US", ""]) {
      let out = "";
      expect(() => (out = formatDate(LATE, locale)), JSON.stringify(locale)).not.to.throw();
      expect(out, JSON.stringify(locale)).to.contain("2026");
    }
  });

  it("keeps answering correctly for each locale after more locales than it keeps formatters for", () => {
    for (let i = 0; i < 200; i++) formatDate(LATE, `x-private-${i}`);
    withSwedish(() => {
      expect(formatDate(LATE, "sv-SE")).to.equal("24 nov. 2026");
      expect(formatDate(LATE, "en-US")).to.equal("Nov 24, 2026");
      expect(formatDate(LATE, "sv-SE")).to.equal("24 nov. 2026");
    });
  });
});

describe("roleModels", () => {
  it("lists roles broadest first: Global administrator first, Global reader last", () => {
    const models = roleModels([ROLE.globalReader, ROLE.helpdeskAdministrator, ROLE.globalAdministrator, ROLE.userAdministrator], s);
    expect(models.map((m) => m.name)).to.deep.equal([
      "Global administrator",
      "User administrator",
      "Helpdesk administrator",
      "Global reader",
    ]);
  });

  it("lists a role asked twice once", () => {
    const models = roleModels([ROLE.billingAdministrator, ROLE.billingAdministrator], s);
    expect(models.map((m) => m.name)).to.deep.equal(["Billing administrator"]);
  });

  it("leaves out ids that are not known roles", () => {
    const models = roleModels(["00000000-0000-0000-0000-000000000000", ROLE.licenseAdministrator, "not-a-role"], s);
    expect(models.map((m) => m.name)).to.deep.equal(["License administrator"]);
  });

  it("flags only Global administrator as the broadest role, in the Attention color", () => {
    const models = roleModels(Object.values(ROLE), s);
    expect(models).to.have.length(7);
    const [first, ...rest] = models;
    expect(first).to.deep.include({ name: "Global administrator", broadest: true, color: "Attention" });
    for (const m of rest) expect(m, m.name).to.deep.include({ broadest: false, color: "Default" });
  });

  it("gives each role its plain-language description", () => {
    const [model] = roleModels([ROLE.globalReader], s);
    expect(model?.description).to.equal(s.roles.globalReader.description);
  });
});

describe("typeNames", () => {
  it("joins the English names of the partner types", () => {
    expect(typeNames(["reseller", "lobPartner"], s)).to.equal("Reseller, Line-of-business (LOB) partner");
  });

  it("says the partner has no type when there is none", () => {
    expect(typeNames([], s)).to.equal(s.partners.noTypes);
  });
});

describe("roleNames", () => {
  it("joins role names broadest first", () => {
    expect(roleNames([ROLE.globalReader, ROLE.globalAdministrator], s)).to.equal("Global administrator, Global reader");
  });

  it("says there are no admin roles when there are none", () => {
    expect(roleNames([], s)).to.equal(s.invitations.noRoles);
  });

  it("says there are no admin roles when none of the ids is a known role", () => {
    expect(roleNames(["not-a-role"], s)).to.equal(s.invitations.noRoles);
  });
});

describe("hasGlobalAdmin", () => {
  it("is true when Global administrator is among the roles", () => {
    expect(hasGlobalAdmin([ROLE.globalReader, ROLE.globalAdministrator])).to.equal(true);
  });

  it("is false when it is not", () => {
    expect(hasGlobalAdmin([ROLE.globalReader, ROLE.userAdministrator])).to.equal(false);
    expect(hasGlobalAdmin([])).to.equal(false);
  });
});
