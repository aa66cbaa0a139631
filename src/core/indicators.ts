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
import { addDuration, type IsoDate } from './dates.ts';
import type { Evidence } from './evidence.ts';
import type { IndicatorValue } from './expressions.ts';

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
  /** Applies window expiries up to and including `date`; returns the items that left the window. */
  expireThrough(date: IsoDate): PlacedEvidence[];
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

export function createIndicatorState(indicator: Indicator): IndicatorState {
  switch (indicator.kind) {
    case 'count':
    case 'sum':
    case 'exists':
      return new WindowState(indicator, [], 0, 0);
    case 'latest':
      return new LatestState(indicator, undefined);
    case 'state':
      return new SwitchState(indicator, new Map(indicator.subjects.map((s) => [s, undefined])));
  }
}

type WindowIndicator = Extract<Indicator, { kind: 'count' | 'sum' | 'exists' }>;

/** count / sum / exists over a trailing window (or all time). */
class WindowState implements IndicatorState {
  constructor(
    readonly indicator: WindowIndicator,
    private active: PlacedEvidence[],
    private head: number,
    private sum: number,
  ) {}

  private amountOf(p: PlacedEvidence): number | undefined {
    const ind = this.indicator;
    if (ind.kind !== 'sum') return 1;
    if (ind.currency !== undefined && p.item.currency !== ind.currency) return undefined;
    return fieldOf(p.item, ind.field);
  }

  expireThrough(date: IsoDate): PlacedEvidence[] {
    const w = this.indicator.window;
    if (w === undefined) return [];
    const expired: PlacedEvidence[] = [];
    while (this.head < this.active.length) {
      const p = this.active[this.head] as PlacedEvidence;
      if (addDuration(p.date, w) > date) break;
      this.sum = Math.round((this.sum - (this.amountOf(p) ?? 0)) * 1e6) / 1e6;
      this.head += 1;
      expired.push(p);
    }
    if (this.head > 64 && this.head * 2 > this.active.length) {
      this.active = this.active.slice(this.head);
      this.head = 0;
    }
    return expired;
  }

  nextExpiry(): IsoDate | undefined {
    const w = this.indicator.window;
    const p = this.active[this.head];
    return w === undefined || p === undefined ? undefined : addDuration(p.date, w);
  }

  apply(p: PlacedEvidence): void {
    const x = this.amountOf(p);
    if (x === undefined) return;
    this.active.push(p);
    this.sum = Math.round((this.sum + x) * 1e6) / 1e6;
  }

  value(): IndicatorValue {
    const n = this.active.length - this.head;
    if (this.indicator.kind === 'exists') return n > 0;
    if (this.indicator.kind === 'count') return n;
    return this.sum;
  }

  support(): PlacedEvidence[] {
    return this.active.slice(this.head);
  }

  describe(date: IsoDate): string {
    const ind = this.indicator;
    const span = ind.window === undefined ? 'all time' : `the ${ind.window.text} to ${date}`;
    const ids = this.support().map((p) => p.item.id);
    const unit = ind.kind === 'sum' && ind.currency !== undefined ? ` ${ind.currency}` : '';
    return `${ind.id} = ${String(this.value())}${unit} over ${span}${ids.length > 0 ? ` (${ids.join(', ')})` : ''}`;
  }

  clone(): IndicatorState {
    return new WindowState(this.indicator, this.active.slice(this.head), 0, this.sum);
  }
}

type LatestIndicator = Extract<Indicator, { kind: 'latest' }>;

class LatestState implements IndicatorState {
  constructor(
    readonly indicator: LatestIndicator,
    private last: PlacedEvidence | undefined,
  ) {}
  expireThrough(): PlacedEvidence[] {
    return [];
  }
  nextExpiry(): undefined {
    return undefined;
  }
  apply(p: PlacedEvidence): void {
    if (fieldOf(p.item, this.indicator.field) !== undefined) this.last = p;
  }
  value(): IndicatorValue | undefined {
    return this.last === undefined ? undefined : fieldOf(this.last.item, this.indicator.field);
  }
  support(): PlacedEvidence[] {
    return this.last === undefined ? [] : [this.last];
  }
  describe(): string {
    const ind = this.indicator;
    const p = this.last;
    if (p === undefined) {
      const kinds = ind.filter.kinds.length > 0 ? ind.filter.kinds.join('/') : 'matching';
      return `${ind.id} = unknown: no ${kinds} evidence with a ${ind.field} yet`;
    }
    return `${ind.id} = ${String(this.value())} (${ind.field} of ${p.item.id}, ${p.date})`;
  }
  clone(): IndicatorState {
    return new LatestState(this.indicator, this.last);
  }
}

/** Per subject: the item that last switched the state, and the latest switching item. */
interface SubjectState {
  readonly on: boolean;
  readonly changedBy: PlacedEvidence;
  readonly latest: PlacedEvidence;
}

class SwitchState implements IndicatorState {
  private readonly on: ReadonlySet<string>;
  constructor(
    readonly indicator: StateIndicator,
    private readonly subjects: Map<string, SubjectState | undefined>,
  ) {
    this.on = new Set(indicator.on);
  }
  expireThrough(): PlacedEvidence[] {
    return [];
  }
  nextExpiry(): undefined {
    return undefined;
  }
  apply(p: PlacedEvidence): void {
    const on = this.on.has(p.item.kind);
    for (const a of p.item.actors) {
      if (!this.subjects.has(a)) continue;
      const before = this.subjects.get(a);
      const initial = this.indicator.initial === 'unknown' ? undefined : this.indicator.initial === 'on';
      const was = before === undefined ? initial : before.on;
      this.subjects.set(a, { on, changedBy: was === on && before !== undefined ? before.changedBy : p, latest: p });
    }
  }
  private subjectOn(s: string): boolean | undefined {
    const st = this.subjects.get(s);
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
    for (const st of this.subjects.values()) {
      if (st === undefined) continue;
      if (!out.includes(st.changedBy)) out.push(st.changedBy);
      if (!out.includes(st.latest)) out.push(st.latest);
    }
    return out.sort(compareByDateThenId);
  }
  describe(): string {
    const ind = this.indicator;
    const parts = ind.subjects.map((s) => {
      const st = this.subjects.get(s);
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
    return new SwitchState(this.indicator, new Map(this.subjects));
  }
}
