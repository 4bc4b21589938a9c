import type { z } from "zod";
import { PartnerSchema, ORGANIZATION_SIZES, type Partner } from "../domain/partner.js";
import { PARTNER_TYPES } from "../domain/partnerTypes.js";
import { TABLE_LIMITS } from "../storage/limits.js";
import { canonicalCountry } from "./text.js";

/**
 * Row validation for a partner directory file, whatever its format: a row is checked against the domain schema
 * and the storage limits, and every problem is said in plain words with the row a person sees (see importer.ts).
 */

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
export type Column = (typeof CSV_COLUMNS)[number];

/** A stricter PartnerSchema: an unknown key in JSON is usually a misspelt field whose value would be lost. */
const ImportRowSchema = PartnerSchema.strict();

/** Validates rows one by one, collecting every problem and every partner that has none. */
export class RowChecker {
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
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return typeof value; // undefined; a symbol or a function cannot come from a file
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

export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

export function fileError(reason: string): ParsedDirectory {
  return { partners: [], errors: [{ row: FILE_ROW, field: "(file)", reason }], rows: 0 };
}
