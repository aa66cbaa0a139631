/**
 * Assessors' findings (the status `partial`), benchmark groups and nested gate rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { actor, benchmark, evidence, makeCase, source, ZERO_DURATION } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { BenchmarkStatusKind } from './benchmark-stream.ts';
import type { Benchmark, Case, FindingGrade, GateRule } from './case-model.ts';
import type { Evidence } from './evidence.ts';
import { ruleTruth, type Truth } from './gates.ts';
import { history, historyByReassessment } from './history.ts';

function findingBenchmark(id: string, overrides: Partial<Benchmark> = {}): Benchmark {
  return benchmark({
    id,
    title: `Benchmark ${id}`,
    conditions: [],
    indicators: [],
    duration: ZERO_DURATION,
    reversals: [],
    verification: { minReliability: 'B', minCredibility: 3, minSources: 1 },
    finding: { bar: 'fulfilled', assessor: 'Commission' },
    ...overrides,
  });
}

function finding(
  id: string,
  benchmarkId: string,
  grade: FindingGrade,
  date: string,
  overrides: Partial<Evidence> = {},
): Evidence {
  return evidence(id, 'assessment', date, {
    actors: ['counterpart'],
    finding: { benchmark: benchmarkId, grade, assessor: 'Commission' },
    ...overrides,
  });
}

function caseOf(benchmarks: Benchmark[], extra: Partial<Case> = {}): Case {
  return {
    ...makeCase({
      actors: [actor('principal', { kind: 'state' }), actor('counterpart', { kind: 'state' })],
      indicators: [
        { id: 'law_in_force', title: 'Law in force', kind: 'exists', filter: { kinds: ['law-in-force'], actors: [] } },
      ],
      benchmarks,
    }),
    ...extra,
  };
}

const statusOf = (c: Case, ledger: readonly Evidence[], asOf: string, id = 'b1') =>
  assess(c, ledger, asOf).benchmarks.find((b) => b.id === id);

describe('assessors’ findings decide a benchmark', () => {
  const c = caseOf([findingBenchmark('b1')]);

  it('fulfilled is met, partially fulfilled is partial, not fulfilled is not met — each on the finding', () => {
    for (const [grade, status] of [
      ['fulfilled', 'met'],
      ['partially-fulfilled', 'partial'],
      ['not-fulfilled', 'not-met'],
    ] as const) {
      const r = statusOf(c, [finding('f1', 'b1', grade, '2023-11-08')], '2024-01-01');
      assert.equal(r?.status, status, grade);
      assert.equal(r?.since, '2023-11-08');
      assert.equal(r?.basis.kind, 'evidence');
      assert.deepEqual(r?.basis.evidence, ['f1']);
    }
  });

  it('is unknown with no finding, and when the latest finding did not assess it: silence is not a grade', () => {
    const none = statusOf(c, [], '2024-01-01');
    assert.equal(none?.status, 'unknown');
    assert.match(none?.basis.summary ?? '', /no finding by Commission on b1 recorded/);
    const notAssessed = statusOf(
      c,
      [finding('f1', 'b1', 'fulfilled', '2022-11-08'), finding('f2', 'b1', 'not-assessed', '2023-11-08')],
      '2024-01-01',
    );
    assert.equal(notAssessed?.status, 'unknown');
    assert.match(notAssessed?.basis.summary ?? '', /did not assess b1/);
  });

  it('reads the latest finding as of the date, and only the named assessor’s', () => {
    const ledger = [
      finding('f1', 'b1', 'partially-fulfilled', '2022-10-12'),
      finding('f2', 'b1', 'fulfilled', '2023-11-08'),
      finding('f3', 'b1', 'not-fulfilled', '2023-12-01', {
        finding: { benchmark: 'b1', grade: 'not-fulfilled', assessor: 'Parliament' },
      }),
    ];
    assert.equal(statusOf(c, ledger, '2023-01-01')?.status, 'partial');
    assert.equal(statusOf(c, ledger, '2024-01-01')?.status, 'met');
    const anyAssessor = caseOf([findingBenchmark('b1', { finding: { bar: 'fulfilled' } })]);
    assert.equal(statusOf(anyAssessor, ledger, '2024-01-01')?.status, 'not-met');
  });

  it('a finding about another benchmark is not read', () => {
    assert.equal(statusOf(c, [finding('f1', 'b2', 'fulfilled', '2023-11-08')], '2024-01-01')?.status, 'unknown');
  });

  it('with the bar partially-fulfilled, a partial finding meets it', () => {
    const lenient = caseOf([findingBenchmark('b1', { finding: { bar: 'partially-fulfilled', assessor: 'Commission' } })]);
    assert.equal(statusOf(lenient, [finding('f1', 'b1', 'partially-fulfilled', '2023-11-08')], '2024-01-01')?.status, 'met');
  });

  it('a finding below the verification bar only makes the benchmark unverified', () => {
    const weak = finding('f1', 'b1', 'fulfilled', '2023-11-08', { sources: [source({ reliability: 'D', credibility: 4 })] });
    assert.equal(statusOf(c, [weak], '2024-01-01')?.status, 'unverified');
  });

  it('combines with conditions: the law in force and the finding', () => {
    const both = caseOf([findingBenchmark('b1', { conditions: ['law_in_force'], indicators: ['law_in_force'] })]);
    const law = evidence('law', 'law-in-force', '2023-06-01', { actors: ['counterpart'] });
    const partialFinding = finding('f1', 'b1', 'partially-fulfilled', '2023-11-08');
    const fulfilled = finding('f2', 'b1', 'fulfilled', '2023-11-08');
    // Without a record of the law the benchmark is still not met, on the partial finding: partial needs the other conditions to hold.
    const noLaw = statusOf(both, [partialFinding], '2024-01-01');
    assert.equal(noLaw?.status, 'not-met');
    assert.deepEqual(noLaw?.basis.evidence, ['f1']);
    assert.equal(statusOf(both, [law, partialFinding], '2024-01-01')?.status, 'partial');
    assert.equal(statusOf(both, [law, fulfilled], '2024-01-01')?.status, 'met');
    const r = statusOf(both, [law, fulfilled], '2024-01-01');
    assert.deepEqual(
      r?.conditions.map((x) => x.value),
      [true, true],
    );
    assert.match(r?.conditions[1]?.clause ?? '', /latest finding by Commission is fulfilled/);
  });

  it('needs the finding to hold for the duration', () => {
    const durable = caseOf([findingBenchmark('b1', { duration: { years: 1, months: 0, days: 0, text: 'P1Y' } })]);
    const ledger = [finding('f1', 'b1', 'fulfilled', '2023-11-08')];
    assert.equal(statusOf(durable, ledger, '2024-01-01')?.status, 'pending');
    assert.equal(statusOf(durable, ledger, '2024-11-08')?.status, 'met');
  });

  it('partial is a status of history, equal to re-assessment at every step (property)', () => {
    const grades: FindingGrade[] = ['fulfilled', 'partially-fulfilled', 'not-fulfilled', 'not-assessed'];
    const both = caseOf([
      findingBenchmark('b1', { conditions: ['law_in_force'], indicators: ['law_in_force'] }),
      findingBenchmark('b2', { reversals: ['suspension'] }),
    ]);
    const item = fc
      .record({
        day: fc.integer({ min: 0, max: 1500 }),
        kind: fc.constantFrom('finding', 'law-in-force', 'suspension'),
        grade: fc.constantFrom(...grades),
        target: fc.constantFrom('b1', 'b2'),
        late: fc.integer({ min: 0, max: 200 }),
      })
      .map((r) => r);
    fc.assert(
      fc.property(fc.array(item, { maxLength: 25 }), (raw) => {
        const base = Date.UTC(2019, 0, 1);
        const day = (n: number) => new Date(base + n * 86_400_000).toISOString().slice(0, 10);
        const ledger: Evidence[] = raw.map((r, i) => {
          const id = `e${String(i).padStart(3, '0')}`;
          const overrides = { reported: day(r.day + r.late), actors: ['counterpart'] };
          return r.kind === 'finding'
            ? finding(id, r.target, r.grade, day(r.day), overrides)
            : evidence(id, r.kind, day(r.day), overrides);
        });
        const fast = history(both, ledger, '2019-01-01', '2023-06-30', 'quarter');
        const naive = historyByReassessment(both, ledger, '2019-01-01', '2023-06-30', 'quarter');
        assert.deepEqual(fast.points, naive.points);
        assert.deepEqual(fast.transitions, naive.transitions);
        // Partial exactly when the latest finding known is partial (b2 has no other condition).
        const last = naive.points[naive.points.length - 1];
        const asOf = last?.asOf ?? '2023-06-30';
        const known = ledger.filter((e) => e.finding?.benchmark === 'b2' && e.occurred <= asOf && e.reported <= asOf);
        const latest = [...known]
          .sort((a, b) => (a.occurred === b.occurred ? (a.id < b.id ? -1 : 1) : a.occurred < b.occurred ? -1 : 1))
          .pop();
        const status = assess(both, ledger, asOf).benchmarks.find((b) => b.id === 'b2')?.status;
        assert.equal(status === 'partial', latest?.finding?.grade === 'partially-fulfilled');
      }),
      { numRuns: 60 },
    );
  });
});

describe('nested gate rules', () => {
  const truths: Truth[] = ['yes', 'no', 'unknown'];
  const statusFor: Record<Truth, BenchmarkStatusKind> = { yes: 'met', no: 'not-met', unknown: 'unknown' };
  const ids = ['a', 'b', 'c', 'd', 'e'];
  // Nesting is bounded: past depth 3 only flat rules (the first arbitrary) are drawn.
  const ruleArb: fc.Arbitrary<GateRule> = fc.letrec<{ rule: GateRule }>((tie) => ({
    rule: fc.oneof(
      { depthSize: 'small', maxDepth: 3, withCrossShrink: true },
      fc.record({ kind: fc.constantFrom('all' as const, 'any' as const), benchmarks: fc.subarray(ids, { minLength: 1 }) }),
      fc.record({
        kind: fc.constantFrom('all' as const, 'any' as const),
        benchmarks: fc.subarray(ids, { minLength: 1 }),
        rules: fc.array(tie('rule'), { maxLength: 2 }),
      }),
      fc
        .record({ benchmarks: fc.subarray(ids, { minLength: 1 }), rules: fc.array(tie('rule'), { maxLength: 2 }) })
        .chain((r) =>
          fc
            .integer({ min: 1, max: r.benchmarks.length + r.rules.length })
            .map((count) => ({ kind: 'at-least' as const, count, ...r })),
        ),
    ),
  })).rule;

  it('a decided rule stays decided whatever the unknown benchmarks turn out to be (property)', () => {
    fc.assert(
      fc.property(ruleArb, fc.array(fc.constantFrom(...truths), { minLength: 5, maxLength: 5 }), (rule, values) => {
        const statuses = new Map(ids.map((id, i) => [id, statusFor[values[i] as Truth]]));
        const decided = ruleTruth(rule, statuses);
        const unknowns = ids.filter((_, i) => values[i] === 'unknown');
        const outcomes = new Set<Truth>();
        for (let mask = 0; mask < 1 << unknowns.length; mask++) {
          const filled = new Map(statuses);
          unknowns.forEach((id, k) => {
            filled.set(id, mask & (1 << k) ? 'met' : 'not-met');
          });
          outcomes.add(ruleTruth(rule, filled));
        }
        if (decided !== 'unknown') assert.deepEqual([...outcomes], [decided]);
        // And unknown only when the completions disagree (the rule is exact, not merely safe).
        else assert.equal(outcomes.size, 2);
      }),
      { numRuns: 300 },
    );
  });

  it('a partial benchmark is not met for a gate', () => {
    assert.equal(ruleTruth({ kind: 'all', benchmarks: ['a'] }, new Map([['a', 'partial']])), 'no');
  });
});

describe('groups', () => {
  const members = ['m1', 'm2', 'm3', 'm4'].map((id, i) =>
    findingBenchmark(id, { group: 'roadmap', block: i < 2 ? 'block-1' : 'block-2' }),
  );
  const c = caseOf(members, {
    groups: [
      { id: 'roadmap', title: 'Roadmap', members: ['m1', 'm2', 'm3', 'm4'] },
      { id: 'block-1', title: 'Block 1', parent: 'roadmap', members: ['m1', 'm2'] },
      { id: 'block-2', title: 'Block 2', parent: 'roadmap', members: ['m3', 'm4'] },
    ],
    instruments: [{ id: 'visas', title: 'Visa-free travel', tier: 3, effects: [] }],
    gates: [
      {
        instrument: 'visas',
        rule: {
          kind: 'all',
          benchmarks: [],
          rules: [
            { kind: 'at-least', count: 3, benchmarks: ['m1', 'm2', 'm3', 'm4'], group: 'roadmap' },
            { kind: 'all', benchmarks: ['m3', 'm4'], group: 'block-2' },
          ],
        },
      },
    ],
  });
  const ledger = [
    finding('f1', 'm1', 'fulfilled', '2023-11-08'),
    finding('f2', 'm2', 'partially-fulfilled', '2023-11-08'),
    finding('f3', 'm3', 'fulfilled', '2023-11-08'),
    finding('f4', 'm4', 'fulfilled', '2023-11-08'),
  ];

  it('summarises each group and block from its members, naming those not met', () => {
    const a = assess(c, ledger, '2024-01-01');
    assert.deepEqual(
      a.groups.map((g) => g.summary),
      ['Roadmap: 3 of 4 met; partial: m2', 'Block 1: 1 of 2 met; partial: m2', 'Block 2: 2 of 2 met'],
    );
    assert.equal(a.groups[0]?.counts.partial, 1);
    assert.deepEqual(
      a.benchmarks.map((b) => [b.id, b.group, b.block]),
      [
        ['m1', 'roadmap', 'block-1'],
        ['m2', 'roadmap', 'block-1'],
        ['m3', 'roadmap', 'block-2'],
        ['m4', 'roadmap', 'block-2'],
      ],
    );
  });

  it('opens a gate over a group and a block, and says so by group', () => {
    const a = assess(c, ledger, '2024-01-01');
    const visas = a.instruments.find((i) => i.id === 'visas');
    assert.equal(visas?.decision, 'unlocked');
    assert.match(visas?.rule ?? '', /at least 3 of roadmap \(4\) met/);
    const without = assess(
      c,
      ledger.filter((e) => e.id !== 'f4'),
      '2024-01-01',
    ).instruments.find((i) => i.id === 'visas');
    assert.equal(without?.decision, 'unknown');
    // The cheapest way counts m4 once, for the list and for its block.
    assert.deepEqual(without?.unlock?.sets, [['m4']]);
  });
});
