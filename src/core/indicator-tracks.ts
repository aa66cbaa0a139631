/**
 * Indicators and clauses evaluated once for every benchmark that reads them, up to one day.
 *
 * When many benchmarks read one indicator (72 members of a list whose condition counts the
 * same incidents), each benchmark stream used to keep its own copy of the indicator and
 * sweep every item of it. A track evaluates the indicator once per verification class (the
 * items that meet one bar, or all items) up to a fixed day; a clause track then gives the
 * days on which a clause over such tracks changes truth. A stream that reads the clause
 * visits only those days (and the days of its own items) and reads the rest from the tracks.
 *
 * Invariants (what makes a stream over tracks equal to one that holds every item itself):
 * - A track's state after a day is the state a benchmark stream would give the indicator
 *   after that day: the same items (those the indicator reads, of the class), placed on the
 *   last day of their occurrence and applied in (date, id) order, with time moved on exactly
 *   on the days the indicator's `nextChange` names. Between two of its days an indicator's
 *   value does not change (the contract of `nextChange`), so days on which only other
 *   indicators of a stream change need not be visited.
 * - A clause track's truth on a day is the clause decided over its tracks' full-level bounds
 *   after that day, as `decideClauseAt` decides it for a stream.
 * - Items are placed as for a benchmark without a review rule (a review rule times items per
 *   benchmark), and a track's items are of no kind that is a reversal for the benchmarks that
 *   read it: `sharedPlanFor` checks both. Nothing is shared otherwise.
 * - Pure, and built for one day: a stream over tracks may be advanced to that day only.
 */
import { dayKey, decideClauseAt } from './benchmark-stream.ts';
import type { Bound } from './bounds.ts';
import type { Verification } from './case-model.ts';
import type { CompiledBenchmark, CompiledCase, CompiledIndicator } from './compile-case.ts';
import type { IsoDate } from './dates.ts';
import type { Evidence } from './evidence.ts';
import type { CompiledCondition } from './expressions.ts';
import {
  createIndicatorState,
  FULL_LEVEL,
  type IndicatorInputs,
  type IndicatorState,
  type PlacedEvidence,
} from './indicators.ts';
import { compareText, partitionPoint } from './order.ts';

const NOTHING: readonly PlacedEvidence[] = Object.freeze([]);

/** (date, id) order of placed items, as benchmark streams order their entries. */
function compareKeyed(a: { key: number; p: PlacedEvidence }, b: { key: number; p: PlacedEvidence }): number {
  if (a.key >= 0 && b.key >= 0) {
    if (a.key !== b.key) return a.key - b.key;
  } else if (a.p.date !== b.p.date) return compareText(a.p.date, b.p.date);
  return compareText(a.p.item.id, b.p.item.id);
}

/** One indicator over the items of one verification class, evaluated day by day up to `through`. */
export class IndicatorTrack {
  /** Every item of the class the indicator reads, in (date, id) order (those after `through` included). */
  readonly items: readonly PlacedEvidence[];
  readonly ids: ReadonlySet<string>;
  /** The bound (full level) before any day. */
  readonly initial: Bound;
  /** The days on which something happened to the indicator, ascending, up to `through`. */
  readonly days: readonly IsoDate[];
  /** The full-level bound after each day. */
  readonly bounds: readonly Bound[];
  /** The indicator's state as of `through`: shared by every stream over the track, never changed. */
  readonly final: IndicatorState;
  /** The latest day among the items applied (the newest occurrence the indicator counts). */
  readonly newest: IsoDate | undefined;
  /** Per day: the items that left the window that day, in the order the state gave them. */
  private readonly expired: readonly (readonly PlacedEvidence[])[];
  /** Per day: [from, to) into `items` of the items applied that day. */
  private readonly appliedFrom: readonly number[];
  private readonly appliedTo: readonly number[];
  #claimed: readonly PlacedEvidence[] | undefined;

  constructor(
    readonly indicator: CompiledIndicator,
    items: readonly Evidence[],
    inputs: IndicatorInputs,
    readonly through: IsoDate,
  ) {
    const keyed = items.map((item) => ({ key: dayKey(item.occurredTo), p: { item, date: item.occurredTo } }));
    keyed.sort(compareKeyed);
    const placed = keyed.map((k) => k.p);
    this.items = placed;
    this.ids = new Set(items.map((e) => e.id));
    const state = createIndicatorState(indicator.indicator, inputs.get(indicator.indicator.id));
    this.initial = state.bound(FULL_LEVEL);
    const days: IsoDate[] = [];
    const bounds: Bound[] = [];
    const expired: (readonly PlacedEvidence[])[] = [];
    let scratch: PlacedEvidence[] = [];
    const appliedFrom: number[] = [];
    const appliedTo: number[] = [];
    const timed = state.timeDependent;
    let next = 0;
    for (;;) {
      const p = placed[next];
      let day = p !== undefined && p.date <= through ? p.date : undefined;
      if (timed) {
        const e = state.nextChange();
        if (e !== undefined && e <= through && (day === undefined || e < day)) day = e;
      }
      if (day === undefined) break;
      let gone = NOTHING;
      if (timed) {
        state.advanceTo(day, scratch);
        if (scratch.length > 0) {
          gone = scratch;
          scratch = [];
        }
      }
      const from = next;
      while (next < placed.length && (placed[next] as PlacedEvidence).date === day) {
        state.apply(placed[next] as PlacedEvidence);
        next += 1;
      }
      days.push(day);
      bounds.push(state.bound(FULL_LEVEL));
      expired.push(gone);
      appliedFrom.push(from);
      appliedTo.push(next);
    }
    if (timed) state.advanceTo(through);
    this.days = days;
    this.bounds = bounds;
    this.expired = expired;
    this.appliedFrom = appliedFrom;
    this.appliedTo = appliedTo;
    this.final = state;
    this.newest = next > 0 ? (placed[next - 1] as PlacedEvidence).date : undefined;
  }

  /** The index of `day` among the track's days, or -1. */
  private dayIndex(day: IsoDate): number {
    const days = this.days;
    const at = partitionPoint(days.length, (i) => (days[i] as IsoDate) < day);
    return days[at] === day ? at : -1;
  }

  /** Appends the items that left the window on `day` (none unless it is one of the track's days). */
  expiredOn(day: IsoDate, into: PlacedEvidence[]): void {
    const at = this.dayIndex(day);
    if (at >= 0) for (const p of this.expired[at] as readonly PlacedEvidence[]) into.push(p);
  }

  /** Appends the items applied on `day`, in id order. */
  appliedOn(day: IsoDate, into: PlacedEvidence[]): void {
    const at = this.dayIndex(day);
    if (at < 0) return;
    for (let i = this.appliedFrom[at] as number; i < (this.appliedTo[at] as number); i++)
      into.push(this.items[i] as PlacedEvidence);
  }

  /** The items that are claims (an author's or the analysis's assertion). */
  claimed(): readonly PlacedEvidence[] {
    this.#claimed ??= this.items.filter((p) => p.item.claim !== undefined);
    return this.#claimed;
  }
}

/** One clause over indicator tracks: its truth before any day and the days on which it changes. */
export class ClauseTrack {
  readonly initial: boolean | undefined;
  readonly days: readonly IsoDate[];
  readonly truths: readonly (boolean | undefined)[];

  /** `tracks` are those of the indicators the clause reads, in the order of `condition.uses`. */
  constructor(condition: CompiledCondition, tracks: readonly IndicatorTrack[]) {
    const at = tracks.map((_, i) => i);
    const bounds = tracks.map((t) => t.initial);
    let truth = decideClauseAt(condition, at, bounds);
    this.initial = truth;
    const days: IsoDate[] = [];
    const truths: (boolean | undefined)[] = [];
    const pos = tracks.map(() => 0);
    for (;;) {
      let day: IsoDate | undefined;
      for (let k = 0; k < tracks.length; k++) {
        const d = (tracks[k] as IndicatorTrack).days[pos[k] as number];
        if (d !== undefined && (day === undefined || d < day)) day = d;
      }
      if (day === undefined) break;
      for (let k = 0; k < tracks.length; k++) {
        const t = tracks[k] as IndicatorTrack;
        const i = pos[k] as number;
        if (t.days[i] === day) {
          bounds[k] = t.bounds[i] as Bound;
          pos[k] = i + 1;
        }
      }
      const now = decideClauseAt(condition, at, bounds);
      if (now !== truth) {
        days.push(day);
        truths.push(now);
        truth = now;
      }
    }
    this.days = days;
    this.truths = truths;
  }
}

/** For one stream of a benchmark: the tracks of its shared indicator positions and clauses. */
export interface SharedPlan {
  /** The day the tracks are evaluated to: the only day a stream over them may be advanced to. */
  readonly through: IsoDate;
  /** Per indicator position of the benchmark: its track, when the position is shared. */
  readonly tracks: readonly (IndicatorTrack | undefined)[];
  /** Per condition of the benchmark: its clause track, when every indicator it reads is shared. */
  readonly clauses: readonly (ClauseTrack | undefined)[];
}

/** What a benchmark's two streams share: a plan each, and what they need for explanations. */
export interface SharedStreamsPlan {
  readonly verified: SharedPlan;
  /** For the all-items stream (undefined when the benchmark's bar is trivial: it has none). */
  readonly all: SharedPlan | undefined;
  /** The shared positions: items read only there are not added to the streams. */
  readonly positions: ReadonlySet<number>;
  /** Items of the shared indicators that fall below the benchmark's bar (each once). */
  readonly belowBar: () => readonly Evidence[];
}

function barKey(v: Verification): string {
  return `${v.minReliability}${v.minCredibility}/${v.minSources}`;
}

/**
 * The tracks of a case's evaluation up to one day: built on demand, each once, from the
 * items each indicator reads.
 */
export class TrackStore {
  private readonly tracks = new Map<string, IndicatorTrack>();
  /** A number per track, for keys of clause tracks. */
  private readonly serial = new Map<IndicatorTrack, number>();
  private readonly clauses = new Map<string, ClauseTrack>();
  private readonly kinds = new Map<string, ReadonlySet<string>>();
  private readonly below = new Map<string, readonly Evidence[]>();

  constructor(
    private readonly compiled: CompiledCase,
    /** The standing items each indicator reads, by indicator id. */
    private readonly itemsOf: ReadonlyMap<string, readonly Evidence[]>,
    private readonly inputs: IndicatorInputs,
    readonly through: IsoDate,
    private readonly meets: (e: Evidence, v: Verification) => boolean,
  ) {}

  /** The kinds of the items an indicator reads. */
  kindsOf(indicator: string): ReadonlySet<string> {
    let k = this.kinds.get(indicator);
    if (k === undefined) {
      k = new Set((this.itemsOf.get(indicator) ?? []).map((e) => e.kind));
      this.kinds.set(indicator, k);
    }
    return k;
  }

  /**
   * The track of an indicator over the items that meet `bar` (all items when undefined).
   * When every item meets the bar, it is the track over all items: one item set, one track.
   */
  track(indicator: string, bar: Verification | undefined): IndicatorTrack {
    const key = `${indicator}\u0000${bar === undefined ? '*' : barKey(bar)}`;
    let t = this.tracks.get(key);
    if (t === undefined) {
      const items = this.itemsOf.get(indicator) ?? [];
      const kept = bar === undefined ? items : items.filter((e) => this.meets(e, bar));
      t =
        bar !== undefined && kept.length === items.length
          ? this.track(indicator, undefined)
          : new IndicatorTrack(this.compiled.indicators.get(indicator) as CompiledIndicator, kept, this.inputs, this.through);
      this.tracks.set(key, t);
      if (!this.serial.has(t)) this.serial.set(t, this.serial.size);
    }
    return t;
  }

  /** The clause track of a condition over the tracks of its indicators for `bar` (all items when undefined). */
  clause(condition: CompiledCondition, bar: Verification | undefined): ClauseTrack {
    const tracks = condition.uses.map((id) => this.track(id, bar));
    const key = `${tracks.map((t) => this.serial.get(t)).join(',')}\u0000${condition.uses.join('\u0001')}\u0000${condition.source}`;
    let t = this.clauses.get(key);
    if (t === undefined) {
      t = new ClauseTrack(condition, tracks);
      this.clauses.set(key, t);
    }
    return t;
  }

  /** The items an indicator reads that fall below `bar`. */
  belowBar(indicator: string, bar: Verification): readonly Evidence[] {
    const key = `${indicator}\u0000${barKey(bar)}`;
    let b = this.below.get(key);
    if (b === undefined) {
      b = (this.itemsOf.get(indicator) ?? []).filter((e) => !this.meets(e, bar));
      this.below.set(key, b);
    }
    return b;
  }
}

/**
 * Which indicators and clauses of a benchmark its streams read from tracks, or undefined
 * when none: a clause is shared when every indicator it reads is shareable and read only
 * by shared clauses. An indicator is shareable when it is one of the case's (not a
 * benchmark's findings) and none of its items is of a reversal kind of the benchmark; a
 * benchmark with a review rule shares nothing.
 */
export function sharedPlanFor(cb: CompiledBenchmark, store: TrackStore, withAll: boolean): SharedStreamsPlan | undefined {
  const b = cb.benchmark;
  if (b.review !== undefined) return undefined;
  const position = new Map(cb.indicators.map((ci, i) => [ci.indicator.id, i]));
  const usesAt = cb.conditions.map((c) => c.uses.map((id) => position.get(id) as number));
  const shareable = cb.indicators.map(
    (ci) =>
      ci.findingOf === undefined &&
      ci.indicator.kind !== 'finding' &&
      !b.reversals.some((k) => store.kindsOf(ci.indicator.id).has(k)),
  );
  const shared = usesAt.map((at) => at.length > 0 && at.every((p) => shareable[p] === true));
  // A position read by a clause that is not shared is not shared: that clause reads it day by day.
  for (let changed = true; changed; ) {
    changed = false;
    const ownPositions = new Set(usesAt.flatMap((at, i) => (shared[i] === true ? [] : at)));
    usesAt.forEach((at, i) => {
      if (shared[i] === true && at.some((p) => ownPositions.has(p))) {
        shared[i] = false;
        changed = true;
      }
    });
  }
  if (!shared.includes(true)) return undefined;
  const positions = new Set(usesAt.flatMap((at, i) => (shared[i] === true ? at : [])));
  const bar = b.verification;
  const plan = (cls: Verification | undefined): SharedPlan => ({
    through: store.through,
    tracks: cb.indicators.map((ci, p) => (positions.has(p) ? store.track(ci.indicator.id, cls) : undefined)),
    clauses: cb.conditions.map((c, i) => (shared[i] === true ? store.clause(c, cls) : undefined)),
  });
  let below: readonly Evidence[] | undefined;
  return {
    verified: plan(bar),
    all: withAll ? plan(undefined) : undefined,
    positions,
    belowBar: () => {
      if (below === undefined) {
        const byId = new Map<string, Evidence>();
        for (const p of positions)
          for (const e of store.belowBar((cb.indicators[p] as CompiledIndicator).indicator.id, bar)) byId.set(e.id, e);
        below = [...byId.values()];
      }
      return below;
    },
  };
}
