/**
 * unga-votes: UN roll calls, one vote per country per roll call, in the layouts researchers
 * have them, detected per file from the header ({@link ungaLayoutOf}):
 * - `long` (Voeten's "United Nations General Assembly Voting Data", the `unvotes` R package's
 *   `un_votes`): one row per roll call × country, columns `rcid`, `vote` and a country column
 *   — `iso3`, `country_code`, `countrycode` or `country` holding ISO 3166-1 alpha-3 or
 *   alpha-2 codes (alpha-2 mapped through GeoNames, see iso2-codes.ts), or `ccode` holding
 *   Correlates of War numbers (mapped to alpha-3). A row without a code whose `country`
 *   names a state with no current code (the Federal Republic of Germany, the Yemen Arab
 *   Republic in `unvotes`) is kept under `name:<country>`. The roll call's time comes from
 *   the row's `year`, `date` or `session`, or, when the file has none (`un_votes`), from a
 *   roll-call table given in the same import, joined by `rcid`;
 * - `wide`: one row per roll call, column `rcid` and one column per country headed by its
 *   alpha-3 code in capitals (`USA`, `PAK`, …);
 * - `un-digital-library` (the UN Digital Library's voting data as downloaded): one row per
 *   roll call with columns `Link, token, Scrape_Year, Title, Council, Resolution, country,
 *   subregion, continent, Date, YES COUNT, NO COUNT, ABSTAIN COUNT, NO-VOTE COUNT, TOTAL
 *   VOTES, tags`, then one column per alpha-3 country holding `YES`, `NO`, `ABSTAIN` or
 *   nothing (did not vote, or not a member of the body). General Assembly and Security
 *   Council votes are mixed: `Council` says which. The roll call is identified by `token`
 *   (else `Link`, else `Resolution`), as `undl:<id>`; its day is `Date` (YYYY-MM-DD, or
 *   M/D/YYYY). Only votes cast are stored;
 * - `roll-calls` (the `unvotes` package's `un_roll_calls`): `rcid` with `date`, `year` or
 *   `session`, no votes; the other columns (session, resolution, short title…) are kept as
 *   the roll call's detail, the long description left out;
 * - `issues` (`un_roll_call_issues`): `rcid`, `short_name` (`me`, `nu`, `di`, `hr`, `co`,
 *   `ec`) and `issue` (its name). A roll call may have several.
 * Years: the `year` column, else the year of `date` (YYYY-MM-DD), else 1945 + `session`
 * (session 1 met in 1946). Votes: 1 yes, 2 abstain, 3 no, 8 absent, 9 not a member (also
 * yes/abstain/no/absent written out); an empty cell in wide form is absent. Absent votes are
 * stored (code 0) and left out of every measure. The body is the General Assembly unless
 * a `Council` (or `body`) column says otherwise.
 *
 * Series (computed by the store from the votes, per calendar year of the roll call, for one
 * body or both, and for one issue topic when asked): `agreement`, `agreement-half`, `kappa`,
 * `s-score` (src/core/convergence); date = 31 December, knownAt = 1 January of the next
 * year (a year's figure is complete only then; each vote itself is public the day it is
 * cast).
 */
import { parseVoteChoice, VOTE_CODE } from '../../core/convergence/dyad-measures.ts';
import { dateProblem } from '../../core/dates.ts';
import { lookupIso3ByCow, lookupIso3ByName } from './country-codes.ts';
import {
  countSkip,
  FileImportError,
  type ImportProblemCode,
  type IssueRecord,
  lineReject,
  type ParsedFile,
  type Reject,
  type RollCallRecord,
  type StructuralRecord,
  type UnBody,
  type VoteRecord,
} from './structural-records.ts';
import { type CsvTableStream, cell, openCsvTable, type TableRow } from './table-reader.ts';

const COUNTRY_COLUMNS = ['iso3', 'country_code', 'countrycode', 'country'];
const VOTE_HELP = '1 yes, 2 abstain, 3 no, 8 absent, 9 not a member';
const ISO3_COLUMN = /^[A-Z]{3}$/;

export const VOTE_LAYOUTS = ['long', 'wide', 'un-digital-library', 'roll-calls', 'issues'] as const;
export type VoteLayout = (typeof VOTE_LAYOUTS)[number];

/** A roll call as a roll-call table gives it, for joining votes without dates. */
export interface RollCallInfo {
  readonly year: number;
  readonly date?: string;
  readonly body: UnBody;
}

export interface UngaVotesOptions {
  /** Roll calls of a roll-call table given in the same import, by rcid: the time of votes whose file has none. */
  readonly rollCalls?: ReadonlyMap<string, RollCallInfo>;
  /** ISO 3166-1 alpha-2 → alpha-3 (see iso2-codes.ts); needed for files coded in alpha-2, asked only when one is met. */
  readonly iso2?: Pick<ReadonlyMap<string, string>, 'get'>;
}

export type ParsedVotes = ParsedFile & { readonly layout: VoteLayout };

/** The layout a header announces, or a reason why it is none of them. */
export function ungaLayoutOf(columns: readonly string[]): VoteLayout | { readonly problem: string } {
  const lower = columns.map((c) => c.toLowerCase());
  const has = (name: string) => lower.includes(name);
  const countries = columns.some((c) => ISO3_COLUMN.test(c));
  if (!has('rcid')) {
    if (has('council') && countries) return 'un-digital-library';
    return {
      problem: has('council')
        ? 'a UN Digital Library table needs one column per country, headed by its ISO3 code (USA, PAK, …)'
        : 'missing column "rcid" (the roll-call id) in the header; a UN Digital Library table has "Council" and ISO3 country columns instead',
    };
  }
  if (has('vote')) return 'long';
  if (countries) return 'wide';
  if (has('short_name') || has('issue')) return 'issues';
  if (has('date') || has('year') || has('session')) return 'roll-calls';
  return {
    problem:
      'neither votes (a "vote" column, or ISO3 country columns such as USA, PAK), nor a roll-call table (rcid with date, year or session), nor an issues table (rcid, short_name, issue)',
  };
}

/** Reads a file of any layout above. Throws {@link FileImportError} when the file as a whole cannot be read. */
export function parseUngaVotes(text: string, file: string, options: UngaVotesOptions = {}): ParsedVotes {
  const table = openCsvTable(text, file);
  const layout = ungaLayoutOf(table.columns);
  if (typeof layout !== 'string') throw new FileImportError(file, table.headerLine, 'unknown-layout', layout.problem);
  const reader = new VoteTableReader(table, file, options);
  const records: StructuralRecord[] =
    layout === 'un-digital-library'
      ? reader.digitalLibrary()
      : layout === 'roll-calls'
        ? reader.rollCalls()
        : layout === 'issues'
          ? reader.issues()
          : reader.votes(layout);
  const rejects = [...table.rejects, ...reader.rejects].sort((a, b) => a.line - b.line);
  return { file, records, rejects, skipped: reader.skipped, layout };
}

type TimeOf = { year: number; date?: string; body?: UnBody } | string;

class VoteTableReader {
  readonly rejects: Reject[] = [];
  readonly skipped: Record<string, number> = {};
  private readonly lower: string[];

  constructor(
    private readonly table: CsvTableStream,
    private readonly file: string,
    private readonly options: UngaVotesOptions,
  ) {
    this.lower = table.columns.map((c) => c.toLowerCase());
  }

  private col(name: string): number {
    return this.lower.indexOf(name);
  }

  private problem(reason: string, code: ImportProblemCode = 'missing-column'): FileImportError {
    return new FileImportError(this.file, this.table.headerLine, code, reason);
  }

  /** The data rows, blank ones counted as skipped; `reject` files a reason for a row. */
  private *rows(): Generator<{ row: TableRow; reject: (reason: string, code?: ImportProblemCode) => void }> {
    for (const row of this.table.rows) {
      if (row.cells.every((c) => c.trim() === '')) {
        countSkip(this.skipped, 'blank line');
        continue;
      }
      yield { row, reject: (reason, code) => this.rejects.push(lineReject(this.file, row.line, row.raw, reason, code)) };
    }
  }

  /** The row's own year (and date) from `year`, `date` or `session`; undefined when the file has none of them. */
  private timeReader(): ((row: TableRow) => TimeOf) | undefined {
    const timeCol = { year: this.col('year'), date: this.col('date'), session: this.col('session') };
    if (timeCol.year < 0 && timeCol.date < 0 && timeCol.session < 0) return undefined;
    return (row) => {
      const date = cell(row, timeCol.date).trim();
      if (timeCol.date >= 0 && date !== '') {
        const bad = dateProblem(date);
        if (bad !== undefined) return `date: ${bad}`;
      }
      const yearRaw = cell(row, timeCol.year).trim();
      if (timeCol.year >= 0 && yearRaw !== '') {
        if (!/^\d{4}$/.test(yearRaw)) return `year: "${yearRaw}" is not a year`;
        if (date !== '' && date.slice(0, 4) !== yearRaw) return `year: ${yearRaw} does not match date ${date}`;
        return date === '' ? { year: Number(yearRaw) } : { year: Number(yearRaw), date };
      }
      if (date !== '') return { year: Number(date.slice(0, 4)), date };
      const session = cell(row, timeCol.session).trim();
      if (/^\d{1,3}$/.test(session) && Number(session) >= 1) return { year: 1945 + Number(session) };
      return `year: no year, date or session (session: "${session}")`;
    };
  }

  /** The body of a row from a `body` or `council` column; undefined when the file has neither (the General Assembly). */
  private bodyReader(): ((row: TableRow) => UnBody | string) | undefined {
    const i = this.col('council') >= 0 ? this.col('council') : this.col('body');
    if (i < 0) return undefined;
    const name = this.table.columns[i] as string;
    return (row) => {
      const raw = cell(row, i).trim();
      const body = bodyOf(raw);
      return body ?? `${name}: "${raw}" is neither the General Assembly nor the Security Council`;
    };
  }

  /** Long and wide votes. */
  votes(layout: 'long' | 'wide'): VoteRecord[] {
    const own = this.timeReader();
    const joined = this.options.rollCalls;
    if (own === undefined && joined === undefined) {
      throw this.problem(
        'the votes have no "year", "date" or "session" column: give the roll-call table (rcid with date, e.g. un_roll_calls.csv.gz) in the same import',
        'missing-option',
      );
    }
    const ownBody = this.bodyReader();
    const timeOf = (row: TableRow, rcid: string): TimeOf => {
      if (own !== undefined) {
        const t = own(row);
        if (typeof t === 'string' || ownBody === undefined) return t;
        const body = ownBody(row);
        return body === 'ga' || body === 'sc' ? { ...t, body } : body;
      }
      const rc = joined?.get(rcid);
      return rc ?? `rcid: roll call ${rcid} is not in the roll-call table given with the votes`;
    };
    const countryOf = layout === 'long' ? this.countryReader() : undefined;
    const wideCols = this.table.columns.flatMap((c, i) => (ISO3_COLUMN.test(c) ? [{ i, iso: c }] : []));
    const rcidCol = this.col('rcid');
    const voteCol = this.col('vote');
    const records: VoteRecord[] = [];
    const rollCallYear = new Map<string, { year: number; line: number }>();
    const voteLine = new Map<string, number>();
    for (const { row, reject } of this.rows()) {
      const rcid = cell(row, rcidCol).trim();
      if (rcid === '') {
        reject('rcid: empty');
        continue;
      }
      const time = timeOf(row, rcid);
      if (typeof time === 'string') {
        reject(time);
        continue;
      }
      const earlier = rollCallYear.get(rcid);
      if (earlier !== undefined && earlier.year !== time.year) {
        reject(`year: roll call ${rcid} is in ${earlier.year} on line ${earlier.line}, here ${time.year}`);
        continue;
      }
      const votes: { country: string; code: VoteRecord['vote'] }[] = [];
      let bad: string | undefined;
      if (countryOf !== undefined) {
        const country = countryOf(row);
        if (country.startsWith('!')) {
          reject(country.slice(1));
          continue;
        }
        const raw = cell(row, voteCol);
        const choice = parseVoteChoice(raw);
        if (choice === undefined) bad = `vote: "${raw.trim()}" is not a vote (${VOTE_HELP})`;
        else votes.push({ country, code: VOTE_CODE[choice] });
      } else {
        for (const { i, iso } of wideCols) {
          const raw = cell(row, i);
          const choice = parseVoteChoice(raw);
          if (choice === undefined) {
            bad = `${iso}: "${raw.trim()}" is not a vote (${VOTE_HELP})`;
            break;
          }
          votes.push({ country: iso, code: VOTE_CODE[choice] });
        }
      }
      if (bad !== undefined) {
        reject(bad);
        continue;
      }
      const repeated = votes.find((v) => voteLine.has(`${rcid}\u0000${v.country}`));
      if (repeated !== undefined) {
        reject(
          `rcid: ${repeated.country}'s vote on roll call ${rcid} appears again (first on line ${voteLine.get(`${rcid}\u0000${repeated.country}`)})`,
          'repeated',
        );
        continue;
      }
      if (earlier === undefined) rollCallYear.set(rcid, { year: time.year, line: row.line });
      for (const v of votes) {
        voteLine.set(`${rcid}\u0000${v.country}`, row.line);
        records.push({
          kind: 'vote',
          line: row.line,
          rcid,
          year: time.year,
          ...(time.date === undefined ? {} : { date: time.date }),
          ...(time.body === undefined ? {} : { body: time.body }),
          country: v.country,
          vote: v.code,
        });
      }
    }
    return records;
  }

  /**
   * A long-form row's country: its alpha-3 code, or `name:<country>` for a state without
   * one; a reject reason prefixed by `!`.
   */
  private countryReader(): (row: TableRow) => string {
    const countryCol = COUNTRY_COLUMNS.map((n) => this.col(n)).find((i) => i >= 0) ?? -1;
    const ccodeCol = this.col('ccode');
    const nameCol = this.col('country');
    if (countryCol < 0 && ccodeCol < 0) {
      throw this.problem(`long form needs a country column: one of ${[...COUNTRY_COLUMNS, 'ccode'].join(', ')}`);
    }
    const column = countryCol < 0 ? '' : (this.table.columns[countryCol] as string);
    const iso2 = this.options.iso2;
    return (row) => {
      const code = cell(row, countryCol).trim().toUpperCase();
      if (/^[A-Z]{3}$/.test(code)) return code;
      if (/^[A-Z]{2}$/.test(code)) {
        if (iso2 === undefined) return `!${column}: "${code}" is an ISO 3166-1 alpha-2 code, and no alpha-2 table was given`;
        return iso2.get(code) ?? `!${column}: "${code}" is not a known ISO 3166-1 alpha-2 code`;
      }
      const ccode = cell(row, ccodeCol).trim();
      if (ccodeCol >= 0 && ccode !== '') {
        const iso = /^\d+$/.test(ccode) ? lookupIso3ByCow(Number(ccode)) : undefined;
        return iso ?? `!ccode: "${ccode}" is not a known COW state code`;
      }
      const name = nameCol === countryCol ? '' : cell(row, nameCol).replace(/\s+/g, ' ').trim();
      if (code === '' && name !== '') return lookupIso3ByName(name) ?? `name:${name}`;
      if (countryCol >= 0 && code !== '') return `!${column}: "${code}" is not an ISO3 code`;
      return `!${column || 'ccode'}: empty, and no country name`;
    };
  }

  /** The UN Digital Library's wide table: votes cast, by body. */
  digitalLibrary(): VoteRecord[] {
    const columns = this.table.columns;
    const ids = ['token', 'link', 'resolution'].map((n) => this.col(n));
    const dateCol = this.col('date');
    if (dateCol < 0) throw this.problem('missing column "Date" (the day of the roll call)');
    const bodyOfRow = this.bodyReader() as (row: TableRow) => UnBody | string;
    const countries = columns.flatMap((c, i) => (ISO3_COLUMN.test(c) ? [{ i, iso: c }] : []));
    const records: VoteRecord[] = [];
    const seen = new Map<string, number>();
    for (const { row, reject } of this.rows()) {
      const id = ids.map((i) => cell(row, i).trim()).find((v) => v !== '');
      if (id === undefined) {
        reject('token: empty, and no Link or Resolution to identify the roll call');
        continue;
      }
      const rcid = `undl:${id}`;
      const first = seen.get(rcid);
      if (first !== undefined) {
        reject(`token: roll call ${id} appears again (first on line ${first})`, 'repeated');
        continue;
      }
      const body = bodyOfRow(row);
      if (body !== 'ga' && body !== 'sc') {
        reject(body);
        continue;
      }
      const date = libraryDate(cell(row, dateCol));
      if (date.startsWith('!')) {
        reject(`${columns[dateCol]}: ${date.slice(1)}`);
        continue;
      }
      const votes: VoteRecord[] = [];
      let bad: string | undefined;
      for (const { i, iso } of countries) {
        const raw = cell(row, i).trim();
        const code = libraryVote(raw);
        if (code === undefined) {
          bad = `${iso}: "${raw}" is not a vote (YES, NO, ABSTAIN, or empty for did not vote)`;
          break;
        }
        if (code === 0) continue;
        votes.push({ kind: 'vote', line: row.line, rcid, year: Number(date.slice(0, 4)), date, body, country: iso, vote: code });
      }
      if (bad !== undefined) {
        reject(bad);
        continue;
      }
      seen.set(rcid, row.line);
      records.push(...votes);
    }
    return records;
  }

  /** A roll-call table: each roll call's time, body and detail. */
  rollCalls(): RollCallRecord[] {
    const timeOf = this.timeReader() as (row: TableRow) => TimeOf;
    const bodyOfRow = this.bodyReader();
    const rcidCol = this.col('rcid');
    const detailCols = this.table.columns.flatMap((name, i) =>
      ['rcid', 'date', 'year', 'descr', 'body', 'council'].includes(name.toLowerCase()) ? [] : [{ name, i }],
    );
    const records: RollCallRecord[] = [];
    const seen = new Map<string, number>();
    for (const { row, reject } of this.rows()) {
      const rcid = cell(row, rcidCol).trim();
      if (rcid === '') {
        reject('rcid: empty');
        continue;
      }
      const first = seen.get(rcid);
      if (first !== undefined) {
        reject(`rcid: roll call ${rcid} appears again (first on line ${first})`, 'repeated');
        continue;
      }
      const time = timeOf(row);
      if (typeof time === 'string') {
        reject(time);
        continue;
      }
      const body = bodyOfRow === undefined ? 'ga' : bodyOfRow(row);
      if (body !== 'ga' && body !== 'sc') {
        reject(body);
        continue;
      }
      seen.set(rcid, row.line);
      const detail: Record<string, string> = {};
      for (const { name, i } of detailCols) {
        const v = cell(row, i).trim();
        if (v !== '') detail[name] = v;
      }
      records.push({
        kind: 'roll-call',
        line: row.line,
        rcid,
        year: time.year,
        ...(time.date === undefined ? {} : { date: time.date }),
        body,
        detail,
      });
    }
    return records;
  }

  /** An issues table: (rcid, topic) pairs. */
  issues(): IssueRecord[] {
    const rcidCol = this.col('rcid');
    const codeCol = this.col('short_name') >= 0 ? this.col('short_name') : this.col('issue');
    const nameCol = this.col('issue') >= 0 ? this.col('issue') : codeCol;
    const records: IssueRecord[] = [];
    const seen = new Map<string, number>();
    for (const { row, reject } of this.rows()) {
      const rcid = cell(row, rcidCol).trim();
      const issue = cell(row, codeCol).trim();
      if (rcid === '' || issue === '') {
        reject(rcid === '' ? 'rcid: empty' : `${this.table.columns[codeCol]}: empty`);
        continue;
      }
      const key = `${rcid}\u0000${issue}`;
      const first = seen.get(key);
      if (first !== undefined) {
        reject(`${this.table.columns[codeCol]}: roll call ${rcid} has issue ${issue} again (first on line ${first})`, 'repeated');
        continue;
      }
      seen.set(key, row.line);
      records.push({ kind: 'issue', line: row.line, rcid, issue, name: cell(row, nameCol).trim() || issue });
    }
    return records;
  }
}

/** `General Assembly`, `GA`, `Security Council`, `SC` (any case) → the body; undefined otherwise. */
export function bodyOf(raw: string): UnBody | undefined {
  const v = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (v === 'ga' || v === 'general assembly' || v === 'unga') return 'ga';
  if (v === 'sc' || v === 'security council' || v === 'unsc') return 'sc';
  return undefined;
}

/** A UN Digital Library vote cell: 1 yes, 2 abstain, 3 no, 0 did not vote; undefined when unrecognised. */
function libraryVote(raw: string): VoteRecord['vote'] | undefined {
  switch (raw.toUpperCase()) {
    case 'YES':
    case 'Y':
      return VOTE_CODE.yes;
    case 'ABSTAIN':
    case 'A':
      return VOTE_CODE.abstain;
    case 'NO':
    case 'N':
      return VOTE_CODE.no;
    case '':
    case 'NON-VOTING':
    case 'NO-VOTE':
    case 'NOT VOTING':
    case 'ABSENT':
      return VOTE_CODE.absent;
    default:
      return undefined;
  }
}

/** A UN Digital Library date (YYYY-MM-DD, a time after it ignored, or M/D/YYYY) as YYYY-MM-DD; a reason prefixed by `!`. */
function libraryDate(raw: string): string {
  const v = raw.trim();
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  const iso = us === null ? /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+Z?)?$/.exec(v)?.[1] : undefined;
  const date = us === null ? iso : `${us[3]}-${(us[1] as string).padStart(2, '0')}-${(us[2] as string).padStart(2, '0')}`;
  if (date === undefined) return `!"${v}" is not a date (YYYY-MM-DD or M/D/YYYY)`;
  const bad = dateProblem(date);
  return bad === undefined ? date : `!${bad}`;
}
