/**
 * `assess(case, ledger, asOf)`: benchmark statuses, gate decisions, justification
 * verdicts and issue-area convergence as of a date, each with the evidence ids and the rule that produced it.
 *
 * Deterministic: the same case, ledger entries and dates give byte-identical output
 * (lists are ordered as in the case, ids sorted, no clock). The digest covers the engine
 * version, the case, the entries known as of the date (superseded ones included) and the
 * dates, so two assessments with one digest had the same inputs.
 */

import type { BenchmarkStatusKind } from './benchmark-stream.ts';
import { type BasisKind, type BenchmarkResult, explainBenchmark, isTrivialBar, statusKindOn } from './benchmarks.ts';
import type { Case, Gate, Instrument, InstrumentEffect, Justification } from './case-model.ts';
import { type AtClose, decisionsAtClose, type StatusesOn, standingActions } from './closed-windows.ts';
import type { CompiledCase } from './compile-case.ts';
import type { IsoDate } from './dates.ts';
import { digestOfEntries, type Sha256 } from './digest.ts';
import {
  addToStreams,
  advanceStreams,
  type BenchmarkStreams,
  belowBarOf,
  compiledCaseOf,
  createStreams,
  ENGINE_VERSION,
  IndicatorMatcher,
  indicatorInputs,
  meetsVerificationBar,
  StreamRouter,
} from './evaluation.ts';
import { asKnownOn, type Evidence, isKnown, resolveCited, resolveSupersession, type ViewOptions } from './evidence.ts';
import {
  decideAll,
  decideGate,
  effectHolds,
  type GateDecision,
  type InstrumentResult,
  ruleBenchmarks,
  ruleInForce,
} from './gates.ts';
import { type GroupSummary, summarizeGroups } from './groups.ts';
import { sharedPlanFor, TrackStore } from './indicator-tracks.ts';
import type { IndicatorInputs } from './indicators.ts';
import { type IssueAreaResult, judgeIssueArea } from './issue-areas.ts';
import { type EvidenceResolver, type JustificationResult, judgeJustification } from './justifications.ts';
import { byId } from './order.ts';
import { actualUseOf, departureBasisOf, departureOf, describeClosedDeparture, describeDeparture } from './principal-actions.ts';
import { gateSensitivity, justificationSensitivity } from './sensitivity.ts';
import { type SeriesCoverage, type SeriesInputs, seriesEvidence } from './series.ts';
import { type Blocker, blockerOf, unlockPathOf } from './unlock.ts';

export interface AssessOptions {
  /** Ledger time: consider only entries recorded on or before this day. */
  readonly recordedBy?: IsoDate;
  /** Points of the case's `series` indicators, by indicator id (absent: the input is missing). */
  readonly series?: SeriesInputs;
  /** Days each series is complete for; windowed values outside it are unknown. */
  readonly coverage?: SeriesCoverage;
  /** The SHA-256 for the input digest (the core's own by default; see `Sha256`). */
  readonly sha256?: Sha256;
  /**
   * False to skip the paths to unlock and the sensitivity searches (`unlock` and
   * `sensitivity` are then null): for callers that compare only statuses and decisions.
   */
  readonly analyses?: boolean;
}

export interface Assessment {
  readonly case: string;
  readonly asOf: IsoDate;
  readonly recordedBy: IsoDate | null;
  readonly digest: string;
  readonly engine: string;
  readonly ledger: {
    readonly known: number;
    readonly standing: number;
    readonly superseded: number;
    /** The newest report date among the known entries: statuses after it rest on the absence of later reports. */
    readonly latestReported: IsoDate | null;
  };
  readonly benchmarks: readonly BenchmarkResult[];
  /** How each benchmark group and block stands, in case order (empty when the case has none). */
  readonly groups: readonly GroupSummary[];
  readonly instruments: readonly InstrumentResult[];
  readonly justifications: readonly JustificationResult[];
  /** Convergence per issue area of the case, in case order (empty when it has none). */
  readonly issueAreas: readonly IssueAreaResult[];
}

/**
 * Evidence known as of the view, with supersession resolved. `known` holds the entries as
 * written (what digests and counts cover); `standing` and `resolve` give each entry with
 * only the sources out by the view's date (see `asKnownOn`).
 */
export interface LedgerView {
  readonly known: readonly Evidence[];
  readonly standing: readonly Evidence[];
  readonly resolve: EvidenceResolver;
}

export function viewLedger(ledger: readonly Evidence[], opts: ViewOptions): LedgerView {
  const known: Evidence[] = [];
  for (let i = 0; i < ledger.length; i++) if (isKnown(ledger[i] as Evidence, opts)) known.push(ledger[i] as Evidence);
  const { standing, supersededBy } = resolveSupersession(known);
  const byId = new Map<string, Evidence>();
  for (let i = 0; i < known.length; i++) {
    const e = known[i] as Evidence;
    byId.set(e.id, asKnownOn(e, opts.asOf));
  }
  for (let i = 0; i < standing.length; i++) standing[i] = byId.get((standing[i] as Evidence).id) as Evidence;
  return { known, standing, resolve: (id) => resolveCited(id, byId, supersededBy) };
}

export function assess(c: Case, ledger: readonly Evidence[], asOf: IsoDate, options: AssessOptions = {}): Assessment {
  const viewOpts: ViewOptions = options.recordedBy === undefined ? { asOf } : { asOf, recordedBy: options.recordedBy };
  const series = seriesEvidence(c, options.series, options.coverage);
  const ledgerView = viewLedger(ledger, viewOpts);
  const view = series.items.length === 0 ? ledgerView : viewLedger([...ledger, ...series.items], viewOpts);
  const evaluated = evaluateAt(c, view, asOf, indicatorInputs(c, series.inputs, asOf), options.analyses !== false);
  const ledgerSummary = {
    known: ledgerView.known.length,
    standing: ledgerView.standing.length,
    superseded: ledgerView.known.length - ledgerView.standing.length,
    latestReported: latestReportedOf(ledgerView.known),
  };
  // One assessment digests each entry once: texts already kept are used, none is added (see `digestOfEntries`).
  const digest = digestOfEntries(
    assessmentDigestHeader(c, asOf, options.recordedBy),
    [...view.known].sort(byId),
    options.sha256,
    false,
  );
  return assessmentRecord(c, asOf, options.recordedBy, ledgerSummary, digest, evaluated);
}

/**
 * What an assessment's digest covers besides the entries: the engine, the case and the
 * dates. The entries are every one known as of the date (series points included,
 * superseded ones too), sorted by id as a stable sort orders them.
 */
export function assessmentDigestHeader(c: Case, asOf: IsoDate, recordedBy: IsoDate | undefined): unknown {
  return { engine: ENGINE_VERSION, case: c, asOf, recordedBy: recordedBy ?? null };
}

function latestReportedOf(known: readonly Evidence[]): IsoDate | null {
  return known.reduce<IsoDate | null>((m, e) => (m === null || e.reported > m ? e.reported : m), null);
}

/**
 * The ledger counts of an assessment without building the view: what `viewLedger` gives
 * (`known`, `standing` and their difference, the newest report date), counted.
 */
export function summariseLedger(ledger: readonly Evidence[], opts: ViewOptions): Assessment['ledger'] {
  const known = ledger.filter((e) => isKnown(e, opts));
  const superseded = new Set<string>();
  let latestReported: IsoDate | null = null;
  for (let i = 0; i < known.length; i++) {
    const e = known[i] as Evidence;
    if (e.supersedes !== undefined) superseded.add(e.supersedes);
    if (latestReported === null || e.reported > latestReported) latestReported = e.reported;
  }
  let standing = 0;
  for (let i = 0; i < known.length; i++) {
    const e = known[i] as Evidence;
    if (!superseded.has(e.id) && e.retracted !== true) standing += 1;
  }
  return { known: known.length, standing, superseded: known.length - standing, latestReported };
}

/**
 * The assessment around explained results: the header, the digest (see
 * `assessmentDigestHeader`) and the ledger counts (ledger entries only). Shared by
 * `assess` and by `history` with `withAssessment`, so both give the same record, key
 * order included.
 */
export function assessmentRecord(
  c: Case,
  asOf: IsoDate,
  recordedBy: IsoDate | undefined,
  ledger: Assessment['ledger'],
  digest: string,
  explained: Pick<Assessment, 'benchmarks' | 'groups' | 'instruments' | 'justifications' | 'issueAreas'>,
): Assessment {
  return {
    case: c.id,
    asOf,
    recordedBy: recordedBy ?? null,
    digest,
    engine: ENGINE_VERSION,
    ledger,
    ...explained,
  };
}

/** Everything but the digest: the per-step work a naive history would repeat. */
export function evaluateAt(
  c: Case,
  view: LedgerView,
  asOf: IsoDate,
  inputs: IndicatorInputs = new Map(),
  analyses = true,
): Pick<Assessment, 'benchmarks' | 'groups' | 'instruments' | 'justifications' | 'issueAreas'> {
  const streams = streamsOver(compiledCaseOf(c), view.standing, inputs, asOf);
  for (const s of streams) advanceStreams(s, asOf);
  return explainStreams(c, streams, view.resolve, asOf, standingActions(c, view.standing, asOf), analyses);
}

/** Statuses on a past day from streams advanced to a later one (see `statusKindOn`). */
export function statusesOnFrom(streams: readonly BenchmarkStreams[]): StatusesOn {
  let byId: Map<string, BenchmarkStreams> | undefined;
  return (day, benchmarks) => {
    byId ??= new Map(streams.map((s) => [s.compiled.benchmark.id, s]));
    const out = new Map<string, BenchmarkStatusKind>();
    for (const id of benchmarks) {
      const s = byId.get(id);
      if (s !== undefined) out.set(id, statusKindOn(s.compiled, s.verified, s.all, day));
    }
    return out;
  };
}

/**
 * The explained results from streams that hold the standing entries and have been
 * advanced to `asOf`: what `assess` reports, and what `history` reports at its last step
 * when asked (`withAssessment`), so both explain one evaluation the same way. Entries
 * below a benchmark's bar are listed in id order, whatever order they were added in.
 * `actions` are the standing actions as `standingActions` gives them (for a closed
 * instrument, the latest by its close).
 */
export function explainStreams(
  c: Case,
  streams: readonly BenchmarkStreams[],
  resolve: EvidenceResolver,
  asOf: IsoDate,
  actions: ReadonlyMap<string, Evidence> = new Map(),
  analyses = true,
): Pick<Assessment, 'benchmarks' | 'groups' | 'instruments' | 'justifications' | 'issueAreas'> {
  const benchmarks = streams.map((s) => explainBenchmark(s.compiled, s.verified, s.all, belowBarOf(s), asOf, c.stale));
  const statuses = new Map<string, BenchmarkStatusKind>(benchmarks.map((b) => [b.id, b.status]));
  const evidenceOf = new Map(benchmarks.map((b) => [b.id, b.evidence]));
  const byId = new Map(benchmarks.map((b, i) => [b.id, { result: b, stream: (streams[i] as BenchmarkStreams).verified }]));
  const blockers = new Map<string, Blocker>();
  const blockerFor = (id: string): Blocker => {
    let b = blockers.get(id);
    if (b === undefined) {
      const at = byId.get(id);
      if (at === undefined) throw new Error(`gate names unknown benchmark ${id}`);
      b = blockerOf(at.stream, at.result, c, asOf);
      blockers.set(id, b);
    }
    return b;
  };
  const streamsById = new Map(streams.map((s) => [s.compiled.benchmark.id, s]));
  const ctx = {
    case: c,
    statuses,
    streamsOf: (id: string) => streamsById.get(id),
    resolve,
    asOf,
    trials: new Map(),
    readersOf: readersOf(compiledCaseOf(c)),
  };
  const basisOf = new Map(benchmarks.map((b) => [b.id, b.basis.kind]));
  // A benchmark's basis on a past day (a closed window's departure): a replica of its streams advanced to that day only.
  const basisOn = (id: string, day: IsoDate): BasisKind | undefined => {
    const s = streamsById.get(id);
    if (s === undefined) return undefined;
    const verified = s.verified.replica();
    const all = s.all === undefined ? undefined : s.all === s.verified ? verified : s.all.replica();
    verified.advance(day);
    if (all !== undefined && all !== verified) all.advance(day);
    return explainBenchmark(s.compiled, verified, all, [], day, c.stale).basis.kind;
  };
  const decided = decideInstruments(
    c,
    statuses,
    asOf,
    (id) => evidenceOf.get(id) ?? [],
    actions,
    analyses ? blockerFor : undefined,
    (id) => basisOf.get(id),
    decisionsAtClose(c, asOf, actions, statusesOnFrom(streams)),
    basisOn,
  );
  const instruments = !analyses
    ? decided
    : decided.map((r) => {
        const inst = c.instruments.find((i) => i.id === r.id) as Instrument;
        const gate = c.gates.find((g) => g.instrument === r.id);
        return { ...r, sensitivity: gateSensitivity(inst, gate, c.waivers, r.decision, r.evidence, ctx) };
      });
  const { interests } = compiledCaseOf(c);
  const judged = judgeAll(c, resolve, asOf, statuses);
  const justifications = !analyses
    ? judged
    : judged.map((r, i) => {
        const j = c.justifications[i] as Justification;
        const inst = c.instruments.find((x) => x.id === j.instrument) as Instrument;
        return {
          ...r,
          sensitivity: justificationSensitivity(j, inst, interests, resolve, asOf, r, (e) => effectHolds(e, statuses)),
        };
      });
  const issueAreas = judgeIssueAreas(c, resolve, asOf);
  const groups = summarizeGroups(c, (id) => statuses.get(id));
  return { benchmarks, groups, instruments, justifications, issueAreas };
}

/**
 * The benchmarks with an indicator that reads an item (a stream can hold an item only if
 * one of its indicators reads it; which do depends on no source, so not on the version of
 * an entry read): matched on first use, each item once.
 */
function readersOf(compiled: CompiledCase): (e: Evidence) => ReadonlySet<string> {
  let matcher: IndicatorMatcher | undefined;
  const byIndicator = new Map<string, string[]>();
  const memo = new Map<Evidence, ReadonlySet<string>>();
  return (e) => {
    let readers = memo.get(e);
    if (readers === undefined) {
      if (matcher === undefined) {
        matcher = new IndicatorMatcher(compiled);
        for (const cb of compiled.benchmarks.values()) {
          for (const ci of cb.indicators) {
            const list = byIndicator.get(ci.indicator.id);
            if (list === undefined) byIndicator.set(ci.indicator.id, [cb.benchmark.id]);
            else list.push(cb.benchmark.id);
          }
        }
      }
      const out = new Set<string>();
      for (const id of matcher.matching(e)) for (const b of byIndicator.get(id) ?? []) out.add(b);
      readers = out;
      memo.set(e, readers);
    }
    return readers;
  };
}

/**
 * Fresh streams for every benchmark, fed the given standing entries (not yet advanced).
 * With `through`, the streams may be advanced to that day only, and the case's indicators
 * read by many benchmarks are evaluated once for all of them (see indicator-tracks.ts);
 * `share: false` keeps every indicator in every stream, and both streams of every
 * benchmark (the reference the shared evaluation is tested against).
 */
export function streamsOver(
  compiled: CompiledCase,
  standing: readonly Evidence[],
  inputs: IndicatorInputs,
  through?: IsoDate,
  share = true,
): BenchmarkStreams[] {
  const matcher = new IndicatorMatcher(compiled);
  const matched = standing.map((e) => matcher.matching(e));
  let store: TrackStore | undefined;
  if (through !== undefined && share) {
    // The items of the case's own indicators (a benchmark's findings are never shared).
    const itemsOf = new Map<string, Evidence[]>(compiled.case.indicators.map((ind) => [ind.id, []]));
    for (let i = 0; i < standing.length; i++) {
      const ids = matched[i] as readonly string[];
      for (let k = 0; k < ids.length; k++) itemsOf.get(ids[k] as string)?.push(standing[i] as Evidence);
    }
    store = new TrackStore(compiled, itemsOf, inputs, through, meetsVerificationBar);
  }
  const streams: BenchmarkStreams[] = [...compiled.benchmarks.values()].map((cb) => {
    const plan = store === undefined ? undefined : sharedPlanFor(cb, store, !isTrivialBar(cb.benchmark.verification));
    return createStreams(cb, [], inputs, plan);
  });
  const router = new StreamRouter(streams);
  for (let i = 0; i < standing.length; i++) {
    const e = standing[i] as Evidence;
    for (const { s, targets } of router.routes(matched[i] as readonly string[])) addToStreams(s, e, targets);
  }
  if (through === undefined || !share) return streams;
  // Evaluated once, on one day: when no item the benchmark reads falls below its bar, the
  // all-items stream holds what the verified one holds, and the verified one serves as both.
  return streams.map((s) =>
    s.all !== undefined && s.belowBar.length === 0 && (s.shared === undefined || s.shared.belowBar().length === 0)
      ? { ...s, all: s.verified }
      : s,
  );
}

/**
 * Each instrument's gate decision beside what the principal did (`actions`, as
 * `standingActions` gives them), with the departure. For an instrument whose window has
 * closed, `atClose` holds its gate on the close day (see closed-windows.ts): its decision
 * stays `not-applicable`, and a departure at the close is claimed from that gate and the
 * action by the close; `basisOn` gives a benchmark's basis on that day.
 */
export function decideInstruments(
  c: Case,
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  asOf: IsoDate,
  evidenceOf: (benchmark: string) => readonly string[] = () => [],
  actions: ReadonlyMap<string, Evidence> = new Map(),
  blockerFor?: (benchmark: string) => Blocker,
  basisOf: (benchmark: string) => BasisKind | undefined = () => undefined,
  atClose: ReadonlyMap<string, AtClose> = new Map(),
  basisOn: (benchmark: string, day: IsoDate) => BasisKind | undefined = () => undefined,
): InstrumentResult[] {
  // Decided first, each after the instruments its gate reads, so a rule can read their decisions.
  const decided = decideAll(c, statuses, asOf);
  return c.instruments.map((inst) => {
    const g = c.gates.find((x) => x.instrument === inst.id);
    const gate = decideGate(inst, g, c.waivers, statuses, asOf, evidenceOf, decided);
    // A sanction has no path to unlock: its reasons say what lifting it needs.
    const unlock =
      blockerFor === undefined || inst.kind === 'sanction'
        ? null
        : unlockPathOf(
            inst,
            g,
            ruleInForce(inst, g, statuses, asOf, decided),
            gate.decision,
            c.waivers,
            statuses,
            blockerFor,
            asOf,
          );
    const actual = actualUseOf(actions.get(inst.id));
    const closed = gate.decision === 'not-applicable' ? atClose.get(inst.id) : undefined;
    const departure = departureOf(closed?.decision ?? gate.decision, actual);
    // The gate the departure is judged against: today's, or the one on the close day.
    const judged: JudgedGate =
      closed === undefined || departure === null
        ? { decision: gate.decision, missing: gate.missing, statuses, day: asOf, decided, basisOf }
        : {
            decision: closed.decision,
            missing: decideGate(inst, g, c.waivers, closed.statuses, closed.day, evidenceOf, closed.decisions).missing,
            statuses: closed.statuses,
            day: closed.day,
            decided: closed.decisions,
            basisOf: (id) => basisOn(id, closed.day),
          };
    const deciding = departure === null ? [] : decidingBenchmarks(inst, g, judged);
    const departureBasis = departureBasisOf(departure, deciding, judged.basisOf);
    const onDefault =
      departureBasis === 'default'
        ? [
            inst.kind === 'sanction'
              ? `the departure rests on the case's defaults only: no record decides ${deciding.join(', ')}`
              : `the departure rests on the case's defaults only: ${deciding.join(', ')} ${deciding.length === 1 ? 'is' : 'are'} ${departure === 'acted-while-locked' ? 'not met' : 'met'} because no record says otherwise`,
          ]
        : [];
    const departureReasons =
      departure === null || actual === null
        ? []
        : closed === undefined
          ? [`departure: ${describeDeparture(departure, actual)}`, ...onDefault]
          : [
              `at the close (${closed.day}) the gate was ${closed.decision}`,
              describeClosedDeparture(departure, actual, closed.day),
              ...onDefault,
            ];
    const reasons =
      actual === null
        ? [...gate.reasons, 'what the principal did: nothing recorded']
        : [
            ...gate.reasons,
            `what the principal did: ${actual.state} on ${actual.since} (${actual.evidence.join(', ')})`,
            ...departureReasons,
          ];
    return { ...gate, reasons, actual, departure, departureBasis, unlock, sensitivity: null };
  });
}

/** The gate a departure is judged against, on its day. */
interface JudgedGate {
  readonly decision: GateDecision;
  readonly missing: readonly string[];
  readonly statuses: ReadonlyMap<string, BenchmarkStatusKind>;
  readonly day: IsoDate;
  readonly decided: ReadonlyMap<string, GateDecision>;
  readonly basisOf: (benchmark: string) => BasisKind | undefined;
}

/**
 * The benchmarks that decide the gate a departure is judged against: for a lock, the
 * missing ones known not met; for an unlock, the rule's met ones. For a sanction, the
 * benchmarks of its trigger and lift rules known either way.
 */
function decidingBenchmarks(inst: Instrument, g: Gate | undefined, j: JudgedGate): readonly string[] {
  const { statuses } = j;
  const inForce = () => ruleBenchmarks(ruleInForce(inst, g, statuses, j.day, j.decided));
  if (inst.kind === 'sanction') {
    const ids = [...inForce(), ...(g?.lift === undefined ? [] : ruleBenchmarks(g.lift))];
    return ids.filter((id) => statuses.get(id) !== 'unknown' && statuses.get(id) !== 'not-applicable');
  }
  return j.decision === 'locked'
    ? j.missing.filter((id) => statuses.get(id) !== 'unknown')
    : inForce().filter((id) => statuses.get(id) === 'met');
}

/** Every justification judged on the day; `statuses` decide the conditions of conditioned effects (unknown without them). */
export function judgeAll(
  c: Case,
  resolve: EvidenceResolver,
  asOf: IsoDate,
  statuses?: ReadonlyMap<string, BenchmarkStatusKind>,
): JustificationResult[] {
  const compiled = compiledCaseOf(c);
  const holds = statuses === undefined ? undefined : (e: InstrumentEffect) => effectHolds(e, statuses);
  return c.justifications.map((j) => {
    const inst = c.instruments.find((i) => i.id === j.instrument);
    if (inst === undefined) throw new Error(`justification ${j.id} names unknown instrument ${j.instrument}`);
    return judgeJustification(j, inst, compiled.interests, resolve, asOf, holds);
  });
}

export function judgeIssueAreas(c: Case, resolve: EvidenceResolver, asOf: IsoDate): IssueAreaResult[] {
  const { interests } = compiledCaseOf(c);
  return (c.issueAreas ?? []).map((area) => judgeIssueArea(area, interests, resolve, asOf));
}
