/**
 * `history(case, ledger, from, to, step)`: statuses and decisions at each step, and the
 * transitions between steps.
 *
 * At each step date t the answer equals `assess(case, ledger, t)` (the property tests
 * check this against `historyByReassessment`, the naive reference). It is computed in one
 * sweep: entries enter when they become known (the later of reported and occurred), each
 * benchmark's streams advance from step to step, and an entry that takes effect before
 * days already evaluated rolls only that benchmark back to the last snapshot before it.
 * Snapshots are kept at the step dates (and monthly before the first step, as far back
 * as entries known later take effect), and dropped once no entry still to come can take
 * effect before them. With `withAssessment`, the history's and the assessment's input
 * digests come from one pass over the entries.
 */

import {
  type Assessment,
  assessmentDigestHeader,
  assessmentRecord,
  explainStreams,
  judgeAll,
  judgeIssueAreas,
  statusesOnFrom,
  streamsOver,
  summariseLedger,
  viewLedger,
} from './assess.ts';
import { type BenchmarkFlag, type BenchmarkStatusKind, dayKey } from './benchmark-stream.ts';
import { type BenchmarkPoint, pointOf, type StepSegments, segmentsOf, staleAfter } from './benchmarks.ts';
import type { Benchmark, Case } from './case-model.ts';
import { decisionsAtClose, type StatusesOn, standingActions } from './closed-windows.ts';
import { type Coverage, monitoringCoverage, monitoringKnownDays } from './coverage.ts';
import { type Duration, type IsoDate, maxDate, minDate, type Step, stepDates, subtractDuration } from './dates.ts';
import { digestOfEntries, digestsOfEntriesAndSubset, type Sha256 } from './digest.ts';
import {
  addToStreams,
  advanceStreams,
  type BenchmarkStreams,
  compiledCaseOf,
  createStreams,
  ENGINE_VERSION,
  forgetSnapshotsBefore,
  IndicatorMatcher,
  indicatorInputs,
  removeFromStreams,
  replaceOutOfStreams,
  StreamRouter,
} from './evaluation.ts';
import {
  type ActionKind,
  asKnownOn,
  type Evidence,
  isKnown,
  laterSourceDays,
  resolveCited,
  resolveSupersession,
} from './evidence.ts';
import { decideAll, type GateDecision } from './gates.ts';
import type { Convergence } from './issue-areas.ts';
import type { EvidenceResolver, Verdict } from './justifications.ts';
import { byId, compareText, partitionPoint } from './order.ts';
import { actualUseOf, type Departure, departureOf } from './principal-actions.ts';
import { type SeriesCoverage, type SeriesInputs, seriesEvidence } from './series.ts';
import { diffStates, type KnownEvidence, knownOn, type StepState, type Transition } from './transitions.ts';
import { applicabilityAt } from './validity.ts';

export { TRANSITION_KINDS, type Transition, type TransitionKind } from './transitions.ts';

export interface HistoryPoint {
  readonly asOf: IsoDate;
  readonly benchmarks: Readonly<Record<string, BenchmarkStatusKind>>;
  readonly instruments: Readonly<Record<string, GateDecision>>;
  readonly justifications: Readonly<Record<string, Verdict>>;
  readonly issueAreas: Readonly<Record<string, Convergence>>;
  readonly flags: Readonly<Record<string, readonly BenchmarkFlag[]>>;
  /**
   * Per instrument the principal acted on: its latest action as known then (for an
   * instrument whose window had closed, the latest by its close; see closed-windows.ts).
   */
  readonly actions: Readonly<Record<string, ActionKind>>;
  /**
   * Per instrument whose use departs from what its gate warrants: the departure (for an
   * instrument whose window had closed, the departure at its close).
   */
  readonly departures: Readonly<Record<string, Departure>>;
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
  /** The SHA-256 for the input digests (the core's own by default; see `Sha256`). */
  readonly sha256?: Sha256;
  /**
   * With a coarser `step`: from this day on, step monthly (from this day, on its monthly
   * grid), so one sweep gives a long, coarse timeline and the monthly steps after a date.
   * Points before it keep the coarse step; every transition is dated on its own day either way.
   */
  readonly monthlyFrom?: IsoDate;
}

/** The step dates of a history: `step` from `from`, monthly from `monthlyFrom` when given and inside the span. */
export function historySteps(from: IsoDate, to: IsoDate, step: Step, monthlyFrom?: IsoDate): IsoDate[] {
  if (step === 'month' || monthlyFrom === undefined || monthlyFrom < from || monthlyFrom > to) return stepDates(from, to, step);
  return [...stepDates(from, monthlyFrom, step).filter((d) => d < monthlyFrom), ...stepDates(monthlyFrom, to, 'month')];
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
  const steps = historySteps(from, to, step, options.monthlyFrom);
  const compiled = compiledCaseOf(c);
  const matcher = new IndicatorMatcher(compiled);
  const series = seriesEvidence(c, options.series, options.coverage);
  const all = series.items.length === 0 ? ledger : [...ledger, ...series.items];
  const { recordedBy } = options;
  const recorded = recordedBy === undefined ? all : all.filter((e) => e.recorded <= recordedBy);
  const recordedById = [...recorded].sort(byId);
  // Entries whose sources come out over time enter with the sources out by the day they
  // become known, and are replaced by themselves with more on each later source's day.
  const { queue, knownOnOf, upgrades, upgraded } = inOrderKnown(recordedById);
  // `queue` is in the order entries become known: those known by the first step come first.
  let late = knownOnOf.length;
  while (late > 0 && (knownOnOf[late - 1] as IsoDate) > (steps[0] as IsoDate)) late -= 1;
  const horizons = rollBackHorizons(queue, late, recordedById);
  const restorePoints = restoreDays(steps, horizons[0]);
  // Monitoring claims known at the first step; those that become known later are added
  // to the same coverage objects as the sweep reaches them (rolling back what they change).
  const inputs = indicatorInputs(c, series.inputs, steps[0] as IsoDate);
  const claimDays = monitoringKnownDays(c);
  let claimsSeen = claimDays.filter((d) => d <= (steps[0] as IsoDate)).length;
  const streams: BenchmarkStreams[] = [...compiled.benchmarks.values()].map((cb) => createStreams(cb, restorePoints, inputs));
  const router = new StreamRouter(streams);
  const context = stepContext(c);

  // Only entries that another supersedes are ever withdrawn: of the standing entries, just
  // those are tracked by id (ledger ids are unique, so an id names one entry).
  const supersededIds = new Set<string>();
  for (let i = 0; i < recorded.length; i++) {
    const target = (recorded[i] as Evidence).supersedes;
    if (target !== undefined) supersededIds.add(target);
  }
  const standingSuperseded = new Map<string, Evidence>();
  const supersededBy = new Map<string, string>();
  /** The principal's standing actions (entries with `action`), by id. */
  const actionItems = new Map<string, Evidence>();
  /** The version in the streams of each standing entry that gains sources later, by id. */
  const gaining = new Map<string, Evidence>();
  const withdraw = (id: string) => {
    actionItems.delete(id);
    gaining.delete(id);
    const e = standingSuperseded.get(id);
    if (e === undefined) return;
    standingSuperseded.delete(id);
    for (const { s } of router.routes(matcher.matching(e))) removeFromStreams(s, e);
  };
  /** A standing entry gains sources: its version with them replaces the one in the streams. */
  const upgrade = (next: Evidence) => {
    const current = gaining.get(next.id);
    if (current === undefined) return;
    gaining.set(next.id, next);
    if (standingSuperseded.has(next.id)) standingSuperseded.set(next.id, next);
    if (actionItems.has(next.id)) actionItems.set(next.id, next);
    for (const { s } of router.routes(matcher.matching(current))) replaceOutOfStreams(s, current);
    for (const { s, targets } of router.routes(matcher.matching(next))) addToStreams(s, next, targets);
  };
  /** Entries of `queue` before `qi` are known. */
  let qi = 0;
  // The known entries by id, for citations: indexed only when a justification or issue
  // area asks, so a case without them pays nothing.
  const known = new Map<string, Evidence>();
  let indexed = 0;
  const resolve: EvidenceResolver = (id) => {
    for (; indexed < qi; indexed++) {
      const e = queue[indexed] as Evidence;
      known.set(e.id, e);
    }
    return resolveCited(id, known, supersededBy);
  };

  const points: HistoryPoint[] = [];
  const transitions: Transition[] = [];
  let previous: StepState | undefined;
  let previousT: IsoDate | undefined;
  for (const t of steps) {
    const qiBefore = qi;
    while (qi < queue.length && (knownOnOf[qi] as IsoDate) <= t) {
      const e = queue[qi] as Evidence;
      qi += 1;
      if (upgrades.size > 0 && upgrades.has(e)) {
        upgrade(e);
        continue;
      }
      if (e.supersedes !== undefined) {
        supersededBy.set(e.supersedes, e.id);
        withdraw(e.supersedes);
      }
      if (supersededBy.has(e.id) || e.retracted === true) continue;
      if (supersededIds.size > 0 && supersededIds.has(e.id)) standingSuperseded.set(e.id, e);
      if (e.action !== undefined) actionItems.set(e.id, e);
      if (upgraded.size > 0 && upgraded.has(e.id)) gaining.set(e.id, e);
      for (const { s, targets } of router.routes(matcher.matching(e))) addToStreams(s, e, targets);
    }
    if (claimsSeen < claimDays.length && (claimDays[claimsSeen] as IsoDate) <= t) {
      while (claimsSeen < claimDays.length && (claimDays[claimsSeen] as IsoDate) <= t) claimsSeen += 1;
      applyMonitoringKnown(c, inputs, streams, t);
    }
    const bPoints = new Map<string, BenchmarkPoint>();
    const segments = new Map<string, StepSegments>();
    // Snapshots before the earliest day a later entry can roll back to are no longer needed.
    const horizon = horizons[qi - late];
    for (const s of streams) {
      advanceStreams(s, t);
      bPoints.set(s.compiled.benchmark.id, pointOf(s.verified, s.all, t, context.point(s.compiled.benchmark, t)));
      if (previousT !== undefined) segments.set(s.compiled.benchmark.id, segmentsOf(s.verified, s.all, previousT, t));
      forgetSnapshotsBefore(s, horizon);
    }
    const state = stepState(c, bPoints, segments, resolve, t, [...actionItems.values()], statusesOnFrom(streams));
    points.push(toPoint(t, state));
    if (previous !== undefined) {
      resolve(''); // indexes every entry known by t
      const arrived = queue.slice(qiBefore, qi);
      const newlyKnown = upgrades.size === 0 ? arrived : arrived.filter((e) => !upgrades.has(e));
      const knownNow: KnownEvidence = { byId: known, supersededBy, newlyKnown };
      transitions.push(...diffStates(c, previous, state, previousT, t, knownNow, context.stale));
    }
    previous = state;
    previousT = t;
  }
  const range = { from, to, step };
  if (options.withAssessment !== true) {
    const digest = digestOfEntries(historyDigestHeader(c, range, options), recordedById, options.sha256);
    return assembleHistory(c, range, options, digest, points, transitions);
  }
  // The streams stand at `to` (always the last step) over exactly the entries `assess` would see.
  const viewOpts = recordedBy === undefined ? { asOf: to } : { asOf: to, recordedBy };
  const explained = explainStreams(c, streams, resolve, to, standingActions(c, [...actionItems.values()], to));
  // The entries known at `to`, in the id order of `recordedById` (a filter keeps it), are
  // what the assessment's digest covers: both digests come from one pass.
  const digests = digestsOfEntriesAndSubset(
    historyDigestHeader(c, range, options),
    recordedById,
    assessmentDigestHeader(c, to, recordedBy),
    (e) => isKnown(e, viewOpts),
    options.sha256,
  );
  const result = assembleHistory(c, range, options, digests.all, points, transitions);
  const assessment = assessmentRecord(c, to, recordedBy, summariseLedger(ledger, viewOpts), digests.subset, explained);
  return { ...result, assessment };
}

/**
 * Entries in the order they become known (the later of reported and occurred), then by
 * id: given the entries stably sorted by id, a stable sort on the day alone. An entry
 * whose sources come out over time enters with the sources out by that day; its versions
 * with more sources (`upgrades`) follow on the days those come out.
 */
function inOrderKnown(byId: readonly Evidence[]): {
  queue: Evidence[];
  knownOnOf: IsoDate[];
  upgrades: Set<Evidence>;
  /** The ids of the entries that have upgrades. */
  upgraded: Set<string>;
} {
  const items: Evidence[] = [];
  const knownOn: IsoDate[] = [];
  const upgrades = new Set<Evidence>();
  const upgraded = new Set<string>();
  for (const e of byId) {
    const day = maxDate(e.reported, e.occurred);
    items.push(asKnownOn(e, day));
    knownOn.push(day);
  }
  for (const e of byId) {
    for (const day of laterSourceDays(e)) {
      const version = asKnownOn(e, day);
      upgrades.add(version);
      upgraded.add(e.id);
      items.push(version);
      knownOn.push(day);
    }
  }
  const order =
    packedOrder(knownOn) ??
    items
      .map((_, i) => i)
      .sort((a, b) => {
        const x = knownOn[a] as IsoDate;
        const y = knownOn[b] as IsoDate;
        return x < y ? -1 : x > y ? 1 : a - b;
      });
  return {
    queue: order.map((i) => items[i] as Evidence),
    knownOnOf: order.map((i) => knownOn[i] as IsoDate),
    upgrades,
    upgraded,
  };
}

/**
 * For the entries of `queue` (in the order they become known) from position `late` on,
 * and each position i from `late` to the end: the earliest day on which an entry at i or
 * later takes effect or withdraws an entry that did — how far back the streams can still
 * be rolled back once the entries before i are known (undefined: no more roll-backs).
 * An entry never takes effect before the end of its occurrence.
 */
function rollBackHorizons(queue: readonly Evidence[], late: number, byId: readonly Evidence[]): (IsoDate | undefined)[] {
  const horizons: (IsoDate | undefined)[] = new Array(queue.length - late + 1);
  let earliest: IsoDate | undefined;
  for (let i = queue.length - 1; i >= late; i--) {
    const e = queue[i] as Evidence;
    if (earliest === undefined || e.occurredTo < earliest) earliest = e.occurredTo;
    if (e.supersedes !== undefined) {
      // The entries it withdraws, found in `byId` (sorted by id).
      const withdrawn = e.supersedes;
      let at = partitionPoint(byId.length, (i) => (byId[i] as Evidence).id < withdrawn);
      for (; at < byId.length && (byId[at] as Evidence).id === e.supersedes; at++) {
        const target = byId[at] as Evidence;
        if (target.occurredTo < earliest) earliest = target.occurredTo;
      }
    }
    horizons[i - late] = earliest;
  }
  horizons[queue.length - late] = undefined;
  return horizons;
}

/**
 * The days the streams keep snapshots at, to roll back to when an entry becomes known
 * that takes effect before days already evaluated: the step dates and, when entries
 * known only after the first step take effect before it (`horizon`), monthly days before
 * the first step reaching past `horizon` — so that such an entry replays at most a month
 * more than it must, not everything since the start.
 */
function restoreDays(steps: readonly IsoDate[], horizon: IsoDate | undefined): IsoDate[] {
  const first = steps[0] as IsoDate;
  if (horizon === undefined || horizon >= first) return [...steps];
  const before: IsoDate[] = [];
  for (let months = 1; before.length === 0 || (before[before.length - 1] as IsoDate) >= horizon; months++) {
    before.push(subtractDuration(first, { years: 0, months, days: 0, text: `P${months}M` }));
  }
  return [...before.reverse(), ...steps];
}

/** Positions below this fit beside a day key in one exactly represented number. */
const POSITIONS = 2 ** 24;

/**
 * Positions sorted by day, then position, by sorting numbers (day key and position packed
 * into one) instead of comparing texts; undefined when a day is not `YYYY-MM-DD` (never,
 * for valid entries) or there are too many positions.
 */
function packedOrder(days: readonly IsoDate[]): number[] | undefined {
  if (days.length >= POSITIONS) return undefined;
  const packed = new Float64Array(days.length);
  for (let i = 0; i < days.length; i++) {
    const key = dayKey(days[i] as IsoDate);
    if (key < 0) return undefined;
    packed[i] = key * POSITIONS + i;
  }
  packed.sort();
  const order = new Array<number>(packed.length);
  for (let i = 0; i < packed.length; i++) order[i] = (packed[i] as number) % POSITIONS;
  return order;
}

interface StepRange {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly step: Step;
}

/** What a history's digest covers besides the recorded entries (sorted by id): the engine, the case, the range. */
function historyDigestHeader(c: Case, range: StepRange, options: HistoryOptions): unknown {
  return { engine: ENGINE_VERSION, case: c, ...range, recordedBy: options.recordedBy ?? null };
}

/** The history result, with the digest of its inputs. */
function assembleHistory(
  c: Case,
  range: StepRange,
  options: HistoryOptions,
  digest: string,
  points: readonly HistoryPoint[],
  transitions: readonly Transition[],
): History {
  return {
    case: c.id,
    ...range,
    recordedBy: options.recordedBy ?? null,
    digest,
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
  const context = stepContext(c);
  let previous: StepState | undefined;
  let previousT: IsoDate | undefined;
  let knownBefore = new Set<string>();
  for (const t of stepDates(from, to, step)) {
    const view = viewLedger(all, options.recordedBy === undefined ? { asOf: t } : { asOf: t, recordedBy: options.recordedBy });
    const streams = streamsOver(compiled, view.standing, indicatorInputs(c, series.inputs, t), t);
    const bPoints = new Map<string, BenchmarkPoint>();
    const segments = new Map<string, StepSegments>();
    for (const s of streams) {
      advanceStreams(s, t);
      bPoints.set(s.compiled.benchmark.id, pointOf(s.verified, s.all, t, context.point(s.compiled.benchmark, t)));
      if (previousT !== undefined) segments.set(s.compiled.benchmark.id, segmentsOf(s.verified, s.all, previousT, t));
    }
    const state = stepState(
      c,
      bPoints,
      segments,
      view.resolve,
      t,
      view.standing.filter((e) => e.action !== undefined),
      statusesOnFrom(streams),
    );
    points.push(toPoint(t, state));
    const knownNow: KnownEvidence = {
      byId: new Map(view.known.map((e) => [e.id, asKnownOn(e, t)])),
      supersededBy: resolveSupersession(view.known).supersededBy,
      newlyKnown: view.known.filter((e) => !knownBefore.has(e.id)).sort(byKnownThenId),
    };
    transitions.push(...diffStates(c, previous, state, previousT, t, knownNow, context.stale));
    knownBefore = new Set(view.known.map((e) => e.id));
    previous = state;
    previousT = t;
  }
  const recordedById = all.filter((e) => options.recordedBy === undefined || e.recorded <= options.recordedBy).sort(byId);
  const range = { from, to, step };
  const digest = digestOfEntries(historyDigestHeader(c, range, options), recordedById, options.sha256);
  return assembleHistory(c, range, options, digest, points, transitions);
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
    issueAreas: Object.fromEntries(s.issueAreas),
    flags,
    actions: Object.fromEntries([...s.actual].flatMap(([id, a]) => (a === null ? [] : [[id, a.state]]))),
    departures: Object.fromEntries([...s.departures].flatMap(([id, d]) => (d === null ? [] : [[id, d]]))),
  };
}

/**
 * Gates, verdicts and convergence at a step, from the benchmark points and the evidence
 * known at it; `statusesOn` answers for past days (an instrument whose window had closed
 * is judged at its close, as `assess` judges it).
 */
function stepState(
  c: Case,
  bPoints: ReadonlyMap<string, BenchmarkPoint>,
  segments: ReadonlyMap<string, StepSegments>,
  resolve: EvidenceResolver,
  t: IsoDate,
  actions: readonly Evidence[],
  statusesOn: StatusesOn,
): StepState {
  const statuses = new Map([...bPoints].map(([id, p]) => [id, p.status]));
  const decided = decideAll(c, statuses, t);
  const instruments = new Map(c.instruments.map((inst) => [inst.id, decided.get(inst.id) as GateDecision]));
  const latest = standingActions(c, actions, t);
  const actual = new Map(c.instruments.map((inst) => [inst.id, actualUseOf(latest.get(inst.id))]));
  const atClose = decisionsAtClose(c, t, latest, statusesOn);
  const judged = (id: string): GateDecision => {
    const decision = instruments.get(id) as GateDecision;
    return decision === 'not-applicable' ? (atClose.get(id)?.decision ?? decision) : decision;
  };
  return {
    benchmarks: bPoints,
    segments,
    instruments,
    actual,
    actionItems: byInstrument(actions),
    closedDecisions: new Map([...atClose].map(([id, a]) => [id, a.decision])),
    departures: new Map(c.instruments.map((inst) => [inst.id, departureOf(judged(inst.id), actual.get(inst.id) ?? null)])),
    justifications: new Map(judgeAll(c, resolve, t, statuses).map((r) => [r.id, r.verdict])),
    issueAreas: new Map(judgeIssueAreas(c, resolve, t).map((r) => [r.id, r.convergence])),
  };
}

/** The standing actions per instrument, by (day, id). */
function byInstrument(actions: readonly Evidence[]): Map<string, Evidence[]> {
  const out = new Map<string, Evidence[]>();
  for (const e of actions) {
    if (e.action === undefined) continue;
    const list = out.get(e.action.instrument);
    if (list === undefined) out.set(e.action.instrument, [e]);
    else list.push(e);
  }
  for (const list of out.values()) {
    list.sort((a, b) => (a.occurredTo !== b.occurredTo ? (a.occurredTo < b.occurredTo ? -1 : 1) : a.id < b.id ? -1 : 1));
  }
  return out;
}

/** Per benchmark: its stale duration and whether it applies on a day. */
function stepContext(c: Case) {
  const staleById = new Map(c.benchmarks.map((b) => [b.id, staleAfter(b, c.stale)]));
  return {
    point: (b: Benchmark, t: IsoDate) => ({
      stale: staleById.get(b.id) as Duration,
      applicability: applicabilityAt(b.validity, t),
    }),
    stale: (id: string) => staleById.get(id) as Duration,
  };
}

/**
 * Monitoring claims known by `t` replace the coverage of the indicators they name; the
 * streams reading those indicators roll back to the first day a claim covers.
 */
function applyMonitoringKnown(
  c: Case,
  inputs: ReadonlyMap<string, { readonly coverage?: Coverage }>,
  streams: readonly BenchmarkStreams[],
  t: IsoDate,
): void {
  for (const [id, { ranges }] of monitoringCoverage(c, t)) {
    const coverage = inputs.get(id)?.coverage;
    if (coverage === undefined) continue;
    const before = coverage.ranges;
    coverage.replace(ranges);
    const changedFrom = firstDifference(before, coverage.ranges);
    if (changedFrom === undefined) continue;
    for (const s of streams) {
      if (!s.compiled.indicators.some((ci) => ci.indicator.id === id)) continue;
      s.verified.invalidateFrom(changedFrom);
      s.all?.invalidateFrom(changedFrom);
    }
  }
}

/** The first day covered by one of two sets of ranges and not the other, or undefined when they are equal. */
function firstDifference(
  a: readonly { readonly from: IsoDate; readonly to: IsoDate }[],
  b: readonly { readonly from: IsoDate; readonly to: IsoDate }[],
): IsoDate | undefined {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return y?.from;
    if (y === undefined) return x.from;
    if (x.from !== y.from) return minDate(x.from, y.from);
    if (x.to !== y.to) return minDate(x.to, y.to);
  }
  return undefined;
}

function byKnownThenId(a: Evidence, b: Evidence): number {
  const x = knownOn(a);
  const y = knownOn(b);
  return compareText(x, y) || byId(a, b);
}
