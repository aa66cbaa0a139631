/**
 * Opens the event store of a store folder for reading indicators, or returns undefined
 * when nothing was ever ingested there (so a case's event indicators are reported as
 * missing inputs instead of as zero). Group codes such as SASREB resolve through the
 * Phoenix dictionary in `tablesDir`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCameoTables } from '../event-formats/cameo-tables.ts';
import type { DuckDbEventStore } from './duckdb-event-store.ts';
import { EVENT_STORE_FILE } from './event-store-layout.ts';

export async function openEventStoreIfPresent(storeDir: string, tablesDir: string): Promise<DuckDbEventStore | undefined> {
  if (!existsSync(join(storeDir, EVENT_STORE_FILE))) return undefined;
  const tables = loadCameoTables(tablesDir);
  // DuckDB's library (some 70 MB) loads only when there is a store to open.
  const { openDuckDbEventStore } = await import('./duckdb-event-store.ts');
  return openDuckDbEventStore(storeDir, { groupNames: (c) => tables.groupNames.get(c) });
}
