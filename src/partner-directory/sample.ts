import type { Partner } from "../domain/partner.js";
import { formatRowError, validateDirectory } from "./importer.js";
// Imported (not read from disk) so that `npm run build` copies it next to the compiled code.
import sample from "./sample-directory.json" with { type: "json" };

/**
 * The fictional directory of local mode (generated once by scripts/generate-sample-directory.ts), checked
 * exactly like an imported JSON file: Node has done the JSON.parse, the importer does the rest.
 */
export function sampleDirectory(): Partner[] {
  const parsed = validateDirectory(sample);
  if (parsed.errors.length > 0) {
    throw new Error(`The sample directory does not pass the import checks:\n${parsed.errors.map(formatRowError).join("\n")}`);
  }
  return parsed.partners;
}
