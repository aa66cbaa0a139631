/**
 * sipri-tiv: SIPRI Trend-Indicator-Value export tables as the Arms Transfers Database
 * writes them ("TIV of arms exports from Pakistan, 1950-2021"): note lines, a header
 * `,1950,…,2021,Total`, one row per recipient, a blank line and a `Total` row.
 *
 * Conventions kept: a blank cell means no deliveries and is stored as 0 with
 * `qualifier: "none"`; a printed `0` means deliveries worth less than $0.5m and is stored as 0
 * with `qualifier: "below 0.5m"`. Recipient names may carry footnote marks (`*`, `**`:
 * SIPRI marks non-state actors and multinational organisations so); the mark is kept in
 * `detail.footnote`. Recipients are filed under their ISO3 code when the name is a known
 * state, otherwise under `name:<recipient>` (e.g. `name:Mujahedin (Afghanistan)`), so nothing
 * is lost. The printed `Total` row and column are derived figures and are not stored.
 *
 * Series: measure `arms` (TIV, millions), dyad (supplier, recipient), date = 31 December,
 * knownAt = the table's "Generated:" date (SIPRI revises TIVs, so a value is known in this
 * form from the day the table was generated); without that line, 1 January of the next year.
 */
import { lookupIso3ByName } from './country-codes.ts';
import {
  countSkip,
  dayAfter,
  FileImportError,
  type ImportProblemCode,
  lineReject,
  type ParsedFile,
  type PointRecord,
  type Reject,
  yearEnd,
} from './structural-records.ts';
import { readCsvRows } from './table-reader.ts';

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** SIPRI's own three-letter codes in file names that differ from ISO3. */
const SIPRI_CODE_TO_ISO3: Readonly<Record<string, string>> = { CHI: 'CHN' };

/** Parses "Generated: 28 July 2022" → 2022-07-28. */
export function parseGeneratedDate(line: string): string | undefined {
  const m = /^Generated:\s*(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})/.exec(line.trim());
  if (m === null) return undefined;
  const month = MONTHS.indexOf((m[2] as string).toLowerCase());
  if (month < 0) return undefined;
  return `${m[3]}-${String(month + 1).padStart(2, '0')}-${(m[1] as string).padStart(2, '0')}`;
}

/** The recipient's series code: ISO3 for a known state, `name:<name>` otherwise. */
export function recipientCode(name: string): string {
  return lookupIso3ByName(name) ?? `name:${name.replace(/\*+$/, '').trim()}`;
}

function supplierCode(title: string | undefined, file: string): string | undefined {
  const fromTitle = title === undefined ? undefined : /arms exports from (.+?),\s*\d{4}/i.exec(title)?.[1];
  if (fromTitle !== undefined) {
    const iso = lookupIso3ByName(fromTitle);
    if (iso !== undefined) return iso;
  }
  const fromName = /TIV-Export-([A-Z]{3})/i.exec(file)?.[1]?.toUpperCase();
  return fromName === undefined ? undefined : (SIPRI_CODE_TO_ISO3[fromName] ?? fromName);
}

export function parseSipriTiv(text: string, file: string): ParsedFile {
  const { rows, rejects: syntax } = readCsvRows(text, file);
  const rejects: Reject[] = [...syntax];
  const skipped: Record<string, number> = {};
  const headerAt = rows.findIndex((r) => (r.cells[0] ?? '').trim() === '' && /^\d{4}$/.test((r.cells[1] ?? '').trim()));
  const header = rows[headerAt];
  if (header === undefined)
    throw new FileImportError(file, 0, 'unknown-layout', 'no header row ",1950,…,Total" with years: is this a SIPRI TIV table?');
  const notes = rows.slice(0, headerAt);
  const supplier = supplierCode(notes[0]?.cells[0], file);
  if (supplier === undefined) {
    throw new FileImportError(
      file,
      notes[0]?.line ?? 1,
      'unknown-layout',
      'cannot tell the supplier: no "TIV of arms exports from <country>" title and no TIV-Export-XXX file name',
    );
  }
  let generated: string | undefined;
  for (const n of notes) {
    generated ??= parseGeneratedDate(n.cells[0] ?? '');
    countSkip(skipped, 'note line');
  }
  countSkip(skipped, 'header');
  const years: { index: number; year: number }[] = [];
  header.cells.forEach((c, index) => {
    if (/^\d{4}$/.test(c.trim())) years.push({ index, year: Number(c.trim()) });
  });
  const records: PointRecord[] = [];
  const seen = new Map<string, number>();
  for (const row of rows.slice(headerAt + 1)) {
    const name = (row.cells[0] ?? '').trim();
    if (row.cells.every((c) => c.trim() === '')) {
      countSkip(skipped, 'blank line');
      continue;
    }
    if (name === 'Total') {
      countSkip(skipped, 'printed Total row');
      continue;
    }
    const reject = (reason: string, code?: ImportProblemCode) => rejects.push(lineReject(file, row.line, row.raw, reason, code));
    if (name === '') {
      reject('recipient: empty name on a row with values');
      continue;
    }
    const b = recipientCode(name);
    const first = seen.get(b);
    if (first !== undefined) {
      reject(`recipient: "${name}" appears again (first on line ${first})`, 'repeated');
      continue;
    }
    const values: { year: number; value: number; qualifier: string }[] = [];
    let bad: string | undefined;
    for (const { index, year } of years) {
      const raw = (row.cells[index] ?? '').trim();
      if (raw === '') values.push({ year, value: 0, qualifier: 'none' });
      else if (raw === '0') values.push({ year, value: 0, qualifier: 'below 0.5m' });
      else if (/^\d+(\.\d+)?$/.test(raw)) values.push({ year, value: Number(raw), qualifier: 'reported' });
      else {
        bad = `${year}: "${raw}" is not a TIV (millions), a 0 or blank`;
        break;
      }
    }
    if (bad !== undefined) {
      reject(bad);
      continue;
    }
    seen.set(b, row.line);
    const footnote = /\*+$/.exec(name)?.[0];
    const recipient = name.replace(/\*+$/, '').trim();
    for (const v of values) {
      const date = yearEnd(v.year);
      records.push({
        kind: 'point',
        line: row.line,
        measure: 'arms',
        a: supplier,
        b,
        date,
        knownAt: generated ?? dayAfter(date),
        value: v.value,
        period: String(v.year),
        detail: { recipient, qualifier: v.qualifier, unit: 'TIV (millions)', ...(footnote === undefined ? {} : { footnote }) },
      });
    }
  }
  return { file, records, rejects, skipped };
}
