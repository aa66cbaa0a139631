/**
 * The structural-series store on SQLite (better-sqlite3): `.proviso/series.sqlite` by default.
 *
 * Contracts, beyond those of the port (`src/ports/series-store.ts`):
 * - Writing a parsed file is one transaction: all of its accepted records are stored, or
 *   none (a crash or a thrown error rolls the file back).
 * - Idempotent: a record whose key is stored with the same content is counted `unchanged`;
 *   the same key with different content is a conflict, returned as a reject of that line
 *   (the stored value stays; a correction is a deliberate re-import into a fresh store).
 * - Keys: points (measure, a, b, date); votes (rcid, country), with the roll call's year and
 *   body fixed by its first import (a roll-call table may add its date and detail later);
 *   roll-call issues (rcid, issue); incidents (key).
 * - Series: stored points directly (coincidence, aid…, arms); coincidence and aid… only for
 *   dyads with USA, as their datasets define them (`seriesDyadProblem`: `rows` throws the
 *   reason as a RangeError, `series` returns no points); `agreement`,
 *   `agreement-half`, `kappa`, `s-score` computed from the stored votes per calendar year
 *   by src/core/convergence, over the roll calls of one body (the General Assembly unless
 *   asked otherwise; `all` for both) and, when asked, of one issue topic; `strikes` summed
 *   per year from the incidents. Symmetric measures (coincidence and the vote measures)
 *   accept the dyad in either order.
 * - Readers open the file read-only (`readOnly`): nothing is created or written, and an
 *   import may run beside them (SQLite's WAL lets readers and one writer work at once). A
 *   store of an earlier schema is upgraded first, by a short write.
 * - Schema 2 (from 1): roll calls gain `body` (earlier ones are the General Assembly's) and
 *   `detail`; `roll_call_issues` is new.
 *
 * better-sqlite3 is synchronous; the port's methods are async so that a networked store can
 * implement the same port. Nothing of better-sqlite3 leaves this module.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  type ConvergenceMeasure,
  countDyad,
  MEASURE_NAMES,
  measureFromCounts,
  pickMeasure,
} from '../../core/convergence/dyad-measures.ts';
import type { IsoDate } from '../../core/dates.ts';
import type { SeriesPoint, SeriesRequest, SeriesStore } from '../../ports/series-store.ts';
import { SERIES_FILE } from './series-store-layout.ts';
import { lineReject, type ParsedFile, type Reject, type StructuralRecord, type UnBody, yearEnd } from './structural-records.ts';

// --- The slice of better-sqlite3 this adapter uses -------------------------------------
interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(sql: string, options?: { readonly simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): { immediate(...args: A): R };
  close(): unknown;
}

export const SERIES_SCHEMA_VERSION = 2;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS points (
    measure TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, date TEXT NOT NULL,
    known_at TEXT NOT NULL, value REAL NOT NULL, period TEXT NOT NULL, detail TEXT NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (measure, a, b, date)) STRICT;
  CREATE TABLE IF NOT EXISTS roll_calls (
    rcid TEXT PRIMARY KEY, year INTEGER NOT NULL, date TEXT, source TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT 'ga', detail TEXT) STRICT;
  CREATE TABLE IF NOT EXISTS roll_call_issues (
    rcid TEXT NOT NULL, issue TEXT NOT NULL, name TEXT NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (rcid, issue)) STRICT;
  CREATE TABLE IF NOT EXISTS votes (
    rcid TEXT NOT NULL REFERENCES roll_calls (rcid), country TEXT NOT NULL, vote INTEGER NOT NULL,
    PRIMARY KEY (rcid, country)) STRICT;
  CREATE INDEX IF NOT EXISTS votes_country ON votes (country, rcid);
  CREATE TABLE IF NOT EXISTS incidents (
    key TEXT PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL, date TEXT NOT NULL, count INTEGER NOT NULL,
    detail TEXT NOT NULL, source TEXT NOT NULL) STRICT;
  CREATE INDEX IF NOT EXISTS incidents_dyad ON incidents (a, b, date);
`;

/** Outcome of storing one parsed file. */
export interface StoreResult {
  readonly added: number;
  readonly unchanged: number;
  /** conflicts with stored or earlier records of the same batch, as rejects (`raw` left empty: the caller has the text) */
  readonly conflicts: readonly Reject[];
}

/** A point with what the CLI shows besides the port's fields. */
export interface SeriesRow extends SeriesPoint {
  readonly year: number;
  readonly period: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Which roll calls a vote measure counts: one body's (default the General Assembly's) or both, and one issue topic or all. */
export interface VoteSelection {
  readonly body?: UnBody | 'all';
  /** an issue topic's code as stored (`me`, `hr`…) */
  readonly issue?: string;
}

/** An issue topic of the stored roll calls. */
export interface IssueTopic {
  readonly issue: string;
  readonly name: string;
  readonly rollCalls: number;
}

export interface SqliteSeriesStore extends SeriesStore {
  /** Stores one parsed file in one transaction. */
  write(parsed: ParsedFile): Promise<StoreResult>;
  /**
   * Like `series`, with the period label and source detail of each point; vote measures for
   * the selected roll calls. Throws a RangeError saying why when the dyad can have no points
   * of the measure (`seriesDyadProblem`), where `series` returns none.
   */
  rows(request: SeriesRequest & VoteSelection): Promise<SeriesRow[]>;
  /** The issue topics of the stored roll calls, by code. */
  issueTopics(): Promise<IssueTopic[]>;
}

export interface OpenSeriesStoreOptions {
  /** Read only: nothing created or written (the file must exist); `write` throws. */
  readonly readOnly?: boolean;
}

export const SYMMETRIC_MEASURES: readonly string[] = ['coincidence', ...MEASURE_NAMES];

/**
 * The country a measure's own dataset fixes as the first of every dyad, or undefined when
 * any dyad may be asked for. The State Department's `coincidence` is by definition a
 * country's coincidence with US votes (the unga-coincidence import stores it as (USA,
 * country)), and the `aid…` measures are US foreign aid (the us-aid import,
 * ForeignAssistance.gov: (USA, recipient)). This is the datasets' semantics, not a
 * principal: a case whose principal is not the United States gets no points from them
 * unless it names USA itself.
 */
export function datasetFirstCountry(measure: string): string | undefined {
  return measure === 'coincidence' || measure.startsWith('aid') ? 'USA' : undefined;
}

/**
 * Why a dyad can have no points of a measure, in words, or undefined when it can. For a
 * measure whose dataset fixes the first country (`datasetFirstCountry`) the dyad must name
 * that country and one other — in either order for `coincidence` (symmetric), first for
 * aid (the donor). One code alone is never read as "with USA": a one-country request of
 * such a measure is empty, with this reason, not silently the United States'.
 */
export function seriesDyadProblem(measure: string, dyad: readonly string[]): string | undefined {
  const fixed = datasetFirstCountry(measure);
  if (fixed === undefined) return undefined;
  const codes = dyad.map((c) => (c.startsWith('name:') ? c : c.toUpperCase())).filter((c) => c !== '');
  const [a, b] = codes;
  if (measure === 'coincidence') {
    if (codes.length === 2 && (a === fixed || b === fixed)) return undefined;
    return `coincidence is the US State Department's measure of a country's UN General Assembly voting coincidence with the United States, so its dyad is ${fixed} and that country (${fixed},<code>), not ${codes.join(',') || 'no code'}; for any other pair use agreement, agreement-half, kappa or s-score`;
  }
  if (codes.length === 2 && a === fixed) return undefined;
  return `${measure} is US foreign aid (the us-aid import, ForeignAssistance.gov), so its dyad is the donor ${fixed} and the recipient (${fixed},<code>), not ${codes.join(',') || 'no code'}`;
}

/** The path that opens a private in-memory store, discarded when closed (`proviso … --scratch`). */
export const IN_MEMORY_SERIES = ':memory:';

/** How long a writer waits for another writer's transaction (SQLite's busy timeout). */
const WRITER_WAIT_MS = 60_000;

/** Brings a store opened for writing to the current schema (see the contracts); no write when it is current. */
function upgradeSchema(db: SqliteConnection, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SERIES_SCHEMA_VERSION) {
    db.close();
    throw new Error(`${file}: written by a newer Proviso (series schema ${version}); upgrade Proviso to read it`);
  }
  if (version === SERIES_SCHEMA_VERSION) return;
  db.transaction(() => {
    const rollCalls = db.prepare("SELECT name FROM pragma_table_info('roll_calls')").all() as { name: string }[];
    if (rollCalls.length > 0 && !rollCalls.some((c) => c.name === 'body')) {
      db.exec("ALTER TABLE roll_calls ADD COLUMN body TEXT NOT NULL DEFAULT 'ga'");
      db.exec('ALTER TABLE roll_calls ADD COLUMN detail TEXT');
    }
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SERIES_SCHEMA_VERSION}`);
  }).immediate();
}

export function openSqliteSeriesStore(path: string, opts: OpenSeriesStoreOptions = {}): SqliteSeriesStore {
  const inMemory = path === IN_MEMORY_SERIES;
  const file = inMemory ? path : resolve(path);
  const readOnly = opts.readOnly === true && !inMemory;
  let db: SqliteConnection;
  if (readOnly) {
    db = new Database(file, { readonly: true, fileMustExist: true }) as unknown as SqliteConnection;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== SERIES_SCHEMA_VERSION) {
      // An earlier schema is upgraded once, by a writer, before it is read.
      db.close();
      void openSqliteSeriesStore(file).close();
      db = new Database(file, { readonly: true, fileMustExist: true }) as unknown as SqliteConnection;
    }
  } else {
    if (!inMemory) mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: WRITER_WAIT_MS }) as unknown as SqliteConnection;
    if (!inMemory) db.pragma('journal_mode = WAL');
    upgradeSchema(db, file);
  }
  db.pragma('foreign_keys = ON');

  const st = {
    pointGet: db.prepare('SELECT value, known_at, period, detail FROM points WHERE measure = ? AND a = ? AND b = ? AND date = ?'),
    pointPut: db.prepare('INSERT INTO points VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    rollGet: db.prepare('SELECT year, date, body, detail FROM roll_calls WHERE rcid = ?'),
    rollPut: db.prepare('INSERT INTO roll_calls (rcid, year, date, source, body, detail) VALUES (?, ?, ?, ?, ?, ?)'),
    rollFill: db.prepare('UPDATE roll_calls SET date = ?, detail = ? WHERE rcid = ?'),
    issueGet: db.prepare('SELECT name FROM roll_call_issues WHERE rcid = ? AND issue = ?'),
    issuePut: db.prepare('INSERT INTO roll_call_issues VALUES (?, ?, ?, ?)'),
    issueTopics: db.prepare(
      'SELECT issue, min(name) AS name, count(*) AS roll_calls FROM roll_call_issues GROUP BY issue ORDER BY issue',
    ),
    voteGet: db.prepare('SELECT vote FROM votes WHERE rcid = ? AND country = ?'),
    votePut: db.prepare('INSERT INTO votes VALUES (?, ?, ?)'),
    incidentGet: db.prepare('SELECT 1 FROM incidents WHERE key = ?'),
    incidentPut: db.prepare('INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?)'),
    points: db.prepare(
      'SELECT date, known_at, value, period, detail FROM points WHERE measure = ? AND a = ? AND b = ? ORDER BY date',
    ),
    // Parameters: b, a, body (or 'all') twice[, issue].
    dyadVotes: db.prepare(
      `SELECT r.year AS year, x.vote AS va, y.vote AS vb FROM votes x
       JOIN votes y ON y.rcid = x.rcid AND y.country = ?
       JOIN roll_calls r ON r.rcid = x.rcid
       WHERE x.country = ? AND (? = 'all' OR r.body = ?) ORDER BY r.year, x.rcid`,
    ),
    dyadIssueVotes: db.prepare(
      `SELECT r.year AS year, x.vote AS va, y.vote AS vb FROM votes x
       JOIN votes y ON y.rcid = x.rcid AND y.country = ?
       JOIN roll_calls r ON r.rcid = x.rcid
       WHERE x.country = ? AND (? = 'all' OR r.body = ?)
         AND EXISTS (SELECT 1 FROM roll_call_issues i WHERE i.rcid = x.rcid AND i.issue = ?)
       ORDER BY r.year, x.rcid`,
    ),
    strikes: db.prepare(
      'SELECT substr(date, 1, 4) AS year, sum(count) AS n, count(*) AS records FROM incidents WHERE a = ? AND b = ? GROUP BY 1 ORDER BY 1',
    ),
  };

  type StoredRollCall = { year: number; date: string | null; body: string; detail: string | null };
  /** Roll calls read or written during one write (a file holds many votes per roll call). */
  let rollCalls = new Map<string, StoredRollCall>();
  const rollCall = (rcid: string): StoredRollCall | undefined => {
    let rc = rollCalls.get(rcid);
    if (rc === undefined) {
      rc = st.rollGet.get(rcid) as StoredRollCall | undefined;
      if (rc !== undefined) rollCalls.set(rcid, rc);
    }
    return rc;
  };
  const bodyName = (b: string) => (b === 'sc' ? 'the Security Council' : 'the General Assembly');

  const storeRecord = (r: StructuralRecord, source: string): 'added' | 'unchanged' | string => {
    switch (r.kind) {
      case 'point': {
        const detail = JSON.stringify(r.detail);
        const old = st.pointGet.get(r.measure, r.a, r.b, r.date) as
          | { value: number; known_at: string; period: string; detail: string }
          | undefined;
        if (old === undefined) {
          st.pointPut.run(r.measure, r.a, r.b, r.date, r.knownAt, r.value, r.period, detail, source);
          return 'added';
        }
        if (old.value === r.value && old.known_at === r.knownAt && old.period === r.period && old.detail === detail)
          return 'unchanged';
        return `${r.measure} ${r.a}→${r.b} ${r.period}: stored as ${old.value} (known ${old.known_at}), this line says ${r.value} (known ${r.knownAt})`;
      }
      case 'vote': {
        const body = r.body ?? 'ga';
        const rc = rollCall(r.rcid);
        if (rc === undefined) {
          st.rollPut.run(r.rcid, r.year, r.date ?? null, source, body, null);
          rollCalls.set(r.rcid, { year: r.year, date: r.date ?? null, body, detail: null });
        } else if (rc.year !== r.year) return `rcid: roll call ${r.rcid} is stored in ${rc.year}, this line says ${r.year}`;
        else if (rc.body !== body)
          return `rcid: roll call ${r.rcid} is stored as one of ${bodyName(rc.body)}, this line says ${bodyName(body)}`;
        const old = st.voteGet.get(r.rcid, r.country) as { vote: number } | undefined;
        if (old === undefined) {
          st.votePut.run(r.rcid, r.country, r.vote);
          return 'added';
        }
        return old.vote === r.vote
          ? 'unchanged'
          : `vote: ${r.country} on ${r.rcid} is stored as ${old.vote}, this line says ${r.vote}`;
      }
      case 'roll-call': {
        const detail = JSON.stringify(r.detail);
        const date = r.date ?? null;
        const rc = rollCall(r.rcid);
        if (rc === undefined) {
          st.rollPut.run(r.rcid, r.year, date, source, r.body, detail);
          rollCalls.set(r.rcid, { year: r.year, date, body: r.body, detail });
          return 'added';
        }
        if (rc.year !== r.year) return `rcid: roll call ${r.rcid} is stored in ${rc.year}, this line says ${r.year}`;
        if (rc.body !== r.body)
          return `rcid: roll call ${r.rcid} is stored as one of ${bodyName(rc.body)}, this line says ${bodyName(r.body)}`;
        if (rc.date !== null && date !== null && rc.date !== date)
          return `date: roll call ${r.rcid} is stored on ${rc.date}, this line says ${date}`;
        if (rc.detail !== null && rc.detail !== detail) return `roll call ${r.rcid} is stored with other details (${rc.detail})`;
        if (rc.date === (date ?? rc.date) && rc.detail === detail) return 'unchanged';
        // Votes stored first (without a roll-call table) gain the table's date and detail.
        st.rollFill.run(rc.date ?? date, detail, r.rcid);
        rollCalls.set(r.rcid, { ...rc, date: rc.date ?? date, detail });
        return 'added';
      }
      case 'issue': {
        const old = st.issueGet.get(r.rcid, r.issue) as { name: string } | undefined;
        if (old === undefined) {
          st.issuePut.run(r.rcid, r.issue, r.name, source);
          return 'added';
        }
        return old.name === r.name
          ? 'unchanged'
          : `issue: ${r.issue} of roll call ${r.rcid} is stored as "${old.name}", this line says "${r.name}"`;
      }
      case 'incident': {
        if (st.incidentGet.get(r.key) !== undefined) return 'unchanged';
        st.incidentPut.run(r.key, r.a, r.b, r.date, r.count, JSON.stringify(r.detail), source);
        return 'added';
      }
    }
  };

  const writeAll = db.transaction((parsed: ParsedFile): StoreResult => {
    rollCalls = new Map();
    let added = 0;
    let unchanged = 0;
    const conflicts: Reject[] = [];
    const source = parsed.file.split(/[/\\]/).pop() ?? parsed.file;
    for (const r of parsed.records) {
      const outcome = storeRecord(r, source);
      if (outcome === 'added') added++;
      else if (outcome === 'unchanged') unchanged++;
      else conflicts.push(lineReject(parsed.file, r.line, '', outcome, 'conflict'));
    }
    return { added, unchanged, conflicts };
  });

  /** `rows` throws the reason a dyad can have no points of its measure (`seriesDyadProblem`); `series` returns none. */
  const readRows = (request: SeriesRequest & VoteSelection, onProblem: 'throw' | 'empty'): SeriesRow[] => {
    const [first, second] = request.dyad;
    if (first === undefined) throw new RangeError('series: give at least one country code');
    // Codes are ISO3 in capitals; a `name:` code (a state without one) keeps its case.
    const code = (c: string) => (c.startsWith('name:') ? c : c.toUpperCase());
    const a = code(first);
    const b = code(second ?? '');
    if ((MEASURE_NAMES as readonly string[]).includes(request.measure)) {
      if (b === '') throw new RangeError(`${request.measure} is a dyad measure: give two country codes, e.g. USA,PAK`);
      return voteRows(request.measure as ConvergenceMeasure, a, b, request.body ?? 'ga', request.issue);
    }
    if (request.measure === 'strikes') return strikeRows(a, b);
    const problem = seriesDyadProblem(request.measure, b === '' ? [a] : [a, b]);
    if (problem !== undefined) {
      if (onProblem === 'throw') throw new RangeError(problem);
      return [];
    }
    type PointRow = { date: string; known_at: string; value: number; period: string; detail: string };
    let rows = st.points.all(request.measure, a, b) as PointRow[];
    if (rows.length === 0 && SYMMETRIC_MEASURES.includes(request.measure))
      rows = st.points.all(request.measure, b, a) as PointRow[];
    return rows.map((r) => ({
      date: r.date as IsoDate,
      knownAt: r.known_at as IsoDate,
      value: r.value,
      year: Number(r.date.slice(0, 4)),
      period: r.period,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  };

  const voteRows = (
    measure: ConvergenceMeasure,
    a: string,
    b: string,
    body: UnBody | 'all',
    issue: string | undefined,
  ): SeriesRow[] => {
    const byYear = new Map<number, { va: number[]; vb: number[] }>();
    const found = issue === undefined ? st.dyadVotes.all(b, a, body, body) : st.dyadIssueVotes.all(b, a, body, body, issue);
    for (const r of found as { year: number; va: number; vb: number }[]) {
      const y = byYear.get(r.year) ?? { va: [], vb: [] };
      y.va.push(r.va);
      y.vb.push(r.vb);
      byYear.set(r.year, y);
    }
    const out: SeriesRow[] = [];
    for (const [year, v] of byYear) {
      const counts = countDyad(v.va, v.vb);
      const value = pickMeasure(measureFromCounts(counts), measure);
      if (value === null) continue;
      out.push({
        date: yearEnd(year) as IsoDate,
        knownAt: `${year + 1}-01-01` as IsoDate,
        value,
        year,
        period: String(year),
        detail: {
          body,
          ...(issue === undefined ? {} : { issue }),
          rollCalls: v.va.length,
          n: counts.n,
          same: counts.same,
          partial: counts.partial,
          opposite: counts.opposite,
        },
      });
    }
    return out;
  };

  const strikeRows = (a: string, b: string): SeriesRow[] => {
    const found = st.strikes.all(a, b) as { year: string; n: number; records: number }[];
    if (found.length === 0) return [];
    const byYear = new Map(found.map((r) => [Number(r.year), r]));
    const first = Number(found[0]?.year);
    const last = Number(found[found.length - 1]?.year);
    const out: SeriesRow[] = [];
    for (let year = first; year <= last; year++) {
      const r = byYear.get(year);
      out.push({
        date: yearEnd(year) as IsoDate,
        knownAt: `${year + 1}-01-01` as IsoDate,
        value: r?.n ?? 0,
        year,
        period: String(year),
        detail: { records: r?.records ?? 0 },
      });
    }
    return out;
  };

  return {
    write: async (parsed) => {
      if (readOnly) throw new Error(`${file} was opened for reading only`);
      return writeAll.immediate(parsed);
    },
    rows: async (request) => readRows(request, 'throw'),
    issueTopics: async () =>
      (st.issueTopics.all() as { issue: string; name: string; roll_calls: number }[]).map((r) => ({
        issue: r.issue,
        name: r.name,
        rollCalls: r.roll_calls,
      })),
    series: async (request) => readRows(request, 'empty').map(({ date, knownAt, value }) => ({ date, knownAt, value })),
    close: async () => {
      db.close();
    },
  };
}

/** The series file inside a store folder. */
export { SERIES_FILE };

/**
 * Opens `<storeDir>/series.sqlite` read-only, or undefined when nothing was imported there
 * (for `Effects.openSeriesStore`): a read creates and writes nothing.
 */
export async function openSeriesStoreIfPresent(storeDir: string): Promise<SqliteSeriesStore | undefined> {
  const file = resolve(storeDir, SERIES_FILE);
  return existsSync(file) ? openSqliteSeriesStore(file, { readOnly: true }) : undefined;
}
