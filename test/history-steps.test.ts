/**
 * A coarse history that steps monthly from a date (`monthlyFrom`, what a brief with --since
 * over a long case uses) says from that date exactly what a monthly history from it says.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Case } from '../src/core/case-model.ts';
import { stepDates } from '../src/core/dates.ts';
import type { Evidence } from '../src/core/evidence.ts';
import { history, historySteps } from '../src/core/history.ts';
import { loadReference } from './support/reference.ts';

let c: Case;
let ledger: Evidence[];

before(async () => {
  ({ c, ledger } = await loadReference());
});

describe('history steps', () => {
  it('steps quarterly, then monthly from the given day on its own grid', () => {
    assert.deepEqual(historySteps('2020-01-15', '2020-12-15', 'quarter', '2020-09-10'), [
      '2020-01-15',
      '2020-04-15',
      '2020-07-15',
      '2020-09-10',
      '2020-10-10',
      '2020-11-10',
      '2020-12-10',
      '2020-12-15',
    ]);
    assert.deepEqual(historySteps('2020-01-15', '2020-12-15', 'quarter'), stepDates('2020-01-15', '2020-12-15', 'quarter'));
    assert.deepEqual(
      historySteps('2020-01-15', '2020-12-15', 'quarter', '2019-01-01'),
      stepDates('2020-01-15', '2020-12-15', 'quarter'),
    );
  });

  it('the reference case from 1999 quarterly, monthly from 2022-01-03: the same points and transitions from then as a monthly history', () => {
    const since = '2022-01-03';
    const mixed = history(c, ledger, '1999-12-03', '2023-03-03', 'quarter', { monthlyFrom: since });
    const monthly = history(c, ledger, since, '2023-03-03', 'month');
    assert.deepEqual(
      mixed.points.filter((p) => p.asOf >= since),
      monthly.points,
    );
    assert.deepEqual(
      mixed.transitions.filter((t) => t.asOf > since),
      monthly.transitions,
    );
    assert.ok(mixed.points.length < 120, `${mixed.points.length} points over 23 years`);
  });
});
