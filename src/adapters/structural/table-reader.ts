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
import { lineReject, type Reject } from './structural-records.ts';

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
  const rejects = scan.errors.map((e) =>
    lineReject(file, e.line, lines[e.line - 1] ?? '', `CSV syntax: ${e.message}`, 'csv-syntax'),
  );
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

/** A CSV table read one record at a time (see {@link openCsvTable}). */
export interface CsvTableStream {
  /** the header row's line number (1-based), 0 when there is none */
  readonly headerLine: number;
  readonly columns: readonly string[];
  /** The records after the header, in file order; iterate once. */
  readonly rows: Iterable<TableRow>;
  /** Syntax errors, as rejects; complete once `rows` has been iterated. */
  readonly rejects: readonly Reject[];
}

/**
 * The table of {@link readCsvTable}, read lazily: the same records, lines, raw texts and
 * syntax rejects (rules of `case-files/csv-scan.ts`), but one record at a time and without
 * a position per field, so a file of a million rows is read in a fraction of the time and
 * memory. A record without a double quote is split at its commas directly; one with a
 * quote is read field by field. `raw` keeps the record's own line breaks.
 */
export function openCsvTable(text: string, file: string): CsvTableStream {
  const rejects: Reject[] = [];
  const records = iterateCsvRecords(text, file, rejects);
  const first = records.next();
  if (first.done === true) return { headerLine: 0, columns: [], rows: [], rejects };
  return {
    headerLine: first.value.line,
    columns: dedupeColumns(first.value.cells),
    rows: { [Symbol.iterator]: () => records },
    rejects,
  };
}

function* iterateCsvRecords(input: string, file: string, rejects: Reject[]): Generator<TableRow, void, undefined> {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const n = text.length;
  let i = 0;
  let line = 1;
  // The next quote, CR and LF at or after i (n when none): each found once, not per line.
  let nextQuote = -1;
  let nextCr = -1;
  let nextLf = -1;
  const find = (ch: string, at: number, from: number) => {
    if (at >= from) return at;
    const k = text.indexOf(ch, from);
    return k === -1 ? n : k;
  };
  /** The end of the physical line starting at `from` (its line break, or n). */
  const lineEnd = (from: number) => {
    nextCr = find('\r', nextCr, from);
    nextLf = find('\n', nextLf, from);
    return Math.min(nextCr, nextLf);
  };
  /** The index after the line break at `e` (CRLF counts as one). */
  const afterBreak = (e: number) => (e >= n ? n : text.charCodeAt(e) === 13 && text.charCodeAt(e + 1) === 10 ? e + 2 : e + 1);
  const reject = (at: number, message: string) => {
    const e = lineEnd(at);
    rejects.push(lineReject(file, line, text.slice(lineStartOf(at), e), `CSV syntax: ${message}`, 'csv-syntax'));
  };
  const lineStartOf = (at: number) => {
    let s = at;
    while (s > 0 && text.charCodeAt(s - 1) !== 10 && text.charCodeAt(s - 1) !== 13) s--;
    return s;
  };

  while (i < n) {
    const e = lineEnd(i);
    if (e === i) {
      // A blank line.
      i = afterBreak(e);
      line++;
      continue;
    }
    nextQuote = find('"', nextQuote, i);
    if (nextQuote >= e) {
      const raw = text.slice(i, e);
      yield { line, raw, cells: raw.split(',') };
      i = afterBreak(e);
      line++;
      continue;
    }
    // A record with a quote: field by field, as csv-scan reads it.
    const recordLine = line;
    const start = i;
    const cells: string[] = [];
    let failed = false;
    for (;;) {
      if (text.charCodeAt(i) === 34) {
        const openLine = line;
        const openAt = i;
        i++;
        let value = '';
        let closed = false;
        while (i < n) {
          const q = text.indexOf('"', i);
          if (q === -1) break;
          value += text.slice(i, q);
          // Line breaks inside the quotes count as lines.
          for (let k = i; k < q; k++) {
            const c = text.charCodeAt(k);
            if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) line++;
          }
          if (text.charCodeAt(q + 1) === 34) {
            value += '"';
            i = q + 2;
            continue;
          }
          i = q + 1;
          closed = true;
          break;
        }
        if (!closed) {
          // Resume on the line after the opening quote.
          line = openLine;
          reject(openAt, 'this quoted field is never closed: end it with a double quote (write "" for a quote inside it)');
          i = afterBreak(lineEnd(openAt));
          line++;
          failed = true;
          break;
        }
        cells.push(value);
        const c = text.charCodeAt(i);
        if (i < n && c !== 44 && c !== 10 && c !== 13) {
          reject(
            i,
            `unexpected ${JSON.stringify(text[i])} after a closing quote: quote the whole field, and write "" for a quote inside it`,
          );
          i = afterBreak(lineEnd(i));
          line++;
          failed = true;
          break;
        }
      } else {
        let k = i;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === 44 || c === 10 || c === 13) break;
          k++;
        }
        cells.push(text.slice(i, k));
        i = k;
      }
      if (text.charCodeAt(i) === 44) {
        i++;
        continue;
      }
      break;
    }
    if (failed) continue;
    const end = i;
    i = afterBreak(i);
    line++;
    yield { line: recordLine, raw: text.slice(start, end), cells };
  }
}
