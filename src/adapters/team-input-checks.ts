/**
 * Checks on what callers pass to a team store, and the row values both stores insert, shared
 * by the SQLite and PostgreSQL stores so both refuse the same values with the same words and
 * write the same columns. A failed check is a RangeError: a bug
 * in the caller, not a user error (the HTTP layer validates user input before it gets here).
 */
import {
  ALERT_KINDS,
  type AlertInput,
  type AlertKind,
  type AuditInput,
  ROLES,
  type Role,
  type Timestamp,
} from '../ports/team-store.ts';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Timestamps are compared as text (session expiry), so only `Date#toISOString` output is accepted. */
export function checkTimestamp(value: Timestamp, field: string): Timestamp {
  if (!TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    throw new RangeError(
      `${field} "${value}" is not an ISO 8601 UTC timestamp of the form 2026-11-28T12:00:00.000Z (use Date#toISOString)`,
    );
  }
  return value;
}

export function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new RangeError(`role "${role}" is not one of ${ROLES.join(', ')}`);
  return role as Role;
}

export function checkAlertKind(kind: string): AlertKind {
  if (!(ALERT_KINDS as readonly string[]).includes(kind)) {
    throw new RangeError(`alert kind "${kind}" is not one of ${ALERT_KINDS.join(', ')}`);
  }
  return kind as AlertKind;
}

/** `afterSeq` and `limit`: absent, or a whole number ≥ 0. */
export function checkCount(value: number | undefined, field: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`${field} ${value} is not a whole number ≥ 0`);
  }
}

/** How a store keys a case id (PostgreSQL normalises it; SQLite stores it as given). */
type CaseKey = (caseId: string) => string;
const asGiven: CaseKey = (caseId) => caseId;

/**
 * An audit record's values in the order both stores insert them:
 * actor, action, at, case_id, ids, supersedes, detail (the lists and detail as JSON).
 */
export function auditRowValues(audit: AuditInput, caseKey: CaseKey = asGiven): unknown[] {
  return [
    audit.actor,
    audit.action,
    audit.at,
    audit.caseId === undefined ? null : caseKey(audit.caseId),
    JSON.stringify(audit.ids ?? []),
    JSON.stringify(audit.supersedes ?? []),
    JSON.stringify(audit.detail ?? {}),
  ];
}

/**
 * An alert's values in the order both stores insert them:
 * case_id, kind, subject, from, to, as_of, evidence_ids (JSON), actor, at.
 */
export function alertRowValues(alert: AlertInput, caseKey: CaseKey = asGiven): unknown[] {
  return [
    caseKey(alert.caseId),
    alert.kind,
    alert.subject,
    alert.from,
    alert.to,
    alert.asOf,
    JSON.stringify(alert.evidenceIds),
    alert.actor,
    alert.at,
  ];
}
