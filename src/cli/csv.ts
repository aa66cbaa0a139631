/**
 * The one CSV writer of the CLI (RFC 4180: comma-separated, CRLF-free, fields quoted when
 * they hold a quote, comma or line break). A text cell that a spreadsheet would run as a
 * formula (starting with =, +, -, @, a tab or a carriage return, and not a number) is
 * prefixed with an apostrophe: evidence text is untrusted.
 */

export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function csvCell(v: CsvCell): string {
  if (v === undefined || v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && FORMULA_START.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A header line and one line per row, each ending in a newline. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((r) => `${r.map(csvCell).join(',')}\n`).join('');
}
