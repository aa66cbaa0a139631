/**
 * The path to unlock (issue 13, point 2): blockers, what they need, the earliest day, and
 * whether the instrument can unlock at all — checked against the engine itself: adding the
 * needed evidence on the as-of date meets the benchmark on `earliest` and not a day before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { absenceBenchmark, benchmark, evidence, makeCase, parseDuration, source } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { Benchmark, Case, CaseIndicator, Gate, Instrument, ReviewDate } from './case-model.ts';
import { addDays, fromDayNumber, toDayNumber } from './dates.ts';
import type { Evidence } from './evidence.ts';

const inst = (id: string, extra: Partial<Instrument> = {}): Instrument => ({
  id,
  title: `Instrument ${id}`,
  tier: 2,
  effects: [],
  ...extra,
});
const gate = (instrument: string, rule: Gate['rule'], extra: Partial<Gate> = {}): Gate => ({ instrument, rule, ...extra });
const strong = [source({ reliability: 'A', credibility: 1 })];

function custody(id: string, leader: string, extra: Partial<Benchmark> = {}): { b: Benchmark; ind: CaseIndicator } {
  const ind: CaseIndicator = {
    id: `${id}_held`,
    title: `${leader} in custody`,
    kind: 'state',
    filter: { kinds: [], actors: [] },
    subjects: [leader],
    on: ['arrest', 'conviction'],
    off: ['release', 'bail'],
    initial: 'off',
  };
  return { b: benchmark({ id, title: `${leader} held`, conditions: [`${id}_held == 1`], indicators: [ind.id], ...extra }), ind };
}

function caseOf(parts: {
  bs: { b: Benchmark; ind: CaseIndicator }[];
  gates: Gate[];
  instruments: Instrument[];
  reviews?: ReviewDate[];
}): Case {
  const leaders = [...new Set(parts.bs.flatMap((x) => (x.ind.kind === 'state' ? x.ind.subjects : [])))];
  return makeCase({
    actors: leaders.map((id) => ({
      id,
      name: `Leader ${id.toUpperCase()}`,
      kind: 'person',
      aliases: [],
      cameo: [],
      memberOf: [],
    })),
    indicators: parts.bs.map((x) => x.ind),
    benchmarks: parts.bs.map((x) => x.b),
    gates: parts.gates,
    instruments: parts.instruments,
    reviews: parts.reviews ?? [],
  });
}

describe('path to unlock', () => {
  const a = custody('a', 'x');
  const b = custody('b', 'y');
  const released = evidence('rel-y', 'release', '2021-05-01', { actors: ['y'], sources: strong });
  const arrestedX = evidence('arr-x', 'arrest', '2022-11-01', { actors: ['x'], sources: strong });

  it('an all-rule: one set, each blocker says what it needs in words, the earliest is the latest blocker', () => {
    const c = caseOf({ bs: [a, b], gates: [gate('i', { kind: 'all', benchmarks: ['a', 'b'] })], instruments: [inst('i')] });
    const r = assess(c, [released, arrestedX], '2023-03-03').instruments[0];
    assert.equal(r?.decision, 'locked');
    const u = r?.unlock;
    assert.ok(u);
    assert.deepEqual(u.sets, [['a', 'b']]);
    assert.equal(u.possible, true);
    const [ba, bb] = u.blockers;
    assert.equal(ba?.status, 'pending');
    assert.equal(ba?.earliest, '2023-11-01', 'pending since 2022-11-01, held 12 months');
    assert.equal(bb?.status, 'not-met');
    assert.match(bb?.needs ?? '', /Leader Y: release 2021-05-01 \[rel-y\]; needed: arrest or conviction, held for 12 months/);
    assert.equal(bb?.earliest, '2024-03-03', 'an arrest on the as-of date, held 12 months');
    assert.equal(u.earliest, '2024-03-03');
  });

  it('an any-rule: one set per benchmark, soonest first; the earliest is the soonest', () => {
    const c = caseOf({ bs: [a, b], gates: [gate('i', { kind: 'any', benchmarks: ['b', 'a'] })], instruments: [inst('i')] });
    const u = assess(c, [released, arrestedX], '2023-03-03').instruments[0]?.unlock;
    assert.deepEqual(u?.sets, [['a'], ['b']]);
    assert.equal(u?.earliest, '2023-11-01');
  });

  it('an at-least rule lists the combinations and counts them; a weighted rule lists only minimal sets', () => {
    const bs = ['p', 'q', 'r', 's'].map((id) => custody(id, `l${id}`));
    const atLeast = caseOf({
      bs,
      gates: [gate('i', { kind: 'at-least', count: 2, benchmarks: ['p', 'q', 'r', 's'] })],
      instruments: [inst('i')],
    });
    const u = assess(atLeast, [], '2023-03-03').instruments[0]?.unlock;
    assert.equal(u?.setsTotal, 6);
    assert.equal(u?.sets.length, 6);
    assert.ok(u?.sets.every((s) => s.length === 2));
    const weighted = caseOf({
      bs,
      gates: [
        gate('i', {
          kind: 'weighted',
          threshold: 3,
          weights: [
            { benchmark: 'p', weight: 3 },
            { benchmark: 'q', weight: 2 },
            { benchmark: 'r', weight: 1 },
            { benchmark: 's', weight: 1 },
          ],
        }),
      ],
      instruments: [inst('i')],
    });
    const w = assess(weighted, [], '2023-03-03').instruments[0]?.unlock;
    const sets = (w?.sets ?? []).map((s) => [...s].sort().join('+')).sort();
    assert.deepEqual(sets, ['p', 'q+r', 'q+s'], 'p alone; q with r or s; never q+r+s (not minimal)');
    assert.equal(w?.setsTotal, 3);
  });

  it('a benchmark whose validity ends before it could be met makes an all-rule impossible, and says why', () => {
    const ending = custody('b', 'y', { validity: { until: '2023-12-31' } });
    const c = caseOf({ bs: [a, ending], gates: [gate('i', { kind: 'all', benchmarks: ['a', 'b'] })], instruments: [inst('i')] });
    const u = assess(c, [released, arrestedX], '2023-03-03').instruments[0]?.unlock;
    assert.equal(u?.possible, false);
    assert.equal(u?.earliest, null);
    assert.match(
      u?.why ?? '',
      /cannot unlock as written: y held — the benchmark lapses on 2023-12-31, before it could be met \(2024-03-03 at the earliest\)/,
    );
  });

  it('a condition no evidence can satisfy is impossible; a gate that lapses offers the day after as the earliest', () => {
    const never = custody('b', 'y', { conditions: ['b_held == 2'] });
    const c = caseOf({ bs: [never], gates: [gate('i', { kind: 'all', benchmarks: ['b'] })], instruments: [inst('i')] });
    const u = assess(c, [released], '2023-03-03').instruments[0]?.unlock;
    assert.equal(u?.blockers[0]?.possible, false);
    assert.match(u?.blockers[0]?.why ?? '', /no evidence the case could record satisfies its conditions/);
    assert.equal(u?.possible, false);
    const lapsing = caseOf({
      bs: [never],
      gates: [gate('i', { kind: 'all', benchmarks: ['b'] }, { validity: { until: '2025-06-30' } })],
      instruments: [inst('i')],
    });
    const v = assess(lapsing, [released], '2023-03-03').instruments[0]?.unlock;
    assert.equal(v?.possible, true);
    assert.equal(v?.earliest, '2025-07-01');
  });

  it('an instrument that ends before it could unlock cannot unlock', () => {
    const c = caseOf({
      bs: [b],
      gates: [gate('i', { kind: 'all', benchmarks: ['b'] })],
      instruments: [inst('i', { validity: { until: '2023-12-31' } })],
    });
    const u = assess(c, [released], '2023-03-03').instruments[0]?.unlock;
    assert.equal(u?.possible, false);
    assert.match(u?.why ?? '', /the instrument itself ends on 2023-12-31/);
  });

  it('a count that must fall waits for the recorded items to leave the window, and asks for monitoring when unwatched', () => {
    const attacks: CaseIndicator = {
      id: 'attacks',
      title: 'Attacks',
      kind: 'count',
      filter: { kinds: ['attack'], actors: [] },
      window: parseDuration('P36M'),
    };
    const quiet = absenceBenchmark('quiet', 'No attacks', 'attacks');
    const c = makeCase({
      indicators: [attacks],
      benchmarks: [quiet],
      gates: [gate('i', { kind: 'all', benchmarks: ['quiet'] })],
      instruments: [inst('i')],
    });
    const attack = evidence('att', 'attack', '2021-05-01', { sources: strong });
    const blocker = assess(c, [attack], '2023-03-03').instruments[0]?.unlock?.blockers[0];
    assert.equal(blocker?.status, 'not-met');
    assert.ok(
      (blocker?.earliest ?? '') >= '2024-05-01',
      `the attack leaves the 36-month window only in May 2024, got ${blocker?.earliest}`,
    );
    assert.ok((blocker?.earliest ?? '9999') <= '2024-05-02');
    assert.match(
      blocker?.needs ?? '',
      /1 recorded in the trailing 36 months \(latest 2021-05-01 \[att\]\); needed: the recorded ones to leave the 36 months window with none new, and monitoring that vouches/,
    );
  });

  it('a countAfterReview benchmark counts an arrest just before a review from the review', () => {
    const reviewed = custody('b', 'y', {
      review: { calendar: 'plenary', window: parseDuration('P60D'), countAfterReview: true },
    });
    const reviews: ReviewDate[] = [
      { id: 'pl', calendar: 'plenary', title: 'Plenary', date: '2023-04-10', written: '2023-04-10' },
    ];
    const c = caseOf({
      bs: [reviewed],
      gates: [gate('i', { kind: 'all', benchmarks: ['b'] })],
      instruments: [inst('i')],
      reviews,
    });
    const blocker = assess(c, [released], '2023-03-03').instruments[0]?.unlock?.blockers[0];
    assert.equal(blocker?.earliest, '2024-04-10');
    assert.match(blocker?.why ?? '', /counted only from Plenary \(2023-04-10\)/);
  });

  it('unlocked and not-applicable instruments have no path', () => {
    const c = caseOf({
      bs: [a],
      gates: [gate('i', { kind: 'all', benchmarks: ['a'] })],
      instruments: [inst('i'), inst('gone', { validity: { until: '2020-01-01' } })],
    });
    const arrestedLongAgo = evidence('arr-old', 'arrest', '2020-01-01', { actors: ['x'], sources: strong });
    const [i, gone] = assess(c, [arrestedLongAgo], '2023-03-03').instruments;
    assert.equal(i?.decision, 'unlocked');
    assert.equal(i?.unlock, null);
    assert.equal(gone?.decision, 'not-applicable');
    assert.equal(gone?.unlock, null);
  });
});

describe('path to unlock: the earliest day is attained by the engine itself (property)', () => {
  const day = (n: number) => fromDayNumber(toDayNumber('2015-01-01') + n);
  it('adding an arrest on the as-of date meets the benchmark on `earliest`, and not the day before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 2500 }), kind: fc.constantFrom('arrest', 'release', 'bail') }), {
          maxLength: 6,
        }),
        fc.integer({ min: 0, max: 3000 }),
        fc.constantFrom('P0D', 'P90D', 'P6M', 'P12M'),
        fc.option(fc.integer({ min: 0, max: 3200 }), { nil: undefined }),
        (history, asOfN, duration, reviewAt) => {
          const reviews: ReviewDate[] =
            reviewAt === undefined
              ? []
              : [{ id: 'rv', calendar: 'cal', title: 'Review', date: day(reviewAt), written: day(reviewAt) }];
          const b = custody('b', 'y', {
            duration: parseDuration(duration),
            ...(reviewAt === undefined
              ? {}
              : { review: { calendar: 'cal', window: parseDuration('P60D'), countAfterReview: true } }),
          });
          const c = caseOf({
            bs: [b],
            gates: [gate('i', { kind: 'all', benchmarks: ['b'] })],
            instruments: [inst('i')],
            reviews,
          });
          const ledger: Evidence[] = history.map((h, k) =>
            evidence(`h${k}`, h.kind, day(h.at), { actors: ['y'], sources: strong }),
          );
          const asOf = day(asOfN);
          const r = assess(c, ledger, asOf).instruments[0];
          if (r?.decision !== 'locked' && r?.decision !== 'unknown') return;
          const blocker = r.unlock?.blockers[0];
          assert.ok(blocker?.possible && blocker.earliest !== null);
          // What is known as of the date, and nothing after it that could undo progress.
          const known = ledger.filter((e) => e.occurred <= asOf);
          if (blocker.status === 'pending') {
            assert.equal(assess(c, known, blocker.earliest).benchmarks[0]?.status, 'met');
            return;
          }
          const arrest = evidence('now', 'arrest', asOf, { actors: ['y'], sources: strong });
          const withArrest = [...known, arrest];
          assert.equal(assess(c, withArrest, blocker.earliest).benchmarks[0]?.status, 'met', `met on ${blocker.earliest}`);
          if (blocker.earliest > asOf) {
            assert.notEqual(
              assess(c, withArrest, addDays(blocker.earliest, -1)).benchmarks[0]?.status,
              'met',
              'not a day before',
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
