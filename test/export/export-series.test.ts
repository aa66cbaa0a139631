/**
 * `proviso export series`: the State Department's coincidence reports and the unvotes roll
 * calls imported through the CLI, exported in every format with the filters of
 * `proviso series`, read back with DuckDB and compared with `series --format json` (count,
 * sum of values, md5 of the ordered years) and, for CSV, with `series --format csv` byte for byte.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTempDir } from '../support/cli-harness.ts';
import { SHARED_DATA } from '../support/shared-data.ts';
import { cli, FORMATS, listing, md5OfSorted, readBack } from './read-back.ts';

const UNGA = join(SHARED_DATA, 'unga');
const COINCIDENCE = [2018, 2019, 2020, 2021, 2022, 2023].map((y) => join(UNGA, `state-dept_un-coincidence-${y}.csv`));
const UNVOTES = ['un_votes.csv.gz', 'un_roll_calls.csv.gz', 'un_roll_call_issues.csv'].map((f) => join(UNGA, 'unvotes', f));

interface Point {
  year: number;
  value: number;
  [k: string]: unknown;
}

describe('proviso export series', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: string;
  before(async () => {
    tmp = makeTempDir('proviso-export-series-');
    store = join(tmp.dir, 'store');
    await cli(['import', 'unga-coincidence', ...COINCIDENCE, '--store', store], tmp.dir);
    await cli(['import', 'unga-votes', ...UNVOTES, '--store', store], tmp.dir);
  });
  after(() => tmp.cleanup());

  const selections: { name: string; args: string[] }[] = [
    { name: 'coincidence USA,PAK', args: ['--measure', 'coincidence', '--dyad', 'USA,PAK'] },
    {
      name: 'coincidence USA,IND 2020–2022',
      args: ['--measure', 'coincidence', '--dyad', 'USA,IND', '--from', '2020', '--to', '2022'],
    },
    { name: 'agreement USA,PAK', args: ['--measure', 'agreement', '--dyad', 'USA,PAK'] },
    {
      name: 'kappa USA,PAK, Middle East roll calls from 1990',
      args: ['--measure', 'kappa', '--dyad', 'USA,PAK', '--issue', 'me', '--from', '1990-01-01'],
    },
    { name: 's-score USA,IND, both councils', args: ['--measure', 's-score', '--dyad', 'USA,IND', '--body', 'all'] },
  ];

  for (const s of selections) {
    for (const format of FORMATS) {
      it(`${s.name}, ${format}: the points of \`proviso series\``, async () => {
        const out = join(tmp.dir, `${s.name.replace(/[^a-z0-9]+/gi, '_')}.${format}`);
        const r = await cli(['export', 'series', '--store', store, '--out', out, ...s.args], tmp.dir);
        assert.equal(r.stdout, '');
        const points = JSON.parse(
          (await cli(['series', '--store', store, '--format', 'json', ...s.args], tmp.dir)).stdout,
        ) as Point[];
        assert.ok(points.length > 0);
        assert.match(r.stderr, new RegExp(`wrote ${points.length} rows \\(series\\)`));
        const back = await readBack(out, format);
        try {
          const got = await back.one(
            `SELECT count(*)::INTEGER AS n, round(sum(value), 9)::DOUBLE AS total,
                    md5(string_agg(CAST(year AS VARCHAR), chr(10) ORDER BY year)) AS years FROM {src}`,
          );
          assert.deepEqual(got, {
            n: points.length,
            total: Math.round(points.reduce((t, p) => t + p.value, 0) * 1e9) / 1e9,
            years: md5OfSorted(points.map((p) => String(p.year))),
          });
          // Every key of the JSON points is a column.
          const columns = (await back.describe()).map((c) => c.name);
          assert.deepEqual(columns, [...new Set(points.flatMap((p) => Object.keys(p)))]);
          if (format === 'parquet') {
            const types = Object.fromEntries((await back.describe()).map((c) => [c.name, c.type]));
            assert.equal(types.year, 'BIGINT');
            assert.equal(types.value, 'DOUBLE');
            assert.equal(types.date, 'DATE');
          }
        } finally {
          back.close();
        }
        if (format === 'csv') {
          const csv = (await cli(['series', '--store', store, '--format', 'csv', ...s.args], tmp.dir)).stdout;
          assert.equal(readFileSync(out, 'utf8'), csv);
        }
      });
    }
  }

  it('no points: a header-only CSV, an empty JSON Lines file, a zero-row Parquet file', async () => {
    const none = ['--measure', 'coincidence', '--dyad', 'USA,PAK', '--from', '1950', '--to', '1960'];
    for (const format of FORMATS) {
      const out = join(tmp.dir, `none.${format}`);
      await cli(['export', 'series', '--store', store, '--out', out, ...none], tmp.dir);
      if (format === 'csv') assert.equal(readFileSync(out, 'utf8'), 'year,value,measure,dyad,period,date,knownAt\n');
      if (format === 'jsonl') assert.equal(statSync(out).size, 0);
      if (format === 'parquet') {
        const back = await readBack(out, format);
        try {
          assert.deepEqual(await back.one('SELECT count(*)::INTEGER AS n FROM {src}'), { n: 0 });
          assert.deepEqual(
            (await back.describe()).map((c) => c.name),
            ['year', 'value', 'measure', 'dyad', 'period', 'date', 'knownAt'],
          );
        } finally {
          back.close();
        }
      }
    }
  });

  it('checks its options as `proviso series` does; a missing store creates nothing', async () => {
    const out = join(tmp.dir, 'bad.csv');
    let r = await cli(
      ['export', 'series', '--store', store, '--out', out, '--measure', 'agreement', '--dyad', 'USA,PAK', '--from', '2018-02-31'],
      tmp.dir,
      2,
    );
    assert.match(r.stderr, /--from/);
    r = await cli(['export', 'series', '--store', store, '--out', out], tmp.dir, 2);
    assert.match(r.stderr, /export series needs --measure/);
    r = await cli(
      ['export', 'series', '--store', store, '--out', out, '--measure', 'aid', '--dyad', 'USA,PAK', '--body', 'sc'],
      tmp.dir,
      2,
    );
    assert.match(r.stderr, /--body applies to the vote measures/);
    const before = listing(tmp.dir);
    r = await cli(
      ['export', 'series', '--store', join(tmp.dir, 'empty'), '--out', out, '--measure', 'agreement', '--dyad', 'USA,PAK'],
      tmp.dir,
      1,
    );
    assert.match(r.stderr, /no series store at empty\/series\.sqlite/);
    assert.deepEqual(listing(tmp.dir), before);
  });
});
