/**
 * The PostgreSQL schema of the team store and its ledger: versioned migrations, and how
 * values are written into text columns.
 *
 * Contracts:
 * - `proviso_schema` lists the migrations applied (one row per version). Opening runs the
 *   pending ones, all in one transaction, under an advisory lock, so two servers starting
 *   on a new database do not both migrate it; a database whose version is newer than this
 *   code's is refused with a message that says so, and nothing is changed.
 * - A released migration is never edited: a schema change is a new entry at the end.
 * - Append-only is enforced by the database, for any connection: statement-level triggers
 *   refuse every UPDATE, DELETE (even of no rows), MERGE that would update or delete, and
 *   TRUNCATE of `evidence`, `audit` and `alerts` (SQLSTATE 23001, `restrict_violation`).
 *   Only the tables' owner or a superuser can get around them (by disabling triggers); a
 *   deployment that wants more grants the application role SELECT and INSERT only.
 * - `evidence_case_counts` holds each case's number of entries, kept by a trigger on
 *   every INSERT into `evidence` (whatever connection issues it), so counting is a key
 *   look-up.
 * - Text columns that index evidence and cases (`case_id`, `id`, `supersedes`, dates,
 *   kind) hold `storedKey(value)`: PostgreSQL text cannot hold U+0000, which ids may
 *   contain. They use the "C" collation (byte order, as SQLite compares text). What is read
 *   back is the canonical JSON in `content`, never these copies.
 */
import { APPEND_ONLY_MESSAGE } from '../ledger-rules.ts';
import { type PgPool, transaction } from './pg-pool.ts';

/** Advisory lock key spaces (the first key of `pg_advisory_xact_lock(int, int)`). */
export const LOCK_SPACE = {
  /** Second key: a hash of the case id. Held by every append to that case. */
  caseAppend: 0x50525630, // "PRV0"
  /** Second key: `SEQUENCE_LOCK`. Held while numbering audit records or alerts. */
  sequence: 0x50525631,
  /** Second key: 0. Held while migrating. */
  migration: 0x50525632,
} as const;

export const SEQUENCE_LOCK = { audit: 1, alerts: 2 } as const;

/** Messages of the triggers that keep the history tables append-only. */
export const APPEND_ONLY_MESSAGES = {
  evidence: APPEND_ONLY_MESSAGE,
  audit: 'the audit log is append-only: records are never changed or removed',
  alerts: 'alerts are append-only: records are never changed or removed',
} as const;

interface Migration {
  /** The schema version after this migration; migrations are listed in increasing order. */
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * Migrations, applied in order up to `TEAM_SCHEMA_VERSION`. Timestamps are the callers'
 * ISO 8601 strings, kept as text so that they read back exactly as written.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'evidence ledger, users, tokens, sessions, audit log, alerts, webhooks',
    sql: `
      CREATE FUNCTION proviso_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'restrict_violation';
      END $$;

      CREATE TABLE evidence (
        case_id      text COLLATE "C" NOT NULL,
        id           text COLLATE "C" NOT NULL,
        seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        recorded     text COLLATE "C" NOT NULL,
        reported     text COLLATE "C" NOT NULL,
        occurred     text COLLATE "C" NOT NULL,
        kind         text COLLATE "C" NOT NULL,
        supersedes   text COLLATE "C",
        content      text NOT NULL,
        content_hash text NOT NULL,
        PRIMARY KEY (case_id, id),
        -- Deferred: a batch may list a correction before the entry it corrects.
        FOREIGN KEY (case_id, supersedes) REFERENCES evidence (case_id, id) DEFERRABLE INITIALLY DEFERRED
      );
      CREATE INDEX evidence_case_recorded ON evidence (case_id, recorded);
      CREATE INDEX evidence_case_supersedes ON evidence (case_id, supersedes);
      CREATE TRIGGER evidence_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON evidence
        FOR EACH STATEMENT EXECUTE FUNCTION proviso_refuse_change(${literal(APPEND_ONLY_MESSAGES.evidence)});

      CREATE TABLE evidence_case_counts (
        case_id text COLLATE "C" PRIMARY KEY,
        count   bigint NOT NULL
      );
      CREATE FUNCTION proviso_count_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO evidence_case_counts AS c (case_id, count)
          SELECT case_id, count(*) FROM inserted GROUP BY case_id ORDER BY case_id
          ON CONFLICT (case_id) DO UPDATE SET count = c.count + excluded.count;
        RETURN NULL;
      END $$;
      CREATE TRIGGER evidence_count AFTER INSERT ON evidence
        REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION proviso_count_evidence();

      CREATE TABLE users (
        id            text COLLATE "C" PRIMARY KEY,
        name          text COLLATE "C" NOT NULL UNIQUE,
        role          text NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
        password_hash text NOT NULL,
        created       text NOT NULL
      );

      CREATE TABLE api_tokens (
        id         text COLLATE "C" PRIMARY KEY,
        user_id    text COLLATE "C" NOT NULL REFERENCES users (id),
        name       text NOT NULL,
        token_hash text COLLATE "C" NOT NULL UNIQUE,
        created    text NOT NULL,
        revoked    text
      );
      CREATE INDEX api_tokens_user ON api_tokens (user_id);

      CREATE TABLE sessions (
        id_hash    text COLLATE "C" PRIMARY KEY,
        user_id    text COLLATE "C" NOT NULL REFERENCES users (id),
        csrf_token text NOT NULL,
        created    text NOT NULL,
        expires    text COLLATE "C" NOT NULL
      );
      CREATE INDEX sessions_user ON sessions (user_id);

      CREATE TABLE audit (
        seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        actor      text NOT NULL,
        action     text COLLATE "C" NOT NULL,
        at         text NOT NULL,
        case_id    text COLLATE "C",
        ids        text NOT NULL, -- JSON array of strings
        supersedes text NOT NULL, -- JSON array of strings
        detail     text NOT NULL  -- JSON object
      );
      CREATE INDEX audit_case ON audit (case_id, seq);
      CREATE INDEX audit_action ON audit (action, seq);
      CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
        FOR EACH STATEMENT EXECUTE FUNCTION proviso_refuse_change(${literal(APPEND_ONLY_MESSAGES.audit)});

      CREATE TABLE alerts (
        seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id      text COLLATE "C" NOT NULL,
        kind         text NOT NULL,
        subject      text NOT NULL,
        from_status  text NOT NULL,
        to_status    text NOT NULL,
        as_of        text NOT NULL,
        evidence_ids text NOT NULL, -- JSON array of strings
        actor        text NOT NULL,
        at           text NOT NULL
      );
      CREATE INDEX alerts_case ON alerts (case_id, seq);
      CREATE TRIGGER alerts_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON alerts
        FOR EACH STATEMENT EXECUTE FUNCTION proviso_refuse_change(${literal(APPEND_ONLY_MESSAGES.alerts)});

      CREATE TABLE webhooks (
        id      text COLLATE "C" PRIMARY KEY,
        url     text NOT NULL,
        secret  text NOT NULL,
        created text NOT NULL
      );

      CREATE TABLE webhook_deliveries (
        seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alert_seq  bigint NOT NULL,
        webhook_id text COLLATE "C" NOT NULL,
        attempt    integer NOT NULL,
        at         text NOT NULL,
        status     integer NOT NULL,
        ok         boolean NOT NULL,
        error      text
      );
      CREATE INDEX webhook_deliveries_alert ON webhook_deliveries (alert_seq, seq);
    `,
  },
];

/** The schema version this code writes and reads. */
export const TEAM_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** Opening a database written by a newer version of Proviso (see the module comment). */
export class NewerSchemaError extends Error {
  override readonly name = 'NewerSchemaError';
}

/** Brings the schema up to date (see the module comment); `location` is for messages. */
export async function migrate(pool: PgPool, location: string): Promise<void> {
  await transaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_SPACE.migration]);
    const exists = await tx.query("SELECT to_regclass('proviso_schema') IS NOT NULL AS exists");
    if (exists.rows[0]?.exists !== true) {
      await tx.query('CREATE TABLE proviso_schema (version integer PRIMARY KEY, description text NOT NULL)');
    }
    const read = await tx.query('SELECT coalesce(max(version), 0) AS version FROM proviso_schema');
    const current = Number(read.rows[0]?.version ?? 0);
    if (current > TEAM_SCHEMA_VERSION) {
      throw new NewerSchemaError(
        `PostgreSQL database ${location} has Proviso schema version ${current}, newer than this version of ` +
          `Proviso supports (${TEAM_SCHEMA_VERSION}); upgrade Proviso`,
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await tx.query(m.sql);
      await tx.query('INSERT INTO proviso_schema (version, description) VALUES ($1, $2)', [m.version, m.description]);
    }
  });
}

/**
 * How an id, case id or date is written into an indexed text column: backslash and U+0000
 * escaped (`\\`, `\0`), every other character as is. One-to-one, so equality is kept.
 */
export function storedKey(value: string): string {
  return value.includes('\\') || value.includes('\0') ? value.replace(/[\\\0]/g, (c) => (c === '\\' ? '\\\\' : '\\0')) : value;
}

/** The inverse of `storedKey`. */
export function fromStoredKey(stored: string): string {
  return stored.includes('\\') ? stored.replace(/\\([\\0])/g, (_, c: string) => (c === '0' ? '\0' : '\\')) : stored;
}
