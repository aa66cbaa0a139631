/**
 * Drift between a case folder and the ledger (src/adapters/ledger-drift.ts), as data: which
 * entries are not in the folder, which items differ, when a correction ends the drift, and
 * the corrections `proviso correct` appends.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correctionsFor, ledgerDrift } from '../src/adapters/ledger-drift.ts';
import { resolveSupersession } from '../src/core/evidence.ts';
import { makeEvidence } from './ledger-store.contract.ts';

const a = makeEvidence('a');
const b = makeEvidence('b');
const typo = makeEvidence('a', { description: 'Entry a, typo fixed' });

function summary(drift: ReturnType<typeof ledgerDrift>) {
  return { notInFolder: drift.notInFolder, differs: drift.differs.map((d) => d.id), edited: [...drift.edited].sort() };
}

describe('ledgerDrift', () => {
  it('finds none when the ledger holds exactly the folder (field order and absent fields aside)', () => {
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as unknown as typeof a;
    const withUndefined = { ...b, note: undefined } as unknown as typeof b;
    assert.deepEqual(summary(ledgerDrift([reordered, withUndefined], [a, b])), { notInFolder: [], differs: [], edited: [] });
  });

  it('names stored entries that are not in the folder, in id order; new folder items are no drift', () => {
    const drift = ledgerDrift([b, makeEvidence('new')], [makeEvidence('z'), a, b, makeEvidence('c')]);
    assert.deepEqual(summary(drift), { notInFolder: ['a', 'c', 'z'], differs: [], edited: [] });
  });

  it('told that every folder item is stored as it is, finds the same without comparing contents', () => {
    const fix = makeEvidence('a-fix', { supersedes: 'a' });
    const stored = [makeEvidence('z'), a, b, fix];
    assert.deepEqual(summary(ledgerDrift([a, b], stored, true)), summary(ledgerDrift([a, b], stored)));
  });

  it('an item stored with other content differs, and the stored entry stands for it', () => {
    const drift = ledgerDrift([typo, b], [a, b]);
    assert.deepEqual(summary(drift), { notInFolder: [], differs: ['a'], edited: ['a'] });
    assert.deepEqual(drift.differs[0], { id: 'a', standing: 'a', retracted: false });
  });

  it('a correction with the folder’s content ends the drift, and is not "not in the folder"', () => {
    const c1 = { ...typo, id: 'a.c1', supersedes: 'a', recorded: '2024-02-01' };
    assert.deepEqual(summary(ledgerDrift([typo, b], [a, b, c1])), { notInFolder: [], differs: [], edited: ['a'] });
  });

  it('an item edited again differs from the correction standing at the end of its chain', () => {
    const c1 = { ...typo, id: 'a.c1', supersedes: 'a', recorded: '2024-02-01' };
    const again = makeEvidence('a', { description: 'Entry a, fixed twice' });
    const drift = ledgerDrift([again, b], [a, b, c1]);
    assert.deepEqual(summary(drift), { notInFolder: [], differs: ['a'], edited: ['a'] });
    assert.equal(drift.differs[0]?.standing, 'a.c1');
  });

  it('a correction of an unchanged item (made through the server) is not in the folder', () => {
    const fix = makeEvidence('a-fix', { supersedes: 'a', description: 'corrected on the server' });
    assert.deepEqual(summary(ledgerDrift([a, b], [a, b, fix])), { notInFolder: ['a-fix'], differs: [], edited: [] });
  });

  it('when two entries supersede one, follows the one the core keeps (the later id)', () => {
    const x1 = { ...typo, id: 'a.x1', supersedes: 'a' };
    const x2 = makeEvidence('a.x2', { supersedes: 'a', description: 'other' });
    const drift = ledgerDrift([typo], [a, x1, x2]);
    const { supersededBy } = resolveSupersession([a, x1, x2]);
    assert.equal(supersededBy.get('a'), 'a.x2');
    assert.equal(drift.differs[0]?.standing, 'a.x2');
  });

  it('a chain ending in a retraction is reported as retracted', () => {
    const withdrawn = makeEvidence('a-r', { supersedes: 'a', retracted: true });
    const drift = ledgerDrift([typo], [a, withdrawn]);
    assert.deepEqual(drift.differs, [{ id: 'a', standing: 'a-r', retracted: true }]);
  });

  it('a change of `recorded` or `supersedes` alone is not reported (a correction could not record it)', () => {
    const drift = ledgerDrift([makeEvidence('a', { recorded: '2030-01-01' })], [a]);
    assert.deepEqual(summary(drift), { notInFolder: [], differs: [], edited: ['a'] });
  });
});

describe('correctionsFor', () => {
  it('records the folder’s content as <id>.c<N>, superseding the standing entry, on the given date', () => {
    const stored = [a, b, makeEvidence('a.c1', { supersedes: 'a', description: 'first fix' })];
    const folder = [typo, b, makeEvidence('a.c2')];
    const planned = correctionsFor(folder, stored, ledgerDrift(folder, stored), [], '2024-03-01');
    assert.ok(planned.ok);
    assert.deepEqual(planned.corrections, [
      { item: 'a', entry: { ...typo, id: 'a.c3', supersedes: 'a.c1', recorded: '2024-03-01' } },
    ]);
    // Appended, the correction ends the drift.
    const after = [...stored, ...planned.corrections.map((c) => c.entry)];
    assert.deepEqual(ledgerDrift(folder, after).differs, []);
  });

  it('corrects only the ids asked for, each once', () => {
    const folder = [typo, makeEvidence('b', { description: 'b fixed' })];
    const stored = [a, b];
    const planned = correctionsFor(folder, stored, ledgerDrift(folder, stored), ['b', 'b'], '2024-03-01');
    assert.ok(planned.ok);
    assert.deepEqual(
      planned.corrections.map((c) => [c.entry.id, c.entry.supersedes]),
      [['b.c1', 'b']],
    );
  });

  it('returns every problem and no correction when any id cannot be corrected', () => {
    const withdrawn = makeEvidence('b-r', { supersedes: 'b', retracted: true });
    const folder = [typo, makeEvidence('b', { description: 'b fixed' }), makeEvidence('n')];
    const stored = [a, b, withdrawn];
    const planned = correctionsFor(folder, stored, ledgerDrift(folder, stored), ['a', 'b', 'n', 'zz'], '2024-03-01');
    assert.ok(!planned.ok);
    assert.deepEqual(
      planned.problems.map((p) => p.id),
      ['b', 'n', 'zz'],
    );
    assert.match(planned.problems[0]?.reason ?? '', /retracted in the ledger by b-r/);
    assert.match(planned.problems[1]?.reason ?? '', /not in the ledger yet/);
    assert.match(planned.problems[2]?.reason ?? '', /not an evidence item/);
  });

  it('refuses a date before the entry it supersedes was recorded', () => {
    const planned = correctionsFor([typo], [a], ledgerDrift([typo], [a]), [], '2024-01-14');
    assert.ok(!planned.ok);
    assert.match(planned.problems[0]?.reason ?? '', /give --recorded 2024-01-15 or later/);
  });

  it('has nothing to do when nothing drifted', () => {
    assert.deepEqual(correctionsFor([a], [a], ledgerDrift([a], [a]), [], '2024-03-01'), { ok: true, corrections: [] });
  });
});
