/**
 * External series as evidence-like observations.
 *
 * A series point `(date, knownAt, value)` for a `series` indicator becomes an entry the
 * benchmark streams treat like evidence: it takes effect on `date`, is visible from
 * `knownAt` (as-of means as known), carries the dataset as its source with the grade the
 * case gives it, and is read only by its own indicator (kind `series:<indicator id>`).
 * Points are not ledger entries: `recordedBy` does not filter them (recorded is set to
 * 0001-01-01). An indicator whose series was not supplied is "missing": its value is
 * unknown and it is listed among the missing inputs. Coverage (for event data, the days
 * loaded) decides whether a windowed value is complete or only a lower bound.
 */
import type { Case, EventMeasure, SeriesIndicator } from './case-model.ts';
import { Coverage, type DayRange, mergeRanges } from './coverage.ts';
import { addDays, type IsoDate, maxDate } from './dates.ts';
import type { Evidence } from './evidence.ts';
import type { IndicatorInput } from './indicators.ts';

export interface SeriesPoint {
  readonly date: IsoDate;
  readonly knownAt: IsoDate;
  readonly value: number;
}

/** Series points by indicator id. */
export type SeriesInputs = ReadonlyMap<string, readonly SeriesPoint[]>;

export type { DayRange } from './coverage.ts';
export { mergeRanges } from './coverage.ts';

/** Coverage by indicator id: inclusive ranges of days for which a dataset is complete (e.g. the days whose files were ingested); an indicator without an entry is taken as complete. */
export type SeriesCoverage = ReadonlyMap<string, readonly DayRange[]>;

export const SERIES_KIND_PREFIX = 'series:';
export const NOT_A_LEDGER_ENTRY = '0001-01-01';

export function seriesIndicators(c: Case): SeriesIndicator[] {
  return c.indicators.filter((i): i is SeriesIndicator => i.kind === 'series');
}

/**
 * The evidence-like entries for a case's series, one per point, and each series
 * indicator's input: missing when no series was supplied, with coverage when given.
 */
export function seriesEvidence(
  c: Case,
  inputs: SeriesInputs | undefined,
  coverage?: SeriesCoverage,
): { items: Evidence[]; inputs: Map<string, IndicatorInput> } {
  const items: Evidence[] = [];
  const out = new Map<string, IndicatorInput>();
  for (const ind of seriesIndicators(c)) {
    const points = inputs?.get(ind.id);
    if (points === undefined) {
      out.set(ind.id, { missing: true });
      continue;
    }
    const ranges = coverage?.get(ind.id);
    out.set(
      ind.id,
      ranges !== undefined && ind.aggregate !== 'latest'
        ? { missing: false, coverage: new Coverage(ranges, [`${ind.dataset.publisher}, ${ind.dataset.title}`]) }
        : { missing: false },
    );
    points.forEach((p, i) => {
      items.push({
        id: `${SERIES_KIND_PREFIX}${ind.id}:${p.date}:${p.knownAt}:${i}`,
        kind: `${SERIES_KIND_PREFIX}${ind.id}`,
        actors: [],
        description: `${ind.title}: ${p.value} for ${p.date}`,
        occurred: p.date,
        occurredTo: p.date,
        reported: maxDate(p.knownAt, p.date),
        recorded: NOT_A_LEDGER_ENTRY,
        sources: [
          {
            publisher: ind.dataset.publisher,
            title: ind.dataset.title,
            date: ind.dataset.date,
            ...(ind.dataset.url === undefined ? {} : { url: ind.dataset.url }),
            reliability: ind.reliability,
            credibility: ind.credibility,
          },
        ],
        quantity: { value: p.value },
        tags: [],
      });
    });
  }
  return { items, inputs: out };
}

/**
 * One (event day, day known) of an event store's answer for an indicator's filter: the
 * matched events counted and summed (the shape of the event store port's daily aggregate).
 * A weight's sum is null when some event of the group has no such weight.
 */
export interface EventDayTotals {
  readonly date: IsoDate;
  readonly knownAt: IsoDate;
  readonly count: number;
  readonly goldsteinSum: number;
  readonly articlesSum: number | null;
  readonly sourcesSum: number | null;
}

/** What a group of events contributes under `measure`; null when it is unknown (an event without the weight). */
export function eventMeasureValue(measure: EventMeasure, t: EventDayTotals): number | null {
  switch (measure) {
    case 'count':
      return t.count;
    case 'articles':
      return t.articlesSum;
    case 'sources':
      return t.sourcesSum;
    case 'goldstein-sum':
      return t.goldsteinSum;
  }
}

/**
 * An event indicator's points and coverage from an event store's daily totals and the days
 * the store holds data for (`loaded`). Invariant: a day whose value is unknown under the
 * measure (some event of it has no article or source count) gives no point and is taken
 * out of the coverage, so a window over it is a lower bound (or unknown), never a sum that
 * took the missing weights as 0.
 */
export function eventSeriesPoints(
  measure: EventMeasure,
  days: readonly EventDayTotals[],
  loaded: readonly DayRange[],
): { points: SeriesPoint[]; coverage: DayRange[] } {
  const points: SeriesPoint[] = [];
  const unknown = new Set<IsoDate>();
  for (const d of days) {
    const value = eventMeasureValue(measure, d);
    if (value === null) unknown.add(d.date);
    else points.push({ date: d.date, knownAt: d.knownAt, value });
  }
  const kept = unknown.size === 0 ? points : points.filter((p) => !unknown.has(p.date));
  return { points: kept, coverage: withoutDays(mergeRanges(loaded), [...unknown].sort()) };
}

/** Merged `ranges` less the sorted `days`. */
function withoutDays(ranges: readonly DayRange[], days: readonly IsoDate[]): DayRange[] {
  if (days.length === 0) return [...ranges];
  const out: DayRange[] = [];
  let k = 0;
  for (const r of ranges) {
    let from = r.from;
    while (k < days.length && (days[k] as IsoDate) < from) k++;
    while (k < days.length && (days[k] as IsoDate) <= r.to) {
      const day = days[k] as IsoDate;
      if (day > from) out.push({ from, to: addDays(day, -1) });
      from = addDays(day, 1);
      k++;
    }
    if (from <= r.to) out.push({ from, to: r.to });
  }
  return out;
}

export function describeSeriesSource(ind: SeriesIndicator): string {
  const s = ind.source;
  if (s.store === 'series') return `series ${s.measure} for ${s.dyad.join('–')}`;
  const parts = [`events ${s.measure}`];
  if (s.actor1.length > 0) parts.push(`actor1 ${s.actor1.join('/')}`);
  if (s.actor2.length > 0) parts.push(`actor2 ${s.actor2.join('/')}`);
  if (s.either) parts.push('either direction');
  if (s.rootCodes.length > 0) parts.push(`root ${s.rootCodes.join(',')}`);
  if (s.quadClasses.length > 0) parts.push(`quad ${s.quadClasses.join(',')}`);
  return parts.join(', ');
}
