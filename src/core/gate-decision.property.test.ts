/**
 * `gateDecisionOn` (the decision alone, as sensitivity searches ask it many times over)
 * against `decideGate` (the decision with its reasons): the same decision for any rule,
 * statuses, other instruments' decisions, validity windows and waivers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { BenchmarkStatusKind } from './benchmark-stream.ts';
import { BENCHMARK_STATUSES } from './benchmark-stream.ts';
import type { Gate, GateRule, Instrument, InstrumentTerm, Waiver } from './case-model.ts';
import { decideGate, GATE_DECISIONS, type GateDecision, gateDecisionOn } from './gates.ts';

const ids = ['a', 'b', 'c', 'd', 'e'];
const others = ['x', 'y'];

const termArb: fc.Arbitrary<InstrumentTerm> = fc.record({
  instrument: fc.constantFrom(...others),
  is: fc.constantFrom('unlocked', 'warranted', 'locked', 'required', 'not-required'),
});

const ruleArb: fc.Arbitrary<GateRule> = fc.letrec<{ rule: GateRule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', maxDepth: 3, withCrossShrink: true },
    fc.record({ kind: fc.constantFrom('all' as const, 'any' as const), benchmarks: fc.subarray(ids) }),
    fc.constant({ kind: 'none' as const }),
    fc.record({
      kind: fc.constant('weighted' as const),
      weights: fc.subarray(ids).map((bs) => bs.map((benchmark, i) => ({ benchmark, weight: 0.5 + i }))),
      threshold: fc.constantFrom(0, 1, 2.5),
    }),
    fc.record({
      kind: fc.constantFrom('all' as const, 'any' as const),
      benchmarks: fc.subarray(ids),
      rules: fc.array(tie('rule'), { maxLength: 2 }),
      instruments: fc.array(termArb, { maxLength: 2 }),
    }),
    fc
      .record({
        benchmarks: fc.subarray(ids),
        rules: fc.array(tie('rule'), { maxLength: 2 }),
        instruments: fc.array(termArb, { maxLength: 1 }),
      })
      .chain((r) =>
        fc
          .integer({ min: 0, max: r.benchmarks.length + r.rules.length + r.instruments.length + 1 })
          .map((count) => ({ kind: 'at-least' as const, count, ...r })),
      ),
  ),
})).rule;

const validityArb = fc.option(
  fc.constantFrom({ from: '2020-01-01' }, { until: '2019-06-30' }, { from: '2018-01-01', until: '2021-12-31' }),
  { nil: undefined },
);

describe('the decision alone equals the decision with its reasons', () => {
  it('for any rule, statuses, decisions, validity and waivers (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('engagement' as const, 'sanction' as const),
        fc.option(fc.record({ rule: ruleArb, lift: fc.option(ruleArb, { nil: undefined }), validity: validityArb }), {
          nil: undefined,
        }),
        validityArb,
        fc.array(fc.constantFrom<BenchmarkStatusKind>(...BENCHMARK_STATUSES), { minLength: ids.length, maxLength: ids.length }),
        fc.array(fc.constantFrom<GateDecision>(...GATE_DECISIONS), { minLength: others.length, maxLength: others.length }),
        fc.array(
          fc.record({
            start: fc.constantFrom('2018-01-01', '2020-01-01'),
            expiry: fc.option(fc.constantFrom('2019-12-31', '2022-01-01'), { nil: undefined }),
            known: fc.option(fc.constantFrom('2019-03-01', '2021-01-01'), { nil: undefined }),
          }),
          { maxLength: 2 },
        ),
        fc.constantFrom('2019-06-30', '2020-06-30'),
        (kind, g, validity, statusList, decisionList, rawWaivers, asOf) => {
          const instrument: Instrument = {
            id: 'i',
            title: 'I',
            tier: 1,
            effects: [],
            ...(kind === 'sanction' ? { kind } : {}),
            ...(validity === undefined ? {} : { validity }),
          };
          const gate: Gate | undefined =
            g === undefined
              ? undefined
              : {
                  instrument: 'i',
                  rule: g.rule,
                  ...(g.lift === undefined || kind !== 'sanction' ? {} : { lift: g.lift }),
                  ...(g.validity === undefined ? {} : { validity: g.validity }),
                };
          const waivers: Waiver[] = rawWaivers.map((w, k) => ({
            id: `w${k}`,
            instrument: 'i',
            authority: 'A',
            rationale: 'r',
            start: w.start,
            ...(w.expiry === undefined ? {} : { expiry: w.expiry }),
            ...(w.known === undefined ? {} : { known: w.known }),
          }));
          const statuses = new Map(ids.map((id, k) => [id, statusList[k] as BenchmarkStatusKind]));
          const decisions = new Map(others.map((id, k) => [id, decisionList[k] as GateDecision]));
          assert.equal(
            gateDecisionOn(instrument, gate, waivers, statuses, asOf, decisions),
            decideGate(instrument, gate, waivers, statuses, asOf, () => [], decisions).decision,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('an engagement gate that reads no instrument is monotone: the uniform assignments bound every other (property)', () => {
    const values: BenchmarkStatusKind[] = ['met', 'unknown', 'not-met'];
    const noInstruments = (r: GateRule): GateRule =>
      r.kind === 'none' || r.kind === 'weighted'
        ? r
        : { ...r, instruments: [], ...(r.rules === undefined ? {} : { rules: r.rules.map(noInstruments) }) };
    fc.assert(
      fc.property(
        ruleArb.map(noInstruments),
        fc.array(fc.constantFrom<BenchmarkStatusKind>(...BENCHMARK_STATUSES), { minLength: ids.length, maxLength: ids.length }),
        fc.subarray(ids, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (rule, statusList, changed, waived) => {
          const instrument: Instrument = { id: 'i', title: 'I', tier: 1, effects: [] };
          const gate: Gate = { instrument: 'i', rule };
          const waivers: Waiver[] = waived
            ? [{ id: 'w', instrument: 'i', authority: 'A', rationale: 'r', start: '2019-01-01' }]
            : [];
          const base = new Map(ids.map((id, k) => [id, statusList[k] as BenchmarkStatusKind]));
          const decide = (set: (id: string, k: number) => BenchmarkStatusKind) => {
            const statuses = new Map(base);
            changed.forEach((id, k) => {
              statuses.set(id, set(id, k));
            });
            return gateDecisionOn(instrument, gate, waivers, statuses, '2020-06-30');
          };
          const decision = gateDecisionOn(instrument, gate, waivers, base, '2020-06-30');
          let exhaustive = false;
          for (let combo = 0; combo < values.length ** changed.length; combo++)
            if (
              decide((_, k) => values[Math.floor(combo / values.length ** k) % values.length] as BenchmarkStatusKind) !== decision
            )
              exhaustive = true;
          const extremes = decide(() => 'met') !== decision || decide(() => 'not-met') !== decision;
          assert.equal(extremes, exhaustive);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
