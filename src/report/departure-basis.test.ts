/**
 * A departure or a lock is said no more firmly than its evidence: a departure whose "not
 * warranted" rests only on the case's defaults (no record) says so, in the assessment and
 * the brief; a benchmark of unknown status is never counted as unmet.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { absenceBenchmark, actor, benchmark, evidence, makeCase, parseDuration, source } from '../../test/support/builders.ts';
import { assess } from '../core/assess.ts';
import type { Case, Indicator } from '../core/case-model.ts';
import { buildBriefModel } from './brief-model.ts';

const A1 = [source({ reliability: 'A', credibility: 1 })];
const law: Indicator = {
  id: 'law_adopted',
  title: 'Law in force',
  kind: 'state',
  filter: { kinds: [], actors: [] },
  subjects: ['counterpart'],
  on: ['law-adopted'],
  off: ['law-repealed'],
  initial: 'off',
};
const removals: Indicator = {
  id: 'removals',
  title: 'Judges removed',
  kind: 'count',
  filter: { kinds: ['removal'], actors: [] },
  window: parseDuration('P12M'),
};
const c: Case = makeCase({
  actors: [actor('principal', { kind: 'state' }), actor('counterpart', { kind: 'state' })],
  indicators: [law, removals],
  benchmarks: [
    benchmark({
      id: 'law',
      title: 'Law in force',
      conditions: ['law_adopted == 1'],
      indicators: ['law_adopted'],
      duration: parseDuration('P0D'),
    }),
    absenceBenchmark('no-removals', 'No removals', 'removals'),
  ],
  instruments: [{ id: 'visas', title: 'Visa-free travel', tier: 2, effects: [] }],
  gates: [{ instrument: 'visas', rule: { kind: 'all', benchmarks: ['law', 'no-removals'] } }],
});
const granted = evidence('granted', 'visa-decision', '2021-03-01', {
  actors: ['principal', 'counterpart'],
  sources: A1,
  action: { instrument: 'visas', kind: 'approved' },
});

describe('what a departure rests on', () => {
  it('a lock that rests only on the default (no record of the law) makes a departure said to rest on the default', () => {
    const a = assess(c, [granted], '2021-06-01');
    const i = a.instruments[0];
    assert.equal(i?.decision, 'locked');
    assert.equal(i?.departure, 'acted-while-locked');
    assert.equal(i?.departureBasis, 'default');
    assert.ok(
      i?.reasons.includes("the departure rests on the case's defaults only: law is not met because no record says otherwise"),
    );
    const line = buildBriefModel(c, a, [granted]).bottomLine[0]?.text ?? '';
    assert.match(line, /done anyway: approved 2021-03-01 \(on the case's default only: no record\)/);
  });

  it('a recorded repeal makes it rest on evidence', () => {
    const repealed = evidence('repeal', 'law-repealed', '2021-01-10', { actors: ['counterpart'], sources: A1 });
    const i = assess(c, [granted, repealed], '2021-06-01').instruments[0];
    assert.equal(i?.departureBasis, 'evidence');
    assert.ok(!i?.reasons.some((r) => r.includes('defaults only')));
  });

  it('no departure, no basis', () => {
    assert.equal(assess(c, [], '2021-06-01').instruments[0]?.departureBasis, null);
  });
});

describe('unknown is not unmet', () => {
  it('the bottom line counts a benchmark of unknown status apart from the unmet ones', () => {
    const a = assess(c, [], '2021-06-01');
    assert.equal(a.benchmarks.find((b) => b.id === 'no-removals')?.status, 'unknown', 'removals are not monitored');
    const line = buildBriefModel(c, a, []).bottomLine[0]?.text ?? '';
    assert.match(line, /not warranted — conditions unmet \(1 of 2 benchmarks unmet, 1 unknown\)/);
  });
});
