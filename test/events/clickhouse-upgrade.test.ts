/**
 * A ClickHouse event store made by the first version of the adapter (commit 3a5c6f4: events
 * ordered by source and id and partitioned by the year known; no `fold_keys`, `file_bounds`
 * or views) opens with the current adapter, on one server and on two shards: every event is
 * still there, as it was; files it recorded are still known (ingesting them again adds
 * nothing); a dead load's invisible rows stay invisible; and new files load as they load
 * into a store made by the current version — duplicates of the old events found, their
 * re-emissions folded — so that the two stores end up holding the same events.
 *
 * The old layout is written here as literal SQL, copied from 3a5c6f4's
 * `src/adapters/clickhouse/clickhouse-event-store.ts` (`createSchema`), not built from the
 * adapter's code. Its rows are the rows that version stored for the same files: the same
 * columns, values and fold keys (its fold key, written below as it computed it over the
 * stored columns), taken from a scratch store the current adapter loaded.
 *
 * Without a clickhouse-server binary these tests are skipped with a message saying how to
 * install one; with PROVISO_REQUIRE_CLICKHOUSE=1 (CI) they fail instead.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type ClickHouseKeeper, findClickHouseServer, startClickHouseKeeper } from '../../scripts/clickhouse-server.mjs';
import {
  type ClickHouseConnection,
  type ClickHouseTarget,
  connectClickHouse,
  parseClickHouseUrl,
} from '../../src/adapters/clickhouse/clickhouse-connection.ts';
import { openClickHouseEventStore } from '../../src/adapters/clickhouse/clickhouse-event-store.ts';
import { type IngestResult, ingestEventFiles } from '../../src/adapters/duckdb/ingest-event-files.ts';
import { SHARED, syntheticGdelt2Row, TABLES, tempDir } from './support.ts';

const MISSING =
  'no clickhouse-server binary: apt-get install clickhouse-server clickhouse-client (Debian), or set PROVISO_CLICKHOUSE_SERVER';
const found = findClickHouseServer();
if (found === undefined && process.env.PROVISO_REQUIRE_CLICKHOUSE === '1')
  throw new Error(`${MISSING} (PROVISO_REQUIRE_CLICKHOUSE=1)`);

/** `event_rows`' columns in 3a5c6f4 (the same as today's). */
const OLD_EVENT_COLUMNS = `
  source Enum8('gdelt1' = 1, 'gdelt2' = 2, 'icews' = 3),
  event_id UInt64,
  event_date Date,
  known_at Date,
  added_at Nullable(DateTime('UTC')),
  actor1_code String,
  actor2_code String,
  is_root Nullable(Int8),
  event_code String,
  event_root String,
  quad_class Nullable(Int8),
  goldstein Nullable(Float64),
  num_mentions Nullable(Int64),
  num_sources Nullable(Int64),
  num_articles Nullable(Int64),
  avg_tone Nullable(Float64),
  source_url String,
  packed String,
  extra String,
  fold_key UInt64,
  file_id UInt32`;
/** `event_rows`' engine in 3a5c6f4. */
const OLD_MERGE_TREE = 'ENGINE = MergeTree() PARTITION BY toYear(known_at) ORDER BY (source, event_id)';
/** The other tables of 3a5c6f4's `createSchema`. */
const OLD_FILE_TABLES = [
  `CREATE TABLE IF NOT EXISTS ingested_files (
  file_id UInt32, path String, size UInt64, mtime_ms String, sha256 String, format String,
  staged UInt64, duplicates UInt64, folded UInt64, inserted UInt64, recorded DateTime('UTC')
) ENGINE = MergeTree() ORDER BY file_id`,
  `CREATE TABLE IF NOT EXISTS loads (
  file_id UInt32, host String, pid UInt32, begun DateTime('UTC')
) ENGINE = MergeTree() ORDER BY file_id`,
  'CREATE TABLE IF NOT EXISTS cleaned_loads (file_id UInt32) ENGINE = MergeTree() ORDER BY file_id',
];
/**
 * 3a5c6f4's fold key (`FOLD`: `cityHash64` of the source's name, the event day, the actor
 * codes, EventCode and SOURCEURL, for GDELT rows with a SOURCEURL), over stored columns.
 */
const OLD_FOLD_KEY = `if(source != 'icews' AND source_url != '',
  cityHash64(toString(source), event_date, actor1_code, actor2_code, event_code, source_url), 0)`;
const COLUMN_NAMES = OLD_EVENT_COLUMNS.split(',\n')
  .map((l) => l.trim().split(' ')[0] as string)
  .filter((n) => n !== '');

/** Every event of a store (rows of recorded files), as `dumpEvents` writes them, by literal SQL. */
async function dumpByHand(c: ClickHouseConnection): Promise<string[]> {
  const cols = COLUMN_NAMES.filter((n) => n !== 'file_id');
  const rows = await c.rows<{ line: string }>(
    `SELECT concat(${cols.map((n, i) => `${i === 0 ? '' : "'|', "}ifNull(toString(${n}), '∅')`).join(', ')}) AS line
     FROM event_rows WHERE file_id GLOBAL IN (SELECT file_id FROM ingested_files) ORDER BY source, event_id, event_date`,
  );
  return rows.map((r) => r.line);
}

let one: ClickHouseKeeper | undefined;
let two: ClickHouseKeeper | undefined;
if (found !== undefined) {
  [one, two] = await Promise.all([startClickHouseKeeper({ shards: 1 }), startClickHouseKeeper({ shards: 2 })]);
  after(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
  });
}

let n = 0;
const database = (label: string) => `up${process.pid}_${++n}_${label}`;
const host = (url: string) => url.replace(/^http:\/\//, '');

describe('ClickHouse stores of the first layout (3a5c6f4) upgrade', { skip: found === undefined ? MISSING : false }, () => {
  const data = tempDir('ch-upgrade-data');
  const export2 = join(SHARED, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv');
  const icews = join(SHARED, 'icews', 'icews_events.2018.sample.tab');
  const synthetic = join(data, 'synthetic.export.CSV');
  writeFileSync(synthetic, `${Array.from({ length: 600 }, (_, i) => syntheticGdelt2Row(i)).join('\n')}\n`);
  /** A later file: re-emissions of stored events (new ids, added within the window), repeats of stored ids, new events. */
  const later = join(data, 'later.export.CSV');
  const laterRows: string[] = [];
  for (let i = 0; i < 100; i++) {
    const c = syntheticGdelt2Row(i).split('\t');
    c[0] = String(600_000_000 + i);
    laterRows.push(c.join('\t'));
  }
  for (let i = 100; i < 150; i++) laterRows.push(syntheticGdelt2Row(i));
  for (let i = 1000; i < 1200; i++) laterRows.push(syntheticGdelt2Row(i));
  writeFileSync(later, `${laterRows.join('\n')}\n`);
  const oldFiles = [export2, icews, synthetic];
  /** Rows of a load that never finished (its process is gone): invisible in the old store, and after. */
  const unfinished = join(data, 'unfinished.export.CSV');
  writeFileSync(unfinished, `${Array.from({ length: 40 }, (_, i) => syntheticGdelt2Row(5000 + i)).join('\n')}\n`);

  const ingest = async (target: ClickHouseTarget, files: string[]): Promise<IngestResult> => {
    const store = await openClickHouseEventStore(target, {
      groupNames: (c) => TABLES.groupNames.get(c),
      stagingDir: join(tempDir('ch-upgrade-stage'), 's'),
    });
    try {
      return await ingestEventFiles(store, files, {
        format: 'auto',
        tables: TABLES,
        rejectsPath: join(tempDir('ch-upgrade-r'), 'r.jsonl'),
      });
    } finally {
      await store.close();
    }
  };

  for (const layout of ['one server', 'two shards'] as const) {
    it(`keeps every event and loads new files as a current store does: ${layout}`, { timeout: 240_000 }, async () => {
      const keeper = (layout === 'one server' ? one : two) as ClickHouseKeeper;
      const urlOf = (db: string) =>
        layout === 'one server'
          ? `clickhouse://${host(keeper.urls[0] as string)}/${db}`
          : `clickhouse://${host(keeper.urls[0] as string)}/${db}?cluster=${keeper.cluster}&shards=${keeper.urls.map(host).join(',')}`;
      const oldDb = database('old');
      const scratchDb = database('scratch');
      const oldTarget = parseClickHouseUrl(urlOf(oldDb));
      const auth = { username: 'default', password: '' };

      // The old layout, as 3a5c6f4 made it.
      const admin = connectClickHouse(keeper.urls[0] as string, undefined, auth);
      const c = connectClickHouse(keeper.urls[0] as string, oldDb, auth);
      try {
        await admin.run(`CREATE DATABASE ${oldDb}`);
        if (layout === 'one server')
          await c.run(`CREATE TABLE IF NOT EXISTS event_rows (${OLD_EVENT_COLUMNS}\n) ${OLD_MERGE_TREE}`);
        else {
          for (const url of keeper.urls) {
            const s = connectClickHouse(url, undefined, auth);
            try {
              await s.run(`CREATE DATABASE IF NOT EXISTS ${oldDb}`);
              await s.run(`CREATE TABLE IF NOT EXISTS ${oldDb}.event_rows_local (${OLD_EVENT_COLUMNS}\n) ${OLD_MERGE_TREE}`);
            } finally {
              await s.close();
            }
          }
          await c.run(
            `CREATE TABLE IF NOT EXISTS event_rows (${OLD_EVENT_COLUMNS}\n) ENGINE = Distributed(${keeper.cluster}, ${oldDb}, event_rows_local, cityHash64(event_id))`,
          );
        }
        for (const sql of OLD_FILE_TABLES) await c.run(sql);

        // Its rows: those 3a5c6f4 stored for the same files (see the head of this file), and
        // an unfinished load of a process that is gone.
        const scratch = parseClickHouseUrl(urlOf(scratchDb));
        await ingest(scratch, [...oldFiles, unfinished]);
        const lastFile = (await c.rows<{ id: number }>(`SELECT max(file_id) AS id FROM ${scratchDb}.ingested_files`))[0]?.id;
        const columns = COLUMN_NAMES.map((name) => (name === 'fold_key' ? `${OLD_FOLD_KEY} AS fold_key` : name));
        await c.run(
          `INSERT INTO event_rows (${COLUMN_NAMES.join(', ')}) SELECT ${columns.join(', ')} FROM ${scratchDb}.event_rows
           WHERE file_id GLOBAL IN (SELECT file_id FROM ${scratchDb}.ingested_files)`,
          { insert_distributed_sync: 1 },
        );
        await c.run(`INSERT INTO ingested_files SELECT * FROM ${scratchDb}.ingested_files WHERE file_id != ${Number(lastFile)}`);
        const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
        await c.run(`INSERT INTO loads SELECT file_id, host, if(file_id = ${Number(lastFile)}, ${Number(gone.stdout)}, pid), begun
                     FROM ${scratchDb}.loads`);
      } finally {
        await admin.close();
      }
      let before: string[];
      try {
        before = await dumpByHand(c);
        const recorded = await c.rows<{ n: string }>('SELECT sum(inserted) AS n FROM ingested_files');
        assert.equal(before.length, Number(recorded[0]?.n), 'the old store holds the three files, not the unfinished load');
        assert.ok(before.length > 4000);
        const all = await c.rows<{ n: string }>('SELECT count() AS n FROM event_rows');
        assert.equal(Number(all[0]?.n), before.length + 40, 'the unfinished load left rows');
      } finally {
        await c.close();
      }

      // Opened by the current adapter: every event as it was.
      const store = await openClickHouseEventStore(oldTarget, { stagingDir: join(tempDir('ch-upgrade-stage'), 's') });
      try {
        assert.deepEqual(await store.dumpEvents(), before);
        assert.equal(await store.count(), before.length);
      } finally {
        await store.close();
      }
      // The files it recorded are known; a copy of one adds nothing.
      const again = await ingest(oldTarget, oldFiles);
      assert.deepEqual([again.summary.skippedFiles, again.summary.inserted], [3, 0]);
      const copy = join(data, `copy-${layout.replace(' ', '-')}.export.CSV`);
      writeFileSync(copy, `${Array.from({ length: 600 }, (_, i) => syntheticGdelt2Row(i)).join('\n')}\n`);
      const copied = await ingest(oldTarget, [copy]);
      assert.deepEqual([copied.summary.accepted, copied.summary.inserted], [600, 0]);
      // A later file: its re-emissions of old events fold, its repeats of old ids are duplicates.
      const l = await ingest(oldTarget, [later]);
      assert.deepEqual([l.summary.accepted, l.summary.duplicates, l.summary.folded, l.summary.inserted], [350, 50, 100, 200]);

      // The same files into a store made by the current version: the same events.
      const fresh = parseClickHouseUrl(urlOf(database('fresh')));
      await ingest(fresh, oldFiles);
      await ingest(fresh, [copy]);
      await ingest(fresh, [later]);
      const upgraded = await openClickHouseEventStore(oldTarget, { readOnly: true });
      const current = await openClickHouseEventStore(fresh, { readOnly: true });
      try {
        const got = await upgraded.dumpEvents();
        assert.equal(got.length, before.length + 200);
        assert.deepEqual(got, await current.dumpEvents());
        const month = { actor1: ['USA'], actor2: ['PAK'], either: true };
        assert.deepEqual(await upgraded.periodAggregates(month, 'month'), await current.periodAggregates(month, 'month'));
      } finally {
        await upgraded.close();
        await current.close();
      }
      // The views are there too, over the old events and the new.
      const v = connectClickHouse(keeper.urls[0] as string, oldDb, auth);
      try {
        const counts = await v.rows<{ g: string; i: string }>(
          'SELECT (SELECT count() FROM gdelt_events) AS g, (SELECT count() FROM icews_events) AS i',
        );
        assert.deepEqual([Number(counts[0]?.g), Number(counts[0]?.i)], [before.length + 200 - 3705, 3705]);
      } finally {
        await v.close();
      }
    });
  }
});
