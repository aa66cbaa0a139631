/**
 * The structural-series port (UN voting convergence, aid, arms transfers, strikes).
 *
 * Promises: a series is a list of points ordered by date; `date` is the period the value
 * describes (a year is given as its last day), `knownAt` the day the value became
 * public (for annual reports without a publication date: the day after the period ends,
 * documented per importer). Values are numbers in the unit the series names.
 */
import type { IsoDate } from '../core/dates.ts';

export interface SeriesPoint {
  readonly date: IsoDate;
  readonly knownAt: IsoDate;
  readonly value: number;
}

export interface SeriesRequest {
  /** e.g. agreement, kappa, s-score, coincidence, aid, arms, strikes */
  readonly measure: string;
  /** Two ISO3 / CAMEO country codes, e.g. ["USA", "PAK"]; one code for single-country series. */
  readonly dyad: readonly string[];
}

export interface SeriesStore {
  series(request: SeriesRequest): Promise<SeriesPoint[]>;
  close(): Promise<void>;
}
