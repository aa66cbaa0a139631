/**
 * The evidence ledger on SQLite (better-sqlite3): the embedded default `LedgerStore`.
 *
 * Contracts, beyond those of the port (`src/ports/ledger-store.ts`):
 * - Append-only is enforced by the database itself, not only by this adapter: triggers
 *   refuse every UPDATE and DELETE of `evidence`, and every INSERT that would replace a
 *   stored row (`INSERT OR REPLACE` deletes without firing delete triggers), whatever
 *   connection issues them.
 * - A stored `supersedes` names an entry of the same case: checked here (to report a
 *   conflict) and again by a deferred foreign key (checked at commit).
 * - `content` is the canonical JSON of the entry and is what `entries` returns, parsed;
 *   the other columns are copies for indexing. `content_hash` is `digestOf(entry)`.
 * - `seq` numbers rows in insertion order across all cases; it is never reused, since
 *   rows are never deleted.
 * - The schema version is `PRAGMA user_version`; opening runs the pending migrations of the
 *   whole file (the team tables of `proviso serve` included: `sqlite-database.ts`) and
 *   refuses a database written by a newer schema.
 *
 * better-sqlite3 is synchronous; the port's methods are async so that a networked store
 * (PostgreSQL) can implement the same port. Nothing of better-sqlite3 leaves the SQLite
 * adapters.
 */
import type { IsoDate } from '../../core/dates.ts';
import type { Evidence } from '../../core/evidence.ts';
import type { AppendResult, LedgerStore } from '../../ports/ledger-store.ts';
import { checkBatch, checkDate, compareIds, deepFreeze, hashContent, idsToLookUp } from '../ledger-rules.ts';
import { openSqliteDatabase, SQLITE_SCHEMA_VERSION, type SqliteConnection } from './sqlite-database.ts';

export { APPEND_ONLY_MESSAGE } from './sqlite-database.ts';

/**
 * The schema version this code writes and reads (`PRAGMA user_version`): that of the whole
 * database file, which holds the team tables of `proviso serve` too (`sqlite-database.ts`).
 */
export const LEDGER_SCHEMA_VERSION = SQLITE_SCHEMA_VERSION;

/** What a view of the ledger holds: how many entries, and the latest `recorded` date among them. */
export interface LedgerHighWater {
  readonly count: number;
  /** Absent when the view is empty. */
  readonly lastRecorded?: IsoDate;
}

export interface SqliteLedgerStore extends LedgerStore {
  /** Size and latest recording date of the case's ledger, or of its view as of `recordedBy`. */
  ledgerHighWater(caseId: string, options?: { readonly recordedBy?: IsoDate }): Promise<LedgerHighWater>;
}

export { CONFLICT_REASONS } from '../ledger-rules.ts';

// --- The store -----------------------------------------------------------------------------

/**
 * Opens (creating if need be) the ledger database at `path`; `:memory:` gives a private
 * in-memory ledger. Parent directories are created. The caller closes the store.
 */
export function openSqliteLedgerStore(path: string): SqliteLedgerStore {
  return createSqliteLedger(openSqliteDatabase(path)).store;
}

/** The ledger on an open connection; for the SQLite adapters only. */
export interface SqliteLedger {
  /** The store; its `close` closes the connection. */
  readonly store: SqliteLedgerStore;
  /**
   * `append` without its transaction, for a caller that writes more in the same one
   * (`sqlite-team-store.ts`: evidence and its audit record). Must run inside an immediate
   * transaction: the checks read what the writes are made against.
   */
  readonly appendInTransaction: (caseId: string, batch: readonly Evidence[]) => AppendResult;
}

/** Builds the ledger on a connection set up by `openSqliteDatabase`. */
export function createSqliteLedger(db: SqliteConnection): SqliteLedger {
  const selectContent = db.prepare('SELECT content FROM evidence WHERE case_id = ? AND id = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO evidence (case_id, id, seq, recorded, reported, occurred, kind, supersedes, content, content_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectLastSeq = db.prepare('SELECT coalesce(max(seq), 0) FROM evidence').pluck();
  const selectAll = db.prepare('SELECT content FROM evidence WHERE case_id = ? ORDER BY id').pluck();
  const selectRecordedBy = db.prepare('SELECT content FROM evidence WHERE case_id = ? AND recorded <= ? ORDER BY id').pluck();
  // Kept by a trigger (migration 3): no scan of the case's entries.
  const countAll = db.prepare('SELECT coalesce((SELECT count FROM evidence_case_counts WHERE case_id = ?), 0)').pluck();
  const highWaterAll = db.prepare('SELECT count(*) AS count, max(recorded) AS lastRecorded FROM evidence WHERE case_id = ?');
  const highWaterRecordedBy = db.prepare(
    'SELECT count(*) AS count, max(recorded) AS lastRecorded FROM evidence WHERE case_id = ? AND recorded <= ?',
  );

  /**
   * Checks the whole batch before writing anything, so a refused batch writes nothing.
   * Run in an immediate transaction: the write lock is taken before the reads, so what was
   * checked is what the rows are written against, even with other processes appending.
   */
  const appendInTransaction = (caseId: string, batch: readonly Evidence[]): AppendResult => {
    const stored = new Map<string, string>();
    for (const id of idsToLookUp(batch)) {
      const content = selectContent.get(caseId, id) as string | undefined;
      if (content !== undefined) stored.set(id, content);
    }
    const checked = checkBatch(batch, stored);
    if (!checked.ok) return { ok: false, conflicts: [...checked.conflicts] };

    // Read inside the write lock, so no other writer can take these numbers meanwhile.
    let seq = Number(selectLastSeq.get());
    for (const { entry, content } of checked.fresh) {
      seq += 1;
      insert.run(
        caseId,
        entry.id,
        seq,
        entry.recorded,
        entry.reported,
        entry.occurred,
        entry.kind,
        entry.supersedes ?? null,
        content,
        hashContent(content),
      );
    }
    return { ok: true, added: checked.fresh.length, unchanged: checked.unchanged };
  };
  const appendBatch = db.transaction(appendInTransaction);

  const readEntries = (caseId: string, recordedBy: IsoDate | undefined): Evidence[] => {
    const rows = (
      recordedBy === undefined ? selectAll.all(caseId) : selectRecordedBy.all(caseId, checkDate(recordedBy))
    ) as string[];
    const entries = rows.map((content) => deepFreeze(JSON.parse(content) as Evidence));
    // SQLite orders text by UTF-8 bytes; the core orders ids by UTF-16 code units (`<`).
    // They differ only past U+FFFF, and the rows arrive nearly sorted, so this is cheap.
    return entries.sort((a, b) => compareIds(a.id, b.id));
  };

  const store: SqliteLedgerStore = {
    async append(caseId, entries) {
      return appendBatch.immediate(caseId, entries);
    },
    async entries(caseId, options) {
      return readEntries(caseId, options?.recordedBy);
    },
    async count(caseId) {
      return Number(countAll.get(caseId));
    },
    async ledgerHighWater(caseId, options) {
      const recordedBy = options?.recordedBy;
      const row = (
        recordedBy === undefined ? highWaterAll.get(caseId) : highWaterRecordedBy.get(caseId, checkDate(recordedBy))
      ) as { count: number; lastRecorded: string | null };
      return row.lastRecorded === null
        ? { count: Number(row.count) }
        : { count: Number(row.count), lastRecorded: row.lastRecorded };
    },
    async close() {
      if (db.open) db.close();
    },
  };
  return { store, appendInTransaction };
}
