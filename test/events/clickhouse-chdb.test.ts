/**
 * The ClickHouse adapter's SQL on a current engine: chdb (ClickHouse 26.x in-process, the npm
 * package `chdb`) runs the statements the adapter issues — its DDL, the
 * stage, duplicate checks, folding and attaching of an ingest, the reads of the port, the
 * export's query — through the adapter itself, its connections made by
 * `test/support/chdb-connection.ts`. The other ClickHouse tests run the same adapter on
 * Debian's 18.16 server; together they show the SQL works on the oldest engine it must run
 * on and on a current one.
 *
 * What chdb cannot be put through, and why:
 * - Two shards: a Distributed table sends its rows and subqueries to servers over the
 *   network (`remote_servers`); chdb is an engine inside this process, not a server.
 * - The contract's checks that run the CLI in processes of their own (kill -9 during ingest,
 *   then a rerun; the totals through the CLI): another process cannot reach an engine that
 *   lives in this one, and chdb holds its data directory for one process at a time.
 *
 * chdb is not a declared devDependency (see test/support/chdb-connection.ts): CI installs it
 * after `npm ci`. Without it these tests are skipped with a message saying how to install it;
 * with PROVISO_REQUIRE_CHDB=1 (CI) this file fails instead.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseClickHouseUrl } from '../../src/adapters/clickhouse/clickhouse-connection.ts';
import { openClickHouseEventStore } from '../../src/adapters/clickhouse/clickhouse-event-store.ts';
import { sqlString } from '../../src/adapters/clickhouse/clickhouse-sql.ts';
import { compileClickHouseEventFilter } from '../../src/adapters/clickhouse/compile-event-filter.ts';
import { exportClickHouseEvents } from '../../src/adapters/clickhouse/export-events.ts';
import { exportEvents } from '../../src/adapters/duckdb/export-events.ts';
import { ingestEventFiles } from '../../src/adapters/duckdb/ingest-event-files.ts';
import { type ChdbModule, chdbConnector, loadChdb } from '../support/chdb-connection.ts';
import { assertViewsMatchDuckDb } from '../support/clickhouse-views.ts';
import { runEventStoreContract } from './event-store.contract.ts';
import { ingest, openStore, SHARED, TABLES, tempDir } from './support.ts';

const MISSING =
  'chdb (ClickHouse in-process, npm) is not installed: run `npm install --no-save chdb@3.4.0` to run these tests (CI installs it)';
const chdbModule = await loadChdb();
if (chdbModule === undefined && process.env.PROVISO_REQUIRE_CHDB === '1') throw new Error(`${MISSING} (PROVISO_REQUIRE_CHDB=1)`);
if (chdbModule === undefined)
  describe('ClickHouse adapter on chdb', { skip: MISSING }, () => {
    it('needs chdb', () => undefined);
  });
else registerChdbTests(chdbModule);

function registerChdbTests(mod: ChdbModule): void {
  const chdb = chdbConnector(mod, join(tempDir('chdb'), 'data'));
  after(() => chdb.close());

  let n = 0;
  const database = (label: string) => `t${process.pid}_${++n}_${label.replace(/[^A-Za-z0-9]/g, '_')}`;
  /** A target naming a database of the chdb session (the host is never contacted). */
  const target = (label: string) => parseClickHouseUrl(`clickhouse://chdb/${database(label)}`);
  const open = (t: ReturnType<typeof target>) =>
    openClickHouseEventStore(t, {
      groupNames: (c) => TABLES.groupNames.get(c),
      stagingDir: join(tempDir('chdb-stage'), 's'),
      connect: chdb.connect,
    });

  const FILES = [
    join(SHARED, 'gdelt', 'spark-gdelt_events_v1_mixed_57_58col.tsv'),
    join(SHARED, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv'),
    join(SHARED, 'gdelt', 'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv'),
    join(SHARED, 'icews', 'icews_events.2018.sample.tab'),
  ];

  runEventStoreContract(
    'ClickHouse on chdb (a current engine, in-process)',
    async (label) => {
      const t = target(label);
      return { open: () => open(t), cli: [] };
    },
    // See the head of this file: chdb cannot be reached from another process.
    { withoutCli: true },
  );

  describe('ClickHouse adapter on chdb', () => {
    it('runs on a current ClickHouse, not on 18.16', () => {
      const major = Number(chdb.version.split('.')[0]);
      assert.ok(major >= 24, `chdb's engine is ${chdb.version}`);
    });

    it('escapes every string so that the engine reads back exactly its bytes', async () => {
      const c = chdb.connect('', undefined, { username: 'default', password: '' });
      const hostile = [
        '',
        "'",
        "\\'",
        '\\',
        "'; DROP TABLE event_rows; --",
        'a\0b',
        'tab\there\nnewline\rcr',
        '\x01\x1f\x7f\b\f',
        'é 中文 🙂 Ω',
        '\\x41',
        "\\\\'",
        '%_*?',
      ];
      const random = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), { numRuns: 200, seed: 16 });
      for (const batch of [hostile, random]) {
        const rows = await c.rows<{ h: string }>(
          `SELECT hex(s) AS h FROM (SELECT arrayJoin([${batch.map(sqlString).join(', ')}]) AS s)`,
        );
        assert.deepEqual(
          rows.map((r) => r.h),
          batch.map((s) => Buffer.from(s, 'utf8').toString('hex').toUpperCase()),
        );
      }
    });

    it("reads a dyad's events by the table's order, not by scanning it", async () => {
      const t = target('order');
      const store = await open(t);
      // With parts to read: a current engine checks the order only against parts it has.
      await ingestEventFiles(store, [FILES[1] as string], {
        format: 'auto',
        tables: TABLES,
        rejectsPath: join(tempDir('r'), 'r.jsonl'),
      });
      await store.close();
      const c = chdb.connect('', t.database, t);
      const dyad = compileClickHouseEventFilter({ actor1: ['USA'], actor2: ['PAK'], either: true }, () => undefined);
      await c.rows(`SELECT count() AS n FROM event_rows WHERE ${dyad}`, { force_primary_key: 1 });
      await assert.rejects(
        c.rows(`SELECT count() AS n FROM event_rows WHERE event_code = '042'`, { force_primary_key: 1 }),
        (err: unknown) => (err as { code?: number }).code === 277,
      );
    });

    it('remakes a view made from another definition, or missing, when a writer opens the store', async () => {
      const t = target('remake');
      await (await open(t)).close();
      const c = chdb.connect('', t.database, t);
      const made = async () =>
        (await c.rows<{ name: string }>('SELECT name FROM views_made ORDER BY made, name')).map((r) => r.name);
      assert.deepEqual(await made(), ['gdelt_events', 'icews_events']);
      // As if an earlier version had made gdelt_events; and icews_events dropped by hand.
      await c.run("INSERT INTO views_made SELECT 'gdelt_events', 'an earlier definition', max(made) + 1 FROM views_made");
      await c.run('DROP TABLE icews_events');
      await (await open(t)).close();
      assert.deepEqual((await made()).slice(3).sort(), ['gdelt_events', 'icews_events']);
      const tables = await c.rows<{ name: string }>(
        `SELECT name FROM system.tables WHERE database = '${t.database}' ORDER BY name`,
      );
      assert.deepEqual(
        tables.map((r) => r.name).filter((name) => name.includes('_events')),
        ['gdelt_events', 'icews_events'],
        'no view left under another name',
      );
      // A writer opening the store again leaves them be.
      await (await open(t)).close();
      assert.equal((await made()).length, 5);
    });

    it('answers the same aggregates, shows the same views and exports the same file as DuckDB, for the same files', async () => {
      const duckDir = tempDir('chdb-vs-duck');
      const d = await ingest(duckDir, FILES);
      const duck = await openStore(duckDir);
      const filters = [
        {},
        { actor1: ['USA'], actor2: ['PAK'], either: true },
        { actor1: ['SASREB'], either: true },
        { rootCodes: ['14', '18', '19'], from: '2015-01-01' },
        { quadClasses: [3, 4], to: '2018-06-15' },
      ];
      const expected = [];
      for (const f of filters) expected.push([await duck.dailyAggregates(f), await duck.periodAggregates(f, 'month')]);
      await duck.close();
      const round = (x: unknown) =>
        JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v)));
      const t = target('vs_duck');
      const ch = await open(t);
      try {
        const r = await ingestEventFiles(ch, FILES, {
          format: 'auto',
          tables: TABLES,
          rejectsPath: join(tempDir('r'), 'r.jsonl'),
        });
        assert.deepEqual(
          [r.summary.inserted, r.summary.folded, r.summary.duplicates],
          [d.summary.inserted, d.summary.folded, d.summary.duplicates],
        );
        for (const [i, f] of filters.entries())
          assert.deepEqual(
            round([await ch.dailyAggregates(f), await ch.periodAggregates(f, 'month')]),
            round(expected[i]),
            JSON.stringify(f),
          );
      } finally {
        await ch.close();
      }
      // The researchers' views: the DuckDB store's, column for column and row for row; on a
      // current engine reals read from text are the file's doubles exactly.
      const counted = await assertViewsMatchDuckDb(duckDir, chdb.connect('', t.database, t), { realsWithinUlp: false });
      assert.deepEqual(counted, { gdelt_events: 257, icews_events: 3705 });
      const out = tempDir('chdb-export');
      for (const f of [{}, { actor1: ['PAK'], actor2: ['IND'], either: true }]) {
        for (const format of ['csv', 'jsonl'] as const) {
          const want = join(out, `duck.${format}`);
          const got = join(out, `chdb.${format}`);
          await exportEvents(duckDir, f, format, want, { groupNames: (c) => TABLES.groupNames.get(c) });
          await exportClickHouseEvents(t, f, format, got, { groupNames: (c) => TABLES.groupNames.get(c), connect: chdb.connect });
          assert.equal(readFileSync(got, 'utf8'), readFileSync(want, 'utf8'), `${format} ${JSON.stringify(f)}`);
        }
      }
    });
  });
}
