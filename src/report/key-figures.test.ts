import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type KeyFigureSource, keyFigureAmount, keyFigures } from './key-figures.ts';

const model: KeyFigureSource = {
  gates: [{ decision: 'unlocked' }, { decision: 'waived' }, { decision: 'locked' }, { decision: 'unknown' }],
  benchmarks: [{ status: 'met' }, { status: 'not-met' }, { status: 'reversed' }],
  justifications: [{ verdict: 'unconvincing' }, { verdict: 'weak' }],
  issueAreas: { rows: [{ convergence: 'align' }, { convergence: 'diverge' }, { convergence: 'unknown' }] },
  citations: [1, 2, 3],
};

describe('key figures', () => {
  it('counts open instruments, met benchmarks, unconvincing justifications, aligned areas and sources, in that order', () => {
    assert.deepEqual(keyFigures(model), [
      { number: 2, of: 4, label: 'instruments open' },
      { number: 1, of: 3, label: 'benchmarks met' },
      { number: 1, of: 2, label: 'justifications unconvincing' },
      { number: 1, of: 3, label: 'issue areas aligned' },
      { number: 3, label: 'sources cited' },
    ]);
  });

  it('leaves out justifications and issue areas when the case has none', () => {
    const { issueAreas: _omitted, ...rest } = model;
    assert.deepEqual(
      keyFigures({ ...rest, justifications: [] }).map((f) => f.label),
      ['instruments open', 'benchmarks met', 'sources cited'],
    );
  });

  it('counts only items in force: an expired or not-yet instrument is neither open nor in the total', () => {
    const figures = keyFigures({
      ...model,
      gates: [...model.gates, { decision: 'not-applicable' }, { decision: 'not-applicable' }],
      benchmarks: [...model.benchmarks, { status: 'not-applicable' }],
      justifications: [{ verdict: 'not-applicable' }],
      issueAreas: { rows: [...(model.issueAreas?.rows ?? []), { convergence: 'not-applicable' }] },
    });
    assert.deepEqual(figures.map(keyFigureAmount), ['2 of 4', '1 of 3', '1 of 3', '3']);
    assert.deepEqual(
      figures.map((f) => f.label),
      ['instruments open', 'benchmarks met', 'issue areas aligned', 'sources cited'],
      'no justification in force: no justification figure',
    );
  });

  it('writes a share as "n of m" and a count as the number', () => {
    assert.deepEqual(keyFigures(model).map(keyFigureAmount), ['2 of 4', '1 of 3', '1 of 2', '1 of 3', '3']);
  });
});
