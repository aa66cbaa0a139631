/**
 * `proviso export events` from a ClickHouse event store (the store folder names it in
 * `event-store.url`): the same real files ingested through the CLI into a DuckDB store and
 * into ClickHouse (one server; two shards), then exported with the same filters in every
 * format. CSV and JSON Lines must be the same bytes; Parquet the same columns, types and rows
 * read back with DuckDB. Also: a store folder naming a ClickHouse store that holds nothing.
 *
 * Without a clickhouse-server binary these tests are skipped with a message saying how to
 * install one; with PROVISO_REQUIRE_CLICKHOUSE=1 (CI) they fail instead.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ClickHouseKeeper, findClickHouseServer, startClickHouseKeeper } from '../../scripts/clickhouse-server.mjs';
import { makeTempDir } from '../support/cli-harness.ts';
import { SHARED_DATA } from '../support/shared-data.ts';
import { cli, FORMATS, listing, readBack } from './read-back.ts';

const FILES = [
  join(SHARED_DATA, 'gdelt', 'spark-gdelt_events_v1_mixed_57_58col.tsv'),
  join(SHARED_DATA, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv'),
  join(SHARED_DATA, 'gdelt', 'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv'),
  join(SHARED_DATA, 'icews', 'icews_events.2018.sample.tab'),
];
const MISSING =
  'no clickhouse-server binary: apt-get install clickhouse-server clickhouse-client (Debian), or set PROVISO_CLICKHOUSE_SERVER';
const found = findClickHouseServer();
if (found === undefined && process.env.PROVISO_REQUIRE_CLICKHOUSE === '1')
  throw new Error(`${MISSING} (PROVISO_REQUIRE_CLICKHOUSE=1)`);

const FILTERS: readonly (readonly string[])[] = [
  [],
  ['--actor1', 'USA', '--either'],
  ['--actor1', 'PAK', '--actor2', 'IND', '--either'],
  ['--root', '1,4', '--from', '2015-01-01'],
  ['--quad', '3,4', '--to', '2018-06-15'],
  ['--actor1', 'SASREB', '--either'],
];

describe('proviso export events from ClickHouse', { skip: found === undefined ? MISSING : false }, () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let one: ClickHouseKeeper;
  let two: ClickHouseKeeper;
  const stores: Record<'duckdb' | 'one' | 'two', string> = { duckdb: '', one: '', two: '' };
  before(async () => {
    tmp = makeTempDir('proviso-export-ch-');
    [one, two] = await Promise.all([startClickHouseKeeper({ shards: 1 }), startClickHouseKeeper({ shards: 2 })]);
    const host = (u: string) => u.replace(/^http:\/\//, '');
    stores.duckdb = join(tmp.dir, 'duck');
    stores.one = join(tmp.dir, 'one');
    stores.two = join(tmp.dir, 'two');
    await cli(['ingest', ...FILES, '--store', stores.duckdb, '--format', 'json'], tmp.dir);
    await cli(
      ['ingest', ...FILES, '--store', stores.one, '--events', `clickhouse://${host(one.urls[0] as string)}/export_one`],
      tmp.dir,
    );
    await cli(
      [
        'ingest',
        ...FILES,
        '--store',
        stores.two,
        '--events',
        `clickhouse://${host(two.urls[0] as string)}/export_two?cluster=${two.cluster}&shards=${two.urls.map(host).join(',')}`,
      ],
      tmp.dir,
    );
  });
  after(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    tmp?.cleanup();
  });

  for (const filter of FILTERS) {
    it(`writes the DuckDB store's file, every format: ${filter.join(' ') || 'no filter'}`, async () => {
      for (const format of FORMATS) {
        const out = (name: string) => join(tmp.dir, `${name}-${filter.join('_').replace(/[^A-Za-z0-9_]/g, '')}.${format}`);
        const written: Record<string, string> = {};
        for (const [name, store] of Object.entries(stores)) {
          written[name] = out(name);
          const r = await cli(['export', 'events', ...filter, '--store', store, '--out', written[name] as string], tmp.dir);
          assert.match(r.stderr, /^proviso: wrote [\d,]+ rows? \(events\)/);
        }
        const duck = written.duckdb as string;
        if (format === 'parquet') {
          const expected = await readBack(duck, format);
          const want = { columns: await expected.describe(), rows: await expected.all('SELECT * FROM {src}') };
          expected.close();
          for (const name of ['one', 'two']) {
            const got = await readBack(written[name] as string, format);
            assert.deepEqual(await got.describe(), want.columns, `${name} ${format}`);
            assert.deepEqual(await got.all('SELECT * FROM {src}'), want.rows, `${name} ${format}`);
            got.close();
          }
        } else {
          const want = readFileSync(duck, 'utf8');
          assert.ok(filter.length > 0 || want.split('\n').length > 300, 'the unfiltered export holds the samples');
          for (const name of ['one', 'two'])
            assert.equal(readFileSync(written[name] as string, 'utf8'), want, `${name} ${format}`);
        }
      }
    });
  }

  it('says when the ClickHouse store a folder names holds no events, and writes nothing', async () => {
    const folder = join(tmp.dir, 'empty-store');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'event-store.url'),
      `clickhouse://${(one.urls[0] as string).replace(/^http:\/\//, '')}/nothing_here\n`,
    );
    const before = listing(tmp.dir);
    const r = await cli(['export', 'events', '--store', folder, '--out', join(tmp.dir, 'none.csv')], tmp.dir, 1);
    assert.match(r.stderr, /no event store here: run `proviso ingest <files>… --events clickhouse:\/\/.*\/nothing_here` first/);
    assert.deepEqual(listing(tmp.dir), before);
  });
});
