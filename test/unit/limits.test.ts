import { expect } from "chai";
import { StorageLimitError } from "../../src/storage/errors.js";
import { TABLE_LIMITS, assertBatchWithinLimits, assertEntityWithinLimits, assertValidKey, entitySize } from "../../src/storage/limits.js";

type Entity = Record<string, unknown> & { partitionKey: string; rowKey: string };

const entity = (properties: Record<string, unknown> = {}): Entity => ({ partitionKey: "tenant-1", rowKey: "partner-1", ...properties });

/** Runs the check expecting a StorageLimitError and returns its message. */
function limitMessage(check: () => void): string {
  try {
    check();
  } catch (error) {
    expect(error).to.be.instanceOf(StorageLimitError);
    expect((error as StorageLimitError).code).to.equal("STORAGE.LIMIT");
    return (error as StorageLimitError).message;
  }
  expect.fail("expected a StorageLimitError");
}

describe("Azure Table limits", () => {
  describe("keys", () => {
    it("accepts an ordinary key", () => {
      expect(() => assertValidKey("RowKey", "contoso-cloud-partners")).to.not.throw();
      expect(() => assertValidKey("PartitionKey", "c0ffee00-0000-4000-8000-000000000001")).to.not.throw();
    });

    it("refuses / \\ # and ? in a key, as the Table service does", () => {
      for (const char of ["/", "\\", "#", "?"]) {
        expect(
          limitMessage(() => assertValidKey("RowKey", `partner${char}1`)),
          char,
        )
          .to.include("RowKey")
          .and.to.include("forbids");
      }
    });

    it("refuses control characters in a key", () => {
      for (const char of ["\u0000", "\t", "\n", "\u001f", "\u007f", "\u0085", "\u009f"]) {
        expect(() => assertValidKey("PartitionKey", `tenant${char}1`), JSON.stringify(char)).to.throw(StorageLimitError, /PartitionKey/);
      }
    });

    it("accepts a key of 512 characters and refuses one of 513 (1 KiB of UTF-16)", () => {
      expect(() => assertValidKey("RowKey", "k".repeat(512))).to.not.throw();
      expect(limitMessage(() => assertValidKey("RowKey", "k".repeat(513))))
        .to.include("513 characters")
        .and.to.include("at most 512");
    });

    it("checks both keys of an entity", () => {
      expect(limitMessage(() => assertEntityWithinLimits({ partitionKey: "a/b", rowKey: "ok" }))).to.include("PartitionKey");
      expect(limitMessage(() => assertEntityWithinLimits({ partitionKey: "ok", rowKey: "a#b" }))).to.include("RowKey");
    });
  });

  describe("entities", () => {
    it("accepts a realistic partner row", () => {
      expect(() =>
        assertEntityWithinLimits(
          entity({
            name: "Contoso Cloud Partners",
            types: JSON.stringify(["reseller", "advisor"]),
            active: true,
            score: 4.5,
            updated: new Date(),
          }),
        ),
      ).to.not.throw();
    });

    it("accepts 252 custom properties and refuses 253", () => {
      const withProperties = (count: number) => entity(Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${i}`, i])));
      expect(() => assertEntityWithinLimits(withProperties(TABLE_LIMITS.customProperties))).to.not.throw();
      expect(limitMessage(() => assertEntityWithinLimits(withProperties(253)))).to.include("253 properties");
    });

    it("does not count the system properties toward the 252", () => {
      const props = Object.fromEntries(Array.from({ length: 252 }, (_, i) => [`p${i}`, i]));
      expect(() => assertEntityWithinLimits(entity({ ...props, etag: 'W/"1"', timestamp: new Date().toISOString() }))).to.not.throw();
    });

    it("accepts a string of 32K characters and refuses one more", () => {
      expect(() => assertEntityWithinLimits(entity({ notes: "x".repeat(32 * 1024) }))).to.not.throw();
      expect(limitMessage(() => assertEntityWithinLimits(entity({ notes: "x".repeat(32 * 1024 + 1) }))))
        .to.include("Property notes")
        .and.to.include(String(32 * 1024 + 1));
    });

    it("refuses an entity over 1 MiB, such as 40 properties of 30K characters", () => {
      const big = entity(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`chunk${i}`, "x".repeat(30_000)])));
      expect(entitySize(big)).to.be.above(TABLE_LIMITS.entityBytes);
      expect(limitMessage(() => assertEntityWithinLimits(big))).to.match(/Entity is \d+ bytes; the Table service allows at most 1048576/);
    });

    it("accepts an entity just under 1 MiB", () => {
      const nearlyFull = entity(Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`chunk${i}`, "x".repeat(32 * 1024)])));
      expect(entitySize(nearlyFull)).to.be.below(TABLE_LIMITS.entityBytes);
      expect(() => assertEntityWithinLimits(nearlyFull)).to.not.throw();
    });
  });

  describe("entitySize", () => {
    it("grows by two bytes for every character of a string, as UTF-16", () => {
      const small = entitySize(entity({ name: "Contoso" }));
      const larger = entitySize(entity({ name: "Contoso Cloud" }));
      expect(larger - small).to.equal(2 * " Cloud".length);
    });

    it("grows with every property and with longer keys", () => {
      expect(entitySize(entity({ a: 1, b: 2 }))).to.be.above(entitySize(entity({ a: 1 })));
      expect(entitySize({ partitionKey: "tenant-1", rowKey: "partner-10" })).to.equal(
        entitySize({ partitionKey: "tenant-1", rowKey: "partner-1" }) + 2,
      );
    });

    it("does not count the etag, the timestamp or empty values", () => {
      const base = entitySize(entity({ name: "Contoso" }));
      expect(
        entitySize(
          entity({ name: "Contoso", etag: 'W/"datetime\'2025"', timestamp: "2025-01-01T00:00:00Z", missing: undefined, nothing: null }),
        ),
      ).to.equal(base);
    });
  });

  describe("batches", () => {
    it("accepts 100 entities in one transaction and refuses 101", () => {
      const rows = (count: number) => Array.from({ length: count }, (_, i) => entity({ rowKey: `row-${i}`, n: i }));
      expect(() => assertBatchWithinLimits(rows(TABLE_LIMITS.batchEntities))).to.not.throw();
      expect(limitMessage(() => assertBatchWithinLimits(rows(101)))).to.include("101 entities");
    });

    it("refuses a transaction over 4 MiB", () => {
      const heavy = Array.from({ length: 40 }, (_, i) => entity({ rowKey: `row-${i}`, a: "x".repeat(30_000), b: "y".repeat(30_000) }));
      expect(limitMessage(() => assertBatchWithinLimits(heavy))).to.match(/A transaction is \d+ bytes/);
    });
  });
});
