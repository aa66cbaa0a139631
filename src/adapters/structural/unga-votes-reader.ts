/**
 * unga-votes: UN General Assembly (or Security Council) roll calls, one vote per country per
 * roll call, in either of two layouts, detected per file from the header:
 * - long form (as in Voeten's "United Nations General Assembly Voting Data"): one row per
 *   roll call × country, columns `rcid`, `vote` and a country column — `iso3`,
 *   `country_code`, `countrycode` or `country` holding ISO3 codes, or `ccode` holding
 *   Correlates of War numbers (mapped to ISO3; an unknown number is a reject);
 * - wide form: one row per roll call, column `rcid` and one column per country headed by its
 *   ISO3 code in capitals (`USA`, `PAK`, …).
 * The roll call's year is the `year` column, else the year of `date` (YYYY-MM-DD), else
 * 1945 + `session` (session 1 met in 1946). Votes: 1 yes, 2 abstain, 3 no, 8 absent, 9 not a
 * member (also yes/abstain/no/absent written out); an empty cell in wide form is absent.
 * Absent votes are stored (code 0) and left out of every measure.
 *
 * Series (computed by the store from the votes, per calendar year of the roll call):
 * `agreement`, `agreement-half`, `kappa`, `s-score` (src/core/convergence); date =
 * 31 December, knownAt = 1 January of the next year (a year's figure is complete only then;
 * each vote itself is public the day it is cast).
 */
import { parseVoteChoice, VOTE_CODE } from '../../core/convergence/dyad-measures.ts';
import { ISO3_BY_COW } from './country-codes.ts';
import { countSkip, FileProblem, type ParsedFile, type Reject, type VoteRecord } from './structural-records.ts';
import { cell, readCsvTable, type TableRow } from './table-reader.ts';

const COUNTRY_COLUMNS = ['iso3', 'country_code', 'countrycode', 'country'];
const VOTE_HELP = '1 yes, 2 abstain, 3 no, 8 absent, 9 not a member';

export type VoteLayout = 'long' | 'wide';

export function parseUngaVotes(text: string, file: string): ParsedFile & { readonly layout: VoteLayout } {
  const table = readCsvTable(text, file);
  const lower = table.columns.map((c) => c.toLowerCase());
  const col = (name: string) => lower.indexOf(name);
  if (col('rcid') < 0) throw new FileProblem(file, table.headerLine, 'missing column "rcid" (the roll-call id) in the header');
  const timeCol = { year: col('year'), date: col('date'), session: col('session') };
  if (timeCol.year < 0 && timeCol.date < 0 && timeCol.session < 0) {
    throw new FileProblem(
      file,
      table.headerLine,
      'missing a "year", "date" or "session" column: the year of each roll call is needed',
    );
  }
  const wideCols = table.columns.flatMap((c, i) => (/^[A-Z]{3}$/.test(c) ? [{ i, iso: c }] : []));
  const layout: VoteLayout = col('vote') >= 0 ? 'long' : 'wide';
  if (layout === 'wide' && wideCols.length === 0) {
    throw new FileProblem(
      file,
      table.headerLine,
      'neither long form (a "vote" column) nor wide form (ISO3 country columns such as USA, PAK)',
    );
  }
  const countryCol = COUNTRY_COLUMNS.map(col).find((i) => i >= 0) ?? -1;
  if (layout === 'long' && countryCol < 0 && col('ccode') < 0) {
    throw new FileProblem(
      file,
      table.headerLine,
      `long form needs a country column: one of ${[...COUNTRY_COLUMNS, 'ccode'].join(', ')}`,
    );
  }
  const records: VoteRecord[] = [];
  const rejects: Reject[] = [...table.rejects];
  const skipped: Record<string, number> = {};
  const rollCallYear = new Map<string, { year: number; line: number }>();
  const voteLine = new Map<string, number>();

  const timeOf = (row: TableRow): { year: number; date?: string } | string => {
    const date = cell(row, timeCol.date).trim();
    if (timeCol.date >= 0 && date !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) return `date: "${date}" is not YYYY-MM-DD`;
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

  for (const row of table.rows) {
    if (row.cells.every((c) => c.trim() === '')) {
      countSkip(skipped, 'blank line');
      continue;
    }
    const reject = (reason: string) => rejects.push({ file, line: row.line, reason, raw: row.raw });
    const rcid = cell(row, col('rcid')).trim();
    if (rcid === '') {
      reject('rcid: empty');
      continue;
    }
    const time = timeOf(row);
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
    if (layout === 'long') {
      let country = cell(row, countryCol).trim().toUpperCase();
      if (!/^[A-Z]{3}$/.test(country)) {
        const ccode = cell(row, col('ccode')).trim();
        const iso = /^\d+$/.test(ccode) ? ISO3_BY_COW.get(Number(ccode)) : undefined;
        if (iso === undefined) {
          reject(
            countryCol >= 0 && country !== ''
              ? `${table.columns[countryCol]}: "${country}" is not an ISO3 code`
              : `ccode: "${ccode}" is not a known COW state code`,
          );
          continue;
        }
        country = iso;
      }
      const raw = cell(row, col('vote'));
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
        country: v.country,
        vote: v.code,
      });
    }
  }
  return { file, records, rejects, skipped, layout };
}
