/**
 * A staged event file (see `staged-events.ts`) as ClickHouse TabSeparated rows of the
 * stage table, streamed: the stored columns as `event_rows` keeps them, so that the stage's
 * parts can be attached to `event_rows` as they are (see the event store).
 *
 * Invariants:
 * - Each staged line becomes one row, its fields in the order of `STAGE_INSERT_COLUMNS`:
 *   `seq` (the row's position: `firstSeq`, `firstSeq + 1`, … in the order of the part's
 *   lines, so that "the first line of a key" is the least position), then the staged
 *   fields but the line number, in order, with some of them restated as stored:
 *   the source by its name (`gdelt1`, `gdelt2`, `icews`); `known_at`, when the staged
 *   field is empty, as the day of `added_at`, or without one the event day (the staged
 *   layout's rule); the real numbers as their bits (`REAL_BITS_COLUMNS`).
 * - An empty field is NULL (`\N`) in the columns `NULLABLE_STAGED` names, the empty string
 *   in the others (text columns, where the staged layout's empty means absent too); a
 *   backslash is escaped (`\\`): TabSeparated reads escapes, and the staged layout has
 *   none (no tab, newline or carriage return inside a field).
 * - A row whose event day or known day lies outside ClickHouse's Date range (1970 to 2105),
 *   whose source is not a staged source code, or that has not the staged layout's field
 *   count stops the stream with an error naming the part and line: ClickHouse 18.16 would
 *   store such a day as 0000-00-00 without a word.
 * - `stats()`, once the stream has ended, gives the rows written and the least and greatest
 *   known day of the rows that can be folded (GDELT rows with a SOURCEURL), which bound the
 *   stored events a fold must look at.
 * - `repeats`, when given, is told the fold key of every foldable row (see `FoldKeyRepeats`).
 * - Memory: one input chunk and one output block at a time, whatever the size of the part.
 * - Following (`complete` given): the part may still be being written. Its bytes are read as
 *   they arrive (a row cut at the end waits for the rest); once `complete` resolves true the
 *   rest is read and the stream ends; once it resolves false the stream ends after the rows
 *   read whole, and a part that does not exist yet gives none.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHUNK_BYTES, readFileRange } from '../event-formats/file-chunks.ts';
import { STAGED_COLUMNS } from '../event-formats/staged-events.ts';

/**
 * The real numbers (GoldsteinScale, AvgTone) travel as the hex of their IEEE 754 bits,
 * little-endian (`f97b19f27b190240` for 2.26244343891403), in these columns, from which the
 * stage computes the stored value (`reinterpretAsFloat64`): ClickHouse 18.16 reads decimal
 * text into a double up to an ulp off (2.26244343891403 as 2.2624434389140298), JavaScript
 * reads it as the nearest double, as DuckDB does, so both stores keep the file's value.
 */
export const REAL_BITS_COLUMNS: Readonly<Record<string, string>> = {
  goldstein: 'goldstein_bits',
  avg_tone: 'avg_tone_bits',
};

/** Staged columns stored as Nullable (an empty field is NULL); text columns keep '' for absent. */
export const NULLABLE_STAGED: ReadonlySet<string> = new Set([
  'added_at',
  'is_root',
  'quad_class',
  'goldstein',
  'num_mentions',
  'num_sources',
  'num_articles',
  'avg_tone',
]);

/** The columns of a stage row, in the order the stream writes them. */
export const STAGE_INSERT_COLUMNS: readonly string[] = [
  'seq',
  ...STAGED_COLUMNS.slice(1).map(([n]) => REAL_BITS_COLUMNS[n] ?? n),
];

/** What a part's stream saw, once it has ended. */
export interface StagedPartStats {
  readonly rows: number;
  /** Least and greatest known day (as the number YYYYMMDD) of the rows that can be folded; undefined when none can. */
  readonly foldableKnown: { readonly lo: number; readonly hi: number } | undefined;
}

const TAB = 9;
const NL = 10;
const BACKSLASH = 0x5c;
const FIELDS = STAGED_COLUMNS.length;
const at = (name: string) => STAGED_COLUMNS.findIndex(([n]) => n === name);
const SOURCE_AT = at('source');
const EVENT_DATE_AT = at('event_date');
const KNOWN_AT = at('known_at');
// The known day, when empty, is read from the next field.
if (at('added_at') !== KNOWN_AT + 1) throw new Error('staged layout: added_at must follow known_at');
const URL_AT = at('source_url');
const nullableAt: readonly boolean[] = STAGED_COLUMNS.map(([n]) => NULLABLE_STAGED.has(n));
const REAL_AT = Int8Array.from(STAGED_COLUMNS.map(([n]) => (REAL_BITS_COLUMNS[n] === undefined ? 0 : 1)));
const realScratch = new Float64Array(1);
const realBytes = new Uint8Array(realScratch.buffer);
const HEX = Buffer.from('0123456789abcdef');
/** Little-endian: the bytes of a Float64Array are the platform's, and ClickHouse reads them little-endian. */
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('staged-to-tsv: a little-endian platform is needed');

/** Exact powers of ten, as doubles (10^22 is the last one a double holds exactly). */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The real number at src[s, e) as the nearest double, as `Number` reads it: a plain decimal
 * of at most 15 significant digits is its digits (an exact integer) divided by an exact
 * power of ten, which IEEE 754 rounds once, to the nearest; anything else goes to `Number`.
 */
function realAt(src: Buffer, s: number, e: number): number {
  let i = s;
  const negative = src[i] === 0x2d;
  if (negative || src[i] === 0x2b) i++;
  let digits = 0;
  let m = 0;
  let scale = -1;
  for (; i < e; i++) {
    const c = src[i] as number;
    if (c >= 0x30 && c <= 0x39) {
      if (m !== 0 || c !== 0x30) digits++;
      m = m * 10 + (c - 0x30);
      if (scale >= 0) scale++;
    } else if (c === 0x2e && scale < 0) scale = 0;
    else return Number(src.toString('latin1', s, e));
  }
  if (digits > 15 || i === s || (scale >= 0 && scale > 22)) return Number(src.toString('latin1', s, e));
  const v = scale > 0 ? m / (POW10[scale] as number) : m;
  return negative ? -v : v;
}

/** Writes the bits of the real number at src[s, e) as 16 hex digits at out[o]; returns the end. */
function writeRealBits(src: Buffer, s: number, e: number, out: Buffer, o: number, st: RowState): number {
  const value = realAt(src, s, e);
  if (Number.isNaN(value) || src[s] === 0x20 || src[e - 1] === 0x20)
    throw new StagedRowError(`${st.path}, staged row ${st.line}: "${src.toString('latin1', s, e)}" is not a number`);
  realScratch[0] = value;
  for (let k = 0; k < 8; k++) {
    const b = realBytes[k] as number;
    out[o++] = HEX[b >> 4] as number;
    out[o++] = HEX[b & 15] as number;
  }
  return o;
}

/** The fields of a fold key, in order: source, event day, actor codes, EventCode, SOURCEURL. */
const FOLD_FIELDS = ['source', 'event_date', 'actor1_code', 'actor2_code', 'event_code', 'source_url'].map(at);
const FOLD_SLOT = Int8Array.from(STAGED_COLUMNS.map((_, k) => FOLD_FIELDS.indexOf(k)));
/** Start and end of each fold field of the row being written. */
const foldFields = new Int32Array(2 * FOLD_FIELDS.length);

/** A 52-bit hash of the fold fields of the row being written (never 0). */
function foldHash(src: Buffer): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let f = 0; f < FOLD_FIELDS.length; f++) {
    const e = foldFields[2 * f + 1] as number;
    for (let i = foldFields[2 * f] as number; i < e; i++) {
      const b = src[i] as number;
      h1 = Math.imul(h1 ^ b, 0x01000193);
      h2 = Math.imul(h2 ^ b, 0x5bd1e995);
    }
    // A separator, so that field boundaries count.
    h1 = Math.imul(h1 ^ 0xff, 0x01000193);
    h2 = Math.imul(h2 ^ 0xff, 0x5bd1e995);
  }
  h1 = fmix32(h1);
  h2 = fmix32(h2 ^ h1);
  return (h1 >>> 0) * 1048576 + (h2 >>> 12) || 1;
}

function fmix32(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/**
 * Tells whether a fold key may repeat among the rows of a file: a set of 52-bit hashes of
 * each foldable row's fold fields (source, event day, actor codes, EventCode, SOURCEURL),
 * from which the store's fold key is made. No hash seen twice proves that no fold key repeats
 * (equal fields give equal hashes), and the store need not look; a hash seen twice may be a
 * repeat or a collision, which only the store can tell. Holds at most `maxKeys` hashes (a
 * table of twice as many 8-byte slots, 64 MiB at the default); past that it gives up and
 * says that keys may repeat.
 */
export class FoldKeyRepeats {
  private table: Float64Array | undefined = new Float64Array(1 << 16);
  private count = 0;
  private repeated = false;

  constructor(private readonly maxKeys = 1 << 22) {}

  /** True unless every key added was new (or the set gave up). */
  get mayRepeat(): boolean {
    return this.repeated || this.table === undefined;
  }

  add(hash: number): void {
    const t = this.table;
    if (t === undefined || this.repeated) return;
    if (this.place(t, hash)) {
      this.repeated = true;
      this.table = undefined;
      return;
    }
    if (++this.count > this.maxKeys) {
      this.table = undefined;
      return;
    }
    if (this.count * 2 > t.length) {
      const bigger = new Float64Array(t.length * 2);
      for (let i = 0; i < t.length; i++) if (t[i] !== 0) this.place(bigger, t[i] as number);
      this.table = bigger;
    }
  }

  /** Puts `hash` in `t` (open addressing); true when it was there already. */
  private place(t: Float64Array, hash: number): boolean {
    const mask = t.length - 1;
    let i = (hash % 4294967296) & mask;
    for (;;) {
      const v = t[i] as number;
      if (v === 0) {
        t[i] = hash;
        return false;
      }
      if (v === hash) return true;
      i = (i + 1) & mask;
    }
  }
}

export class StagedRowError extends Error {
  override readonly name: string = 'StagedRowError';
}

/** The rows of the staged file `path` as stage rows (see the invariants), numbered from `firstSeq`. */
export function stagedPartAsTsv(
  path: string,
  firstSeq: number,
  complete?: Promise<boolean>,
  repeats?: FoldKeyRepeats,
): { stream: Readable; stats: () => StagedPartStats } {
  const state = rowState(path, firstSeq, repeats);
  const follow = complete === undefined ? undefined : followPart(path, complete);
  async function* generate(): AsyncGenerator<Buffer> {
    let out = Buffer.allocUnsafe(OUT_BYTES);
    let o = 0;
    let carry: Buffer | undefined;
    for await (const raw of follow?.chunks ?? readFileRange(path)) {
      // The chunk is reused by the reader: what is carried over is copied.
      const chunk: Buffer = carry === undefined ? raw : Buffer.concat([carry, raw]);
      let start = 0;
      for (;;) {
        const end = chunk.indexOf(NL, start);
        if (end < 0) break;
        // Room for the worst case: every byte escaped, plus the position and NULL markers.
        const need = (end - start) * 2 + 128;
        if (o + need > out.length) {
          if (o > 0) yield out.subarray(0, o);
          out = Buffer.allocUnsafe(Math.max(OUT_BYTES, need));
          o = 0;
        }
        o = writeRow(chunk, start, end, out, o, state);
        start = end + 1;
      }
      carry = start < chunk.length ? Buffer.from(chunk.subarray(start)) : undefined;
    }
    // A row cut short in a part abandoned while being written is not a row.
    if (carry !== undefined && carry.length > 0 && follow?.abandoned() !== true) {
      const need = carry.length * 2 + 128;
      if (o + need > out.length) {
        if (o > 0) yield out.subarray(0, o);
        out = Buffer.allocUnsafe(need);
        o = 0;
      }
      o = writeRow(carry, 0, carry.length, out, o, state);
    }
    if (o > 0) yield out.subarray(0, o);
  }
  return {
    stream: Readable.from(generate(), { objectMode: false }),
    stats: () => ({
      rows: state.seq - firstSeq,
      foldableKnown: state.lo > state.hi ? undefined : { lo: state.lo, hi: state.hi },
    }),
  };
}

const OUT_BYTES = 1 << 20;
/** How long a follower waits for more bytes before looking again. */
const FOLLOW_POLL_MS = 10;

/** Reads a part being written, in chunks of one reused buffer (see the invariants: following). */
function followPart(path: string, complete: Promise<boolean>): { chunks: AsyncGenerator<Buffer>; abandoned: () => boolean } {
  let outcome: boolean | undefined;
  const settled = complete.then((ok) => {
    outcome = ok;
  });
  const wake = () => Promise.race([sleep(FOLLOW_POLL_MS), settled]);
  async function* chunks(): AsyncGenerator<Buffer> {
    let fh: FileHandle | undefined;
    while (fh === undefined) {
      const seen = outcome;
      try {
        fh = await open(path, 'r');
      } catch (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        if (missing && seen === undefined) await wake();
        else if (missing && seen === false) return;
        else throw err;
      }
    }
    try {
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      let at = 0;
      for (;;) {
        // What was known before this read: complete then, an empty read is the end.
        const seen = outcome;
        if (seen === false) return;
        const { bytesRead } = await fh.read(buf, 0, buf.length, at);
        if (bytesRead > 0) {
          at += bytesRead;
          yield buf.subarray(0, bytesRead);
        } else if (seen === true) return;
        else await wake();
      }
    } finally {
      await fh.close();
    }
  }
  return { chunks: chunks(), abandoned: () => outcome === false };
}

/** Resolves true once the file at `path` holds a byte, false if `complete` resolves first and it holds none. */
export async function partHasData(path: string, complete: Promise<boolean>): Promise<boolean> {
  let outcome: boolean | undefined;
  const settled = complete.then((ok) => {
    outcome = ok;
  });
  for (;;) {
    const seen = outcome;
    const size = await open(path, 'r').then(
      async (fh) => {
        try {
          return (await fh.stat()).size;
        } finally {
          await fh.close();
        }
      },
      () => 0,
    );
    if (size > 0) return seen !== false;
    if (seen !== undefined) return false;
    await Promise.race([sleep(FOLLOW_POLL_MS), settled]);
  }
}

interface RowState {
  readonly path: string;
  /** The next row's position, and its decimal digits (right-aligned in `digits` from `from`). */
  seq: number;
  readonly digits: Buffer;
  from: number;
  /** Staged lines read. */
  line: number;
  /** Least and greatest known day (YYYYMMDD) of foldable rows. */
  lo: number;
  hi: number;
  readonly repeats: FoldKeyRepeats | undefined;
}

function rowState(path: string, firstSeq: number, repeats: FoldKeyRepeats | undefined): RowState {
  const digits = Buffer.alloc(24, 48);
  const text = String(firstSeq);
  digits.write(text, 24 - text.length, 'latin1');
  return {
    path,
    seq: firstSeq,
    digits,
    from: 24 - text.length,
    line: 0,
    lo: Number.POSITIVE_INFINITY,
    hi: Number.NEGATIVE_INFINITY,
    repeats,
  };
}

/** The source codes' names as stored. */
const GDELT1 = Buffer.from('gdelt1');
const GDELT2 = Buffer.from('gdelt2');
const ICEWS = Buffer.from('icews');

/**
 * Writes the stage row of the staged row src[start, end) at out[o]; returns its end. One
 * pass over the row's bytes (the known day, when the staged field is empty, reads ahead).
 */
function writeRow(src: Buffer, start: number, end: number, out: Buffer, o: number, st: RowState): number {
  st.line++;
  // The position, then one added to its digits.
  const d = st.digits;
  for (let k = st.from; k < 24; k++) out[o++] = d[k] as number;
  st.seq++;
  let k = 23;
  while (k >= st.from && d[k] === 57) d[k--] = 48;
  if (k >= st.from) d[k] = (d[k] as number) + 1;
  else d[(st.from = k)] = 49;
  // The staged line number is left out.
  let i = start;
  while (i < end && src[i] !== TAB) i++;
  let field = 0;
  let source = 0;
  let eventDateAt = 0;
  let knownDay = 0;
  let urlGiven = false;
  while (i < end) {
    // src[i] is the tab before the next field.
    i++;
    field++;
    out[o++] = TAB;
    const fs = i;
    if (field === KNOWN_AT && (i === end || src[i] === TAB)) {
      // Empty: the day of added_at (the next field), else the event day.
      let as = i + 1;
      let ae = as;
      while (ae < end && src[ae] !== TAB) ae++;
      if (ae - as < 10) as = eventDateAt;
      knownDay = checkDay(src, as, as + 10, st);
      for (let j = as; j < as + 10; j++) out[o++] = src[j] as number;
      continue;
    }
    while (i < end) {
      const b = src[i] as number;
      if (b === TAB) break;
      if (b === BACKSLASH) out[o++] = BACKSLASH;
      out[o++] = b;
      i++;
    }
    if (i === fs) {
      if (nullableAt[field] === true) {
        out[o++] = BACKSLASH;
        out[o++] = 0x4e; // \N
      }
      if (field === SOURCE_AT) throw new StagedRowError(`${st.path}, staged row ${st.line}: no source`);
      if (field === EVENT_DATE_AT) checkDay(src, fs, i, st);
    } else if (field === SOURCE_AT) {
      source = i - fs === 1 ? (src[fs] as number) : 0;
      const name = source === 0x31 ? GDELT1 : source === 0x32 ? GDELT2 : source === 0x69 ? ICEWS : undefined;
      if (name === undefined)
        throw new StagedRowError(`${st.path}, staged row ${st.line}: source "${src.toString('utf8', fs, i)}" is not 1, 2 or i`);
      o -= 1;
      for (let j = 0; j < name.length; j++) out[o++] = name[j] as number;
    } else if (field === EVENT_DATE_AT) {
      checkDay(src, fs, i, st);
      eventDateAt = fs;
    } else if (field === KNOWN_AT) knownDay = checkDay(src, fs, i, st);
    else if (field === URL_AT) urlGiven = true;
    else if (REAL_AT[field] === 1) o = writeRealBits(src, fs, i, out, o - (i - fs), st);
    const slot = FOLD_SLOT[field] as number;
    if (slot >= 0) {
      foldFields[2 * slot] = fs;
      foldFields[2 * slot + 1] = i;
    }
  }
  if (field !== FIELDS - 1)
    throw new StagedRowError(`${st.path}, staged row ${st.line}: ${field + 1} fields, the staged layout has ${FIELDS}`);
  if (source !== 0x69 && urlGiven) {
    if (knownDay < st.lo) st.lo = knownDay;
    if (knownDay > st.hi) st.hi = knownDay;
    st.repeats?.add(foldHash(src));
  }
  out[o++] = NL;
  return o;
}

/** The day `YYYY-MM-DD` at src[s, e) as the number YYYYMMDD; throws when it is not a day within ClickHouse's Date range. */
function checkDay(src: Buffer, s: number, e: number, st: RowState): number {
  const year =
    (src[s] as number) * 1000 + (src[s + 1] as number) * 100 + (src[s + 2] as number) * 10 + (src[s + 3] as number) - 53328;
  if (e - s !== 10 || !(year >= 1970 && year <= 2105))
    throw new StagedRowError(
      `${st.path}, staged row ${st.line}: day "${src.toString('utf8', s, e)}" is outside ClickHouse's Date range (1970-01-01 to 2105-12-31)`,
    );
  // 48 * 11 = 528: the digits' zeros.
  return (
    year * 10000 +
    ((src[s + 5] as number) * 10 + (src[s + 6] as number) - 528) * 100 +
    (src[s + 8] as number) * 10 +
    (src[s + 9] as number) -
    528
  );
}

/** The day YYYYMMDD as `YYYY-MM-DD`. */
export function dayText(n: number): string {
  const y = Math.floor(n / 10000);
  const m = Math.floor(n / 100) % 100;
  const d = n % 100;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
