/**
 * One benchmark evaluated over a growing set of known evidence, in date order.
 *
 * Contract:
 * - `add`/`remove` change the set of known, standing items (an item is added at most
 *   once: ledger ids are unique); `advance(t)` brings the evaluation up to day `t`;
 *   `statusAt(t)` then answers for day `t`. The answer depends
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
import { type IsoDate, subtractDuration } from './dates.ts';
import type { Evidence } from './evidence.ts';
import type { CompiledCondition, IndicatorValue } from './expressions.ts';
import {
  addDurationCached,
  compareByDateThenId,
  createIndicatorState,
  type IndicatorState,
  type PlacedEvidence,
} from './indicators.ts';
import type { InputModes } from './series.ts';

export const BENCHMARK_STATUSES = ['met', 'not-met', 'pending', 'reversed', 'unverified', 'unknown'] as const;
export type BenchmarkStatusKind = (typeof BENCHMARK_STATUSES)[number];

export const BENCHMARK_FLAGS = ['timed-to-review', 'contested'] as const;
export type BenchmarkFlag = (typeof BENCHMARK_FLAGS)[number];

/** An item placed for one benchmark: the same for both of its streams (verified and all). */
export interface StreamEntry {
  /** The item's id and `placed.date`, kept here too: entries are ordered by (date, id) and read often. */
  readonly id: string;
  readonly date: IsoDate;
  /** `date` as a number that orders as the date does, or -1 (see `dayKey`). */
  readonly key: number;
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
  /** The indicators' values when the condition was last evaluated (`run.value` is the condition over them). */
  readonly values: (IndicatorValue | undefined)[];
  run: Run;
  /** Last day whose events have been processed. */
  through: IsoDate | undefined;
  /** Index into the sorted entries of the next entry to process. */
  next: number;
  readonly lastReversal: Map<string, IsoDate>;
  /** Entries dropped because they were undone before their review. */
  dropped: StreamEntry[];
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

/** The clause's answers remembered in `memos` (made on first use). */
function cacheOf<K>(memos: WeakMap<CompiledCondition, Map<K, boolean>>, c: CompiledCondition): Map<K, boolean> {
  let cache = memos.get(c);
  if (cache === undefined) {
    cache = new Map();
    memos.set(c, cache);
  }
  return cache;
}

function evaluateClause(c: CompiledCondition, values: ReadonlyMap<string, IndicatorValue | undefined>): boolean | undefined {
  let key = '';
  for (const id of c.uses) {
    const v = values.get(id);
    if (v === undefined) return undefined;
    key += `${String(v)}|`;
  }
  const cache = cacheOf(memo, c);
  let r = cache.get(key);
  if (r === undefined) {
    r = c.evaluate(values as ReadonlyMap<string, IndicatorValue>);
    if (cache.size < 100_000) cache.set(key, r);
  }
  return r;
}

/**
 * Clauses that read one indicator, memoised by its value itself (no key text to build):
 * the same answers as keying by `String(value)`, since `String` tells apart exactly the
 * values `Map` does (0 and -0 aside, which no clause can tell apart either).
 */
const memoByValue = new WeakMap<CompiledCondition, Map<IndicatorValue, boolean>>();

/** The clause over indicator values given by position (`at[k]` is the position of `c.uses[k]`). */
function evaluateClauseAt(
  c: CompiledCondition,
  at: readonly number[],
  values: readonly (IndicatorValue | undefined)[],
  scratch: Map<string, IndicatorValue | undefined>,
): boolean | undefined {
  if (at.length === 1) {
    const v = values[at[0] as number];
    if (v === undefined) return undefined;
    const cache = cacheOf(memoByValue, c);
    let r = cache.get(v);
    if (r === undefined) {
      scratch.set(c.uses[0] as string, v);
      r = c.evaluate(scratch as ReadonlyMap<string, IndicatorValue>);
      if (cache.size < 100_000) cache.set(v, r);
    }
    return r;
  }
  let key = '';
  for (let k = 0; k < at.length; k++) {
    const v = values[at[k] as number];
    if (v === undefined) return undefined;
    key += `${String(v)}|`;
  }
  const cache = cacheOf(memo, c);
  let r = cache.get(key);
  if (r === undefined) {
    for (let k = 0; k < at.length; k++) scratch.set(c.uses[k] as string, values[at[k] as number]);
    r = c.evaluate(scratch as ReadonlyMap<string, IndicatorValue>);
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

/**
 * Where and whether an item takes effect for a benchmark (review rule applied), read by
 * the given indicator indices: one entry serves both of the benchmark's streams.
 */
export function placeItem(cb: CompiledBenchmark, item: Evidence, targets: readonly number[]): StreamEntry {
  const original = item.occurredTo;
  const reversal = cb.benchmark.reversals.includes(item.kind);
  const rule = cb.benchmark.review;
  let review: ReviewDate | undefined;
  if (rule !== undefined && !reversal) {
    // The earliest review on or after the action is the one it can be timed to.
    const reviews = cb.reviews;
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
  return { id: item.id, date: placed.date, key: dayKey(placed.date), placed, targets, original, deferred, reversal };
}

const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9] as const;

/**
 * A `YYYY-MM-DD` date as the number YYYYMMDD (-1 for any other text): such numbers order
 * as the strings do, and compare without reading the strings.
 */
export function dayKey(d: IsoDate): number {
  if (d.length !== 10 || d.charCodeAt(4) !== 45 || d.charCodeAt(7) !== 45) return -1;
  let key = 0;
  for (const i of DIGIT_POSITIONS) {
    const digit = d.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    key = key * 10 + digit;
  }
  return key;
}

/** Where `entry` goes in `entries` (sorted by `compareEntries`): the first position not before it. */
function insertionIndex(entries: readonly StreamEntry[], entry: StreamEntry): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(entries[mid] as StreamEntry, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** (date, id) order, as `compareByDateThenId` orders the placed items. */
function compareEntries(a: StreamEntry, b: StreamEntry): number {
  if (a.key >= 0 && b.key >= 0) {
    if (a.key !== b.key) return a.key - b.key;
  } else if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class BenchmarkStream {
  private entries: StreamEntry[] = [];
  /** Per condition: the positions, among the benchmark's indicators, of the indicators it reads. */
  private readonly usesAt: readonly (readonly number[])[];
  /** Reused to hand values to a clause (read synchronously, never kept). */
  private readonly scratch = new Map<string, IndicatorValue | undefined>();
  /**
   * The earliest day from which the evaluation must be redone: items were added or
   * removed at or before days already evaluated. Rolled back once, at the next `advance`.
   */
  private pendingRollBack: IsoDate | undefined;
  /** Index of the first boundary after the last snapshot; -1 when unknown (after a roll-back). */
  private boundaryFrom = -1;
  /** Positions of the indicators whose values change as items leave a trailing window. */
  private readonly windowed: readonly number[];
  /**
   * Whether the last reversal day per actor is kept: only items deferred to a review
   * (`countAfterReview`) read it.
   */
  private readonly tracksReversals: boolean;
  /** The entries timed to a review, in entry order (while `unsorted`, in the order added). */
  private timedEntries: StreamEntry[] = [];
  private unsorted = false;
  /** Entries (as placed for removal) removed while the entries are unsorted: dropped once they are sorted. */
  private removedUnsorted: StreamEntry[] = [];
  private state: State;
  private snapshots: { date: IsoDate; state: State }[] = [];
  /** Whether any event was processed since the last snapshot was taken. */
  private changedSinceSnapshot = true;

  constructor(
    readonly compiled: CompiledBenchmark,
    private readonly boundaries: readonly IsoDate[] = [],
    private readonly inputModes: InputModes = new Map(),
  ) {
    const position = new Map(compiled.indicators.map((ci, i) => [ci.indicator.id, i]));
    this.usesAt = compiled.conditions.map((c) => c.uses.map((id) => position.get(id) as number));
    this.tracksReversals = compiled.benchmark.review?.countAfterReview === true;
    this.state = this.initialState();
    const windowed: number[] = [];
    this.state.indicators.forEach((ind, i) => {
      if (ind.windowed) windowed.push(i);
    });
    this.windowed = windowed;
  }

  private initialState(): State {
    const indicators = this.compiled.indicators.map((ci) =>
      createIndicatorState(ci.indicator, this.inputModes.get(ci.indicator.id)),
    );
    const values = indicators.map((s) => s.value());
    const value = this.conditionOver(values);
    return {
      indicators,
      values,
      run: { value, start: undefined, startItems: [], byReversal: false },
      through: undefined,
      next: 0,
      lastReversal: new Map(),
      dropped: [],
    };
  }

  /** The condition (clauses combined) over the indicator values, by position. */
  private conditionOver(values: readonly (IndicatorValue | undefined)[]): boolean | undefined {
    const conditions = this.compiled.conditions;
    let anyFalse = false;
    let anyUnknown = false;
    // Every clause is evaluated (no short cut), as `combineClauses(evaluateClauses(...))` does.
    for (let i = 0; i < conditions.length; i++) {
      const r = evaluateClauseAt(conditions[i] as CompiledCondition, this.usesAt[i] as number[], values, this.scratch);
      if (r === false) anyFalse = true;
      else if (r === undefined) anyUnknown = true;
    }
    return anyFalse ? false : anyUnknown ? undefined : true;
  }

  /** The condition after events: re-evaluated only when an indicator's value changed. */
  private conditionNow(s: State): boolean | undefined {
    let changed = false;
    for (let i = 0; i < s.indicators.length; i++) {
      const v = (s.indicators[i] as IndicatorState).value();
      if (!Object.is(v, s.values[i])) {
        s.values[i] = v;
        changed = true;
      }
    }
    return changed ? this.conditionOver(s.values) : s.run.value;
  }

  private cloneState(s: State): State {
    return {
      indicators: s.indicators.map((i) => i.clone()),
      values: [...s.values],
      run: s.run,
      through: s.through,
      next: s.next,
      // Never written unless tracked, so an untracked (empty) map can be shared.
      lastReversal: this.tracksReversals ? new Map(s.lastReversal) : s.lastReversal,
      dropped: [...s.dropped],
    };
  }

  /** Adds a known item read by the given indicator indices of this benchmark; an item is added at most once. */
  add(item: Evidence, targets: readonly number[]): void {
    this.addEntry(placeItem(this.compiled, item, targets));
  }

  /** Adds an item placed by `placeItem` for this stream's benchmark (at most once per item). */
  addEntry(entry: StreamEntry): void {
    if (this.state.through === undefined && this.snapshots.length === 0) {
      // Nothing evaluated yet: collect now, sort once on the first advance.
      this.entries.push(entry);
      this.unsorted = true;
      if (entry.placed.timedTo !== undefined) this.timedEntries.push(entry);
      return;
    }
    if (this.unsorted) this.sortEntries();
    this.entries.splice(insertionIndex(this.entries, entry), 0, entry);
    if (entry.placed.timedTo !== undefined) this.timedEntries.splice(insertionIndex(this.timedEntries, entry), 0, entry);
    // An entry before the next one to process falls on or before `through` (those were processed).
    this.requestRollBack(entry.date);
  }

  /** Marks the evaluation from `date` on as stale, when days from `date` on were evaluated. */
  private requestRollBack(date: IsoDate): void {
    if (this.state.through === undefined || date > this.state.through) return;
    if (this.pendingRollBack === undefined || date < this.pendingRollBack) this.pendingRollBack = date;
  }

  /** Removes an item (it was superseded or retracted); nothing happens if the stream does not hold it. */
  remove(item: Evidence): void {
    // Placement depends only on the item and the benchmark: the entry sits where it would be inserted.
    const placed = placeItem(this.compiled, item, []);
    if (this.unsorted) {
      // Nothing evaluated yet (`through` is unset): dropped once sorted.
      this.removedUnsorted.push(placed);
      return;
    }
    this.removeSorted(placed);
  }

  private removeSorted(placed: StreamEntry): void {
    const at = insertionIndex(this.entries, placed);
    if (this.entries[at]?.id !== placed.id) return;
    const entry = this.entries[at] as StreamEntry;
    this.entries.splice(at, 1);
    if (entry.placed.timedTo !== undefined) this.timedEntries.splice(insertionIndex(this.timedEntries, entry), 1);
    this.requestRollBack(entry.date);
  }

  /**
   * Drops the snapshots that no roll-back to `day` or later needs: all but the latest one
   * before `day` and those after it (all of them, when `day` is undefined). A roll-back to
   * an earlier day remains correct, only slower: it starts from an earlier state.
   */
  forgetSnapshotsBefore(day: IsoDate | undefined): void {
    if (day === undefined) {
      this.snapshots.length = 0;
      return;
    }
    let before = 0;
    let hi = this.snapshots.length;
    while (before < hi) {
      const mid = (before + hi) >>> 1;
      if ((this.snapshots[mid] as { date: IsoDate }).date < day) before = mid + 1;
      else hi = mid;
    }
    // `before` snapshots are before `day`: keep the last of them.
    if (before > 1) this.snapshots.splice(0, before - 1);
  }

  /** Restores the latest snapshot taken strictly before `date` (or the initial state). */
  private rollBack(date: IsoDate): void {
    this.boundaryFrom = -1;
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
      if ((this.entries[mid] as StreamEntry).date <= snap.date) lo = mid + 1;
      else hi = mid;
    }
    this.state.next = lo;
  }

  /**
   * Takes a snapshot at every boundary after the last snapshot that is before `day` (any,
   * when undefined) and not after `limit`.
   */
  private snapshotBoundariesBefore(day: IsoDate | undefined, limit: IsoDate): void {
    let i = this.boundaryFrom;
    if (i < 0) {
      const last = this.snapshots[this.snapshots.length - 1]?.date;
      i = 0;
      if (last !== undefined) {
        let hi = this.boundaries.length;
        while (i < hi) {
          const mid = (i + hi) >>> 1;
          if ((this.boundaries[mid] as IsoDate) <= last) i = mid + 1;
          else hi = mid;
        }
      }
    }
    for (; i < this.boundaries.length; i++) {
      const b = this.boundaries[i] as IsoDate;
      if ((day !== undefined && b >= day) || b > limit) break;
      // Snapshots are never mutated (a restore clones), so an unchanged state is shared.
      const previous = this.snapshots[this.snapshots.length - 1];
      const state = this.changedSinceSnapshot || previous === undefined ? this.cloneState(this.state) : previous.state;
      this.snapshots.push({ date: b, state });
      this.changedSinceSnapshot = false;
    }
    this.boundaryFrom = i;
  }

  private sortEntries(): void {
    this.entries.sort(compareEntries);
    this.timedEntries.sort(compareEntries);
    this.unsorted = false;
    const removed = this.removedUnsorted;
    if (removed.length > 0) {
      this.removedUnsorted = [];
      for (const placed of removed) this.removeSorted(placed);
    }
  }

  /** Processes every event on or before `t`. */
  advance(t: IsoDate): void {
    if (this.unsorted) this.sortEntries();
    if (this.pendingRollBack !== undefined) {
      this.rollBack(this.pendingRollBack);
      this.pendingRollBack = undefined;
    }
    const s = this.state;
    const entries = this.entries;
    const windowed = this.windowed;
    for (;;) {
      const entry = entries[s.next];
      const itemDay = entry !== undefined && entry.date <= t ? entry.date : undefined;
      let expiryDay: IsoDate | undefined;
      for (let k = 0; k < windowed.length; k++) {
        const e = (s.indicators[windowed[k] as number] as IndicatorState).nextExpiry();
        if (e !== undefined && e <= t && (expiryDay === undefined || e < expiryDay)) expiryDay = e;
      }
      const day = itemDay === undefined ? expiryDay : expiryDay === undefined || itemDay < expiryDay ? itemDay : expiryDay;
      if (day === undefined) break;
      if (this.boundaries.length > 0) this.snapshotBoundariesBefore(day, t);
      const applied: PlacedEvidence[] = [];
      for (let k = 0; k < windowed.length; k++)
        (s.indicators[windowed[k] as number] as IndicatorState).expireThrough(day, applied);
      let reversalApplied = false;
      while (s.next < entries.length && (entries[s.next] as StreamEntry).date === day) {
        const e = entries[s.next] as StreamEntry;
        s.next += 1;
        if (e.deferred && e.placed.item.actors.some((a) => (s.lastReversal.get(a) ?? '') > e.original)) {
          s.dropped.push(e);
          continue;
        }
        for (const i of e.targets) (s.indicators[i] as IndicatorState).apply(e.placed);
        if (e.reversal) {
          reversalApplied = true;
          if (this.tracksReversals) for (const a of e.placed.item.actors) s.lastReversal.set(a, day);
        }
        applied.push(e.placed);
      }
      s.through = day;
      this.changedSinceSnapshot = true;
      const value = this.conditionNow(s);
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
    // Every boundary up to `t` (the day after `t` is the first day not evaluated).
    if (this.boundaries.length > 0) this.snapshotBoundariesBefore(undefined, t);
  }

  /** The status on day t; call `advance(t)` first. */
  statusAt(t: IsoDate): StreamStatus {
    const { run } = this.state;
    const b = this.compiled.benchmark;
    let status: StreamStatus['status'];
    let since: IsoDate | undefined;
    if (run.value === true) {
      const metFrom = run.start === undefined ? undefined : addDurationCached(run.start, b.duration);
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
    // Timed items known by t that bear on the current run: those taking effect since it
    // began (an item never takes effect before its `original` day, so this includes every
    // item whose `original` is since then), found from the first such in entry order.
    const timed: PlacedEvidence[] = [];
    const list = this.timedEntries;
    let i = 0;
    if (run.start !== undefined) {
      const start = run.start;
      let hi = list.length;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if ((list[mid] as StreamEntry).date < start) i = mid + 1;
        else hi = mid;
      }
    }
    for (; i < list.length; i++) {
      const e = list[i] as StreamEntry;
      if (e.original <= t) timed.push(e.placed);
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
