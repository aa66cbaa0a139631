/**
 * CSV tables for the structural importers, on the project's position-keeping scanner
 * (`case-files/csv-scan.ts`): every record keeps the line it starts on and its raw text,
 * a leading byte-order mark is dropped, and quoted fields may hold line breaks.
 *
 * Contract: `rows` are the records after the header, in file order; header names are
 * trimmed, and a name repeated in the header gets `_2`, `_3`… (so `Source, Source` reads as
 * `Source`, `Source_2`) — nothing is overwritten. Syntax errors are returned as rejects.
 */
import { scanCsv } from '../case-files/csv-scan.ts';
import type { Reject } from './structural-records.ts';

export interface TableRow {
  readonly line: number;
  readonly raw: string;
  readonly cells: readonly string[];
}

export interface Table {
  /** the header row's line number (1-based), 0 when there is none */
  readonly headerLine: number;
  readonly columns: readonly string[];
  readonly rows: readonly TableRow[];
  readonly rejects: readonly Reject[];
}

/** Every record of a CSV text with its line and raw text; no header handling. */
export function readCsvRows(text: string, file: string): { rows: TableRow[]; rejects: Reject[] } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split(/\r\n|\r|\n/);
  const scan = scanCsv(body);
  const rows = scan.records.map((r) => {
    const last = r.fields[r.fields.length - 1];
    const endLine = last === undefined ? r.line : last.line + (last.value.match(/\r\n|\r|\n/g)?.length ?? 0);
    return { line: r.line, raw: lines.slice(r.line - 1, endLine).join('\n'), cells: r.fields.map((f) => f.value) };
  });
  const rejects = scan.errors.map((e) => ({
    file,
    line: e.line,
    reason: `CSV syntax: ${e.message}`,
    raw: lines[e.line - 1] ?? '',
  }));
  return { rows, rejects };
}

/** Names duplicate header cells `name_2`, `name_3`… in order. */
export function dedupeColumns(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw) => {
    const name = raw.trim();
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
}

/** A CSV table whose first record is the header. */
export function readCsvTable(text: string, file: string): Table {
  const { rows, rejects } = readCsvRows(text, file);
  const [header, ...rest] = rows;
  if (header === undefined) return { headerLine: 0, columns: [], rows: [], rejects };
  return { headerLine: header.line, columns: dedupeColumns(header.cells), rows: rest, rejects };
}

/** Reads a cell by column index ('' when the row is short). */
export function cell(row: TableRow, index: number): string {
  return index < 0 ? '' : (row.cells[index] ?? '');
}
