/**
 * The one SQLite database file Proviso keeps (`<store>/ledger.sqlite`): the evidence ledger
 * and, beside it, the team tables of `proviso serve` (users, tokens, sessions, audit log,
 * alerts, webhooks, deliveries). Both stores open it through `openSqliteDatabase`, so
 * opening the file with either runs every pending migration, and the CLI and a server
 * see one ledger.
 *
 * Contracts:
 * - The schema version is `PRAGMA user_version`; opening runs the pending migrations in
 *   one immediate transaction (two processes opening a new file at once do not both
 *   migrate it) and refuses a database written by a newer schema.
 * - A released migration is never edited: a schema change is a new entry at the end of
 *   `MIGRATIONS`. A file of any earlier version upgrades in place, keeping its data.
 * - Append-only tables (evidence, audit log, alerts) are guarded by triggers that refuse
 *   UPDATE, DELETE and any INSERT over a stored key (`INSERT OR REPLACE` deletes without
 *   firing delete triggers), whatever connection issues them.
 * - Every connection waits up to `BUSY_TIMEOUT_MS` for another process's write lock
 *   rather than failing at once, and uses WAL, so a CLI and a server can share the file.
 *
 * Nothing of better-sqlite3 leaves the SQLite adapters: they use the slice described here.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { APPEND_ONLY_MESSAGE } from '../ledger-rules.ts';

// --- The slice of better-sqlite3 the SQLite adapters use -----------------------------------

export interface SqliteRunResult {
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

export interface SqliteStatement {
  run(...params: unknown[]): SqliteRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** Makes `get`/`all` return the first column's value instead of a row object. */
  pluck(toggle?: boolean): SqliteStatement;
}

export interface SqliteTransaction<A extends unknown[], R> {
  /** Runs in `BEGIN … COMMIT` (a savepoint inside an open transaction); rolls back if it throws. */
  (...args: A): R;
  /** Runs in `BEGIN IMMEDIATE … COMMIT`: the write lock is taken before the first read. */
  immediate(...args: A): R;
}

export interface SqliteConnection {
  readonly open: boolean;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(sql: string, options?: { readonly simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): SqliteTransaction<A, R>;
  close(): unknown;
}

/** How long a connection waits for another process's write lock before failing. */
export const BUSY_TIMEOUT_MS = 5000;

/** Message of the triggers that keep the ledger append-only (shared with PostgreSQL). */
export { APPEND_ONLY_MESSAGE };

/** Message of the triggers that keep the audit log append-only. */
export const AUDIT_APPEND_ONLY_MESSAGE = 'the audit log is append-only: records are never changed or removed';

/** Message of the triggers that keep the alerts append-only. */
export const ALERTS_APPEND_ONLY_MESSAGE = 'alerts are append-only: records are never changed or removed';

// --- Schema ---------------------------------------------------------------------------------

interface Migration {
  /** The `user_version` after this migration; migrations are listed in increasing order. */
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/** Triggers refusing UPDATE, DELETE and INSERT-over-a-stored-key on a table keyed by `seq`. */
function appendOnlyBySeq(table: string, message: string): string {
  return `
      CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${message}'); END;
      CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${message}'); END;
      CREATE TRIGGER ${table}_no_replace BEFORE INSERT ON ${table}
      WHEN EXISTS (SELECT 1 FROM ${table} WHERE seq = NEW.seq)
      BEGIN SELECT RAISE(ABORT, '${message}'); END;`;
}

/**
 * Migrations, applied in order to bring `user_version` up to `SQLITE_SCHEMA_VERSION`.
 * A released migration is never edited: a schema change is a new entry at the end.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'evidence table, indexes, append-only triggers',
    sql: `
      CREATE TABLE evidence (
        case_id      TEXT    NOT NULL,
        id           TEXT    NOT NULL,
        seq          INTEGER NOT NULL UNIQUE,
        recorded     TEXT    NOT NULL,
        reported     TEXT    NOT NULL,
        occurred     TEXT    NOT NULL,
        kind         TEXT    NOT NULL,
        supersedes   TEXT,
        content      TEXT    NOT NULL,
        content_hash TEXT    NOT NULL,
        PRIMARY KEY (case_id, id),
        -- Deferred: a batch may list a correction before the entry it corrects.
        FOREIGN KEY (case_id, supersedes) REFERENCES evidence (case_id, id) DEFERRABLE INITIALLY DEFERRED
      ) STRICT;
      CREATE INDEX evidence_case_recorded ON evidence (case_id, recorded);
      CREATE INDEX evidence_case_supersedes ON evidence (case_id, supersedes);
      CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
      BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}'); END;
      CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
      BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}'); END;
      -- REPLACE deletes the old row without firing delete triggers (unless recursive
      -- triggers are on), so refuse any insert over a stored key before it happens.
      CREATE TRIGGER evidence_no_replace BEFORE INSERT ON evidence
      WHEN EXISTS (SELECT 1 FROM evidence WHERE case_id = NEW.case_id AND id = NEW.id)
      BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}'); END;
    `,
  },
  {
    version: 2,
    description: 'team tables: users, API tokens, sessions, audit log, alerts, webhooks, deliveries',
    // Closed sets (roles, alert kinds) are checked by the store, not by CHECK constraints,
    // so that widening one needs no rebuild of an append-only table.
    // AUTOINCREMENT: a seq is never reused, even past a rolled-back insert.
    sql: `
      CREATE TABLE users (
        id            TEXT NOT NULL PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE,
        role          TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created       TEXT NOT NULL
      ) STRICT;
      CREATE TABLE api_tokens (
        id         TEXT NOT NULL PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users (id),
        name       TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created    TEXT NOT NULL,
        revoked    TEXT
      ) STRICT;
      CREATE INDEX api_tokens_user ON api_tokens (user_id);
      CREATE TABLE sessions (
        id_hash    TEXT NOT NULL PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users (id),
        csrf_token TEXT NOT NULL,
        created    TEXT NOT NULL,
        expires    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE TABLE audit_log (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        actor      TEXT NOT NULL,
        action     TEXT NOT NULL,
        at         TEXT NOT NULL,
        case_id    TEXT,
        ids        TEXT NOT NULL, -- JSON array of strings
        supersedes TEXT NOT NULL, -- JSON array of strings
        detail     TEXT NOT NULL  -- JSON object
      ) STRICT;
      CREATE INDEX audit_log_case ON audit_log (case_id, seq);
      CREATE INDEX audit_log_action ON audit_log (action, seq);
      ${appendOnlyBySeq('audit_log', AUDIT_APPEND_ONLY_MESSAGE)}
      CREATE TABLE alerts (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id      TEXT NOT NULL,
        kind         TEXT NOT NULL,
        subject      TEXT NOT NULL,
        from_state   TEXT NOT NULL,
        to_state     TEXT NOT NULL,
        as_of        TEXT NOT NULL,
        evidence_ids TEXT NOT NULL, -- JSON array of strings
        actor        TEXT NOT NULL,
        at           TEXT NOT NULL
      ) STRICT;
      CREATE INDEX alerts_case ON alerts (case_id, seq);
      ${appendOnlyBySeq('alerts', ALERTS_APPEND_ONLY_MESSAGE)}
      CREATE TABLE webhooks (
        id      TEXT NOT NULL PRIMARY KEY,
        url     TEXT NOT NULL,
        secret  TEXT NOT NULL,
        created TEXT NOT NULL
      ) STRICT;
      -- No foreign key to webhooks: delivery records outlive the webhook they were sent to.
      CREATE TABLE webhook_deliveries (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_seq  INTEGER NOT NULL REFERENCES alerts (seq),
        webhook_id TEXT    NOT NULL,
        attempt    INTEGER NOT NULL,
        at         TEXT    NOT NULL,
        status     INTEGER NOT NULL,
        ok         INTEGER NOT NULL CHECK (ok IN (0, 1)),
        error      TEXT
      ) STRICT;
      CREATE INDEX webhook_deliveries_alert ON webhook_deliveries (alert_seq, seq);
    `,
  },
  {
    version: 3,
    description: 'evidence counts per case, kept by a trigger (a cheap size check for every read)',
    // The ledger is append-only, so inserts are the only change to count. Rows already
    // stored are counted once, here.
    sql: `
      CREATE TABLE evidence_case_counts (
        case_id TEXT    NOT NULL PRIMARY KEY,
        count   INTEGER NOT NULL
      ) STRICT;
      INSERT INTO evidence_case_counts (case_id, count) SELECT case_id, count(*) FROM evidence GROUP BY case_id;
      CREATE TRIGGER evidence_count AFTER INSERT ON evidence
      BEGIN
        INSERT INTO evidence_case_counts (case_id, count) VALUES (NEW.case_id, 1)
          ON CONFLICT (case_id) DO UPDATE SET count = count + 1;
      END;
    `,
  },
];

/** The schema version this code writes and reads (`PRAGMA user_version`). */
export const SQLITE_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/**
 * Brings the schema up to date. Runs in one immediate transaction and reads the version
 * inside it, so two processes opening a new file at once do not both migrate it.
 */
function migrate(db: SqliteConnection, path: string): void {
  db.transaction(() => {
    const current = Number(db.pragma('user_version', { simple: true }));
    if (current > SQLITE_SCHEMA_VERSION) {
      throw new Error(
        `ledger ${path} has schema version ${current}, newer than this version of Proviso supports ` +
          `(${SQLITE_SCHEMA_VERSION}); upgrade Proviso`,
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

/** True for `:memory:` (and the empty path, a private temporary database). */
export function isInMemoryPath(path: string): boolean {
  return path === ':memory:' || path === '';
}

/**
 * Opens (creating if need be, parent directories included) the database at `path`, sets
 * the connection up and runs the pending migrations. The caller closes the connection.
 */
export function openSqliteDatabase(path: string): SqliteConnection {
  if (!isInMemoryPath(path)) mkdirSync(dirname(resolve(path)), { recursive: true });
  const db: SqliteConnection = new Database(path);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL: readers do not block the writer nor the writer readers. (In memory: ignored.)
    db.pragma('journal_mode = WAL');
    // Per connection, off by default in SQLite; needed for the supersedes foreign key.
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
