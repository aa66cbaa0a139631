/**
 * Issue 14, point 5, for the series store: the State Department's coincidence and the
 * us-aid measures are the United States' by definition of their datasets, and say so. A
 * dyad without USA gets no points and a reason — never, silently, the United States' series.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  datasetFirstCountry,
  IN_MEMORY_SERIES,
  openSqliteSeriesStore,
  type SqliteSeriesStore,
  seriesDyadProblem,
} from '../../src/adapters/structural/sqlite-series-store.ts';
import type { PointRecord } from '../../src/adapters/structural/structural-records.ts';

const point = (measure: string, a: string, b: string, year: number, value: number, line: number): PointRecord => ({
  kind: 'point',
  line,
  measure,
  a,
  b,
  date: `${year}-12-31`,
  knownAt: `${year + 1}-03-31`,
  value,
  period: String(year),
  detail: {},
});

let store: SqliteSeriesStore;

before(async () => {
  store = openSqliteSeriesStore(IN_MEMORY_SERIES);
  await store.write({
    file: 'synthetic.csv',
    records: [
      point('coincidence', 'USA', 'RUR', 2021, 0.4, 1),
      point('aid', 'USA', 'RUR', 2021, 1000, 2),
      point('arms', 'SYL', 'RUR', 2021, 12, 3),
    ],
    rejects: [],
    skipped: {},
  });
});

after(async () => {
  await store.close();
});

describe('measures whose dataset fixes the first country', () => {
  it('are coincidence and the aid measures, with USA; any dyad for the others', () => {
    assert.equal(datasetFirstCountry('coincidence'), 'USA');
    assert.equal(datasetFirstCountry('aid'), 'USA');
    assert.equal(datasetFirstCountry('aid-current'), 'USA');
    assert.equal(datasetFirstCountry('agreement'), undefined);
    assert.equal(datasetFirstCountry('arms'), undefined);
    assert.equal(seriesDyadProblem('agreement', ['DEU', 'RUR']), undefined);
    assert.equal(seriesDyadProblem('coincidence', ['USA', 'RUR']), undefined);
    assert.equal(seriesDyadProblem('coincidence', ['rur', 'usa']), undefined, 'symmetric, any case');
    assert.equal(seriesDyadProblem('aid', ['USA', 'RUR']), undefined);
  });

  it('give a reason for a dyad without USA, for one code alone, and for aid with USA second', () => {
    assert.match(
      seriesDyadProblem('coincidence', ['DEU', 'RUR']) ?? '',
      /coincidence with the United States, so its dyad is USA and that country \(USA,<code>\), not DEU,RUR; for any other pair use agreement/,
    );
    assert.match(seriesDyadProblem('coincidence', ['RUR']) ?? '', /not RUR;/);
    assert.match(
      seriesDyadProblem('aid', ['RUR']) ?? '',
      /aid is US foreign aid .* the donor USA and the recipient \(USA,<code>\), not RUR$/,
    );
    assert.match(seriesDyadProblem('aid-current', ['RUR', 'USA']) ?? '', /not RUR,USA$/);
  });

  it('series: no points for such a dyad, never the United States’ series in its place', async () => {
    assert.deepEqual(
      (await store.series({ measure: 'coincidence', dyad: ['USA', 'RUR'] })).map((p) => p.value),
      [0.4],
    );
    assert.deepEqual(
      (await store.series({ measure: 'coincidence', dyad: ['RUR', 'USA'] })).map((p) => p.value),
      [0.4],
    );
    assert.deepEqual(await store.series({ measure: 'coincidence', dyad: ['EUR', 'RUR'] }), []);
    assert.deepEqual(await store.series({ measure: 'coincidence', dyad: ['RUR'] }), []);
    assert.deepEqual(
      (await store.series({ measure: 'aid', dyad: ['USA', 'RUR'] })).map((p) => p.value),
      [1000],
    );
    assert.deepEqual(await store.series({ measure: 'aid', dyad: ['RUR'] }), [], 'one code is not read as aid from USA');
    assert.deepEqual(await store.series({ measure: 'aid', dyad: ['EUR', 'RUR'] }), []);
    assert.deepEqual(
      (await store.series({ measure: 'arms', dyad: ['SYL', 'RUR'] })).map((p) => p.value),
      [12],
    );
  });

  it('rows: the reason as a RangeError (the CLI shows it as a usage error)', async () => {
    await assert.rejects(store.rows({ measure: 'coincidence', dyad: ['EUR', 'RUR'] }), (err: Error) => {
      assert.ok(err instanceof RangeError);
      assert.match(err.message, /^coincidence is the US State Department's measure/);
      return true;
    });
    await assert.rejects(store.rows({ measure: 'aid', dyad: ['RUR'] }), RangeError);
    assert.equal((await store.rows({ measure: 'aid', dyad: ['USA', 'RUR'] })).length, 1);
  });
});
