/**
 * Compiles an `EventFilter` into a ClickHouse WHERE clause over `event_rows`. Pure.
 *
 * The same rules as the DuckDB filter (`../duckdb/compile-event-filter.ts`), written for
 * ClickHouse 18.16 and with every value a literal made by `clickhouse-sql.ts` (18.16 takes
 * no query parameters):
 * - An empty filter compiles to `1`: every stored event, exactly once.
 * - An actor code matches the stored actor code by prefix (`PAK` matches `PAKMIL`), written
 *   as `LIKE 'PAK%'` (the code's own `%`, `_` and `\` escaped), which ClickHouse 18.16 can
 *   answer from the table's order (`startsWith` it cannot); a known
 *   group code (`SASREB`) also matches actors whose normalised name (upper case, runs of
 *   anything but A–Z and 0–9 as one space, trimmed) is one of the group's names.
 * - `either` matches the dyad in both directions; with one side given, either actor.
 * - Root codes are compared as two-digit text (`4` → `04`); QuadClasses must be 1–4;
 *   dates bound the event day.
 */
import type { EventFilter } from '../../ports/event-store.ts';
import type { GroupNames } from '../duckdb/compile-event-filter.ts';
import { PACKED_VALUES } from '../event-formats/staged-events.ts';
import {
  CLICKHOUSE_DATE_MAX as DATE_MAX,
  CLICKHOUSE_DATE_MIN as DATE_MIN,
  sqlDate,
  sqlInteger,
  sqlList,
  sqlString,
} from './clickhouse-sql.ts';

/** An actor's name as the group names are written: upper case, other runs as one space, trimmed. */
const NAME_SQL = (side: 1 | 2) =>
  `replaceRegexpAll(replaceRegexpAll(upper(splitByChar('\\x1F', packed)[${PACKED_VALUES.indexOf(side === 1 ? 'actor1_name' : 'actor2_name') + 1}]), '[^A-Z0-9]+', ' '), '^ +| +$', '')`;

export function compileClickHouseEventFilter(filter: EventFilter, groupNames: GroupNames): string {
  const clauses: string[] = [];
  const actorMatch = (side: 1 | 2, codes: readonly string[]): string => {
    const parts: string[] = [];
    for (const raw of codes) {
      const code = raw.trim().toUpperCase();
      parts.push(`actor${side}_code LIKE ${sqlString(`${code.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
      const names = groupNames(code);
      if (names !== undefined && names.length > 0) parts.push(`${NAME_SQL(side)} IN ${sqlList(names, sqlString)}`);
    }
    return parts.length === 0 ? '1' : `(${parts.join(' OR ')})`;
  };
  const a1 = filter.actor1 ?? [];
  const a2 = filter.actor2 ?? [];
  if (filter.either === true && (a1.length > 0 || a2.length > 0)) {
    if (a1.length > 0 && a2.length > 0) {
      clauses.push(`((${actorMatch(1, a1)} AND ${actorMatch(2, a2)}) OR (${actorMatch(1, a2)} AND ${actorMatch(2, a1)}))`);
    } else {
      const one = a1.length > 0 ? a1 : a2;
      clauses.push(`(${actorMatch(1, one)} OR ${actorMatch(2, one)})`);
    }
  } else {
    if (a1.length > 0) clauses.push(actorMatch(1, a1));
    if (a2.length > 0) clauses.push(actorMatch(2, a2));
  }
  if (filter.rootCodes !== undefined && filter.rootCodes.length > 0) {
    clauses.push(`event_root IN ${sqlList(filter.rootCodes, (r) => sqlString(r.trim().padStart(2, '0')))}`);
  }
  if (filter.quadClasses !== undefined && filter.quadClasses.length > 0) {
    for (const q of filter.quadClasses)
      if (!Number.isInteger(q) || q < 1 || q > 4) throw new RangeError(`QuadClass must be 1, 2, 3 or 4, got ${String(q)}`);
    clauses.push(`quad_class IN ${sqlList(filter.quadClasses, sqlInteger)}`);
  }
  // No stored event lies outside ClickHouse's Date range (the adapter refuses such events):
  // a bound beyond it is clamped to it, or matches nothing.
  if (filter.from !== undefined) {
    if (filter.from > DATE_MAX) clauses.push('0');
    else if (filter.from < DATE_MIN) clauses.push(`event_date >= ${sqlDate(DATE_MIN)}`);
    else clauses.push(`event_date >= ${sqlDate(filter.from)}`);
  }
  if (filter.to !== undefined) {
    if (filter.to < DATE_MIN) clauses.push('0');
    else if (filter.to > DATE_MAX) clauses.push(`event_date <= ${sqlDate(DATE_MAX)}`);
    else clauses.push(`event_date <= ${sqlDate(filter.to)}`);
  }
  return clauses.length === 0 ? '1' : clauses.join(' AND ');
}
