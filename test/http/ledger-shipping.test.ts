/**
 * The ledger updates the main thread sends heavy-work workers (src/http/workers/ledger-shipping.ts):
 * applying the plan to what the worker held gives the new ledger exactly, only the new
 * entries travel, and anything but an append-only, order-keeping change is shipped whole.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Evidence } from '../../src/core/evidence.ts';
import { applyLedgerUpdate, planLedgerUpdate } from '../../src/http/workers/ledger-shipping.ts';

/** An entry as far as shipping cares: an id (the rest travels untouched). */
const entry = (id: string): Evidence => ({ id }) as unknown as Evidence;
const ids = (entries: readonly Evidence[]) => entries.map((e) => e.id);

/** Ships `next` to a worker holding `held`, as the pool does: the plan's entries, then the worker's rebuild. */
function ship(held: readonly Evidence[] | undefined, next: readonly Evidence[]) {
  const plan = planLedgerUpdate(held === undefined ? undefined : ids(held), next);
  const base = plan.base === 'empty' ? [] : (held ?? []);
  const rebuilt = applyLedgerUpdate(
    base,
    plan.length,
    plan.indices,
    plan.indices.map((i) => next[i] as Evidence),
  );
  return { plan, rebuilt };
}

describe('ledger shipping', () => {
  it('sends only the appended entries, wherever the id order puts them, and rebuilds the new ledger', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 60 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        (all, inOld) => {
          const sorted = [...all].sort();
          const next = sorted.map(entry);
          const held = next.filter((_, i) => inOld[i] === true);
          const { plan, rebuilt } = ship(held, next);
          assert.equal(plan.base, 'current');
          assert.equal(plan.indices.length, next.length - held.length);
          assert.deepEqual(rebuilt === undefined ? undefined : ids(rebuilt), ids(next));
          // The rebuilt ledger holds the very objects: the worker's own and the ones sent.
          rebuilt?.forEach((e, i) => {
            assert.equal(e, next[i]);
          });
        },
      ),
    );
  });

  it('ships everything to a worker that holds nothing', () => {
    const next = ['a', 'b', 'c'].map(entry);
    const { plan, rebuilt } = ship(undefined, next);
    assert.deepEqual(plan, { base: 'empty', length: 3, indices: [0, 1, 2] });
    assert.deepEqual(ids(rebuilt ?? []), ['a', 'b', 'c']);
  });

  it('ships everything again when a held entry is gone or out of order', () => {
    const gone = ship(['a', 'b', 'c'].map(entry), ['a', 'c', 'd'].map(entry));
    assert.equal(gone.plan.base, 'empty');
    assert.deepEqual(ids(gone.rebuilt ?? []), ['a', 'c', 'd']);
    const reordered = ship(['a', 'b'].map(entry), ['b', 'a', 'c'].map(entry));
    assert.equal(reordered.plan.base, 'empty');
    assert.deepEqual(ids(reordered.rebuilt ?? []), ['b', 'a', 'c']);
    const shorter = ship(['a', 'b'].map(entry), ['a'].map(entry));
    assert.equal(shorter.plan.base, 'empty');
  });

  it('refuses an update that does not fit what the worker holds', () => {
    const base = ['a', 'c'].map(entry);
    assert.equal(applyLedgerUpdate(base, 4, [1], [entry('b')]), undefined, 'one entry short');
    assert.equal(applyLedgerUpdate(base, 4, [1, 1], [entry('b'), entry('x')]), undefined, 'index twice');
    assert.equal(applyLedgerUpdate(base, 3, [3], [entry('b')]), undefined, 'index out of range');
    assert.deepEqual(ids(applyLedgerUpdate(base, 3, [1], [entry('b')]) ?? []), ['a', 'b', 'c']);
  });
});
