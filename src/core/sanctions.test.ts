/**
 * Sanctions: negative instruments whose gate says when they are required (the trigger) and
 * when they may be lifted, decided against what the principal did.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { actor, benchmark, evidence, makeCase, parseDuration, ZERO_DURATION } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { Case, Gate, Waiver } from './case-model.ts';
import type { Evidence } from './evidence.ts';
import { history, historyByReassessment } from './history.ts';

/**
 * A trigger ("the system was delivered") and a lift condition ("the system was divested"),
 * each an exists indicator over five years. Divestment is watched from 2010 (so no record of it means none);
 * delivery is watched only with `watchDeliveries`.
 */
function sanctionCase(gate: Partial<Gate> = {}, waivers: Waiver[] = [], watchDeliveries = false): Case {
  const watch = (id: string, indicator: string) => ({
    id,
    title: `${indicator} watched`,
    indicators: [indicator],
    from: '2010-01-01',
    source: { publisher: 'P', title: 'T', date: '2010-01-01' },
  });
  const c = makeCase({
    actors: [actor('principal', { kind: 'state' }), actor('counterpart', { kind: 'state' })],
    indicators: [
      {
        id: 'delivered',
        title: 'System delivered',
        kind: 'exists',
        filter: { kinds: ['delivery'], actors: [] },
        window: parseDuration('P5Y'),
      },
      {
        id: 'divested',
        title: 'System divested',
        kind: 'exists',
        filter: { kinds: ['divestment'], actors: [] },
        window: parseDuration('P5Y'),
      },
    ],
    benchmarks: [
      benchmark({
        id: 'acquired',
        title: 'System acquired',
        conditions: ['delivered'],
        indicators: ['delivered'],
        duration: ZERO_DURATION,
        reversals: [],
      }),
      benchmark({
        id: 'divested',
        title: 'System divested',
        conditions: ['divested'],
        indicators: ['divested'],
        duration: ZERO_DURATION,
        reversals: [],
      }),
    ],
    instruments: [{ id: 'sanction', title: 'Sanctions on the procurement agency', tier: 2, kind: 'sanction', effects: [] }],
    gates: [
      {
        instrument: 'sanction',
        rule: { kind: 'all', benchmarks: ['acquired'] },
        lift: { kind: 'all', benchmarks: ['divested'] },
        ...gate,
      },
    ],
    waivers,
    monitoring: [watch('watch-divestment', 'divested'), ...(watchDeliveries ? [watch('watch-delivery', 'delivered')] : [])],
  });
  return c;
}

const delivery = evidence('delivery', 'delivery', '2019-07-12', { actors: ['counterpart'] });
const divestment = evidence('divestment', 'divestment', '2022-01-10', { actors: ['counterpart'] });
const act = (id: string, kind: 'imposed' | 'lifted' | 'suspended', date: string): Evidence =>
  evidence(id, 'sanction-action', date, { actors: ['principal'], action: { instrument: 'sanction', kind } });

function decide(c: Case, ledger: readonly Evidence[], asOf: string) {
  const r = assess(c, ledger, asOf).instruments.find((i) => i.id === 'sanction');
  assert.ok(r);
  return r;
}

describe('a sanction', () => {
  it('is required once its trigger holds, and no longer once its conditions to lift it hold', () => {
    const c = sanctionCase();
    assert.equal(decide(c, [delivery], '2020-01-01').decision, 'required');
    assert.equal(decide(c, [delivery], '2020-01-01').kind, 'sanction');
    assert.deepEqual(decide(c, [delivery], '2020-01-01').missing, ['divested']);
    assert.equal(decide(c, [delivery, divestment], '2022-06-01').decision, 'not-required');
  });

  it('is unknown while nothing says whether its trigger holds: silence neither requires nor clears it', () => {
    const r = decide(sanctionCase(), [], '2020-01-01');
    assert.equal(r.decision, 'unknown');
    assert.ok(r.reasons.some((x) => x.includes('unknown status')));
  });

  it('is unknown while nobody watches whether its conditions to lift it hold', () => {
    const unwatched: Case = { ...sanctionCase(), monitoring: [] };
    assert.equal(decide(unwatched, [delivery], '2020-01-01').decision, 'unknown');
  });

  it('is not required when its trigger is known not to hold', () => {
    // With monitoring of deliveries, no delivery recorded means none happened.
    assert.equal(decide(sanctionCase({}, [], true), [], '2020-01-01').decision, 'not-required');
  });

  it('is waived by a waiver in force and public', () => {
    const waiver: Waiver = {
      id: 'w',
      instrument: 'sanction',
      authority: 'the President',
      rationale: 'national security',
      start: '2019-08-01',
    };
    assert.equal(decide(sanctionCase({}, [waiver]), [delivery], '2020-01-01').decision, 'waived');
    assert.equal(decide(sanctionCase({}, [waiver]), [delivery], '2019-07-20').decision, 'required');
  });

  it('departs when required but recorded out of use, or kept once no longer required — never on silence', () => {
    const c = sanctionCase();
    assert.equal(decide(c, [delivery], '2020-01-01').departure, null);
    assert.equal(decide(c, [delivery, act('imp', 'imposed', '2020-12-14')], '2021-01-01').departure, null);
    const lifted = decide(c, [delivery, act('imp', 'imposed', '2020-12-14'), act('lift', 'lifted', '2021-03-01')], '2021-06-01');
    assert.equal(lifted.departure, 'not-imposed-while-required');
    assert.equal(lifted.departureBasis, 'evidence');
    const kept = decide(c, [delivery, act('imp', 'imposed', '2020-12-14'), divestment], '2022-06-01');
    assert.equal(kept.departure, 'imposed-while-not-required');
    assert.equal(decide(c, [delivery, divestment, act('lift', 'lifted', '2022-03-01')], '2022-06-01').departure, null);
  });

  it('has no path to unlock: what lifting it needs is in its reasons', () => {
    const r = decide(sanctionCase(), [delivery], '2020-01-01');
    assert.equal(r.unlock, null);
    assert.ok(r.reasons.some((x) => x.startsWith('required:') && x.includes('divested')));
  });

  it('gives the same decisions and departures in a history as re-assessed at each step (property)', () => {
    const c = sanctionCase();
    const kinds = ['delivery', 'divestment', 'imposed', 'lifted'] as const;
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 1800 }), kind: fc.constantFrom(...kinds), late: fc.nat(90) }), {
          maxLength: 12,
        }),
        (raw) => {
          const base = Date.UTC(2018, 0, 1);
          const day = (n: number) => new Date(base + n * 86_400_000).toISOString().slice(0, 10);
          const ledger = raw.map((r, i) => {
            const id = `e${String(i).padStart(2, '0')}`;
            const reported = day(r.day + r.late);
            return r.kind === 'imposed' || r.kind === 'lifted'
              ? { ...act(id, r.kind, day(r.day)), reported }
              : evidence(id, r.kind, day(r.day), { actors: ['counterpart'], reported });
          });
          const fast = history(c, ledger, '2018-01-01', '2023-06-30', 'quarter');
          const naive = historyByReassessment(c, ledger, '2018-01-01', '2023-06-30', 'quarter');
          assert.deepEqual(fast.points, naive.points);
          assert.deepEqual(fast.transitions, naive.transitions);
        },
      ),
      { numRuns: 60 },
    );
  });
});
