/**
 * The political-event store port (GDELT, ICEWS and peers, coded in CAMEO). Implemented by
 * DuckDB (the embedded default).
 *
 * Promises:
 * - Dates are calendar days: `date` is the day the event happened (GDELT SQLDATE, ICEWS
 *   Event Date); `knownAt` is the day it entered the dataset (GDELT DATEADDED; for data
 *   without one, the event day). As-of queries use `knownAt`.
 * - Actor filters match CAMEO actor codes by prefix (`USA`, `USAGOV`, `PAKMIL`) and known
 *   group codes (e.g. `SASREB`, the Phoenix dictionary code for LeT and JeM).
 * - `dailyAggregates` with an empty filter covers every stored event exactly once.
 */
import type { IsoDate } from '../core/dates.ts';

export interface EventFilter {
  readonly actor1?: readonly string[];
  readonly actor2?: readonly string[];
  /** Match actor1/actor2 in either direction. */
  readonly either?: boolean;
  /** CAMEO root codes ("14", "18", "19"). */
  readonly rootCodes?: readonly string[];
  /** QuadClass 1–4 (verbal/material cooperation/conflict). */
  readonly quadClasses?: readonly number[];
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

/**
 * The events of one (event day, day known) matched by a filter: counted, and their
 * Goldstein scores, tones, article and source counts summed. An event without a Goldstein
 * score or tone adds 0 to those sums. `articlesSum` and `sourcesSum` (GDELT's NumArticles
 * and NumSources) are null when an event of the group has no such count (ICEWS has none,
 * and events stored before the store kept them have none): unknown, never a guess.
 */
export interface EventDayAggregate {
  readonly date: IsoDate;
  readonly knownAt: IsoDate;
  readonly count: number;
  readonly goldsteinSum: number;
  readonly toneSum: number;
  readonly articlesSum: number | null;
  readonly sourcesSum: number | null;
}

/** The periods events are counted by. */
export const PERIODS = ['day', 'month', 'year'] as const;
export type Period = (typeof PERIODS)[number];

/** One period of a query: its events counted, their Goldstein scores summed and averaged, their tone averaged. */
export interface PeriodAggregate {
  /** `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. */
  readonly period: string;
  readonly count: number;
  readonly goldsteinSum: number;
  readonly goldsteinMean: number | null;
  readonly avgTone: number | null;
}

/**
 * The store could not be opened or read because another process holds it (a writer while
 * this one reads, or the other way round) for longer than the adapter waits. Entry points
 * answer it as "busy, try again" (HTTP 503), never as an internal error.
 */
export class StoreBusyError extends Error {
  override readonly name: string = 'StoreBusyError';
}

export interface EventStore {
  dailyAggregates(filter: EventFilter): Promise<EventDayAggregate[]>;
  close(): Promise<void>;
}
