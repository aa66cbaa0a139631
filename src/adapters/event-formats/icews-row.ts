/**
 * ICEWS event rows (tab-separated, header line), validated and mapped into the staged layout.
 *
 * Contract: columns are found by header name, so column order may vary; `Event ID`,
 * `Event Date` (YYYY-MM-DD) and `CAMEO Code` are required. `NA` or empty means absent.
 * Actors are names in ICEWS: the actor code is the CAMEO country code of `Source/Target
 * Country` followed by the agent code of the first sector that maps (`PAK` + `MIL` →
 * `PAKMIL`). `Intensity` is the Goldstein score; QuadClass comes from the CAMEO root; knownAt
 * is the event day (ICEWS gives no date added); there is no tone. Every other column of
 * `ICEWS_EXTRA_VALUES` is kept as written (trimmed; `NA` absent); `Story ID` and `Sentence
 * Number` must be whole numbers, `Latitude` and `Longitude` numbers, or absent.
 */
import { daysInMonth } from '../../core/dates.ts';
import { type CameoTables, quadClassOfRoot } from './cameo-tables.ts';
import { problem, type RowProblem } from './row-problem.ts';
import { ICEWS_EXTRA_VALUES, SOURCE_CODES, type StagedWriter } from './staged-events.ts';

const REQUIRED = ['Event ID', 'Event Date', 'CAMEO Code'] as const;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** The values of `extra` that a store casts to numbers, and what each must be. */
const CHECKED_EXTRAS: readonly (readonly [(typeof ICEWS_EXTRA_VALUES)[number], RegExp, string])[] = [
  ['Story ID', /^\d{1,18}$/, 'is not a story id (digits)'],
  ['Sentence Number', /^\d{1,9}$/, 'is not a sentence number (digits)'],
  ['Latitude', NUMBER_RE, 'is not a number'],
  ['Longitude', NUMBER_RE, 'is not a number'],
];

export function isIcewsHeader(line: string): boolean {
  return line.replace(/^\uFEFF/, '').startsWith('Event ID\t');
}

export class IcewsRowParser {
  private readonly index: ReadonlyMap<string, number>;
  readonly columns: number;

  constructor(
    headerLine: string,
    private readonly tables: CameoTables,
  ) {
    const names = headerLine.replace(/^\uFEFF/, '').split('\t');
    this.columns = names.length;
    this.index = new Map(names.map((n, i) => [n.trim(), i]));
  }

  /** Required header columns that are missing (empty when the header is usable). */
  missingColumns(): string[] {
    return REQUIRED.filter((n) => !this.index.has(n));
  }

  parse(b: Buffer, s: number, e: number, lineNo: number, out: StagedWriter): RowProblem | undefined {
    let text: string;
    try {
      text = strictUtf8.decode(b.subarray(s, e));
    } catch {
      return problem('invalid-utf8', 'the line is not valid UTF-8');
    }
    const cells = text.split('\t');
    if (cells.length !== this.columns) {
      return problem('column-count', `${cells.length} columns; the header has ${this.columns} (tab-separated)`);
    }
    if (isIcewsHeader(text)) return problem('duplicate-header', 'a second header line');
    const get = (name: string): string | undefined => {
      const i = this.index.get(name);
      const v = i === undefined ? undefined : (cells[i] as string).trim();
      return v === undefined || v === '' || v === 'NA' ? undefined : v;
    };
    const col = (name: string) => (this.index.get(name) ?? 0) + 1;
    const bad = (kind: 'bad-date' | 'bad-number' | 'bad-code', name: string, what: string) =>
      problem(kind, `${name} (column ${col(name)}) ${what}: "${(get(name) ?? '').slice(0, 80)}"`, name, col(name));

    const id = get('Event ID');
    if (id === undefined || !/^\d{1,18}$/.test(id)) return bad('bad-number', 'Event ID', 'is not an event id (digits)');
    const date = get('Event Date') ?? '';
    const dm = DATE_RE.exec(date);
    if (!dm || !isRealDay(Number(dm[1]), Number(dm[2]), Number(dm[3])))
      return bad('bad-date', 'Event Date', 'is not a day YYYY-MM-DD');
    const code = get('CAMEO Code') ?? '';
    if (!/^\d{2,4}$/.test(code)) return bad('bad-code', 'CAMEO Code', 'is not a CAMEO event code');
    const quad = quadClassOfRoot(Number(code.slice(0, 2)));
    if (quad === undefined) return bad('bad-code', 'CAMEO Code', 'has no CAMEO root 01–20');
    const intensity = get('Intensity');
    if (intensity !== undefined && !NUMBER_RE.test(intensity)) return bad('bad-number', 'Intensity', 'is not a number');
    const extra = ICEWS_EXTRA_VALUES.map(get);
    for (const [name, re, what] of CHECKED_EXTRAS) {
      const v = extra[ICEWS_EXTRA_VALUES.indexOf(name)];
      if (v !== undefined && !re.test(v)) return bad('bad-number', name, what);
    }

    out.keyText(2, id);
    const day = `${dm[1]}-${dm[2]}-${dm[3]}`;
    const a1 = this.actor(get('Source Country'), get('Source Sectors'));
    const a2 = this.actor(get('Target Country'), get('Target Sectors'));
    out.lineNumber(lineNo);
    out.text(SOURCE_CODES.icews);
    out.sep();
    out.text(id);
    out.sep();
    out.text(day);
    out.sep();
    out.sep(); // known_at: the event day, taken by the store
    out.sep(); // added_at
    out.text(a1.code);
    out.sep();
    out.text(a2.code);
    out.sep();
    out.sep(); // is_root
    out.text(code);
    out.sep();
    out.text(code.slice(0, 2));
    out.sep();
    out.text(String(quad));
    out.sep();
    out.text(intensity ?? '');
    out.sep();
    out.sep(); // num_mentions
    out.sep(); // num_sources
    out.sep(); // num_articles
    out.sep(); // avg_tone
    out.sep(); // source_url
    // PACKED_VALUES: countries, groups (none in ICEWS), agents, base code, action country (none), names.
    out.packed([
      a1.country,
      '',
      a1.agent,
      a2.country,
      '',
      a2.agent,
      code.slice(0, 3),
      '',
      get('Source Name'),
      get('Target Name'),
    ]);
    out.sep();
    out.packed(extra);
    out.endRow();
    return undefined;
  }

  private actor(country: string | undefined, sectors: string | undefined): { code: string; country: string; agent: string } {
    const cc = country === undefined ? '' : (this.tables.countryByName.get(country) ?? '');
    let agent = '';
    for (const sector of sectors?.split(',') ?? []) {
      const a = this.tables.agentBySector.get(sector.trim());
      if (a !== undefined) {
        agent = a;
        break;
      }
    }
    return { code: cc + agent, country: cc, agent };
  }
}

function isRealDay(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}
