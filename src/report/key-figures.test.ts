import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BriefRow } from './brief-model.ts';
import { type KeyFigureSource, keyFigureAmount, keyFigures } from './key-figures.ts';

const row = (id: string, cells: string[]): BriefRow => ({ id, title: id, cells, cites: [] });
const area = (id: string, convergence: 'align' | 'diverge' | 'unknown') =>
  ({ id, convergence }) as unknown as NonNullable<KeyFigureSource['issueAreas']>['rows'][number];

const model: KeyFigureSource = {
  gates: [
    row('a', ['1', '$1', 'UNLOCKED']),
    row('b', ['1', '$1', 'WAIVED']),
    row('c', ['2', '$1', 'LOCKED']),
    row('d', ['2', '$1', 'UNKNOWN']),
  ],
  benchmarks: [row('x', ['MET']), row('y', ['NOT-MET']), row('z', ['REVERSED'])],
  justifications: [row('j1', ['', '', 'UNCONVINCING']), row('j2', ['', '', 'WEAK'])],
  issueAreas: { instruments: [], rows: [area('p', 'align'), area('q', 'diverge'), area('r', 'unknown')] },
  citations: [{ n: 1 }, { n: 2 }, { n: 3 }] as unknown as KeyFigureSource['citations'],
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

  it('writes a share as "n of m" and a count as the number', () => {
    assert.deepEqual(keyFigures(model).map(keyFigureAmount), ['2 of 4', '1 of 3', '1 of 2', '1 of 3', '3']);
  });
});
