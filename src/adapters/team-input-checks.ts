/**
 * Checks on what callers pass to a team store, shared by the SQLite and PostgreSQL stores
 * so both refuse the same values with the same words. A failed check is a RangeError: a bug
 * in the caller, not a user error (the HTTP layer validates user input before it gets here).
 */
import { ALERT_KINDS, type AlertKind, ROLES, type Role, type Timestamp } from '../ports/team-store.ts';

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
