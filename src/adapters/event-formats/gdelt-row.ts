/**
 * GDELT event rows (1.0 backfile 57 columns, 1.0 daily 58, 2.0 export and translingual 61),
 * validated and copied byte for byte into the staged layout.
 *
 * Contract: a row is written to the staged file only when every checked field is valid;
 * otherwise nothing is written and the problem names the field and its column. Codes are
 * kept as text (`043`). Checked: GLOBALEVENTID (digits), SQLDATE (real day), DATEADDED
 * (a real day, `YYYYMMDD` in 1.0, `YYYYMMDDHHMMSS` in 2.0), EventCode (2–4 digits),
 * QuadClass (1–4), IsRootEvent (0/1), GoldsteinScale, NumMentions, AvgTone (numbers, or
 * empty), and UTF-8 validity of the whole line.
 */
import { isCompactDate, isCompactTimestamp, isDecimal, isDigits, isValidUtf8, latin1Of } from './byte-fields.ts';
import { problem, type RowProblem } from './row-problem.ts';
import type { StagedWriter } from './staged-events.ts';

export type GdeltVersion = 1 | 2;

/** 0-based column positions shared by 1.0 and 2.0. */
const C = {
  id: 0,
  sqlDate: 1,
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
  avgTone: 34,
} as const;

const LAYOUT = {
  1: { actionCountry: 51, dateAdded: 56, sourceUrl: 57, columns: [57, 58] },
  2: { actionCountry: 53, dateAdded: 59, sourceUrl: 60, columns: [61] },
} as const;

const SHARED_COPIED = [
  C.actor1Code,
  C.actor1Name,
  C.actor1Country,
  C.actor1Group,
  C.actor1Type,
  C.actor2Code,
  C.actor2Name,
  C.actor2Country,
  C.actor2Group,
  C.actor2Type,
  C.isRoot,
  C.eventCode,
  C.eventBase,
  C.eventRoot,
  C.quadClass,
  C.goldstein,
  C.numMentions,
  C.avgTone,
];
/** Columns copied verbatim, in staged order, between added_at and source_url. */
const COPIED = { 1: [...SHARED_COPIED, LAYOUT[1].actionCountry], 2: [...SHARED_COPIED, LAYOUT[2].actionCountry] } as const;

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
  [C.avgTone]: 'AvgTone',
};

const SOURCE_TAG = { 1: Buffer.from('gdelt1'), 2: Buffer.from('gdelt2') } as const;
const MAX_TABS = 64;

/** Reusable per-file parser. */
export class GdeltRowParser {
  private readonly starts = new Int32Array(MAX_TABS + 2);
  private readonly ends = new Int32Array(MAX_TABS + 2);
  private readonly copied: readonly number[];
  private readonly tag: Buffer;
  private readonly dateAdded: number;
  private readonly sourceUrl: number;
  private readonly columnsA: number;
  private readonly columnsB: number;

  constructor(readonly version: GdeltVersion) {
    const layout = LAYOUT[version];
    this.copied = COPIED[version];
    this.tag = SOURCE_TAG[version];
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
    const starts = this.starts;
    const ends = this.ends;
    let n = 0;
    starts[0] = s;
    for (let i = s; i < e; i++) {
      if (b[i] === 9) {
        if (n >= MAX_TABS) return problem('column-count', `more than ${MAX_TABS + 1} tab-separated columns`);
        ends[n] = i;
        n++;
        starts[n] = i + 1;
      }
    }
    ends[n] = e;
    const cols = n + 1;
    if (cols !== this.columnsA && cols !== this.columnsB) {
      const layout = LAYOUT[this.version];
      return problem(
        'column-count',
        `${cols} columns; GDELT ${this.version}.0 event rows have ${layout.columns.join(' or ')} (tab-separated)`,
      );
    }
    if (!ascii && !isValidUtf8(b, s, e)) return problem('invalid-utf8', 'the line is not valid UTF-8');

    const idS = starts[C.id] as number;
    const idE = ends[C.id] as number;
    if (!isDigits(b, idS, idE) || idE - idS > 18) return this.bad(b, 'bad-number', C.id, 'is not an event id (digits)');
    const dateS = starts[C.sqlDate] as number;
    if ((ends[C.sqlDate] as number) - dateS !== 8 || !isCompactDate(b, dateS))
      return this.bad(b, 'bad-date', C.sqlDate, 'is not a day YYYYMMDD');
    const addedS = starts[this.dateAdded] as number;
    const addedLen = (ends[this.dateAdded] as number) - addedS;
    if (this.version === 1 ? addedLen !== 8 || !isCompactDate(b, addedS) : addedLen !== 14 || !isCompactTimestamp(b, addedS)) {
      return this.bad(
        b,
        'bad-date',
        this.dateAdded,
        this.version === 1 ? 'is not a day YYYYMMDD' : 'is not a time YYYYMMDDHHMMSS',
      );
    }
    const codeS = starts[C.eventCode] as number;
    const codeLen = (ends[C.eventCode] as number) - codeS;
    if (codeLen < 2 || codeLen > 4 || !isDigits(b, codeS, codeS + codeLen))
      return this.bad(b, 'bad-code', C.eventCode, 'is not a CAMEO event code');
    const quadS = starts[C.quadClass] as number;
    const quad = b[quadS] as number;
    if ((ends[C.quadClass] as number) - quadS !== 1 || quad < 49 || quad > 52)
      return this.bad(b, 'bad-number', C.quadClass, 'is not 1–4');
    const rootS = starts[C.isRoot] as number;
    const rootLen = (ends[C.isRoot] as number) - rootS;
    if (rootLen > 0 && (rootLen !== 1 || (b[rootS] !== 48 && b[rootS] !== 49)))
      return this.bad(b, 'bad-number', C.isRoot, 'is not 0 or 1');
    const goldS = starts[C.goldstein] as number;
    const goldE = ends[C.goldstein] as number;
    if (goldE > goldS && !isDecimal(b, goldS, goldE)) return this.bad(b, 'bad-number', C.goldstein, 'is not a number');
    const menS = starts[C.numMentions] as number;
    const menE = ends[C.numMentions] as number;
    if (menE > menS && (menE - menS > 9 || !isDigits(b, menS, menE)))
      return this.bad(b, 'bad-number', C.numMentions, 'is not a count');
    const toneS = starts[C.avgTone] as number;
    const toneE = ends[C.avgTone] as number;
    if (toneE > toneS && !isDecimal(b, toneS, toneE)) return this.bad(b, 'bad-number', C.avgTone, 'is not a number');

    // Accepted: write the staged row in STAGED_COLUMNS order.
    out.key(this.version === 1 ? 0 : 1, b, idS, idE);
    out.reserve(e - s + 128);
    out.uint(lineNo);
    out.field(this.tag, 0, this.tag.length);
    out.field(b, idS, idE);
    out.isoDate(b, dateS);
    out.isoDate(b, addedS);
    if (this.version === 2) out.isoTimestamp(b, addedS);
    else out.empty();
    const copied = this.copied;
    for (let k = 0; k < copied.length; k++) {
      const col = copied[k] as number;
      out.field(b, starts[col] as number, ends[col] as number);
    }
    if (cols > this.sourceUrl) out.lastField(b, starts[this.sourceUrl] as number, ends[this.sourceUrl] as number);
    else out.lastField(b, e, e);
    return undefined;
  }

  private bad(b: Buffer, kind: 'bad-date' | 'bad-number' | 'bad-code', col: number, what: string): RowProblem {
    const name = NAMES[col] ?? `column ${col + 1}`;
    const s = this.starts[col] as number;
    const e = this.ends[col] as number;
    return problem(kind, `${name} (column ${col + 1}) ${what}: "${latin1Of(b, s, e)}"`, name, col + 1);
  }
}
