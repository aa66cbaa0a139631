/**
 * unga-coincidence: the US State Department's annual "Voting Practices in the United
 * Nations" coincidence tables (one row per member state: COUNTRY, ISO, SAME,
 * OPPOSITE|OPPOSE, PARTIAL, ABSENT, COINCIDENCE).
 *
 * Quirks handled: a leading byte-order mark; column order that changes by year (columns are
 * found by name, never by position); `OPPOSITE` (2018–2021) and `OPPOSE` (2022–) for the
 * same column; a missing final newline; country names quoted across two lines; fractions
 * written without a leading zero (`.50`).
 *
 * Values are stored as the table prints them. COINCIDENCE is *not* recomputed: from 2019 on
 * the printed value does not always equal (SAME + PARTIAL/2)/(SAME + OPPOSITE + PARTIAL),
 * which the report's own method would give, so the counts are kept alongside in `detail`.
 *
 * Series: measure `coincidence`, dyad (USA, ISO), date = 31 December of the year,
 * knownAt = 31 March of the following year — the statutory deadline for the report
 * (22 U.S.C. 2414a), the earliest day the figures can be relied on as public.
 * The year comes from the file name (…-2018.csv) unless given explicitly.
 */

import {
  countSkip,
  FileImportError,
  type ImportProblemCode,
  lineReject,
  type ParsedFile,
  type PointRecord,
  type Reject,
  yearEnd,
} from './structural-records.ts';
import { cell, readCsvTable } from './table-reader.ts';

const COUNT_COLUMNS = ['SAME', 'OPPOSITE', 'PARTIAL', 'ABSENT'] as const;

/** The year in a file name such as `state-dept_un-coincidence-2018.csv`; undefined when absent. */
export function yearFromFileName(file: string): number | undefined {
  const m = /(?:^|[^0-9])((?:19|20)\d{2})(?![0-9])[^/\\]*$/.exec(file);
  return m === null ? undefined : Number(m[1]);
}

export function parseUngaCoincidence(text: string, file: string, options: { readonly year?: number } = {}): ParsedFile {
  const year = options.year ?? yearFromFileName(file);
  if (year === undefined) {
    throw new FileImportError(
      file,
      0,
      'missing-option',
      'no year in the file name (expected e.g. un-coincidence-2018.csv): pass --year YYYY',
    );
  }
  const table = readCsvTable(text, file);
  const names = table.columns.map((c) => c.toUpperCase());
  const index = (name: string) => names.indexOf(name);
  const column = {
    COUNTRY: index('COUNTRY'),
    ISO: index('ISO'),
    SAME: index('SAME'),
    OPPOSITE: index('OPPOSITE') >= 0 ? index('OPPOSITE') : index('OPPOSE'),
    PARTIAL: index('PARTIAL'),
    ABSENT: index('ABSENT'),
    COINCIDENCE: index('COINCIDENCE'),
  };
  const missing = Object.entries(column)
    .filter(([, i]) => i < 0)
    .map(([name]) => (name === 'OPPOSITE' ? 'OPPOSITE (or OPPOSE)' : name));
  if (missing.length > 0) {
    throw new FileImportError(
      file,
      table.headerLine,
      'missing-column',
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the header`,
    );
  }
  const records: PointRecord[] = [];
  const rejects: Reject[] = [...table.rejects];
  const skipped: Record<string, number> = {};
  const firstLine = new Map<string, number>();
  for (const row of table.rows) {
    if (row.cells.every((c) => c.trim() === '')) {
      countSkip(skipped, 'blank line');
      continue;
    }
    const reject = (reason: string, code?: ImportProblemCode) => rejects.push(lineReject(file, row.line, row.raw, reason, code));
    const iso = cell(row, column.ISO).trim();
    if (!/^[A-Z]{3}$/.test(iso)) {
      reject(`ISO: "${iso}" is not a three-letter ISO code`);
      continue;
    }
    const counts: Record<string, number> = {};
    let bad: string | undefined;
    for (const name of COUNT_COLUMNS) {
      const raw = cell(row, column[name]).trim();
      if (!/^\d+$/.test(raw)) {
        bad = `${name === 'OPPOSITE' ? table.columns[column.OPPOSITE] : name}: "${raw}" is not a whole number of votes`;
        break;
      }
      counts[name.toLowerCase()] = Number(raw);
    }
    if (bad !== undefined) {
      reject(bad);
      continue;
    }
    const rawValue = cell(row, column.COINCIDENCE).trim();
    const value = /^(\d+(\.\d*)?|\.\d+)$/.test(rawValue) ? Number(rawValue) : Number.NaN;
    if (!(value >= 0 && value <= 1)) {
      reject(`COINCIDENCE: "${rawValue}" is not a fraction between 0 and 1`);
      continue;
    }
    const first = firstLine.get(iso);
    if (first !== undefined) {
      reject(`ISO: ${iso} appears again (first on line ${first})`, 'repeated');
      continue;
    }
    firstLine.set(iso, row.line);
    records.push({
      kind: 'point',
      line: row.line,
      measure: 'coincidence',
      a: 'USA',
      b: iso,
      date: yearEnd(year),
      knownAt: `${year + 1}-03-31`,
      value,
      period: String(year),
      detail: { country: cell(row, column.COUNTRY).replace(/\s+/g, ' ').trim(), ...counts },
    });
  }
  return { file, records, rejects, skipped };
}
