/**
 * One benchmark evaluated over a growing set of known evidence, in date order.
 *
 * Contract:
 * - `add`/`remove` change the set of known, standing items; `advance(t)` brings the
 *   evaluation up to day `t`; `statusAt(t)` then answers for day `t`. The answer depends
 *   only on the set of items and `t`, never on the order of calls: adding an item that
 *   takes effect before days already evaluated rolls the evaluation back to a snapshot
 *   taken before that day and replays (snapshots are taken at the `boundaries` given,
 *   the step dates of a history), so a history costs about one pass over the evidence
 *   instead of one pass per step.
 * - Condition semantics: the clauses are evaluated after every change of an indicator;
 *   the condition is false if any clause is false, unknown if none is false and any is
 *   unknown, true otherwise. A run is a maximal span of days with one condition value.
 * - Status on day t: condition true since s → `met` once t >= s + duration, else
 *   `pending`; false → `reversed` if the run began when an item of a reversal kind
 *   ended a true run, else `not-met`; unknown → `unknown`.
 * - Review rule: a non-reversal item taking effect within `window` before a review of the
 *   benchmark's calendar is timed to that review; with `countAfterReview` it takes effect
 *   on the review day instead, and not at all if a reversal item for one of its actors
 *   takes effect after it and on or before the review day.
 */
import type { ReviewDate } from './case-model.ts';
import type { CompiledBenchmark } from './compile-case.ts';
import { addDuration, type IsoDate, subtractDuration } from './dates.ts';
import type { Evidence } from './evidence.ts';
import type { CompiledCondition, IndicatorValue } from './expressions.ts';
import { compareByDateThenId, createIndicatorState, type IndicatorState, type PlacedEvidence } from './indicators.ts';
import type { InputModes } from './series.ts';

export const BENCHMARK_STATUSES = ['met', 'not-met', 'pending', 'reversed', 'unverified', 'unknown'] as const;
export type BenchmarkStatusKind = (typeof BENCHMARK_STATUSES)[number];

export const BENCHMARK_FLAGS = ['timed-to-review', 'contested'] as const;
export type BenchmarkFlag = (typeof BENCHMARK_FLAGS)[number];

interface Entry {
  readonly placed: PlacedEvidence;
  /** Indices of the benchmark's indicators that read the item. */
  readonly targets: readonly number[];
  /** Day the item would take effect without a review rule (the end of its occurrence). */
  readonly original: IsoDate;
  readonly deferred: boolean;
  readonly reversal: boolean;
}

interface Run {
  readonly value: boolean | undefined;
  /** First day of the run; undefined when it began before any evidence. */
  readonly start: IsoDate | undefined;
  /** Items applied, or leaving a window, on the day the run began: its cause. */
  readonly startItems: readonly PlacedEvidence[];
  readonly byReversal: boolean;
}

interface State {
  readonly indicators: IndicatorState[];
  run: Run;
  /** Last day whose events have been processed. */
  through: IsoDate | undefined;
  /** Index into the sorted entries of the next entry to process. */
  next: number;
  readonly lastReversal: Map<string, IsoDate>;
  /** Entries dropped because they were undone before their review. */
  dropped: Entry[];
}

export interface StreamStatus {
  readonly status: Exclude<BenchmarkStatusKind, 'unverified'>;
  readonly since: IsoDate | undefined;
  readonly run: Run;
  /** Timed items relevant to the current run (known by t). */
  readonly timed: readonly PlacedEvidence[];
  readonly dropped: readonly PlacedEvidence[];
}

const memo = new WeakMap<CompiledCondition, Map<string, boolean>>();

function evaluateClause(c: CompiledCondition, values: ReadonlyMap<string, IndicatorValue | undefined>): boolean | undefined {
  let key = '';
  for (const id of c.uses) {
    const v = values.get(id);
    if (v === undefined) return undefined;
    key += `${String(v)}|`;
  }
  let cache = memo.get(c);
  if (cache === undefined) {
    cache = new Map();
    memo.set(c, cache);
  }
  let r = cache.get(key);
  if (r === undefined) {
    r = c.evaluate(values as ReadonlyMap<string, IndicatorValue>);
    if (cache.size < 100_000) cache.set(key, r);
  }
  return r;
}

export function evaluateClauses(
  cb: CompiledBenchmark,
  values: ReadonlyMap<string, IndicatorValue | undefined>,
): (boolean | undefined)[] {
  return cb.conditions.map((c) => evaluateClause(c, values));
}

export function combineClauses(results: readonly (boolean | undefined)[]): boolean | undefined {
  if (results.some((r) => r === false)) return false;
  if (results.some((r) => r === undefined)) return undefined;
  return true;
}

export class BenchmarkStream {
  private entries: Entry[] = [];
  private timedEntries: Entry[] = [];
  private unsorted = false;
  private readonly ids = new Set<string>();
  private state: State;
  private snapshots: { date: IsoDate; state: State }[] = [];
  /** Whether any event was processed since the last snapshot was taken. */
  private changedSinceSnapshot = true;
  private readonly reversals: ReadonlySet<string>;

  constructor(
    readonly compiled: CompiledBenchmark,
    private readonly boundaries: readonly IsoDate[] = [],
    private readonly inputModes: InputModes = new Map(),
  ) {
    this.reversals = new Set(compiled.benchmark.reversals);
    this.state = this.initialState();
  }

  private initialState(): State {
    const indicators = this.compiled.indicators.map((ci) =>
      createIndicatorState(ci.indicator, this.inputModes.get(ci.indicator.id)),
    );
    const values = new Map(indicators.map((s) => [s.indicator.id, s.value()]));
    const value = combineClauses(evaluateClauses(this.compiled, values));
    return {
      indicators,
      run: { value, start: undefined, startItems: [], byReversal: false },
      through: undefined,
      next: 0,
      lastReversal: new Map(),
      dropped: [],
    };
  }

  private cloneState(s: State): State {
    return {
      indicators: s.indicators.map((i) => i.clone()),
      run: s.run,
      through: s.through,
      next: s.next,
      lastReversal: new Map(s.lastReversal),
      dropped: [...s.dropped],
    };
  }

  /** Where and whether an item takes effect for this benchmark (review rule applied). */
  private place(item: Evidence, targets: readonly number[]): Entry {
    const original = item.occurredTo;
    const reversal = this.reversals.has(item.kind);
    const rule = this.compiled.benchmark.review;
    let review: ReviewDate | undefined;
    if (rule !== undefined && !reversal) {
      // The earliest review on or after the action is the one it can be timed to.
      const reviews = this.compiled.reviews;
      let lo = 0;
      let hi = reviews.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((reviews[mid] as ReviewDate).date < original) lo = mid + 1;
        else hi = mid;
      }
      const next = reviews[lo];
      if (next !== undefined && subtractDuration(next.date, rule.window) <= original) review = next;
    }
    const deferred = review !== undefined && rule?.countAfterReview === true && review.date > original;
    const placed: PlacedEvidence =
      review === undefined ? { item, date: original } : { item, date: deferred ? review.date : original, timedTo: review.id };
    return { placed, targets, original, deferred, reversal };
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Adds a known item read by the given indicator indices of this benchmark. */
  add(item: Evidence, targets: readonly number[]): void {
    if (this.ids.has(item.id)) return;
    this.ids.add(item.id);
    const entry = this.place(item, targets);
    if (this.state.through === undefined && this.snapshots.length === 0) {
      // Nothing evaluated yet: collect now, sort once on the first advance.
      this.entries.push(entry);
      this.unsorted = true;
      if (entry.placed.timedTo !== undefined) this.timedEntries.push(entry);
      return;
    }
    if (this.unsorted) this.sortEntries();
    const at = this.insertionIndex(entry.placed);
    this.entries.splice(at, 0, entry);
    if (entry.placed.timedTo !== undefined) this.timedEntries.push(entry);
    if (at < this.state.next || (this.state.through !== undefined && entry.placed.date <= this.state.through)) {
      this.rollBack(entry.placed.date);
    }
  }

  /** Removes an item (it was superseded or retracted). */
  remove(id: string): void {
    if (!this.ids.has(id)) return;
    this.ids.delete(id);
    const at = this.entries.findIndex((e) => e.placed.item.id === id);
    const entry = this.entries[at] as Entry;
    this.entries.splice(at, 1);
    this.timedEntries = this.timedEntries.filter((e) => e !== entry);
    if (this.state.through !== undefined && entry.placed.date <= this.state.through) this.rollBack(entry.placed.date);
  }

  private insertionIndex(p: PlacedEvidence): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareByDateThenId((this.entries[mid] as Entry).placed, p) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Restores the latest snapshot taken strictly before `date` (or the initial state). */
  private rollBack(date: IsoDate): void {
    while (this.snapshots.length > 0 && (this.snapshots[this.snapshots.length - 1] as { date: IsoDate }).date >= date) {
      this.snapshots.pop();
    }
    const snap = this.snapshots[this.snapshots.length - 1];
    if (snap === undefined) {
      this.state = this.initialState();
      this.changedSinceSnapshot = true;
      return;
    }
    this.state = this.cloneState(snap.state);
    this.changedSinceSnapshot = false;
    // Entries may have been inserted or removed since the snapshot: recount by date.
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] as Entry).placed.date <= snap.date) lo = mid + 1;
      else hi = mid;
    }
    this.state.next = lo;
  }

  /** Takes a snapshot at every boundary after the last snapshot that is before `day` and not after `limit`. */
  private snapshotBoundariesBefore(day: IsoDate, limit: IsoDate): void {
    const last = this.snapshots[this.snapshots.length - 1]?.date;
    let i = 0;
    if (last !== undefined) {
      let hi = this.boundaries.length;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if ((this.boundaries[mid] as IsoDate) <= last) i = mid + 1;
        else hi = mid;
      }
    }
    for (; i < this.boundaries.length; i++) {
      const b = this.boundaries[i] as IsoDate;
      if (b >= day || b > limit) break;
      // Snapshots are never mutated (a restore clones), so an unchanged state is shared.
      const previous = this.snapshots[this.snapshots.length - 1];
      const state = this.changedSinceSnapshot || previous === undefined ? this.cloneState(this.state) : previous.state;
      this.snapshots.push({ date: b, state });
      this.changedSinceSnapshot = false;
    }
  }

  private sortEntries(): void {
    this.entries.sort((a, b) => compareByDateThenId(a.placed, b.placed));
    this.unsorted = false;
  }

  /** Processes every event on or before `t`. */
  advance(t: IsoDate): void {
    if (this.unsorted) this.sortEntries();
    const s = this.state;
    for (;;) {
      const entry = this.entries[s.next];
      const itemDay = entry !== undefined && entry.placed.date <= t ? entry.placed.date : undefined;
      let expiryDay: IsoDate | undefined;
      for (const ind of s.indicators) {
        const e = ind.nextExpiry();
        if (e !== undefined && e <= t && (expiryDay === undefined || e < expiryDay)) expiryDay = e;
      }
      const day = itemDay === undefined ? expiryDay : expiryDay === undefined || itemDay < expiryDay ? itemDay : expiryDay;
      if (day === undefined) break;
      if (this.boundaries.length > 0) this.snapshotBoundariesBefore(day, t);
      const applied: PlacedEvidence[] = [];
      for (const ind of s.indicators) applied.push(...ind.expireThrough(day));
      let reversalApplied = false;
      while (s.next < this.entries.length && (this.entries[s.next] as Entry).placed.date === day) {
        const e = this.entries[s.next] as Entry;
        s.next += 1;
        if (e.deferred && e.placed.item.actors.some((a) => (s.lastReversal.get(a) ?? '') > e.original)) {
          s.dropped.push(e);
          continue;
        }
        for (const i of e.targets) (s.indicators[i] as IndicatorState).apply(e.placed);
        if (e.reversal) {
          reversalApplied = true;
          for (const a of e.placed.item.actors) s.lastReversal.set(a, day);
        }
        applied.push(e.placed);
      }
      s.through = day;
      this.changedSinceSnapshot = true;
      const values = new Map(s.indicators.map((ind) => [ind.indicator.id, ind.value()]));
      const value = combineClauses(evaluateClauses(this.compiled, values));
      if (value !== s.run.value) {
        s.run = {
          value,
          start: day,
          startItems: applied,
          byReversal: s.run.value === true && value === false && reversalApplied,
        };
      }
    }
    if (s.through === undefined || s.through < t) s.through = t;
    if (this.boundaries.length > 0)
      this.snapshotBoundariesBefore(addDuration(t, { years: 0, months: 0, days: 1, text: 'P1D' }), t);
  }

  /** The status on day t; call `advance(t)` first. */
  statusAt(t: IsoDate): StreamStatus {
    const { run } = this.state;
    const b = this.compiled.benchmark;
    let status: StreamStatus['status'];
    let since: IsoDate | undefined;
    if (run.value === true) {
      const metFrom = run.start === undefined ? undefined : addDuration(run.start, b.duration);
      if (metFrom === undefined || t >= metFrom) {
        status = 'met';
        since = metFrom;
      } else {
        status = 'pending';
        since = run.start;
      }
    } else if (run.value === false) {
      status = run.byReversal ? 'reversed' : 'not-met';
      since = run.start;
    } else {
      status = 'unknown';
      since = run.start;
    }
    const timed: PlacedEvidence[] = [];
    for (const e of this.timedEntries) {
      if (e.placed.timedTo === undefined || e.original > t) continue;
      if (run.start === undefined || e.original >= run.start || e.placed.date >= run.start) timed.push(e.placed);
    }
    timed.sort(compareByDateThenId);
    return { status, since, run, timed, dropped: this.state.dropped.map((e) => e.placed) };
  }

  /** Indicator states as of the last `advance` (for explanations). */
  indicatorStates(): readonly IndicatorState[] {
    return this.state.indicators;
  }

  clauseValues(): (boolean | undefined)[] {
    const values = new Map(this.state.indicators.map((ind) => [ind.indicator.id, ind.value()]));
    return evaluateClauses(this.compiled, values);
  }

  /** Known entries (for explanations): placed items with their review timing. */
  knownItems(): readonly PlacedEvidence[] {
    return this.entries.map((e) => e.placed);
  }
}
