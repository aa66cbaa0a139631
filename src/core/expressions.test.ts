import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCondition, compileEvidenceFilter } from './expressions.ts';

describe('CEL conditions', () => {
  const types = new Map([
    ['held', 'int'],
    ['listed', 'bool'],
  ] as const);

  it('names unknown indicators, ignoring string literals', () => {
    const r = compileCondition('held == 1 && helt == "yes"', types);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.message.includes('unknown indicator "helt"'));
    assert.ok(!r.ok && !r.message.includes('indicator "yes"'));
  });

  it('reports an indicator id CEL cannot use instead of throwing', () => {
    const r = compileCondition('int == 1', new Map([['int', 'int']]));
    assert.equal(r.ok, false);
  });

  it('refuses a non-boolean condition and evaluates a valid one with int and bool values', () => {
    assert.equal(compileCondition('held + 1', types).ok, false);
    const r = compileCondition('held >= 2 && !listed', types);
    assert.ok(r.ok);
    assert.equal(
      r.value.evaluate(
        new Map<string, number | boolean>([
          ['held', 2],
          ['listed', false],
        ]),
      ),
      true,
    );
    assert.deepEqual(r.value.uses, ['held', 'listed']);
  });

  it('compiles evidence filters over item fields', () => {
    const f = compileEvidenceFilter('"india" in actors && amount > 10.0');
    assert.ok(f.ok);
    assert.equal(compileEvidenceFilter('kind + 1').ok, false);
  });
});
