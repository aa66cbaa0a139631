/**
 * The staged-event layout: what every reader writes and what a store loads.
 *
 * Contract: a staged file is UTF-8, one event per line, fields separated by a tab, in the
 * order of `STAGED_COLUMNS`; no field contains a tab, a newline or a carriage return; an
 * empty field means "absent" (NULL); dates are `YYYY-MM-DD`, timestamps
 * `YYYY-MM-DD HH:MM:SS` (the forms a loader parses fastest). Readers validate before they
 * write, so a staged file holds only accepted rows.
 *
 * The values no query filters on by column (`PACKED_VALUES`: actor countries, known groups
 * and types, the event base code, the action country, and the actor names) travel and are
 * stored as one field, `packed`, joined by the unit separator U+001F (a value's own U+001F
 * is staged as a space): the store keeps 10 fewer text columns, which is most of what
 * storing costs, and shows them under their own names again (see the DuckDB event store).
 *
 * The writer also tells whether event ids strictly increased through the file (per
 * source), as they do in GDELT files: then no key repeats within the file, and a store
 * need not look for repeats; and the range of the ids, so that a store compares them only
 * with stored events in that range.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export const STAGED_COLUMNS = [
  ['line_no', 'integer'],
  ['source', 'text'],
  ['event_id', 'integer'],
  ['event_date', 'date'],
  ['known_at', 'date'],
  ['added_at', 'timestamp'],
  ['actor1_code', 'text'],
  ['actor2_code', 'text'],
  ['is_root', 'small'],
  ['event_code', 'text'],
  ['event_root', 'text'],
  ['quad_class', 'small'],
  ['goldstein', 'real'],
  ['num_mentions', 'integer'],
  ['avg_tone', 'real'],
  ['source_url', 'text'],
  ['packed', 'text'],
] as const;

/** The values packed into `packed`, in order. */
export const PACKED_VALUES = [
  'actor1_country',
  'actor1_group',
  'actor1_type',
  'actor2_country',
  'actor2_group',
  'actor2_type',
  'event_base',
  'action_country_fips',
  'actor1_name',
  'actor2_name',
] as const;

/** Separates the values of `packed` (U+001F, the unit separator). */
export const PACKED_SEPARATOR = 0x1f;

export type StagedColumnKind = (typeof STAGED_COLUMNS)[number][1];

/** Event ids from `min` to `max`, both included. */
export interface IdRange {
  readonly min: number;
  readonly max: number;
}

/** The event sources a store keeps apart: ids are unique only within one source. */
export const EVENT_SOURCES = ['gdelt1', 'gdelt2', 'icews'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

const TAB = 9;
const NL = 10;

/**
 * Buffered writer of staged lines; bytes reach the file in large blocks.
 *
 * Two ways to write a row: the checked one for rows built from strings (`text`, `sep`,
 * `endRow`), and the raw one for byte-level readers: `reserve(maxBytes)`, then write the
 * whole row (newline included) into `block` from `pos` on, and report its end with
 * `rowWrittenTo`. Nothing else may run in between (`reserve` may swap the block).
 */
export class StagedWriter {
  private buf: Buffer;
  private at = 0;
  private readonly fd: number;
  private closed = false;
  /** The first and the greatest key noted (-1 before any). */
  firstKey = -1;
  lastKey = -1;
  bytesWritten = 0;
  rowsWritten = 0;
  /** Longest row written, in bytes (newline included). */
  maxRowBytes = 0;
  private rowStart = 0;
  /** True while every row's key (source, event id) was greater than the row before's. */
  keysIncreasing = true;
  /** The least and greatest event id noted (see `idRange`). */
  minId = Number.POSITIVE_INFINITY;
  maxId = Number.NEGATIVE_INFINITY;
  /** False once an id beyond 2^53 was noted (then minId and maxId are not exact). */
  idsExact = true;
  /** The last line number written, and its decimal digits (right-aligned in `lineDigits`). */
  private lastLine = -2;
  private readonly lineDigits = Buffer.alloc(20);
  private lineDigitsStart = 20;

  constructor(
    readonly path: string,
    blockBytes = 4 * 1024 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(blockBytes);
    this.fd = openSync(path, 'w');
  }

  /** The block being filled (raw writes; valid until the next `reserve`). */
  get block(): Buffer {
    return this.buf;
  }

  /** Where the next byte goes in `block`. */
  get pos(): number {
    return this.at;
  }

  /** Makes room for `n` more bytes; the raw writes rely on it. */
  reserve(n: number): void {
    if (this.at + n > this.buf.length) this.makeRoom(n);
  }

  /**
   * Writes line number `n` (a non-negative integer below 2^53) and a tab at `pos` (raw:
   * `pos` does not move); returns the position after them. Consecutive numbers cost one
   * increment, not a conversion.
   */
  putLineNumber(n: number): number {
    const d = this.lineDigits;
    if (n === this.lastLine + 1) {
      let i = 19;
      while (i >= this.lineDigitsStart && d[i] === 57) d[i--] = 48;
      if (i >= this.lineDigitsStart) d[i] = (d[i] as number) + 1;
      else d[(this.lineDigitsStart = i)] = 49;
    } else {
      let i = 20;
      let v = n;
      do {
        const q = Math.floor(v / 10);
        d[--i] = 48 + (v - q * 10);
        v = q;
      } while (v > 0);
      this.lineDigitsStart = i;
    }
    this.lastLine = n;
    const o = this.buf;
    let p = this.at;
    for (let i = this.lineDigitsStart; i < 20; i++) o[p++] = d[i] as number;
    o[p++] = TAB;
    return p;
  }

  /** Ends a raw row at `end` (just after its newline). */
  rowWrittenTo(end: number): void {
    this.at = end;
    this.rowEnded();
  }

  /** Writes a string field, checked (tabs, newlines and carriage returns become spaces). */
  text(value: string): void {
    const clean = /[\t\n\r]/.test(value) ? value.replace(/[\t\n\r]/g, ' ') : value;
    const n = Buffer.byteLength(clean);
    this.reserve(n + 1);
    this.at += this.buf.write(clean, this.at);
  }

  sep(): void {
    this.reserve(1);
    this.buf[this.at++] = TAB;
  }

  /** Writes `values` as the `packed` field (`PACKED_VALUES` order), each checked as `text` is and without U+001F. */
  packed(values: readonly (string | undefined)[]): void {
    for (let i = 0; i < values.length; i++) {
      if (i > 0) {
        this.reserve(1);
        this.buf[this.at++] = PACKED_SEPARATOR;
      }
      const v = values[i] ?? '';
      this.text(v.includes('\x1f') ? v.replaceAll('\x1f', ' ') : v);
    }
  }

  endRow(): void {
    this.reserve(1);
    this.buf[this.at++] = NL;
    this.rowEnded();
  }

  /**
   * Notes the key of the row about to be written: `source` (its index in EVENT_SOURCES) and
   * the event id, a non-negative integer (exact below 2^53). Keeps `keysIncreasing` and the
   * id range up to date; ids from 10^15 on are beyond exact tagged keys, so they make keys
   * count as not increasing.
   */
  key(source: 0 | 1 | 2, id: number): void {
    if (id < this.minId) this.minId = id;
    if (id > this.maxId) this.maxId = id;
    if (id > Number.MAX_SAFE_INTEGER) this.idsExact = false;
    if (!this.keysIncreasing) return;
    if (id >= 1e15) this.keysIncreasing = false;
    else this.nextKey(id * 4 + source);
  }

  /** `key` for an id given as a string of digits. */
  keyText(source: 0 | 1 | 2, id: string): void {
    this.key(source, Number(id));
  }

  /** The least and greatest event id staged, or undefined when none was or one was beyond 2^53. */
  idRange(): IdRange | undefined {
    return this.idsExact && this.minId <= this.maxId ? { min: this.minId, max: this.maxId } : undefined;
  }

  private nextKey(key: number): void {
    if (this.firstKey === -1) this.firstKey = key;
    if (key > this.lastKey) this.lastKey = key;
    else this.keysIncreasing = false;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private rowEnded(): void {
    this.rowsWritten++;
    const bytes = this.bytesWritten + this.at - this.rowStart;
    if (bytes > this.maxRowBytes) this.maxRowBytes = bytes;
    this.rowStart = this.bytesWritten + this.at;
  }

  private makeRoom(n: number): void {
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n * 2);
  }

  private flush(): void {
    let off = 0;
    while (off < this.at) off += writeSync(this.fd, this.buf, off, this.at - off);
    this.bytesWritten += this.at;
    this.at = 0;
  }
}
