import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { readLocaleFiles, STRINGS_DIRECTORY } from "../../src/cards/strings.js";
import { copyLocales } from "../../scripts/copy-locales.js";

describe("the build's language files", () => {
  it("copies every language the source reads at start, so the compiled bot speaks them too", () => {
    const directory = mkdtempSync(join(tmpdir(), "locales-"));
    try {
      const target = pathToFileURL(`${directory}/dist/src/cards/strings/`);
      const copied = copyLocales(STRINGS_DIRECTORY, target);
      expect(copied).to.include("sv.json");
      expect(readLocaleFiles(target)).to.deep.equal(readLocaleFiles(STRINGS_DIRECTORY));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
