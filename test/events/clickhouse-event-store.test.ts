/**
 * The event store contract on ClickHouse: one server, and two shards behind a Distributed
 * table, both started and stopped here on loopback (scripts/clickhouse-server.mjs). Then
 * what only this adapter promises: the one escaping function, tested against the server
 * with hostile strings; its error codes; the URL; and the same answers as DuckDB for the
 * same files.
 *
 * Without a clickhouse-server binary the ClickHouse tests are skipped with a message saying
 * how to install one; with PROVISO_REQUIRE_CLICKHOUSE=1 (CI) they fail instead.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { type ClickHouseKeeper, findClickHouseServer, startClickHouseKeeper } from '../../scripts/clickhouse-server.mjs';
import {
  ClickHouseError,
  clickHouseErrorCode,
  connectClickHouse,
  describeClickHouseTarget,
  parseClickHouseUrl,
} from '../../src/adapters/clickhouse/clickhouse-connection.ts';
import { DEFAULT_FOLD_WINDOW_DAYS, openClickHouseEventStore } from '../../src/adapters/clickhouse/clickhouse-event-store.ts';
import { sqlDate, sqlIdentifier, sqlInteger, sqlString } from '../../src/adapters/clickhouse/clickhouse-sql.ts';
import { compileClickHouseEventFilter } from '../../src/adapters/clickhouse/compile-event-filter.ts';
import { DEFAULT_FOLD_WINDOW_DAYS as DUCKDB_FOLD_WINDOW_DAYS } from '../../src/adapters/duckdb/duckdb-event-store.ts';
import { assertViewsMatchDuckDb } from '../support/clickhouse-views.ts';
import { runEventStoreContract } from './event-store.contract.ts';
import { ingest, openStore, SHARED, TABLES, tempDir } from './support.ts';

const MISSING =
  'no clickhouse-server binary: apt-get install clickhouse-server clickhouse-client (Debian), or set PROVISO_CLICKHOUSE_SERVER';
const found = findClickHouseServer();
if (found === undefined && process.env.PROVISO_REQUIRE_CLICKHOUSE === '1')
  throw new Error(`${MISSING} (PROVISO_REQUIRE_CLICKHOUSE=1)`);

let one: ClickHouseKeeper | undefined;
let two: ClickHouseKeeper | undefined;
if (found !== undefined) {
  [one, two] = await Promise.all([startClickHouseKeeper({ shards: 1 }), startClickHouseKeeper({ shards: 2 })]);
  after(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
  });
}

let n = 0;
const database = (label: string) => `t${process.pid}_${++n}_${label.replace(/[^A-Za-z0-9]/g, '_')}`;
const host = (url: string) => url.replace(/^http:\/\//, '');

if (one !== undefined && two !== undefined) {
  const single = one;
  const sharded = two;
  runEventStoreContract('ClickHouse, one server', async (label) => {
    const url = `clickhouse://${host(single.urls[0] as string)}/${database(label)}`;
    const dir = tempDir(`ch-${label}`);
    return {
      open: () =>
        openClickHouseEventStore(parseClickHouseUrl(url), {
          groupNames: (c) => TABLES.groupNames.get(c),
          stagingDir: join(dir, 'staging'),
        }),
      cli: ['--store', dir, '--events', url],
    };
  });
  runEventStoreContract('ClickHouse, two shards (Distributed)', async (label) => {
    const url = `clickhouse://${host(sharded.urls[0] as string)}/${database(label)}?cluster=${sharded.cluster}&shards=${sharded.urls.map(host).join(',')}`;
    const dir = tempDir(`ch2-${label}`);
    return {
      open: () =>
        openClickHouseEventStore(parseClickHouseUrl(url), {
          groupNames: (c) => TABLES.groupNames.get(c),
          stagingDir: join(dir, 'staging'),
        }),
      cli: ['--store', dir, '--events', url],
    };
  });

  describe('ClickHouse adapter', () => {
    const conn = () => connectClickHouse(single.urls[0] as string, undefined, { username: 'default', password: '' });

    it('escapes every string so that the server reads back exactly its bytes', async () => {
      const c = conn();
      try {
        const hostile = [
          '',
          "'",
          "\\'",
          '\\',
          "O'Brien",
          "'; DROP TABLE event_rows; --",
          'a\0b',
          '\0',
          'tab\there\nnewline\rcr',
          '\x01\x1f\x7f\b\f',
          'é 中文 🙂 Ω',
          '\\x41',
          '\\0',
          "\\\\'",
          '%_*?',
        ];
        // Ten hostile strings and 200 random ones of any code points per query.
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
      } finally {
        await c.close();
      }
    });

    it('refuses what it cannot write as a literal', () => {
      assert.throws(() => sqlString('\uD800'), /lone surrogate/);
      assert.throws(() => sqlInteger(1.5), /safe integer/);
      assert.throws(() => sqlInteger(2 ** 60), /safe integer/);
      assert.equal(sqlInteger(2n ** 60n), '1152921504606846976');
      assert.throws(() => sqlDate('2019-02-29'), /YYYY-MM-DD/);
      assert.throws(() => sqlDate('1969-12-31'), /Date range/);
      assert.throws(() => sqlIdentifier('a-b'), /not a valid name/);
      assert.throws(() => sqlIdentifier('x`; DROP'), /not a valid name/);
      assert.throws(() => compileClickHouseEventFilter({ quadClasses: [5] }, () => undefined), /QuadClass/);
      assert.equal(
        compileClickHouseEventFilter({ to: '1969-01-01' }, () => undefined),
        '0',
      );
    });

    it('parses the server code out of errors, and says when the server is unreachable', async () => {
      const c = conn();
      try {
        await assert.rejects(c.rows('SELECT * FROM no_such_db.no_such_table'), (err: unknown) => {
          assert.ok(err instanceof ClickHouseError);
          assert.equal(err.code, 81);
          return true;
        });
      } finally {
        await c.close();
      }
      assert.equal(clickHouseErrorCode('Code: 60, e.displayText() = DB::Exception: Table x does not exist'), 60);
      const down = connectClickHouse('http://127.0.0.1:1', undefined, { username: 'default', password: '' });
      await assert.rejects(down.rows('SELECT 1'), /cannot reach the ClickHouse server at http:\/\/127\.0\.0\.1:1/);
      await down.close();
    });

    it('parses event store URLs and refuses bad ones with what is expected', () => {
      const t = parseClickHouseUrl('clickhouse://ann:s%40cret@db.example/gdelt?cluster=c1&shards=a:8123,b:8124');
      assert.deepEqual(t, {
        url: 'http://db.example:8123',
        database: 'gdelt',
        username: 'ann',
        password: 's@cret',
        cluster: { name: 'c1', shards: ['http://a:8123', 'http://b:8124'] },
      });
      assert.equal(describeClickHouseTarget(t).includes('s@cret'), false, 'no password in messages');
      assert.throws(() => parseClickHouseUrl('postgres://x/y'), /not a ClickHouse URL scheme/);
      assert.throws(() => parseClickHouseUrl('clickhouse://x:8123/'), /no database/);
      assert.throws(() => parseClickHouseUrl('clickhouse://x/db-1'), /not a valid name/);
      assert.throws(() => parseClickHouseUrl('clickhouse://x/db?cluster=c'), /go together/);
      assert.throws(() => parseClickHouseUrl('clickhouse://x/db?compress=1'), /unknown option/);
    });

    it('matches actor codes by prefix, taking the wildcards of LIKE in a code literally', async () => {
      const c = conn();
      const db = database('like');
      try {
        await c.run(`CREATE DATABASE ${db}`);
        await c.run(`CREATE TABLE ${db}.t (actor1_code String, actor2_code String, packed String) ENGINE = Memory`);
        const code = fc.stringMatching(/^[AB%_\\]{0,4}$/);
        const stored = fc.sample(fc.tuple(code, code), { numRuns: 300, seed: 16 });
        await c.run(`INSERT INTO ${db}.t VALUES ${stored.map(([a, b]) => `(${sqlString(a)}, ${sqlString(b)}, '')`).join(', ')}`);
        for (const [a1, a2] of fc.sample(
          fc.tuple(
            code.filter((x) => x !== ''),
            code,
          ),
          { numRuns: 40, seed: 17 },
        )) {
          const filter = a2 === '' ? { actor1: [a1] } : { actor1: [a1], actor2: [a2], either: true };
          const got = await c.rows<{ a: string; b: string }>(
            `SELECT actor1_code AS a, actor2_code AS b FROM ${db}.t WHERE ${compileClickHouseEventFilter(filter, () => undefined)}
             ORDER BY a, b`,
          );
          const want = stored
            .filter(([x, y]) =>
              a2 === '' ? x.startsWith(a1) : (x.startsWith(a1) && y.startsWith(a2)) || (x.startsWith(a2) && y.startsWith(a1)),
            )
            .map(([a, b]) => ({ a, b }))
            .sort((p, q) => (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0));
          assert.deepEqual(got, want, JSON.stringify(filter));
        }
      } finally {
        await c.run(`DROP DATABASE IF EXISTS ${db}`);
        await c.close();
      }
    });

    it("reads a dyad's events by the table's order, not by scanning it", async () => {
      const url = `clickhouse://${host(single.urls[0] as string)}/${database('order')}`;
      const store = await openClickHouseEventStore(parseClickHouseUrl(url), {
        groupNames: (c) => TABLES.groupNames.get(c),
        stagingDir: join(tempDir('ch-order'), 's'),
      });
      await store.close();
      const c = connectClickHouse(single.urls[0] as string, parseClickHouseUrl(url).database, {
        username: 'default',
        password: '',
      });
      try {
        // force_primary_key: the server refuses a query that its table's order cannot narrow.
        const dyad = compileClickHouseEventFilter({ actor1: ['USA'], actor2: ['PAK'], either: true }, () => undefined);
        await c.rows(`SELECT count() AS n FROM event_rows WHERE ${dyad}`, { force_primary_key: 1 });
        await c.rows(
          `SELECT count() AS n FROM event_rows WHERE ${compileClickHouseEventFilter({ actor1: ['PAKMIL'] }, () => undefined)}`,
          { force_primary_key: 1 },
        );
        await assert.rejects(
          c.rows("SELECT count() AS n FROM event_rows WHERE startsWith(actor1_code, 'USA')", { force_primary_key: 1 }),
          (err: unknown) => err instanceof ClickHouseError && err.code === 277,
        );
      } finally {
        await c.close();
      }
    });

    it('folds with the same default window as DuckDB', () => {
      assert.equal(DEFAULT_FOLD_WINDOW_DAYS, DUCKDB_FOLD_WINDOW_DAYS);
    });

    it('answers the same aggregates as DuckDB for the same files, on one server and on two shards', async () => {
      const files = [
        join(SHARED, 'gdelt', 'spark-gdelt_events_v1_mixed_57_58col.tsv'),
        join(SHARED, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv'),
        join(SHARED, 'gdelt', 'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv'),
        join(SHARED, 'icews', 'icews_events.2018.sample.tab'),
      ];
      const duckDir = tempDir('ch-vs-duck');
      const d = await ingest(duckDir, files);
      const duck = await openStore(duckDir);
      const filters = [
        {},
        { actor1: ['USA'], actor2: ['PAK'], either: true },
        { actor1: ['SASREB'], either: true },
        { rootCodes: ['14', '18', '19'], from: '2015-01-01' },
      ];
      const expected = [];
      for (const f of filters) expected.push([await duck.dailyAggregates(f), await duck.periodAggregates(f, 'month')]);
      await duck.close();
      const round = (x: unknown) =>
        JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v)));
      for (const url of [
        `clickhouse://${host(single.urls[0] as string)}/${database('vs_duck')}`,
        `clickhouse://${host(sharded.urls[0] as string)}/${database('vs_duck2')}?cluster=${sharded.cluster}&shards=${sharded.urls.map(host).join(',')}`,
      ]) {
        const { ingestEventFiles } = await import('../../src/adapters/duckdb/ingest-event-files.ts');
        const ch = await openClickHouseEventStore(parseClickHouseUrl(url), {
          groupNames: (c) => TABLES.groupNames.get(c),
          stagingDir: join(tempDir('ch-stage'), 's'),
        });
        try {
          const r = await ingestEventFiles(ch, files, {
            format: 'auto',
            tables: TABLES,
            rejectsPath: join(tempDir('r'), 'r.jsonl'),
          });
          assert.deepEqual(
            [r.summary.inserted, r.summary.folded, r.summary.duplicates],
            [d.summary.inserted, d.summary.folded, d.summary.duplicates],
          );
          for (const [i, f] of filters.entries()) {
            assert.deepEqual(
              round([await ch.dailyAggregates(f), await ch.periodAggregates(f, 'month')]),
              round(expected[i]),
              `${url} ${JSON.stringify(f)}`,
            );
          }
        } finally {
          await ch.close();
        }
      }
    });

    it("shows the DuckDB store's gdelt_events and icews_events views, same columns and rows, on one server and on two shards", async () => {
      const files = [
        join(SHARED, 'gdelt', 'spark-gdelt_events_v1_mixed_57_58col.tsv'),
        join(SHARED, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv'),
        join(SHARED, 'gdelt', 'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv'),
        join(SHARED, 'icews', 'icews_events.2018.sample.tab'),
      ];
      const duckDir = tempDir('ch-views-duck');
      await ingest(duckDir, files);
      const { ingestEventFiles } = await import('../../src/adapters/duckdb/ingest-event-files.ts');
      for (const url of [
        `clickhouse://${host(single.urls[0] as string)}/${database('views')}`,
        `clickhouse://${host(sharded.urls[0] as string)}/${database('views2')}?cluster=${sharded.cluster}&shards=${sharded.urls.map(host).join(',')}`,
      ]) {
        const target = parseClickHouseUrl(url);
        const ch = await openClickHouseEventStore(target, {
          groupNames: (c) => TABLES.groupNames.get(c),
          stagingDir: join(tempDir('ch-stage'), 's'),
        });
        try {
          await ingestEventFiles(ch, files, { format: 'auto', tables: TABLES, rejectsPath: join(tempDir('r'), 'r.jsonl') });
        } finally {
          await ch.close();
        }
        const c = connectClickHouse(target.url, target.database, target);
        try {
          const counted = await assertViewsMatchDuckDb(duckDir, c, { realsWithinUlp: true });
          assert.deepEqual(counted, { gdelt_events: 257, icews_events: 3705 }, url);
        } finally {
          await c.close();
        }
        // Reopening (a writer) keeps the views as they are; a reader sees them.
        const again = await openClickHouseEventStore(target, { stagingDir: join(tempDir('ch-stage'), 's') });
        await again.close();
        const c2 = connectClickHouse(target.url, target.database, target);
        try {
          const made = await c2.rows<{ n: string }>('SELECT count() AS n FROM views_made');
          assert.equal(Number(made[0]?.n), 2, 'each view was made once');
        } finally {
          await c2.close();
        }
      }
    });
  });
} else {
  describe('ClickHouse event store', { skip: MISSING }, () => {
    it('runs the contract on a local clickhouse-server', () => undefined);
  });
}
