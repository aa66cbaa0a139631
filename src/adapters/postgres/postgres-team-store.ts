/**
 * The team store on PostgreSQL (`pg` pool): the multi-user `TeamStore`, its evidence
 * ledger in the same database. Passes `test/team-store.contract.ts` and, through
 * `ledger`, `test/ledger-store.contract.ts`.
 *
 * Contracts, beyond those of the port (`src/ports/team-store.ts`):
 * - Opening creates or upgrades the schema (`postgres-schema.ts`) and refuses a database
 *   written by a newer version of Proviso. `location` is the URL without its password.
 * - `appendEvidence` runs the ledger append (`postgres-ledger.ts`: serialised per case by
 *   an advisory lock) and the insertion of its audit record in one transaction. The audit
 *   record's `detail` is the caller's with `added` and `unchanged` set from the result,
 *   and its `caseId` is the case appended to.
 * - Audit records and alerts are numbered while holding a transaction-scoped advisory
 *   lock per table (`LOCK_SPACE.sequence`) that is kept until commit, so `seq` order is
 *   commit order: a reader that has seen record n will never later find a new record
 *   below n (what `afterSeq` polling needs). Numbers of rolled-back transactions are
 *   skipped, never reused.
 * - Lists come back in the SQLite store's order: users by name; tokens and webhooks by
 *   creation time, then id; deliveries, audit records and alerts by `seq`.
 * - As on SQLite, timestamps must be of the form `2026-11-28T12:00:00.000Z` (session
 *   expiry compares them as text), roles and alert kinds must be in their closed sets, and
 *   `afterSeq` and `limit` whole numbers ≥ 0: anything else is a RangeError (a bug in the
 *   caller). The store never reads the clock; timestamps are returned as written.
 * - Every method may be called concurrently; each takes a pooled connection for the
 *   duration of one statement or one transaction. `close` ends the pool (idempotent); the
 *   ledger's `close` is the same. Calls after closing reject.
 */
import type { Evidence } from '../../core/evidence.ts';
import type { AppendResult, LedgerStore } from '../../ports/ledger-store.ts';
import type {
  AlertKind,
  AlertRecord,
  ApiToken,
  AuditInput,
  AuditRecord,
  DeliveryRecord,
  EvidenceWrite,
  Role,
  Session,
  StoredUser,
  TeamStore,
  User,
  Webhook,
} from '../../ports/team-store.ts';
import { deepFreeze } from '../ledger-rules.ts';
import { alertRowValues, auditRowValues, checkAlertKind, checkCount, checkRole, checkTimestamp } from '../team-input-checks.ts';
import { createPool, type PgPool, type PgQueryable, transaction } from './pg-pool.ts';
import { appendInTransaction, createPostgresLedger } from './postgres-ledger.ts';
import { fromStoredKey, LOCK_SPACE, migrate, NewerSchemaError, SEQUENCE_LOCK, storedKey } from './postgres-schema.ts';

export { CONFLICT_REASONS } from '../ledger-rules.ts';
export { APPEND_ONLY_MESSAGES, NewerSchemaError, TEAM_SCHEMA_VERSION } from './postgres-schema.ts';

export interface PostgresStoreOptions {
  /** Most connections the pool holds at once (default 10). */
  readonly maxConnections?: number;
  /** How long a call waits for a free connection or a new one, in ms (default 10 000). */
  readonly connectTimeoutMs?: number;
  /** How long an unused connection stays open, in ms (default 10 000). */
  readonly idleTimeoutMs?: number;
  /**
   * Told when an idle pooled connection fails (e.g. the server restarted); the pool drops
   * it and opens a new one when needed. Default: ignored.
   */
  readonly onConnectionError?: (error: Error) => void;
}

/** `url` without its password (in the user part or a `password` parameter), for messages. */
export function describePostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('the PostgreSQL URL is not a URL; expected postgres://user:password@host:port/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`the PostgreSQL URL starts with "${parsed.protocol}"; expected postgres://user:password@host:port/database`);
  }
  parsed.password = '';
  if (parsed.searchParams.has('password')) parsed.searchParams.delete('password');
  return parsed.toString();
}

/** A connection failure in words: a refused connection to `localhost` is an AggregateError with no message of its own. */
function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    return error.errors.map(describeError).join('; ') || 'connection failed';
  }
  if (error instanceof Error) return error.message || String((error as { code?: unknown }).code ?? error.name);
  return String(error);
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Opens the team store in the PostgreSQL database at `url` (`postgres://user:password@
 * host:port/database`), creating or upgrading its schema. The caller closes the store.
 */
export async function openPostgresTeamStore(url: string, options: PostgresStoreOptions = {}): Promise<TeamStore> {
  const location = describePostgresUrl(url);
  const pool = createPool({
    connectionString: url,
    max: positiveInteger('maxConnections', options.maxConnections, 10),
    connectionTimeoutMillis: positiveInteger('connectTimeoutMs', options.connectTimeoutMs, 10_000),
    idleTimeoutMillis: positiveInteger('idleTimeoutMs', options.idleTimeoutMs, 10_000),
    application_name: 'proviso',
  });
  const onConnectionError = options.onConnectionError;
  pool.on('error', (error) => onConnectionError?.(error));
  try {
    await migrate(pool, location);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof NewerSchemaError) throw error;
    throw new Error(`cannot open the PostgreSQL store at ${location}: ${describeError(error)}`, { cause: error });
  }
  return createTeamStore(pool, location);
}

/** Opens only the evidence ledger of the store at `url` (the schema is the team store's). */
export async function openPostgresLedgerStore(url: string, options: PostgresStoreOptions = {}): Promise<LedgerStore> {
  return (await openPostgresTeamStore(url, options)).ledger;
}

// --- Rows to values ------------------------------------------------------------------------

type Row = Readonly<Record<string, unknown>>;

const text = (row: Row, column: string): string => String(row[column]);
const optionalText = (row: Row, column: string): string | undefined => {
  const value = row[column];
  return value === null || value === undefined ? undefined : String(value);
};
const parseJson = <T>(row: Row, column: string): T => JSON.parse(text(row, column)) as T;

function userOf(row: Row, prefix = ''): User {
  return {
    id: text(row, `${prefix}id`),
    name: text(row, `${prefix}name`),
    role: text(row, `${prefix}role`) as Role,
    created: text(row, `${prefix}created`),
  };
}

function storedUserOf(row: Row): StoredUser {
  return { ...userOf(row), passwordHash: text(row, 'password_hash') };
}

function tokenOf(row: Row): ApiToken {
  const revoked = optionalText(row, 'revoked');
  const token = { id: text(row, 'id'), userId: text(row, 'user_id'), name: text(row, 'name'), created: text(row, 'created') };
  return revoked === undefined ? token : { ...token, revoked };
}

function auditOf(row: Row): AuditRecord {
  const caseId = optionalText(row, 'case_id');
  return deepFreeze({
    seq: Number(row.seq),
    actor: text(row, 'actor'),
    action: text(row, 'action'),
    at: text(row, 'at'),
    caseId: caseId === undefined ? null : fromStoredKey(caseId),
    ids: parseJson<string[]>(row, 'ids'),
    supersedes: parseJson<string[]>(row, 'supersedes'),
    detail: parseJson<Record<string, unknown>>(row, 'detail'),
  });
}

function alertOf(row: Row): AlertRecord {
  return deepFreeze({
    seq: Number(row.seq),
    caseId: fromStoredKey(text(row, 'case_id')),
    kind: text(row, 'kind') as AlertKind,
    subject: text(row, 'subject'),
    from: text(row, 'from_status'),
    to: text(row, 'to_status'),
    asOf: text(row, 'as_of'),
    evidenceIds: parseJson<string[]>(row, 'evidence_ids'),
    actor: text(row, 'actor'),
    at: text(row, 'at'),
  });
}

function deliveryOf(row: Row): DeliveryRecord {
  const error = optionalText(row, 'error');
  const delivery = {
    alertSeq: Number(row.alert_seq),
    webhookId: text(row, 'webhook_id'),
    attempt: Number(row.attempt),
    at: text(row, 'at'),
    status: Number(row.status),
    ok: row.ok === true,
  };
  return error === undefined ? delivery : { ...delivery, error };
}

// --- Queries (input checks: ../team-input-checks.ts, shared with SQLite) -------------------

/** Filters shared by the audit log and alerts: a WHERE clause, its values, and a LIMIT. */
function pageQuery(
  conditions: readonly (readonly [column: string, value: unknown])[],
  afterSeq: number | undefined,
  limit: number | undefined,
): { where: string; values: unknown[]; limit: string } {
  const clauses: string[] = [];
  const values: unknown[] = [];
  for (const [column, value] of conditions) {
    values.push(value);
    clauses.push(`${column} = $${values.length}`);
  }
  checkCount(afterSeq, 'afterSeq');
  checkCount(limit, 'limit');
  if (afterSeq !== undefined) {
    values.push(afterSeq);
    clauses.push(`seq > $${values.length}`);
  }
  let limitClause = '';
  if (limit !== undefined) {
    values.push(limit);
    limitClause = ` LIMIT $${values.length}`;
  }
  return { where: clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`, values, limit: limitClause };
}

// --- The store -----------------------------------------------------------------------------

function createTeamStore(pool: PgPool, location: string): TeamStore {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= pool.end();
    return closing;
  };
  const inTransaction = <T>(work: (tx: PgQueryable) => Promise<T>): Promise<T> => transaction(pool, work);
  const ledger = createPostgresLedger(pool, inTransaction, close);

  /** Inserts an audit record inside `tx`, numbered under the audit lock (held to commit). */
  const insertAudit = async (tx: PgQueryable, audit: AuditInput): Promise<AuditRecord> => {
    await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE.sequence, SEQUENCE_LOCK.audit]);
    const result = await tx.query(
      `INSERT INTO audit (actor, action, at, case_id, ids, supersedes, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      auditRowValues(audit, storedKey),
    );
    const row = result.rows[0];
    if (row === undefined) throw new Error('INSERT … RETURNING gave no row');
    return auditOf(row);
  };

  return {
    ledger,
    location,

    async appendEvidence(caseId: string, entries: readonly Evidence[], audit: AuditInput): Promise<AppendResult> {
      checkTimestamp(audit.at, 'audit.at');
      return inTransaction(async (tx) => {
        const result = await appendInTransaction(tx, caseId, entries);
        // Refused: nothing was written, so committing the transaction is rolling it back.
        if (!result.ok) return result;
        await insertAudit(tx, {
          ...audit,
          caseId,
          detail: { ...audit.detail, added: result.added, unchanged: result.unchanged },
        });
        return result;
      });
    },

    async appendEvidenceGroup(caseId: string, writes: readonly EvidenceWrite[]): Promise<AppendResult[]> {
      for (const w of writes) checkTimestamp(w.audit.at, 'audit.at');
      return inTransaction(async (tx) => {
        const results: AppendResult[] = [];
        // A refused write inserts nothing (the ledger checks before it inserts), so the others stand.
        for (const w of writes) {
          const result = await appendInTransaction(tx, caseId, w.entries);
          if (result.ok) {
            await insertAudit(tx, {
              ...w.audit,
              caseId,
              detail: { ...w.audit.detail, added: result.added, unchanged: result.unchanged },
            });
          }
          results.push(result);
        }
        return results;
      });
    },

    async createUser(user) {
      checkRole(user.role);
      checkTimestamp(user.created, 'user.created');
      const result = await pool.query(
        `INSERT INTO users (id, name, role, password_hash, created) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING RETURNING id, name, role, created`,
        [user.id, user.name, user.role, user.passwordHash, user.created],
      );
      const row = result.rows[0];
      return row === undefined ? { ok: false, reason: 'exists' } : { ok: true, value: userOf(row) };
    },

    async findUserByName(name) {
      const result = await pool.query('SELECT * FROM users WHERE name = $1', [name]);
      const row = result.rows[0];
      return row === undefined ? undefined : storedUserOf(row);
    },

    async findUserById(id) {
      const result = await pool.query('SELECT * FROM users WHERE id = $1', [id]);
      const row = result.rows[0];
      return row === undefined ? undefined : storedUserOf(row);
    },

    async listUsers() {
      const result = await pool.query('SELECT id, name, role, created FROM users ORDER BY name');
      return result.rows.map((row) => userOf(row));
    },

    async createToken(token) {
      checkTimestamp(token.created, 'token.created');
      const result = await pool.query(
        `INSERT INTO api_tokens (id, user_id, name, token_hash, created) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, user_id, name, created, revoked`,
        [token.id, token.userId, token.name, token.tokenHash, token.created],
      );
      const row = result.rows[0];
      if (row === undefined) throw new Error('INSERT … RETURNING gave no row');
      return tokenOf(row);
    },

    async findToken(tokenHash) {
      const result = await pool.query(
        `SELECT t.id, t.user_id, t.name, t.created, t.revoked,
                u.id AS user_id_, u.name AS user_name, u.role AS user_role, u.created AS user_created
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.revoked IS NULL`,
        [tokenHash],
      );
      const row = result.rows[0];
      if (row === undefined) return undefined;
      const user: User = {
        id: text(row, 'user_id_'),
        name: text(row, 'user_name'),
        role: text(row, 'user_role') as Role,
        created: text(row, 'user_created'),
      };
      return { token: tokenOf(row), user };
    },

    async listTokens(userId) {
      const result = await pool.query(
        'SELECT id, user_id, name, created, revoked FROM api_tokens WHERE user_id = $1 ORDER BY created, id',
        [userId],
      );
      return result.rows.map(tokenOf);
    },

    async revokeToken(id, at) {
      checkTimestamp(at, 'revoked at');
      const result = await pool.query('UPDATE api_tokens SET revoked = $2 WHERE id = $1 AND revoked IS NULL', [id, at]);
      return (result.rowCount ?? 0) > 0;
    },

    async createSession(session) {
      checkTimestamp(session.created, 'session.created');
      checkTimestamp(session.expires, 'session.expires');
      await pool.query('INSERT INTO sessions (id_hash, user_id, csrf_token, created, expires) VALUES ($1, $2, $3, $4, $5)', [
        session.idHash,
        session.userId,
        session.csrfToken,
        session.created,
        session.expires,
      ]);
    },

    async findSession(idHash, now) {
      checkTimestamp(now, 'now');
      const result = await pool.query(
        `SELECT s.user_id AS session_user_id, s.csrf_token, s.created AS session_created, s.expires,
                u.id, u.name, u.role, u.created
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id_hash = $1 AND s.expires > $2`,
        [idHash, now],
      );
      const row = result.rows[0];
      if (row === undefined) return undefined;
      const session: Session = {
        userId: text(row, 'session_user_id'),
        csrfToken: text(row, 'csrf_token'),
        created: text(row, 'session_created'),
        expires: text(row, 'expires'),
      };
      return { session, user: userOf(row) };
    },

    async deleteSession(idHash) {
      await pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    },

    async deleteExpiredSessions(now) {
      checkTimestamp(now, 'now');
      // A scan, not an index: once expired rows are purged, the table holds live sessions only.
      const result = await pool.query('DELETE FROM sessions WHERE expires <= $1', [now]);
      return result.rowCount ?? 0;
    },

    async recordAudit(audit) {
      checkTimestamp(audit.at, 'audit.at');
      return inTransaction((tx) => insertAudit(tx, audit));
    },

    async audit(filter = {}) {
      const conditions: [string, unknown][] = [];
      if (filter.caseId !== undefined) conditions.push(['case_id', storedKey(filter.caseId)]);
      if (filter.action !== undefined) conditions.push(['action', filter.action]);
      const page = pageQuery(conditions, filter.afterSeq, filter.limit);
      const result = await pool.query(`SELECT * FROM audit${page.where} ORDER BY seq${page.limit}`, page.values);
      return result.rows.map(auditOf);
    },

    async recordAlerts(alerts) {
      for (const alert of alerts) {
        checkAlertKind(alert.kind);
        checkTimestamp(alert.at, 'alert.at');
      }
      if (alerts.length === 0) return [];
      return inTransaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE.sequence, SEQUENCE_LOCK.alerts]);
        const recorded: AlertRecord[] = [];
        for (const alert of alerts) {
          const result = await tx.query(
            `INSERT INTO alerts (case_id, kind, subject, from_status, to_status, as_of, evidence_ids, actor, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
            alertRowValues(alert, storedKey),
          );
          const row = result.rows[0];
          if (row === undefined) throw new Error('INSERT … RETURNING gave no row');
          recorded.push(alertOf(row));
        }
        return recorded;
      });
    },

    async alerts(filter = {}) {
      const conditions: [string, unknown][] = [];
      if (filter.caseId !== undefined) conditions.push(['case_id', storedKey(filter.caseId)]);
      const page = pageQuery(conditions, filter.afterSeq, filter.limit);
      const result = await pool.query(`SELECT * FROM alerts${page.where} ORDER BY seq${page.limit}`, page.values);
      return result.rows.map(alertOf);
    },

    async addWebhook(webhook) {
      checkTimestamp(webhook.created, 'webhook.created');
      await pool.query('INSERT INTO webhooks (id, url, secret, created) VALUES ($1, $2, $3, $4)', [
        webhook.id,
        webhook.url,
        webhook.secret,
        webhook.created,
      ]);
    },

    async webhooks() {
      const result = await pool.query('SELECT id, url, secret, created FROM webhooks ORDER BY created, id');
      return result.rows.map(
        (row): Webhook => ({
          id: text(row, 'id'),
          url: text(row, 'url'),
          secret: text(row, 'secret'),
          created: text(row, 'created'),
        }),
      );
    },

    async removeWebhook(id) {
      const result = await pool.query('DELETE FROM webhooks WHERE id = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    },

    async recordDelivery(delivery) {
      checkTimestamp(delivery.at, 'delivery.at');
      await pool.query(
        `INSERT INTO webhook_deliveries (alert_seq, webhook_id, attempt, at, status, ok, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          delivery.alertSeq,
          delivery.webhookId,
          delivery.attempt,
          delivery.at,
          delivery.status,
          delivery.ok,
          delivery.error ?? null,
        ],
      );
    },

    async deliveries(alertSeq) {
      const result =
        alertSeq === undefined
          ? await pool.query('SELECT * FROM webhook_deliveries ORDER BY seq')
          : await pool.query('SELECT * FROM webhook_deliveries WHERE alert_seq = $1 ORDER BY seq', [alertSeq]);
      return result.rows.map(deliveryOf);
    },

    close,
  };
}
