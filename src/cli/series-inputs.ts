/**
 * Gathers the points of a case's `series` indicators from the event and series stores
 * beside the ledger. An indicator whose store is absent (nothing ingested yet) is left
 * out, so the core reports it as a missing input rather than as zero.
 *
 * In scratch mode (`ScratchSources`) nothing of the store folder is opened: series
 * indicators read the given in-memory store (the case's own data files) and event
 * indicators are left out.
 */
import type { Case } from '../core/case-model.ts';
import {
  type DayRange,
  eventSeriesPoints,
  mergeRanges,
  type SeriesCoverage,
  type SeriesInputs,
  type SeriesPoint,
  seriesIndicators,
} from '../core/series.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { SeriesStore } from '../ports/series-store.ts';
import type { Effects } from './effects.ts';

export interface LoadedSeries {
  readonly series: SeriesInputs;
  /** For event indicators: the days the event store holds data for (windows outside them are unknown). */
  readonly coverage: SeriesCoverage;
}

/** Where a scratch run reads series from instead of the store folder. */
export interface ScratchSources {
  /** The case's data files in memory (undefined when it has none); the caller closes it. */
  readonly series: SeriesStore | undefined;
}

export async function loadSeriesInputs(
  c: Case,
  storeDir: string,
  effects: Effects,
  scratch?: ScratchSources,
): Promise<LoadedSeries> {
  const wanted = seriesIndicators(c);
  const inputs = new Map<string, SeriesPoint[]>();
  const coverage = new Map<string, DayRange[]>();
  if (wanted.length === 0) return { series: inputs, coverage };
  let events: EventStore | undefined;
  let series: SeriesStore | undefined;
  try {
    if (scratch === undefined && wanted.some((i) => i.source.store === 'events'))
      events = await effects.openEventStore?.(storeDir);
    const eventDays = events === undefined ? [] : await storedDays(events);
    if (scratch === undefined && wanted.some((i) => i.source.store === 'series'))
      series = await effects.openSeriesStore?.(storeDir);
    const readSeries = scratch === undefined ? series : scratch.series;
    for (const ind of wanted) {
      const s = ind.source;
      if (s.store === 'events') {
        if (events === undefined) continue;
        const rows = await events.dailyAggregates({
          actor1: s.actor1,
          actor2: s.actor2,
          either: s.either,
          rootCodes: s.rootCodes,
          quadClasses: s.quadClasses,
        });
        // A day whose events lack the measure's weight (ICEWS, or events stored before the
        // store kept it) is unknown, and out of coverage: never a sum that counted it as 0.
        const weighted = eventSeriesPoints(s.measure, rows, eventDays);
        inputs.set(ind.id, weighted.points);
        coverage.set(ind.id, weighted.coverage);
      } else {
        if (readSeries === undefined) continue;
        inputs.set(ind.id, await readSeries.series({ measure: s.measure, dyad: s.dyad }));
      }
    }
  } finally {
    await events?.close();
    await series?.close();
  }
  return { series: inputs, coverage };
}

/**
 * The days (by the day events were added) for which the store holds any event, as merged
 * ranges: a day with no event at all is taken as a day whose data was not loaded.
 */
async function storedDays(events: EventStore): Promise<DayRange[]> {
  const days = [...new Set((await events.dailyAggregates({})).map((r) => r.knownAt))].sort();
  return mergeRanges(days.map((d) => ({ from: d, to: d })));
}
