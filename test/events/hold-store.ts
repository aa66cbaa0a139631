/**
 * Holds a store's lock in a process of its own, for the tests of readers and writers:
 *   hold-store.ts events-write <dir> <ms>   a load begun (the writer's lock), for <ms>
 *   hold-store.ts events-read <dir> <ms>    the event store open read-only (a long query), for <ms>
 *   hold-store.ts series-write <dir> <ms>   a write transaction on the series store, for <ms>
 * Prints `held <pid>` once it holds the lock, and exits when it has let it go.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { openDuckDbEventStore } from '../../src/adapters/duckdb/duckdb-event-store.ts';
import { EVENT_STORE_FILE } from '../../src/adapters/duckdb/event-store-layout.ts';
import { SERIES_FILE } from '../../src/adapters/structural/series-store-layout.ts';

const [mode, dir, ms] = process.argv.slice(2) as [string, string, string];
const held = () => process.stdout.write(`held ${process.pid}\n`);
if (mode === 'events-write') {
  const store = await openDuckDbEventStore(dir);
  const load = await store.beginLoad();
  held();
  await sleep(Number(ms));
  await load.abort();
  await store.close();
} else if (mode === 'events-read') {
  const db = await DuckDBInstance.create(join(dir, EVENT_STORE_FILE), { access_mode: 'READ_ONLY' });
  const c = await db.connect();
  await c.run('SELECT count(*) FROM events');
  held();
  await sleep(Number(ms));
  c.closeSync();
  db.closeSync();
} else if (mode === 'series-write') {
  const db = new Database(join(dir, SERIES_FILE));
  db.exec('BEGIN IMMEDIATE');
  db.exec("DELETE FROM points WHERE measure = 'coincidence'");
  held();
  await sleep(Number(ms));
  db.exec('ROLLBACK');
  db.close();
} else throw new Error(`unknown mode ${mode}`);
