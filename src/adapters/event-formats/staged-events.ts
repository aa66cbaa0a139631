/**
 * The staged-event layout: what every reader writes and what a store loads.
 *
 * Contract: a staged file is UTF-8, one event per line, fields separated by a tab, in the
 * order of `STAGED_COLUMNS`; no field contains a tab, a newline or a carriage return; an
 * empty field means "absent" (NULL); dates are `YYYY-MM-DD`, timestamps
 * `YYYY-MM-DD HH:MM:SS` (the forms a loader parses fastest). Readers validate before they
 * write, so a staged file holds only accepted rows.
 *
 * The writer also tells whether event ids strictly increased through the file (per
 * source), as they do in GDELT files: then no key repeats within the file, and a store
 * need not look for repeats.
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
  ['actor1_name', 'text'],
  ['actor1_country', 'text'],
  ['actor1_group', 'text'],
  ['actor1_type', 'text'],
  ['actor2_code', 'text'],
  ['actor2_name', 'text'],
  ['actor2_country', 'text'],
  ['actor2_group', 'text'],
  ['actor2_type', 'text'],
  ['is_root', 'small'],
  ['event_code', 'text'],
  ['event_base', 'text'],
  ['event_root', 'text'],
  ['quad_class', 'small'],
  ['goldstein', 'real'],
  ['num_mentions', 'integer'],
  ['avg_tone', 'real'],
  ['action_country_fips', 'text'],
  ['source_url', 'text'],
] as const;

export type StagedColumnKind = (typeof STAGED_COLUMNS)[number][1];

/** The event sources a store keeps apart: ids are unique only within one source. */
export const EVENT_SOURCES = ['gdelt1', 'gdelt2', 'icews'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

const TAB = 9;
const NL = 10;
const DASH = 45;
const COLON = 58;
const SPACE = 32;

/**
 * Buffered writer of staged lines. A row is written as: `reserve(maxBytes)` once, then
 * fields with `field`/`isoDate`/`isoTimestamp`/`uint`/`empty` (each followed by a tab)
 * and `last…`/`endRow` for the last one; bytes reach the file in large blocks. `text`
 * and `sep` are the checked, slower path for rows built from strings.
 */
export class StagedWriter {
  private buf: Buffer;
  private pos = 0;
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

  constructor(
    readonly path: string,
    blockBytes = 4 * 1024 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(blockBytes);
    this.fd = openSync(path, 'w');
  }

  /** Makes room for `n` more bytes; the unchecked writers below rely on it. */
  reserve(n: number): void {
    if (this.pos + n > this.buf.length) this.makeRoom(n);
  }

  /** Copies `src[start, end)` and then `terminator` (unchecked: call `reserve` first). */
  private copyField(src: Buffer, start: number, end: number, terminator: number): void {
    const out = this.buf;
    let p = this.pos;
    if (end - start < 48) {
      for (let i = start; i < end; i++) out[p++] = src[i] as number;
    } else {
      src.copy(out, p, start, end);
      p += end - start;
    }
    out[p++] = terminator;
    this.pos = p;
  }

  /** Copies `src[start, end)` and a tab (unchecked: call `reserve` first). */
  field(src: Buffer, start: number, end: number): void {
    this.copyField(src, start, end, TAB);
  }

  /** Copies `src[start, end)` and ends the row (unchecked: call `reserve` first). */
  lastField(src: Buffer, start: number, end: number): void {
    this.copyField(src, start, end, NL);
    this.rowEnded();
  }

  /** An empty field (absent value) and its tab (unchecked). */
  empty(): void {
    this.buf[this.pos++] = TAB;
  }

  /** `YYYYMMDD` at `src[s]` as `YYYY-MM-DD` and a tab (unchecked). */
  isoDate(src: Buffer, s: number): void {
    const out = this.buf;
    const p = this.pos;
    out[p] = src[s] as number;
    out[p + 1] = src[s + 1] as number;
    out[p + 2] = src[s + 2] as number;
    out[p + 3] = src[s + 3] as number;
    out[p + 4] = DASH;
    out[p + 5] = src[s + 4] as number;
    out[p + 6] = src[s + 5] as number;
    out[p + 7] = DASH;
    out[p + 8] = src[s + 6] as number;
    out[p + 9] = src[s + 7] as number;
    out[p + 10] = TAB;
    this.pos = p + 11;
  }

  /** `YYYYMMDDHHMMSS` at `src[s]` as `YYYY-MM-DD HH:MM:SS` and a tab (unchecked). */
  isoTimestamp(src: Buffer, s: number): void {
    this.isoDate(src, s);
    const out = this.buf;
    const p = this.pos - 1;
    out[p] = SPACE;
    out[p + 1] = src[s + 8] as number;
    out[p + 2] = src[s + 9] as number;
    out[p + 3] = COLON;
    out[p + 4] = src[s + 10] as number;
    out[p + 5] = src[s + 11] as number;
    out[p + 6] = COLON;
    out[p + 7] = src[s + 12] as number;
    out[p + 8] = src[s + 13] as number;
    out[p + 9] = TAB;
    this.pos = p + 10;
  }

  /** A non-negative integer below 2^53 in decimal and a tab (unchecked: at most 17 bytes). */
  uint(value: number): void {
    const out = this.buf;
    let digits = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
    let p = this.pos + digits;
    out[p] = TAB;
    let v = value;
    for (let i = 0; i < digits; i++) {
      const q = Math.floor(v / 10);
      out[--p] = 48 + (v - q * 10);
      v = q;
    }
    this.pos += digits + 1;
  }

  /** Writes a string field, checked (tabs, newlines and carriage returns become spaces). */
  text(value: string): void {
    const clean = /[\t\n\r]/.test(value) ? value.replace(/[\t\n\r]/g, ' ') : value;
    const n = Buffer.byteLength(clean);
    this.reserve(n + 1);
    this.pos += this.buf.write(clean, this.pos);
  }

  sep(): void {
    this.reserve(1);
    this.buf[this.pos++] = TAB;
  }

  endRow(): void {
    this.reserve(1);
    this.buf[this.pos++] = NL;
    this.rowEnded();
  }

  /**
   * Notes the key (source, event id) of the row about to be written, the id being the digits
   * `b[s, e)`, to keep `keysIncreasing` up to date.
   */
  key(source: 0 | 1 | 2, b: Buffer, s: number, e: number): void {
    if (!this.keysIncreasing) return;
    let i = s;
    while (i < e - 1 && b[i] === 48) i++;
    if (e - i > 15) {
      this.keysIncreasing = false; // beyond exact doubles: not tracked
      return;
    }
    let v = 0;
    for (; i < e; i++) v = v * 10 + ((b[i] as number) - 48);
    this.nextKey(v * 4 + source);
  }

  /** `key` for an id given as a string of digits. */
  keyText(source: 0 | 1 | 2, id: string): void {
    if (!this.keysIncreasing) return;
    const digits = id.replace(/^0+(?=\d)/, '');
    if (digits.length > 15) this.keysIncreasing = false;
    else this.nextKey(Number(digits) * 4 + source);
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
    const bytes = this.bytesWritten + this.pos - this.rowStart;
    if (bytes > this.maxRowBytes) this.maxRowBytes = bytes;
    this.rowStart = this.bytesWritten + this.pos;
  }

  private makeRoom(n: number): void {
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n * 2);
  }

  private flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.bytesWritten += this.pos;
    this.pos = 0;
  }
}
