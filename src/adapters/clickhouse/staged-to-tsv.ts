/**
 * Staged event files (see `staged-events.ts`) as ClickHouse TabSeparated rows, streamed.
 *
 * Invariants:
 * - Each staged line becomes one row: the line number field is replaced by the row's
 *   position across all the parts given (0, 1, 2, … in the order of the parts, then of
 *   their lines), so that "the first line of a key" is the least position; every other
 *   field is kept, in order.
 * - An empty field is NULL (`\N`) in the columns `NULLABLE_STAGED` names, the empty string
 *   in the others (text columns, where the staged layout's empty means absent too); a
 *   backslash is escaped (`\\`): TabSeparated reads escapes, and the staged layout has
 *   none (no tab, newline or carriage return inside a field).
 * - A row whose event day lies outside ClickHouse's Date range (1970 to 2105) stops the
 *   stream with an error naming the part and line: ClickHouse 18.16 would store such a day
 *   as 0000-00-00 without a word.
 * - Memory: one input chunk and its output at a time, whatever the size of the parts.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { STAGED_COLUMNS } from '../event-formats/staged-events.ts';

/** Staged columns stored as Nullable (an empty field is NULL); text columns keep '' for absent. */
export const NULLABLE_STAGED: ReadonlySet<string> = new Set([
  'known_at',
  'added_at',
  'is_root',
  'quad_class',
  'goldstein',
  'num_mentions',
  'num_sources',
  'num_articles',
  'avg_tone',
]);

const TAB = 9;
const NL = 10;
const BACKSLASH = 0x5c;
const NULL_BYTES = [BACKSLASH, 0x4e]; // \N

const nullableAt: readonly boolean[] = STAGED_COLUMNS.map(([n]) => NULLABLE_STAGED.has(n));
const EVENT_DATE_AT = STAGED_COLUMNS.findIndex(([n]) => n === 'event_date');

export class StagedRowError extends Error {
  override readonly name: string = 'StagedRowError';
}

/** Rows of `parts`, in order, as ClickHouse TabSeparated (see the invariants); `rows()` counts them once read. */
export function stagedAsTsv(parts: readonly string[]): { stream: Readable; rows: () => number } {
  let seq = 0;
  async function* generate(): AsyncGenerator<Buffer> {
    let out = Buffer.allocUnsafe(1 << 20);
    for (const path of parts) {
      let carry: Buffer | undefined;
      let line = 0;
      for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
        const chunk: Buffer = carry === undefined ? (raw as Buffer) : Buffer.concat([carry, raw as Buffer]);
        // Room for the worst case: every byte escaped, plus the position and NULL markers per row.
        const need = chunk.length * 2 + 64 * 1024;
        if (out.length < need) out = Buffer.allocUnsafe(need);
        let o = 0;
        let start = 0;
        for (;;) {
          const end = chunk.indexOf(NL, start);
          if (end < 0) break;
          if (o + (end - start) * 2 + 64 > out.length) {
            yield Buffer.from(out.subarray(0, o));
            o = 0;
          }
          o = writeRow(chunk, start, end, out, o, seq, path, line);
          seq++;
          line++;
          start = end + 1;
        }
        if (o > 0) yield Buffer.from(out.subarray(0, o));
        carry = start < chunk.length ? Buffer.from(chunk.subarray(start)) : undefined;
      }
      if (carry !== undefined && carry.length > 0) {
        if (out.length < carry.length * 2 + 64) out = Buffer.allocUnsafe(carry.length * 2 + 64);
        const o = writeRow(carry, 0, carry.length, out, 0, seq, path, line);
        seq++;
        yield Buffer.from(out.subarray(0, o));
      }
    }
  }
  return { stream: Readable.from(generate(), { objectMode: false }), rows: () => seq };
}

/** Writes the row of `src[start, end)` at `out[o]`; returns the end. */
function writeRow(
  src: Buffer,
  start: number,
  end: number,
  out: Buffer,
  o: number,
  seq: number,
  path: string,
  line: number,
): number {
  // The position, in place of the staged line number.
  const digits = String(seq);
  o += out.write(digits, o, 'latin1');
  let field = 0;
  let i = start;
  // Skip the staged line number.
  while (i < end && src[i] !== TAB) i++;
  while (i < end) {
    // src[i] is the tab before the next field.
    out[o++] = TAB;
    i++;
    field++;
    const fieldStart = i;
    while (i < end && src[i] !== TAB) {
      const b = src[i] as number;
      if (b === BACKSLASH) out[o++] = BACKSLASH;
      out[o++] = b;
      i++;
    }
    if (i === fieldStart && nullableAt[field] === true) {
      out[o++] = NULL_BYTES[0] as number;
      out[o++] = NULL_BYTES[1] as number;
    }
    if (field === EVENT_DATE_AT) {
      const year =
        (src[fieldStart] as number) * 1000 +
        (src[fieldStart + 1] as number) * 100 +
        (src[fieldStart + 2] as number) * 10 +
        (src[fieldStart + 3] as number) -
        53328;
      if (i - fieldStart !== 10 || year < 1970 || year > 2105) {
        throw new StagedRowError(
          `${path}, staged row ${line + 1}: event day "${src.toString('utf8', fieldStart, i)}" is outside ClickHouse's Date range (1970-01-01 to 2105-12-31)`,
        );
      }
    }
  }
  if (field !== STAGED_COLUMNS.length - 1)
    throw new StagedRowError(
      `${path}, staged row ${line + 1}: ${field + 1} fields, the staged layout has ${STAGED_COLUMNS.length}`,
    );
  out[o++] = NL;
  return o;
}
