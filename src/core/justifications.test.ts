import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evidence, source } from '../../test/support/builders.ts';
import type { Instrument, Interest, Justification } from './case-model.ts';
import type { Evidence } from './evidence.ts';
import { judgeJustification } from './justifications.ts';

const interests = new Map<string, Interest>(
  [
    { id: 'top', title: 'Top', rank: 1, weight: 1 },
    { id: 'mid', title: 'Mid', rank: 2, weight: 0.8 },
    { id: 'low', title: 'Low', rank: 3, weight: 0.5 },
  ].map((i) => [i.id, i]),
);
const strong = evidence('strong', 'assessment', '2020-01-01', { sources: [source({ reliability: 'A', credibility: 1 })] });
const weak = evidence('weak', 'assessment', '2020-01-01', { sources: [source({ reliability: 'C', credibility: 3 })] });
const strong2 = evidence('strong2', 'assessment', '2020-01-01', { sources: [source({ reliability: 'A', credibility: 1 })] });
const ledger = new Map<string, Evidence>([strong, weak, strong2].map((e) => [e.id, e]));
const resolve = (id: string) => ledger.get(id);

function judge(j: Partial<Justification>, inst: Partial<Instrument> = {}) {
  return judgeJustification(
    { id: 'j', instrument: 'i', title: 'J', claim: 'c', serves: ['low'], evidenceFor: [], evidenceAgainst: [], ...j },
    { id: 'i', title: 'I', tier: 1, effects: [], ...inst },
    interests,
    resolve,
  );
}

describe('justification verdicts', () => {
  it('evidenced harm to a higher-ranked interest makes it unconvincing, whatever the support', () => {
    const r = judge(
      { serves: ['low'], evidenceFor: ['strong'] },
      { effects: [{ interest: 'top', direction: 'harms', rationale: 'r', evidence: ['weak'] }] },
    );
    assert.equal(r.verdict, 'unconvincing');
    assert.match(r.decision, /harms top \(rank 1\)/);
  });

  it('the same harm does not decide when the claimed interest ranks higher', () => {
    const r = judge(
      { serves: ['top'], evidenceFor: ['strong'] },
      { effects: [{ interest: 'low', direction: 'harms', rationale: 'r', evidence: ['weak'] }] },
    );
    assert.equal(r.verdict, 'convincing');
  });

  it('a harm claimed without evidence leaves it weak at best', () => {
    const r = judge(
      { serves: ['low'], evidenceFor: ['strong'] },
      { effects: [{ interest: 'top', direction: 'harms', rationale: 'r', evidence: [] }] },
    );
    assert.equal(r.verdict, 'weak');
  });

  it('evidence against outweighing evidence for is unconvincing; thin support is weak', () => {
    assert.equal(judge({ evidenceFor: ['weak'], evidenceAgainst: ['strong'] }).verdict, 'unconvincing');
    assert.equal(judge({ evidenceFor: ['weak'] }).verdict, 'weak');
    assert.equal(judge({}).verdict, 'weak');
  });

  it('evidence for that only matches the evidence against is contested: weak, never convincing', () => {
    const r = judge({ serves: ['top'], evidenceFor: ['strong'], evidenceAgainst: ['strong2'] });
    assert.equal(r.verdict, 'weak');
    assert.ok(r.reasons.some((x) => x.includes('only matches the evidence against')));
  });

  it('evidence not yet known does not count', () => {
    const r = judge({ evidenceFor: ['strong', 'future'] });
    assert.equal(r.verdict, 'convincing');
    assert.ok(r.reasons.some((x) => x.includes('not known as of this date (not counted): future')));
  });
});
