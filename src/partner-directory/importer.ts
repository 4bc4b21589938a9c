import { parse as parseCsv } from "csv-parse/sync";
import type { z } from "zod";
import { ORGANIZATION_SIZES, PartnerSchema, type Partner } from "../domain/partner.js";
import { PARTNER_TYPES } from "../domain/partnerTypes.js";
import { TABLE_LIMITS } from "../storage/limits.js";
import { canonicalCountry } from "./text.js";

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

export interface RowError {
  row: number;
  field: string;
  reason: string;
}

export interface ParsedDirectory {
  /** The rows that passed every check, in file order. */
  partners: Partner[];
  /** Every problem found, by row. A file-level problem (row 0, or the CSV header) invalidates the whole file. */
  errors: RowError[];
  /** Data rows read (the CSV header and blank rows not counted). */
  rows: number;
}

/** The row number of problems with the file as a whole (not JSON, empty, a quote left open). */
export const FILE_ROW = 0;
export const CSV_COLUMNS = [
  "id",
  "name",
  "tenantId",
  "locations",
  "sizes",
  "services",
  "industries",
  "types",
  "contacts",
  "website",
] as const;
type Column = (typeof CSV_COLUMNS)[number];
const OPTIONAL_COLUMNS: ReadonlySet<Column> = new Set(["industries", "contacts", "website"]);
const LIST_COLUMNS: ReadonlySet<Column> = new Set(["locations", "sizes", "services", "industries", "types", "contacts"]);

/** A stricter PartnerSchema: an unknown key in JSON is usually a misspelt field whose value would be lost. */
const ImportRowSchema = PartnerSchema.strict();

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

function parseCsvDirectory(text: string): ParsedDirectory {
  // One line ending, so line numbers count the way an editor does (csv-parse miscounts mixed endings).
  const normalized = stripBom(text).replace(/\r\n?/g, "\n");
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info` each record comes as { record, info }; csv-parse's typings do not model that option.
    records = parseCsv(normalized, { skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (error) {
    const { code, lines } = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; lines?: unknown };
    if (code === "CSV_QUOTE_NOT_CLOSED")
      return fileError(`not valid CSV: a quoted cell is never closed (the file ends inside it, at line ${String(lines)}); end it with "`);
    return fileError(`not valid CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [header, ...data] = records;
  if (!header) return fileError(`the file is empty; the first line must be the header: ${CSV_COLUMNS.join(",")}`);

  const headerRow = startLine(header);
  const columns = header.record.map((name) => canonicalColumn(name.trim()));
  const headerErrors: RowError[] = [];
  // An unnamed column left empty is what spreadsheets export after the last real one: harmless.
  const blankColumn = (i: number) => header.record[i]!.trim() === "" && data.every(({ record }) => (record[i] ?? "").trim() === "");
  const unknown = header.record.flatMap((name, i) =>
    columns[i] === undefined && !blankColumn(i) ? [name.trim() ? `"${name.trim()}"` : `without a name (column ${i + 1})`] : [],
  );
  if (unknown.length > 0) {
    headerErrors.push({
      row: headerRow,
      field: "(header)",
      reason: `unknown column${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; the columns are ${CSV_COLUMNS.join(", ")}`,
    });
  }
  const seen = new Set<Column>();
  const repeated = new Set<Column>();
  for (const column of columns) {
    if (column === undefined) continue;
    if (seen.has(column)) repeated.add(column);
    seen.add(column);
  }
  if (repeated.size > 0)
    headerErrors.push({
      row: headerRow,
      field: "(header)",
      reason: `column${repeated.size > 1 ? "s" : ""} ${[...repeated].join(", ")} appear${repeated.size > 1 ? "" : "s"} more than once`,
    });
  const missing = CSV_COLUMNS.filter((column) => !OPTIONAL_COLUMNS.has(column) && !seen.has(column));
  if (missing.length > 0)
    headerErrors.push({
      row: headerRow,
      field: "(header)",
      reason: `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`,
    });

  const checker = new RowChecker(new Set(missing));
  let rows = 0;
  for (const { record, info } of data) {
    if (record.every((cell) => cell.trim() === "")) continue; // ",,,," rows a spreadsheet leaves behind
    rows++;
    const row = startLine({ record, info });
    if (record.length !== header.record.length) {
      checker.fail(row, "(row)", `has ${record.length} cells but the header has ${header.record.length}; quote cells that contain a comma`);
      continue;
    }
    const raw: Record<string, unknown> = {};
    const cellErrors: RowError[] = [];
    columns.forEach((column, i) => {
      if (column === undefined) return;
      const cell = parseCell(column, (record[i] ?? "").trim());
      if ("problem" in cell) cellErrors.push({ row, field: column, reason: cell.problem });
      else if (cell.value !== undefined) raw[column] = cell.value;
    });
    if (!seen.has("industries")) raw["industries"] = [];
    if (!seen.has("contacts")) raw["contacts"] = [];
    checker.check(row, raw, cellErrors);
  }
  const result = checker.result(rows);
  if (headerErrors.length === 0) return result;
  // A header problem spoils every row (a misspelt column would silently drop its data), so nothing is valid.
  return { partners: [], errors: [...headerErrors, ...result.errors], rows };
}

/** The line a record starts on: csv-parse reports the line it ends on, quoted cells may span lines. */
function startLine({ record, info }: { record: string[]; info: { lines: number } }): number {
  const breaks = record.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);
  return info.lines - breaks;
}

function canonicalColumn(name: string): Column | undefined {
  const lower = name.toLowerCase();
  return CSV_COLUMNS.find((column) => column.toLowerCase() === lower);
}

type Cell = { value: unknown } | { problem: string };

function parseCell(column: Column, text: string): Cell {
  if (!LIST_COLUMNS.has(column)) return { value: text === "" ? undefined : text };
  const items = text
    .split(";")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  if (column === "locations") {
    const locations = [];
    for (const item of items) {
      const comma = item.lastIndexOf(",");
      const city = comma < 0 ? "" : item.slice(0, comma).trim();
      const country = comma < 0 ? "" : item.slice(comma + 1).trim();
      if (!city || !country) return { problem: `"${item}" is not "City, CC" (for example "Stockholm, SE")` };
      locations.push({ country, city });
    }
    return { value: locations };
  }
  if (column === "contacts") {
    const contacts = [];
    for (const item of items) {
      const match = /^(.*?)\s*<\s*([^<>]+)@([^<>@]+?)\s*>$/.exec(item);
      const [, name, userId, tenantId] = match ?? [];
      if (!name || !userId || !tenantId) return { problem: `"${item}" is not "Name <userId@tenantId>"` };
      contacts.push({ userId: userId.trim(), tenantId: tenantId.trim(), name: name.trim() });
    }
    return { value: contacts };
  }
  return { value: items };
}

/** Validates rows one by one, collecting every problem and every partner that has none. */
class RowChecker {
  private readonly partners: Partner[] = [];
  private readonly errors: RowError[] = [];
  private readonly firstRowOfId = new Map<string, number>();

  /** Fields whose problems were already reported once for the whole file (a missing CSV column). */
  constructor(private readonly reportedElsewhere: ReadonlySet<string> = new Set()) {}

  fail(row: number, field: string, reason: string): void {
    this.errors.push({ row, field, reason });
  }

  check(row: number, raw: unknown, cellErrors: RowError[] = []): void {
    const errors = [...cellErrors];
    const input = normalizeCountries(raw);
    const parsed = ImportRowSchema.safeParse(input);
    const skip = new Set([...this.reportedElsewhere, ...cellErrors.map((e) => e.field)]);
    if (!parsed.success) errors.push(...describeIssues(row, parsed.error.issues, input).filter((e) => !skip.has(e.field)));
    else errors.push(...importChecks(row, parsed.data));

    const id = isRecord(input) && typeof input["id"] === "string" ? input["id"] : undefined;
    if (id !== undefined) {
      const first = this.firstRowOfId.get(id);
      if (first === undefined) this.firstRowOfId.set(id, row);
      else errors.push({ row, field: "id", reason: `"${id}" is already used by row ${first}; every partner needs its own id` });
    }

    if (errors.length > 0) this.errors.push(...errors);
    else if (parsed.success) this.partners.push(parsed.data);
  }

  result(rows: number): ParsedDirectory {
    return { partners: this.partners, errors: this.errors.sort((a, b) => a.row - b.row), rows };
  }
}

/** Rules for stored directory rows beyond the domain schema: real country codes, and what one property can hold. */
function importChecks(row: number, partner: Partner): RowError[] {
  const errors: RowError[] = [];
  partner.locations.forEach((location, i) => {
    if (canonicalCountry(location.country) !== location.country) {
      errors.push({
        row,
        field: "locations",
        reason: `${itemPrefix(partner.locations.length, i)}"${location.country}" is not a country code; use the two-letter ISO 3166 code, for example SE for Sweden or GB for the United Kingdom`,
      });
    }
  });
  // Lists are stored as JSON text in one property: guard the 32K-character limit here, where the row number is known.
  for (const [field, value] of Object.entries(partner)) {
    const stored = typeof value === "string" ? value : JSON.stringify(value);
    if (stored.length > TABLE_LIMITS.stringChars) {
      errors.push({
        row,
        field,
        reason: `is ${stored.length} characters once stored; the Table service holds at most ${TABLE_LIMITS.stringChars} in one property`,
      });
    }
  }
  return errors;
}

/** "se" means SE and "UK" means GB: one code per country, so a location filter finds every partner there. */
function normalizeCountries(raw: unknown): unknown {
  if (!isRecord(raw) || !Array.isArray(raw["locations"])) return raw;
  return {
    ...raw,
    locations: raw["locations"].map((location: unknown) => {
      if (!isRecord(location) || typeof location["country"] !== "string") return location;
      const country = location["country"];
      return { ...location, country: canonicalCountry(country) ?? country.trim().toUpperCase() };
    }),
  };
}

type Issue = z.core.$ZodIssue;

/** zod's issues in plain words, one per field and list entry, naming the value that was wrong. */
function describeIssues(row: number, issues: readonly Issue[], input: unknown): RowError[] {
  const out: RowError[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((key) => `"${key}"`).join(", ");
      out.push({
        row,
        field: issue.keys.join(", "),
        reason: `${keys} ${issue.keys.length > 1 ? "are not partner fields" : "is not a partner field"}; the fields are ${CSV_COLUMNS.join(", ")}`,
      });
      continue;
    }
    const [field, index, sub] = issue.path;
    if (field === undefined) {
      out.push({ row, field: "(row)", reason: `must be an object with the partner's fields, not ${describeValue(input)}` });
      continue;
    }
    const value = valueAt(input, issue.path);
    let reason = reasonFor(issue, String(field), value);
    if (typeof index === "number") {
      const length = (valueAt(input, [field]) as unknown[]).length;
      const quoted = reason.startsWith('"');
      if (sub !== undefined) reason = `${itemPrefix(length, index).replace(/: $/, ", ")}${String(sub)} ${reason}`;
      else if (!quoted) reason = `${itemPrefix(length, index)}${reason}`;
    }
    out.push({ row, field: String(field), reason });
  }
  return out;
}

const itemPrefix = (length: number, index: number): string => (length > 1 ? `entry ${index + 1}: ` : "");

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: "text",
  array: "a list",
  object: "an object",
  number: "a number",
  boolean: "true or false",
};

function reasonFor(issue: Issue, field: string, value: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined || value === null || value === "") return "is required";
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}, not ${describeValue(value)}`;
    case "too_small": {
      const minimum = Number(issue.minimum);
      if (issue.origin === "array") return minimum === 1 ? "needs at least one entry" : `needs at least ${minimum} entries`;
      if (issue.origin === "string") return minimum === 1 ? "must not be empty" : `must be at least ${minimum} characters`;
      return `must be at least ${minimum}`;
    }
    case "too_big": {
      const maximum = Number(issue.maximum);
      if (issue.origin === "string") return `must be at most ${maximum} characters (it has ${String(value).length})`;
      if (issue.origin === "array") return `may hold at most ${maximum} entries`;
      return `must be at most ${maximum}`;
    }
    case "invalid_format":
      if (field === "id")
        return `"${String(value)}" is not a valid id; use 1 to 64 lowercase letters, digits and hyphens, for example contoso-cloud`;
      if (issue.format === "url") return `"${String(value)}" is not a web address; use a full address such as https://www.example.com`;
      return `"${String(value)}" is not in the expected format`;
    case "invalid_value":
      if (field === "sizes") return `"${String(value)}" is not an organization size; use ${ORGANIZATION_SIZES.join(", ")}`;
      if (field === "types") return `"${String(value)}" is not a partner type; use ${PARTNER_TYPES.join(", ")}`;
      return `"${String(value)}" is not one of ${issue.values.map(String).join(", ")}`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `"${value}"`;
  return String(value);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

function fileError(reason: string): ParsedDirectory {
  return { partners: [], errors: [{ row: FILE_ROW, field: "(file)", reason }], rows: 0 };
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
