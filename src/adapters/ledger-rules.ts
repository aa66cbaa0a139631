/**
 * The ledger's batch rules, independent of any database: which entries of a batch are new,
 * which are unchanged, and which conflicts refuse it. Both ledger adapters (SQLite and
 * PostgreSQL) use these, so they refuse the same batches with the same words.
 *
 * Contracts:
 * - `checkBatch` is pure: given the batch and the stored content of the ids it names, it
 *   returns either every conflict (in the order SQLite reports them) or the new entries in
 *   order of first appearance with their canonical JSON, and the count of unchanged ones.
 * - Content is compared as canonical JSON text (`src/core/canonical-json.ts`), so field
 *   order and absent optional fields do not matter.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical-json.ts';
import type { IsoDate } from '../core/dates.ts';
import { isIsoDate } from '../core/dates.ts';
import type { Evidence } from '../core/evidence.ts';
import { compareText } from '../core/order.ts';
import type { LedgerConflict } from '../ports/ledger-store.ts';

/** Message of the database rules (triggers) that keep the ledger append-only. */
export const APPEND_ONLY_MESSAGE = 'evidence is append-only: corrections are new entries that supersede';

/** Conflict reasons (the wording is shown to analysts). */
export const CONFLICT_REASONS = {
  storedDifferent: 'stored with different content; record a correction as a new entry that supersedes it',
  batchDifferent: 'appears more than once in the batch with different content',
  unknownSupersedes: (target: string) => `supersedes "${target}", which is not an entry of this case (stored or in this batch)`,
  supersessionCycle: (cycle: readonly string[]) => `supersessions form a cycle: ${cycle.join(' → ')}`,
} as const;

export interface NewEntry {
  readonly entry: Evidence;
  /** `canonicalJson(entry)`: what is stored and compared. */
  readonly content: string;
}

export type BatchCheck =
  | { readonly ok: true; readonly fresh: readonly NewEntry[]; readonly unchanged: number }
  | { readonly ok: false; readonly conflicts: readonly LedgerConflict[] };

/** Every id a batch's check needs to look up: the entries' own and those they supersede. */
export function idsToLookUp(batch: readonly Evidence[]): string[] {
  const ids = new Set<string>();
  for (const entry of batch) {
    ids.add(entry.id);
    if (entry.supersedes !== undefined) ids.add(entry.supersedes);
  }
  return [...ids];
}

/**
 * Checks a batch against the stored entries of its case. `stored` maps an id to its stored
 * canonical content and must hold every id of `idsToLookUp(batch)` that is stored.
 */
export function checkBatch(batch: readonly Evidence[], stored: ReadonlyMap<string, string>): BatchCheck {
  const conflicts: LedgerConflict[] = [];
  const fresh = new Map<string, NewEntry>();
  let unchanged = 0;
  for (const entry of batch) {
    const content = canonicalJson(entry);
    const storedContent = stored.get(entry.id);
    if (storedContent !== undefined) {
      if (storedContent === content) unchanged += 1;
      else conflicts.push({ id: entry.id, reason: CONFLICT_REASONS.storedDifferent });
      continue;
    }
    const earlier = fresh.get(entry.id);
    if (earlier !== undefined) {
      if (earlier.content === content) unchanged += 1;
      else conflicts.push({ id: entry.id, reason: CONFLICT_REASONS.batchDifferent });
      continue;
    }
    fresh.set(entry.id, { entry, content });
  }
  conflicts.push(...checkSupersedes(fresh, (id) => stored.has(id)));
  return conflicts.length > 0 ? { ok: false, conflicts } : { ok: true, fresh: [...fresh.values()], unchanged };
}

/**
 * Supersedes references of the new entries of a batch: each must name an entry of the
 * case, stored or new in the batch, and no chain of new entries may loop back on itself
 * (an entry superseding itself included). Stored entries cannot be on such a loop: when
 * stored, they could only name entries that already existed.
 */
function checkSupersedes(fresh: ReadonlyMap<string, NewEntry>, isStored: (id: string) => boolean): LedgerConflict[] {
  const conflicts: LedgerConflict[] = [];
  for (const { entry } of fresh.values()) {
    const target = entry.supersedes;
    if (target !== undefined && !fresh.has(target) && !isStored(target)) {
      conflicts.push({ id: entry.id, reason: CONFLICT_REASONS.unknownSupersedes(target) });
    }
  }
  // Each entry supersedes at most one: follow each chain once, marking where it has been.
  const state = new Map<string, 'walking' | 'done'>();
  for (const start of fresh.keys()) {
    const path: string[] = [];
    let id: string | undefined = start;
    while (id !== undefined && fresh.has(id) && !state.has(id)) {
      state.set(id, 'walking');
      path.push(id);
      id = fresh.get(id)?.entry.supersedes;
    }
    if (id !== undefined && state.get(id) === 'walking') {
      const cycle = path.slice(path.indexOf(id));
      for (const member of cycle) {
        conflicts.push({ id: member, reason: CONFLICT_REASONS.supersessionCycle([...cycle, cycle[0] ?? member]) });
      }
    }
    for (const visited of path) state.set(visited, 'done');
  }
  return conflicts;
}

/** Same value as `digestOf(entry)` (src/core/digest.ts), hashing the text already made. */
export function hashContent(canonical: string): string {
  return `sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
}

/** Dates compare as strings; a malformed one would silently select the wrong entries. */
export function checkDate(date: IsoDate): IsoDate {
  if (!isIsoDate(date)) throw new RangeError(`recordedBy "${date}" is not a date of the form YYYY-MM-DD`);
  return date;
}

/** The core's id order: UTF-16 code units, as `<` compares strings. */
export const compareIds: (a: string, b: string) => number = compareText;

/** Entries read back are frozen like those loaded from case files: one implementation for both. */
export { deepFreeze } from './case-files/deep-freeze.ts';
