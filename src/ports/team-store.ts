/**
 * The team store port: what the server (`proviso serve`) keeps beside the evidence ledger —
 * users, API tokens, web sessions, the audit log, alerts, webhooks and their deliveries.
 * Implemented on SQLite (single-user default, the same file as the ledger) and PostgreSQL
 * (multi-user); every implementation passes `test/team-store.contract.ts` and, through
 * `ledger`, `test/ledger-store.contract.ts`.
 *
 * Promises:
 * - `appendEvidence` stores the entries and one audit record in one transaction: either both
 *   are stored or neither (a refused batch leaves no audit record). An append that adds
 *   nothing (every entry identical to a stored one) still records its audit record, with
 *   `added: 0`.
 * - The audit log is append-only: records are never changed or removed, and the database
 *   itself refuses UPDATE and DELETE on it. `seq` increases with insertion order and is
 *   never reused.
 * - Alerts are append-only too; `seq` as for audit records.
 * - User names are unique (case-sensitive); token and session look-ups are by hash only —
 *   the store never sees a token or a session id in clear.
 * - Timestamps are ISO 8601 UTC strings (`2026-11-28T12:00:00.000Z`) supplied by the caller;
 *   the store never reads the clock.
 * - Every method is safe to call concurrently from many requests.
 */
import type { Evidence } from '../core/evidence.ts';
import type { AppendResult, LedgerStore } from './ledger-store.ts';

export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** An ISO 8601 UTC timestamp. */
export type Timestamp = string;

export interface User {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly created: Timestamp;
}

export interface StoredUser extends User {
  /** A self-describing password hash (e.g. `scrypt$N$r$p$salt$hash`); never a password. */
  readonly passwordHash: string;
}

export interface NewUser {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly created: Timestamp;
}

export interface ApiToken {
  readonly id: string;
  readonly userId: string;
  /** A label for people ("laptop", "ingest job"). */
  readonly name: string;
  readonly created: Timestamp;
  readonly revoked?: Timestamp;
}

export interface NewToken {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  /** SHA-256 hex of the token. */
  readonly tokenHash: string;
  readonly created: Timestamp;
}

export interface Session {
  readonly userId: string;
  /** The CSRF token bound to this session (sent back by forms and fetch calls). */
  readonly csrfToken: string;
  readonly created: Timestamp;
  readonly expires: Timestamp;
}

export interface NewSession extends Session {
  /** SHA-256 hex of the session id carried by the cookie. */
  readonly idHash: string;
}

/** One write of a group commit (`appendEvidenceGroup`). */
export interface EvidenceWrite {
  readonly entries: readonly Evidence[];
  readonly audit: AuditInput;
}

/** What an audit record says was done. */
export interface AuditInput {
  /** The user who did it (their name, kept even if the user is later removed). */
  readonly actor: string;
  /** e.g. `evidence.append`, `user.add`, `token.create`, `token.revoke`, `webhook.add`. */
  readonly action: string;
  readonly at: Timestamp;
  readonly caseId?: string;
  /** Ids of the records written (evidence ids, user id, token id, …). */
  readonly ids?: readonly string[];
  /** Evidence ids the written entries supersede. */
  readonly supersedes?: readonly string[];
  /** Small JSON-able detail (e.g. `{ added, unchanged }`, a role, a URL). */
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface AuditRecord {
  readonly seq: number;
  readonly actor: string;
  readonly action: string;
  readonly at: Timestamp;
  readonly caseId: string | null;
  readonly ids: readonly string[];
  readonly supersedes: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface AuditFilter {
  readonly caseId?: string;
  readonly action?: string;
  /** Records with `seq` greater than this. */
  readonly afterSeq?: number;
  /** At most this many, oldest first (default: all). */
  readonly limit?: number;
}

export const ALERT_KINDS = ['benchmark-status', 'gate-decision', 'departure'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertInput {
  readonly caseId: string;
  readonly kind: AlertKind;
  /** The benchmark or instrument id. */
  readonly subject: string;
  readonly from: string;
  readonly to: string;
  /** The as-of date the change was assessed at. */
  readonly asOf: string;
  /** The evidence ids whose arrival caused it. */
  readonly evidenceIds: readonly string[];
  readonly actor: string;
  readonly at: Timestamp;
}

export interface AlertRecord extends AlertInput {
  readonly seq: number;
}

export interface Webhook {
  readonly id: string;
  readonly url: string;
  /** The HMAC-SHA256 key the payloads are signed with. */
  readonly secret: string;
  readonly created: Timestamp;
}

export interface DeliveryInput {
  readonly alertSeq: number;
  readonly webhookId: string;
  /** 1 for the first try. */
  readonly attempt: number;
  readonly at: Timestamp;
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly ok: boolean;
  readonly error?: string;
}

export type DeliveryRecord = DeliveryInput;

export type CreateResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: 'exists' };

export interface TeamStore {
  /** The evidence ledger in the same database. */
  readonly ledger: LedgerStore;
  /** Where the store lives, for messages (a file path or a URL without its password). */
  readonly location: string;

  /** Appends the entries and one audit record atomically (see the module comment). */
  appendEvidence(caseId: string, entries: readonly Evidence[], audit: AuditInput): Promise<AppendResult>;
  /**
   * Several appends in one transaction (a group commit): each write's entries with its
   * audit record, as `appendEvidence` would store them one after another, each seeing the
   * writes before it. A refused write (a conflict) stores nothing of itself and leaves the
   * others; the stored ones commit together. One result per write, in order.
   */
  appendEvidenceGroup(caseId: string, writes: readonly EvidenceWrite[]): Promise<AppendResult[]>;

  createUser(user: NewUser): Promise<CreateResult<User>>;
  findUserByName(name: string): Promise<StoredUser | undefined>;
  findUserById(id: string): Promise<StoredUser | undefined>;
  listUsers(): Promise<User[]>;

  createToken(token: NewToken): Promise<ApiToken>;
  /** The token and its user, if the hash is known and the token is not revoked. */
  findToken(tokenHash: string): Promise<{ readonly token: ApiToken; readonly user: User } | undefined>;
  listTokens(userId: string): Promise<ApiToken[]>;
  /** Marks a token revoked; false if it does not exist or was already revoked. */
  revokeToken(id: string, at: Timestamp): Promise<boolean>;

  createSession(session: NewSession): Promise<void>;
  /** The session and its user if the hash is known and `now` is before its expiry. */
  findSession(idHash: string, now: Timestamp): Promise<{ readonly session: Session; readonly user: User } | undefined>;
  deleteSession(idHash: string): Promise<void>;
  /**
   * Deletes every session expired as of `now` (expiry at or before it: exactly those
   * `findSession(…, now)` no longer finds) and keeps every other; returns how many it
   * deleted. Sessions are not history: removing expired ones loses nothing.
   */
  deleteExpiredSessions(now: Timestamp): Promise<number>;

  /** Records an audit record for a write that is not an evidence append. */
  recordAudit(audit: AuditInput): Promise<AuditRecord>;
  audit(filter?: AuditFilter): Promise<AuditRecord[]>;

  recordAlerts(alerts: readonly AlertInput[]): Promise<AlertRecord[]>;
  alerts(filter?: { readonly caseId?: string; readonly afterSeq?: number; readonly limit?: number }): Promise<AlertRecord[]>;

  addWebhook(webhook: Webhook): Promise<void>;
  webhooks(): Promise<Webhook[]>;
  removeWebhook(id: string): Promise<boolean>;
  recordDelivery(delivery: DeliveryInput): Promise<void>;
  deliveries(alertSeq?: number): Promise<DeliveryRecord[]>;

  close(): Promise<void>;
}
