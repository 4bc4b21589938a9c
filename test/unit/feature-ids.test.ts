import { expect } from "chai";
import { IdSchema, optionalText, ToggleSchema } from "../../src/features/inputSchemas.js";

describe("IdSchema", () => {
  it("accepts partner ids and contact request ids", () => {
    for (const id of ["contoso-cloud-partners", "CR-0A1B2C3D4E", "a", "partner_1.v2"]) {
      expect(IdSchema.safeParse(id).success, id).to.equal(true);
    }
  });

  it("accepts an id of exactly 64 characters", () => {
    expect(IdSchema.safeParse("a".repeat(64)).success).to.equal(true);
  });

  it("refuses an empty id", () => {
    expect(IdSchema.safeParse("").success).to.equal(false);
  });

  it("refuses characters that cannot be part of a table key: / \\ # ?", () => {
    for (const id of ["a/b", "a#b", "a?b", "a\\b"]) {
      expect(IdSchema.safeParse(id).success, id).to.equal(false);
    }
  });

  it("refuses control characters", () => {
    for (const id of ["a\u0000b", "a\tb", "a\nb"]) {
      expect(IdSchema.safeParse(id).success, JSON.stringify(id)).to.equal(false);
    }
  });

  it("refuses ids over 64 characters", () => {
    expect(IdSchema.safeParse("a".repeat(65)).success).to.equal(false);
  });

  it("refuses an id starting with a hyphen", () => {
    expect(IdSchema.safeParse("-contoso").success).to.equal(false);
  });
});

describe("ToggleSchema", () => {
  it('reads "true" and true as on', () => {
    expect(ToggleSchema.parse("true")).to.equal(true);
    expect(ToggleSchema.parse(true)).to.equal(true);
  });

  it('reads "false", false, a missing answer and anything else as off', () => {
    expect(ToggleSchema.parse("false")).to.equal(false);
    expect(ToggleSchema.parse(false)).to.equal(false);
    expect(ToggleSchema.parse(undefined)).to.equal(false);
    expect(ToggleSchema.parse("yes")).to.equal(false);
  });
});

describe("optionalText", () => {
  const reason = optionalText(10);

  it("trims the text", () => {
    expect(reason.parse("  Not now  ")).to.equal("Not now");
  });

  it("treats empty and blank text as absent", () => {
    expect(reason.parse("")).to.equal(undefined);
    expect(reason.parse("   ")).to.equal(undefined);
    expect(reason.parse(undefined)).to.equal(undefined);
  });

  it("refuses text longer than the limit", () => {
    expect(reason.safeParse("x".repeat(11)).success).to.equal(false);
  });

  it("measures the limit after trimming", () => {
    expect(reason.parse(`  ${"x".repeat(10)}  `)).to.equal("x".repeat(10));
  });
});
