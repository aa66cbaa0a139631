import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchmark, makeCase, parseDuration } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { CaseIndicator } from './case-model.ts';
import { history, historyByReassessment } from './history.ts';
import { type EventDayTotals, eventMeasureValue, eventSeriesPoints } from './series.ts';

function eventsIndicator(aggregate: 'sum' | 'mean' | 'latest', window?: string): CaseIndicator {
  return {
    id: 'clashes',
    title: 'Material-conflict events',
    kind: 'series',
    filter: { kinds: [], actors: [] },
    source: {
      store: 'events',
      actor1: ['PAK'],
      actor2: ['IND'],
      either: false,
      rootCodes: ['18', '19'],
      quadClasses: [4],
      measure: 'count',
    },
    aggregate,
    ...(window === undefined ? {} : { window: parseDuration(window) }),
    dataset: { publisher: 'GDELT Project', title: 'GDELT 2.0 events', date: '2024' },
    reliability: 'C',
    credibility: 3,
  };
}

const c = makeCase({
  indicators: [eventsIndicator('sum', 'P12M')],
  benchmarks: [
    benchmark({
      id: 'quiet',
      conditions: ['clashes <= 2.0'],
      indicators: ['clashes'],
      duration: parseDuration('P0D'),
      reversals: [],
      verification: { minReliability: 'C', minCredibility: 3, minSources: 1 },
    }),
  ],
});

const points = [
  { date: '2020-01-10', knownAt: '2020-01-10', value: 2 },
  { date: '2020-03-01', knownAt: '2020-06-01', value: 3 },
];

describe('series indicators', () => {
  it('are unknown, and listed as missing, when no series is supplied', () => {
    const b = assess(c, [], '2020-02-01').benchmarks[0];
    assert.equal(b?.status, 'unknown');
    assert.deepEqual(b?.missing, ['clashes']);
    assert.ok(b?.reasons.some((r) => r.includes('was not supplied')));
  });

  it('sum the points dated inside the window, counting each only once it is known', () => {
    const series = new Map([['clashes', points]]);
    const at = (d: string) => assess(c, [], d, { series }).benchmarks[0];
    assert.equal(at('2020-02-01')?.indicators[0]?.value, 2);
    assert.equal(at('2020-05-01')?.indicators[0]?.value, 2, 'the March point is not known until June');
    assert.equal(at('2020-06-01')?.indicators[0]?.value, 5);
    assert.equal(at('2020-06-01')?.status, 'not-met');
    assert.equal(at('2021-01-10')?.indicators[0]?.value, 3, 'the January 2020 point left the window');
    assert.equal(at('2021-03-01')?.status, 'met');
  });

  it('mean is unknown with no point in the window; latest takes the newest known point', () => {
    const mean = makeCase({ indicators: [eventsIndicator('mean', 'P3M')], benchmarks: [...c.benchmarks] });
    const series = new Map([['clashes', points]]);
    assert.equal(assess(mean, [], '2020-02-01', { series }).benchmarks[0]?.indicators[0]?.value, 2);
    assert.equal(assess(mean, [], '2020-05-01', { series }).benchmarks[0]?.indicators[0]?.value, null);
    const latest = makeCase({ indicators: [eventsIndicator('latest')], benchmarks: [...c.benchmarks] });
    assert.equal(assess(latest, [], '2020-07-01', { series }).benchmarks[0]?.indicators[0]?.value, 3);
  });

  it('history over series matches re-assessment', () => {
    const series = new Map([['clashes', points]]);
    const fast = history(c, [], '2019-12-01', '2021-06-01', 'month', { series });
    const naive = historyByReassessment(c, [], '2019-12-01', '2021-06-01', 'month', { series });
    assert.deepEqual(fast.points, naive.points);
  });
});

describe('series coverage', () => {
  const series = new Map([['clashes', [{ date: '2020-01-10', knownAt: '2020-01-10', value: 1 }]]]);
  const coverage = new Map([['clashes', [{ from: '2019-06-01', to: '2020-12-31' }]]]);

  it('a windowed value is known only on days whose whole window the data covers', () => {
    const at = (d: string) => assess(c, [], d, { series, coverage }).benchmarks[0];
    assert.equal(at('2020-05-30')?.status, 'unknown', 'the window reaches back before the data begins');
    assert.ok(at('2020-05-30')?.reasons.some((r) => r.includes('does not cover')));
    assert.equal(at('2020-05-31')?.status, 'met');
    assert.equal(at('2020-12-31')?.status, 'met');
    assert.equal(at('2021-01-01')?.status, 'unknown', 'after the last covered day');
  });

  it('history agrees with re-assessment under coverage', () => {
    const fast = history(c, [], '2019-01-01', '2021-06-01', 'month', { series, coverage });
    const naive = historyByReassessment(c, [], '2019-01-01', '2021-06-01', 'month', { series, coverage });
    assert.deepEqual(fast.points, naive.points);
  });
});

describe('event indicators weighted by a measure', () => {
  const day = (
    date: string,
    count: number,
    articles: number | null,
    sources: number | null,
    goldstein: number,
  ): EventDayTotals => ({
    date,
    knownAt: date,
    count,
    goldsteinSum: goldstein,
    articlesSum: articles,
    sourcesSum: sources,
  });
  const days = [day('2020-01-02', 3, 12, 4, -7.5), day('2020-01-05', 1, null, null, 2), day('2020-01-09', 2, 5, 2, 1)];
  const loaded = [{ from: '2020-01-01', to: '2020-01-31' }];

  it('takes the count, article sum, source sum or Goldstein sum', () => {
    const d = days[0] as EventDayTotals;
    assert.deepEqual(
      (['count', 'articles', 'sources', 'goldstein-sum'] as const).map((m) => eventMeasureValue(m, d)),
      [3, 12, 4, -7.5],
    );
    assert.equal(eventMeasureValue('articles', days[1] as EventDayTotals), null);
  });

  it('counts and Goldstein sums keep every day and the coverage as loaded', () => {
    for (const m of ['count', 'goldstein-sum'] as const) {
      const r = eventSeriesPoints(m, days, loaded);
      assert.equal(r.points.length, 3);
      assert.deepEqual(r.coverage, loaded);
    }
  });

  it('a day whose events lack the weight gives no point and leaves the coverage, never counting as 0', () => {
    const r = eventSeriesPoints('articles', days, loaded);
    assert.deepEqual(
      r.points.map((p) => [p.date, p.value]),
      [
        ['2020-01-02', 12],
        ['2020-01-09', 5],
      ],
    );
    assert.deepEqual(r.coverage, [
      { from: '2020-01-01', to: '2020-01-04' },
      { from: '2020-01-06', to: '2020-01-31' },
    ]);
    // At a range's edges, and outside every range.
    const edges = eventSeriesPoints(
      'sources',
      [day('2020-01-01', 1, null, null, 0), day('2020-01-31', 1, null, null, 0), day('2020-03-01', 1, null, null, 0)],
      loaded,
    );
    assert.deepEqual(edges.points, []);
    assert.deepEqual(edges.coverage, [{ from: '2020-01-02', to: '2020-01-30' }]);
  });

  it('an indicator over an unknown day is unknown, not a sum that took it as 0', () => {
    const base = eventsIndicator('sum', 'P1M');
    assert.ok(base.kind === 'series' && base.source.store === 'events');
    const weighted = makeCase({
      indicators: [{ ...base, source: { ...base.source, measure: 'articles' } }],
      benchmarks: [
        benchmark({
          id: 'quiet',
          conditions: ['clashes <= 20.0'],
          indicators: ['clashes'],
          duration: parseDuration('P0D'),
          reversals: [],
          verification: { minReliability: 'C', minCredibility: 3, minSources: 1 },
        }),
      ],
    });
    const { points: p, coverage: cov } = eventSeriesPoints('articles', days, [{ from: '2019-01-01', to: '2020-12-31' }]);
    const opts = { series: new Map([['clashes', p]]), coverage: new Map([['clashes', cov]]) };
    // The window to 2020-01-31 holds the unknown day: 17 known articles is only a lower bound.
    assert.equal(assess(weighted, [], '2020-01-31', opts).benchmarks[0]?.status, 'unknown');
    // A month later the unknown day has left the window: nothing in it, all covered.
    assert.equal(assess(weighted, [], '2020-03-01', opts).benchmarks[0]?.status, 'met');
  });
});
