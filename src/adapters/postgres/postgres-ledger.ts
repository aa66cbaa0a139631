/**
 * The evidence ledger on PostgreSQL: the same `LedgerStore` as on SQLite, checked by the
 * same contract (`test/ledger-store.contract.ts`), with the same conflict reasons
 * (`../ledger-rules.ts`).
 *
 * Contracts, beyond those of the port (`src/ports/ledger-store.ts`):
 * - `content` is the canonical JSON of the entry and is what `entries` returns, parsed and
 *   deeply frozen; the other columns are copies for indexing (see `postgres-schema.ts`).
 *   `content_hash` is `digestOf(entry)`.
 * - A stored `supersedes` names an entry of the same case: checked here (to report a
 *   conflict) and again by a deferred foreign key (checked at commit).
 * - Appends to one case are serialised by `pg_advisory_xact_lock(LOCK_SPACE.caseAppend,
 *   hash of the case id)`, taken as the first statement of the append's transaction and
 *   held until it ends. Appends to different cases run in parallel (two cases whose hashes
 *   collide merely wait for each other).
 *
 * Why an advisory lock rather than SERIALIZABLE with retries: an append reads the stored
 *   content of its ids, decides, then writes. Under SERIALIZABLE, concurrent appends to
 *   one case (a busy import, a double-clicked form) fail with serialization errors and
 *   must be retried, each retry redoing the work, with no bound on how often; identical
 *   concurrent batches would also race on the primary key. The lock makes them queue
 *   instead: the second append takes its snapshot (READ COMMITTED: a new one per
 *   statement) after the first has committed, so it sees the first's entries and counts
 *   them unchanged or reports a conflict exactly as a later call would. Each transaction
 *   takes at most this one case lock, and then (for an audited append) the audit
 *   numbering lock, always in that order, so they cannot deadlock.
 * - `seq` numbers rows in the order they were inserted (commit order within a case); it
 *   is never reused. It is not exposed by the port.
 */
import { createHash } from 'node:crypto';
import type { IsoDate } from '../../core/dates.ts';
import type { Evidence } from '../../core/evidence.ts';
import type { AppendResult, LedgerStore } from '../../ports/ledger-store.ts';
import { checkBatch, checkDate, compareIds, deepFreeze, hashContent, idsToLookUp } from '../ledger-rules.ts';
import type { PgPool, PgQueryable } from './pg-pool.ts';
import { fromStoredKey, LOCK_SPACE, storedKey } from './postgres-schema.ts';

/** The second key of a case's append lock: the first 32 bits of SHA-256 of its id. */
export function caseLockKey(caseId: string): number {
  return createHash('sha256').update(caseId, 'utf8').digest().readInt32BE(0);
}

/**
 * Appends a batch inside the caller's transaction `tx`: takes the case's lock, checks the
 * batch against what is stored, and inserts the new entries. On a conflict nothing is
 * written (the caller may still commit).
 */
export async function appendInTransaction(tx: PgQueryable, caseId: string, batch: readonly Evidence[]): Promise<AppendResult> {
  if (batch.length === 0) return { ok: true, added: 0, unchanged: 0 };
  const caseKey = storedKey(caseId);
  await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE.caseAppend, caseLockKey(caseId)]);

  const stored = new Map<string, string>();
  const found = await tx.query('SELECT id, content FROM evidence WHERE case_id = $1 AND id = ANY($2::text[])', [
    caseKey,
    idsToLookUp(batch).map(storedKey),
  ]);
  for (const row of found.rows) stored.set(fromStoredKey(String(row.id)), String(row.content));

  const check = checkBatch(batch, stored);
  if (!check.ok) return { ok: false, conflicts: check.conflicts };
  if (check.fresh.length > 0) {
    const column = (pick: (entry: Evidence) => string | undefined): (string | null)[] =>
      check.fresh.map(({ entry }) => {
        const value = pick(entry);
        return value === undefined ? null : storedKey(value);
      });
    await tx.query(
      `INSERT INTO evidence (case_id, id, recorded, reported, occurred, kind, supersedes, content, content_hash)
       SELECT $1, u.id, u.recorded, u.reported, u.occurred, u.kind, u.supersedes, u.content, u.content_hash
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
         WITH ORDINALITY AS u (id, recorded, reported, occurred, kind, supersedes, content, content_hash, n)
       ORDER BY u.n`,
      [
        caseKey,
        column((e) => e.id),
        column((e) => e.recorded),
        column((e) => e.reported),
        column((e) => e.occurred),
        column((e) => e.kind),
        column((e) => e.supersedes),
        check.fresh.map((f) => f.content),
        check.fresh.map((f) => hashContent(f.content)),
      ],
    );
  }
  return { ok: true, added: check.fresh.length, unchanged: check.unchanged };
}

/**
 * The ledger over `pool`. `append` runs `appendInTransaction` in a transaction of its own;
 * `close` is the owner's (the team store's: closing the ledger closes the store).
 */
export function createPostgresLedger(
  pool: PgPool,
  inTransaction: <T>(work: (tx: PgQueryable) => Promise<T>) => Promise<T>,
  close: () => Promise<void>,
): LedgerStore {
  const readEntries = async (caseId: string, recordedBy: IsoDate | undefined): Promise<Evidence[]> => {
    const result =
      recordedBy === undefined
        ? await pool.query('SELECT content FROM evidence WHERE case_id = $1 ORDER BY id', [storedKey(caseId)])
        : await pool.query('SELECT content FROM evidence WHERE case_id = $1 AND recorded <= $2 ORDER BY id', [
            storedKey(caseId),
            checkDate(recordedBy),
          ]);
    const entries = result.rows.map((row) => deepFreeze(JSON.parse(String(row.content)) as Evidence));
    // "C" orders by UTF-8 bytes; the core orders ids by UTF-16 code units (`<`). They
    // differ only past U+FFFF (and for escaped ids), and the rows arrive nearly sorted.
    return entries.sort((a, b) => compareIds(a.id, b.id));
  };

  return {
    append: (caseId, entries) => inTransaction((tx) => appendInTransaction(tx, caseId, entries)),
    entries: (caseId, options) => readEntries(caseId, options?.recordedBy),
    async count(caseId) {
      const result = await pool.query('SELECT count FROM evidence_case_counts WHERE case_id = $1', [storedKey(caseId)]);
      return Number(result.rows[0]?.count ?? 0);
    },
    close,
  };
}
