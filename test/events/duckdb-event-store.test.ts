/** The event store contract on the embedded DuckDB store (a folder per test). */
import { openDuckDbEventStore } from '../../src/adapters/duckdb/duckdb-event-store.ts';
import { runEventStoreContract } from './event-store.contract.ts';
import { TABLES, tempDir } from './support.ts';

runEventStoreContract('DuckDB', async (label) => {
  const dir = tempDir(`contract-${label}`);
  return {
    open: () => openDuckDbEventStore(dir, { groupNames: (c) => TABLES.groupNames.get(c) }),
    cli: ['--store', dir],
  };
});
