/** The event store's file in a store folder, known to callers that need not load DuckDB. */
export const EVENT_STORE_FILE = 'events.duckdb';
