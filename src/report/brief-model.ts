/**
 * The brief as data: what a reader sees, independent of the output format. Pure.
 *
 * Every claim the brief makes is tied to citation numbers; citation n is an evidence
 * entry with its sources and grades. Citations are numbered in order of first use.
 */
import type { Assessment } from '../core/assess.ts';
import type { Case } from '../core/case-model.ts';
import { daysBetween } from '../core/dates.ts';
import { bestGrade, type Evidence } from '../core/evidence.ts';
import type { History, Transition } from '../core/history.ts';
import type { SeriesCoverage } from '../core/series.ts';
import {
  buildEventSeries,
  buildIndicatorSeries,
  buildIssueAreaMatrix,
  buildJustificationMatrix,
  buildRelationshipTimeline,
  buildStatusTimeline,
  buildStructuralCharts,
  type EventSeries,
  type IndicatorSeries,
  type IssueAreaMatrix,
  type JustificationMatrix,
  type RelationshipTimeline,
  type StatusTimeline,
  type StructuralChart,
  standingAsOf,
} from './brief-visuals.ts';

export interface Citation {
  readonly n: number;
  readonly evidence: Evidence;
  readonly grade: string;
}

export interface BriefRow {
  readonly id: string;
  readonly title: string;
  readonly cells: readonly string[];
  readonly cites: readonly number[];
}

export interface BriefModel {
  readonly title: string;
  readonly asOf: string;
  readonly digest: string;
  readonly bottomLine: readonly { readonly text: string; readonly cites: readonly number[] }[];
  readonly gates: readonly BriefRow[];
  readonly benchmarks: readonly BriefRow[];
  readonly justifications: readonly BriefRow[];
  readonly changes: readonly { readonly text: string; readonly cites: readonly number[] }[] | undefined;
  readonly since: string | undefined;
  readonly citations: readonly Citation[];
  /** Benchmarks × steps, from the `timeline` history; absent without one. */
  readonly statusTimeline?: StatusTimeline;
  /** Amount-bearing evidence (aid, sales, cuts) as of the brief's date; absent when there is none. */
  readonly relationship?: RelationshipTimeline;
  readonly indicatorSeries?: readonly IndicatorSeries[];
  /**
   * The case's event-data indicators (GDELT through the event store) by month; one with
   * `loaded: false` when no event data is loaded. Absent when the case has none.
   */
  readonly eventSeries?: readonly EventSeries[];
  readonly matrix?: JustificationMatrix;
  /** Structural series (UN voting convergence, aid, …) as of the brief's date; absent when none is loaded. */
  readonly structural?: readonly StructuralChart[];
  /** Issue areas × instruments with computed convergence; absent when the case has no issue areas. */
  readonly issueAreas?: IssueAreaMatrix;
}

export interface BriefOptions {
  /** Transitions of a history over the brief's date range: the "what changed" section. */
  readonly changes?: Pick<History, 'transitions'>;
  readonly since?: string;
  /** History (usually monthly) whose points become the status timeline; its benchmark transitions are cited. */
  readonly timeline?: Pick<History, 'from' | 'to' | 'step' | 'points' | 'transitions'>;
  /** Ledger time of the assessment, so the visuals see the same entries. */
  readonly recordedBy?: string;
  /** Days each series is complete for (as `assess` takes it): tells months without event data from months without events. */
  readonly coverage?: SeriesCoverage;
}

export function buildBriefModel(
  c: Case,
  assessment: Assessment,
  ledger: readonly Evidence[],
  options: BriefOptions = {},
): BriefModel {
  const byId = new Map(ledger.map((e) => [e.id, e]));
  const citations: Citation[] = [];
  const numberOf = new Map<string, number>();
  const cite = (ids: readonly string[]): number[] => {
    const out: number[] = [];
    for (const id of ids) {
      const e = byId.get(id);
      if (e === undefined) continue;
      let n = numberOf.get(id);
      if (n === undefined) {
        n = citations.length + 1;
        numberOf.set(id, n);
        citations.push({ n, evidence: e, grade: bestGrade(e) });
      }
      if (!out.includes(n)) out.push(n);
    }
    return out.sort((a, b) => a - b);
  };

  const benchTitle = new Map(assessment.benchmarks.map((b) => [b.id, b]));
  const unlocked = assessment.instruments.filter((i) => i.decision === 'unlocked' || i.decision === 'waived');
  const locked = assessment.instruments.filter((i) => i.decision === 'locked');
  const unknown = assessment.instruments.filter((i) => i.decision === 'unknown');
  const bottomLine: { text: string; cites: number[] }[] = [];
  bottomLine.push({
    text: `As of ${assessment.asOf}, ${unlocked.length} of ${assessment.instruments.length} instruments are open: ${
      unlocked.map((i) => `${i.title}${i.decision === 'waived' ? ' (under a waiver)' : ''}`).join('; ') || 'none'
    }.`,
    cites: [],
  });
  if (locked.length > 0) {
    // One sentence for all locked instruments: each missing benchmark is named once.
    const missingIds = [...new Set(locked.flatMap((i) => i.missing))];
    const describeMissing = (id: string) => {
      const b = benchTitle.get(id);
      if (b === undefined) return id;
      const since = b.since === null ? '' : ` since ${b.since}`;
      return `${b.title} (${b.status}${since})`;
    };
    const names = locked.map((i) => `${i.title}${i.amount !== null ? ` (${formatAmount(i.amount, i.currency)})` : ''}`);
    bottomLine.push({
      text: `Locked: ${names.join('; ')} — because ${missingIds.length === 1 ? 'this benchmark is' : 'these benchmarks are'} not met: ${missingIds.map(describeMissing).join('; ')}.`,
      cites: cite(missingIds.flatMap((id) => benchTitle.get(id)?.evidence ?? [])),
    });
  }
  for (const i of unknown) {
    bottomLine.push({ text: `${i.title} cannot be decided yet: ${i.missing.join(', ')} lack evidence.`, cites: [] });
  }
  const latest = assessment.ledger.latestReported;
  if (latest !== null && daysBetween(latest, assessment.asOf) > 180) {
    bottomLine.push({
      text: `Caution: the newest evidence was reported on ${latest}, ${daysBetween(latest, assessment.asOf)} days before this brief's date; what holds after that rests on the absence of later reports.`,
      cites: [],
    });
  }
  const byInstrument = new Map<string, Assessment['justifications'][number][]>();
  for (const j of assessment.justifications) byInstrument.set(j.instrument, [...(byInstrument.get(j.instrument) ?? []), j]);
  for (const [inst, js] of byInstrument) {
    const failing = js.filter((j) => j.verdict === 'unconvincing');
    if (failing.length === 0) continue;
    const title = c.instruments.find((i) => i.id === inst)?.title ?? inst;
    bottomLine.push({
      text: `${failing.length === js.length ? `All ${js.length}` : `${failing.length} of ${js.length}`} stated justification${js.length === 1 ? '' : 's'} for ${title} ${failing.length === 1 ? 'is' : 'are'} unconvincing: ${failing.map((j) => j.title).join('; ')}.`,
      cites: cite(failing.flatMap((j) => j.evidence)),
    });
  }

  if (assessment.issueAreas.length > 0) {
    const parts: string[] = [];
    for (const [kind, verb] of [
      ['align', 'align on'],
      ['diverge', 'diverge on'],
      ['unknown', 'are unknown on'],
    ] as const) {
      const areas = assessment.issueAreas.filter((r) => r.convergence === kind);
      if (areas.length > 0) parts.push(`${verb} ${areas.length} (${areas.map((r) => r.title).join('; ')})`);
    }
    const n = assessment.issueAreas.length;
    const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
    bottomLine.push({ text: `Of ${n} issue area${n === 1 ? '' : 's'}, interests ${list}.`, cites: [] });
  }

  const gates = assessment.instruments.map((i) => ({
    id: i.id,
    title: i.title,
    cells: [
      String(i.tier),
      i.amount === null ? '—' : formatAmount(i.amount, i.currency),
      i.decision.toUpperCase(),
      i.missing.length > 0 ? i.missing.join(', ') : i.waiver !== null ? `waiver ${i.waiver}` : '—',
      i.rule,
    ],
    cites: cite(i.missing.flatMap((id) => benchTitle.get(id)?.evidence ?? [])),
  }));
  const benchmarks = assessment.benchmarks.map((b) => {
    const items = b.evidence.map((id) => byId.get(id)).filter((e): e is Evidence => e !== undefined);
    const grades = items.map(bestGrade).sort();
    return {
      id: b.id,
      title: b.title,
      cells: [b.status.toUpperCase(), b.since ?? '—', b.flags.join(', ') || '—', String(b.evidence.length), grades[0] ?? '—'],
      cites: cite(b.evidence),
    };
  });
  const justifications = assessment.justifications.map((j) => ({
    id: j.id,
    title: j.title,
    cells: [j.instrument, j.serves.join(', '), j.verdict.toUpperCase(), j.decision],
    cites: cite(j.evidence),
  }));

  let changes: { text: string; cites: number[] }[] | undefined;
  if (options.changes !== undefined) {
    changes = options.changes.transitions
      .filter((t) => t.kind !== 'flag' || t.to !== null)
      .map((t) => ({ text: describeTransition(t), cites: cite(t.evidence) }));
  }
  const standing = standingAsOf(ledger, assessment.asOf, options.recordedBy);
  const relationship = buildRelationshipTimeline(standing, cite);
  const matrix = buildJustificationMatrix(c, assessment, cite);
  const structural = buildStructuralCharts(c, standing, cite);
  const issueAreas = buildIssueAreaMatrix(c, assessment, cite);
  const indicatorSeries = buildIndicatorSeries(c, standing, cite);
  // Cited last, so adding them left the numbers of everything else as they were.
  const eventSeries = buildEventSeries(c, standing, cite, assessment.asOf, options.coverage);
  const statusTimeline = options.timeline === undefined ? undefined : buildStatusTimeline(c, options.timeline, cite);
  return {
    title: c.title,
    asOf: assessment.asOf,
    digest: assessment.digest,
    bottomLine,
    gates,
    benchmarks,
    justifications,
    changes,
    since: options.since,
    citations,
    ...(statusTimeline === undefined ? {} : { statusTimeline }),
    ...(relationship === undefined ? {} : { relationship }),
    indicatorSeries,
    ...(eventSeries.length === 0 ? {} : { eventSeries }),
    ...(matrix === undefined ? {} : { matrix }),
    ...(structural.length === 0 ? {} : { structural }),
    ...(issueAreas === undefined ? {} : { issueAreas }),
  };
}

function describeTransition(t: Transition): string {
  switch (t.kind) {
    case 'flag':
      return `${t.date}: ${t.id} flagged ${t.to ?? ''}`;
    default:
      return `${t.date}: ${t.kind} ${t.id} moved from ${t.from ?? '—'} to ${t.to ?? '—'}`;
  }
}

export function formatAmount(amount: number, currency: string | null): string {
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(amount) >= size) {
      const v = amount / size;
      return `${currency ?? ''}${currency ? ' ' : ''}${Number.isInteger(v) ? v : v.toFixed(1)}${suffix}`;
    }
  }
  return `${currency ?? ''}${currency ? ' ' : ''}${amount}`;
}
