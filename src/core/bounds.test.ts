/**
 * Interval evaluation of condition clauses: sound against CEL itself. Whenever `decide`
 * answers true or false over bounds, CEL gives that answer for every sampled value inside
 * them; and the clauses analysts write are decided where they should be.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { atLeast, type Bound, exactBound, UNBOUNDED } from './bounds.ts';
import { compileCondition, type IndicatorValue, type IndicatorValueType } from './expressions.ts';

const TYPES = new Map<string, IndicatorValueType>([
  ['x', 'int'],
  ['n', 'int'],
  ['y', 'double'],
  ['b', 'bool'],
]);

function clause(source: string) {
  const c = compileCondition(source, TYPES);
  assert.ok(c.ok, c.ok ? '' : c.message);
  return c.value;
}

function decide(source: string, bounds: Record<string, Bound>): boolean | undefined {
  const c = clause(source);
  return c.decide(c.uses.map((id) => bounds[id] ?? UNBOUNDED));
}

describe('decide: the clauses analysts write', () => {
  it('a count that is only a lower bound refutes "== 0" once an item is recorded, and decides nothing without one', () => {
    assert.equal(decide('x == 0', { x: atLeast(1) }), false);
    assert.equal(decide('x == 0', { x: atLeast(0) }), undefined);
    assert.equal(decide('x == 0', { x: exactBound(0) }), true);
    assert.equal(decide('x >= 1', { x: atLeast(1) }), true);
    assert.equal(decide('x <= 12', { x: atLeast(3) }), undefined);
    assert.equal(decide('x <= 12', { x: atLeast(13) }), false);
  });

  it('a state count with defaulted subjects is a range', () => {
    // Three of four leaders recorded in custody, one with no record: 3 or 4.
    assert.equal(decide('n == 4', { n: { lo: 3, hi: 4 } }), undefined);
    // Two recorded, two without records: at most 4, at least 2.
    assert.equal(decide('n == 4', { n: { lo: 2, hi: 3 } }), false);
    assert.equal(decide('n >= 2', { n: { lo: 2, hi: 4 } }), true);
  });

  it('combines clauses and arithmetic soundly (Kleene logic)', () => {
    assert.equal(decide('x == 0 && y > 1.0', { x: atLeast(1), y: UNBOUNDED }), false);
    assert.equal(decide('x == 0 || y > 1.0', { x: atLeast(1), y: exactBound(2) }), true);
    assert.equal(decide('x == 0 || y > 1.0', { x: atLeast(0), y: exactBound(0.5) }), undefined);
    assert.equal(decide('x + 2 > 2', { x: atLeast(1) }), true);
    assert.equal(decide('!(x == 0)', { x: atLeast(1) }), true);
    assert.equal(decide('b', { b: { lo: 0, hi: 1 } }), undefined);
    assert.equal(decide('b == true', { b: exactBound(true) }), true);
    assert.equal(decide('x in [0, 1]', { x: atLeast(2) }), false);
  });

  it('gives unknown for what it does not model, unless every value is exact', () => {
    assert.equal(decide('x % 2 == 0', { x: atLeast(1) }), undefined);
    assert.equal(decide('x % 2 == 0', { x: exactBound(4) }), true);
  });
});

// ---- soundness against CEL ----------------------------------------------------------

const numLeaf = fc.oneof(
  fc.constant('x'),
  fc.constant('double(x)'),
  fc.constant('y'),
  fc.integer({ min: -3, max: 5 }).map((k) => `${k}.0`),
);
const intLeaf = fc.oneof(fc.constant('x'), fc.constant('n'), fc.integer({ min: -3, max: 5 }).map(String));

const intExpr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    intLeaf,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
  ),
})).e as fc.Arbitrary<string>;

const boolExpr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  b: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(intExpr, fc.constantFrom('<', '<=', '>', '>=', '==', '!='), intExpr).map(([a, op, c]) => `${a} ${op} ${c}`),
    fc.tuple(numLeaf, fc.constantFrom('<', '<=', '>', '>='), numLeaf).map(([a, op, c]) => `${a} ${op} ${c}`),
    fc.constant('b'),
    fc.tuple(tie('b'), fc.constantFrom('&&', '||'), tie('b')).map(([a, op, c]) => `(${a} ${op} ${c})`),
    tie('b').map((a) => `!(${a})`),
    fc
      .tuple(intExpr, fc.array(fc.integer({ min: -2, max: 4 }), { minLength: 1, maxLength: 3 }))
      .map(([a, xs]) => `${a} in [${xs.join(', ')}]`),
  ),
})).b as fc.Arbitrary<string>;

const intBound = fc.oneof(
  fc.integer({ min: -3, max: 6 }).map((v) => ({ lo: v, hi: v })),
  fc.integer({ min: -3, max: 6 }).map((v) => atLeast(v)),
  fc.tuple(fc.integer({ min: -3, max: 6 }), fc.integer({ min: 0, max: 4 })).map(([lo, w]) => ({ lo, hi: lo + w })),
);
const boolBound = fc.constantFrom<Bound>({ lo: 0, hi: 0 }, { lo: 1, hi: 1 }, { lo: 0, hi: 1 });
const doubleBound = fc.oneof(
  fc.integer({ min: -6, max: 12 }).map((v) => ({ lo: v / 2, hi: v / 2 })),
  fc.integer({ min: -6, max: 12 }).map((v) => atLeast(v / 2)),
);

function samples(b: Bound, type: IndicatorValueType): IndicatorValue[] {
  if (type === 'bool') return b.lo === b.hi ? [b.lo === 1] : [false, true];
  const hi = Number.isFinite(b.hi) ? b.hi : b.lo + 12;
  const out: number[] = [];
  const step = type === 'int' ? 1 : 0.25;
  for (let v = b.lo; v <= hi; v += step) out.push(v);
  return out;
}

describe('decide is sound against CEL', () => {
  it('never answers what some value inside the bounds contradicts', () => {
    let decided = 0;
    fc.assert(
      fc.property(boolExpr, intBound, intBound, doubleBound, boolBound, (source, bx, bn, by, bb) => {
        const compiled = compileCondition(source, TYPES);
        if (!compiled.ok) return; // e.g. a clause CEL does not type-check (mixed int and double arithmetic)
        const c = compiled.value;
        const bounds: Record<string, Bound> = { x: bx, n: bn, y: by, b: bb };
        const answer = c.decide(c.uses.map((id) => bounds[id] as Bound));
        if (answer === undefined) return;
        decided += 1;
        const grids = c.uses.map((id) => samples(bounds[id] as Bound, TYPES.get(id) as IndicatorValueType));
        const walk = (k: number, values: Map<string, IndicatorValue>): void => {
          if (k === c.uses.length) {
            let actual: boolean | undefined;
            try {
              actual = c.evaluate(values);
            } catch {
              return; // CEL errors (e.g. integer overflow) are not answers
            }
            assert.equal(actual, answer, `${source} over ${JSON.stringify(Object.fromEntries(values))}`);
            return;
          }
          for (const v of grids[k] as IndicatorValue[]) walk(k + 1, new Map(values).set(c.uses[k] as string, v));
        };
        walk(0, new Map());
      }),
      { numRuns: 400 },
    );
    // Not vacuous: a good share of the random clauses over random bounds is decided.
    assert.ok(decided >= 80, `only ${decided} of 400 clauses decided`);
  });
});
