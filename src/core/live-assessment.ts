/**
 * An assessment kept up to date as entries are appended to the ledger: the streams of
 * `assess`, built once over the ledger, then fed each new entry, routed only to the
 * benchmarks that read it. What a server needs to acknowledge a write and raise its alerts
 * without re-reading the ledger or re-assessing the case.
 *
 * Contracts:
 * - The date (`asOf`) and the case are fixed at construction; no `recordedBy` (a live view
 *   is of the whole ledger).
 * - After any sequence of `append`s, `assessment()` equals `assess(case, every entry given
 *   so far, asOf, options)`, digest and ledger counts included, and `outcome()` holds its
 *   benchmark statuses, gate decisions and departures (a property test checks both).
 * - `append` takes entries new to the ledger; an id already given is ignored (an entry
 *   appended again unchanged adds nothing). Entries not known by `asOf` (reported or
 *   begun after it) count for nothing, as in `assess`.
 * - A correction withdraws the entry it supersedes from the streams; a correction given
 *   before the entry it corrects (one batch may list them so) keeps that entry out.
 * - Each stream keeps snapshots (yearly, and monthly over the last two years before the
 *   date), so an entry dated in the past replays its benchmark from the snapshot before
 *   it, not from the start.
 * - Pure: no clock, no I/O.
 */
import type { AssessOptions } from './assess.ts';
import { type Assessment, assessmentDigestHeader, assessmentRecord, explainStreams, statusesOnFrom } from './assess.ts';
import type { BenchmarkStatusKind } from './benchmark-stream.ts';
import { statusKindOf } from './benchmarks.ts';
import type { Case } from './case-model.ts';
import { decisionsAtClose, standingActions } from './closed-windows.ts';
import { addDuration, type IsoDate, subtractDuration } from './dates.ts';
import { digestOfEntries } from './digest.ts';
import {
  addToStreams,
  advanceStreams,
  type BenchmarkStreams,
  compiledCaseOf,
  createStreams,
  IndicatorMatcher,
  indicatorInputs,
  removeFromStreams,
  StreamRouter,
} from './evaluation.ts';
import { asKnownOn, type Evidence, isKnown, resolveCited } from './evidence.ts';
import { decideAll, type GateDecision } from './gates.ts';
import type { EvidenceResolver } from './justifications.ts';
import { byId } from './order.ts';
import { actualUseOf, type Departure, departureOf } from './principal-actions.ts';
import { seriesEvidence } from './series.ts';

/** What alerts compare: each benchmark's status, each instrument's decision and departure, in case order. */
export interface AssessmentOutcome {
  readonly benchmarks: readonly { readonly id: string; readonly status: BenchmarkStatusKind }[];
  readonly instruments: readonly {
    readonly id: string;
    readonly decision: GateDecision;
    readonly departure: Departure | null;
  }[];
}

export type LiveOptions = Omit<AssessOptions, 'recordedBy'>;

export class LiveAssessment {
  readonly #case: Case;
  readonly #asOf: IsoDate;
  readonly #options: LiveOptions;
  readonly #matcher: IndicatorMatcher;
  readonly #router: StreamRouter;
  readonly #streams: readonly BenchmarkStreams[];
  /** Every id given so far (known by the date or not), to ignore repeats. */
  readonly #given = new Set<string>();
  /** The ledger entries known by the date, as written (what the digest and counts cover). */
  readonly #ledgerKnown: Evidence[] = [];
  /** Series points: evaluated with the ledger, digested with it, not counted as ledger entries. */
  readonly #seriesItems: readonly Evidence[];
  /** Every known entry (ledger and series), as known on the date (see `asKnownOn`), by id. */
  readonly #known = new Map<string, Evidence>();
  readonly #supersededBy = new Map<string, string>();
  /** The standing entries the streams hold, by id. */
  readonly #inStreams = new Map<string, Evidence>();
  /** The standing entries that record an act of the principal, by id. */
  readonly #actions = new Map<string, Evidence>();
  #advanced = false;
  #cachedOutcome: AssessmentOutcome | undefined;
  #cachedAssessment: Assessment | undefined;

  constructor(c: Case, ledger: readonly Evidence[], asOf: IsoDate, options: LiveOptions = {}) {
    this.#case = c;
    this.#asOf = asOf;
    this.#options = options;
    const compiled = compiledCaseOf(c);
    const series = seriesEvidence(c, options.series, options.coverage);
    const inputs = indicatorInputs(c, series.inputs, asOf);
    const boundaries = snapshotDays([...ledger, ...series.items], asOf);
    this.#streams = [...compiled.benchmarks.values()].map((cb) => createStreams(cb, boundaries, inputs));
    this.#router = new StreamRouter(this.#streams);
    this.#matcher = new IndicatorMatcher(compiled);
    this.#seriesItems = series.items.filter((e) => isKnown(e, { asOf }));
    // Series points first (their ids cannot clash with ledger ids), then the ledger.
    this.#add(this.#seriesItems, false);
    this.#add(ledger, true);
  }

  get asOf(): IsoDate {
    return this.#asOf;
  }

  /** Adds entries new to the ledger (see the contracts). */
  append(entries: readonly Evidence[]): void {
    this.#add(entries, true);
  }

  /** Benchmark statuses, gate decisions and departures on the date. */
  outcome(): AssessmentOutcome {
    if (this.#cachedOutcome !== undefined) return this.#cachedOutcome;
    this.#advance();
    const c = this.#case;
    const statuses = new Map<string, BenchmarkStatusKind>();
    const benchmarks = this.#streams.map((s) => {
      const status = statusKindOf(s.compiled, s.verified, s.all, this.#asOf);
      statuses.set(s.compiled.benchmark.id, status);
      return { id: s.compiled.benchmark.id, status };
    });
    const decided = decideAll(c, statuses, this.#asOf);
    const latest = standingActions(c, [...this.#actions.values()], this.#asOf);
    // A closed instrument is judged at its close (see closed-windows.ts).
    const atClose = decisionsAtClose(c, this.#asOf, latest, statusesOnFrom(this.#streams));
    const instruments = c.instruments.map((inst) => {
      const decision = decided.get(inst.id) as GateDecision;
      const judged = decision === 'not-applicable' ? (atClose.get(inst.id)?.decision ?? decision) : decision;
      return { id: inst.id, decision, departure: departureOf(judged, actualUseOf(latest.get(inst.id))) };
    });
    this.#cachedOutcome = { benchmarks, instruments };
    return this.#cachedOutcome;
  }

  /** The full assessment on the date, as `assess` gives it. */
  assessment(): Assessment {
    if (this.#cachedAssessment !== undefined) return this.#cachedAssessment;
    this.#advance();
    const c = this.#case;
    const resolve: EvidenceResolver = (id) => resolveCited(id, this.#known, this.#supersededBy);
    const explained = explainStreams(
      c,
      this.#streams,
      resolve,
      this.#asOf,
      standingActions(c, [...this.#actions.values()], this.#asOf),
      this.#options.analyses !== false,
    );
    const digested = [...this.#ledgerKnown, ...this.#seriesItems].sort(byId);
    const digest = digestOfEntries(assessmentDigestHeader(c, this.#asOf, undefined), digested, this.#options.sha256);
    this.#cachedAssessment = assessmentRecord(c, this.#asOf, undefined, this.#ledgerSummary(), digest, explained);
    return this.#cachedAssessment;
  }

  #ledgerSummary(): Assessment['ledger'] {
    let standing = 0;
    let latestReported: IsoDate | null = null;
    for (const e of this.#ledgerKnown) {
      if (!this.#supersededBy.has(e.id) && e.retracted !== true) standing += 1;
      if (latestReported === null || e.reported > latestReported) latestReported = e.reported;
    }
    return { known: this.#ledgerKnown.length, standing, superseded: this.#ledgerKnown.length - standing, latestReported };
  }

  #add(entries: readonly Evidence[], ledger: boolean): void {
    const asOf = this.#asOf;
    for (const e of entries) {
      if (this.#given.has(e.id)) continue;
      this.#given.add(e.id);
      if (!isKnown(e, { asOf })) continue;
      this.#cachedOutcome = undefined;
      this.#cachedAssessment = undefined;
      if (ledger) this.#ledgerKnown.push(e);
      const version = asKnownOn(e, asOf);
      this.#known.set(e.id, version);
      if (e.supersedes !== undefined) {
        this.#supersededBy.set(e.supersedes, e.id);
        this.#withdraw(e.supersedes);
      }
      if (this.#supersededBy.has(e.id) || e.retracted === true) continue;
      this.#inStreams.set(e.id, version);
      if (version.action !== undefined) this.#actions.set(e.id, version);
      for (const { s, targets } of this.#router.routes(this.#matcher.matching(version))) addToStreams(s, version, targets);
      this.#advanced = false;
    }
  }

  #withdraw(id: string): void {
    const e = this.#inStreams.get(id);
    if (e === undefined) return;
    this.#inStreams.delete(id);
    this.#actions.delete(id);
    for (const { s } of this.#router.routes(this.#matcher.matching(e))) removeFromStreams(s, e);
    this.#advanced = false;
  }

  #advance(): void {
    if (this.#advanced) return;
    for (const s of this.#streams) advanceStreams(s, this.#asOf);
    this.#advanced = true;
  }
}

/**
 * Days the streams keep snapshots at: January 1 of each year from the earliest entry's,
 * and the first of each month over the two years before `asOf` (where appended entries
 * mostly fall), all before `asOf`.
 */
function snapshotDays(entries: readonly Evidence[], asOf: IsoDate): IsoDate[] {
  let earliest: IsoDate = asOf;
  for (const e of entries) if (e.occurredTo < earliest) earliest = e.occurredTo;
  const days = new Set<IsoDate>();
  const firstYear = Math.max(Number(earliest.slice(0, 4)), 1);
  const lastYear = Number(asOf.slice(0, 4));
  for (let y = firstYear; y <= lastYear; y++) days.add(`${String(y).padStart(4, '0')}-01-01`);
  const recent = subtractDuration(`${asOf.slice(0, 7)}-01`, { years: 2, months: 0, days: 0, text: 'P2Y' });
  for (let d = recent; d < asOf; d = addDuration(d, { years: 0, months: 1, days: 0, text: 'P1M' })) days.add(d);
  return [...days].filter((d) => d < asOf && d >= earliest).sort();
}
