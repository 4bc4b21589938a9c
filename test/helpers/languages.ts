import { LOCALES, registerLocale, stringsFor } from "../../src/cards/strings.js";

/**
 * Runs `body` with Swedish registered: src/cards/strings/sv.json when it exists, otherwise a stand-in (English's
 * sentences under "sv"), for tests of how sv-SE readers get dates and numbers whatever files exist.
 */
export function withSwedish<T>(body: () => T): T {
  const undo = registerLocale("sv", LOCALES["sv"] ?? structuredClone(stringsFor("en")));
  try {
    return body();
  } finally {
    undo();
  }
}
