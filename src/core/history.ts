/**
 * `history(case, ledger, from, to, step)`: statuses and decisions at each step, and the
 * transitions between steps.
 *
 * At each step date t the answer equals `assess(case, ledger, t)` (the property tests
 * check this against `historyByReassessment`, the naive reference). It is computed in one
 * sweep: entries enter when they become known (the later of reported and occurred), each
 * benchmark's streams advance from step to step, and an entry that takes effect before
 * days already evaluated rolls only that benchmark back to the last step before it.
 */

import {
  type Assessment,
  assessmentRecord,
  decideInstruments,
  explainStreams,
  judgeAll,
  streamsOver,
  viewLedger,
} from './assess.ts';
import type { BenchmarkFlag, BenchmarkStatusKind } from './benchmark-stream.ts';
import { type BenchmarkPoint, pointOf } from './benchmarks.ts';
import type { Case } from './case-model.ts';
import { type IsoDate, maxDate, type Step, stepDates } from './dates.ts';
import { digestOfEntries } from './digest.ts';
import {
  addToStreams,
  advanceStreams,
  type BenchmarkStreams,
  compiledCaseOf,
  createStreams,
  ENGINE_VERSION,
  IndicatorMatcher,
  removeFromStreams,
  StreamRouter,
} from './evaluation.ts';
import { type Evidence, isKnown, resolveCited } from './evidence.ts';
import { type GateDecision, ruleBenchmarks } from './gates.ts';
import type { EvidenceResolver, Verdict } from './justifications.ts';
import { type SeriesCoverage, type SeriesInputs, seriesEvidence } from './series.ts';

export interface HistoryPoint {
  readonly asOf: IsoDate;
  readonly benchmarks: Readonly<Record<string, BenchmarkStatusKind>>;
  readonly instruments: Readonly<Record<string, GateDecision>>;
  readonly justifications: Readonly<Record<string, Verdict>>;
  readonly flags: Readonly<Record<string, readonly BenchmarkFlag[]>>;
}

export const TRANSITION_KINDS = ['benchmark', 'instrument', 'justification', 'flag'] as const;
export type TransitionKind = (typeof TRANSITION_KINDS)[number];

export interface Transition {
  /** The day the change took effect according to the evidence (a status's `since`), else the step date. */
  readonly date: IsoDate;
  /** The step at which the change was first seen. */
  readonly asOf: IsoDate;
  readonly kind: TransitionKind;
  readonly id: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly evidence: readonly string[];
}

export interface History {
  readonly case: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly step: Step;
  readonly recordedBy: IsoDate | null;
  readonly digest: string;
  readonly engine: string;
  readonly points: readonly HistoryPoint[];
  readonly transitions: readonly Transition[];
  /** Only with `withAssessment`: the full assessment as of `to`, equal to `assess(case, ledger, to, options)`. */
  readonly assessment?: Assessment;
}

export interface HistoryOptions {
  readonly recordedBy?: IsoDate;
  /** Points of the case's `series` indicators, by indicator id. */
  readonly series?: SeriesInputs;
  /** Days each series is complete for. */
  readonly coverage?: SeriesCoverage;
  /**
   * Also explain the last step in full: the result carries `assessment`, equal to
   * `assess(case, ledger, to, options)` digest included, from the same sweep (a brief
   * needs both and so evaluates the ledger once).
   */
  readonly withAssessment?: boolean;
}

interface StepState {
  readonly benchmarks: ReadonlyMap<string, BenchmarkPoint>;
  readonly instruments: ReadonlyMap<string, GateDecision>;
  readonly justifications: ReadonlyMap<string, Verdict>;
}

function sortById(a: Evidence, b: Evidence): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function history(
  c: Case,
  ledger: readonly Evidence[],
  from: IsoDate,
  to: IsoDate,
  step: Step,
  options: HistoryOptions & { readonly withAssessment: true },
): History & { readonly assessment: Assessment };
export function history(
  c: Case,
  ledger: readonly Evidence[],
  from: IsoDate,
  to: IsoDate,
  step: Step,
  options?: HistoryOptions,
): History;
export function history(
  c: Case,
  ledger: readonly Evidence[],
  from: IsoDate,
  to: IsoDate,
  step: Step,
  options: HistoryOptions = {},
): History {
  const steps = stepDates(from, to, step);
  const compiled = compiledCaseOf(c);
  const matcher = new IndicatorMatcher(compiled);
  const series = seriesEvidence(c, options.series, options.coverage);
  const recorded = [...ledger, ...series.items].filter(
    (e) => options.recordedBy === undefined || e.recorded <= options.recordedBy,
  );
  // Entries in the order they become known (then by id); each key computed once, not per comparison.
  const keyed = recorded.map((e) => ({ e, knownOn: maxDate(e.reported, e.occurred) }));
  keyed.sort((a, b) => (a.knownOn !== b.knownOn ? (a.knownOn < b.knownOn ? -1 : 1) : sortById(a.e, b.e)));
  const queue = keyed.map((k) => k.e);
  const knownOnOf = keyed.map((k) => k.knownOn);
  const streams: BenchmarkStreams[] = [...compiled.benchmarks.values()].map((cb) => createStreams(cb, steps, series.modes));
  const router = new StreamRouter(streams);

  const known = new Map<string, Evidence>();
  const supersededBy = new Map<string, string>();
  const standing = new Set<string>();
  const targetsCache = new Map<string, { s: BenchmarkStreams; targets: number[] }[]>();
  const routesOf = (e: Evidence) => {
    let r = targetsCache.get(e.id);
    if (r === undefined) {
      const matched = matcher.matching(e);
      r = matched.size > 0 ? router.routes(matched) : [];
      targetsCache.set(e.id, r);
    }
    return r;
  };
  const withdraw = (id: string) => {
    if (!standing.delete(id)) return;
    const e = known.get(id) as Evidence;
    for (const { s } of routesOf(e)) removeFromStreams(s, id);
  };
  const resolve: EvidenceResolver = (id) => resolveCited(id, known, supersededBy);

  const points: HistoryPoint[] = [];
  const transitions: Transition[] = [];
  let previous: StepState | undefined;
  let qi = 0;
  for (const t of steps) {
    while (qi < queue.length && (knownOnOf[qi] as IsoDate) <= t) {
      const e = queue[qi] as Evidence;
      qi += 1;
      known.set(e.id, e);
      if (e.supersedes !== undefined) {
        supersededBy.set(e.supersedes, e.id);
        withdraw(e.supersedes);
      }
      if (supersededBy.has(e.id) || e.retracted === true) continue;
      standing.add(e.id);
      for (const { s, targets } of routesOf(e)) addToStreams(s, e, targets);
    }
    const bPoints = new Map<string, BenchmarkPoint>();
    for (const s of streams) {
      advanceStreams(s, t);
      bPoints.set(s.compiled.benchmark.id, pointOf(s.verified, s.all, t));
    }
    const statuses = new Map([...bPoints].map(([id, p]) => [id, p.status]));
    const instruments = new Map(decideInstruments(c, statuses, t).map((r) => [r.id, r.decision]));
    const justifications = new Map(judgeAll(c, resolve).map((r) => [r.id, r.verdict]));
    const state: StepState = { benchmarks: bPoints, instruments, justifications };
    points.push(toPoint(t, state));
    transitions.push(...diffStates(c, previous, state, t));
    previous = state;
  }
  const result = assembleHistory(c, recorded, { from, to, step }, options, points, transitions);
  if (options.withAssessment !== true) return result;
  // The streams stand at `to` (always the last step) over exactly the entries `assess` would see.
  const viewOpts = options.recordedBy === undefined ? { asOf: to } : { asOf: to, recordedBy: options.recordedBy };
  const knownAtEnd = recorded.filter((e) => isKnown(e, viewOpts));
  const explained = explainStreams(c, streams, resolve, to);
  const assessment = assessmentRecord(c, to, options.recordedBy, viewLedger(ledger, viewOpts), knownAtEnd, explained);
  return { ...result, assessment };
}

/** The history result, with the digest of its inputs (the case, the recorded entries, the range). */
function assembleHistory(
  c: Case,
  recorded: readonly Evidence[],
  range: { readonly from: IsoDate; readonly to: IsoDate; readonly step: Step },
  options: HistoryOptions,
  points: readonly HistoryPoint[],
  transitions: readonly Transition[],
): History {
  const recordedBy = options.recordedBy ?? null;
  return {
    case: c.id,
    ...range,
    recordedBy,
    digest: digestOfEntries({ engine: ENGINE_VERSION, case: c, ...range, recordedBy }, [...recorded].sort(sortById)),
    engine: ENGINE_VERSION,
    points,
    transitions,
  };
}

/**
 * The naive reference: re-evaluates everything from scratch at every step. The same
 * output as `history`, digest included; used by tests as the specification and by the
 * benchmark as the baseline.
 */
export function historyByReassessment(
  c: Case,
  ledger: readonly Evidence[],
  from: IsoDate,
  to: IsoDate,
  step: Step,
  options: HistoryOptions = {},
): History {
  const compiled = compiledCaseOf(c);
  const series = seriesEvidence(c, options.series, options.coverage);
  const all = [...ledger, ...series.items];
  const points: HistoryPoint[] = [];
  const transitions: Transition[] = [];
  let previous: StepState | undefined;
  for (const t of stepDates(from, to, step)) {
    const view = viewLedger(all, options.recordedBy === undefined ? { asOf: t } : { asOf: t, recordedBy: options.recordedBy });
    const streams = streamsOver(compiled, view.standing, series.modes);
    const bPoints = new Map<string, BenchmarkPoint>();
    for (const s of streams) {
      advanceStreams(s, t);
      bPoints.set(s.compiled.benchmark.id, pointOf(s.verified, s.all, t));
    }
    const statuses = new Map([...bPoints].map(([id, p]) => [id, p.status]));
    const state: StepState = {
      benchmarks: bPoints,
      instruments: new Map(decideInstruments(c, statuses, t).map((r) => [r.id, r.decision])),
      justifications: new Map(judgeAll(c, view.resolve).map((r) => [r.id, r.verdict])),
    };
    points.push(toPoint(t, state));
    transitions.push(...diffStates(c, previous, state, t));
    previous = state;
  }
  const recorded = all.filter((e) => options.recordedBy === undefined || e.recorded <= options.recordedBy);
  return assembleHistory(c, recorded, { from, to, step }, options, points, transitions);
}

function toPoint(t: IsoDate, s: StepState): HistoryPoint {
  const benchmarks: Record<string, BenchmarkStatusKind> = {};
  const flags: Record<string, readonly BenchmarkFlag[]> = {};
  for (const [id, p] of s.benchmarks) {
    benchmarks[id] = p.status;
    if (p.flags.length > 0) flags[id] = p.flags;
  }
  return {
    asOf: t,
    benchmarks,
    instruments: Object.fromEntries(s.instruments),
    justifications: Object.fromEntries(s.justifications),
    flags,
  };
}

function diffStates(c: Case, prev: StepState | undefined, next: StepState, t: IsoDate): Transition[] {
  if (prev === undefined) return [];
  const out: Transition[] = [];
  const changedEvidence = new Map<string, readonly string[]>();
  for (const [id, p] of next.benchmarks) {
    const before = prev.benchmarks.get(id);
    if (before !== undefined && before.status !== p.status) {
      out.push({ date: p.since ?? t, asOf: t, kind: 'benchmark', id, from: before.status, to: p.status, evidence: p.evidence });
      changedEvidence.set(id, p.evidence);
    }
    const beforeFlags = new Set(before?.flags ?? []);
    for (const f of p.flags) {
      if (!beforeFlags.has(f)) out.push({ date: t, asOf: t, kind: 'flag', id, from: null, to: f, evidence: p.timed });
    }
    for (const f of beforeFlags) {
      if (!p.flags.includes(f)) out.push({ date: t, asOf: t, kind: 'flag', id, from: f, to: null, evidence: [] });
    }
  }
  for (const [id, d] of next.instruments) {
    const before = prev.instruments.get(id);
    if (before !== undefined && before !== d) {
      const gate = c.gates.find((g) => g.instrument === id);
      const ids = gate === undefined ? [] : ruleBenchmarks(gate.rule);
      const evidence = [...new Set(ids.flatMap((b) => changedEvidence.get(b) ?? []))].sort();
      out.push({ date: t, asOf: t, kind: 'instrument', id, from: before, to: d, evidence });
    }
  }
  for (const [id, v] of next.justifications) {
    const before = prev.justifications.get(id);
    if (before !== undefined && before !== v)
      out.push({ date: t, asOf: t, kind: 'justification', id, from: before, to: v, evidence: [] });
  }
  return out;
}
