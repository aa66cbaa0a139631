/**
 * strikes: incident tables, one record per strike (New America's "Counterterrorism Wars"
 * table is the reference: `date` as M/D/YYYY, a `strikes` count, casualty ranges and seven
 * columns all named `Source`).
 *
 * Handled: quoted fields holding line breaks (the record keeps the line it starts on);
 * duplicate column names (`Source`, `Source_2`, … — all kept, the sources gathered into
 * `detail.sources`); blank numeric cells (kept as absent, never as 0). Dates may be M/D/YYYY
 * or YYYY-MM-DD; a `year` column that disagrees with the date is a reject.
 *
 * The file names no countries, so the dyad (actor, location), e.g. USA,PAK, is given at
 * import. An incident's key is a hash of the dyad and its cells plus its occurrence number
 * among identical records, so re-importing adds nothing and two identical rows stay two.
 *
 * Series (computed by the store): `strikes` = the sum of `strikes` per calendar year (1 per
 * record when the column is absent), zero-filled between the first and last year with a
 * strike; date = 31 December, knownAt = 1 January of the next year (a yearly count is
 * complete only when the year is over).
 */
import { createHash } from 'node:crypto';
import {
  countSkip,
  FileImportError,
  type ImportProblemCode,
  type IncidentRecord,
  lineReject,
  type ParsedFile,
  type Reject,
} from './structural-records.ts';
import { cell, readCsvTable } from './table-reader.ts';

/** M/D/YYYY or YYYY-MM-DD → YYYY-MM-DD, undefined when not a real date. */
export function parseIncidentDate(raw: string): string | undefined {
  const s = raw.trim();
  let y: number;
  let m: number;
  let d: number;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (us !== null) [m, d, y] = [Number(us[1]), Number(us[2]), Number(us[3])];
  else if (iso !== null) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else return undefined;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return t.toISOString().slice(0, 10);
}

export function parseStrikes(text: string, file: string, options: { readonly dyad: readonly [string, string] }): ParsedFile {
  const [a, b] = options.dyad;
  const table = readCsvTable(text, file);
  const lower = table.columns.map((c) => c.toLowerCase());
  const dateCol = lower.indexOf('date');
  if (dateCol < 0) throw new FileImportError(file, table.headerLine, 'missing-column', 'missing column "date" in the header');
  const yearCol = lower.indexOf('year');
  const countCol = lower.indexOf('strikes');
  const sourceCols = lower.flatMap((c, i) => (c === 'source' || /^source_\d+$/.test(c) ? [i] : []));
  const records: IncidentRecord[] = [];
  const rejects: Reject[] = [...table.rejects];
  const skipped: Record<string, number> = {};
  const occurrences = new Map<string, number>();
  for (const row of table.rows) {
    if (row.cells.every((c) => c.trim() === '')) {
      countSkip(skipped, 'blank line');
      continue;
    }
    const reject = (reason: string, code?: ImportProblemCode) => rejects.push(lineReject(file, row.line, row.raw, reason, code));
    if (row.cells.length !== table.columns.length) {
      reject(`has ${row.cells.length} fields, the header has ${table.columns.length}`, 'column-count');
      continue;
    }
    const date = parseIncidentDate(cell(row, dateCol));
    if (date === undefined) {
      reject(`date: "${cell(row, dateCol)}" is not a date (M/D/YYYY or YYYY-MM-DD)`);
      continue;
    }
    const year = cell(row, yearCol).trim();
    if (yearCol >= 0 && year !== '' && year !== date.slice(0, 4)) {
      reject(`year: ${year} does not match date ${cell(row, dateCol)}`);
      continue;
    }
    const countRaw = cell(row, countCol).trim();
    const count = countCol < 0 || countRaw === '' ? 1 : Number(countRaw);
    if (!Number.isInteger(count) || count < 0) {
      reject(`strikes: "${countRaw}" is not a whole number of strikes`);
      continue;
    }
    const fields: Record<string, unknown> = {};
    table.columns.forEach((name, i) => {
      if (sourceCols.includes(i)) return;
      const v = (row.cells[i] ?? '').trim();
      if (v !== '') fields[name] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    });
    const sources = sourceCols.map((i) => (row.cells[i] ?? '').trim()).filter((s) => s !== '');
    const content = JSON.stringify([a, b, row.cells]);
    const digest = createHash('sha256').update(content).digest('hex').slice(0, 32);
    const n = (occurrences.get(digest) ?? 0) + 1;
    occurrences.set(digest, n);
    records.push({ kind: 'incident', line: row.line, key: `${digest}#${n}`, a, b, date, count, detail: { ...fields, sources } });
  }
  return { file, records, rejects, skipped };
}
