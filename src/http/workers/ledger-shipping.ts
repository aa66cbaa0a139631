/**
 * How a worker's copy of a case's ledger follows the main thread's, without cloning the
 * whole ledger on every job.
 *
 * Contracts:
 * - The main thread keeps, per worker and case, the ids of the ledger it last shipped (in
 *   order). A new ledger is shipped as an update: the entries the worker lacks, each with
 *   its index in the new ledger (`planLedgerUpdate`). The ledger is append-only, so a new
 *   ledger holds every shipped entry; the store orders entries by id, so new entries land
 *   anywhere, and the shipped ones keep their relative order.
 * - That is checked, not assumed: the plan walks both id lists in order and falls back to
 *   shipping everything (`base: 'empty'`) when a shipped id is missing or out of order.
 * - The worker rebuilds the new ledger (`applyLedgerUpdate`): inserted entries at their
 *   indices, its own entries in order in the remaining places. The result is the main
 *   thread's ledger, entry for entry, in the same order.
 * - Updates are sent in chunks of at most `LEDGER_CHUNK` entries, each its own message, so
 *   that cloning a large ledger never holds the main thread for long at once.
 */
import type { Evidence } from '../../core/evidence.ts';

/** Entries per message when shipping a ledger (about 3–6 ms of cloning each on one core). */
export const LEDGER_CHUNK = 1000;

export interface LedgerUpdatePlan {
  /** `empty`: the worker starts from no entries; `current`: from the ledger it holds. */
  readonly base: 'empty' | 'current';
  /** The new ledger's length. */
  readonly length: number;
  /** Indices in the new ledger of the entries to send, ascending. */
  readonly indices: readonly number[];
}

/** What to send a worker holding the ledger `shipped` (ids in order; undefined: none) so that it holds `current`. */
export function planLedgerUpdate(shipped: readonly string[] | undefined, current: readonly Evidence[]): LedgerUpdatePlan {
  if (shipped !== undefined && shipped.length <= current.length) {
    const indices: number[] = [];
    let j = 0;
    for (let i = 0; i < current.length; i += 1) {
      if (j < shipped.length && (current[i] as Evidence).id === shipped[j]) j += 1;
      else indices.push(i);
    }
    if (j === shipped.length) return { base: 'current', length: current.length, indices };
  }
  return { base: 'empty', length: current.length, indices: current.map((_, i) => i) };
}

/**
 * The ledger of `length` entries made of `inserted` at `indices` and `base` in order in the
 * other places; undefined when they do not fit (the base has more or fewer entries than the
 * places left, or an index repeats or is out of range).
 */
export function applyLedgerUpdate(
  base: readonly Evidence[],
  length: number,
  indices: readonly number[],
  inserted: readonly Evidence[],
): Evidence[] | undefined {
  if (indices.length !== inserted.length || base.length + inserted.length !== length) return undefined;
  const out = new Array<Evidence>(length);
  const taken = new Uint8Array(length);
  for (let k = 0; k < indices.length; k += 1) {
    const at = indices[k] as number;
    if (!Number.isInteger(at) || at < 0 || at >= length || taken[at] === 1) return undefined;
    taken[at] = 1;
    out[at] = inserted[k] as Evidence;
  }
  let b = 0;
  for (let i = 0; i < length; i += 1) {
    if (taken[i] === 1) continue;
    out[i] = base[b] as Evidence;
    b += 1;
  }
  return b === base.length ? out : undefined;
}
