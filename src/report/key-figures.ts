/**
 * The brief's key figures as data: the one place that says which figures a reader sees
 * first and how each is counted. The HTML brief and the web dashboard each render them
 * with their own markup. Pure.
 *
 * Order and presence: instruments warranted, departures (only when the case records what the
 * principal did), closed instruments that departed from what was warranted at their close
 * (only when there is one: an instrument whose window closed is judged at its close, see
 * closed-windows.ts; counted apart from the instruments in force), benchmarks met, then members met per benchmark group (only when the case has
 * groups), justifications unconvincing (only when the case has
 * justifications in force), issue areas aligned (only when it has issue areas in force),
 * documents cited.
 *
 * Documents cited counts distinct source documents (publisher and title) behind the cited
 * entries, not citation numbers: a dataset whose yearly values are plotted and cited point
 * by point is one document.
 *
 * Only items in force on the date count: an expired statute or an instrument not yet in
 * force is neither open nor closed, and is left out of both the count and the total (the
 * brief lists such items apart) — save a departure at an instrument's close, counted in a
 * figure of its own, labelled as closed.
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
  readonly gates: readonly (Pick<BriefModel['gates'][number], 'decision'> &
    Partial<Pick<BriefModel['gates'][number], 'done' | 'departure' | 'sanction'>>)[];
  readonly benchmarks: readonly Pick<BriefModel['benchmarks'][number], 'status'>[];
  /** Instruments since closed with a departure at their close (absent or empty: none). */
  readonly closedDepartures?: readonly Pick<NonNullable<BriefModel['closedDepartures']>[number], 'departure'>[];
  readonly groups?: readonly Pick<BriefModel['groups'][number], 'parent' | 'met' | 'total' | 'title'>[];
  readonly justifications: readonly Pick<BriefModel['justifications'][number], 'verdict'>[];
  readonly issueAreas?: { readonly rows: readonly Pick<NonNullable<BriefModel['issueAreas']>['rows'][number], 'convergence'>[] };
  readonly citations: readonly {
    readonly evidence: { readonly sources: readonly { readonly publisher: string; readonly title: string }[] };
  }[];
};

/** Distinct source documents (by publisher and title, ignoring case and spacing) behind the citations. */
export function documentsCited(citations: KeyFigureSource['citations']): number {
  const norm = (t: string) => t.trim().toLowerCase().replace(/\s+/g, ' ');
  const docs = new Set<string>();
  for (const c of citations) for (const s of c.evidence.sources) docs.add(`${norm(s.publisher)}\u0000${norm(s.title)}`);
  return docs.size;
}

function share<T>(rows: readonly T[], inForce: (r: T) => boolean, counted: (r: T) => boolean) {
  const kept = rows.filter(inForce);
  return { number: kept.filter(counted).length, of: kept.length };
}

export function keyFigures(m: KeyFigureSource): KeyFigure[] {
  const engagements = m.gates.filter((g) => g.sanction !== true);
  const sanctions = m.gates.filter((g) => g.sanction === true);
  const figures: KeyFigure[] = [];
  if (engagements.length > 0 || sanctions.length === 0) {
    figures.push({
      ...share(
        engagements,
        (g) => g.decision !== 'not-applicable',
        (g) => g.decision === 'unlocked' || g.decision === 'waived',
      ),
      label: 'instruments warranted',
    });
  }
  if (sanctions.length > 0) {
    figures.push({
      ...share(
        sanctions,
        (g) => g.decision !== 'not-applicable',
        (g) => g.decision === 'required',
      ),
      label: 'sanctions required',
    });
  }
  const inForce = m.gates.filter((g) => g.decision !== 'not-applicable');
  if (inForce.some((g) => g.done !== undefined && g.done !== null)) {
    const n = inForce.filter((g) => g.departure !== null && g.departure !== undefined).length;
    figures.push({ number: n, label: n === 1 ? 'departure from what is warranted' : 'departures from what is warranted' });
  }
  const closed = m.closedDepartures?.length ?? 0;
  if (closed > 0) {
    figures.push({
      number: closed,
      label:
        closed === 1
          ? 'closed instrument departed from what was warranted at its close'
          : 'closed instruments departed from what was warranted at their close',
    });
  }
  figures.push({
    ...share(
      m.benchmarks,
      (b) => b.status !== 'not-applicable',
      (b) => b.status === 'met',
    ),
    label: 'benchmarks met',
  });
  // Each benchmark list (not its blocks) as a share of its own: "65 of 72 met in the roadmap".
  for (const g of m.groups ?? []) {
    if (g.parent === null && g.total > 0) figures.push({ number: g.met, of: g.total, label: `met in ${g.title}` });
  }
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
  const docs = documentsCited(m.citations);
  figures.push({ number: docs, label: docs === 1 ? 'document cited' : 'documents cited' });
  return figures;
}

/** The figure's amount as text: "3 of 6", or "63" for a plain count. */
export function keyFigureAmount(f: KeyFigure): string {
  return f.of === undefined ? String(f.number) : `${f.number} of ${f.of}`;
}
