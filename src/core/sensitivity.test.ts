/**
 * Sensitivity (issue 13, point 3): the single change that flips a verdict or a gate
 * decision — rank swaps, one item removed, the author's or analysis's claims dropped, a
 * source graded one step lower — found and named, and `robust` only when none does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchmark, evidence, makeCase, source } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { Case, Instrument, Interest, Justification } from './case-model.ts';
import type { Evidence } from './evidence.ts';
import { MAX_ITEM_TRIALS } from './sensitivity.ts';

const interests: Interest[] = [
  { id: 'first', title: 'First interest', rank: 1, weight: 1 },
  { id: 'second', title: 'Second interest', rank: 2, weight: 0.8 },
  { id: 'third', title: 'Third interest', rank: 3, weight: 0.5 },
];

function justCase(opts: { forIds: string[]; harms?: { interest: string; evidence: string[] }; serves?: string[] }): Case {
  const instrument: Instrument = {
    id: 'sale',
    title: 'Sale',
    tier: 3,
    effects:
      opts.harms === undefined
        ? []
        : [{ interest: opts.harms.interest, direction: 'harms', rationale: 'it harms', evidence: opts.harms.evidence }],
  };
  const j: Justification = {
    id: 'j',
    instrument: 'sale',
    title: 'It helps',
    claim: 'It helps',
    serves: opts.serves ?? ['second'],
    evidenceFor: opts.forIds,
    evidenceAgainst: [],
  };
  return makeCase({ interests, instruments: [instrument], justifications: [j], benchmarks: [], indicators: [] });
}

const a1 = (id: string, extra: Partial<Evidence> = {}) =>
  evidence(id, 'report', '2020-01-01', { sources: [source({ reliability: 'A', credibility: 1 })], ...extra });

describe('justification sensitivity', () => {
  it('a verdict resting on one A1 item is fragile: removing it, or grading it one step lower, makes it weak', () => {
    const r = assess(justCase({ forIds: ['e1'] }), [a1('e1')], '2021-01-01').justifications[0];
    assert.equal(r?.verdict, 'convincing');
    const s = r?.sensitivity;
    assert.equal(s?.label, 'fragile');
    assert.deepEqual(
      s?.flips.map((f) => [f.change, f.subjects.join(','), f.to]),
      [
        ['remove-item', 'e1', 'weak'],
        ['downgrade', 'e1', 'weak'],
      ],
    );
    assert.match(
      s?.summary ?? '',
      /^fragile: becomes weak if report of 2020-01-01 \(e1\) is removed; 1 other change of \d+ tried also flip/,
    );
  });

  it('two independent A1 items make it robust to any one removal or downgrade', () => {
    const r = assess(justCase({ forIds: ['e1', 'e2'] }), [a1('e1'), a1('e2')], '2021-01-01').justifications[0];
    assert.equal(r?.verdict, 'convincing');
    assert.equal(r?.sensitivity?.label, 'robust');
    assert.match(r?.sensitivity?.summary ?? '', /^robust: none of \d+ single changes tried flips it$/);
  });

  it('a verdict that rests on the ranking flips when the two interests swap ranks', () => {
    // Harm to the first interest, evidenced: unconvincing (harm outranks service to the second).
    const c = justCase({ forIds: ['e1', 'e2'], harms: { interest: 'first', evidence: ['h1'] }, serves: ['second'] });
    const r = assess(c, [a1('e1'), a1('e2'), a1('h1')], '2021-01-01').justifications[0];
    assert.equal(r?.verdict, 'unconvincing');
    const swap = r?.sensitivity?.flips.find((f) => f.change === 'rank-swap');
    assert.deepEqual(swap?.subjects, ['first', 'second']);
    assert.match(swap?.detail ?? '', /“First interest” \(rank 1\) and “Second interest” \(rank 2\) swapped ranks/);
    assert.notEqual(swap?.to, 'unconvincing');
  });

  it('a verdict resting on claims flips when the claims are dropped, as one change', () => {
    const c = justCase({ forIds: ['c1', 'c2'] });
    const claims = [a1('c1', { claim: 'analysis' }), a1('c2', { claim: 'author' })];
    const s = assess(c, claims, '2021-01-01').justifications[0]?.sensitivity;
    const drop = s?.flips.find((f) => f.change === 'drop-claims');
    assert.deepEqual(drop?.subjects, ['c1', 'c2']);
    assert.equal(drop?.to, 'weak');
  });

  it('the search is bounded and says so', () => {
    const ids = Array.from({ length: MAX_ITEM_TRIALS + 5 }, (_, k) => `e${String(k).padStart(3, '0')}`);
    const s = assess(
      justCase({ forIds: ids }),
      ids.map((id) => a1(id)),
      '2021-01-01',
    ).justifications[0]?.sensitivity;
    assert.equal(s?.complete, false);
    assert.match(s?.summary ?? '', /the search stopped at its bound of 40 items per kind/);
  });
});

describe('gate decision sensitivity', () => {
  const gated = (c: Case): Case => ({
    ...c,
    instruments: [{ id: 'aid', title: 'Aid', tier: 2, effects: [] }],
    gates: [{ instrument: 'aid', rule: { kind: 'all', benchmarks: ['custody'] } }],
  });
  const arrest = (id: string, date: string, extra: Partial<Evidence> = {}) =>
    evidence(id, 'arrest', date, { sources: [source({ reliability: 'B', credibility: 3 })], ...extra });

  it('an unlock that rests on one arrest at the bar is fragile: removing or downgrading it locks the instrument', () => {
    const c = gated(makeCase({ benchmarks: [benchmark()] }));
    const r = assess(c, [arrest('arr', '2020-01-01')], '2022-01-01').instruments[0];
    assert.equal(r?.decision, 'unlocked');
    const s = r?.sensitivity;
    assert.equal(s?.label, 'fragile');
    assert.deepEqual(
      s?.flips.map((f) => [f.change, f.to]),
      [
        ['remove-item', 'locked'],
        ['downgrade', 'locked'],
      ],
    );
  });

  it('an unlock resting on the case author’s claim flips when claims are dropped', () => {
    const c = gated(makeCase({ benchmarks: [benchmark()] }));
    const r = assess(c, [arrest('arr', '2020-01-01', { claim: 'author' })], '2022-01-01').instruments[0];
    const drop = r?.sensitivity?.flips.find((f) => f.change === 'drop-claims');
    assert.deepEqual(drop?.subjects, ['arr']);
    assert.equal(drop?.to, 'locked');
  });

  it('a lock that no single item decides is robust, and ungated instruments are not assessed', () => {
    const c = gated(makeCase({ benchmarks: [benchmark()] }));
    const released = evidence('rel', 'release', '2021-06-01', { sources: [source({ reliability: 'A', credibility: 1 })] });
    const r = assess(c, [arrest('arr', '2020-01-01'), released], '2022-01-01').instruments[0];
    assert.equal(r?.decision, 'locked');
    // Removing the release leaves the arrest: held since 2020, met — so this lock is fragile.
    assert.equal(r?.sensitivity?.flips[0]?.subjects[0], 'rel');
    const ungated = assess({ ...c, gates: [] }, [], '2022-01-01').instruments[0];
    assert.equal(ungated?.sensitivity, null);
  });
});
