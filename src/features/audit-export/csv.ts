/**
 * CSV as Excel opens it correctly and safely (RFC 4180): UTF-8 with a byte order mark (without it Excel reads
 * UTF-8 as the system code page and "Åsa" becomes "Ã…sa"), CRLF line ends, and every cell quoted when it holds a
 * comma, a quote or a line break, quotes doubled.
 */

export const CSV_BOM = "\uFEFF";
export const CRLF = "\r\n";

/**
 * A cell a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage return that some strip before
 * looking) gets a leading single quote, as OWASP's CSV injection guidance recommends: an audit export holds text
 * other people typed (names, reasons), and opening it must never run any of it.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralised(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One cell: neutralised, then quoted when RFC 4180 asks for it. */
export function csvCell(text: string): string {
  const safe = neutralised(text);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One record, ended by CRLF. */
export const csvLine = (cells: readonly string[]): string => cells.map(csvCell).join(",") + CRLF;
