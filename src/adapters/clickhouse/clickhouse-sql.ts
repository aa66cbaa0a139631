/**
 * Values as ClickHouse SQL literals: the ONE place where a value becomes SQL text.
 *
 * ClickHouse 18.16 (Debian's package, the server this adapter must run on) refuses query
 * parameters (`Unknown setting param_…`), so values are written into the SQL as literals.
 * Every value a query of the adapter carries goes through one of these functions; nothing
 * else concatenates a value into SQL.
 *
 * Invariants:
 * - `sqlString(s)` is a single-quoted ClickHouse string literal whose value is exactly the
 *   UTF-8 bytes of `s`: the backslash and the quote are escaped (`\\`, `\'`), NUL and the
 *   other control characters are written as escapes (`\0`, `\n`, `\t`, `\r`, `\xHH`), every
 *   other character (multi-byte UTF-8 included) as itself. A string that is not well-formed
 *   UTF-16 (a lone surrogate) has no UTF-8 bytes, and is refused with a `TypeError`.
 * - `sqlInteger` accepts only safe integers (or bigints); `sqlDate` only a real `YYYY-MM-DD` day in
 *   ClickHouse's Date range (1970-01-01 to 2105-12-31).
 * - `sqlIdentifier` accepts only names of ASCII letters, digits and underscores (not
 *   starting with a digit), quoted with backquotes.
 * - Pure: no I/O.
 */

const CONTROL_ESCAPES: Readonly<Record<number, string>> = {
  0: '\\0',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
};

/** A high surrogate not followed by a low one, or a low one not after a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A ClickHouse string literal for `value` (see the invariants). */
export function sqlString(value: string): string {
  if (typeof value !== 'string') throw new TypeError(`sqlString: expected a string, got ${typeof value}`);
  if (LONE_SURROGATE.test(value)) throw new TypeError('sqlString: the string holds a lone surrogate (not valid UTF-16), refused');
  let out = "'";
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let esc: string | undefined;
    if (c === 0x5c) esc = '\\\\';
    else if (c === 0x27) esc = "\\'";
    else if (c < 0x20 || c === 0x7f) esc = CONTROL_ESCAPES[c] ?? `\\x${c.toString(16).padStart(2, '0').toUpperCase()}`;
    if (esc !== undefined) {
      out += value.slice(from, i) + esc;
      from = i + 1;
    }
  }
  return `${out}${value.slice(from)}'`;
}

/** A ClickHouse integer literal; refuses anything but a safe integer (or a bigint). */
export function sqlInteger(value: number | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  if (!Number.isSafeInteger(value)) throw new TypeError(`sqlInteger: expected a safe integer, got ${String(value)}`);
  return String(value);
}

/** The days ClickHouse's Date holds. */
export const CLICKHOUSE_DATE_MIN = '1970-01-01';
export const CLICKHOUSE_DATE_MAX = '2105-12-31';

/** A ClickHouse Date for a real `YYYY-MM-DD` day within the Date range. */
export function sqlDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const real =
    m !== null &&
    (() => {
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      return d.toISOString().slice(0, 10) === value;
    })();
  if (!real) throw new TypeError(`sqlDate: expected a day YYYY-MM-DD, got "${value}"`);
  if (value < CLICKHOUSE_DATE_MIN || value > CLICKHOUSE_DATE_MAX)
    throw new RangeError(
      `sqlDate: ${value} is outside ClickHouse's Date range (${CLICKHOUSE_DATE_MIN} to ${CLICKHOUSE_DATE_MAX})`,
    );
  return `toDate(${sqlString(value)})`;
}

/** A backquoted identifier (database, table, cluster); refuses any other character. */
export function sqlIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new TypeError(
      `"${name}" is not a valid name here: use ASCII letters, digits and underscores, not starting with a digit`,
    );
  return `\`${name}\``;
}

/** `(a, b, …)` of literals made by `literal`; an empty list is refused (ClickHouse has no empty IN list). */
export function sqlList<T>(values: readonly T[], literal: (v: T) => string): string {
  if (values.length === 0) throw new TypeError('sqlList: an empty list');
  return `(${values.map(literal).join(', ')})`;
}
