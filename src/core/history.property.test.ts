/**
 * Property-based tests of the subtle semantics: trailing windows, durability, reversals,
 * as-of visibility, and the incremental history against the naive reference.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { benchmark, custodyIndicator, evidence, makeCase, parseDuration, source } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { Case } from './case-model.ts';
import { addDays, addDuration, fromDayNumber, toDayNumber } from './dates.ts';
import type { Evidence } from './evidence.ts';
import { history, historyByReassessment } from './history.ts';

const START = toDayNumber('2015-01-01');
const SPAN = 6 * 365;
const dayArb = fc.integer({ min: START, max: START + SPAN }).map(fromDayNumber);

const kindArb = fc.constantFrom('arrest', 'detention', 'conviction', 'release', 'bail', 'attack');

interface RawItem {
  kind: string;
  day: string;
  lag: number;
  grade: 'A' | 'C' | 'E';
  actor: 'leader' | 'other';
}

const rawItemArb: fc.Arbitrary<RawItem> = fc.record({
  kind: kindArb,
  day: dayArb,
  lag: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120 })),
  grade: fc.constantFrom('A', 'A', 'A', 'C', 'E'),
  actor: fc.constantFrom('leader', 'leader', 'leader', 'other'),
});

function toLedger(raw: readonly RawItem[], corrections: readonly number[]): Evidence[] {
  const items = raw.map((r, i) =>
    evidence(`e${String(i).padStart(3, '0')}`, r.kind, r.day, {
      reported: addDays(r.day, r.lag),
      actors: [r.actor],
      sources: [source({ reliability: r.grade, credibility: r.grade === 'A' ? 1 : 4 })],
    }),
  );
  const extra: Evidence[] = [];
  corrections.forEach((target, k) => {
    const t = items[target % Math.max(1, items.length)];
    if (t === undefined) return;
    if (extra.some((x) => x.supersedes === t.id)) return;
    extra.push(
      evidence(`fix${k}`, t.kind === 'release' ? 'arrest' : 'release', t.occurred, {
        supersedes: t.id,
        reported: addDays(t.reported, 30 + k),
        actors: t.actors,
        retracted: k % 3 === 0,
      }),
    );
  });
  return [...items, ...extra];
}

const reviews = [
  { id: 'r1', calendar: 'fatf', title: 'Review 1', date: '2016-02-16', written: '2016-02-16' },
  { id: 'r2', calendar: 'fatf', title: 'Review 2', date: '2018-06-29', written: '2018-06-29' },
  { id: 'r3', calendar: 'fatf', title: 'Review 3', date: '2019-10-31', written: '2019-10' },
];

function richCase(): Case {
  return makeCase({
    reviews,
    indicators: [
      custodyIndicator(),
      {
        id: 'attacks',
        title: 'Attacks',
        kind: 'count',
        filter: { kinds: ['attack'], actors: [] },
        window: parseDuration('P12M'),
      },
      custodyIndicator({ id: 'custody_unknown', initial: 'unknown' }),
    ],
    benchmarks: [
      benchmark({ id: 'custody', review: { calendar: 'fatf', window: parseDuration('P60D'), countAfterReview: true } }),
      benchmark({
        id: 'quiet',
        conditions: ['attacks == 0'],
        indicators: ['attacks'],
        duration: parseDuration('P6M'),
        reversals: ['attack'],
        verification: { minReliability: 'F', minCredibility: 6, minSources: 1 },
      }),
      benchmark({
        id: 'custody-unknown',
        conditions: ['custody_unknown == 1'],
        indicators: ['custody_unknown'],
        duration: parseDuration('P3M'),
      }),
    ],
    instruments: [{ id: 'aid', title: 'Aid', tier: 3, effects: [] }],
    gates: [{ instrument: 'aid', rule: { kind: 'at-least', count: 2, benchmarks: ['custody', 'quiet', 'custody-unknown'] } }],
  });
}

describe('history equals re-assessment at every step', () => {
  it('for random ledgers with late reports, corrections and retractions', () => {
    const c = richCase();
    fc.assert(
      fc.property(
        fc.array(rawItemArb, { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.constantFrom('month', 'quarter'),
        (raw, fixes, step) => {
          const ledger = toLedger(raw, fixes);
          const fast = history(c, ledger, '2015-01-01', '2021-06-30', step);
          const naive = historyByReassessment(c, ledger, '2015-01-01', '2021-06-30', step);
          assert.deepEqual(fast.points, naive.points);
          assert.deepEqual(fast.transitions, naive.transitions);
          assert.equal(fast.digest, naive.digest);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('each history point matches assess on that date', () => {
    const c = richCase();
    fc.assert(
      fc.property(fc.array(rawItemArb, { maxLength: 25 }), (raw) => {
        const ledger = toLedger(raw, []);
        const h = history(c, ledger, '2015-01-01', '2021-01-01', 'quarter');
        for (const p of h.points.filter((_, i) => i % 4 === 0)) {
          const a = assess(c, ledger, p.asOf);
          assert.deepEqual(
            p.benchmarks,
            Object.fromEntries(a.benchmarks.map((b) => [b.id, b.status])),
            `benchmarks at ${p.asOf}`,
          );
          assert.deepEqual(p.instruments, Object.fromEntries(a.instruments.map((i) => [i.id, i.decision])));
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('as-of visibility', () => {
  it('entries reported after the as-of date change nothing, digest included', () => {
    const c = richCase();
    fc.assert(
      fc.property(fc.array(rawItemArb, { maxLength: 30 }), dayArb, (raw, asOf) => {
        const ledger = toLedger(raw, [1, 2]);
        const visible = ledger.filter((e) => e.reported <= asOf && e.occurred <= asOf);
        assert.deepEqual(assess(c, ledger, asOf), assess(c, visible, asOf));
      }),
      { numRuns: 80 },
    );
  });

  it('the same inputs give byte-identical output, whatever the ledger order', () => {
    const c = richCase();
    fc.assert(
      fc.property(fc.array(rawItemArb, { maxLength: 30 }), dayArb, (raw, asOf) => {
        const ledger = toLedger(raw, [0]);
        const shuffled = [...ledger].reverse();
        assert.equal(JSON.stringify(assess(c, ledger, asOf)), JSON.stringify(assess(c, shuffled, asOf)));
      }),
      { numRuns: 50 },
    );
  });
});

/** Brute force: the custody state of `leader` on each day, from grade-A items only. */
function custodyByDay(ledger: readonly Evidence[], asOf: string): Map<string, boolean> {
  const known = ledger.filter((e) => e.reported <= asOf && e.actors.includes('leader') && e.sources[0]?.reliability === 'A');
  const sorted = [...known].sort((a, b) =>
    a.occurred !== b.occurred ? (a.occurred < b.occurred ? -1 : 1) : a.id < b.id ? -1 : 1,
  );
  const out = new Map<string, boolean>();
  let state = false;
  let i = 0;
  for (let d = START - 1; d <= toDayNumber(asOf); d++) {
    const day = fromDayNumber(d);
    while (i < sorted.length && (sorted[i] as Evidence).occurred <= day) {
      const k = (sorted[i] as Evidence).kind;
      if (['arrest', 'detention', 'conviction'].includes(k)) state = true;
      if (['release', 'bail', 'acquittal'].includes(k)) state = false;
      i++;
    }
    out.set(day, state);
  }
  return out;
}

describe('durability and reversal', () => {
  const c = makeCase({
    benchmarks: [benchmark({ verification: { minReliability: 'A', minCredibility: 1, minSources: 1 } })],
  });
  it('met exactly when custody held without a break for the duration; reversed exactly when a release ended it', () => {
    fc.assert(
      fc.property(fc.array(rawItemArb, { maxLength: 30 }), dayArb, (raw, asOf) => {
        const ledger = toLedger(
          raw.filter((r) => r.kind !== 'attack').map((r) => ({ ...r, lag: 0, grade: 'A' as const })),
          [],
        );
        const byDay = custodyByDay(ledger, asOf);
        let runStart: string | undefined;
        for (let d = toDayNumber(asOf); d >= START - 1; d--) {
          const day = fromDayNumber(d);
          if (byDay.get(day) !== byDay.get(asOf)) break;
          runStart = day;
        }
        const b = assess(c, ledger, asOf).benchmarks[0];
        assert.ok(b);
        if (byDay.get(asOf) === true) {
          const metOn = addDuration(runStart as string, parseDuration('P12M'));
          assert.equal(b.status, asOf >= metOn ? 'met' : 'pending');
        } else {
          const prevDay = fromDayNumber(toDayNumber(runStart as string) - 1);
          const endedHeldRun = runStart !== fromDayNumber(START - 1) && byDay.get(prevDay) === true;
          assert.equal(b.status, endedHeldRun ? 'reversed' : 'not-met');
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('trailing windows', () => {
  const c = makeCase({
    indicators: [
      { id: 'n', title: 'Attacks', kind: 'count', filter: { kinds: ['attack'], actors: [] }, window: parseDuration('P90D') },
    ],
    benchmarks: [
      benchmark({
        id: 'b',
        conditions: ['n <= 1'],
        indicators: ['n'],
        duration: parseDuration('P0D'),
        reversals: [],
        verification: { minReliability: 'F', minCredibility: 6, minSources: 1 },
      }),
    ],
  });
  it('counts exactly the items with d <= t < d + window', () => {
    fc.assert(
      fc.property(fc.array(dayArb, { maxLength: 20 }), dayArb, (days, asOf) => {
        const ledger = days.map((d, i) => evidence(`a${i}`, 'attack', d));
        const expected = days.filter((d) => d <= asOf && asOf < addDuration(d, parseDuration('P90D'))).length;
        const b = assess(c, ledger, asOf).benchmarks[0];
        assert.equal(b?.indicators[0]?.value, expected);
        assert.equal(b?.status, expected <= 1 ? 'met' : 'not-met');
      }),
      { numRuns: 150 },
    );
  });
});
