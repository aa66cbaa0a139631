/**
 * Opens the event store of a store folder for reading indicators, or returns undefined
 * when nothing was ever ingested there (so a case's event indicators are reported as
 * missing inputs instead of as zero). Group codes such as SASREB resolve through the
 * Phoenix dictionary in `tablesDir`.
 *
 * Contract: the store is opened read-only (nothing is created or written; the file is
 * locked only while a query runs, so an ingest can run beside the reader); a missing store
 * creates nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCameoTables } from '../event-formats/cameo-tables.ts';
import type { DuckDbEventStore, LockHolder } from './duckdb-event-store.ts';
import { EVENT_STORE_FILE } from './event-store-layout.ts';

export interface ReadEventStoreOptions {
  /** Told once per wait when an ingest holds the store's file (see the event store). */
  readonly onLockWait?: (holder: LockHolder) => void;
  readonly lockWaitMs?: number;
}

export async function openEventStoreIfPresent(
  storeDir: string,
  tablesDir: string,
  opts: ReadEventStoreOptions = {},
): Promise<DuckDbEventStore | undefined> {
  if (!existsSync(join(storeDir, EVENT_STORE_FILE))) return undefined;
  const tables = loadCameoTables(tablesDir);
  // DuckDB's library (large: bench/README.md) loads only when there is a store to open.
  const { openDuckDbEventStore } = await import('./duckdb-event-store.ts');
  return openDuckDbEventStore(storeDir, { groupNames: (c) => tables.groupNames.get(c), readOnly: true, ...opts });
}
