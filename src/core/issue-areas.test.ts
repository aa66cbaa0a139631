import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evidence, source } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { Case, Interest, IssueArea } from './case-model.ts';
import type { Evidence } from './evidence.ts';
import { judgeIssueArea } from './issue-areas.ts';

const interests = new Map<string, Interest>([['ct', { id: 'ct', title: 'Counter-terrorism', rank: 1, weight: 1 }]]);
const graded = (id: string, reliability: 'A' | 'B' | 'C' | 'E', credibility: 1 | 2 | 3 | 5, date = '2020-01-01') =>
  evidence(id, 'assessment', date, { sources: [source({ reliability, credibility })] });
// Weights: A1 1, B2 0.64, C3 0.36, E5 0.005.
const items = [graded('a1', 'A', 1), graded('b2', 'B', 2), graded('c3', 'C', 3), graded('c3-bis', 'C', 3), graded('e5', 'E', 5)];
const ledger = new Map<string, Evidence>(items.map((e) => [e.id, e]));
const resolve = (id: string) => ledger.get(id);

function area(aligned: readonly string[], opposed: readonly string[]): IssueArea {
  return {
    id: 'area',
    title: 'Area',
    principalInterest: 'ct',
    principalPosition: 'The counterpart acts against the groups.',
    evidence: { aligned, opposed },
    instruments: ['dialogue'],
  };
}

describe('issue-area convergence', () => {
  it('aligns when the aligned evidence is heavier by half again, and then justifies its instruments', () => {
    const r = judgeIssueArea(area(['a1'], ['c3']), interests, resolve);
    assert.equal(r.convergence, 'align');
    assert.deepEqual([r.aligned.weight, r.opposed.weight], [1, 0.36]);
    // 1 against 0.36: evidence both ways, but the aligned side outweighs the other 1.5 times, so not contested.
    assert.equal(r.contested, false);
    assert.ok(r.reasons.some((x) => x.includes('too light to contest the alignment')));
    assert.deepEqual(r.justifies, ['dialogue']);
    assert.deepEqual(r.evidence, ['a1', 'c3']);
    assert.ok(r.reasons.includes('could justify: dialogue'));
  });

  it('diverges when the opposed evidence is heavier, and then justifies nothing', () => {
    const r = judgeIssueArea(area(['c3'], ['a1', 'b2']), interests, resolve);
    assert.equal(r.convergence, 'diverge');
    assert.deepEqual([r.aligned.weight, r.opposed.weight], [0.36, 1.64]);
    assert.deepEqual(r.justifies, []);
    assert.match(r.decision, /^diverge: .*\(1\.64\)/);
  });

  it('is unknown with no evidence, with evidence too thin, and when contested', () => {
    const none = judgeIssueArea(area([], []), interests, resolve);
    assert.equal(none.convergence, 'unknown');
    assert.match(none.decision, /no evidence/);
    assert.equal(none.contested, false);

    const thin = judgeIssueArea(area(['e5'], []), interests, resolve);
    assert.equal(thin.convergence, 'unknown');
    assert.match(thin.decision, /too thin/);

    // 0.72 against 0.64: weighted, but neither side reaches 1.5 times the other.
    const contested = judgeIssueArea(area(['c3', 'c3-bis'], ['b2']), interests, resolve);
    assert.equal(contested.convergence, 'unknown');
    assert.match(contested.decision, /contested, aligned 0\.72 against opposed 0\.64/);
    assert.equal(contested.contested, true);
    assert.deepEqual(contested.justifies, []);
  });

  it('calls an area contested only when evidence on both sides leaves neither 1.5 times the other (one test per branch)', () => {
    const cases: [readonly string[], readonly string[], string, boolean][] = [
      [[], [], 'unknown', false], // no evidence
      [['e5'], [], 'unknown', false], // too thin
      [['c3', 'c3-bis'], ['b2'], 'unknown', true], // 0.72 : 0.64, neither 1.5 times the other
      [['a1'], ['c3'], 'align', false], // 1 : 0.36, a minority opposed
      [['c3'], ['a1', 'b2'], 'diverge', false], // 0.36 : 1.64, a minority aligned
      [['a1'], [], 'align', false], // one side only
    ];
    for (const [aligned, opposed, convergence, contested] of cases) {
      const r = judgeIssueArea(area(aligned, opposed), interests, resolve);
      assert.equal(r.convergence, convergence, `${aligned} vs ${opposed}`);
      assert.equal(r.contested, contested, `${aligned} vs ${opposed}`);
      if (contested) assert.equal(r.convergence, 'unknown', 'contested implies unknown');
    }
  });

  it('is not applicable outside its validity window, and then justifies nothing', () => {
    const windowed = { ...area(['a1'], []), validity: { from: '2021-01-01', until: '2022-12-31' } };
    assert.equal(judgeIssueArea(windowed, interests, resolve, '2020-06-01').convergence, 'not-applicable');
    assert.equal(judgeIssueArea(windowed, interests, resolve, '2021-06-01').convergence, 'align');
    const expired = judgeIssueArea(windowed, interests, resolve, '2023-01-01');
    assert.equal(expired.convergence, 'not-applicable');
    assert.deepEqual(expired.justifies, []);
    assert.match(expired.decision, /expired/);
  });

  it('counts an item cited twice once, and does not count items unknown as of the date', () => {
    const r = judgeIssueArea(area(['c3', 'c3', 'later'], []), interests, resolve);
    assert.equal(r.aligned.weight, 0.36);
    assert.deepEqual(r.aligned.evidence, ['c3']);
    assert.ok(r.reasons.includes('not known as of this date (not counted): later'));
  });
});

describe('issue areas in assess', () => {
  const c: Case = {
    id: 'c',
    title: 'C',
    principal: 'p',
    counterpart: 'q',
    actors: [],
    interests: [...interests.values()],
    instruments: [{ id: 'dialogue', title: 'Dialogue', tier: 1, effects: [] }],
    indicators: [],
    benchmarks: [],
    gates: [],
    waivers: [],
    justifications: [],
    reviews: [],
    issueAreas: [area(['help'], ['attack'])],
  };
  const help = evidence('help', 'cooperation', '2020-01-01', { sources: [source({ reliability: 'A', credibility: 1 })] });
  const attack = evidence('attack', 'terrorist-attack', '2021-06-01', {
    sources: [source({ reliability: 'A', credibility: 1 })],
  });
  const correction = evidence('help-corrected', 'cooperation', '2021-01-01', {
    supersedes: 'help',
    sources: [source({ reliability: 'C', credibility: 3 })],
  });
  const retraction = evidence('help-retracted', 'cooperation', '2022-01-01', { supersedes: 'help-corrected', retracted: true });

  it('sees only the evidence known as of the date', () => {
    const before = assess(c, [help, attack], '2020-06-01');
    assert.equal(before.issueAreas[0]?.convergence, 'align');
    const after = assess(c, [help, attack], '2021-07-01');
    assert.equal(after.issueAreas[0]?.convergence, 'unknown', '1 against 1 is contested');
  });

  it('counts a superseded item as its correction, and a retracted one not at all', () => {
    const corrected = assess(c, [help, correction, attack], '2021-07-01').issueAreas[0];
    assert.equal(corrected?.convergence, 'diverge');
    assert.deepEqual(corrected?.aligned, { weight: 0.36, evidence: ['help-corrected'] });
    const retracted = assess(c, [help, correction, retraction, attack], '2022-06-01').issueAreas[0];
    assert.deepEqual(retracted?.aligned, { weight: 0, evidence: [] });
    assert.equal(retracted?.convergence, 'diverge');
  });

  it('is an empty list for a case without issue areas', () => {
    const { issueAreas: _, ...without } = c;
    assert.deepEqual(assess(without, [], '2020-01-01').issueAreas, []);
  });
});
