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
 *   instead of one pass per step. `invalidateFrom(day)` does the same when an input
 *   other than an item changed (a monitoring claim became known).
 * - Condition semantics: after every change, each clause is decided over what is known
 *   of the indicators (`Bound`s at the full level, see indicators.ts): false if any
 *   clause is false, unknown if none is false and any is unknown, true otherwise. A run
 *   is a maximal span of days with one condition value.
 * - Status on day t: condition true since s → `met` once t >= s + duration, else
 *   `pending`; false → `reversed` if the run began when an item of a reversal kind
 *   ended a true run, else `not-met`; unknown → `unknown`.
 * - Review rule: an item is timed to a review when it takes effect within `window`
 *   strictly before the review's day (an item of the review's day is its finding, not an
 *   action before it). With `countAfterReview`, a timed item that is not a reversal and
 *   that would make the condition hold when it did not (progress that completes the
 *   benchmark) takes effect on the review's day instead, and not at all if a reversal item
 *   for one of its actors takes effect after it and on or before that day; timed items
 *   that complete nothing, and bad news, take effect at once.
 */
import { type Bound, sameBound } from './bounds.ts';
import type { ReviewDate } from './case-model.ts';
import type { CompiledBenchmark } from './compile-case.ts';
import { type IsoDate, subtractDuration } from './dates.ts';
import type { Evidence } from './evidence.ts';
import type { CompiledCondition } from './expressions.ts';
import type { SharedPlan } from './indicator-tracks.ts';
import {
  addDurationCached,
  compareByDateThenId,
  createIndicatorState,
  FULL_LEVEL,
  type IndicatorInputs,
  type IndicatorState,
  type Level,
  type PlacedEvidence,
} from './indicators.ts';
import { byId, compareText, partitionPoint } from './order.ts';

export const BENCHMARK_STATUSES = [
  'met',
  'partial',
  'not-met',
  'pending',
  'reversed',
  'unverified',
  'unknown',
  'not-applicable',
] as const;
export type BenchmarkStatusKind = (typeof BENCHMARK_STATUSES)[number];

export const BENCHMARK_FLAGS = ['timed-to-review', 'contested', 'stale'] as const;
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
  /** The day the item takes effect unless deferred: the end of its occurrence (equal to `date`). */
  readonly original: IsoDate;
  /** With `countAfterReview`: the review day it would be deferred to, should it complete the condition. */
  readonly deferrableTo: IsoDate | undefined;
  readonly reversal: boolean;
}

interface Run {
  readonly value: boolean | undefined;
  /** First day of the run; undefined when it began before any evidence. */
  readonly start: IsoDate | undefined;
  /** Items applied, or leaving a window, on the day the run began: its cause. */
  readonly startItems: readonly PlacedEvidence[];
  readonly byReversal: boolean;
  /** With `value` false: only the finding clause fails, and the latest finding is partially fulfilled. */
  readonly partial: boolean;
  /** The run before it (a persistent list: snapshots share it), so past days can be answered. */
  readonly prev?: Run;
}

interface State {
  readonly indicators: IndicatorState[];
  /** What was known of the indicators (full level) when the condition was last evaluated (`run.value` is the condition over them). */
  readonly bounds: Bound[];
  run: Run;
  /** Last day whose events have been processed. */
  through: IsoDate | undefined;
  /** Index into the sorted entries of the next entry to process. */
  next: number;
  readonly lastReversal: Map<string, IsoDate>;
  /** Entries deferred to a review, by the day they are due (then id). */
  deferred: StreamEntry[];
  /** Entries dropped because they were undone before their review. */
  dropped: StreamEntry[];
  /** The latest occurrence among the items processed: how fresh the evidence is. */
  newest: IsoDate | undefined;
  /** Over shared tracks: per condition, the truth of a shared clause now (unused for the others). */
  readonly truths?: (boolean | undefined)[];
  /** Over shared tracks: per condition, the index of the next change of a shared clause to apply. */
  readonly cursors?: number[];
}

export interface StreamStatus {
  readonly status: Exclude<BenchmarkStatusKind, 'unverified' | 'not-applicable'>;
  readonly since: IsoDate | undefined;
  readonly run: Run;
  /** Items timed to a review among those that began the current run. */
  readonly timed: readonly PlacedEvidence[];
  readonly dropped: readonly PlacedEvidence[];
  /** The latest occurrence among the items the stream has counted by t. */
  readonly newest: IsoDate | undefined;
}

/** Answers per clause, keyed by the bounds of the values it reads (or by the one exact value). */
const memoByKey = new WeakMap<CompiledCondition, Map<string, boolean | undefined>>();
const memoByValue = new WeakMap<CompiledCondition, Map<number, boolean | undefined>>();
/** For clauses reading one indicator known only within bounds: answers by lower, then upper bound (no key text to build). */
const memoByRange = new WeakMap<CompiledCondition, Map<number, Map<number, boolean | undefined>>>();

function cacheOf<K, V>(memos: WeakMap<CompiledCondition, Map<K, V>>, c: CompiledCondition): Map<K, V> {
  let cache = memos.get(c);
  if (cache === undefined) {
    cache = new Map();
    memos.set(c, cache);
  }
  return cache;
}

/**
 * The clause over the bounds of the indicators it reads, given by position (`at[k]` is
 * the position of `c.uses[k]`), memoised: a clause reading one indicator is keyed by its
 * bounds as numbers, others by the bounds as text.
 */
export function decideClauseAt(c: CompiledCondition, at: readonly number[], bounds: readonly Bound[]): boolean | undefined {
  if (at.length === 1) {
    const b = bounds[at[0] as number] as Bound;
    if (b.lo === b.hi) {
      const cache = cacheOf(memoByValue, c);
      const hit = cache.get(b.lo);
      if (hit !== undefined || cache.has(b.lo)) return hit;
      const r = c.decide([b]);
      if (cache.size < 100_000) cache.set(b.lo, r);
      return r;
    }
    const byLo = cacheOf(memoByRange, c);
    let byHi = byLo.get(b.lo);
    if (byHi === undefined) {
      byHi = new Map();
      if (byLo.size < 100_000) byLo.set(b.lo, byHi);
    }
    const hit = byHi.get(b.hi);
    if (hit !== undefined || byHi.has(b.hi)) return hit;
    const r = c.decide([b]);
    byHi.set(b.hi, r);
    return r;
  }
  let key = '';
  for (let k = 0; k < at.length; k++) {
    const b = bounds[at[k] as number] as Bound;
    key += `${b.lo},${b.hi}|`;
  }
  const cache = cacheOf(memoByKey, c);
  const hit = cache.get(key);
  if (hit !== undefined || cache.has(key)) return hit;
  const r = c.decide(at.map((i) => bounds[i] as Bound));
  if (cache.size < 100_000) cache.set(key, r);
  return r;
}

export function combineClauses(results: readonly (boolean | undefined)[]): boolean | undefined {
  if (results.some((r) => r === false)) return false;
  if (results.some((r) => r === undefined)) return undefined;
  return true;
}

/**
 * Where an item takes effect for a benchmark and whether it is timed to a review, read by
 * the given indicator indices: one entry serves both of the benchmark's streams.
 */
export function placeItem(cb: CompiledBenchmark, item: Evidence, targets: readonly number[]): StreamEntry {
  const original = item.occurredTo;
  const reversal = cb.benchmark.reversals.includes(item.kind);
  const rule = cb.benchmark.review;
  let review: ReviewDate | undefined;
  if (rule !== undefined) {
    // The earliest review strictly after the item is the one it can be timed to.
    const reviews = cb.reviews;
    const next = reviews[partitionPoint(reviews.length, (i) => (reviews[i] as ReviewDate).date <= original)];
    if (next !== undefined && subtractDuration(next.date, rule.window) <= original) review = next;
  }
  const placed: PlacedEvidence = review === undefined ? { item, date: original } : { item, date: original, timedTo: review.id };
  const deferrableTo = review !== undefined && rule?.countAfterReview === true && !reversal ? review.date : undefined;
  return {
    id: item.id,
    date: original,
    key: dayKey(original),
    placed,
    targets,
    original,
    deferrableTo,
    reversal,
  };
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
  return partitionPoint(entries.length, (i) => compareEntries(entries[i] as StreamEntry, entry) < 0);
}

/** (date, id) order, as `compareByDateThenId` orders the placed items. */
function compareEntries(a: StreamEntry, b: StreamEntry): number {
  if (a.key >= 0 && b.key >= 0) {
    if (a.key !== b.key) return a.key - b.key;
  } else if (a.date !== b.date) return compareText(a.date, b.date);
  return byId(a, b);
}

export class BenchmarkStream {
  private entries: StreamEntry[] = [];
  /** Per condition: the positions, among the benchmark's indicators, of the indicators it reads. */
  private readonly usesAt: readonly (readonly number[])[];
  /**
   * The earliest day from which the evaluation must be redone: items were added or
   * removed at or before days already evaluated. Rolled back once, at the next `advance`.
   */
  private pendingRollBack: IsoDate | undefined;
  /** Index of the first boundary after the last snapshot; -1 when unknown (after a roll-back). */
  private boundaryFrom = -1;
  /** Positions of the indicators whose values change with time alone (windows, coverage). */
  private readonly timeDependent: readonly number[];
  /**
   * Whether the last reversal day per actor is kept: only items deferred to a review
   * (`countAfterReview`) read it.
   */
  private readonly tracksReversals: boolean;
  private unsorted = false;
  /** Entries (as placed for removal) removed while the entries are unsorted: dropped once they are sorted. */
  private removedUnsorted: StreamEntry[] = [];
  private state: State;
  private snapshots: { date: IsoDate; state: State }[] = [];
  /** Whether any event was processed since the last snapshot was taken. */
  private changedSinceSnapshot = true;

  /** Over shared tracks: positions of the indicators the stream evaluates itself, and those of them that change with time. */
  private readonly ownPositions: readonly number[];
  private readonly ownTimeDependent: readonly number[];
  /** Over shared tracks: the positions read from tracks, and the conditions decided by clause tracks. */
  private readonly sharedPositions: readonly number[];
  private readonly sharedClauses: readonly number[];

  /**
   * With a `plan`, the indicators and clauses it names are read from shared tracks (see
   * indicator-tracks.ts): the stream then holds only the items its other indicators read,
   * has no boundaries, and may be advanced to `plan.through` only.
   */
  constructor(
    readonly compiled: CompiledBenchmark,
    private readonly boundaries: readonly IsoDate[] = [],
    private readonly inputs: IndicatorInputs = new Map(),
    private readonly plan?: SharedPlan,
  ) {
    const position = new Map(compiled.indicators.map((ci, i) => [ci.indicator.id, i]));
    this.usesAt = compiled.conditions.map((c) => c.uses.map((id) => position.get(id) as number));
    this.tracksReversals = compiled.benchmark.review?.countAfterReview === true;
    const positions = compiled.indicators.map((_, i) => i);
    this.sharedPositions = plan === undefined ? [] : positions.filter((i) => plan.tracks[i] !== undefined);
    this.ownPositions = plan === undefined ? positions : positions.filter((i) => plan.tracks[i] === undefined);
    this.sharedClauses =
      plan === undefined ? [] : compiled.conditions.flatMap((_, i) => (plan.clauses[i] === undefined ? [] : [i]));
    this.state = this.initialState();
    const timeDependent: number[] = [];
    this.state.indicators.forEach((ind, i) => {
      if (ind.timeDependent) timeDependent.push(i);
    });
    this.timeDependent = timeDependent;
    this.ownTimeDependent = plan === undefined ? timeDependent : timeDependent.filter((i) => plan.tracks[i] === undefined);
  }

  private initialState(): State {
    const plan = this.plan;
    // A shared position holds its track's state as of `plan.through`: read for explanations, never advanced here.
    const indicators = this.compiled.indicators.map(
      (ci, i) => plan?.tracks[i]?.final ?? createIndicatorState(ci.indicator, this.inputs.get(ci.indicator.id)),
    );
    const bounds = indicators.map((s) => s.bound(FULL_LEVEL));
    const truths = plan?.clauses.map((ct) => ct?.initial);
    const value = truths === undefined ? this.conditionOver(bounds) : this.conditionShared(bounds, truths);
    const partial = value === false && (truths === undefined ? this.partialOver(bounds) : this.partialShared(bounds, truths));
    return {
      indicators,
      bounds,
      run: { value, start: undefined, startItems: [], byReversal: false, partial },
      through: undefined,
      next: 0,
      lastReversal: new Map(),
      deferred: [],
      dropped: [],
      newest: undefined,
      ...(truths === undefined ? {} : { truths, cursors: truths.map(() => 0) }),
    };
  }

  /** `conditionOver` with the shared clauses' truths given (the other clauses read `bounds`). */
  private conditionShared(bounds: readonly Bound[], truths: readonly (boolean | undefined)[]): boolean | undefined {
    const conditions = this.compiled.conditions;
    const clauses = this.plan?.clauses;
    let anyFalse = false;
    let anyUnknown = false;
    for (let i = 0; i < conditions.length; i++) {
      const r =
        clauses?.[i] !== undefined
          ? truths[i]
          : decideClauseAt(conditions[i] as CompiledCondition, this.usesAt[i] as number[], bounds);
      if (r === false) anyFalse = true;
      else if (r === undefined) anyUnknown = true;
    }
    return anyFalse ? false : anyUnknown ? undefined : true;
  }

  /** `partialOver` with the shared clauses' truths given (the finding clause is never shared). */
  private partialShared(bounds: readonly Bound[], truths: readonly (boolean | undefined)[]): boolean {
    const p = this.compiled.partial;
    if (p === undefined) return false;
    const conditions = this.compiled.conditions;
    const clauses = this.plan?.clauses;
    for (let i = 0; i < conditions.length; i++) {
      if (i === p.clause) continue;
      const r =
        clauses?.[i] !== undefined
          ? truths[i]
          : decideClauseAt(conditions[i] as CompiledCondition, this.usesAt[i] as number[], bounds);
      if (r !== true) return false;
    }
    return decideClauseAt(p.relaxed, this.usesAt[p.clause] as number[], bounds) === true;
  }

  /** The condition (clauses combined) over the indicators' bounds, by position. */
  private conditionOver(bounds: readonly Bound[]): boolean | undefined {
    const conditions = this.compiled.conditions;
    let anyFalse = false;
    let anyUnknown = false;
    // Every clause is decided (no short cut), as `combineClauses` over all clauses does.
    for (let i = 0; i < conditions.length; i++) {
      const r = decideClauseAt(conditions[i] as CompiledCondition, this.usesAt[i] as number[], bounds);
      if (r === false) anyFalse = true;
      else if (r === undefined) anyUnknown = true;
    }
    return anyFalse ? false : anyUnknown ? undefined : true;
  }

  /**
   * With the condition false: whether only the finding clause fails and its relaxed form
   * (at least partially fulfilled) holds — the status is then `partial`.
   */
  private partialOver(bounds: readonly Bound[]): boolean {
    const p = this.compiled.partial;
    if (p === undefined) return false;
    const conditions = this.compiled.conditions;
    for (let i = 0; i < conditions.length; i++) {
      if (i === p.clause) continue;
      if (decideClauseAt(conditions[i] as CompiledCondition, this.usesAt[i] as number[], bounds) !== true) return false;
    }
    return decideClauseAt(p.relaxed, this.usesAt[p.clause] as number[], bounds) === true;
  }

  /** Whether the condition now is partial (see `partialOver`), as of the last `conditionNow`. */
  private partialNow = false;

  /** The condition after events: decided again only when what is known of an indicator changed. */
  private conditionNow(s: State): boolean | undefined {
    let changed = false;
    for (let i = 0; i < s.indicators.length; i++) {
      const b = (s.indicators[i] as IndicatorState).bound(FULL_LEVEL);
      if (!sameBound(b, s.bounds[i])) {
        s.bounds[i] = b;
        changed = true;
      }
    }
    if (!changed) {
      this.partialNow = s.run.partial === true;
      return s.run.value;
    }
    const value = this.conditionOver(s.bounds);
    this.partialNow = value === false && this.partialOver(s.bounds);
    return value;
  }

  private cloneState(s: State): State {
    return {
      indicators: s.indicators.map((i) => i.clone()),
      bounds: [...s.bounds],
      run: s.run,
      through: s.through,
      next: s.next,
      // Never written unless tracked, so an untracked (empty) map can be shared.
      lastReversal: this.tracksReversals ? new Map(s.lastReversal) : s.lastReversal,
      deferred: [...s.deferred],
      dropped: [...s.dropped],
      newest: s.newest,
      ...(s.truths === undefined || s.cursors === undefined ? {} : { truths: [...s.truths], cursors: [...s.cursors] }),
    };
  }

  /** Adds a known item read by the given indicator indices of this benchmark; an item is added at most once. */
  add(item: Evidence, targets: readonly number[]): void {
    this.addEntry(placeItem(this.compiled, item, targets));
  }

  /** Adds an item placed by `placeItem` for this stream's benchmark (at most once per item). */
  addEntry(entry: StreamEntry): void {
    this.claimed = undefined;
    if (this.clauseValuesAt.length > 0) this.clauseValuesAt = [];
    if (this.state.through === undefined && this.snapshots.length === 0) {
      // Nothing evaluated yet: collect now, sort once on the first advance.
      this.entries.push(entry);
      this.unsorted = true;
      return;
    }
    if (this.unsorted) this.sortEntries();
    this.entries.splice(insertionIndex(this.entries, entry), 0, entry);
    // An entry before the next one to process falls on or before `through` (those were processed).
    this.requestRollBack(entry.date);
  }

  /** Marks the evaluation from `date` on as stale, when days from `date` on were evaluated. */
  private requestRollBack(date: IsoDate): void {
    if (this.state.through === undefined || date > this.state.through) return;
    if (this.pendingRollBack === undefined || date < this.pendingRollBack) this.pendingRollBack = date;
  }

  /** An input other than an item changed from `day` on (coverage): the evaluation from then is redone. */
  invalidateFrom(day: IsoDate): void {
    this.requestRollBack(day);
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
    let at = insertionIndex(this.entries, placed);
    // Two versions of one entry (its id, with more sources) sit side by side when the
    // older one's removal waited for the sort: the one removed is the one given.
    while (this.entries[at]?.id === placed.id && (this.entries[at] as StreamEntry).placed.item !== placed.placed.item) {
      const next = this.entries[at + 1];
      if (next?.id !== placed.id) break;
      at += 1;
    }
    if (this.entries[at]?.id !== placed.id) return;
    const entry = this.entries[at] as StreamEntry;
    this.entries.splice(at, 1);
    this.claimed = undefined;
    if (this.clauseValuesAt.length > 0) this.clauseValuesAt = [];
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
    const snapshots = this.snapshots;
    const before = partitionPoint(snapshots.length, (i) => (snapshots[i] as { date: IsoDate }).date < day);
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
    const entries = this.entries;
    this.state.next = partitionPoint(entries.length, (i) => (entries[i] as StreamEntry).date <= snap.date);
  }

  /**
   * Takes a snapshot at every boundary after the last snapshot that is before `day` (any,
   * when undefined) and not after `limit`.
   */
  private snapshotBoundariesBefore(day: IsoDate | undefined, limit: IsoDate): void {
    let i = this.boundaryFrom;
    if (i < 0) {
      const last = this.snapshots[this.snapshots.length - 1]?.date;
      const boundaries = this.boundaries;
      i = last === undefined ? 0 : partitionPoint(boundaries.length, (j) => (boundaries[j] as IsoDate) <= last);
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
    this.unsorted = false;
    const removed = this.removedUnsorted;
    if (removed.length > 0) {
      this.removedUnsorted = [];
      for (const placed of removed) this.removeSorted(placed);
    }
  }

  /**
   * Whether entries timed to a review would make the condition hold when it does not
   * (the day's other items applied): tried on copies of the indicators they touch.
   */
  private wouldComplete(s: State, timed: readonly StreamEntry[]): boolean {
    const touched = new Set<number>();
    for (const e of timed) for (const i of e.targets) touched.add(i);
    const trial = s.indicators.map((ind, i) => (touched.has(i) ? ind.clone() : ind));
    for (const e of timed) for (const i of e.targets) (trial[i] as IndicatorState).apply(e.placed);
    const bounds = trial.map((ind) => ind.bound(FULL_LEVEL));
    return this.conditionOver(bounds) === true;
  }

  /** Processes every event on or before `t`. */
  advance(t: IsoDate): void {
    if (this.clauseValuesAt.length > 0) this.clauseValuesAt = [];
    if (this.plan !== undefined) {
      this.advanceShared(t, this.plan);
      return;
    }
    if (this.unsorted) this.sortEntries();
    if (this.pendingRollBack !== undefined) {
      this.rollBack(this.pendingRollBack);
      this.pendingRollBack = undefined;
    }
    const s = this.state;
    const entries = this.entries;
    const timeDependent = this.timeDependent;
    const scratch: PlacedEvidence[] = [];
    for (;;) {
      const entry = entries[s.next];
      let day = entry !== undefined && entry.date <= t ? entry.date : undefined;
      const due = s.deferred[0]?.deferrableTo;
      if (due !== undefined && due <= t && (day === undefined || due < day)) day = due;
      for (let k = 0; k < timeDependent.length; k++) {
        const e = (s.indicators[timeDependent[k] as number] as IndicatorState).nextChange();
        if (e !== undefined && e <= t && (day === undefined || e < day)) day = e;
      }
      if (day === undefined) break;
      if (this.boundaries.length > 0) this.snapshotBoundariesBefore(day, t);
      // The day's items, in one list reused from day to day: a run that begins copies it.
      const applied = scratch;
      applied.length = 0;
      for (let k = 0; k < timeDependent.length; k++)
        (s.indicators[timeDependent[k] as number] as IndicatorState).advanceTo(day, applied);
      let reversalApplied = false;
      let timed: StreamEntry[] | undefined;
      while (s.next < entries.length && (entries[s.next] as StreamEntry).date === day) {
        const e = entries[s.next] as StreamEntry;
        s.next += 1;
        if (s.newest === undefined || e.original > s.newest) s.newest = e.original;
        if (e.deferrableTo !== undefined) {
          (timed ??= []).push(e);
          continue;
        }
        for (const i of e.targets) (s.indicators[i] as IndicatorState).apply(e.placed);
        if (e.reversal) {
          reversalApplied = true;
          if (this.tracksReversals) for (const a of e.placed.item.actors) s.lastReversal.set(a, day);
        }
        applied.push(e.placed);
      }
      if (timed !== undefined) {
        // Progress that would complete the benchmark counts only from its review.
        if (this.conditionNow(s) !== true && this.wouldComplete(s, timed)) {
          s.deferred = [...s.deferred, ...timed].sort(compareDue);
        } else {
          for (const e of timed) {
            for (const i of e.targets) (s.indicators[i] as IndicatorState).apply(e.placed);
            applied.push(e.placed);
          }
        }
      }
      while (s.deferred.length > 0 && (s.deferred[0] as StreamEntry).deferrableTo === day) {
        const e = s.deferred[0] as StreamEntry;
        s.deferred = s.deferred.slice(1);
        if (e.placed.item.actors.some((a) => (s.lastReversal.get(a) ?? '') > e.original)) {
          s.dropped.push(e);
          continue;
        }
        const placed: PlacedEvidence = { ...e.placed, date: day };
        for (const i of e.targets) (s.indicators[i] as IndicatorState).apply(placed);
        applied.push(placed);
      }
      s.through = day;
      this.changedSinceSnapshot = true;
      const value = this.conditionNow(s);
      const partial = this.partialNow;
      if (value !== s.run.value || partial !== (s.run.partial === true)) {
        s.run = {
          value,
          start: day,
          startItems: applied.slice(),
          byReversal: s.run.value === true && value === false && reversalApplied,
          partial,
          prev: s.run,
        };
      }
    }
    if (s.through === undefined || s.through < t) s.through = t;
    for (let k = 0; k < timeDependent.length; k++) (s.indicators[timeDependent[k] as number] as IndicatorState).advanceTo(t);
    // Every boundary up to `t` (the day after `t` is the first day not evaluated).
    if (this.boundaries.length > 0) this.snapshotBoundariesBefore(undefined, t);
  }

  /**
   * `advance` over shared tracks: the days visited are those of the stream's own items and
   * time changes, and those on which a shared clause changes truth; on each, what the
   * shared indicators did that day (items that left their windows, items applied) is read
   * from their tracks, so a run begins with the same items, in the same order, as in a
   * stream that holds every item (expired items by position, then the day's items by id).
   * No item of a shared indicator is a reversal, and there is no review rule (see
   * `sharedPlanFor`).
   */
  private advanceShared(t: IsoDate, plan: SharedPlan): void {
    if (t !== plan.through) throw new Error(`a stream over shared tracks evaluates ${plan.through}, not ${t}`);
    if (this.unsorted) this.sortEntries();
    if (this.pendingRollBack !== undefined) throw new Error('a stream over shared tracks was changed after it was evaluated');
    const s = this.state;
    const truths = s.truths as (boolean | undefined)[];
    const cursors = s.cursors as number[];
    const entries = this.entries;
    const own = this.ownTimeDependent;
    const sharedClauses = this.sharedClauses;
    const sharedPositions = this.sharedPositions;
    const stream = this;
    for (;;) {
      const entry = entries[s.next];
      let day = entry !== undefined && entry.date <= t ? entry.date : undefined;
      for (let k = 0; k < own.length; k++) {
        const e = (s.indicators[own[k] as number] as IndicatorState).nextChange();
        if (e !== undefined && e <= t && (day === undefined || e < day)) day = e;
      }
      for (let k = 0; k < sharedClauses.length; k++) {
        const i = sharedClauses[k] as number;
        const e = plan.clauses[i]?.days[cursors[i] as number];
        if (e !== undefined && e <= t && (day === undefined || e < day)) day = e;
      }
      if (day === undefined) break;
      // Own indicators move on and take the day's items; what left their windows is kept for a run's start.
      let gone: PlacedEvidence[][] | undefined;
      for (let k = 0; k < own.length; k++) {
        const p = own[k] as number;
        const out = (s.indicators[p] as IndicatorState).advanceTo(day);
        if (out.length > 0) (gone ??= [])[p] = out;
      }
      let ownApplied: PlacedEvidence[] | undefined;
      let reversalApplied = false;
      while (s.next < entries.length && (entries[s.next] as StreamEntry).date === day) {
        const e = entries[s.next] as StreamEntry;
        s.next += 1;
        if (s.newest === undefined || e.original > s.newest) s.newest = e.original;
        for (const i of e.targets) (s.indicators[i] as IndicatorState).apply(e.placed);
        if (e.reversal) reversalApplied = true;
        (ownApplied ??= []).push(e.placed);
      }
      let sharedChanged = false;
      for (let k = 0; k < sharedClauses.length; k++) {
        const i = sharedClauses[k] as number;
        const ct = plan.clauses[i];
        const at = cursors[i] as number;
        if (ct !== undefined && ct.days[at] === day) {
          truths[i] = ct.truths[at];
          cursors[i] = at + 1;
          sharedChanged = true;
        }
      }
      s.through = day;
      const value = this.conditionNowShared(s, truths, sharedChanged);
      const partial = this.partialNow;
      if (value !== s.run.value || partial !== (s.run.partial === true)) {
        // The items a run begins with are read from the tracks when asked (most runs never are).
        const from = { day, gone, ownApplied };
        let items: readonly PlacedEvidence[] | undefined;
        s.run = {
          value,
          start: day,
          get startItems(): readonly PlacedEvidence[] {
            items ??= stream.sharedStartItems(from.day, plan, from.gone, from.ownApplied);
            return items;
          },
          byReversal: s.run.value === true && value === false && reversalApplied,
          partial,
          prev: s.run,
        };
      }
    }
    if (s.through === undefined || s.through < t) s.through = t;
    for (let k = 0; k < own.length; k++) (s.indicators[own[k] as number] as IndicatorState).advanceTo(t);
    for (let k = 0; k < sharedPositions.length; k++) {
      const n = plan.tracks[sharedPositions[k] as number]?.newest;
      if (n !== undefined && (s.newest === undefined || n > s.newest)) s.newest = n;
    }
  }

  /**
   * The items a run beginning on `day` begins with, as a stream holding every item lists
   * them: the items that left a window (by indicator position), then the day's items in id
   * order, each once (an item may be read at shared and own positions).
   */
  private sharedStartItems(
    day: IsoDate,
    plan: SharedPlan,
    gone: readonly (readonly PlacedEvidence[] | undefined)[] | undefined,
    ownApplied: readonly PlacedEvidence[] | undefined,
  ): PlacedEvidence[] {
    const out: PlacedEvidence[] = [];
    for (const p of this.timeDependent) {
      const track = plan.tracks[p];
      if (track !== undefined) track.expiredOn(day, out);
      else for (const q of gone?.[p] ?? []) out.push(q);
    }
    const from = out.length;
    for (const q of ownApplied ?? []) out.push(q);
    const sharedFrom = out.length;
    for (const p of this.sharedPositions) plan.tracks[p]?.appliedOn(day, out);
    if (out.length > sharedFrom) {
      const byItem = new Map<string, PlacedEvidence>();
      for (let k = from; k < out.length; k++) {
        const q = out[k] as PlacedEvidence;
        if (!byItem.has(q.item.id)) byItem.set(q.item.id, q);
      }
      const items = [...byItem.values()].sort((a, b) => compareText(a.item.id, b.item.id));
      out.length = from;
      for (const q of items) out.push(q);
    }
    return out;
  }

  /** `conditionNow` over shared tracks: decided again when an own indicator's bound or a shared clause changed. */
  private conditionNowShared(s: State, truths: readonly (boolean | undefined)[], sharedChanged: boolean): boolean | undefined {
    let changed = sharedChanged;
    const own = this.ownPositions;
    for (let k = 0; k < own.length; k++) {
      const i = own[k] as number;
      const b = (s.indicators[i] as IndicatorState).bound(FULL_LEVEL);
      if (!sameBound(b, s.bounds[i])) {
        s.bounds[i] = b;
        changed = true;
      }
    }
    if (!changed) {
      this.partialNow = s.run.partial === true;
      return s.run.value;
    }
    const value = this.conditionShared(s.bounds, truths);
    this.partialNow = value === false && this.partialShared(s.bounds, truths);
    return value;
  }

  /** The status on day t; call `advance(t)` first. */
  statusAt(t: IsoDate): StreamStatus {
    return this.statusOfRun(this.state.run, t);
  }

  /**
   * The status on a past day d (at most the day last advanced to), as the evidence known
   * now tells it: the run holding on d, judged on d.
   */
  statusOn(d: IsoDate): StreamStatus {
    let run = this.state.run;
    while (run.start !== undefined && run.start > d && run.prev !== undefined) run = run.prev;
    return this.statusOfRun(run, d);
  }

  /** The days in (after, through] on which the status changes: run starts, and durations ending within a run. */
  changeDays(after: IsoDate, through: IsoDate): IsoDate[] {
    const out: IsoDate[] = [];
    const duration = this.compiled.benchmark.duration;
    // Walk back from the latest run; `later` is the run that followed `run` (it holds until later.start).
    let later: Run | undefined;
    for (let run: Run | undefined = this.state.run; run !== undefined; later = run, run = run.prev) {
      const start = run.start;
      if (start !== undefined && start > after && start <= through) out.push(start);
      if (run.value === true && start !== undefined) {
        const metOn = addDurationCached(start, duration);
        const end = later?.start;
        if (metOn > start && metOn > after && metOn <= through && (end === undefined || metOn < end)) out.push(metOn);
      }
      if (start === undefined || start <= after) break;
    }
    return [...new Set(out)].sort();
  }

  private statusOfRun(run: Run, t: IsoDate): StreamStatus {
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
      status = run.partial === true ? 'partial' : run.byReversal ? 'reversed' : 'not-met';
      since = run.start;
    } else {
      status = 'unknown';
      since = run.start;
    }
    const timed = run.startItems.filter((p) => p.timedTo !== undefined).sort(compareByDateThenId);
    return { status, since, run, timed, dropped: this.state.dropped.map((e) => e.placed), newest: this.state.newest };
  }

  /** Indicator states as of the last `advance` (for explanations). */
  indicatorStates(): readonly IndicatorState[] {
    return this.state.indicators;
  }

  /**
   * The condition at a level with some indicators' bounds replaced (by position): what it
   * would be were some records unknown.
   */
  conditionWith(level: Level, replaced: ReadonlyMap<number, Bound>): boolean | undefined {
    const bounds = this.state.indicators.map((ind, i) => replaced.get(i) ?? ind.bound(level));
    return this.conditionOver(bounds);
  }

  /** Each clause decided over what the indicators are known to be at a level (full by default). */
  clauseValues(level: Level = FULL_LEVEL): readonly (boolean | undefined)[] {
    let values = this.clauseValuesAt[level];
    if (values === undefined) {
      const bounds = this.state.indicators.map((ind) => ind.bound(level));
      values = this.compiled.conditions.map((c, i) => decideClauseAt(c, this.usesAt[i] as number[], bounds));
      this.clauseValuesAt[level] = values;
    }
    return values;
  }

  /** `clauseValues` per level as of the last `advance` (cleared when the stream changes). */
  private clauseValuesAt: (readonly (boolean | undefined)[] | undefined)[] = [];

  /**
   * Looking ahead from the day last advanced to, with no item added: the first day on which
   * items added that day could make every clause hold, each indicator's bound widened by
   * `widen` (what new items could do to it), as the items known now leave their windows
   * (and watched spans end). `day` is undefined when no such day comes: time alone changes
   * nothing more (`exhausted: false`), or the search stopped after `maxSteps` changes
   * (`exhausted: true`). Works on copies: the stream is unchanged.
   */
  firstFeasibleDay(
    widen: (position: number, b: Bound) => Bound,
    maxSteps: number,
  ): { readonly day: IsoDate | undefined; readonly steps: number; readonly exhausted: boolean } {
    const inds = this.state.indicators.map((i) => i.clone());
    let day = this.state.through;
    for (let steps = 0; ; steps++) {
      const bounds = inds.map((ind, i) => widen(i, ind.bound(FULL_LEVEL)));
      if (this.conditionOver(bounds) !== false) return { day, steps, exhausted: false };
      if (steps >= maxSteps) return { day: undefined, steps, exhausted: true };
      let next: IsoDate | undefined;
      for (const k of this.timeDependent) {
        const e = (inds[k] as IndicatorState).nextChange();
        if (e !== undefined && (next === undefined || e < next)) next = e;
      }
      if (next === undefined) return { day: undefined, steps, exhausted: false };
      for (const k of this.timeDependent) (inds[k] as IndicatorState).advanceTo(next);
      day = next;
    }
  }

  /**
   * A new stream for the same benchmark and inputs holding the same items but those with
   * the given ids (not yet advanced): what the benchmark would say without them. This
   * stream is unchanged.
   */
  trialWithout(ids: ReadonlySet<string>): BenchmarkStream {
    if (this.unsorted) this.sortEntries();
    const plan = this.plan;
    if (plan === undefined || !this.sharesAny(ids)) {
      // None of the items taken out is read from a track: the trial reads the same tracks.
      const trial = new BenchmarkStream(this.compiled, [], this.inputs, plan);
      for (const e of this.entries) if (!ids.has(e.id)) trial.addEntry(e);
      return trial;
    }
    // Items of shared indicators are taken out: the trial evaluates every indicator itself.
    const trial = new BenchmarkStream(this.compiled, [], this.inputs);
    for (const e of this.everyEntry()) if (!ids.has(e.id)) trial.addEntry(e);
    return trial;
  }

  /**
   * A new stream for the same benchmark, inputs and items that evaluates every indicator
   * itself (no shared tracks, no boundaries; not yet advanced): it may be advanced to any
   * day, to explain the benchmark on a past day. This stream is unchanged.
   */
  replica(): BenchmarkStream {
    const copy = new BenchmarkStream(this.compiled, [], this.inputs);
    for (const e of this.everyEntry()) copy.addEntry(e);
    return copy;
  }

  /** Whether any of the ids is an item of a shared track. */
  private sharesAny(ids: ReadonlySet<string>): boolean {
    for (const p of this.sharedPositions) {
      const track = this.plan?.tracks[p];
      if (track === undefined) continue;
      for (const id of ids) if (track.ids.has(id)) return true;
    }
    return false;
  }

  /**
   * Every item the stream reads, as a stream holding them all would hold it: its own
   * entries and the items of its shared tracks, each once, with every position that reads it.
   */
  private everyEntry(): StreamEntry[] {
    if (this.unsorted) this.sortEntries();
    if (this.sharedPositions.length === 0) return this.entries;
    const targets = new Map<string, { item: Evidence; at: Set<number> }>();
    const add = (item: Evidence, at: readonly number[]) => {
      let t = targets.get(item.id);
      if (t === undefined) {
        t = { item, at: new Set() };
        targets.set(item.id, t);
      }
      for (const i of at) t.at.add(i);
    };
    for (const e of this.entries) add(e.placed.item, e.targets);
    for (const p of this.sharedPositions) for (const q of this.plan?.tracks[p]?.items ?? []) add(q.item, [p]);
    return [...targets.values()]
      .map(({ item, at }) =>
        placeItem(
          this.compiled,
          item,
          [...at].sort((a, b) => a - b),
        ),
      )
      .sort(compareEntries);
  }

  /** The ids of the items the stream holds now (a fresh set). */
  heldIds(): Set<string> {
    return new Set(this.everyEntry().map((e) => e.id));
  }

  /** Whether the stream holds the item (by id, at the day it is placed on). */
  holds(item: Evidence): boolean {
    if (this.unsorted) this.sortEntries();
    const entries = this.entries;
    const probe = { id: item.id, date: item.occurredTo, key: dayKey(item.occurredTo) } as StreamEntry;
    const at = partitionPoint(entries.length, (i) => compareEntries(entries[i] as StreamEntry, probe) < 0);
    if (entries[at]?.id === item.id) return true;
    for (const p of this.sharedPositions) if (this.plan?.tracks[p]?.ids.has(item.id) === true) return true;
    return false;
  }

  /** The claims among the items, as last listed (cleared when an item is added or removed). */
  private claimed: readonly PlacedEvidence[] | undefined;

  /** The items the stream reads that are claims (an author's or the analysis's assertion). */
  claimedItems(): readonly PlacedEvidence[] {
    if (this.unsorted) this.sortEntries();
    if (this.claimed !== undefined) return this.claimed;
    const out: PlacedEvidence[] = [];
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as StreamEntry;
      if (e.placed.item.claim !== undefined) out.push(e.placed);
    }
    for (const p of this.sharedPositions) for (const q of this.plan?.tracks[p]?.claimed() ?? []) out.push(q);
    this.claimed = out;
    return out;
  }

  /** Positions (among the benchmark's indicators) of the indicators each clause reads. */
  clauseUses(): readonly (readonly number[])[] {
    return this.usesAt;
  }

  /** Known entries (for explanations): placed items with their review timing. */
  knownItems(): readonly PlacedEvidence[] {
    return this.everyEntry().map((e) => e.placed);
  }
}

/** Deferred entries by the day they are due, then id. */
function compareDue(a: StreamEntry, b: StreamEntry): number {
  const x = a.deferrableTo as IsoDate;
  const y = b.deferrableTo as IsoDate;
  return compareText(x, y) || byId(a, b);
}
