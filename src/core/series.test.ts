import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchmark, makeCase, parseDuration } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { Indicator } from './case-model.ts';
import { history, historyByReassessment } from './history.ts';

function eventsIndicator(aggregate: 'sum' | 'mean' | 'latest', window?: string): Indicator {
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
