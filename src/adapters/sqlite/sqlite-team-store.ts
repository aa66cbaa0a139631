/**
 * The team store on SQLite (better-sqlite3): the single-user default of `proviso serve`,
 * in the same database file as the evidence ledger (`sqlite-database.ts` holds the schema).
 *
 * Contracts, beyond those of the port (`src/ports/team-store.ts`) and of its contract
 * suite (`test/team-store.contract.ts`):
 * - `appendEvidence` is one immediate SQLite transaction covering the evidence rows and the
 *   audit record; the record's detail is the caller's plus `added` and `unchanged`, and its
 *   `caseId` is the case appended to.
 * - The audit log and the alerts are append-only in the database itself: triggers refuse
 *   UPDATE, DELETE and INSERT OR REPLACE from any connection. Their `seq` is an
 *   AUTOINCREMENT key: increasing, never reused.
 * - `ledger` shares this store's connection: closing either closes both.
 * - Timestamps must be of the form `2026-11-28T12:00:00.000Z` (what `Date#toISOString`
 *   writes), since session expiry compares them as text; any other form is a RangeError.
 *   The store never reads the clock.
 * - Roles and alert kinds outside their closed sets are a RangeError (a bug in the caller).
 *
 * better-sqlite3 is synchronous, so calls from concurrent requests run one after another
 * on the connection; another process (the CLI) waits for the write lock (busy timeout).
 */
import { resolve } from 'node:path';
import type { Evidence } from '../../core/evidence.ts';
import type { AppendResult } from '../../ports/ledger-store.ts';
import type {
  AlertInput,
  AlertRecord,
  ApiToken,
  AuditFilter,
  AuditInput,
  AuditRecord,
  CreateResult,
  DeliveryInput,
  DeliveryRecord,
  EvidenceWrite,
  NewSession,
  NewToken,
  NewUser,
  Role,
  Session,
  StoredUser,
  TeamStore,
  User,
  Webhook,
} from '../../ports/team-store.ts';
import { alertRowValues, auditRowValues, checkAlertKind, checkCount, checkRole, checkTimestamp } from '../team-input-checks.ts';
import { isInMemoryPath, openSqliteDatabase, type SqliteConnection, type SqliteStatement } from './sqlite-database.ts';
import { createSqliteLedger, type SqliteLedgerStore } from './sqlite-ledger-store.ts';

export interface SqliteTeamStore extends TeamStore {
  /** The ledger in the same file, with the SQLite extras (`ledgerHighWater`). */
  readonly ledger: SqliteLedgerStore;
}

/**
 * Opens (creating if need be, parent directories included) the database at `path` — the
 * ledger's file, `<store>/ledger.sqlite` — and runs the pending migrations. `:memory:`
 * gives a private in-memory store. The caller closes the store.
 */
export function openSqliteTeamStore(path: string): SqliteTeamStore {
  const db = openSqliteDatabase(path);
  try {
    return createTeamStore(db, isInMemoryPath(path) ? ':memory:' : resolve(path));
  } catch (error) {
    db.close();
    throw error;
  }
}

// --- Rows -----------------------------------------------------------------------------------

interface UserRow {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly password_hash: string;
  readonly created: string;
}

interface TokenRow {
  readonly id: string;
  readonly user_id: string;
  readonly name: string;
  readonly created: string;
  readonly revoked: string | null;
}

interface TokenWithUserRow extends TokenRow {
  readonly user_name: string;
  readonly user_role: string;
  readonly user_created: string;
}

interface SessionWithUserRow {
  readonly user_id: string;
  readonly csrf_token: string;
  readonly created: string;
  readonly expires: string;
  readonly user_name: string;
  readonly user_role: string;
  readonly user_created: string;
}

interface AuditRow {
  readonly seq: number;
  readonly actor: string;
  readonly action: string;
  readonly at: string;
  readonly case_id: string | null;
  readonly ids: string;
  readonly supersedes: string;
  readonly detail: string;
}

interface AlertRow {
  readonly seq: number;
  readonly case_id: string;
  readonly kind: string;
  readonly subject: string;
  readonly from_state: string;
  readonly to_state: string;
  readonly as_of: string;
  readonly evidence_ids: string;
  readonly actor: string;
  readonly at: string;
}

interface DeliveryRow {
  readonly alert_seq: number;
  readonly webhook_id: string;
  readonly attempt: number;
  readonly at: string;
  readonly status: number;
  readonly ok: number;
  readonly error: string | null;
}

const toUser = (id: string, name: string, role: string, created: string): User => ({
  id,
  name,
  role: role as Role,
  created,
});

const toStoredUser = (row: UserRow): StoredUser => ({
  ...toUser(row.id, row.name, row.role, row.created),
  passwordHash: row.password_hash,
});

const toToken = (row: TokenRow): ApiToken => {
  const token = { id: row.id, userId: row.user_id, name: row.name, created: row.created };
  return row.revoked === null ? token : { ...token, revoked: row.revoked };
};

const toAudit = (row: AuditRow): AuditRecord => ({
  seq: Number(row.seq),
  actor: row.actor,
  action: row.action,
  at: row.at,
  caseId: row.case_id,
  ids: JSON.parse(row.ids) as string[],
  supersedes: JSON.parse(row.supersedes) as string[],
  detail: JSON.parse(row.detail) as Record<string, unknown>,
});

const toAlert = (row: AlertRow): AlertRecord => ({
  seq: Number(row.seq),
  caseId: row.case_id,
  kind: row.kind as AlertRecord['kind'],
  subject: row.subject,
  from: row.from_state,
  to: row.to_state,
  asOf: row.as_of,
  evidenceIds: JSON.parse(row.evidence_ids) as string[],
  actor: row.actor,
  at: row.at,
});

const toDelivery = (row: DeliveryRow): DeliveryRecord => {
  const delivery = {
    alertSeq: Number(row.alert_seq),
    webhookId: row.webhook_id,
    attempt: Number(row.attempt),
    at: row.at,
    status: Number(row.status),
    ok: row.ok === 1,
  };
  return row.error === null ? delivery : { ...delivery, error: row.error };
};

// --- Errors (input checks: ../team-input-checks.ts, shared with PostgreSQL) -------------------

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

// --- The store ------------------------------------------------------------------------------

function createTeamStore(db: SqliteConnection, location: string): SqliteTeamStore {
  const ledger = createSqliteLedger(db);

  const insertUser = db.prepare('INSERT INTO users (id, name, role, password_hash, created) VALUES (?, ?, ?, ?, ?)');
  const selectUserByName = db.prepare('SELECT * FROM users WHERE name = ?');
  const selectUserById = db.prepare('SELECT * FROM users WHERE id = ?');
  const selectUsers = db.prepare('SELECT id, name, role, created FROM users ORDER BY name');

  const insertToken = db.prepare('INSERT INTO api_tokens (id, user_id, name, token_hash, created) VALUES (?, ?, ?, ?, ?)');
  const selectToken = db.prepare(
    `SELECT t.id, t.user_id, t.name, t.created, t.revoked,
            u.name AS user_name, u.role AS user_role, u.created AS user_created
     FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ? AND t.revoked IS NULL`,
  );
  const selectTokens = db.prepare(
    'SELECT id, user_id, name, created, revoked FROM api_tokens WHERE user_id = ? ORDER BY created, id',
  );
  const revoke = db.prepare('UPDATE api_tokens SET revoked = ? WHERE id = ? AND revoked IS NULL');

  const insertSession = db.prepare(
    'INSERT INTO sessions (id_hash, user_id, csrf_token, created, expires) VALUES (?, ?, ?, ?, ?)',
  );
  const selectSession = db.prepare(
    `SELECT s.user_id, s.csrf_token, s.created, s.expires,
            u.name AS user_name, u.role AS user_role, u.created AS user_created
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id_hash = ? AND ? < s.expires`,
  );
  const removeSession = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  // A scan, not an index: once expired rows are purged, the table holds live sessions only.
  const removeExpiredSessions = db.prepare('DELETE FROM sessions WHERE expires <= ?');

  const insertAudit = db.prepare(
    `INSERT INTO audit_log (actor, action, at, case_id, ids, supersedes, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );

  const insertAlert = db.prepare(
    `INSERT INTO alerts (case_id, kind, subject, from_state, to_state, as_of, evidence_ids, actor, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );

  const insertWebhook = db.prepare('INSERT INTO webhooks (id, url, secret, created) VALUES (?, ?, ?, ?)');
  const selectWebhooks = db.prepare('SELECT id, url, secret, created FROM webhooks ORDER BY created, id');
  const deleteWebhook = db.prepare('DELETE FROM webhooks WHERE id = ?');

  const insertDelivery = db.prepare(
    `INSERT INTO webhook_deliveries (alert_seq, webhook_id, attempt, at, status, ok, error)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectDeliveries = db.prepare('SELECT * FROM webhook_deliveries ORDER BY seq');
  const selectDeliveriesOf = db.prepare('SELECT * FROM webhook_deliveries WHERE alert_seq = ? ORDER BY seq');

  /**
   * Rows of a table keyed by `seq` meeting every condition (SQL with one `?`, and its
   * value), oldest first, at most `limit`. Statements are prepared once per combination.
   */
  const filtered = new Map<string, SqliteStatement>();
  const selectFiltered = (table: string, where: readonly [string, unknown][], limit: number | undefined): unknown[] => {
    const conditions = where.length === 0 ? '' : ` WHERE ${where.map(([condition]) => condition).join(' AND ')}`;
    const sql = `SELECT * FROM ${table}${conditions} ORDER BY seq${limit === undefined ? '' : ' LIMIT ?'}`;
    let statement = filtered.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      filtered.set(sql, statement);
    }
    const params = where.map(([, value]) => value);
    return limit === undefined ? statement.all(...params) : statement.all(...params, limit);
  };

  /** Writes one audit record; the caller has checked `at`. */
  const writeAudit = (audit: AuditInput): AuditRecord => toAudit(insertAudit.get(...auditRowValues(audit)) as AuditRow);

  const appendAudited = db.transaction((caseId: string, entries: readonly Evidence[], audit: AuditInput): AppendResult => {
    const result = ledger.appendInTransaction(caseId, entries);
    if (result.ok) {
      writeAudit({
        ...audit,
        caseId,
        detail: { ...audit.detail, added: result.added, unchanged: result.unchanged },
      });
    }
    return result;
  });

  // Each write a savepoint inside one transaction: a refused write leaves nothing of itself.
  const appendGroup = db.transaction((caseId: string, writes: readonly EvidenceWrite[]): AppendResult[] =>
    writes.map((w) => appendAudited(caseId, w.entries, w.audit)),
  );

  const writeAlerts = db.transaction((alerts: readonly AlertInput[]): AlertRecord[] =>
    alerts.map((alert) => toAlert(insertAlert.get(...alertRowValues(alert)) as AlertRow)),
  );

  return {
    ledger: ledger.store,
    location,

    async appendEvidence(caseId, entries, audit) {
      checkTimestamp(audit.at, 'audit.at');
      return appendAudited.immediate(caseId, entries, audit);
    },
    async appendEvidenceGroup(caseId, writes) {
      for (const w of writes) checkTimestamp(w.audit.at, 'audit.at');
      return appendGroup.immediate(caseId, writes);
    },

    async createUser(user: NewUser): Promise<CreateResult<User>> {
      checkRole(user.role);
      checkTimestamp(user.created, 'user.created');
      try {
        insertUser.run(user.id, user.name, user.role, user.passwordHash, user.created);
      } catch (error) {
        if (isUniqueViolation(error)) return { ok: false, reason: 'exists' };
        throw error;
      }
      return { ok: true, value: toUser(user.id, user.name, user.role, user.created) };
    },
    async findUserByName(name) {
      const row = selectUserByName.get(name) as UserRow | undefined;
      return row === undefined ? undefined : toStoredUser(row);
    },
    async findUserById(id) {
      const row = selectUserById.get(id) as UserRow | undefined;
      return row === undefined ? undefined : toStoredUser(row);
    },
    async listUsers() {
      return (selectUsers.all() as UserRow[]).map((row) => toUser(row.id, row.name, row.role, row.created));
    },

    async createToken(token: NewToken) {
      checkTimestamp(token.created, 'token.created');
      insertToken.run(token.id, token.userId, token.name, token.tokenHash, token.created);
      return { id: token.id, userId: token.userId, name: token.name, created: token.created };
    },
    async findToken(tokenHash) {
      const row = selectToken.get(tokenHash) as TokenWithUserRow | undefined;
      if (row === undefined) return undefined;
      return { token: toToken(row), user: toUser(row.user_id, row.user_name, row.user_role, row.user_created) };
    },
    async listTokens(userId) {
      return (selectTokens.all(userId) as TokenRow[]).map(toToken);
    },
    async revokeToken(id, at) {
      checkTimestamp(at, 'revoked at');
      return revoke.run(at, id).changes === 1;
    },

    async createSession(session: NewSession) {
      checkTimestamp(session.created, 'session.created');
      checkTimestamp(session.expires, 'session.expires');
      insertSession.run(session.idHash, session.userId, session.csrfToken, session.created, session.expires);
    },
    async findSession(idHash, now) {
      const row = selectSession.get(idHash, checkTimestamp(now, 'now')) as SessionWithUserRow | undefined;
      if (row === undefined) return undefined;
      const session: Session = { userId: row.user_id, csrfToken: row.csrf_token, created: row.created, expires: row.expires };
      return { session, user: toUser(row.user_id, row.user_name, row.user_role, row.user_created) };
    },
    async deleteSession(idHash) {
      removeSession.run(idHash);
    },
    async deleteExpiredSessions(now) {
      return removeExpiredSessions.run(checkTimestamp(now, 'now')).changes;
    },

    async recordAudit(audit) {
      checkTimestamp(audit.at, 'audit.at');
      return writeAudit(audit);
    },
    async audit(filter: AuditFilter = {}) {
      checkCount(filter.afterSeq, 'afterSeq');
      checkCount(filter.limit, 'limit');
      const where: [string, unknown][] = [];
      if (filter.caseId !== undefined) where.push(['case_id = ?', filter.caseId]);
      if (filter.action !== undefined) where.push(['action = ?', filter.action]);
      if (filter.afterSeq !== undefined) where.push(['seq > ?', filter.afterSeq]);
      return (selectFiltered('audit_log', where, filter.limit) as AuditRow[]).map(toAudit);
    },

    async recordAlerts(alerts) {
      for (const alert of alerts) {
        checkAlertKind(alert.kind);
        checkTimestamp(alert.at, 'alert.at');
      }
      return alerts.length === 0 ? [] : writeAlerts.immediate(alerts);
    },
    async alerts(filter = {}) {
      checkCount(filter.afterSeq, 'afterSeq');
      checkCount(filter.limit, 'limit');
      const where: [string, unknown][] = [];
      if (filter.caseId !== undefined) where.push(['case_id = ?', filter.caseId]);
      if (filter.afterSeq !== undefined) where.push(['seq > ?', filter.afterSeq]);
      return (selectFiltered('alerts', where, filter.limit) as AlertRow[]).map(toAlert);
    },

    async addWebhook(webhook: Webhook) {
      checkTimestamp(webhook.created, 'webhook.created');
      insertWebhook.run(webhook.id, webhook.url, webhook.secret, webhook.created);
    },
    async webhooks() {
      return selectWebhooks.all() as Webhook[];
    },
    async removeWebhook(id) {
      return deleteWebhook.run(id).changes === 1;
    },
    async recordDelivery(delivery: DeliveryInput) {
      checkTimestamp(delivery.at, 'delivery.at');
      insertDelivery.run(
        delivery.alertSeq,
        delivery.webhookId,
        delivery.attempt,
        delivery.at,
        delivery.status,
        delivery.ok ? 1 : 0,
        delivery.error ?? null,
      );
    },
    async deliveries(alertSeq) {
      const rows = (alertSeq === undefined ? selectDeliveries.all() : selectDeliveriesOf.all(alertSeq)) as DeliveryRow[];
      return rows.map(toDelivery);
    },

    async close() {
      if (db.open) db.close();
    },
  };
}
