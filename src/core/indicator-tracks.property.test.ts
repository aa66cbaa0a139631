/**
 * Indicators evaluated once for all the benchmarks that read them (indicator-tracks.ts)
 * against every benchmark stream holding its own copy: the same explained results
 * (statuses, runs, evidence, reasons, paths to unlock, sensitivity), and a history whose
 * re-assessment reads the tracks equal to the incremental history that does not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { benchmark, custodyIndicator, evidence, makeCase, parseDuration, source } from '../../test/support/builders.ts';
import { explainStreams, streamsOver, viewLedger } from './assess.ts';
import type { Benchmark, Case, CaseIndicator, Verification } from './case-model.ts';
import { addDays, fromDayNumber, toDayNumber } from './dates.ts';
import { advanceStreams, compiledCaseOf, indicatorInputs } from './evaluation.ts';
import type { Evidence } from './evidence.ts';
import { history, historyByReassessment } from './history.ts';
import { latestActions } from './principal-actions.ts';

/** True about once in `n` draws. */
const sometimes = (n: number) => fc.integer({ min: 1, max: n }).map((k) => k === 1);

const START = toDayNumber('2015-01-01');
const SPAN = 5 * 365;
/** Days on a grid, so that items of different indicators fall on one day (see also `sameDay`). */
const dayArb = fc.integer({ min: 0, max: Math.floor(SPAN / 15) }).map((k) => fromDayNumber(START + 15 * k));

const indicators: CaseIndicator[] = [
  { id: 'attacks', title: 'Attacks', kind: 'count', filter: { kinds: ['attack'], actors: [] }, window: parseDuration('P6M') },
  { id: 'total', title: 'All attacks', kind: 'count', filter: { kinds: ['attack'], actors: [] } },
  {
    id: 'any_attack',
    title: 'Any attack',
    kind: 'exists',
    filter: { kinds: ['attack'], actors: [] },
    window: parseDuration('P3M'),
  },
  {
    id: 'funds',
    title: 'Funds',
    kind: 'sum',
    filter: { kinds: ['aid'], actors: [] },
    field: 'amount',
    currency: 'USD',
    window: parseDuration('P12M'),
  },
  { id: 'score', title: 'Score', kind: 'latest', filter: { kinds: ['score'], actors: [] }, field: 'value' },
  custodyIndicator(),
];

/** Clauses over the shared indicators (some over two; some more likely than others). */
const CLAUSES = [
  'in_custody == 1',
  'in_custody == 1',
  '!any_attack',
  'attacks <= 1',
  'attacks == 0',
  'total >= 2',
  '!any_attack',
  'funds >= 1000.0',
  'score >= 50.0',
  'in_custody == 1',
  'attacks <= 2 && score >= 30.0',
  'in_custody == 1 || funds > 0.0',
] as const;

const BARS: readonly Verification[] = [
  { minReliability: 'F', minCredibility: 6, minSources: 1 },
  { minReliability: 'B', minCredibility: 3, minSources: 1 },
  { minReliability: 'A', minCredibility: 2, minSources: 2 },
];

interface RawBenchmark {
  clauses: number[];
  bar: number;
  duration: 'P0D' | 'P1M' | 'P6M';
  reversals: 'none' | 'attack' | 'release';
  review: boolean;
  finding: 'none' | 'fulfilled' | 'partially-fulfilled';
  validFrom: boolean;
}

const rawBenchmarkArb: fc.Arbitrary<RawBenchmark> = fc.record({
  clauses: fc.uniqueArray(fc.integer({ min: 0, max: CLAUSES.length - 1 }), { minLength: 0, maxLength: 2 }),
  bar: fc.integer({ min: 0, max: BARS.length - 1 }),
  duration: fc.constantFrom('P0D', 'P1M', 'P6M'),
  reversals: fc.constantFrom('none', 'attack', 'release'),
  review: sometimes(5),
  finding: fc.constantFrom('none', 'none', 'none', 'fulfilled', 'partially-fulfilled'),
  validFrom: sometimes(4),
});

interface RawItem {
  kind: 'attack' | 'aid' | 'score' | 'arrest' | 'release' | 'finding';
  day: string;
  lag: number;
  grade: 'A' | 'B' | 'E';
  second: boolean;
  n: number;
  claim: boolean;
  /** On the day of the item before it (items of one day are applied in id order, whatever their indicator). */
  sameDay: boolean;
}

const rawItemArb: fc.Arbitrary<RawItem> = fc.record({
  kind: fc.constantFrom('attack', 'attack', 'aid', 'score', 'arrest', 'release', 'finding', 'finding'),
  day: dayArb,
  lag: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 90 })),
  grade: fc.constantFrom('A', 'A', 'B', 'E'),
  second: sometimes(3),
  n: fc.nat({ max: 1000 }),
  claim: sometimes(8),
  sameDay: sometimes(3),
});

const GRADES = ['fulfilled', 'partially-fulfilled', 'not-fulfilled', 'not-assessed'] as const;

type Watch = 'none' | 'late' | 'full';
const watchArb = fc.constantFrom<Watch>('none', 'late', 'full', 'full', 'full');
const watchSource = { publisher: 'Watcher', title: 'Incident list', date: '2017-03' };

function caseOf(raw: readonly RawBenchmark[], watch: Watch): Case {
  const benchmarks: Benchmark[] = raw.map((r, i) => {
    const conditions = r.clauses.map((k) => CLAUSES[k] as string);
    const used = [...new Set(conditions.flatMap((c) => indicators.map((x) => x.id).filter((id) => c.includes(id))))].sort();
    return benchmark({
      id: `b${i}`,
      title: `Benchmark ${i}`,
      conditions: conditions.length === 0 && r.finding === 'none' ? ['attacks == 0'] : conditions,
      indicators: conditions.length === 0 && r.finding === 'none' ? ['attacks'] : used,
      duration: parseDuration(r.duration),
      reversals: r.reversals === 'none' ? [] : [r.reversals],
      verification: BARS[r.bar] as Verification,
      ...(r.review ? { review: { calendar: 'plenary', window: parseDuration('P60D'), countAfterReview: true } } : {}),
      ...(r.finding === 'none' ? {} : { finding: { assessor: 'Assessor', bar: r.finding } }),
      ...(r.validFrom ? { validity: { from: '2016-06-01' } } : {}),
    });
  });
  const ids = benchmarks.map((b) => b.id);
  return makeCase({
    indicators,
    benchmarks,
    reviews: [
      { id: 'r1', calendar: 'plenary', title: 'Review 1', date: '2016-02-16', written: '2016-02-16' },
      { id: 'r2', calendar: 'plenary', title: 'Review 2', date: '2018-06-29', written: '2018-06-29' },
    ],
    instruments: [
      { id: 'aid', title: 'Aid', tier: 3, effects: [] },
      { id: 'loan', title: 'Loan', tier: 2, effects: [] },
      { id: 'visa', title: 'Visas', tier: 1, effects: [] },
    ],
    gates: [
      { instrument: 'aid', rule: { kind: 'at-least', count: Math.max(1, Math.ceil(ids.length / 2)), benchmarks: ids } },
      { instrument: 'loan', rule: { kind: 'all', benchmarks: ids.slice(0, 3) } },
      { instrument: 'visa', rule: { kind: 'any', benchmarks: ids.slice(-2) } },
    ],
    // Watched time makes counts exact (and silence informative); late claims and gaps move it.
    ...(watch === 'full'
      ? {
          monitoring: [
            {
              id: 'watch',
              title: 'W',
              indicators: ['attacks', 'any_attack', 'total', 'in_custody', 'funds'],
              from: '2014-01-01',
              source: watchSource,
            },
          ],
        }
      : watch === 'late'
        ? {
            monitoring: [
              {
                id: 'watch',
                title: 'W',
                indicators: ['attacks', 'any_attack', 'in_custody'],
                from: '2015-06-01',
                until: '2018-12-31',
                known: '2017-03-01',
                source: watchSource,
              },
              { id: 'watch2', title: 'W2', indicators: ['attacks', 'total'], from: '2019-03-01', source: watchSource },
            ],
          }
        : {}),
  });
}

function ledgerOf(raw: readonly RawItem[], benchmarks: number, fixes: readonly number[]): Evidence[] {
  let previous: string | undefined;
  const items = raw.map((raw, i) => {
    const r = raw.sameDay && previous !== undefined ? { ...raw, day: previous } : raw;
    previous = r.day;
    const reported = addDays(r.day, r.lag);
    const sources = [
      source({ reliability: r.grade, credibility: r.grade === 'E' ? 5 : 1, date: reported }),
      ...(r.second ? [source({ publisher: 'Second Desk', reliability: 'A', credibility: 1, date: reported })] : []),
    ];
    const id = `e${String(i).padStart(3, '0')}`;
    const base = { reported, sources, ...(r.claim ? { claim: 'author' as const } : {}) };
    switch (r.kind) {
      case 'aid':
        return evidence(id, 'aid', r.day, { ...base, amount: 100 * (r.n % 20), currency: r.n % 7 === 0 ? 'EUR' : 'USD' });
      case 'score':
        return evidence(id, 'score', r.day, { ...base, quantity: { value: r.n % 100, of: 100 } });
      case 'finding':
        return evidence(id, 'assessment', r.day, {
          ...base,
          finding: {
            benchmark: `b${r.n % Math.max(1, benchmarks)}`,
            grade: GRADES[r.n % GRADES.length] as (typeof GRADES)[number],
            assessor: r.n % 11 === 0 ? 'Observer' : 'Assessor',
          },
        });
      default:
        return evidence(id, r.kind, r.day, base);
    }
  });
  const extra: Evidence[] = [];
  fixes.forEach((target, k) => {
    const t = items[target % Math.max(1, items.length)];
    if (t === undefined || extra.some((x) => x.supersedes === t.id)) return;
    extra.push({ ...t, id: `fix${k}`, supersedes: t.id, reported: addDays(t.reported, 20 + k), retracted: k % 2 === 0 });
  });
  return [...items, ...extra];
}

/** What `assess` explains, with the case's indicators shared or kept in every stream. */
function explained(c: Case, ledger: readonly Evidence[], asOf: string, share: boolean): string {
  const view = viewLedger(ledger, { asOf });
  const streams = streamsOver(compiledCaseOf(c), view.standing, indicatorInputs(c, new Map(), asOf), asOf, share);
  for (const s of streams) advanceStreams(s, asOf);
  return JSON.stringify(explainStreams(c, streams, view.resolve, asOf, latestActions(view.standing)));
}

describe('indicators shared by many benchmarks are evaluated once, with the same results', () => {
  it('explains every benchmark, gate and sensitivity as streams that hold every item do', () => {
    fc.assert(
      fc.property(
        fc.array(rawBenchmarkArb, { minLength: 1, maxLength: 7 }),
        fc.array(rawItemArb, { maxLength: 50 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        watchArb,
        fc.array(dayArb, { minLength: 1, maxLength: 3 }),
        (rawBenchmarks, rawItems, fixes, watch, days) => {
          const c = caseOf(rawBenchmarks, watch);
          const ledger = ledgerOf(rawItems, rawBenchmarks.length, fixes);
          for (const asOf of days) {
            const shared = explained(c, ledger, asOf, true);
            assert.equal(shared, explained(c, ledger, asOf, false), `as of ${asOf}`);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a history re-assessed over shared tracks equals the incremental history', () => {
    fc.assert(
      fc.property(
        fc.array(rawBenchmarkArb, { minLength: 1, maxLength: 5 }),
        fc.array(rawItemArb, { maxLength: 35 }),
        fc.array(fc.nat(), { maxLength: 2 }),
        watchArb,
        (rawBenchmarks, rawItems, fixes, watch) => {
          const c = caseOf(rawBenchmarks, watch);
          const ledger = ledgerOf(rawItems, rawBenchmarks.length, fixes);
          const fast = history(c, ledger, '2015-01-01', '2020-06-30', 'quarter');
          const naive = historyByReassessment(c, ledger, '2015-01-01', '2020-06-30', 'quarter');
          assert.deepEqual(fast.points, naive.points);
          assert.deepEqual(fast.transitions, naive.transitions);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('which indicators a benchmark reads from tracks', () => {
  const c = makeCase({
    indicators,
    benchmarks: [
      // Releases undo custody: `in_custody` is read day by day, and so is `funds`, which a clause reads with it.
      benchmark({
        id: 'mixed',
        conditions: ['in_custody == 1 || funds > 0.0', 'funds >= 1000.0', 'score >= 50.0'],
        indicators: ['funds', 'in_custody', 'score'],
        reversals: ['release'],
      }),
      benchmark({
        id: 'timed',
        conditions: ['score >= 50.0'],
        indicators: ['score'],
        review: { calendar: 'plenary', window: parseDuration('P60D'), countAfterReview: true },
      }),
      benchmark({
        id: 'plain',
        conditions: ['funds >= 1000.0', 'in_custody == 1'],
        indicators: ['funds', 'in_custody'],
        reversals: [],
      }),
    ],
    reviews: [{ id: 'r1', calendar: 'plenary', title: 'Review 1', date: '2016-02-16', written: '2016-02-16' }],
  });
  const ledger = [
    evidence('a1', 'arrest', '2015-02-01'),
    evidence('a2', 'aid', '2015-03-01', { amount: 600, currency: 'USD' }),
    evidence('a3', 'aid', '2015-04-01', { amount: 600, currency: 'USD' }),
    evidence('a4', 'release', '2015-05-01'),
    evidence('a5', 'score', '2015-06-01', { quantity: { value: 70, of: 100 } }),
  ];
  const asOf = '2015-12-31';
  const view = viewLedger(ledger, { asOf });
  const streams = streamsOver(compiledCaseOf(c), view.standing, indicatorInputs(c, new Map(), asOf), asOf);
  const shared = (id: string) => {
    const s = streams.find((x) => x.compiled.benchmark.id === id);
    return [...(s?.shared?.positions ?? [])].map((p) => s?.compiled.indicators[p]?.indicator.id).sort();
  };

  it('shares an indicator only where no clause read day by day reads it', () => {
    assert.deepEqual(shared('mixed'), ['score']);
    assert.deepEqual(shared('plain'), ['funds', 'in_custody']);
  });

  it('shares nothing for a benchmark with a review rule', () => {
    assert.deepEqual(shared('timed'), []);
  });

  it('gives the same results either way', () => {
    assert.equal(explained(c, ledger, asOf, true), explained(c, ledger, asOf, false));
  });
});
