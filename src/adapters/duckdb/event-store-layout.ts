/**
 * What callers of the DuckDB event store need to know without loading DuckDB: the store's
 * file name and the periods events are aggregated by.
 */
export const EVENT_STORE_FILE = 'events.duckdb';
export const PERIODS = ['day', 'month', 'year'] as const;
export type Period = (typeof PERIODS)[number];
