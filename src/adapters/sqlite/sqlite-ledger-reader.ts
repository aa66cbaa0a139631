/**
 * Reading a SQLite ledger file without writing to it or beside it: for `proviso validate`,
 * which compares a case folder with the ledger and must leave the store folder as it was.
 *
 * Contracts:
 * - Nothing is created, changed or removed: no migration runs, and no `-wal`/`-shm` file is
 *   made. (SQLite makes both when it opens a WAL database, even read-only, unless they
 *   exist.) When the file has no `-wal` beside it, every committed entry is in the file
 *   itself, which is read into memory and queried there. When a `-wal` exists (a process
 *   has the ledger open, or one stopped without closing it), the file is opened read-only
 *   in place: a reader then only uses the existing `-shm`, as every reader does.
 * - `entries` returns what `SqliteLedgerStore.entries` returns for the same file.
 * - A file written by a newer schema is refused, as opening it for writing would be.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { IsoDate } from '../../core/dates.ts';
import type { Evidence } from '../../core/evidence.ts';
import type { LedgerReader } from '../../ports/ledger-store.ts';
import { checkDate, compareIds, deepFreeze } from '../ledger-rules.ts';
import { BUSY_TIMEOUT_MS, SQLITE_SCHEMA_VERSION, type SqliteConnection } from './sqlite-database.ts';

/** Bytes 18 and 19 of a SQLite file: the write and read format versions, 2 for WAL, 1 for a rollback journal. */
const FORMAT_VERSION_OFFSETS = [18, 19] as const;

/**
 * Opens the ledger at `path` for reading, or returns undefined when there is no such file.
 * The caller closes the reader.
 */
export async function openSqliteLedgerReaderIfPresent(path: string): Promise<LedgerReader | undefined> {
  const file = resolve(path);
  if (!existsSync(file)) return undefined;
  let db: SqliteConnection;
  if (existsSync(`${file}-wal`)) {
    db = new Database(file, { readonly: true, fileMustExist: true }) as unknown as SqliteConnection;
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } else {
    const bytes = await readFile(file);
    if (bytes.length === 0) return emptyReader();
    // An in-memory copy cannot be opened in WAL mode; as a rollback-journal database it
    // reads the same pages.
    for (const at of FORMAT_VERSION_OFFSETS) if (bytes[at] === 2) bytes[at] = 1;
    try {
      db = new Database(bytes, { readonly: true }) as unknown as SqliteConnection;
    } catch (err) {
      throw new Error(`${file}: cannot be read as a Proviso ledger (${(err as Error).message})`);
    }
  }
  try {
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > SQLITE_SCHEMA_VERSION) {
      throw new Error(
        `ledger ${file} has schema version ${version}, newer than this version of Proviso supports (${SQLITE_SCHEMA_VERSION}); upgrade Proviso`,
      );
    }
    const hasEvidence = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'evidence'").get() !== undefined;
    if (!hasEvidence) {
      db.close();
      return emptyReader();
    }
  } catch (err) {
    db.close();
    throw err;
  }
  const selectAll = db.prepare('SELECT content FROM evidence WHERE case_id = ? ORDER BY id').pluck();
  const selectRecordedBy = db.prepare('SELECT content FROM evidence WHERE case_id = ? AND recorded <= ? ORDER BY id').pluck();
  const readEntries = (caseId: string, recordedBy: IsoDate | undefined): Evidence[] => {
    const rows = (
      recordedBy === undefined ? selectAll.all(caseId) : selectRecordedBy.all(caseId, checkDate(recordedBy))
    ) as string[];
    return rows.map((content) => deepFreeze(JSON.parse(content) as Evidence)).sort((a, b) => compareIds(a.id, b.id));
  };
  return {
    async entries(caseId, options) {
      return readEntries(caseId, options?.recordedBy);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

function emptyReader(): LedgerReader {
  return {
    async entries() {
      return [];
    },
    async close() {},
  };
}
