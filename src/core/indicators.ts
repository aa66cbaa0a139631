/**
 * Indicators evaluated as a stream of evidence in date order.
 *
 * Invariants:
 * - Items are "placed": each has the day it takes effect (the last day of its
 *   occurrence, or a later day when a review rule defers it). Items are applied in
 *   (day, id) order — same-day items apply in id order, a documented tie-break.
 * - A trailing window W counts an item placed on day d on every day t with
 *   d <= t < d + W; `advanceTo(t)` must be called before items of day t are applied, and
 *   on every day `nextChange()` names (window expiries, coverage starting or ending).
 * - What is known of the value is a `Bound` at three levels of what it may rest on
 *   (`LEVELS`): recorded evidence alone; plus monitored absence (a window wholly covered
 *   by the case's monitoring, or by the loaded event data); plus the case's defaults (a
 *   `state` subject with no record takes the indicator's `initial` state). Each level
 *   knows at least what the one before it knows. A count, sum or exists whose window is
 *   not covered is only a lower bound: unrecorded items may exist (sums take unrecorded
 *   items as not negative). `value()` is the exact value at the full level, or undefined.
 * - A state can be cloned; clones share no mutable data with the original (coverage is
 *   shared: it belongs to the evaluation, not to one state).
 */
import { ANY_BOOL, type Bound, describeBound, exactBound, isExact, UNBOUNDED } from './bounds.ts';
import { type FindingIndicator, findingGradeValue, type Indicator, type StateIndicator } from './case-model.ts';
import type { Coverage } from './coverage.ts';
import { addDuration, type Duration, type IsoDate } from './dates.ts';
import type { Evidence } from './evidence.ts';
import type { IndicatorValue } from './expressions.ts';
import { describeSeriesSource } from './series.ts';

/** Orders before every real day: the evaluation has not reached any day yet. */
const BEFORE_ALL_DAYS = '0000-00-00';

export interface PlacedEvidence {
  readonly item: Evidence;
  /** The day the item takes effect for this evaluation. */
  readonly date: IsoDate;
  /** The review (id) the item falls just before, when a review rule times it. */
  readonly timedTo?: string;
}

export function compareByDateThenId(a: PlacedEvidence, b: PlacedEvidence): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0;
}

/** What a value may rest on, from least to most: recorded evidence, monitored absence, the case's defaults. */
export const LEVELS = ['evidence', 'monitoring', 'default'] as const;
export type Level = 0 | 1 | 2;
export const EVIDENCE_LEVEL: Level = 0;
export const MONITORED_LEVEL: Level = 1;
export const FULL_LEVEL: Level = 2;

/** How an indicator's input stands: supplied or not (a series whose data was not loaded), and its coverage. */
export interface IndicatorInput {
  readonly missing: boolean;
  readonly coverage?: Coverage;
}
export type IndicatorInputs = ReadonlyMap<string, IndicatorInput>;

/** A subject of a `state` indicator whose value rests on the case's `initial` state (no switching record). */
export interface DefaultedSubject {
  readonly subject: string;
  readonly state: 'on' | 'off' | 'unknown';
}

/** A subject of a `state` indicator now: on, off or unknown, and its latest record (undefined: no record, the default). */
export interface SubjectNow {
  readonly subject: string;
  readonly state: 'on' | 'off' | 'unknown';
  readonly record: PlacedEvidence | undefined;
}

export interface IndicatorState {
  readonly indicator: Indicator;
  /** Whether the value changes with time alone (window expiries, coverage); `nextChange` can then be defined. */
  readonly timeDependent: boolean;
  /**
   * Applies the changes time brings up to and including `date`; returns the items that
   * left the window, appended to `into` when given.
   */
  advanceTo(date: IsoDate, into?: PlacedEvidence[]): PlacedEvidence[];
  /** The next day on which time alone changes the value, if any. */
  nextChange(): IsoDate | undefined;
  apply(p: PlacedEvidence): void;
  /** What is known of the value, resting on the given level and those below it. */
  bound(level: Level): Bound;
  /** The exact value at the full level, or undefined when it is not pinned down. */
  value(): IndicatorValue | undefined;
  /** The items that make the value what it is now. */
  support(): PlacedEvidence[];
  /** State subjects whose value is the case's default (no record); empty for other kinds. */
  defaults(): DefaultedSubject[];
  /**
   * For a `state` indicator: the records of the subjects now in `state` (on or off), and the
   * bound at a level were those records unknown — to tell which records decide a condition.
   * Undefined for other kinds.
   */
  recordsIn?(state: boolean): { readonly support: readonly PlacedEvidence[]; readonly boundWithout: (level: Level) => Bound };
  /** For a `state` indicator: each subject's state now (full level) and the record it rests on (none: the default). */
  subjectStates?(): readonly SubjectNow[];
  /** Why the value is not exact, when unwatched time is the reason: a phrase; undefined otherwise. */
  gap(date: IsoDate): string | undefined;
  /** Whether monitoring (or the loaded data's coverage) vouches for the value today: silence is then informative. */
  watched(): boolean;
  /** What the indicator's coverage rests on (monitoring ids, or the dataset); empty without coverage. */
  monitoringBasis(): readonly string[];
  /** A sentence naming the value and the evidence behind it. */
  describe(date: IsoDate): string;
  clone(): IndicatorState;
}

function fieldOf(e: Evidence, field: 'amount' | 'value' | 'of'): number | undefined {
  if (field === 'amount') return e.amount;
  if (field === 'value') return e.quantity?.value;
  return e.quantity?.of;
}

const BOOL_OR_NUM = (ind: Indicator, b: Bound): IndicatorValue | undefined => {
  if (!isExact(b)) return undefined;
  return ind.kind === 'exists' ? b.lo === 1 : b.lo;
};

/** The state of one indicator with its input (absent: an evidence indicator with no monitoring). */
/**
 * `[lo, hi]`: the bound last returned at `level` when it is the same (an unchanged value
 * allocates nothing on the hot path), else a new one, remembered in `last`.
 */
function reuseBound(last: (Bound | undefined)[], level: Level, lo: number, hi: number): Bound {
  const prev = last[level];
  if (prev !== undefined && prev.lo === lo && prev.hi === hi) return prev;
  const b = { lo, hi };
  last[level] = b;
  return b;
}

export function createIndicatorState(indicator: Indicator, input?: IndicatorInput): IndicatorState {
  if (input?.missing === true) return new MissingState(indicator);
  const coverage = input?.coverage;
  switch (indicator.kind) {
    case 'count':
    case 'exists':
      return new WindowState(indicator, { mode: indicator.kind, field: 'value', window: indicator.window, coverage }, [], 0, 0);
    case 'sum':
      return new WindowState(
        indicator,
        { mode: 'sum', field: indicator.field, window: indicator.window, currency: indicator.currency, coverage },
        [],
        0,
        0,
      );
    case 'latest':
      return new LatestState(indicator, indicator.field, undefined);
    case 'finding':
      return new FindingState(indicator, undefined);
    case 'state': {
      const shape = switchShapeOf(indicator);
      return new SwitchState(
        indicator,
        shape,
        shape.subjects.map(() => undefined),
        coverage,
        undefined,
      );
    }
    case 'series':
      return indicator.aggregate === 'latest'
        ? new LatestState(indicator, 'value', undefined)
        : new WindowState(
            indicator,
            { mode: indicator.aggregate, field: 'value', window: indicator.window, coverage, data: true },
            [],
            0,
            0,
          );
  }
}

interface WindowSpec {
  readonly mode: 'count' | 'exists' | 'sum' | 'mean';
  readonly field: 'amount' | 'value';
  readonly window: Duration | undefined;
  readonly currency?: string | undefined;
  /** Days watched: without it an evidence indicator is only a lower bound, a series is complete. */
  readonly coverage?: Coverage | undefined;
  /** A series: its points are data, complete unless coverage says otherwise. */
  readonly data?: boolean;
}

/** Per duration: `addDuration` results by day (the same days and durations recur, so each is computed once). */
const durationEnds = new WeakMap<Duration, Map<IsoDate, IsoDate>>();

/** `addDuration(date, d)`, remembered per duration object and day. */
export function addDurationCached(date: IsoDate, d: Duration): IsoDate {
  let ends = durationEnds.get(d);
  if (ends === undefined) {
    ends = new Map();
    durationEnds.set(d, ends);
  }
  let end = ends.get(date);
  if (end === undefined) {
    end = addDuration(date, d);
    ends.set(date, end);
  }
  return end;
}

/** count / sum / exists / mean over a trailing window (or all time). */
class WindowState implements IndicatorState {
  get timeDependent(): boolean {
    return this.spec.window !== undefined;
  }

  constructor(
    readonly indicator: Indicator,
    private readonly spec: WindowSpec,
    private active: PlacedEvidence[],
    private head: number,
    private sum: number,
    /** The last day `advanceTo` reached. */
    private today: IsoDate | undefined = undefined,
    /** With a window: the day each active item leaves it (`addDuration(date, window)`), computed once per item. */
    private expiries: IsoDate[] = [],
  ) {}

  private amountOf(p: PlacedEvidence): number | undefined {
    const spec = this.spec;
    if (spec.mode === 'count' || spec.mode === 'exists') return 1;
    if (spec.currency !== undefined && p.item.currency !== spec.currency) return undefined;
    return fieldOf(p.item, spec.field);
  }

  advanceTo(date: IsoDate, expired: PlacedEvidence[] = []): PlacedEvidence[] {
    this.today = date;
    if (this.spec.window === undefined) return expired;
    while (this.head < this.active.length) {
      if ((this.expiries[this.head] as IsoDate) > date) break;
      const p = this.active[this.head] as PlacedEvidence;
      this.sum = Math.round((this.sum - (this.amountOf(p) ?? 0)) * 1e6) / 1e6;
      this.head += 1;
      expired.push(p);
    }
    if (this.head > 64 && this.head * 2 > this.active.length) {
      this.active = this.active.slice(this.head);
      this.expiries = this.expiries.slice(this.head);
      this.head = 0;
    }
    return expired;
  }

  nextChange(): IsoDate | undefined {
    const expiry = this.head < this.active.length ? this.expiries[this.head] : undefined;
    const cov = this.spec.coverage;
    if (cov === undefined) return expiry;
    const toggle = cov.nextWindowChange(this.today ?? BEFORE_ALL_DAYS, this.spec.window);
    if (toggle === undefined) return expiry;
    return expiry === undefined || toggle < expiry ? toggle : expiry;
  }

  apply(p: PlacedEvidence): void {
    const x = this.amountOf(p);
    if (x === undefined) return;
    this.active.push(p);
    if (this.spec.window !== undefined) this.expiries.push(addDurationCached(p.date, this.spec.window));
    this.sum = Math.round((this.sum + x) * 1e6) / 1e6;
  }

  /** Whether the window ending today is wholly watched (a series without coverage is complete data). */
  private covered(): boolean {
    const cov = this.spec.coverage;
    if (cov === undefined) return this.spec.data === true;
    return this.today !== undefined && cov.windowCovered(this.today, this.spec.window);
  }

  /** The last bound returned per level, reused while it is unchanged (no allocation on the hot path). */
  private readonly lastBound: (Bound | undefined)[] = [];

  bound(level: Level): Bound {
    const n = this.active.length - this.head;
    const covered = (this.spec.data === true || level > 0) && this.covered();
    let lo: number;
    let hi: number;
    switch (this.spec.mode) {
      case 'exists':
        lo = n > 0 ? 1 : 0;
        hi = n > 0 || !covered ? 1 : 0;
        break;
      case 'count':
        lo = n;
        hi = covered ? n : Number.POSITIVE_INFINITY;
        break;
      case 'sum':
        lo = this.sum;
        hi = covered ? this.sum : Number.POSITIVE_INFINITY;
        break;
      case 'mean':
        if (covered && n > 0) {
          lo = Math.round((this.sum / n) * 1e6) / 1e6;
          hi = lo;
        } else {
          lo = Number.NEGATIVE_INFINITY;
          hi = Number.POSITIVE_INFINITY;
        }
        break;
    }
    return reuseBound(this.lastBound, level, lo, hi);
  }

  value(): IndicatorValue | undefined {
    return BOOL_OR_NUM(this.indicator, this.bound(2));
  }

  support(): PlacedEvidence[] {
    return this.active.slice(this.head);
  }

  defaults(): DefaultedSubject[] {
    return [];
  }

  watched(): boolean {
    return this.spec.coverage !== undefined && this.covered();
  }

  monitoringBasis(): readonly string[] {
    return this.spec.coverage?.basis ?? [];
  }

  gap(date: IsoDate): string | undefined {
    if (this.covered()) return undefined;
    const cov = this.spec.coverage;
    if (this.indicator.kind === 'series') {
      return cov === undefined
        ? undefined
        : `the loaded data (${describeSeriesSource(this.indicator)}) does not cover all of the ${this.spec.window?.text ?? 'period'} to ${date}`;
    }
    if (cov === undefined) {
      return `${this.spec.window === undefined ? `all time to ${date}` : `the ${this.spec.window.text} to ${date}`} is not monitored (the case declares no monitoring for ${this.indicator.id}), so unrecorded items may exist`;
    }
    return `${cov.describeGap(date, this.spec.window)}, so unrecorded items may exist`;
  }

  describe(date: IsoDate): string {
    const spec = this.spec;
    const span = spec.window === undefined ? 'all time' : `the ${spec.window.text} to ${date}`;
    const items = this.support();
    const type = this.indicator.kind === 'exists' ? 'bool' : 'double';
    const shown = describeBound(this.bound(2), type);
    const unit = spec.currency !== undefined ? ` ${spec.currency}` : '';
    const gap = this.gap(date);
    if (this.indicator.kind === 'series') {
      const base = `${this.indicator.id} = ${shown} (${spec.mode} of ${items.length} point${items.length === 1 ? '' : 's'} of ${describeSeriesSource(this.indicator)} over ${span})`;
      return gap === undefined ? base : `${base}: ${gap}`;
    }
    const ids = items.map((p) => p.item.id);
    const base = `${this.indicator.id} = ${shown}${unit} over ${span}${ids.length > 0 ? ` (${ids.join(', ')})` : ' (no recorded item)'}`;
    return gap === undefined ? `${base}; monitored throughout` : `${base}: ${gap}`;
  }

  clone(): IndicatorState {
    return new WindowState(
      this.indicator,
      this.spec,
      this.active.slice(this.head),
      0,
      this.sum,
      this.today,
      this.expiries.slice(this.head),
    );
  }
}

/** What the states without time dependence, coverage or defaults share. */
abstract class Timeless {
  readonly timeDependent = false;
  advanceTo(_date: IsoDate, into: PlacedEvidence[] = []): PlacedEvidence[] {
    return into;
  }
  nextChange(): undefined {
    return undefined;
  }
  defaults(): DefaultedSubject[] {
    return [];
  }
  gap(): string | undefined {
    return undefined;
  }
  watched(): boolean {
    return false;
  }
  monitoringBasis(): readonly string[] {
    return [];
  }
}

/** A series indicator whose input was not supplied. */
class MissingState extends Timeless implements IndicatorState {
  constructor(readonly indicator: Indicator) {
    super();
  }
  apply(): void {}
  bound(): Bound {
    return this.indicator.kind === 'exists' ? ANY_BOOL : UNBOUNDED;
  }
  value(): undefined {
    return undefined;
  }
  support(): PlacedEvidence[] {
    return [];
  }
  describe(): string {
    const what = this.indicator.kind === 'series' ? describeSeriesSource(this.indicator) : this.indicator.kind;
    return `${this.indicator.id} = unknown: its input (${what}) was not supplied — load the data (proviso ingest / proviso import) to evaluate it`;
  }
  clone(): IndicatorState {
    return this;
  }
}

class LatestState extends Timeless implements IndicatorState {
  constructor(
    readonly indicator: Indicator,
    private readonly field: 'amount' | 'value' | 'of',
    private last: PlacedEvidence | undefined,
  ) {
    super();
  }
  apply(p: PlacedEvidence): void {
    if (fieldOf(p.item, this.field) !== undefined) this.last = p;
  }
  /** The bound last returned, reused while the value is the same. */
  private lastBound: Bound | undefined;
  bound(): Bound {
    const v = this.value();
    if (v === undefined) return UNBOUNDED;
    const n = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    const last = this.lastBound;
    if (last !== undefined && Object.is(last.lo, n) && Object.is(last.hi, n)) return last;
    this.lastBound = exactBound(v);
    return this.lastBound;
  }
  value(): IndicatorValue | undefined {
    return this.last === undefined ? undefined : fieldOf(this.last.item, this.field);
  }
  support(): PlacedEvidence[] {
    return this.last === undefined ? [] : [this.last];
  }
  describe(): string {
    const ind = this.indicator;
    const p = this.last;
    if (ind.kind === 'series') {
      return p === undefined
        ? `${ind.id} = unknown: no point of ${describeSeriesSource(ind)} known yet`
        : `${ind.id} = ${String(this.value())} (latest point of ${describeSeriesSource(ind)}, for ${p.date})`;
    }
    if (p === undefined) {
      const kinds = ind.filter.kinds.length > 0 ? ind.filter.kinds.join('/') : 'matching';
      return `${ind.id} = unknown: no ${kinds} evidence with a ${this.field} yet`;
    }
    return `${ind.id} = ${String(this.value())} (${this.field} of ${p.item.id}, ${p.date})`;
  }
  clone(): IndicatorState {
    return new LatestState(this.indicator, this.field, this.last);
  }
}

/** What a finding indicator is known to be when no graded finding pins it: any grade. */
const ANY_GRADE: Bound = { lo: 0, hi: 2 };
/** The exact bound of each grade value (bounds are never changed, so one object serves every state). */
const GRADE_BOUNDS: readonly Bound[] = [0, 1, 2].map((v) => Object.freeze(exactBound(v)));

/**
 * The latest finding about one benchmark (by its assessor, if the benchmark names one):
 * its grade, or unknown when there is none or the latest did not assess the benchmark.
 * Findings are evidence: the value is the same at every level.
 */
class FindingState extends Timeless implements IndicatorState {
  constructor(
    readonly indicator: FindingIndicator,
    private last: PlacedEvidence | undefined,
  ) {
    super();
  }
  apply(p: PlacedEvidence): void {
    this.last = p;
  }
  bound(): Bound {
    const v = this.value();
    return v === undefined ? ANY_GRADE : (GRADE_BOUNDS[v as number] ?? exactBound(v));
  }
  value(): IndicatorValue | undefined {
    const grade = this.last?.item.finding?.grade;
    return grade === undefined ? undefined : findingGradeValue(grade);
  }
  support(): PlacedEvidence[] {
    return this.last === undefined ? [] : [this.last];
  }
  override gap(): string | undefined {
    const by = this.indicator.assessor === undefined ? '' : ` by ${this.indicator.assessor}`;
    const p = this.last;
    if (p === undefined) return `no finding${by} on ${this.indicator.benchmark} recorded`;
    if (this.value() === undefined)
      return `the latest finding${by} (${p.item.id}, ${p.date}) did not assess ${this.indicator.benchmark}`;
    return undefined;
  }
  describe(): string {
    const p = this.last;
    const gap = this.gap();
    if (p === undefined || gap !== undefined) return `latest finding = unknown: ${gap ?? ''}`;
    return `latest finding = ${p.item.finding?.grade ?? 'unknown'} (${p.item.finding?.assessor ?? 'assessor not named'}, ${p.item.id}, ${p.date})`;
  }
  clone(): IndicatorState {
    return new FindingState(this.indicator, this.last);
  }
}

/** Per subject: the item that last switched the state, and the latest switching item. */
interface SubjectState {
  readonly on: boolean;
  readonly changedBy: PlacedEvidence;
  readonly latest: PlacedEvidence;
  /** With coverage: the first unwatched day after the latest record (from then on, the state is unknown). */
  readonly unwatchedFrom?: IsoDate;
}

/** What every state of one `state` indicator shares: its subjects, each once, in order, and the kinds that switch on. */
interface SwitchShape {
  readonly subjects: readonly string[];
  readonly on: ReadonlySet<string>;
}

const switchShapes = new WeakMap<StateIndicator, SwitchShape>();

function switchShapeOf(indicator: StateIndicator): SwitchShape {
  let shape = switchShapes.get(indicator);
  if (shape === undefined) {
    shape = { subjects: [...new Set(indicator.subjects)], on: new Set(indicator.on) };
    switchShapes.set(indicator, shape);
  }
  return shape;
}

/**
 * A boolean state per subject, switched by evidence kinds. Without monitoring, a
 * subject's latest record stands until the next; with monitoring, it stands only while
 * the days since it are watched. A subject with no record has the case's `initial` state
 * — a default, told apart from evidence at the evidence level.
 */
class SwitchState implements IndicatorState {
  get timeDependent(): boolean {
    return this.coverage !== undefined;
  }
  constructor(
    readonly indicator: StateIndicator,
    private readonly shape: SwitchShape,
    /** Per subject of `shape` (same positions): its state, undefined before any switching item. */
    private readonly states: (SubjectState | undefined)[],
    private readonly coverage: Coverage | undefined,
    private today: IsoDate | undefined,
  ) {}
  advanceTo(date: IsoDate, into: PlacedEvidence[] = []): PlacedEvidence[] {
    this.today = date;
    return into;
  }
  nextChange(): IsoDate | undefined {
    if (this.coverage === undefined) return undefined;
    const today = this.today ?? BEFORE_ALL_DAYS;
    let next: IsoDate | undefined;
    for (const st of this.states) {
      const u = st?.unwatchedFrom;
      if (u !== undefined && u > today && (next === undefined || u < next)) next = u;
    }
    return next;
  }
  apply(p: PlacedEvidence): void {
    const on = this.shape.on.has(p.item.kind);
    for (const a of p.item.actors) {
      const at = this.shape.subjects.indexOf(a);
      if (at < 0) continue;
      const before = this.states[at];
      const initial = this.indicator.initial === 'unknown' ? undefined : this.indicator.initial === 'on';
      const was = before === undefined ? initial : before.on;
      const changedBy = was === on && before !== undefined ? before.changedBy : p;
      this.states[at] =
        this.coverage === undefined
          ? { on, changedBy, latest: p }
          : { on, changedBy, latest: p, unwatchedFrom: this.coverage.firstGapAfter(p.date) };
    }
  }
  private stateOf(subject: string): SubjectState | undefined {
    return this.states[this.shape.subjects.indexOf(subject)];
  }
  /** A subject's state at a level: on, off, or undefined when not known at that level. */
  private subjectAt(s: string, level: Level): boolean | undefined {
    const st = this.stateOf(s);
    if (st === undefined) return level < 2 || this.indicator.initial === 'unknown' ? undefined : this.indicator.initial === 'on';
    if (st.unwatchedFrom !== undefined && this.today !== undefined && this.today >= st.unwatchedFrom) return undefined;
    return st.on;
  }
  /** The last bound returned per level, reused while it is unchanged. */
  private readonly lastBound: (Bound | undefined)[] = [];
  bound(level: Level): Bound {
    let lo = 0;
    let hi = 0;
    for (const s of this.shape.subjects) {
      const v = this.subjectAt(s, level);
      if (v === undefined) hi += 1;
      else if (v) {
        lo += 1;
        hi += 1;
      }
    }
    return reuseBound(this.lastBound, level, lo, hi);
  }
  value(): IndicatorValue | undefined {
    const b = this.bound(2);
    return isExact(b) ? b.lo : undefined;
  }
  support(): PlacedEvidence[] {
    const out: PlacedEvidence[] = [];
    for (let i = 0; i < this.shape.subjects.length; i++) {
      const st = this.states[i];
      if (st === undefined) continue;
      if (!out.includes(st.changedBy)) out.push(st.changedBy);
      if (!out.includes(st.latest)) out.push(st.latest);
    }
    return out.sort(compareByDateThenId);
  }
  defaults(): DefaultedSubject[] {
    return this.shape.subjects
      .filter((s) => this.stateOf(s) === undefined)
      .map((subject) => ({ subject, state: this.indicator.initial }));
  }
  subjectStates(): SubjectNow[] {
    return this.shape.subjects.map((subject) => {
      const v = this.subjectAt(subject, 2);
      return { subject, state: v === undefined ? 'unknown' : v ? 'on' : 'off', record: this.stateOf(subject)?.latest };
    });
  }
  recordsIn(state: boolean): { readonly support: readonly PlacedEvidence[]; readonly boundWithout: (level: Level) => Bound } {
    const support: PlacedEvidence[] = [];
    const dropped = new Set<string>();
    for (const s of this.shape.subjects) {
      const st = this.stateOf(s);
      if (st === undefined || this.subjectAt(s, 0) !== state) continue;
      dropped.add(s);
      if (!support.includes(st.changedBy)) support.push(st.changedBy);
      if (!support.includes(st.latest)) support.push(st.latest);
    }
    const boundWithout = (level: Level): Bound => {
      let lo = 0;
      let hi = 0;
      for (const s of this.shape.subjects) {
        const v = dropped.has(s) ? undefined : this.subjectAt(s, level);
        if (v === undefined) hi += 1;
        else if (v) {
          lo += 1;
          hi += 1;
        }
      }
      return { lo, hi };
    };
    return { support: support.sort(compareByDateThenId), boundWithout };
  }
  monitoringBasis(): readonly string[] {
    return this.coverage?.basis ?? [];
  }
  watched(): boolean {
    const cov = this.coverage;
    if (cov === undefined || this.today === undefined || !cov.covers(this.today)) return false;
    return this.gap() === undefined;
  }
  gap(): string | undefined {
    const cov = this.coverage;
    if (cov === undefined || this.today === undefined) return undefined;
    const today = this.today;
    const lapsed = this.shape.subjects.filter((s) => {
      const u = this.stateOf(s)?.unwatchedFrom;
      return u !== undefined && today >= u;
    });
    if (lapsed.length === 0) return undefined;
    return lapsed
      .map((s) => `${s}: not monitored since ${this.stateOf(s)?.unwatchedFrom ?? '—'}, after its last record`)
      .join('; ');
  }
  describe(): string {
    const ind = this.indicator;
    const today = this.today;
    const parts = ind.subjects.map((s) => {
      const st = this.stateOf(s);
      if (st === undefined) {
        return ind.initial === 'unknown'
          ? `${s} unknown (no ${[...ind.on, ...ind.off].join('/')} record)`
          : `${s} ${ind.initial} by the case's default (no ${[...ind.on, ...ind.off].join('/')} record)`;
      }
      if (st.unwatchedFrom !== undefined && today !== undefined && today >= st.unwatchedFrom) {
        return `${s} unknown (last ${st.latest.item.kind} ${st.latest.item.id} on ${st.latest.date}; not monitored since ${st.unwatchedFrom})`;
      }
      const latest = st.latest === st.changedBy ? '' : `; latest ${st.latest.item.kind} ${st.latest.item.id}`;
      return `${s} ${st.on ? 'on' : 'off'} since ${st.changedBy.date} (${st.changedBy.item.kind}, ${st.changedBy.item.id}${latest})`;
    });
    return `${ind.id} = ${describeBound(this.bound(2), 'int')}: ${parts.join('; ')}`;
  }
  clone(): IndicatorState {
    return new SwitchState(this.indicator, this.shape, this.states.slice(), this.coverage, this.today);
  }
}
