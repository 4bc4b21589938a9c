import { parse as parseCsv } from "csv-parse/sync";
import { CSV_COLUMNS, fileError, RowChecker, stripBom, type Column, type ParsedDirectory, type RowError } from "./directoryRows.js";

/** Reading a directory CSV into rows: the header, the cells of list columns, and row numbers as an editor counts lines. */

const OPTIONAL_COLUMNS: ReadonlySet<Column> = new Set(["industries", "contacts", "website"]);
const LIST_COLUMNS: ReadonlySet<Column> = new Set(["locations", "sizes", "services", "industries", "types", "contacts"]);

type CsvRecord = { record: string[]; info: { lines: number } };

export function parseCsvDirectory(text: string): ParsedDirectory {
  const records = readRecords(text);
  if ("problem" in records) return fileError(records.problem);
  const [header, ...data] = records;
  if (!header) return fileError(`the file is empty; the first line must be the header: ${CSV_COLUMNS.join(",")}`);

  const { columns, seen, missing, errors: headerErrors } = readHeader(header, data);
  const checker = new RowChecker(new Set(missing));
  let rows = 0;
  for (const record of data) {
    if (record.record.every((cell) => cell.trim() === "")) continue; // ",,,," rows a spreadsheet leaves behind
    rows++;
    checkRecord(checker, record, header.record.length, columns, seen);
  }
  const result = checker.result(rows);
  if (headerErrors.length === 0) return result;
  // A header problem spoils every row (a misspelt column would silently drop its data), so nothing is valid.
  return { partners: [], errors: [...headerErrors, ...result.errors], rows };
}

function readRecords(text: string): CsvRecord[] | { problem: string } {
  // One line ending, so line numbers count the way an editor does (csv-parse miscounts mixed endings).
  const normalized = stripBom(text).replace(/\r\n?/g, "\n");
  try {
    // With `info` each record comes as { record, info }; csv-parse's typings do not model that option.
    return parseCsv(normalized, { skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as CsvRecord[];
  } catch (error) {
    const { code, lines } = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; lines?: unknown };
    if (code === "CSV_QUOTE_NOT_CLOSED")
      return { problem: `not valid CSV: a quoted cell is never closed (the file ends inside it, at line ${String(lines)}); end it with "` };
    return { problem: `not valid CSV: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The header's columns in file order (undefined for one we do not know), and what is wrong with it. */
function readHeader(header: CsvRecord, data: CsvRecord[]) {
  const headerRow = startLine(header);
  const columns = header.record.map((name) => canonicalColumn(name.trim()));
  const errors: RowError[] = [];
  const problem = (reason: string) => errors.push({ row: headerRow, field: "(header)", reason });
  // An unnamed column left empty is what spreadsheets export after the last real one: harmless.
  const blankColumn = (i: number) => header.record[i]!.trim() === "" && data.every(({ record }) => (record[i] ?? "").trim() === "");
  const unknown = header.record.flatMap((name, i) =>
    columns[i] === undefined && !blankColumn(i) ? [name.trim() ? `"${name.trim()}"` : `without a name (column ${i + 1})`] : [],
  );
  if (unknown.length > 0) {
    problem(`unknown column${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; the columns are ${CSV_COLUMNS.join(", ")}`);
  }
  const seen = new Set<Column>();
  const repeated = new Set<Column>();
  for (const column of columns) {
    if (column === undefined) continue;
    if (seen.has(column)) repeated.add(column);
    seen.add(column);
  }
  if (repeated.size > 0) {
    problem(`column${repeated.size > 1 ? "s" : ""} ${[...repeated].join(", ")} appear${repeated.size > 1 ? "" : "s"} more than once`);
  }
  const missing = CSV_COLUMNS.filter((column) => !OPTIONAL_COLUMNS.has(column) && !seen.has(column));
  if (missing.length > 0) problem(`missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  return { columns, seen: seen as ReadonlySet<Column>, missing, errors };
}

/** One data row: its cells parsed by column, then checked as a partner. */
function checkRecord(
  checker: RowChecker,
  { record, info }: CsvRecord,
  headerLength: number,
  columns: ReadonlyArray<Column | undefined>,
  seen: ReadonlySet<Column>,
): void {
  const row = startLine({ record, info });
  if (record.length !== headerLength) {
    checker.fail(row, "(row)", `has ${record.length} cells but the header has ${headerLength}; quote cells that contain a comma`);
    return;
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

/** The line a record starts on: csv-parse reports the line it ends on, quoted cells may span lines. */
function startLine({ record, info }: CsvRecord): number {
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
