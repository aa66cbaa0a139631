/**
 * `proviso export events`: real GDELT 2.0 and ICEWS files ingested through the CLI, exported
 * in every format with the filters of `proviso events`, read back with DuckDB and compared
 * with what `proviso events` reports (counts and Goldstein sums per month) and with the
 * store's own `events` view (every column, ordered keys' md5).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { makeTempDir } from '../support/cli-harness.ts';
import { SHARED_DATA } from '../support/shared-data.ts';
import { cli, FORMATS, listing, readBack } from './read-back.ts';

const GDELT = join(SHARED_DATA, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv');
const ICEWS = join(SHARED_DATA, 'icews', 'icews_events.2018.sample.tab');

/** The store's view, read directly (read-only): its columns and a query's first row. */
async function storeView(
  store: string,
  sql: string,
): Promise<{ columns: { name: string; type: string }[]; row: Record<string, unknown> }> {
  const instance = await DuckDBInstance.create(join(store, 'events.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const columns = (
      await conn.runAndReadAll(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position`,
      )
    )
      .getRowObjectsJson()
      .map((r) => ({ name: String(r.column_name), type: String(r.data_type) }));
    const row = (await conn.runAndReadAll(sql)).getRowObjectsJson()[0] ?? {};
    return { columns, row };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

const KEY_MD5 = `md5(string_agg(source || ':' || CAST(event_id AS VARCHAR) || ':' || CAST(event_date AS VARCHAR), chr(10)
  ORDER BY source, CAST(event_id AS VARCHAR), CAST(event_date AS VARCHAR)))`;

interface PeriodRow {
  period: string;
  count: number;
  goldsteinSum: number;
}

describe('proviso export events', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: string;
  before(async () => {
    tmp = makeTempDir('proviso-export-events-');
    store = join(tmp.dir, 'store');
    await cli(['ingest', GDELT, ICEWS, '--store', store, '--format', 'json'], tmp.dir);
  });
  after(() => tmp.cleanup());

  const filters: { name: string; args: string[]; where: string }[] = [
    { name: 'no filter', args: [], where: 'TRUE' },
    {
      name: '--root 1,4 --from 2015-01-01',
      args: ['--root', '1,4', '--from', '2015-01-01'],
      where: `event_root IN ('01', '04') AND event_date >= DATE '2015-01-01'`,
    },
    {
      name: '--quad 3,4 --to 2018-06-15',
      args: ['--quad', '3,4', '--to', '2018-06-15'],
      where: `quad_class IN (3, 4) AND event_date <= DATE '2018-06-15'`,
    },
    {
      name: '--actor1 USA --either',
      args: ['--actor1', 'USA', '--either'],
      where: `actor1_code LIKE 'USA%' OR actor2_code LIKE 'USA%'`,
    },
  ];

  for (const f of filters) {
    for (const format of FORMATS) {
      it(`${f.name}, ${format}: the rows of \`proviso events\` and of the store's view, every column`, async () => {
        const out = join(tmp.dir, `events-${f.name.replace(/[^a-z0-9]+/gi, '_')}.${format}`);
        const r = await cli(['export', 'events', '--store', store, '--out', out, ...f.args], tmp.dir);
        assert.equal(r.stdout, '');
        const events = JSON.parse(
          (await cli(['events', '--store', store, '--by', 'month', '--format', 'json', ...f.args], tmp.dir)).stdout,
        ) as PeriodRow[];
        const total = events.reduce((n, p) => n + p.count, 0);
        assert.ok(total > 0, 'the filter selects some events');
        assert.match(
          r.stderr,
          new RegExp(`wrote ${total.toLocaleString('en-US')} rows \\(events\\) to .*\\(${format}, [\\d,]+ bytes\\)`),
        );

        const back = await readBack(out, format);
        try {
          // Per month, as `proviso events` counts and sums them.
          const months = await back.all(
            `SELECT strftime(CAST(event_date AS DATE), '%Y-%m') AS period, count(*)::INTEGER AS count,
                    coalesce(sum(goldstein), 0)::DOUBLE AS goldsteinSum
             FROM {src} GROUP BY 1 ORDER BY 1`,
          );
          assert.deepEqual(
            months.map((m) => [m.period, m.count, Math.round(Number(m.goldsteinSum) * 1000)]),
            events.map((p) => [p.period, p.count, Math.round(p.goldsteinSum * 1000)]),
          );
          // Every column of the view but its bookkeeping, and the same events as the view holds.
          const view = await storeView(
            store,
            `SELECT count(*)::INTEGER AS n, ${KEY_MD5} AS keys, sum(num_mentions)::BIGINT AS mentions FROM events WHERE ${f.where}`,
          );
          const got = await back.one(
            `SELECT count(*)::INTEGER AS n, ${KEY_MD5} AS keys, sum(num_mentions)::BIGINT AS mentions FROM {src}`,
          );
          assert.deepEqual(got, view.row);
          assert.equal(got.n, total);
          const columns = await back.describe();
          const expected = view.columns.filter((c) => c.name !== 'fold_key' && c.name !== 'file_id');
          assert.deepEqual(
            columns.map((c) => c.name),
            expected.map((c) => c.name),
          );
          // Parquet keeps the store's types.
          if (format === 'parquet') assert.deepEqual(columns, expected);
        } finally {
          back.close();
        }
      });
    }
  }

  it('writes the same events in the same order in every format', async () => {
    const sums: unknown[] = [];
    for (const format of FORMATS) {
      const out = join(tmp.dir, `order.${format}`);
      await cli(['export', 'events', '--store', store, '--out', out], tmp.dir);
      const back = await readBack(out, format);
      try {
        sums.push(
          await back.one(
            `SELECT md5(string_agg(source || ':' || CAST(event_id AS VARCHAR) || ':' || coalesce(actor1_name, '') || ':' || coalesce(source_url, ''), chr(10))) AS m FROM {src}`,
          ),
        );
      } finally {
        back.close();
      }
    }
    assert.deepEqual(sums[1], sums[0]);
    assert.deepEqual(sums[2], sums[0]);
  });

  it('a filter that matches nothing: a header-only CSV, an empty JSON Lines file, a zero-row Parquet file with the columns', async () => {
    const none = ['--from', '1990-01-01', '--to', '1990-12-31'];
    for (const format of FORMATS) {
      const out = join(tmp.dir, `none.${format}`);
      const r = await cli(['export', 'events', '--store', store, '--out', out, ...none], tmp.dir);
      assert.match(r.stderr, /wrote 0 rows \(events\)/);
      if (format === 'csv') {
        const text = readFileSync(out, 'utf8');
        assert.equal(text.split('\n').length, 2, 'one line and its newline');
        assert.ok(text.startsWith('source,event_id,event_date,'));
      }
      if (format === 'jsonl') assert.equal(statSync(out).size, 0);
      if (format === 'parquet') {
        const back = await readBack(out, format);
        try {
          assert.deepEqual(await back.one('SELECT count(*)::INTEGER AS n FROM {src}'), { n: 0 });
          assert.ok((await back.describe()).some((c) => c.name === 'event_date' && c.type === 'DATE'));
        } finally {
          back.close();
        }
      }
    }
  });

  it('reads the store without writing it', async () => {
    const before = listing(store);
    const stat = statSync(join(store, 'events.duckdb'));
    await cli(['export', 'events', '--store', store, '--out', join(tmp.dir, 'ro.parquet')], tmp.dir);
    assert.deepEqual(listing(store), before);
    const after = statSync(join(store, 'events.duckdb'));
    assert.equal(after.mtimeMs, stat.mtimeMs);
    assert.equal(after.size, stat.size);
  });

  it('an --out in a missing folder fails with a clear message and leaves nothing', async () => {
    const missing = join(tmp.dir, 'no-such-folder', 'events.csv');
    const before = listing(tmp.dir);
    const r = await cli(['export', 'events', '--store', store, '--out', missing], tmp.dir, 1);
    assert.match(r.stderr, /--out .*no-such-folder\/events\.csv: no folder .*no-such-folder; create it first/);
    assert.equal(existsSync(join(tmp.dir, 'no-such-folder')), false);
    assert.deepEqual(listing(tmp.dir), before);
  });

  it('a missing store says so, creates nothing and exits 1; a failed export keeps the file it would have replaced', async () => {
    const dir = join(tmp.dir, 'failing');
    mkdirSync(dir);
    const out = join(dir, 'events.csv');
    writeFileSync(out, 'old\n');
    const r = await cli(['export', 'events', '--store', join(dir, 'nostore'), '--out', out], dir, 1);
    assert.match(r.stderr, /no event store at nostore\/events\.duckdb: run `proviso ingest <files>…` --store .*nostore first/);
    assert.deepEqual(listing(dir), ['events.csv']);
    assert.equal(readFileSync(out, 'utf8'), 'old\n');
  });

  it('checks the filter as `proviso events` does, and refuses options of other kinds (exit 2, text errors)', async () => {
    const out = join(tmp.dir, 'bad.csv');
    let r = await cli(['export', 'events', '--store', store, '--out', out, '--from', '2018-02-31'], tmp.dir, 2);
    assert.match(r.stderr, /^proviso: --from: .*2018-02-31.*February 2018 has 28 days/m);
    r = await cli(['export', 'events', '--store', store, '--out', out, '--root', 'x'], tmp.dir, 2);
    assert.match(r.stderr, /--root: "x" is not valid/);
    r = await cli(['export', 'events', '--store', store, '--out', out, '--measure', 'agreement'], tmp.dir, 2);
    assert.match(r.stderr, /--measure: not an option of export events/);
    r = await cli(['export', 'events', '--store', store, '--out', join(tmp.dir, 'events.txt')], tmp.dir, 2);
    assert.match(r.stderr, /give a file name ending in \.csv, \.parquet or \.jsonl/);
    assert.equal(existsSync(out), false);
    // --format names the file's format, whatever the extension.
    r = await cli(['export', 'events', '--store', store, '--out', join(tmp.dir, 'events.txt'), '--format', 'jsonl'], tmp.dir);
    assert.match(r.stderr, /\(jsonl, /);
  });
});
