/**
 * The brief as data: what a reader sees, independent of the output format. Pure.
 *
 * Every claim the brief makes is tied to citation numbers; citation n is an evidence
 * entry with its sources and grades. Citations are numbered in order of first use.
 */
import type { Assessment } from '../core/assess.ts';
import type { BenchmarkFlag, BenchmarkStatusKind } from '../core/benchmark-stream.ts';
import { type BasisKind, type BenchmarkResult, DEFAULT_STALE, staleAfter } from '../core/benchmarks.ts';
import type { Case, Validity } from '../core/case-model.ts';
import { daysBetween } from '../core/dates.ts';
import { bestGrade, type Evidence } from '../core/evidence.ts';
import type { GateDecision } from '../core/gates.ts';
import { type History, TRANSITION_KINDS, type Transition } from '../core/history.ts';
import type { Verdict } from '../core/justifications.ts';
import type { SeriesCoverage } from '../core/series.ts';
import { type Applicability, applicabilityAt, describeInapplicability } from '../core/validity.ts';
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
import {
  APPLICABILITY_LABEL,
  actorNames,
  basisLabel,
  defaultsText,
  flagsInWords,
  STATUS_WORDS,
  stateWords,
} from './status-words.ts';

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

/** An instrument in force: cells are tier, amount, DECISION, missing benchmarks or waiver, rule. */
export interface GateRow extends BriefRow {
  readonly decision: GateDecision;
}

/** What a benchmark's status rests on, in words. */
export interface BasisView {
  readonly kind: BasisKind;
  /** Short: "on evidence", "on monitored absence", "on the case's default (no record)", "unknown: x not pinned down". */
  readonly label: string;
  /** The core's quotable line: "not met — on evidence: release on 2017-11-24 (ev-…)". */
  readonly summary: string;
  /** The state subjects with no record, per indicator: "no record for Masood Azhar (leaders_in_custody taken as off by the case's default)". */
  readonly defaults: readonly string[];
}

/**
 * A benchmark in force: cells are STATUS, what it rests on (the basis label), since, flags
 * in words, the number of evidence items and the best grade among them.
 */
export interface BenchmarkRow extends BriefRow {
  readonly status: BenchmarkStatusKind;
  readonly since: string | null;
  readonly basis: BasisView;
  /** Each flag in words: "stale (newest evidence 2020-11-19, older than P12M)". */
  readonly flags: readonly { readonly flag: BenchmarkFlag; readonly text: string }[];
}

/** A justification in force: cells are instrument, interests it claims to serve, VERDICT, deciding reason. */
export interface JustificationRow extends BriefRow {
  readonly verdict: Verdict;
}

export const NOT_IN_FORCE_KINDS = ['instrument', 'benchmark', 'justification', 'issue-area'] as const;
export type NotInForceKind = (typeof NOT_IN_FORCE_KINDS)[number];

/**
 * A case item outside its validity window on the brief's date: neither counted in the key
 * figures and the bottom line nor shown on the boards, but listed apart.
 */
export interface NotInForceItem {
  readonly kind: NotInForceKind;
  readonly id: string;
  readonly title: string;
  /** Why it does not apply (of the item itself, or of a justification's instrument). */
  readonly applicability: Applicability;
  /** "not yet in force", "expired" or "not yet known". */
  readonly label: string;
  /** "expired (until 2014-09-30)"; for a justification of an instrument not in force, says so. */
  readonly detail: string;
}

export interface BriefModel {
  readonly title: string;
  readonly asOf: string;
  readonly digest: string;
  readonly bottomLine: readonly { readonly text: string; readonly cites: readonly number[] }[];
  /** Instruments in force on the date. */
  readonly gates: readonly GateRow[];
  /** Benchmarks in force on the date. */
  readonly benchmarks: readonly BenchmarkRow[];
  /** Justifications in force on the date (and of instruments in force). */
  readonly justifications: readonly JustificationRow[];
  /** Changes in date order (then kind, id), each dated on the day it took effect, with its evidence and rule. */
  readonly changes: readonly { readonly text: string; readonly cites: readonly number[] }[] | undefined;
  readonly since: string | undefined;
  readonly citations: readonly Citation[];
  /** Items outside their validity window on the date, in case order by kind; absent when there is none. */
  readonly notInForce?: readonly NotInForceItem[];
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

/** Up to `n` items, then "and k more". */
function listSome(items: readonly string[], n = 5): string {
  return items.length <= n ? items.join(', ') : `${items.slice(0, n).join(', ')} and ${items.length - n} more`;
}

/** The subjects with no record whose default the case supplies: "no record for Masood Azhar". */
function noRecordPhrase(b: BenchmarkResult, nameOf: (id: string) => string): string {
  const subjects = [...new Set(b.basis.defaults.filter((d) => d.state !== 'unknown').flatMap((d) => d.subjects))];
  return subjects.length === 0 ? '' : `: no record for ${subjects.map(nameOf).join(', ')}`;
}

/**
 * A benchmark named in the bottom line, with its status and what it rests on: "Senior
 * leaders imprisoned (not met, on the case's default: no record for Masood Azhar)".
 */
function describeBenchmark(b: BenchmarkResult, nameOf: (id: string) => string): string {
  const since = b.since === null ? '' : ` since ${b.since}`;
  const label = basisLabel(b.status, b.basis);
  const basis =
    b.basis.kind === 'missing'
      ? `: ${label.replace(/^unknown: /, '')}`
      : b.basis.kind === 'default'
        ? `, on the case's default${noRecordPhrase(b, nameOf)}`
        : `, ${label}`;
  const stale = b.flags.includes('stale')
    ? b.newest === null
      ? '; stale: no counted evidence'
      : `; stale: newest evidence ${b.newest}`
    : '';
  return `${b.title} (${STATUS_WORDS[b.status]}${since}${basis}${stale})`;
}

function notInForceOf(c: Case, a: Assessment): NotInForceItem[] {
  const out: NotInForceItem[] = [];
  const add = (kind: NotInForceKind, id: string, title: string, applicability: Applicability, detail: string) => {
    out.push({ kind, id, title, applicability, label: APPLICABILITY_LABEL[applicability], detail });
  };
  const validityOf = (items: readonly { id: string; validity?: Validity }[], id: string) =>
    items.find((x) => x.id === id)?.validity;
  for (const i of a.instruments) {
    if (i.decision !== 'not-applicable') continue;
    add('instrument', i.id, i.title, i.applicability, describeInapplicability(validityOf(c.instruments, i.id), i.applicability));
  }
  for (const b of a.benchmarks) {
    if (b.status !== 'not-applicable') continue;
    const v = validityOf(c.benchmarks, b.id);
    const ap = applicabilityAt(v, a.asOf);
    add('benchmark', b.id, b.title, ap, ap === 'in-force' ? b.basis.summary : describeInapplicability(v, ap));
  }
  for (const j of a.justifications) {
    if (j.verdict !== 'not-applicable') continue;
    const v = validityOf(c.justifications, j.id);
    const own = applicabilityAt(v, a.asOf);
    const inst = c.instruments.find((x) => x.id === j.instrument);
    const ofInstrument = applicabilityAt(inst?.validity, a.asOf);
    if (own !== 'in-force' || ofInstrument === 'in-force')
      add('justification', j.id, j.title, own, describeInapplicability(v, own));
    else {
      add(
        'justification',
        j.id,
        j.title,
        ofInstrument,
        `its instrument, ${inst?.title ?? j.instrument}, is ${describeInapplicability(inst?.validity, ofInstrument)}`,
      );
    }
  }
  for (const r of a.issueAreas) {
    if (r.convergence !== 'not-applicable') continue;
    const v = validityOf(c.issueAreas ?? [], r.id);
    const ap = applicabilityAt(v, a.asOf);
    add('issue-area', r.id, r.title, ap, describeInapplicability(v, ap));
  }
  return out;
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
  const nameOf = actorNames(c);

  // Items outside their validity window are left out of every count and board below.
  const instruments = assessment.instruments.filter((i) => i.decision !== 'not-applicable');
  const benchmarksInForce = assessment.benchmarks.filter((b) => b.status !== 'not-applicable');
  const justificationsInForce = assessment.justifications.filter((j) => j.verdict !== 'not-applicable');
  const areasInForce = assessment.issueAreas.filter((r) => r.convergence !== 'not-applicable');
  const notInForce = notInForceOf(c, assessment);

  const benchById = new Map(assessment.benchmarks.map((b) => [b.id, b]));
  const describeMissing = (id: string) => {
    const b = benchById.get(id);
    return b === undefined ? id : describeBenchmark(b, nameOf);
  };
  const unlocked = instruments.filter((i) => i.decision === 'unlocked' || i.decision === 'waived');
  const locked = instruments.filter((i) => i.decision === 'locked');
  const unknown = instruments.filter((i) => i.decision === 'unknown');
  const bottomLine: { text: string; cites: number[] }[] = [];
  const inForce = notInForce.some((x) => x.kind === 'instrument') ? ' in force' : '';
  bottomLine.push({
    text: `As of ${assessment.asOf}, ${unlocked.length} of ${inForce === '' ? '' : 'the '}${instruments.length} instruments${inForce} ${unlocked.length === 1 ? 'is' : 'are'} open: ${
      unlocked.map((i) => `${i.title}${i.decision === 'waived' ? ' (under a waiver)' : ''}`).join('; ') || 'none'
    }.`,
    cites: [],
  });
  if (locked.length > 0) {
    // One sentence for all locked instruments: each missing benchmark is named once.
    const missingIds = [...new Set(locked.flatMap((i) => i.missing))];
    const names = locked.map((i) => `${i.title}${i.amount !== null ? ` (${formatAmount(i.amount, i.currency)})` : ''}`);
    bottomLine.push({
      text: `Locked: ${names.join('; ')} — because ${missingIds.length === 1 ? 'this benchmark is' : 'these benchmarks are'} not met: ${missingIds.map(describeMissing).join('; ')}.`,
      cites: cite(missingIds.flatMap((id) => benchById.get(id)?.evidence ?? [])),
    });
  }
  for (const i of unknown) {
    bottomLine.push({
      text: `${i.title} cannot be decided yet: ${i.missing.map(describeMissing).join('; ') || 'no benchmark of its rule applies'}.`,
      cites: [],
    });
  }
  const latest = assessment.ledger.latestReported;
  if (latest !== null && daysBetween(latest, assessment.asOf) > 180) {
    bottomLine.push({
      text: `Caution: the newest evidence was reported on ${latest}, ${daysBetween(latest, assessment.asOf)} days before this brief's date; what holds after that rests on the absence of later reports.`,
      cites: [],
    });
  }
  const byInstrument = new Map<string, Assessment['justifications'][number][]>();
  for (const j of justificationsInForce) byInstrument.set(j.instrument, [...(byInstrument.get(j.instrument) ?? []), j]);
  for (const [inst, js] of byInstrument) {
    const failing = js.filter((j) => j.verdict === 'unconvincing');
    if (failing.length === 0) continue;
    const title = c.instruments.find((i) => i.id === inst)?.title ?? inst;
    bottomLine.push({
      text: `${failing.length === js.length ? `All ${js.length}` : `${failing.length} of ${js.length}`} stated justification${js.length === 1 ? '' : 's'} for ${title} ${failing.length === 1 ? 'is' : 'are'} unconvincing: ${failing.map((j) => j.title).join('; ')}.`,
      cites: cite(failing.flatMap((j) => j.evidence)),
    });
  }

  if (areasInForce.length > 0) {
    const parts: string[] = [];
    for (const [kind, verb] of [
      ['align', 'align on'],
      ['diverge', 'diverge on'],
      ['unknown', 'are unknown on'],
    ] as const) {
      const areas = areasInForce.filter((r) => r.convergence === kind);
      if (areas.length > 0) {
        parts.push(`${verb} ${areas.length} (${areas.map((r) => `${r.title}${r.contested ? ', contested' : ''}`).join('; ')})`);
      }
    }
    const n = areasInForce.length;
    const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
    bottomLine.push({ text: `Of ${n} issue area${n === 1 ? '' : 's'}, interests ${list}.`, cites: [] });
  }

  const gates: GateRow[] = instruments.map((i) => ({
    id: i.id,
    title: i.title,
    decision: i.decision,
    cells: [
      String(i.tier),
      i.amount === null ? '—' : formatAmount(i.amount, i.currency),
      i.decision.toUpperCase(),
      i.missing.length > 0 ? i.missing.join(', ') : i.waiver !== null ? `waiver ${i.waiver}` : '—',
      i.rule,
    ],
    cites: cite(i.missing.flatMap((id) => benchById.get(id)?.evidence ?? [])),
  }));
  const benchmarks: BenchmarkRow[] = benchmarksInForce.map((b) => {
    const items = b.evidence.map((id) => byId.get(id)).filter((e): e is Evidence => e !== undefined);
    const grades = items.map(bestGrade).sort();
    const bench = c.benchmarks.find((x) => x.id === b.id);
    const flags = flagsInWords(b, bench === undefined ? (c.stale ?? DEFAULT_STALE) : staleAfter(bench, c.stale));
    const basis: BasisView = {
      kind: b.basis.kind,
      label: basisLabel(b.status, b.basis),
      summary: b.basis.summary,
      defaults: defaultsText(b.basis.defaults, nameOf),
    };
    return {
      id: b.id,
      // Who set a benchmark, when it is not its source, is said with its title.
      title: b.author === null ? b.title : `${b.title} (set by ${b.author})`,
      status: b.status,
      since: b.since,
      basis,
      flags,
      cells: [
        b.status.toUpperCase(),
        basis.label,
        b.since ?? '—',
        flags.map((f) => f.text).join('; ') || '—',
        String(b.evidence.length),
        grades[0] ?? '—',
      ],
      cites: cite(b.evidence),
    };
  });
  const justifications: JustificationRow[] = justificationsInForce.map((j) => ({
    id: j.id,
    title: j.title,
    verdict: j.verdict,
    cells: [j.instrument, j.serves.join(', '), j.verdict.toUpperCase(), j.decision],
    cites: cite(j.evidence),
  }));

  let changes: { text: string; cites: number[] }[] | undefined;
  if (options.changes !== undefined) {
    const titleOf = titlesOf(c);
    changes = sortTransitions(options.changes.transitions).map((t) => ({
      text: describeTransition(t, titleOf),
      cites: cite(t.evidence),
    }));
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
    ...(notInForce.length === 0 ? {} : { notInForce }),
    ...(statusTimeline === undefined ? {} : { statusTimeline }),
    ...(relationship === undefined ? {} : { relationship }),
    indicatorSeries,
    ...(eventSeries.length === 0 ? {} : { eventSeries }),
    ...(matrix === undefined ? {} : { matrix }),
    ...(structural.length === 0 ? {} : { structural }),
    ...(issueAreas === undefined ? {} : { issueAreas }),
  };
}

/** Transitions in the order a reader follows them: by the day they took effect, then kind (as in TRANSITION_KINDS), then id. */
export function sortTransitions(transitions: readonly Transition[]): Transition[] {
  const rank = (t: Transition) => TRANSITION_KINDS.indexOf(t.kind);
  return [...transitions].sort((a, b) =>
    a.date !== b.date ? (a.date < b.date ? -1 : 1) : rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

type TitleOf = (t: Transition) => string;

function titlesOf(c: Case): TitleOf {
  const maps = {
    benchmark: new Map(c.benchmarks.map((x) => [x.id, x.title])),
    instrument: new Map(c.instruments.map((x) => [x.id, x.title])),
    justification: new Map(c.justifications.map((x) => [x.id, x.title])),
    'issue-area': new Map((c.issueAreas ?? []).map((x) => [x.id, x.title])),
  } as const;
  return (t) => {
    const kind = t.kind === 'flag' ? 'benchmark' : t.kind === 'action' || t.kind === 'departure' ? 'instrument' : t.kind;
    const title = maps[kind].get(t.id);
    return `${kind === 'issue-area' ? 'issue area' : kind} ${title === undefined ? t.id : `“${title}” (${t.id})`}`;
  };
}

/**
 * One change in words: the day it took effect, what changed, why then (the rule), the
 * evidence the rule does not already name, and, when it was seen only well after that
 * day (a late report, a correction), the step that first saw it.
 */
export function describeTransition(t: Transition, titleOf: TitleOf = (x) => `${x.kind} ${x.id}`): string {
  const change =
    t.kind === 'flag'
      ? t.to !== null
        ? `flagged ${t.to}`
        : `no longer flagged ${t.from ?? ''}`
      : `${stateWords(t.from)} → ${stateWords(t.to)}`;
  const unnamed = t.evidence.filter((id) => !t.rule.includes(id));
  const evidence = unnamed.length === 0 ? '' : ` Evidence: ${listSome(unnamed)}.`;
  const seen = daysBetween(t.date, t.asOf) > 31 ? ` First seen as of ${t.asOf}.` : '';
  return `${t.date}: ${titleOf(t)} ${change} — ${t.rule}.${evidence}${seen}`;
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
