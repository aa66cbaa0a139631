/**
 * Gates that read other instruments' decisions ("provided the above commitments are met"):
 * decided after the instruments they read, three-valued, and the same in a history as
 * re-assessed at each step.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { actor, benchmark, evidence, makeCase, ZERO_DURATION } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { Case, Waiver } from './case-model.ts';
import type { Evidence } from './evidence.ts';
import { history, historyByReassessment } from './history.ts';

function dependentCase(waivers: Waiver[] = []): Case {
  const b = (id: string) =>
    benchmark({
      id,
      title: id,
      conditions: [`${id.replace('-', '_')} == 1`],
      indicators: [id.replace('-', '_')],
      duration: ZERO_DURATION,
      reversals: [],
    });
  const state = (id: string, on: string, off: string) => ({
    id,
    title: id,
    kind: 'state' as const,
    filter: { kinds: [], actors: [] },
    subjects: ['counterpart'],
    on: [on],
    off: [off],
    initial: 'unknown' as const,
  });
  return makeCase({
    actors: [actor('principal', { kind: 'state' }), actor('counterpart', { kind: 'state' })],
    indicators: [state('law_a', 'adopt-a', 'repeal-a'), state('law_b', 'adopt-b', 'repeal-b')],
    benchmarks: [b('law-a'), b('law-b')],
    // Listed before the instrument it reads: the order of decision is not the case order.
    instruments: [
      { id: 'visas', title: 'Visa-free travel', tier: 3, effects: [] },
      { id: 'dialogue', title: 'Visa dialogue', tier: 1, effects: [] },
    ],
    gates: [
      {
        instrument: 'visas',
        rule: { kind: 'all', benchmarks: ['law-b'], instruments: [{ instrument: 'dialogue', is: 'unlocked' }] },
      },
      { instrument: 'dialogue', rule: { kind: 'all', benchmarks: ['law-a'] } },
    ],
    waivers,
  });
}

const item = (id: string, kind: string, date: string): Evidence => evidence(id, kind, date, { actors: ['counterpart'] });
const decisionOf = (c: Case, ledger: readonly Evidence[], asOf: string, id = 'visas') =>
  assess(c, ledger, asOf).instruments.find((i) => i.id === id);

describe('a gate that reads another instrument', () => {
  const c = dependentCase();
  it('opens only once the instrument it reads is unlocked', () => {
    assert.equal(
      decisionOf(c, [item('a', 'adopt-a', '2020-01-01'), item('b', 'adopt-b', '2020-02-01')], '2020-06-01')?.decision,
      'unlocked',
    );
    const locked = decisionOf(c, [item('a', 'repeal-a', '2020-01-01'), item('b', 'adopt-b', '2020-02-01')], '2020-06-01');
    assert.equal(locked?.decision, 'locked');
    assert.ok(
      locked?.reasons.some((r) => r.includes('instrument dialogue unlocked (it is locked)')),
      locked?.reasons.join('\n'),
    );
  });

  it('is unknown while the instrument it reads is undecided, and locked on its own benchmark regardless', () => {
    assert.equal(decisionOf(c, [item('b', 'adopt-b', '2020-02-01')], '2020-06-01')?.decision, 'unknown');
    assert.equal(decisionOf(c, [item('b', 'repeal-b', '2020-02-01')], '2020-06-01')?.decision, 'locked');
  });

  it('reads a waived instrument as not unlocked (is: unlocked) but as warranted (is: warranted)', () => {
    const waiver: Waiver = { id: 'w', instrument: 'dialogue', authority: 'the Council', rationale: 'r', start: '2019-01-01' };
    const ledger = [item('a', 'repeal-a', '2020-01-01'), item('b', 'adopt-b', '2020-02-01')];
    assert.equal(decisionOf(dependentCase([waiver]), ledger, '2020-06-01')?.decision, 'locked');
    const warranted: Case = {
      ...dependentCase([waiver]),
      gates: [
        {
          instrument: 'visas',
          rule: { kind: 'all', benchmarks: ['law-b'], instruments: [{ instrument: 'dialogue', is: 'warranted' }] },
        },
        { instrument: 'dialogue', rule: { kind: 'all', benchmarks: ['law-a'] } },
      ],
    };
    assert.equal(decisionOf(warranted, ledger, '2020-06-01')?.decision, 'unlocked');
  });

  it('gives the same decisions and transitions in a history as re-assessed at each step (property)', () => {
    const kinds = ['adopt-a', 'repeal-a', 'adopt-b', 'repeal-b'] as const;
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 1500 }), kind: fc.constantFrom(...kinds), late: fc.nat(120) }), {
          maxLength: 14,
        }),
        (raw) => {
          const base = Date.UTC(2018, 0, 1);
          const day = (n: number) => new Date(base + n * 86_400_000).toISOString().slice(0, 10);
          const ledger = raw.map((r, i) => ({
            ...item(`e${String(i).padStart(2, '0')}`, r.kind, day(r.day)),
            reported: day(r.day + r.late),
          }));
          const fast = history(c, ledger, '2018-01-01', '2022-06-30', 'quarter');
          const naive = historyByReassessment(c, ledger, '2018-01-01', '2022-06-30', 'quarter');
          assert.deepEqual(fast.points, naive.points);
          assert.deepEqual(fast.transitions, naive.transitions);
        },
      ),
      { numRuns: 60 },
    );
  });
});
