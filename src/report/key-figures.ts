/**
 * The brief's key figures as data: the one place that says which figures a reader sees
 * first and how each is counted. The HTML brief and the web dashboard each render them
 * with their own markup. Pure.
 *
 * Order and presence: instruments open, benchmarks met, justifications unconvincing (only
 * when the case has justifications in force), issue areas aligned (only when it has issue
 * areas in force), sources cited.
 *
 * Only items in force on the date count: an expired statute or an instrument not yet in
 * force is neither open nor closed, and is left out of both the count and the total (the
 * brief lists such items apart).
 */
import type { BriefModel } from './brief-model.ts';

export interface KeyFigure {
  /** The count; with `of`, a share ("3 of 6"). */
  readonly number: number;
  /** The total the count is part of; absent for a plain count. */
  readonly of?: number;
  /** What is counted, in words ("instruments open"). */
  readonly label: string;
}

/** The part of the brief model the figures are counted from. */
export type KeyFigureSource = {
  readonly gates: readonly Pick<BriefModel['gates'][number], 'decision'>[];
  readonly benchmarks: readonly Pick<BriefModel['benchmarks'][number], 'status'>[];
  readonly justifications: readonly Pick<BriefModel['justifications'][number], 'verdict'>[];
  readonly issueAreas?: { readonly rows: readonly Pick<NonNullable<BriefModel['issueAreas']>['rows'][number], 'convergence'>[] };
  readonly citations: readonly unknown[];
};

function share<T>(rows: readonly T[], inForce: (r: T) => boolean, counted: (r: T) => boolean) {
  const kept = rows.filter(inForce);
  return { number: kept.filter(counted).length, of: kept.length };
}

export function keyFigures(m: KeyFigureSource): KeyFigure[] {
  const figures: KeyFigure[] = [
    {
      ...share(
        m.gates,
        (g) => g.decision !== 'not-applicable',
        (g) => g.decision === 'unlocked' || g.decision === 'waived',
      ),
      label: 'instruments open',
    },
    {
      ...share(
        m.benchmarks,
        (b) => b.status !== 'not-applicable',
        (b) => b.status === 'met',
      ),
      label: 'benchmarks met',
    },
  ];
  const justifications = share(
    m.justifications,
    (j) => j.verdict !== 'not-applicable',
    (j) => j.verdict === 'unconvincing',
  );
  if (justifications.of > 0) figures.push({ ...justifications, label: 'justifications unconvincing' });
  if (m.issueAreas !== undefined) {
    const aligned = share(
      m.issueAreas.rows,
      (r) => r.convergence !== 'not-applicable',
      (r) => r.convergence === 'align',
    );
    if (aligned.of > 0) figures.push({ ...aligned, label: 'issue areas aligned' });
  }
  figures.push({ number: m.citations.length, label: 'sources cited' });
  return figures;
}

/** The figure's amount as text: "3 of 6", or "63" for a plain count. */
export function keyFigureAmount(f: KeyFigure): string {
  return f.of === undefined ? String(f.number) : `${f.number} of ${f.of}`;
}
