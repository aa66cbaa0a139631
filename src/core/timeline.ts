/**
 * Step functions over calendar days.
 *
 * A `Timeline<V>` holds change points in strictly increasing date order; its value on a
 * day is the value of the last change point on or before that day, or `initial` before
 * the first one. `undefined` stands for "unknown".
 */
import type { IsoDate } from './dates.ts';
import { partitionPoint } from './order.ts';

export interface Timeline<V> {
  readonly initial: V | undefined;
  readonly dates: readonly IsoDate[];
  readonly values: readonly (V | undefined)[];
}

/** Index of the last change point on or before `date`, or -1. */
export function indexAt(dates: readonly IsoDate[], date: IsoDate): number {
  return partitionPoint(dates.length, (i) => (dates[i] as IsoDate) <= date) - 1;
}

export function valueAt<V>(t: Timeline<V>, date: IsoDate): V | undefined {
  const i = indexAt(t.dates, date);
  return i < 0 ? t.initial : t.values[i];
}

/**
 * Builds a timeline from (date, value) points in non-decreasing date order; a later point
 * on the same day wins, and points that do not change the value are dropped.
 */
export function buildTimeline<V>(
  initial: V | undefined,
  points: readonly { readonly date: IsoDate; readonly value: V | undefined }[],
): Timeline<V> {
  const dates: IsoDate[] = [];
  const values: (V | undefined)[] = [];
  for (const p of points) {
    const last = dates.length - 1;
    if (last >= 0 && dates[last] === p.date) {
      values[last] = p.value;
    } else {
      dates.push(p.date);
      values.push(p.value);
    }
  }
  const outDates: IsoDate[] = [];
  const outValues: (V | undefined)[] = [];
  let prev = initial;
  for (let i = 0; i < dates.length; i++) {
    const v = values[i];
    if (v !== prev) {
      outDates.push(dates[i] as IsoDate);
      outValues.push(v);
      prev = v;
    }
  }
  return { initial, dates: outDates, values: outValues };
}
