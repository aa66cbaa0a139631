import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BenchmarkStatusKind } from './benchmark-stream.ts';
import type { GateRule, Instrument, Waiver } from './case-model.ts';
import { decideGate } from './gates.ts';

const inst: Instrument = { id: 'aid', title: 'Aid', tier: 3, effects: [] };
const statuses = (s: Record<string, BenchmarkStatusKind>) => new Map(Object.entries(s));
const decide = (rule: GateRule, s: Record<string, BenchmarkStatusKind>, waivers: Waiver[] = [], asOf = '2020-01-01') =>
  decideGate(inst, { instrument: 'aid', rule }, waivers, statuses(s), asOf);

describe('gate rules', () => {
  it('all: locked naming every benchmark not met; unknown only if nothing is known to fail', () => {
    const locked = decide({ kind: 'all', benchmarks: ['a', 'b', 'c'] }, { a: 'met', b: 'pending', c: 'unknown' });
    assert.equal(locked.decision, 'locked');
    assert.deepEqual(locked.missing, ['b', 'c']);
    assert.equal(decide({ kind: 'all', benchmarks: ['a', 'c'] }, { a: 'met', c: 'unknown' }).decision, 'unknown');
    assert.equal(decide({ kind: 'all', benchmarks: ['a'] }, { a: 'met' }).decision, 'unlocked');
  });

  it('any: one met benchmark unlocks; reversed and unverified count as not met', () => {
    assert.equal(decide({ kind: 'any', benchmarks: ['a', 'b'] }, { a: 'reversed', b: 'met' }).decision, 'unlocked');
    assert.equal(decide({ kind: 'any', benchmarks: ['a', 'b'] }, { a: 'reversed', b: 'unverified' }).decision, 'locked');
    assert.equal(decide({ kind: 'any', benchmarks: ['a', 'b'] }, { a: 'reversed', b: 'unknown' }).decision, 'unknown');
  });

  it('at-least k of n decides only when unknowns cannot change the outcome', () => {
    const rule: GateRule = { kind: 'at-least', count: 2, benchmarks: ['a', 'b', 'c'] };
    assert.equal(decide(rule, { a: 'met', b: 'met', c: 'unknown' }).decision, 'unlocked');
    assert.equal(decide(rule, { a: 'met', b: 'not-met', c: 'unknown' }).decision, 'unknown');
    assert.equal(decide(rule, { a: 'met', b: 'not-met', c: 'not-met' }).decision, 'locked');
  });

  it('weighted: met weights must reach the threshold', () => {
    const rule: GateRule = {
      kind: 'weighted',
      weights: [
        { benchmark: 'a', weight: 3 },
        { benchmark: 'b', weight: 1 },
        { benchmark: 'c', weight: 1 },
      ],
      threshold: 4,
    };
    assert.equal(decide(rule, { a: 'met', b: 'met', c: 'not-met' }).decision, 'unlocked');
    assert.equal(decide(rule, { a: 'met', b: 'not-met', c: 'unknown' }).decision, 'unknown');
    assert.equal(decide(rule, { a: 'not-met', b: 'met', c: 'met' }).decision, 'locked');
  });

  it('a waiver in force turns locked into waived, and an expired one no longer applies', () => {
    const waiver: Waiver = {
      id: 'w',
      instrument: 'aid',
      authority: 'Secretary',
      rationale: 'national security',
      start: '2019-06-01',
      expiry: '2020-06-30',
    };
    const rule: GateRule = { kind: 'all', benchmarks: ['a'] };
    const inForce = decide(rule, { a: 'not-met' }, [waiver], '2020-06-30');
    assert.equal(inForce.decision, 'waived');
    assert.equal(inForce.waiver, 'w');
    assert.ok(inForce.reasons.some((r) => r.includes('without it: locked')));
    const expired = decide(rule, { a: 'not-met' }, [waiver], '2020-07-01');
    assert.equal(expired.decision, 'locked');
    assert.ok(expired.reasons.some((r) => r.includes('expired on 2020-06-30')));
    assert.equal(decide(rule, { a: 'not-met' }, [waiver], '2019-05-31').decision, 'locked');
  });

  it('no gate means unconditional', () => {
    assert.equal(decideGate(inst, undefined, [], statuses({}), '2020-01-01').decision, 'unlocked');
  });
});
