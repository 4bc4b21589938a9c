import { parseCsvDirectory } from "./directoryCsv.js";
import { FILE_ROW, fileError, RowChecker, stripBom, type ParsedDirectory, type RowError } from "./directoryRows.js";

/**
 * Parsing and validation of a partner directory file. Pure: text in, partners and errors out; nothing is
 * written here, so a caller can refuse the whole file before the first row reaches storage.
 *
 * CSV: a header row is required; column order is free, names are matched case-insensitively:
 *
 *   id,name,tenantId,locations,sizes,services,industries,types,contacts,website
 *   contoso-cloud-partners,Contoso Cloud Partners,c0ffee00-...,"Stockholm, SE;London, GB",51-250;251-1000,...
 *
 * - list cells (locations, sizes, services, industries, types, contacts) separate entries with ";"
 * - a location is "City, CC" with CC the two-letter ISO 3166 country code ("Malmö, SE")
 * - a contact is "Name <userId@tenantId>"
 * - sizes are 1-50, 51-250, 251-1000, 1001-5000, 5000+; types are the partner type ids (reseller, advisor, ...)
 * - industries, contacts and website may be left out or empty; an empty cell is a missing value
 *
 * JSON: an array of objects shaped exactly like PartnerSchema (src/domain/partner.ts).
 *
 * Row numbers are the ones a person sees: in a CSV the line where the row starts (the header is row 1, so
 * the first partner is row 2, as in a spreadsheet); in JSON the position in the array, counting from 1.
 * Row 0 means the file as a whole.
 */

export type DirectoryFormat = "csv" | "json";
export { CSV_COLUMNS, FILE_ROW, type ParsedDirectory, type RowError } from "./directoryRows.js";

export function parseDirectory(text: string, format: DirectoryFormat): ParsedDirectory {
  return format === "csv" ? parseCsvDirectory(text) : parseJsonDirectory(text);
}

/** The JSON path after JSON.parse: for a directory that is already a value (an imported JSON module). */
export function validateDirectory(value: unknown): ParsedDirectory {
  if (!Array.isArray(value)) {
    return fileError('must be a JSON array of partners: [{ "id": "...", "name": "...", ... }, ...]');
  }
  const checker = new RowChecker();
  value.forEach((raw, index) => checker.check(index + 1, raw));
  return checker.result(value.length);
}

/** "row 3, sizes: ..." — the one way errors are shown to people (CLI, logs). */
export function formatRowError(error: RowError): string {
  if (error.row === FILE_ROW) return error.reason;
  if (error.field.startsWith("(")) return `row ${error.row} ${error.field}: ${error.reason}`;
  return `row ${error.row}, ${error.field}: ${error.reason}`;
}

function parseJsonDirectory(text: string): ParsedDirectory {
  let value: unknown;
  try {
    value = JSON.parse(stripBom(text));
  } catch (error) {
    return fileError(`not valid JSON: ${describeJsonError(text, error)}`);
  }
  return validateDirectory(value);
}

/** V8 says "... in JSON at position 123"; people want a line and a column. */
function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message)?.[1];
  const what = message.replace(/\s*in JSON at position \d+.*$/s, "").replace(/\s*\(line \d+ column \d+\)$/, "");
  if (position === undefined) return what;
  const before = stripBom(text).slice(0, Number(position));
  const line = before.split("\n").length;
  const column = Number(position) - before.lastIndexOf("\n");
  return `${what} (line ${line}, column ${column})`;
}
