/**
 * GDELT event rows (1.0 backfile 57 columns, 1.0 daily 58, 2.0 export and translingual 61),
 * validated and copied byte for byte into the staged layout.
 *
 * Contract: a row is written to the staged file only when every checked field is valid;
 * otherwise nothing is written and the problem names the field and its column. Codes are
 * kept as text (`043`). Checked: GLOBALEVENTID (digits), SQLDATE (real day), DATEADDED
 * (a real day, `YYYYMMDD` in 1.0, `YYYYMMDDHHMMSS` in 2.0), EventCode (2–4 digits),
 * QuadClass (1–4), IsRootEvent (0/1), GoldsteinScale, AvgTone, FractionDate and the
 * geographies' Lat and Long (numbers), NumMentions, NumSources, NumArticles and the
 * geographies' Type (counts), each of them or empty, and UTF-8 validity of the whole line.
 * Every other column is text, staged as written. A carriage return inside a field is staged
 * as a space (the staged layout has none).
 *
 * Speed: one pass over the line finds the tabs (and notes carriage returns and unit
 * separators); the row is then written straight into the staged block, the columns that
 * are adjacent in both layouts (IsRootEvent and EventCode, EventRootCode…AvgTone) as one
 * run with their tabs, and the packed values (see `PACKED_VALUES`, `GDELT_EXTRA_VALUES`)
 * joined by U+001F, adjacent ones copied as one run whose tabs become U+001F.
 */
import { endianness } from 'node:os';
import { isCompactDate, isCompactTimestamp, isDecimal, isValidUtf8, latin1Of } from './byte-fields.ts';
import { problem, type RowProblem } from './row-problem.ts';
import { GDELT_EXTRA_VALUES, PACKED_SEPARATOR, SOURCE_CODES, type StagedWriter } from './staged-events.ts';

export type GdeltVersion = 1 | 2;

/** 0-based column positions shared by 1.0 and 2.0. */
const C = {
  id: 0,
  sqlDate: 1,
  fractionDate: 4,
  actor1Code: 5,
  actor1Name: 6,
  actor1Country: 7,
  actor1Group: 8,
  actor1Type: 12,
  actor2Code: 15,
  actor2Name: 16,
  actor2Country: 17,
  actor2Group: 18,
  actor2Type: 22,
  isRoot: 25,
  eventCode: 26,
  eventBase: 27,
  eventRoot: 28,
  quadClass: 29,
  goldstein: 30,
  numMentions: 31,
  numSources: 32,
  numArticles: 33,
  avgTone: 34,
} as const;

const LAYOUT = {
  1: {
    actionCountry: 51,
    dateAdded: 56,
    sourceUrl: 57,
    columns: [57, 58],
    /** Actor1Geo_Type, Actor2Geo_Type, ActionGeo_Type. */
    geoTypes: [35, 42, 49],
    /** The geographies' Lat and Long. */
    coordinates: [39, 40, 46, 47, 53, 54],
  },
  2: {
    actionCountry: 53,
    dateAdded: 59,
    sourceUrl: 60,
    columns: [61],
    geoTypes: [35, 43, 51],
    coordinates: [40, 41, 48, 49, 56, 57],
  },
} as const;

/**
 * The source columns staged between added_at and source_url, in staged order, as runs of
 * adjacent columns `[first, last]` copied with the tabs between them (the same in 1.0 and 2.0).
 */
const RUNS = [
  [C.actor1Code, C.actor1Code],
  [C.actor2Code, C.actor2Code],
  [C.isRoot, C.eventCode],
  [C.eventRoot, C.avgTone],
] as const;

/** A run of adjacent source columns `[first, last]`, or `null` for a value the layout lacks (staged empty). */
type Piece = readonly [number, number] | null;

/**
 * The source columns of `extra`, in `GDELT_EXTRA_VALUES` order, as runs of adjacent columns
 * (their tabs staged as U+001F); 1.0 has no ADM2 codes. Each geography starts a run of its
 * own (see `GEO`).
 */
const EXTRA: Readonly<Record<GdeltVersion, readonly Piece[]>> = {
  1: [
    [4, 4],
    [9, 11],
    [13, 14],
    [19, 21],
    [23, 24],
    [35, 38],
    null,
    [39, 41],
    [42, 45],
    null,
    [46, 48],
    [49, 50],
    [52, 52],
    null,
    [53, 55],
  ],
  2: [
    [4, 4],
    [9, 11],
    [13, 14],
    [19, 21],
    [23, 24],
    [35, 42],
    [43, 50],
    [51, 52],
    [54, 58],
  ],
};

/**
 * The geographies of a row (Actor1Geo, Actor2Geo, ActionGeo): their source columns
 * `[first, last]`, and the pieces of `EXTRA` (`[from, to)`) that stage Actor2Geo's 8 values
 * and ActionGeo's 7 (its country code is in `packed`). GDELT often gives one place twice
 * (the action where an actor is): a geography whose every column equals Actor1Geo's is
 * staged as `=1` in its Type and nothing else, and ActionGeo equal to Actor2Geo as `=2`
 * (see the GDELT view).
 */
const GEO = {
  1: { a1: [35, 41], a2: [42, 48], action: [49, 55], a2Pieces: [8, 11], actionPieces: [11, 15] },
  2: { a1: [35, 42], a2: [43, 50], action: [51, 58], a2Pieces: [6, 7], actionPieces: [7, 9] },
} as const;

/** Whether `b[s1, e1)` and `b[s2, e2)` hold the same bytes. */
function sameBytes(b: Buffer, s1: number, e1: number, s2: number, e2: number): boolean {
  const n = e1 - s1;
  if (n !== e2 - s2) return false;
  for (let i = 0; i < n; i++) if (b[s1 + i] !== b[s2 + i]) return false;
  return true;
}

/** The source columns packed into `packed`, in `PACKED_VALUES` order: the same in 1.0 and 2.0 but the action country. */
const PACKED_CODES = [C.actor1Country, C.actor1Group, C.actor1Type, C.actor2Country, C.actor2Group, C.actor2Type, C.eventBase];
const PACKED = {
  1: [...PACKED_CODES, LAYOUT[1].actionCountry, C.actor1Name, C.actor2Name],
  2: [...PACKED_CODES, LAYOUT[2].actionCountry, C.actor1Name, C.actor2Name],
} as const;

/** Codebook names of the checked columns, for messages. */
const NAMES: Readonly<Record<number, string>> = {
  [C.id]: 'GLOBALEVENTID',
  [C.sqlDate]: 'SQLDATE',
  [LAYOUT[1].dateAdded]: 'DATEADDED',
  [LAYOUT[2].dateAdded]: 'DATEADDED',
  [C.eventCode]: 'EventCode',
  [C.quadClass]: 'QuadClass',
  [C.isRoot]: 'IsRootEvent',
  [C.goldstein]: 'GoldsteinScale',
  [C.numMentions]: 'NumMentions',
  [C.numSources]: 'NumSources',
  [C.numArticles]: 'NumArticles',
  [C.avgTone]: 'AvgTone',
  [C.fractionDate]: 'FractionDate',
};

/** The codebook name of a column of `extra` (those the parser checks), for messages. */
function extraName(version: GdeltVersion, col: number): string | undefined {
  let k = 0;
  for (const piece of EXTRA[version]) {
    if (piece === null) {
      k++;
      continue;
    }
    if (col >= piece[0] && col <= piece[1]) return GDELT_EXTRA_VALUES[k + col - piece[0]];
    k += piece[1] - piece[0] + 1;
  }
  return undefined;
}

const SOURCE_TAG = { 1: Buffer.from(`${SOURCE_CODES.gdelt1}\t`), 2: Buffer.from(`${SOURCE_CODES.gdelt2}\t`) } as const;
const MAX_TABS = 64;
const LITTLE_ENDIAN = endianness() === 'LE';
const TAB = 9;
const NL = 10;
const CR = 13;
const US = PACKED_SEPARATOR;
const EQUALS = 61;
const ONE = 49;
const TWO = 50;
const DASH = 45;
const COLON = 58;
const SPACE = 32;

/** Copies `b[s, e)` to `o` at `p`; returns the position after it. */
function put(o: Buffer, p: number, b: Buffer, s: number, e: number): number {
  if (e - s > 32) return p + b.copy(o, p, s, e);
  for (let i = s; i < e; i++) o[p++] = b[i] as number;
  return p;
}

/**
 * Copies the values of the adjacent columns `first`…`last` (tab positions in `at`) to `o`
 * at `p`, joined by U+001F; returns the position after them. A unit separator inside a
 * value would split it: when the line has one (`us`), it is staged as a space.
 */
function putValues(o: Buffer, p: number, b: Buffer, at: Int32Array, first: number, last: number, us: boolean): number {
  const s = (at[first] as number) + 1;
  const e = at[last + 1] as number;
  if (us) {
    for (let i = s; i < e; i++) {
      const c = b[i] as number;
      o[p++] = c === TAB ? US : c === US ? SPACE : c;
    }
    return p;
  }
  const start = p - s;
  p = put(o, p, b, s, e);
  for (let col = first + 1; col <= last; col++) o[start + (at[col] as number)] = US;
  return p;
}

/**
 * Whether the decimal at `b[s, e)` is the FractionDate GDELT derives from the SQLDATE at
 * `b[day]` (`YYYYMMDD`): Year + ((Month − 1) × 30 + Day) / 365, rounded to four places
 * (what the GDELT files hold; the codebook's text says Month × 30). Such a value need not
 * be stored: a store derives it (see the GDELT view).
 */
function restatesDay(b: Buffer, s: number, e: number, day: number): boolean {
  // GDELT writes it as YYYY.FFFF.
  if (e - s !== 9 || b[s + 4] !== 46) return false;
  if (b[s] !== b[day] || b[s + 1] !== b[day + 1] || b[s + 2] !== b[day + 2] || b[s + 3] !== b[day + 3]) return false;
  const k =
    (((b[day + 4] as number) - 48) * 10 + ((b[day + 5] as number) - 49)) * 30 +
    ((b[day + 6] as number) - 48) * 10 +
    ((b[day + 7] as number) - 48);
  const f =
    ((b[s + 5] as number) - 48) * 1000 +
    ((b[s + 6] as number) - 48) * 100 +
    ((b[s + 7] as number) - 48) * 10 +
    ((b[s + 8] as number) - 48);
  return f === FRACTION_OF[k];
}

/** `FRACTION_OF[k]`: round(k × 10000 / 365), for k = (Month − 1) × 30 + Day of a real day. */
const FRACTION_OF = Int16Array.from({ length: 11 * 30 + 32 }, (_, k) => Math.round((k * 10000) / 365));

/** `YYYYMMDD` at `b[s]` as `YYYY-MM-DD` at `o[p]`; returns the position after it. */
function putIsoDate(o: Buffer, p: number, b: Buffer, s: number): number {
  o[p] = b[s] as number;
  o[p + 1] = b[s + 1] as number;
  o[p + 2] = b[s + 2] as number;
  o[p + 3] = b[s + 3] as number;
  o[p + 4] = DASH;
  o[p + 5] = b[s + 4] as number;
  o[p + 6] = b[s + 5] as number;
  o[p + 7] = DASH;
  o[p + 8] = b[s + 6] as number;
  o[p + 9] = b[s + 7] as number;
  return p + 10;
}

/** `HHMMSS` at `b[s]` as ` HH:MM:SS` at `o[p]`; returns the position after it. */
function putTime(o: Buffer, p: number, b: Buffer, s: number): number {
  o[p] = SPACE;
  o[p + 1] = b[s] as number;
  o[p + 2] = b[s + 1] as number;
  o[p + 3] = COLON;
  o[p + 4] = b[s + 2] as number;
  o[p + 5] = b[s + 3] as number;
  o[p + 6] = COLON;
  o[p + 7] = b[s + 4] as number;
  o[p + 8] = b[s + 5] as number;
  return p + 9;
}

/** Reusable per-file parser. */
export class GdeltRowParser {
  /** `at[k]`: the index of the tab before column k (`s - 1` for column 0); `at[columns]` = line end. */
  private readonly at = new Int32Array(MAX_TABS + 6); // room for a word's 4 tabs past the limit
  /** Whether the line last scanned by `findTabs` holds a carriage return. */
  private cr = false;
  /** Whether the line last scanned by `findTabs` holds a unit separator (U+001F). */
  private us = false;
  /** Whether the line last checked gives Actor2Geo as Actor1Geo (see `GEO`). */
  private a2Same = false;
  /** The geography the line last checked gives ActionGeo as: 1 Actor1Geo, 2 Actor2Geo, 0 its own. */
  private actionSame = 0;
  /** The buffer `words` views (see `wordsOf`). */
  private viewed: Buffer | undefined;
  private words: Int32Array | undefined;
  private readonly packed: readonly number[];
  private readonly extraRuns: Int16Array;
  private readonly geoTypes: readonly number[];
  private readonly coordinates: readonly number[];
  private readonly tag: Buffer;
  private readonly source: 0 | 1;
  private readonly dateAdded: number;
  private readonly sourceUrl: number;
  private readonly columnsA: number;
  private readonly columnsB: number;

  constructor(readonly version: GdeltVersion) {
    const layout = LAYOUT[version];
    this.packed = PACKED[version];
    this.extraRuns = Int16Array.from(EXTRA[version].flatMap((piece) => (piece === null ? [-1, -1] : [piece[0], piece[1]])));
    this.geoTypes = layout.geoTypes;
    this.coordinates = layout.coordinates;
    this.tag = SOURCE_TAG[version];
    this.source = version === 1 ? 0 : 1;
    this.dateAdded = layout.dateAdded;
    this.sourceUrl = layout.sourceUrl;
    this.columnsA = layout.columns[0];
    this.columnsB = layout.columns[layout.columns.length - 1] as number;
  }

  /**
   * Validates one line and, when valid, writes it to `out`. `ascii` may be passed as true
   * when the caller knows the line has no byte ≥ 0x80 (then it needs no UTF-8 check).
   */
  parse(b: Buffer, s: number, e: number, lineNo: number, out: StagedWriter, ascii = false): RowProblem | undefined {
    const n = this.findTabs(b, s, e);
    if (n < 0) return problem('column-count', `more than ${MAX_TABS + 1} tab-separated columns`);
    const at = this.at;
    if (n !== this.columnsA && n !== this.columnsB) {
      const layout = LAYOUT[this.version];
      return problem(
        'column-count',
        `${n} columns; GDELT ${this.version}.0 event rows have ${layout.columns.join(' or ')} (tab-separated)`,
      );
    }
    if (!ascii && !isValidUtf8(b, s, e)) return problem('invalid-utf8', 'the line is not valid UTF-8');

    const idE = at[1] as number;
    if (idE === s || idE - s > 18) return this.bad(b, 'bad-number', C.id, 'is not an event id (digits)');
    let id = 0;
    for (let i = s; i < idE; i++) {
      const d = (b[i] as number) - 48;
      if (d < 0 || d > 9) return this.bad(b, 'bad-number', C.id, 'is not an event id (digits)');
      id = id * 10 + d;
    }
    const dateS = (at[C.sqlDate] as number) + 1;
    if ((at[C.sqlDate + 1] as number) - dateS !== 8 || !isCompactDate(b, dateS))
      return this.bad(b, 'bad-date', C.sqlDate, 'is not a day YYYYMMDD');
    const addedS = (at[this.dateAdded] as number) + 1;
    const addedLen = (at[this.dateAdded + 1] as number) - addedS;
    if (this.version === 1 ? addedLen !== 8 || !isCompactDate(b, addedS) : addedLen !== 14 || !isCompactTimestamp(b, addedS)) {
      return this.bad(
        b,
        'bad-date',
        this.dateAdded,
        this.version === 1 ? 'is not a day YYYYMMDD' : 'is not a time YYYYMMDDHHMMSS',
      );
    }
    const codeS = (at[C.eventCode] as number) + 1;
    const codeE = at[C.eventCode + 1] as number;
    if (codeE - codeS < 2 || codeE - codeS > 4) return this.bad(b, 'bad-code', C.eventCode, 'is not a CAMEO event code');
    for (let i = codeS; i < codeE; i++) {
      const c = b[i] as number;
      if (c < 48 || c > 57) return this.bad(b, 'bad-code', C.eventCode, 'is not a CAMEO event code');
    }
    const quadS = (at[C.quadClass] as number) + 1;
    const quad = b[quadS] as number;
    if ((at[C.quadClass + 1] as number) - quadS !== 1 || quad < 49 || quad > 52)
      return this.bad(b, 'bad-number', C.quadClass, 'is not 1–4');
    const rootS = (at[C.isRoot] as number) + 1;
    const rootLen = (at[C.isRoot + 1] as number) - rootS;
    if (rootLen > 0 && (rootLen !== 1 || (b[rootS] !== 48 && b[rootS] !== 49)))
      return this.bad(b, 'bad-number', C.isRoot, 'is not 0 or 1');
    const goldS = (at[C.goldstein] as number) + 1;
    const goldE = at[C.goldstein + 1] as number;
    if (goldE > goldS && !isDecimal(b, goldS, goldE)) return this.bad(b, 'bad-number', C.goldstein, 'is not a number');
    const badCount = this.checkCounts(b);
    if (badCount >= 0) return this.bad(b, 'bad-number', badCount, 'is not a count');
    const toneS = (at[C.avgTone] as number) + 1;
    const toneE = at[C.avgTone + 1] as number;
    if (toneE > toneS && !isDecimal(b, toneS, toneE)) return this.bad(b, 'bad-number', C.avgTone, 'is not a number');
    const badExtra = this.checkExtras(b);
    if (badExtra >= 0)
      return this.bad(
        b,
        'bad-number',
        badExtra,
        this.geoTypes.includes(badExtra) ? 'is not a geographic type (a whole number)' : 'is not a number',
      );

    out.key(this.source, id);
    this.write(b, s, e, lineNo, out, n, this.cr);
    return undefined;
  }

  /**
   * Checks the numbers among the extra values (FractionDate, the geographies' Type, Lat and
   * Long); returns the first bad column, or -1.
   */
  private checkExtras(b: Buffer): number {
    const at = this.at;
    const fracS = (at[C.fractionDate] as number) + 1;
    const fracE = at[C.fractionDate + 1] as number;
    if (fracE > fracS && !isDecimal(b, fracS, fracE)) return C.fractionDate;
    // Geographies that repeat another (see `GEO`) need no second check.
    const geo = GEO[this.version];
    const a1s = (at[geo.a1[0]] as number) + 1;
    const a1e = at[geo.a1[1] + 1] as number;
    const a2s = (at[geo.a2[0]] as number) + 1;
    const a2e = at[geo.a2[1] + 1] as number;
    const acs = (at[geo.action[0]] as number) + 1;
    const ace = at[geo.action[1] + 1] as number;
    // A marker pays only for a place with more to it than a type (the block's tabs are 7 or 6).
    this.a2Same = a2e - a2s > 10 && sameBytes(b, a1s, a1e, a2s, a2e);
    this.actionSame = ace - acs <= 10 ? 0 : sameBytes(b, a1s, a1e, acs, ace) ? 1 : sameBytes(b, a2s, a2e, acs, ace) ? 2 : 0;
    const types = this.geoTypes;
    const coordinates = this.coordinates;
    for (let g = 0; g < 3; g++) {
      if ((g === 1 && this.a2Same) || (g === 2 && this.actionSame !== 0)) continue;
      const type = types[g] as number;
      if (!this.isCount(b, type)) return type;
      for (let k = 2 * g; k < 2 * g + 2; k++) {
        const col = coordinates[k] as number;
        const cs = (at[col] as number) + 1;
        const ce = at[col + 1] as number;
        if (ce > cs && !isDecimal(b, cs, ce)) return col;
      }
    }
    return -1;
  }

  /** Checks NumMentions, NumSources and NumArticles (adjacent): empty or at most 9 digits; returns the first bad column, or -1. */
  private checkCounts(b: Buffer): number {
    const at = this.at;
    let col = C.numMentions;
    let start = (at[col] as number) + 1;
    for (let i = start, end = at[C.numArticles + 1] as number; i < end; i++) {
      const c = b[i] as number;
      if (c === TAB) {
        if (i - start > 9) return col;
        col++;
        start = i + 1;
      } else if (c < 48 || c > 57) return col;
    }
    return (at[C.numArticles + 1] as number) - start > 9 ? col : -1;
  }

  /** Column `col` is empty or a count (at most 9 digits). */
  private isCount(b: Buffer, col: number): boolean {
    const s = (this.at[col] as number) + 1;
    const e = this.at[col + 1] as number;
    if (e - s > 9) return false;
    for (let i = s; i < e; i++) {
      const c = b[i] as number;
      if (c < 48 || c > 57) return false;
    }
    return true;
  }

  /**
   * Fills `at` for the line `b[s, e)` and notes whether it holds a carriage return or a
   * unit separator; returns the number of columns, or -1 when there are more than
   * MAX_TABS + 1.
   */
  private findTabs(b: Buffer, s: number, e: number): number {
    const at = this.at;
    at[0] = s - 1;
    let n = 1;
    // A control byte other than a tab (a carriage return, a unit separator, …): rare, so
    // only noted here, and told apart once the line is scanned.
    let odd = false;
    let i = s;
    const words = this.wordsOf(b);
    if (words !== undefined) {
      // Byte by byte up to a 4-byte boundary, then four bytes at a time: most words hold no
      // byte below 32, and those that do give their tabs' places by bit arithmetic.
      for (const head = Math.min(e, (s + 3) & ~3); i < head; i++) {
        const c = b[i] as number;
        if (c === TAB) at[n++] = i;
        else if (c < 32) odd = true;
      }
      for (const end = e & ~3; i < end; i += 4) {
        const v = words[i >> 2] as number;
        if (((v - 0x20202020) & ~v & 0x80808080) === 0) continue;
        const x = v ^ 0x09090909;
        let tabs = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
        // The bytes below 32 (exactly, high bit set): any that is not a tab is odd.
        if ((~(((v & 0x7f7f7f7f) + 0x60606060) | v | 0x7f7f7f7f) & ~tabs) !== 0) odd = true;
        while (tabs !== 0) {
          at[n++] = i + ((31 - Math.clz32(tabs & -tabs)) >> 3);
          tabs &= tabs - 1;
        }
        if (n > MAX_TABS + 1) return -1;
      }
    }
    for (; i < e; i++) {
      const c = b[i] as number;
      if (c < 32) {
        if (c === TAB) {
          if (n > MAX_TABS) return -1;
          at[n++] = i;
        } else odd = true;
      }
    }
    if (n > MAX_TABS + 1) return -1;
    at[n] = e;
    let cr = false;
    let us = false;
    if (odd) {
      for (let k = s; k < e; k++) {
        const c = b[k] as number;
        if (c === CR) cr = true;
        else if (c === US) us = true;
      }
    }
    this.cr = cr;
    this.us = us;
    return n;
  }

  /** A 32-bit view of `b` for `findTabs` (cached per buffer), when `b` is 4-byte aligned on a little-endian machine. */
  private wordsOf(b: Buffer): Int32Array | undefined {
    if (b !== this.viewed) {
      this.viewed = b;
      this.words = LITTLE_ENDIAN && (b.byteOffset & 3) === 0 ? new Int32Array(b.buffer, b.byteOffset, b.length >> 2) : undefined;
    }
    return this.words;
  }

  /** Writes an accepted row in STAGED_COLUMNS order (`columns` counted by `parse`). */
  private write(b: Buffer, s: number, e: number, lineNo: number, out: StagedWriter, columns: number, cr: boolean): void {
    const at = this.at;
    out.reserve(e - s + 128);
    const o = out.block;
    const rowStart = out.pos;
    let p = out.putLineNumber(lineNo);
    const tag = this.tag;
    for (let k = 0; k < tag.length; k++) o[p++] = tag[k] as number;
    p = put(o, p, b, s, at[1] as number);
    o[p++] = TAB;
    p = putIsoDate(o, p, b, (at[C.sqlDate] as number) + 1);
    o[p++] = TAB;
    const addedS = (at[this.dateAdded] as number) + 1;
    // known_at: 1.0's DATEADDED; 2.0's is the day of added_at, left for the store to take.
    if (this.version === 2) {
      o[p++] = TAB;
      p = putIsoDate(o, p, b, addedS);
      p = putTime(o, p, b, addedS + 8);
    } else {
      p = putIsoDate(o, p, b, addedS);
      o[p++] = TAB;
    }
    o[p++] = TAB;
    for (let r = 0; r < RUNS.length; r++) {
      const run = RUNS[r] as readonly [number, number];
      p = put(o, p, b, (at[run[0]] as number) + 1, at[run[1] + 1] as number);
      o[p++] = TAB;
    }
    if (columns > this.sourceUrl) p = put(o, p, b, (at[this.sourceUrl] as number) + 1, at[this.sourceUrl + 1] as number);
    o[p++] = TAB;
    const packed = this.packed;
    for (let k = 0; k < packed.length; k++) {
      if (k > 0) o[p++] = US;
      const col = packed[k] as number;
      // A unit separator inside a value would split it: staged as a space.
      for (let i = (at[col] as number) + 1, end = at[col + 1] as number; i < end; i++) {
        const c = b[i] as number;
        o[p++] = c === US ? SPACE : c;
      }
    }
    o[p++] = TAB;
    p = this.writeExtra(o, p, b);
    if (cr) {
      for (let i = rowStart; i < p; i++) if (o[i] === CR) o[i] = SPACE;
    }
    o[p++] = NL;
    out.rowWrittenTo(p);
  }

  /**
   * Writes the `extra` field at `p` (`GDELT_EXTRA_VALUES`); returns the position after it.
   * Separators are written only before a value that is not empty: empty values at the end
   * are left out (a store reads a missing value as empty).
   */
  private writeExtra(o: Buffer, p: number, b: Buffer): number {
    const at = this.at;
    const runs = this.extraRuns;
    const us = this.us;
    // FractionDate, the first value: left out when it restates SQLDATE, `-` when absent.
    const fracS = (at[C.fractionDate] as number) + 1;
    const fracE = at[C.fractionDate + 1] as number;
    if (fracE === fracS) o[p++] = DASH;
    else if (!restatesDay(b, fracS, fracE, (at[C.sqlDate] as number) + 1)) p = put(o, p, b, fracS, fracE);
    let pending = 1;
    // Geographies that repeat another (see `GEO`; found by `checkExtras`).
    const geo = GEO[this.version];
    const a2Same = this.a2Same;
    const actionSame = this.actionSame;
    for (let k = 2; k < runs.length; k += 2) {
      const piece = k >> 1;
      if ((piece === geo.a2Pieces[0] && a2Same) || (piece === geo.actionPieces[0] && actionSame !== 0)) {
        for (; pending > 0; pending--) o[p++] = US;
        o[p++] = EQUALS;
        o[p++] = piece === geo.a2Pieces[0] || actionSame === 1 ? ONE : TWO;
        // The separator after the marker and the geography's other values, all empty.
        pending = piece === geo.a2Pieces[0] ? 8 : 7;
        k = 2 * (piece === geo.a2Pieces[0] ? geo.a2Pieces[1] : geo.actionPieces[1]) - 2;
        continue;
      }
      const first = runs[k] as number;
      if (first < 0) {
        pending++;
        continue;
      }
      const last = runs[k + 1] as number;
      if ((at[last + 1] as number) - (at[first] as number) === last - first + 1) {
        // Every value of the run empty: only its separators (when a value follows).
        pending += last - first + 1;
        continue;
      }
      for (; pending > 0; pending--) o[p++] = US;
      const start = p;
      p = putValues(o, p, b, at, first, last, us);
      // The run's own empty values at its end wait like the others.
      pending = 1;
      while (p > start && o[p - 1] === US) {
        p--;
        pending++;
      }
    }
    return p;
  }

  private bad(b: Buffer, kind: 'bad-date' | 'bad-number' | 'bad-code', col: number, what: string): RowProblem {
    const name = NAMES[col] ?? extraName(this.version, col) ?? `column ${col + 1}`;
    const s = (this.at[col] as number) + 1;
    const e = this.at[col + 1] as number;
    return problem(kind, `${name} (column ${col + 1}) ${what}: "${latin1Of(b, s, e)}"`, name, col + 1);
  }
}
