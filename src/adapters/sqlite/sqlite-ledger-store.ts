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
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/canonical-json.ts';
import type { IsoDate } from '../../core/dates.ts';
import { isIsoDate } from '../../core/dates.ts';
import type { Evidence } from '../../core/evidence.ts';
import type { AppendResult, LedgerConflict, LedgerStore } from '../../ports/ledger-store.ts';
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

/** Conflict reasons (the wording is shown to analysts). */
export const CONFLICT_REASONS = {
  storedDifferent: 'stored with different content; record a correction as a new entry that supersedes it',
  batchDifferent: 'appears more than once in the batch with different content',
  unknownSupersedes: (target: string) => `supersedes "${target}", which is not an entry of this case (stored or in this batch)`,
  supersessionCycle: (cycle: readonly string[]) => `supersessions form a cycle: ${cycle.join(' → ')}`,
} as const;

// --- The store -----------------------------------------------------------------------------

interface NewEntry {
  readonly entry: Evidence;
  readonly content: string;
}

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
  const countAll = db.prepare('SELECT count(*) FROM evidence WHERE case_id = ?').pluck();
  const highWaterAll = db.prepare('SELECT count(*) AS count, max(recorded) AS lastRecorded FROM evidence WHERE case_id = ?');
  const highWaterRecordedBy = db.prepare(
    'SELECT count(*) AS count, max(recorded) AS lastRecorded FROM evidence WHERE case_id = ? AND recorded <= ?',
  );

  const isStored = (caseId: string, id: string): boolean => selectContent.get(caseId, id) !== undefined;

  /**
   * Checks the whole batch before writing anything, so a refused batch writes nothing.
   * Run in an immediate transaction: the write lock is taken before the reads, so what was
   * checked is what the rows are written against, even with other processes appending.
   */
  const appendInTransaction = (caseId: string, batch: readonly Evidence[]): AppendResult => {
    const conflicts: LedgerConflict[] = [];
    const fresh = new Map<string, NewEntry>();
    let unchanged = 0;
    for (const entry of batch) {
      const content = canonicalJson(entry);
      const stored = selectContent.get(caseId, entry.id) as string | undefined;
      if (stored !== undefined) {
        if (stored === content) unchanged += 1;
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
    conflicts.push(...checkSupersedes(fresh, (id) => isStored(caseId, id)));
    if (conflicts.length > 0) return { ok: false, conflicts };

    // Read inside the write lock, so no other writer can take these numbers meanwhile.
    let seq = Number(selectLastSeq.get());
    for (const { entry, content } of fresh.values()) {
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
    return { ok: true, added: fresh.size, unchanged };
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
function hashContent(canonical: string): string {
  return `sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
}

function checkDate(date: IsoDate): IsoDate {
  // Dates compare as strings; a malformed one would silently select the wrong entries.
  if (!isIsoDate(date)) throw new RangeError(`recordedBy "${date}" is not a date of the form YYYY-MM-DD`);
  return date;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Freezes a parsed JSON value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
