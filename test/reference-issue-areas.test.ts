/**
 * The reference case's issue areas: the convergence map computed from the ledger as of
 * the essay's date, and how it moves with what was known (terror financing before and
 * after the FATF progress reports).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assess } from '../src/core/assess.ts';
import type { Case } from '../src/core/case-model.ts';
import type { Evidence } from '../src/core/evidence.ts';
import { loadReference } from './support/reference.ts';

let c: Case;
let ledger: Evidence[];

before(async () => {
  ({ c, ledger } = await loadReference());
});

describe('reference case issue areas', () => {
  it('as of the essay (2023-03-03): aligned on the Taliban talks and terror financing, divergent on the Taliban and Haqqani network and on China, unknown on LeT/JeM (contested: neither side 1.5 times the other) and trade (no evidence)', () => {
    const a = assess(c, ledger, '2023-03-03');
    assert.deepEqual(
      a.issueAreas.map((r) => [r.id, r.convergence, r.contested, r.aligned.weight, r.opposed.weight]),
      [
        ['afghan-peace-talks', 'align', false, 0.36, 0],
        // Pakistan's conduct as the US findings (2011–2020) describe it; the US decisions that
        // followed are the principal's acts and are no longer cited as Pakistan's position.
        ['afghan-taliban-haqqani', 'diverge', false, 0, 6],
        ['let-jem', 'unknown', true, 6.72, 5.08],
        // Evidence both ways, but the aligned side weighs 1.5 times the other: not contested.
        ['terror-financing', 'align', false, 5.84, 3.48],
        ['china', 'diverge', false, 0, 1.16],
        ['trade', 'unknown', false, 0, 0],
      ],
    );
    const talks = a.issueAreas[0];
    assert.deepEqual(talks?.justifies, ['senior-dialogue', 'targeted-ct-cooperation']);
    assert.deepEqual(a.issueAreas[4]?.justifies, [], 'a diverging area justifies nothing');
  });

  it('as of 2020-01-01 terror financing diverges: the grey-listing and missed deadlines outweigh one progress report', () => {
    const a = assess(c, ledger, '2020-01-01');
    const tf = a.issueAreas.find((r) => r.id === 'terror-financing');
    assert.equal(tf?.convergence, 'diverge');
    assert.deepEqual(tf?.aligned.evidence, ['ev-2019-10-fatf-progress']);
    // The essay's claims were reported on 2023-03-03, so the talks area has no known evidence yet.
    assert.equal(a.issueAreas.find((r) => r.id === 'afghan-peace-talks')?.convergence, 'unknown');
  });
});
