/**
 * The CSV forms of the case commands' results, one row per thing in long ("tidy") form,
 * so R, pandas and spreadsheets read them without reshaping. Lists of ids are joined with
 * `;`. The JSON forms carry everything; these carry what a table can.
 */
import type { Assessment } from '../core/assess.ts';
import type { InstrumentResult } from '../core/gates.ts';
import type { History } from '../core/history.ts';
import { type CsvCell, toCsv } from './csv.ts';

/** A CSV form's header and rows, before they are written (`proviso export` writes them as CSV, JSON Lines or Parquet). */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly CsvCell[])[];
}

const ids = (xs: readonly string[]): string => xs.join(';');

/** `kind,id,title,status,since,basis,actual,departure,evidence,reason`: benchmarks, instruments, justifications, issue areas. */
export function assessmentCsv(a: Assessment): string {
  const { header, rows } = assessmentTable(a);
  return toCsv(header, rows);
}

/** The rows of `assessmentCsv`. */
export function assessmentTable(a: Assessment): CsvTable {
  const header = ['kind', 'id', 'title', 'status', 'since', 'basis', 'actual', 'departure', 'evidence', 'reason'];
  const rows = [
    ...a.benchmarks.map((b) => [
      'benchmark',
      b.id,
      b.title,
      b.status,
      b.since,
      b.basis.summary,
      null,
      null,
      ids(b.evidence),
      b.reasons[0] ?? null,
    ]),
    ...a.instruments.map((i) => [
      'instrument',
      i.id,
      i.title,
      i.decision,
      null,
      null,
      i.actual === null ? null : `${i.actual.state} on ${i.actual.since}`,
      i.departure,
      ids(i.actual?.evidence ?? []),
      i.missing.length > 0 ? `missing: ${i.missing.join(', ')}` : null,
    ]),
    ...a.justifications.map((j) => [
      'justification',
      j.id,
      j.title,
      j.verdict,
      null,
      null,
      null,
      null,
      ids(j.evidence),
      j.decision,
    ]),
    ...a.issueAreas.map((r) => ['issue-area', r.id, r.title, r.convergence, null, null, null, null, ids(r.evidence), r.decision]),
  ];
  return { header, rows };
}

/** `id,title,decision,actual,departure,possible,earliest,blockers,sets`: one row per instrument. */
export function unlockCsv(instruments: readonly InstrumentResult[]): string {
  return toCsv(
    ['id', 'title', 'decision', 'actual', 'departure', 'possible', 'earliest', 'blockers', 'sets'],
    instruments.map((i) => [
      i.id,
      i.title,
      i.decision,
      i.actual === null ? null : `${i.actual.state} on ${i.actual.since}`,
      i.departure,
      i.unlock === null ? null : i.unlock.possible,
      i.unlock?.earliest ?? null,
      i.unlock === null ? null : ids(i.unlock.blockers.map((b) => b.benchmark)),
      i.unlock === null ? null : i.unlock.sets.map((s) => s.join('+')).join(';'),
    ]),
  );
}

/** `as_of,kind,id,status`: every point of the history in long form (transitions are in the JSON). */
export function historyCsv(h: History): string {
  const { header, rows } = historyTable(h);
  return toCsv(header, rows);
}

/** The rows of `historyCsv`. */
export function historyTable(h: History): CsvTable {
  const rows: (string | null)[][] = [];
  for (const p of h.points) {
    for (const [id, s] of Object.entries(p.benchmarks)) rows.push([p.asOf, 'benchmark', id, s]);
    for (const [id, s] of Object.entries(p.instruments)) rows.push([p.asOf, 'instrument', id, s]);
    for (const [id, s] of Object.entries(p.justifications)) rows.push([p.asOf, 'justification', id, s]);
    for (const [id, s] of Object.entries(p.issueAreas)) rows.push([p.asOf, 'issue-area', id, s]);
    for (const [id, s] of Object.entries(p.actions)) rows.push([p.asOf, 'action', id, s]);
  }
  return { header: ['as_of', 'kind', 'id', 'status'], rows };
}
