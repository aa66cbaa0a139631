/** The series store's file in a store folder, known to callers that need not load SQLite. */
export const SERIES_FILE = 'series.sqlite';
