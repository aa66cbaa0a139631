/**
 * Departures at the close of a validity window (issue 14): an instrument whose window has
 * closed is judged at its close — its latest action by then against its gate's decision
 * on the close day, as known as of the date — so a departure made public only after the
 * close is shown from the day it became known, and one that stood while the window was
 * open does not vanish with it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchmark, evidence, makeCase, parseDuration, source } from '../../test/support/builders.ts';
import { diffAssessments } from './alerts.ts';
import { assess } from './assess.ts';
import type { Case, Indicator } from './case-model.ts';
import type { Evidence } from './evidence.ts';
import { history } from './history.ts';
import { LiveAssessment } from './live-assessment.ts';

const A1 = [source({ reliability: 'A', credibility: 1 })];
type StateIndicator = Extract<Indicator, { kind: 'state' }>;
const law: StateIndicator = {
  id: 'law_in_force',
  title: 'Law in force',
  kind: 'state',
  filter: { kinds: [], actors: [] },
  subjects: ['counterpart'],
  on: ['law-adopted'],
  off: ['law-repealed'],
  initial: 'off',
};
const finding: StateIndicator = { ...law, id: 'finding', title: 'Finding', on: ['finding'], off: [], initial: 'unknown' };

/** A tranche in force from 2020-01-01 to 2020-09-30, released on a law (met from 2020-03-01 on the evidence below). */
function trancheCase(indicator: StateIndicator = law): Case {
  return makeCase({
    indicators: [indicator],
    benchmarks: [
      benchmark({
        id: 'law',
        title: 'Law in force',
        conditions: [`${indicator.id} == 1`],
        indicators: [indicator.id],
        duration: parseDuration('P0D'),
        reversals: [],
        // Like the Egypt case's benchmarks: it applies only while the tranche does.
        validity: { from: '2020-01-01', until: '2020-09-30' },
      }),
    ],
    instruments: [
      { id: 'tranche', title: 'Tranche', tier: 2, effects: [], validity: { from: '2020-01-01', until: '2020-09-30' } },
    ],
    gates: [{ instrument: 'tranche', rule: { kind: 'all', benchmarks: ['law'] } }],
  });
}

const adopted = evidence('adopted', 'law-adopted', '2020-03-01', { actors: ['counterpart'], sources: A1 });
const act = (id: string, kind: 'approved' | 'withheld' | 'provided', occurred: string, extra: Partial<Evidence> = {}) =>
  evidence(id, kind, occurred, { actors: ['principal'], sources: A1, action: { instrument: 'tranche', kind }, ...extra });
const approved = act('approved', 'approved', '2020-05-01');
/** A hold over the last months of the window, made public only on 2020-10-17 (after the close). */
const lateHold = act('hold', 'withheld', '2020-06-01', {
  occurredTo: '2020-09-30',
  reported: '2020-10-17',
  sources: [source({ reliability: 'A', credibility: 1, date: '2020-10-17' })],
});

const tranche = (c: Case, ledger: readonly Evidence[], asOf: string) => {
  const i = assess(c, ledger, asOf).instruments.find((x) => x.id === 'tranche');
  assert.ok(i);
  return i;
};

describe('a departure known only after the window closed', () => {
  const c = trancheCase();
  const ledger = [adopted, approved, lateHold];

  it('is not shown before it became known, and is shown from that day on, the decision staying not applicable', () => {
    const before = tranche(c, ledger, '2020-10-16');
    assert.equal(before.decision, 'not-applicable');
    assert.equal(before.departure, null);
    assert.equal(before.actual?.state, 'approved');
    for (const asOf of ['2020-10-17', '2021-06-01', '2025-01-01']) {
      const i = tranche(c, ledger, asOf);
      assert.equal(i.decision, 'not-applicable', asOf);
      assert.equal(i.departure, 'withheld-while-unlocked', asOf);
      assert.equal(i.departureBasis, 'evidence', 'the law was met on a record at the close');
      assert.equal(i.actual?.state, 'withheld');
      assert.equal(i.actual?.since, '2020-09-30');
      assert.ok(i.reasons.includes('at the close (2020-09-30) the gate was unlocked'), i.reasons.join('\n'));
      assert.ok(
        i.reasons.includes(
          'closed on 2020-09-30 with a departure: the principal held the instrument back although its conditions were met: withheld on 2020-09-30 (hold)',
        ),
        i.reasons.join('\n'),
      );
    }
  });

  it('history shows it on the day it became known, as a revision, whatever the step', () => {
    for (const step of ['month', 'quarter'] as const) {
      const h = history(c, ledger, '2020-01-01', '2021-06-30', step);
      const deps = h.transitions.filter((t) => t.kind === 'departure');
      assert.equal(deps.length, 1, JSON.stringify(deps));
      const [d] = deps;
      assert.equal(d?.date, '2020-10-17');
      assert.equal(d?.from, null);
      assert.equal(d?.to, 'withheld-while-unlocked');
      assert.deepEqual(d?.evidence, ['hold']);
      assert.match(d?.rule ?? '', /^became known on 2020-10-17: the instrument closed on 2020-09-30 with a departure/);
      for (const p of h.points) {
        assert.equal(p.departures.tranche, p.asOf >= '2020-10-17' ? 'withheld-while-unlocked' : undefined, p.asOf);
      }
    }
  });

  it('a live assessment gives it, and an alert fires on it', () => {
    const live = new LiveAssessment(c, [adopted, approved], '2021-01-01');
    const before = live.outcome();
    assert.equal(before.instruments[0]?.departure, null);
    live.append([lateHold]);
    const after = live.outcome();
    assert.equal(after.instruments[0]?.departure, 'withheld-while-unlocked');
    assert.deepEqual(
      diffAssessments(before, after).filter((x) => x.kind === 'departure'),
      [{ kind: 'departure', subject: 'tranche', from: 'none', to: 'withheld-while-unlocked' }],
    );
  });
});

describe('a departure that stood while the window was open', () => {
  const c = trancheCase();
  const hold = act('hold', 'withheld', '2020-06-01');
  const ledger = [adopted, approved, hold];

  it('persists after the close', () => {
    assert.equal(tranche(c, ledger, '2020-07-01').departure, 'withheld-while-unlocked');
    assert.equal(tranche(c, ledger, '2020-07-01').decision, 'unlocked');
    for (const asOf of ['2020-10-01', '2023-01-01']) {
      assert.equal(tranche(c, ledger, asOf).decision, 'not-applicable');
      assert.equal(tranche(c, ledger, asOf).departure, 'withheld-while-unlocked', asOf);
    }
  });

  it('history starts it on its day and never ends it at the close', () => {
    const h = history(c, ledger, '2020-01-01', '2021-06-30', 'month');
    const deps = h.transitions.filter((t) => t.kind === 'departure');
    assert.deepEqual(
      deps.map((t) => [t.date, t.from, t.to]),
      [['2020-06-01', null, 'withheld-while-unlocked']],
    );
    assert.equal(h.points.at(-1)?.departures.tranche, 'withheld-while-unlocked');
  });
});

describe('no departure at the close', () => {
  it('when the action standing at the close matched the decision (one that ended before the close included)', () => {
    const c = trancheCase();
    const hold = act('hold', 'withheld', '2020-06-01');
    const provided = act('provided', 'provided', '2020-08-01');
    assert.equal(tranche(c, [adopted, approved], '2021-01-01').departure, null);
    const ledger = [adopted, hold, provided];
    assert.equal(tranche(c, ledger, '2020-07-01').departure, 'withheld-while-unlocked');
    const after = tranche(c, ledger, '2021-01-01');
    assert.equal(after.departure, null);
    assert.equal(after.actual?.state, 'provided');
    assert.ok(!after.reasons.some((r) => r.includes('with a departure')), after.reasons.join('\n'));
    const h = history(c, ledger, '2020-01-01', '2021-06-30', 'month');
    assert.deepEqual(
      h.transitions.filter((t) => t.kind === 'departure').map((t) => [t.date, t.from, t.to]),
      [
        ['2020-06-01', null, 'withheld-while-unlocked'],
        ['2020-08-01', 'withheld-while-unlocked', null],
      ],
    );
  });

  it('for an action that occurred after the close: it is not counted for the closed window', () => {
    const c = trancheCase();
    const afterClose = act('hold', 'withheld', '2020-10-05');
    const i = tranche(c, [adopted, approved, afterClose], '2021-01-01');
    assert.equal(i.departure, null);
    assert.equal(i.actual?.state, 'approved', 'the action standing at the close');
    const h = history(c, [adopted, approved, afterClose], '2020-01-01', '2021-06-30', 'month');
    assert.ok(!h.transitions.some((t) => t.kind === 'departure'));
    assert.ok(!h.transitions.some((t) => t.kind === 'action' && t.to === 'withheld'));
    assert.equal(h.points.at(-1)?.actions.tranche, 'approved');
  });

  it('when the decision at the close was unknown', () => {
    // The finding's indicator starts unknown and nothing is ever found: the gate is unknown throughout.
    const c = trancheCase(finding);
    const hold = act('hold', 'withheld', '2020-06-01', { occurredTo: '2020-09-30', reported: '2020-10-17' });
    assert.equal(tranche(c, [hold], '2020-09-30').decision, 'unknown');
    const i = tranche(c, [hold], '2021-01-01');
    assert.equal(i.departure, null);
    assert.equal(i.departureBasis, null);
    assert.equal(i.actual?.state, 'withheld');
    assert.ok(!history(c, [hold], '2020-01-01', '2021-06-30', 'month').transitions.some((t) => t.kind === 'departure'));
  });
});
