/**
 * `proviso export events --columns gdelt|icews`: real GDELT 1.0, GDELT 2.0 and ICEWS files
 * ingested through the CLI, exported in every format with the filters of `proviso events`,
 * read back with DuckDB and compared with the store's own `gdelt_events` and `icews_events`
 * views queried here: the same columns in the same order (the same types in Parquet), the
 * same row count and the same checksum of every value of every row. The view's side of
 * each filter is written here with the codebook's names (GDELT) or from ICEWS's own
 * columns, not with the exporter's SQL.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { makeTempDir } from '../support/cli-harness.ts';
import { SHARED_DATA } from '../support/shared-data.ts';
import { cli, FORMATS, listing, readBack } from './read-back.ts';

const FILES = [
  join(SHARED_DATA, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv'),
  join(SHARED_DATA, 'gdelt', 'spark-gdelt_events_v1_mixed_57_58col.tsv'),
  join(SHARED_DATA, 'icews', 'icews_events.2018.sample.tab'),
];

/**
 * Every value of every row: each row as DuckDB's text of the whole row (names and values),
 * sorted, md5'd. Equal for the view and a file read back only when no value, name or
 * NULL differs.
 */
const ROWS_MD5 = `md5(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY CAST(t AS VARCHAR)))`;

/** The store's view, read directly (read-only): its columns and a query's first row. */
async function storeView(
  store: string,
  view: string,
  sql: string,
): Promise<{ columns: { name: string; type: string }[]; row: Record<string, unknown> }> {
  const instance = await DuckDBInstance.create(join(store, 'events.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const columns = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${view}`))
      .getRowObjectsJson()
      .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    const row = (await conn.runAndReadAll(sql)).getRowObjectsJson()[0] ?? {};
    return { columns, row };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** The same selection over the view, in its own columns. */
  readonly where: string;
}

const VIEWS: Record<'gdelt' | 'icews', { view: string; key: string; cases: readonly Case[] }> = {
  gdelt: {
    view: 'gdelt_events',
    key: 'source, GLOBALEVENTID, SQLDATE',
    cases: [
      { name: 'no filter', args: [], where: 'TRUE' },
      {
        name: '--actor1 USA --either',
        args: ['--actor1', 'USA', '--either'],
        where: `Actor1Code LIKE 'USA%' OR Actor2Code LIKE 'USA%'`,
      },
      {
        name: '--root 1,4 --from 2015-01-01',
        args: ['--root', '1,4', '--from', '2015-01-01'],
        where: `EventRootCode IN ('01', '04') AND SQLDATE >= 20150101`,
      },
      {
        name: '--quad 3,4 --to 2014-12-31',
        args: ['--quad', '3,4', '--to', '2014-12-31'],
        where: 'QuadClass IN (3, 4) AND SQLDATE <= 20141231',
      },
    ],
  },
  icews: {
    view: 'icews_events',
    key: '"Event ID", "Event Date"',
    cases: [
      { name: 'no filter', args: [], where: 'TRUE' },
      // ICEWS has no actor codes: a country's CAMEO code (IND) stands for its name.
      {
        name: '--actor1 IND --either',
        args: ['--actor1', 'IND', '--either'],
        where: `"Source Country" = 'India' OR "Target Country" = 'India'`,
      },
      {
        name: '--actor1 IND --actor2 PAK',
        args: ['--actor1', 'IND', '--actor2', 'PAK'],
        where: `"Source Country" = 'India' AND "Target Country" = 'Pakistan'`,
      },
      {
        name: '--root 1,4 --from 2018-06-02',
        args: ['--root', '1,4', '--from', '2018-06-02'],
        where: `left("CAMEO Code", 2) IN ('01', '04') AND "Event Date" >= DATE '2018-06-02'`,
      },
      // QuadClass from the CAMEO root: 09–13 verbal conflict (3), 14–20 material conflict (4).
      {
        name: '--quad 3,4 --to 2018-06-01',
        args: ['--quad', '3,4', '--to', '2018-06-01'],
        where: `left("CAMEO Code", 2) BETWEEN '09' AND '20' AND "Event Date" <= DATE '2018-06-01'`,
      },
    ],
  },
};

describe('proviso export events --columns gdelt|icews: the codebook views', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: string;
  before(async () => {
    tmp = makeTempDir('proviso-export-codebook-');
    store = join(tmp.dir, 'store');
    await cli(['ingest', ...FILES, '--store', store, '--format', 'json'], tmp.dir);
  });
  after(() => tmp.cleanup());

  for (const columns of ['gdelt', 'icews'] as const) {
    const { view, key, cases } = VIEWS[columns];
    for (const c of cases) {
      for (const format of FORMATS) {
        it(`--columns ${columns}, ${c.name}, ${format}: the rows of ${view}, every column and value`, async () => {
          const out = join(tmp.dir, `${columns}-${c.name.replace(/[^a-z0-9]+/gi, '_')}.${format}`);
          const r = await cli(['export', 'events', '--store', store, '--columns', columns, '--out', out, ...c.args], tmp.dir);
          assert.equal(r.stdout, '');
          const expected = await storeView(
            store,
            view,
            `SELECT count(*)::INTEGER AS n, ${ROWS_MD5} AS rows FROM (SELECT * FROM ${view} WHERE ${c.where}) t`,
          );
          const n = expected.row.n as number;
          assert.ok(n > 0, 'the filter selects some events');
          if (c.where !== 'TRUE') {
            const all = await storeView(store, view, `SELECT count(*)::INTEGER AS n FROM ${view}`);
            assert.ok(n < (all.row.n as number), 'the filter leaves some events out');
          }
          assert.match(
            r.stderr,
            new RegExp(`wrote ${n.toLocaleString('en-US')} rows? \\(events\\) to .*\\(${format}, [\\d,]+ bytes\\)`),
          );
          const back = await readBack(out, format);
          try {
            assert.deepEqual(await back.one(`SELECT count(*)::INTEGER AS n, ${ROWS_MD5} AS rows FROM {src} t`), expected.row);
            const got = await back.describe();
            assert.deepEqual(
              got.map((x) => x.name),
              expected.columns.map((x) => x.name),
            );
            if (format === 'parquet') {
              assert.deepEqual(got, expected.columns, 'Parquet keeps the view’s types');
              // Ordered by the store's key, as the common export is.
              const keys = await back.all(`SELECT ${key} FROM {src}`);
              const sorted = await back.all(`SELECT ${key} FROM {src} ORDER BY ${key}`);
              assert.deepEqual(keys, sorted);
            }
          } finally {
            back.close();
          }
        });
      }
    }
  }

  it('the GDELT view keeps what the common columns leave out (NumArticles, geography, ADM2 codes for 2.0)', async () => {
    const out = join(tmp.dir, 'gdelt-fields.parquet');
    await cli(['export', 'events', '--store', store, '--columns', 'gdelt', '--out', out], tmp.dir);
    const back = await readBack(out, 'parquet');
    try {
      const row = await back.one(
        `SELECT count(*) FILTER (WHERE NumArticles IS NOT NULL)::INTEGER AS articles,
                count(*) FILTER (WHERE ActionGeo_FullName IS NOT NULL)::INTEGER AS places,
                count(*) FILTER (WHERE source = 'gdelt2' AND ActionGeo_ADM2Code IS NOT NULL)::INTEGER AS adm2,
                count(*) FILTER (WHERE source = 'gdelt1' AND ActionGeo_ADM2Code IS NOT NULL)::INTEGER AS adm2v1
         FROM {src}`,
      );
      assert.ok((row.articles as number) > 0 && (row.places as number) > 0 && (row.adm2 as number) > 0, JSON.stringify(row));
      assert.equal(row.adm2v1, 0, 'GDELT 1.0 has no ADM2 codes');
    } finally {
      back.close();
    }
  });

  it('the GDELT and ICEWS exports split the common export between them', async () => {
    const counts: number[] = [];
    for (const columns of ['common', 'gdelt', 'icews']) {
      const out = join(tmp.dir, `split-${columns}.csv`);
      const r = await cli(['export', 'events', '--store', store, '--columns', columns, '--out', out], tmp.dir);
      counts.push(Number((/wrote ([\d,]+) rows/.exec(r.stderr)?.[1] ?? 'NaN').replaceAll(',', '')));
    }
    const [common, gdelt, icews] = counts as [number, number, number];
    assert.ok(gdelt > 0 && icews > 0);
    assert.equal(gdelt + icews, common);
  });

  it('refuses --columns with the other kinds, an unknown view, and a ClickHouse store (exit 2, nothing written)', async () => {
    const out = join(tmp.dir, 'refused.csv');
    let r = await cli(['export', 'series', '--measure', 'agreement', '--columns', 'gdelt', '--out', out], tmp.dir, 2);
    assert.match(r.stderr, /--columns: not an option of export series/);
    r = await cli(['export', 'events', '--store', store, '--columns', 'phoenix', '--out', out], tmp.dir, 2);
    assert.match(r.stderr, /--columns.*phoenix.*(common|choices)/);
    // A store folder that names a ClickHouse event store: refused before any connection.
    const chStore = join(tmp.dir, 'ch-store');
    mkdirSync(chStore);
    writeFileSync(join(chStore, 'event-store.url'), 'clickhouse://localhost:1/nowhere\n');
    for (const columns of ['gdelt', 'icews']) {
      r = await cli(['export', 'events', '--store', chStore, '--columns', columns, '--out', out], tmp.dir, 2);
      assert.match(
        r.stderr,
        new RegExp(`--columns ${columns}: export does not read the .* codebook columns from a ClickHouse event store`),
      );
    }
    assert.equal(existsSync(out), false);
    assert.deepEqual(listing(chStore), ['event-store.url']);
  });
});
