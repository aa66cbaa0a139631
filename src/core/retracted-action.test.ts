/**
 * A correction that retracts or supersedes the principal's act on an instrument: the
 * history shows the instrument's actual use changing back — to the previous standing act,
 * or to none — on the day the correction became known, as a re-assessment as of each day
 * shows it, and a departure that rested on the withdrawn act ends (or one starts) that day.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchmark, evidence, makeCase, parseDuration, source } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { Case, Validity } from './case-model.ts';
import type { Evidence } from './evidence.ts';
import { history, historyByReassessment, type Transition } from './history.ts';

const A1 = [source({ reliability: 'A', credibility: 1 })];

/** A tranche released on a law (met from 2020-03-01 on the evidence below). */
function trancheCase(validity?: Validity): Case {
  return makeCase({
    indicators: [
      {
        id: 'law_in_force',
        title: 'Law in force',
        kind: 'state',
        filter: { kinds: [], actors: [] },
        subjects: ['counterpart'],
        on: ['law-adopted'],
        off: ['law-repealed'],
        initial: 'off',
      },
    ],
    benchmarks: [
      benchmark({
        id: 'law',
        title: 'Law in force',
        conditions: ['law_in_force == 1'],
        indicators: ['law_in_force'],
        duration: parseDuration('P0D'),
        reversals: [],
      }),
    ],
    instruments: [{ id: 'tranche', title: 'Tranche', tier: 2, effects: [], ...(validity === undefined ? {} : { validity }) }],
    gates: [{ instrument: 'tranche', rule: { kind: 'all', benchmarks: ['law'] } }],
  });
}

const adopted = evidence('adopted', 'law-adopted', '2020-03-01', { actors: ['counterpart'], sources: A1 });
const act = (id: string, kind: 'approved' | 'withheld', occurred: string) =>
  evidence(id, kind, occurred, { actors: ['principal'], sources: A1, action: { instrument: 'tranche', kind } });
const approved = act('approved', 'approved', '2020-04-01');
/** A hold while the gate is unlocked: a departure (withheld-while-unlocked). */
const hold = act('hold', 'withheld', '2020-05-01');
/** The hold retracted on 2020-07-15: it never happened. */
const retraction = evidence('hold-retracted', 'withheld', '2020-05-01', {
  actors: ['principal'],
  sources: A1,
  supersedes: 'hold',
  retracted: true,
  reported: '2020-07-15',
});
/** The hold corrected on 2020-07-15 into an entry that records no act. */
const correction = evidence('hold-corrected', 'statement', '2020-05-01', {
  actors: ['principal'],
  sources: A1,
  supersedes: 'hold',
  reported: '2020-07-15',
});

const of = (h: ReturnType<typeof history>, kind: Transition['kind']) =>
  h.transitions.filter((x) => x.kind === kind && x.id === 'tranche').map(({ date, from, to }) => ({ date, from, to }));

describe('a correction that withdraws an act on an instrument', () => {
  for (const [name, fix] of [
    ['retraction', retraction],
    ['correction into an entry without an act', correction],
  ] as const) {
    it(`(${name}) with no earlier act: the action goes to none on the day it became known, ending the departure`, () => {
      const c = trancheCase();
      const ledger = [adopted, hold, fix];
      // Re-assessment as of each side of the correction.
      const before = assess(c, ledger, '2020-07-14').instruments[0];
      const after = assess(c, ledger, '2020-07-15').instruments[0];
      assert.equal(before?.actual?.state, 'withheld');
      assert.equal(before?.departure, 'withheld-while-unlocked');
      assert.equal(after?.actual, null);
      assert.equal(after?.departure, null);
      for (const step of ['month', 'quarter'] as const) {
        const h = history(c, ledger, '2020-01-01', '2020-12-31', step);
        assert.deepEqual(of(h, 'action'), [
          { date: '2020-05-01', from: null, to: 'withheld' },
          { date: '2020-07-15', from: 'withheld', to: null },
        ]);
        assert.deepEqual(of(h, 'departure'), [
          { date: '2020-05-01', from: null, to: 'withheld-while-unlocked' },
          { date: '2020-07-15', from: 'withheld-while-unlocked', to: null },
        ]);
        const undone = h.transitions.find((x) => x.kind === 'action' && x.to === null);
        assert.deepEqual(undone?.evidence, [fix.id]);
        assert.match(undone?.rule ?? '', /withdrew hold/);
        assert.deepEqual(h.transitions, historyByReassessment(c, ledger, '2020-01-01', '2020-12-31', step).transitions);
      }
    });
  }

  it('with an earlier act: the action goes back to it on the day the retraction became known', () => {
    const c = trancheCase();
    const h = history(c, [adopted, approved, hold, retraction], '2020-01-01', '2020-12-31', 'quarter');
    assert.deepEqual(of(h, 'action'), [
      { date: '2020-04-01', from: null, to: 'approved' },
      { date: '2020-05-01', from: 'approved', to: 'withheld' },
      { date: '2020-07-15', from: 'withheld', to: 'approved' },
    ]);
    assert.deepEqual(of(h, 'departure'), [
      { date: '2020-05-01', from: null, to: 'withheld-while-unlocked' },
      { date: '2020-07-15', from: 'withheld-while-unlocked', to: null },
    ]);
    const back = h.transitions.find((x) => x.kind === 'action' && x.date === '2020-07-15');
    assert.deepEqual(back?.evidence, ['approved', 'hold-retracted']);
  });

  it('a retraction that starts a departure: the act it withdraws had kept the instrument in use as warranted', () => {
    const c = trancheCase();
    const resumed = act('resumed', 'approved', '2020-06-01');
    const unsaid = evidence('resumed-retracted', 'approved', '2020-06-01', {
      actors: ['principal'],
      sources: A1,
      supersedes: 'resumed',
      retracted: true,
      reported: '2020-08-20',
    });
    const h = history(c, [adopted, hold, resumed, unsaid], '2020-01-01', '2020-12-31', 'quarter');
    assert.deepEqual(of(h, 'action'), [
      { date: '2020-05-01', from: null, to: 'withheld' },
      { date: '2020-06-01', from: 'withheld', to: 'approved' },
      { date: '2020-08-20', from: 'approved', to: 'withheld' },
    ]);
    assert.deepEqual(of(h, 'departure'), [
      { date: '2020-05-01', from: null, to: 'withheld-while-unlocked' },
      { date: '2020-06-01', from: 'withheld-while-unlocked', to: null },
      { date: '2020-08-20', from: null, to: 'withheld-while-unlocked' },
    ]);
  });

  it('after the instrument closed: the departure at the close ends on the day the retraction became known', () => {
    const c = trancheCase({ from: '2020-01-01', until: '2020-09-30' });
    const late = { ...retraction, reported: '2020-11-10' };
    const h = history(c, [adopted, hold, late], '2020-01-01', '2021-03-31', 'quarter');
    assert.deepEqual(of(h, 'action'), [
      { date: '2020-05-01', from: null, to: 'withheld' },
      { date: '2020-11-10', from: 'withheld', to: null },
    ]);
    assert.deepEqual(of(h, 'departure'), [
      { date: '2020-05-01', from: null, to: 'withheld-while-unlocked' },
      { date: '2020-11-10', from: 'withheld-while-unlocked', to: null },
    ]);
    assert.equal(assess(c, [adopted, hold, late], '2020-11-09').instruments[0]?.departure, 'withheld-while-unlocked');
    assert.equal(assess(c, [adopted, hold, late], '2020-11-10').instruments[0]?.departure, null);
  });
});

// A correction that records the act differently: the instrument's use changes to the corrected act.
describe('a correction that replaces an act with another', () => {
  it('the action changes to the corrected one, no earlier than the day the correction became known', () => {
    const c = trancheCase();
    const fixed: Evidence = {
      ...approved,
      id: 'hold-fixed',
      occurred: '2020-05-01',
      occurredTo: '2020-05-01',
      supersedes: 'hold',
      reported: '2020-07-15',
    };
    const h = history(c, [adopted, hold, fixed], '2020-01-01', '2020-12-31', 'quarter');
    const acts = of(h, 'action');
    assert.deepEqual(acts.at(-1), { date: '2020-07-15', from: 'withheld', to: 'approved' });
    assert.deepEqual(of(h, 'departure').at(-1), { date: '2020-07-15', from: 'withheld-while-unlocked', to: null });
  });
});
