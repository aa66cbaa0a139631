/**
 * The staged-event layout: what every reader writes and what a store loads.
 *
 * Contract: a staged file is UTF-8, one event per line, fields separated by a tab, in the
 * order of `STAGED_COLUMNS`; no field contains a tab, a newline or a carriage return; an
 * empty field means "absent" (NULL); dates are `YYYY-MM-DD`, timestamps
 * `YYYY-MM-DD HH:MM:SS`; the source is its code (`SOURCE_CODES`): the forms a loader parses
 * fastest. Readers validate before they write, so a staged file holds
 * only accepted rows. `known_at` is left empty when it is the day of `added_at` (GDELT 2.0)
 * or, without `added_at`, the event day (ICEWS): a store takes it from them.
 *
 * The values no query filters on by column (`PACKED_VALUES`: actor countries, known groups
 * and types, the event base code, the action country, and the actor names) travel and are
 * stored as one field, `packed`, joined by the unit separator U+001F (a value's own U+001F
 * is staged as a space): the store keeps 10 fewer text columns, which is most of what
 * storing costs, and shows them under their own names again (see the DuckDB event store).
 * The values only one source has and no query of ours reads (`GDELT_EXTRA_VALUES`: the
 * other actor codes, FractionDate, the geography; `ICEWS_EXTRA_VALUES`: the event text,
 * sectors and countries as written, story, sentence, publisher, place and coordinates)
 * travel the same way in a second field, `extra`, in the order of the row's source; kept
 * apart from `packed` so that reading the common values never reads them. Numbers among
 * them (coordinates, geo types, story ids) are checked by the readers, so a store can
 * cast them. NumSources and NumArticles, which indicators sum, are columns of their own.
 *
 * The writer also tells whether event ids strictly increased through the file (per
 * source), as they do in GDELT files: then no key repeats within the file, and a store
 * need not look for repeats; and the range of the ids, so that a store compares them only
 * with stored events in that range.
 *
 * Line numbers (`line_no`) serve only to tell which of the rows sharing a key came first,
 * so a row's number is left out (empty) while the keys have strictly increased up to it:
 * such rows share no key among themselves, and each comes before every numbered row of its
 * staged file. From the first row whose key does not increase on, every row has its number.
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
  ['num_sources', 'integer'],
  ['num_articles', 'integer'],
  ['avg_tone', 'real'],
  ['source_url', 'text'],
  ['packed', 'text'],
  ['extra', 'text'],
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

/**
 * The values of `extra` for a GDELT row, in order, under the codebook's names (GDELT 1.0
 * has no ADM2 codes: empty there). ActionGeo_CountryCode is `action_country_fips` of
 * `packed`; MonthYear, Year and DATEADDED are the event day and the time added restated.
 * FractionDate is empty when it restates the event day too (as GDELT's files do), and `-`
 * when the file leaves it empty. Empty values at the end are left out.
 */
export const GDELT_EXTRA_VALUES = [
  'FractionDate',
  'Actor1EthnicCode',
  'Actor1Religion1Code',
  'Actor1Religion2Code',
  'Actor1Type2Code',
  'Actor1Type3Code',
  'Actor2EthnicCode',
  'Actor2Religion1Code',
  'Actor2Religion2Code',
  'Actor2Type2Code',
  'Actor2Type3Code',
  'Actor1Geo_Type',
  'Actor1Geo_FullName',
  'Actor1Geo_CountryCode',
  'Actor1Geo_ADM1Code',
  'Actor1Geo_ADM2Code',
  'Actor1Geo_Lat',
  'Actor1Geo_Long',
  'Actor1Geo_FeatureID',
  'Actor2Geo_Type',
  'Actor2Geo_FullName',
  'Actor2Geo_CountryCode',
  'Actor2Geo_ADM1Code',
  'Actor2Geo_ADM2Code',
  'Actor2Geo_Lat',
  'Actor2Geo_Long',
  'Actor2Geo_FeatureID',
  'ActionGeo_Type',
  'ActionGeo_FullName',
  'ActionGeo_ADM1Code',
  'ActionGeo_ADM2Code',
  'ActionGeo_Lat',
  'ActionGeo_Long',
  'ActionGeo_FeatureID',
] as const;

/**
 * The values of `extra` for an ICEWS row, in order, under ICEWS's header names (as
 * written, `NA` absent). The other columns are those of every source: Event ID, Event
 * Date, Source Name and Target Name (the actor names), CAMEO Code, Intensity (Goldstein).
 */
export const ICEWS_EXTRA_VALUES = [
  'Event Text',
  'Source Sectors',
  'Source Country',
  'Target Sectors',
  'Target Country',
  'Story ID',
  'Sentence Number',
  'Publisher',
  'City',
  'District',
  'Province',
  'Country',
  'Latitude',
  'Longitude',
] as const;

/** Separates the values of `packed` and `extra` (U+001F, the unit separator). */
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

/** The source of a staged row as the `source` field gives it. */
export const SOURCE_CODES: Readonly<Record<EventSource, string>> = { gdelt1: '1', gdelt2: '2', icews: 'i' };

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
   * Writes line number `n` (a non-negative integer below 2^53; left out while the keys
   * increase, see the layout) and a tab at `pos` (raw: `pos` does not move); returns the
   * position after them. Call after noting the row's key. Consecutive numbers cost one
   * increment, not a conversion.
   */
  putLineNumber(n: number): number {
    if (this.keysIncreasing) {
      this.buf[this.at] = TAB;
      return this.at + 1;
    }
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

  /** Writes line number `n` and a tab, checked (as `putLineNumber` does). */
  lineNumber(n: number): void {
    this.reserve(24);
    this.at = this.putLineNumber(n);
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

  /** Writes `values` as the `packed` or `extra` field, each checked as `text` is and without U+001F. */
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
