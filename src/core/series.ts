/**
 * External series as evidence-like observations.
 *
 * A series point `(date, knownAt, value)` for a `series` indicator becomes an entry the
 * benchmark streams treat like evidence: it takes effect on `date`, is visible from
 * `knownAt` (as-of means as known), carries the dataset as its source with the grade the
 * case gives it, and is read only by its own indicator (kind `series:<indicator id>`).
 * Points are not ledger entries: `recordedBy` does not filter them (recorded is set to
 * 0001-01-01). An indicator whose series was not supplied is "missing": its value is
 * unknown and it is listed among the missing inputs.
 */
import type { Case, SeriesIndicator } from './case-model.ts';
import { addDays, addDuration, type IsoDate, maxDate } from './dates.ts';
import type { Evidence } from './evidence.ts';

export interface SeriesPoint {
  readonly date: IsoDate;
  readonly knownAt: IsoDate;
  readonly value: number;
}

/** Series points by indicator id. */
export type SeriesInputs = ReadonlyMap<string, readonly SeriesPoint[]>;

/** Inclusive ranges of `knownAt` days for which a dataset is complete (e.g. the days whose files were ingested). */
export interface DayRange {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/** Coverage by indicator id; an indicator without an entry is taken as complete. */
export type SeriesCoverage = ReadonlyMap<string, readonly DayRange[]>;

/**
 * How an indicator's input stands: `missing` (no series supplied — always unknown) or
 * `coverage` (windowed values are known only on days whose whole window is covered).
 */
export type InputMode = 'missing' | 'coverage';
export type InputModes = ReadonlyMap<string, InputMode>;

export const COVERAGE_ON = 'coverage-on';
export const COVERAGE_OFF = 'coverage-off';

export const SERIES_KIND_PREFIX = 'series:';
export const NOT_A_LEDGER_ENTRY = '0001-01-01';

export function seriesIndicators(c: Case): SeriesIndicator[] {
  return c.indicators.filter((i): i is SeriesIndicator => i.kind === 'series');
}

/**
 * The evidence-like entries for a case's series: one per point, and, where coverage is
 * given for a windowed indicator, markers on the first and after the last day on which
 * the whole window is covered.
 */
export function seriesEvidence(
  c: Case,
  inputs: SeriesInputs | undefined,
  coverage?: SeriesCoverage,
): { items: Evidence[]; modes: Map<string, InputMode> } {
  const items: Evidence[] = [];
  const modes = new Map<string, InputMode>();
  for (const ind of seriesIndicators(c)) {
    const points = inputs?.get(ind.id);
    if (points === undefined) {
      modes.set(ind.id, 'missing');
      continue;
    }
    const ranges = coverage?.get(ind.id);
    if (ranges !== undefined && ind.aggregate !== 'latest') {
      modes.set(ind.id, 'coverage');
      items.push(...coverageMarkers(ind, ranges));
    }
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
  return { items, modes };
}

function coverageMarkers(ind: SeriesIndicator, ranges: readonly DayRange[]): Evidence[] {
  const out: Evidence[] = [];
  for (const r of mergeRanges(ranges)) {
    // Covered on day t when the window (t - W, t] lies inside [from, to].
    const first = ind.window === undefined ? r.from : addDays(addDuration(r.from, ind.window), -1);
    if (first > r.to) continue;
    const after = addDays(r.to, 1);
    for (const [day, tag] of [
      [first, COVERAGE_ON],
      [after, COVERAGE_OFF],
    ] as const) {
      out.push({
        id: `${SERIES_KIND_PREFIX}${ind.id}:${tag}:${day}`,
        kind: `${SERIES_KIND_PREFIX}${ind.id}`,
        actors: [],
        description: `${ind.title}: data ${tag === COVERAGE_ON ? 'covers the window from' : 'coverage ends on'} ${day}`,
        occurred: day,
        occurredTo: day,
        reported: day,
        recorded: NOT_A_LEDGER_ENTRY,
        sources: [
          {
            publisher: ind.dataset.publisher,
            title: ind.dataset.title,
            date: ind.dataset.date,
            reliability: ind.reliability,
            credibility: ind.credibility,
          },
        ],
        tags: [tag],
      });
    }
  }
  return out;
}

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
