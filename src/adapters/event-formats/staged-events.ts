/**
 * The staged-event layout: what every reader writes and what a store loads.
 *
 * Contract: a staged file is UTF-8, one event per line, fields separated by a tab, in the
 * order of `STAGED_COLUMNS`; no field contains a tab, a newline or a carriage return; an
 * empty field means "absent" (NULL); dates are `YYYYMMDD`, timestamps `YYYYMMDDHHMMSS`.
 * Readers validate before they write, so a staged file holds only accepted rows.
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

/**
 * Buffered writer of staged lines. Fields are appended with `bytes`/`text`/`sep` and a row
 * is closed with `endRow`; bytes reach the file in large blocks.
 */
export class StagedWriter {
  private buf: Buffer;
  private pos = 0;
  private fd: number;
  bytesWritten = 0;

  constructor(
    readonly path: string,
    blockBytes = 4 * 1024 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(blockBytes);
    this.fd = openSync(path, 'w');
  }

  /** Copies `src[start, end)` as a field's content. */
  bytes(src: Buffer, start: number, end: number): void {
    const n = end - start;
    if (this.pos + n + 1 > this.buf.length) this.makeRoom(n + 1);
    const out = this.buf;
    if (n < 32) {
      let p = this.pos;
      for (let i = start; i < end; i++) out[p++] = src[i] as number;
      this.pos = p;
    } else {
      src.copy(out, this.pos, start, end);
      this.pos += n;
    }
  }

  /** Writes a string field (tabs, newlines and carriage returns become spaces). */
  text(value: string): void {
    const clean = /[\t\n\r]/.test(value) ? value.replace(/[\t\n\r]/g, ' ') : value;
    const n = Buffer.byteLength(clean);
    if (this.pos + n + 1 > this.buf.length) this.makeRoom(n + 1);
    this.pos += this.buf.write(clean, this.pos);
  }

  sep(): void {
    if (this.pos + 1 > this.buf.length) this.makeRoom(1);
    this.buf[this.pos++] = TAB;
  }

  endRow(): void {
    if (this.pos + 1 > this.buf.length) this.makeRoom(1);
    this.buf[this.pos++] = NL;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
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
