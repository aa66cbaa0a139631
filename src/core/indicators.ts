/**
 * Indicators evaluated as a stream of evidence in date order.
 *
 * Invariants:
 * - Items are "placed": each has the day it takes effect (the last day of its
 *   occurrence, or a later day when a review rule defers it). Items are applied in
 *   (day, id) order — same-day items apply in id order, a documented tie-break.
 * - A trailing window W counts an item placed on day d on every day t with
 *   d <= t < d + W; `expireThrough(t)` must be called before items of day t are applied.
 * - `value()` is `undefined` when unknown: a `latest` with no item yet, or a `state`
 *   whose subject has no switching item and an `unknown` initial state.
 * - A state can be cloned; clones share no mutable data with the original.
 */
import type { Indicator, StateIndicator } from './case-model.ts';
import { addDuration, type Duration, type IsoDate } from './dates.ts';
import type { Evidence } from './evidence.ts';
import type { IndicatorValue } from './expressions.ts';
import { COVERAGE_OFF, COVERAGE_ON, describeSeriesSource, type InputMode } from './series.ts';

export interface PlacedEvidence {
  readonly item: Evidence;
  /** The day the item takes effect for this evaluation. */
  readonly date: IsoDate;
  /** The review (id) the item was timed to, when a review rule flagged it. */
  readonly timedTo?: string;
}

export function compareByDateThenId(a: PlacedEvidence, b: PlacedEvidence): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0;
}

export interface IndicatorState {
  readonly indicator: Indicator;
  /** Whether items leave the value as a trailing window moves (`nextExpiry` can be defined). */
  readonly windowed: boolean;
  /**
   * Applies window expiries up to and including `date`; returns the items that left the
   * window, appended to `into` when given.
   */
  expireThrough(date: IsoDate, into?: PlacedEvidence[]): PlacedEvidence[];
  /** The next day on which a window expiry changes the value, if any. */
  nextExpiry(): IsoDate | undefined;
  apply(p: PlacedEvidence): void;
  value(): IndicatorValue | undefined;
  /** The items that make the value what it is now. */
  support(): PlacedEvidence[];
  /** A sentence naming the value and the evidence behind it. */
  describe(date: IsoDate): string;
  clone(): IndicatorState;
}

function fieldOf(e: Evidence, field: 'amount' | 'value' | 'of'): number | undefined {
  if (field === 'amount') return e.amount;
  if (field === 'value') return e.quantity?.value;
  return e.quantity?.of;
}

/**
 * The state of one indicator. `missing` marks a series indicator whose input was not
 * supplied: its value stays unknown.
 */
export function createIndicatorState(indicator: Indicator, mode?: InputMode): IndicatorState {
  if (mode === 'missing') return new MissingState(indicator);
  switch (indicator.kind) {
    case 'count':
    case 'exists':
      return new WindowState(indicator, { mode: indicator.kind, field: 'value', window: indicator.window }, [], 0, 0);
    case 'sum':
      return new WindowState(
        indicator,
        { mode: 'sum', field: indicator.field, window: indicator.window, currency: indicator.currency },
        [],
        0,
        0,
      );
    case 'latest':
      return new LatestState(indicator, indicator.field, undefined);
    case 'state': {
      const shape = switchShapeOf(indicator);
      return new SwitchState(
        indicator,
        shape,
        shape.subjects.map(() => undefined),
      );
    }
    case 'series':
      return indicator.aggregate === 'latest'
        ? new LatestState(indicator, 'value', undefined)
        : new WindowState(
            indicator,
            { mode: indicator.aggregate, field: 'value', window: indicator.window, coverage: mode === 'coverage' },
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
  /** Values are known only while coverage markers say the window is covered. */
  readonly coverage?: boolean;
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
  get windowed(): boolean {
    return this.spec.window !== undefined;
  }

  constructor(
    readonly indicator: Indicator,
    private readonly spec: WindowSpec,
    private active: PlacedEvidence[],
    private head: number,
    private sum: number,
    private covered = false,
    /** With a window: the day each active item leaves it (`addDuration(date, window)`), computed once per item. */
    private expiries: IsoDate[] = [],
  ) {}

  private amountOf(p: PlacedEvidence): number | undefined {
    const spec = this.spec;
    if (spec.mode === 'count' || spec.mode === 'exists') return 1;
    if (spec.currency !== undefined && p.item.currency !== spec.currency) return undefined;
    return fieldOf(p.item, spec.field);
  }

  expireThrough(date: IsoDate, expired: PlacedEvidence[] = []): PlacedEvidence[] {
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

  nextExpiry(): IsoDate | undefined {
    return this.head < this.active.length ? this.expiries[this.head] : undefined;
  }

  apply(p: PlacedEvidence): void {
    if (this.spec.coverage === true && p.item.tags.length > 0) {
      if (p.item.tags.includes(COVERAGE_ON)) this.covered = true;
      if (p.item.tags.includes(COVERAGE_OFF)) this.covered = false;
      return;
    }
    const x = this.amountOf(p);
    if (x === undefined) return;
    this.active.push(p);
    if (this.spec.window !== undefined) this.expiries.push(addDurationCached(p.date, this.spec.window));
    this.sum = Math.round((this.sum + x) * 1e6) / 1e6;
  }

  value(): IndicatorValue | undefined {
    if (this.spec.coverage === true && !this.covered) return undefined;
    const n = this.active.length - this.head;
    switch (this.spec.mode) {
      case 'exists':
        return n > 0;
      case 'count':
        return n;
      case 'sum':
        return this.sum;
      case 'mean':
        return n === 0 ? undefined : Math.round((this.sum / n) * 1e6) / 1e6;
    }
  }

  support(): PlacedEvidence[] {
    return this.active.slice(this.head);
  }

  describe(date: IsoDate): string {
    const spec = this.spec;
    const span = spec.window === undefined ? 'all time' : `the ${spec.window.text} to ${date}`;
    const items = this.support();
    const v = this.value();
    const unit = spec.currency !== undefined ? ` ${spec.currency}` : '';
    if (this.indicator.kind === 'series' && spec.coverage === true && !this.covered) {
      return `${this.indicator.id} = unknown: the loaded data (${describeSeriesSource(this.indicator)}) does not cover all of the ${spec.window?.text ?? 'period'} to ${date}`;
    }
    if (this.indicator.kind === 'series') {
      return `${this.indicator.id} = ${v === undefined ? 'unknown' : String(v)} (${spec.mode} of ${items.length} point${items.length === 1 ? '' : 's'} of ${describeSeriesSource(this.indicator)} over ${span})`;
    }
    const ids = items.map((p) => p.item.id);
    return `${this.indicator.id} = ${String(v)}${unit} over ${span}${ids.length > 0 ? ` (${ids.join(', ')})` : ''}`;
  }

  clone(): IndicatorState {
    return new WindowState(
      this.indicator,
      this.spec,
      this.active.slice(this.head),
      0,
      this.sum,
      this.covered,
      this.expiries.slice(this.head),
    );
  }
}

/** A series indicator whose input was not supplied. */
class MissingState implements IndicatorState {
  readonly windowed = false;
  constructor(readonly indicator: Indicator) {}
  expireThrough(_date: IsoDate, into: PlacedEvidence[] = []): PlacedEvidence[] {
    return into;
  }
  nextExpiry(): undefined {
    return undefined;
  }
  apply(): void {}
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

class LatestState implements IndicatorState {
  readonly windowed = false;
  constructor(
    readonly indicator: Indicator,
    private readonly field: 'amount' | 'value' | 'of',
    private last: PlacedEvidence | undefined,
  ) {}
  expireThrough(_date: IsoDate, into: PlacedEvidence[] = []): PlacedEvidence[] {
    return into;
  }
  nextExpiry(): undefined {
    return undefined;
  }
  apply(p: PlacedEvidence): void {
    if (fieldOf(p.item, this.field) !== undefined) this.last = p;
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

/** Per subject: the item that last switched the state, and the latest switching item. */
interface SubjectState {
  readonly on: boolean;
  readonly changedBy: PlacedEvidence;
  readonly latest: PlacedEvidence;
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

class SwitchState implements IndicatorState {
  readonly windowed = false;
  constructor(
    readonly indicator: StateIndicator,
    private readonly shape: SwitchShape,
    /** Per subject of `shape` (same positions): its state, undefined before any switching item. */
    private readonly states: (SubjectState | undefined)[],
  ) {}
  expireThrough(_date: IsoDate, into: PlacedEvidence[] = []): PlacedEvidence[] {
    return into;
  }
  nextExpiry(): undefined {
    return undefined;
  }
  apply(p: PlacedEvidence): void {
    const on = this.shape.on.has(p.item.kind);
    for (const a of p.item.actors) {
      const at = this.shape.subjects.indexOf(a);
      if (at < 0) continue;
      const before = this.states[at];
      const initial = this.indicator.initial === 'unknown' ? undefined : this.indicator.initial === 'on';
      const was = before === undefined ? initial : before.on;
      this.states[at] = { on, changedBy: was === on && before !== undefined ? before.changedBy : p, latest: p };
    }
  }
  private stateOf(subject: string): SubjectState | undefined {
    return this.states[this.shape.subjects.indexOf(subject)];
  }
  private subjectOn(s: string): boolean | undefined {
    const st = this.stateOf(s);
    if (st === undefined) return this.indicator.initial === 'unknown' ? undefined : this.indicator.initial === 'on';
    return st.on;
  }
  value(): IndicatorValue | undefined {
    let n = 0;
    for (const s of this.indicator.subjects) {
      const v = this.subjectOn(s);
      if (v === undefined) return undefined;
      if (v) n += 1;
    }
    return n;
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
  describe(): string {
    const ind = this.indicator;
    const parts = ind.subjects.map((s) => {
      const st = this.stateOf(s);
      if (st === undefined) {
        return ind.initial === 'unknown'
          ? `${s} unknown (no ${[...ind.on, ...ind.off].join('/')} evidence)`
          : `${s} ${ind.initial} (no switching evidence; the case's initial state)`;
      }
      const latest = st.latest === st.changedBy ? '' : `; latest ${st.latest.item.kind} ${st.latest.item.id}`;
      return `${s} ${st.on ? 'on' : 'off'} since ${st.changedBy.date} (${st.changedBy.item.kind}, ${st.changedBy.item.id}${latest})`;
    });
    const v = this.value();
    return `${ind.id} = ${v === undefined ? 'unknown' : String(v)}: ${parts.join('; ')}`;
  }
  clone(): IndicatorState {
    return new SwitchState(this.indicator, this.shape, this.states.slice());
  }
}
