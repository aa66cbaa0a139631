/**
 * The brief's key figures as data: the one place that says which figures a reader sees
 * first and how each is counted. The HTML brief and the web dashboard each render them
 * with their own markup. Pure.
 *
 * Order and presence: instruments open, benchmarks met, justifications unconvincing (only
 * when the case has justifications), issue areas aligned (only when it has issue areas),
 * sources cited.
 */
import type { BriefModel, BriefRow } from './brief-model.ts';

export interface KeyFigure {
  /** The count; with `of`, a share ("3 of 6"). */
  readonly number: number;
  /** The total the count is part of; absent for a plain count. */
  readonly of?: number;
  /** What is counted, in words ("instruments open"). */
  readonly label: string;
}

/** The part of the brief model the figures are counted from. */
export type KeyFigureSource = Pick<BriefModel, 'gates' | 'benchmarks' | 'justifications' | 'issueAreas' | 'citations'>;

// Columns of the brief rows (see brief-model.ts): a gate's decision, a benchmark's status,
// a justification's verdict.
const GATE_DECISION = 2;
const BENCHMARK_STATUS = 0;
const JUSTIFICATION_VERDICT = 2;

const countRows = (rows: readonly BriefRow[], col: number, values: readonly string[]) =>
  rows.filter((r) => values.includes(r.cells[col] ?? '')).length;

export function keyFigures(m: KeyFigureSource): KeyFigure[] {
  const figures: KeyFigure[] = [
    { number: countRows(m.gates, GATE_DECISION, ['UNLOCKED', 'WAIVED']), of: m.gates.length, label: 'instruments open' },
    { number: countRows(m.benchmarks, BENCHMARK_STATUS, ['MET']), of: m.benchmarks.length, label: 'benchmarks met' },
  ];
  if (m.justifications.length > 0) {
    figures.push({
      number: countRows(m.justifications, JUSTIFICATION_VERDICT, ['UNCONVINCING']),
      of: m.justifications.length,
      label: 'justifications unconvincing',
    });
  }
  if (m.issueAreas !== undefined) {
    const aligned = m.issueAreas.rows.filter((r) => r.convergence === 'align').length;
    figures.push({ number: aligned, of: m.issueAreas.rows.length, label: 'issue areas aligned' });
  }
  figures.push({ number: m.citations.length, label: 'sources cited' });
  return figures;
}

/** The figure's amount as text: "3 of 6", or "63" for a plain count. */
export function keyFigureAmount(f: KeyFigure): string {
  return f.of === undefined ? String(f.number) : `${f.number} of ${f.of}`;
}
