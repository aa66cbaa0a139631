/**
 * Effects that hold only while (or unless) benchmarks hold: "visa-free travel harms internal
 * security unless the security benchmarks are met" — so a justification's verdict can change
 * once they are, and is never decided on a condition nobody knows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { actor, benchmark, evidence, makeCase, source, ZERO_DURATION } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { Case } from './case-model.ts';
import type { Evidence } from './evidence.ts';
import { history, historyByReassessment } from './history.ts';

function visaCase(): Case {
  return makeCase({
    actors: [actor('principal', { kind: 'state' }), actor('counterpart', { kind: 'state' })],
    interests: [
      { id: 'security', title: 'Internal security', rank: 1, weight: 0.6 },
      { id: 'mobility', title: 'Mobility', rank: 2, weight: 0.4 },
    ],
    indicators: [
      {
        id: 'security_law',
        title: 'Security law in force',
        kind: 'state',
        filter: { kinds: [], actors: [] },
        subjects: ['counterpart'],
        on: ['adopt'],
        off: ['repeal'],
        initial: 'unknown',
      },
    ],
    benchmarks: [
      benchmark({
        id: 'security-law',
        title: 'Security law in force',
        conditions: ['security_law == 1'],
        indicators: ['security_law'],
        duration: ZERO_DURATION,
        reversals: [],
      }),
    ],
    instruments: [
      {
        id: 'visas',
        title: 'Visa-free travel',
        tier: 3,
        effects: [
          {
            interest: 'security',
            direction: 'harms',
            rationale: 'Irregular migration without the security law',
            evidence: ['risk-report'],
            unless: { kind: 'all', benchmarks: ['security-law'] },
          },
        ],
      },
    ],
    justifications: [
      {
        id: 'mobility-case',
        instrument: 'visas',
        title: 'Visa-free travel brings people together',
        claim: 'c',
        serves: ['mobility'],
        evidenceFor: ['travel-study'],
        evidenceAgainst: [],
      },
    ],
  });
}

const strong = [source({ reliability: 'A', credibility: 1 })];
const base: Evidence[] = [
  evidence('risk-report', 'assessment', '2019-01-01', { actors: ['counterpart'], sources: strong }),
  evidence('travel-study', 'assessment', '2019-01-01', { actors: ['counterpart'], sources: strong }),
];
const item = (id: string, kind: string, date: string) => evidence(id, kind, date, { actors: ['counterpart'] });
const verdict = (ledger: readonly Evidence[], asOf: string) =>
  assess(visaCase(), ledger, asOf).justifications.find((j) => j.id === 'mobility-case');

describe('an effect with a condition', () => {
  it('weighs the harm while its condition allows it, and not once the benchmarks rule it out', () => {
    const harmed = verdict([...base, item('repeal', 'repeal', '2019-06-01')], '2020-01-01');
    assert.equal(harmed?.verdict, 'unconvincing');
    const met = verdict([...base, item('adopt', 'adopt', '2019-06-01')], '2020-01-01');
    assert.equal(met?.verdict, 'convincing');
    assert.ok(met?.reasons.some((r) => r.includes('not weighed on this date')));
  });

  it('weighs a harm whose condition nobody knows as unproven: weak, neither convincing nor unconvincing', () => {
    const r = verdict(base, '2020-01-01');
    assert.equal(r?.verdict, 'weak');
    assert.ok(r?.reasons.some((x) => x.includes('not known on this date')));
  });

  it('changes in a history on the day the condition changes, as re-assessed at each step (property)', () => {
    const c = visaCase();
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ day: fc.integer({ min: 0, max: 1200 }), kind: fc.constantFrom('adopt', 'repeal'), late: fc.nat(90) }),
          { maxLength: 10 },
        ),
        (raw) => {
          const start = Date.UTC(2019, 0, 1);
          const day = (n: number) => new Date(start + n * 86_400_000).toISOString().slice(0, 10);
          const ledger = [
            ...base,
            ...raw.map((r, i) => ({
              ...item(`e${String(i).padStart(2, '0')}`, r.kind, day(r.day)),
              reported: day(r.day + r.late),
            })),
          ];
          const fast = history(c, ledger, '2019-01-01', '2022-06-30', 'quarter');
          const naive = historyByReassessment(c, ledger, '2019-01-01', '2022-06-30', 'quarter');
          assert.deepEqual(fast.points, naive.points);
          assert.deepEqual(fast.transitions, naive.transitions);
        },
      ),
      { numRuns: 60 },
    );
  });
});
