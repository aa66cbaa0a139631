/**
 * Coverage: the days on which an indicator's inputs were watched, so that the absence of
 * a record means the absence of the thing.
 *
 * Two kinds of input have coverage: evidence indicators named by the case's `monitoring`
 * (the analyst's claim that everything the source reported in a span was recorded), and
 * event-data series (the days whose files were ingested). An indicator without coverage
 * has none: for evidence indicators, recorded items then give only a lower bound.
 *
 * Invariants:
 * - Ranges are inclusive, sorted, merged (no two overlap or touch).
 * - A trailing window W is covered on day t when every day d with d <= t < d + W lies in
 *   one range: t lies in [addDuration(from - 1, W), to] of some range (by monotonicity of
 *   calendar addition, the last day before `from` is the one that leaves the window last).
 * - `ranges` may be replaced (a monitoring claim becomes known during a history sweep); a
 *   caller that replaces it rolls its evaluation back to the first day affected.
 */
import type { Case, Monitoring } from './case-model.ts';
import { addDays, addDuration, type Duration, type IsoDate } from './dates.ts';

export interface DayRange {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/** Open-ended coverage runs to this day. */
export const END_OF_TIME = '9999-12-31';

/** Sorts and merges overlapping or adjacent day ranges. */
export function mergeRanges(ranges: readonly DayRange[]): DayRange[] {
  const sorted = [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const out: DayRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.from <= addDays(last.to, 1)) {
      if (r.to > last.to) out[out.length - 1] = { from: last.from, to: r.to };
    } else {
      out.push(r);
    }
  }
  return out;
}

export class Coverage {
  private merged: readonly DayRange[];

  constructor(
    ranges: readonly DayRange[],
    /** What the coverage rests on, for explanations: monitoring ids, or the dataset. */
    readonly basis: readonly string[],
  ) {
    this.merged = mergeRanges(ranges);
  }

  get ranges(): readonly DayRange[] {
    return this.merged;
  }

  /** Replaces the ranges; the caller rolls back evaluations from the first day that changed. */
  replace(ranges: readonly DayRange[], basis?: readonly string[]): void {
    this.merged = mergeRanges(ranges);
    if (basis !== undefined) (this as { basis: readonly string[] }).basis = basis;
  }

  private rangeHolding(day: IsoDate): DayRange | undefined {
    for (const r of this.merged) {
      if (r.from > day) return undefined;
      if (day <= r.to) return r;
    }
    return undefined;
  }

  /** Whether day `t` is covered. */
  covers(t: IsoDate): boolean {
    return this.rangeHolding(t) !== undefined;
  }

  /** Whether the window of `window` ending on `t` is wholly covered (all time, without a window, never is). */
  windowCovered(t: IsoDate, window: Duration | undefined): boolean {
    if (window === undefined) return false;
    for (const r of this.merged) {
      if (r.from > t) return false;
      if (t <= r.to && t >= addDuration(addDays(r.from, -1), window)) return true;
    }
    return false;
  }

  /** The first day after `t` on which `windowCovered` changes, if any. */
  nextWindowChange(t: IsoDate, window: Duration | undefined): IsoDate | undefined {
    if (window === undefined) return undefined;
    for (const r of this.merged) {
      const on = addDuration(addDays(r.from, -1), window);
      if (on > r.to) continue;
      if (on > t) return on;
      if (r.to !== END_OF_TIME && addDays(r.to, 1) > t && t >= on) return addDays(r.to, 1);
    }
    return undefined;
  }

  /** The first day after `day` that is not covered (a record on `day` is followed by watched days until then). */
  firstGapAfter(day: IsoDate): IsoDate {
    const next = addDays(day, 1);
    const r = this.rangeHolding(next);
    if (r === undefined) return next;
    return r.to === END_OF_TIME ? END_OF_TIME : addDays(r.to, 1);
  }

  /** A phrase for the days around `t` that are not covered: "before 2015-01-01", "after 2023-12-31", … */
  describeGap(t: IsoDate, window: Duration | undefined): string {
    const spans = this.merged.map((r) => (r.to === END_OF_TIME ? `from ${r.from}` : `${r.from} to ${r.to}`));
    const watched = spans.length === 0 ? 'never monitored' : `monitored ${spans.join(', ')}`;
    const what = window === undefined ? `all time to ${t}` : `the ${window.text} to ${t}`;
    return `${what} is not wholly monitored (${watched}${this.basis.length > 0 ? `: ${this.basis.join(', ')}` : ''})`;
  }
}

/** The first day a monitoring claim covers (a partial `from` is read from its last day by the loader). */
function rangeOf(m: Monitoring): DayRange {
  return { from: m.from, to: m.until ?? END_OF_TIME };
}

/** Whether a monitoring claim is known on day t (claims without `known` are made as the days pass). */
export function monitoringKnown(m: Monitoring, t: IsoDate): boolean {
  return m.known === undefined || m.known <= t;
}

/** Per evidence indicator named by the case's monitoring: the ranges known on `asOf`, and the monitoring ids. */
export function monitoringCoverage(c: Case, asOf: IsoDate): Map<string, { ranges: DayRange[]; basis: string[] }> {
  const out = new Map<string, { ranges: DayRange[]; basis: string[] }>();
  for (const m of c.monitoring ?? []) {
    for (const id of m.indicators) {
      let entry = out.get(id);
      if (entry === undefined) {
        entry = { ranges: [], basis: [] };
        out.set(id, entry);
      }
      if (!entry.basis.includes(m.id)) entry.basis.push(m.id);
      if (monitoringKnown(m, asOf)) entry.ranges.push(rangeOf(m));
    }
  }
  return out;
}

/** The days on which a monitoring claim becomes known, sorted, each once. */
export function monitoringKnownDays(c: Case): IsoDate[] {
  return [...new Set((c.monitoring ?? []).flatMap((m) => (m.known === undefined ? [] : [m.known])))].sort();
}
