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

const SOURCE_TAG = { 1: Buffer.from('gdelt1'), 2: Buffer.from('gdelt2') } as const;
const MAX_TABS = 64;

/** Reusable per-file parser. */
export class GdeltRowParser {
  private readonly starts = new Int32Array(MAX_TABS + 2);
  private readonly ends = new Int32Array(MAX_TABS + 2);
  private readonly lineNoBuf = Buffer.alloc(20);

  constructor(readonly version: GdeltVersion) {}

  /** Validates one line and, when valid, writes it to `out`. */
  parse(b: Buffer, s: number, e: number, lineNo: number, out: StagedWriter): RowProblem | undefined {
    const starts = this.starts;
    const ends = this.ends;
    let n = 0;
    starts[0] = s;
    let high = false;
    for (let i = s; i < e; i++) {
      const c = b[i] as number;
      if (c === 9) {
        if (n >= MAX_TABS) return problem('column-count', `more than ${MAX_TABS + 1} tab-separated columns`);
        ends[n] = i;
        n++;
        starts[n] = i + 1;
      } else if (c >= 128) high = true;
    }
    ends[n] = e;
    const cols = n + 1;
    const layout = LAYOUT[this.version];
    if (!(layout.columns as readonly number[]).includes(cols)) {
      return problem(
        'column-count',
        `${cols} columns; GDELT ${this.version}.0 event rows have ${layout.columns.join(' or ')} (tab-separated)`,
      );
    }
    if (high && !isValidUtf8(b, s, e)) return problem('invalid-utf8', 'the line is not valid UTF-8');

    const f = (col: number, name: string) => ({ s: starts[col] as number, e: ends[col] as number, name, col });
    const bad = (
      kind: 'bad-date' | 'bad-number' | 'bad-code' | 'missing-field',
      x: { s: number; e: number; name: string; col: number },
      what: string,
    ) => problem(kind, `${x.name} (column ${x.col + 1}) ${what}: "${latin1Of(b, x.s, x.e)}"`, x.name, x.col + 1);

    const id = f(C.id, 'GLOBALEVENTID');
    if (!isDigits(b, id.s, id.e) || id.e - id.s > 18) return bad('bad-number', id, 'is not an event id (digits)');
    const sqlDate = f(C.sqlDate, 'SQLDATE');
    if (sqlDate.e - sqlDate.s !== 8 || !isCompactDate(b, sqlDate.s)) return bad('bad-date', sqlDate, 'is not a day YYYYMMDD');
    const added = f(layout.dateAdded, 'DATEADDED');
    const addedLen = added.e - added.s;
    if (this.version === 1 ? addedLen !== 8 || !isCompactDate(b, added.s) : addedLen !== 14 || !isCompactTimestamp(b, added.s)) {
      return bad('bad-date', added, this.version === 1 ? 'is not a day YYYYMMDD' : 'is not a time YYYYMMDDHHMMSS');
    }
    const code = f(C.eventCode, 'EventCode');
    if (!isDigits(b, code.s, code.e) || code.e - code.s < 2 || code.e - code.s > 4)
      return bad('bad-code', code, 'is not a CAMEO event code');
    const quad = f(C.quadClass, 'QuadClass');
    if (quad.e - quad.s !== 1 || (b[quad.s] as number) < 49 || (b[quad.s] as number) > 52)
      return bad('bad-number', quad, 'is not 1–4');
    const root = f(C.isRoot, 'IsRootEvent');
    if (root.e > root.s && (root.e - root.s !== 1 || (b[root.s] !== 48 && b[root.s] !== 49)))
      return bad('bad-number', root, 'is not 0 or 1');
    const gold = f(C.goldstein, 'GoldsteinScale');
    if (gold.e > gold.s && !isDecimal(b, gold.s, gold.e)) return bad('bad-number', gold, 'is not a number');
    const mentions = f(C.numMentions, 'NumMentions');
    if (mentions.e > mentions.s && (!isDigits(b, mentions.s, mentions.e) || mentions.e - mentions.s > 9))
      return bad('bad-number', mentions, 'is not a count');
    const tone = f(C.avgTone, 'AvgTone');
    if (tone.e > tone.s && !isDecimal(b, tone.s, tone.e)) return bad('bad-number', tone, 'is not a number');

    // Accepted: write the staged row in STAGED_COLUMNS order.
    const nb = this.lineNoBuf;
    const digits = nb.write(String(lineNo), 0, 'latin1');
    out.bytes(nb, 0, digits);
    out.sep();
    const tag = SOURCE_TAG[this.version];
    out.bytes(tag, 0, tag.length);
    out.sep();
    out.bytes(b, id.s, id.e);
    out.sep();
    out.bytes(b, sqlDate.s, sqlDate.e);
    out.sep();
    out.bytes(b, added.s, added.s + 8);
    out.sep();
    if (this.version === 2) out.bytes(b, added.s, added.e);
    out.sep();
    for (const col of COPIED[this.version]) {
      out.bytes(b, starts[col] as number, ends[col] as number);
      out.sep();
    }
    if (cols > layout.sourceUrl) out.bytes(b, starts[layout.sourceUrl] as number, ends[layout.sourceUrl] as number);
    out.endRow();
    return undefined;
  }
}
