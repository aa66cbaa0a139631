/**
 * The evidence ledger port. Implemented by SQLite (the embedded default) and, later,
 * PostgreSQL; every implementation passes `test/ledger-store.contract.ts`.
 *
 * Promises:
 * - Append-only: an entry, once stored, is never changed or removed. Corrections are new
 *   entries that supersede older ones.
 * - `append` is atomic: either every entry of the batch is stored or none is.
 * - Idempotent: appending an entry identical (same canonical content) to a stored one adds
 *   nothing and is counted as `unchanged`. An entry whose id is stored with different
 *   content is a conflict, and the whole batch is refused.
 * - A `supersedes` reference must name an entry of the same case, stored or in the batch.
 * - `entries` returns the case's entries recorded on or before `recordedBy` (all if not
 *   given), ordered by id, as plain frozen values.
 *
 * A `LedgerReader` is the reading half, for callers that must not write (`proviso validate`
 * comparing a folder with a ledger): it promises the same `entries` and never changes the
 * store, its files included.
 */
import type { IsoDate } from '../core/dates.ts';
import type { Evidence } from '../core/evidence.ts';

export interface LedgerConflict {
  readonly id: string;
  readonly reason: string;
}

export type AppendResult =
  | { readonly ok: true; readonly added: number; readonly unchanged: number }
  | { readonly ok: false; readonly conflicts: readonly LedgerConflict[] };

export interface LedgerStore {
  append(caseId: string, entries: readonly Evidence[]): Promise<AppendResult>;
  entries(caseId: string, options?: { readonly recordedBy?: IsoDate }): Promise<Evidence[]>;
  count(caseId: string): Promise<number>;
  close(): Promise<void>;
}

/** The reading half of the port: opening and reading it writes nothing. */
export type LedgerReader = Pick<LedgerStore, 'entries' | 'close'>;
