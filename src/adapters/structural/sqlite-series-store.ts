/**
 * The structural-series store on SQLite (better-sqlite3): `.proviso/series.sqlite` by default.
 *
 * Contracts, beyond those of the port (`src/ports/series-store.ts`):
 * - Writing a parsed file is one transaction: all of its accepted records are stored, or
 *   none (a crash or a thrown error rolls the file back).
 * - Idempotent: a record whose key is stored with the same content is counted `unchanged`;
 *   the same key with different content is a conflict, returned as a reject of that line
 *   (the stored value stays; a correction is a deliberate re-import into a fresh store).
 * - Keys: points (measure, a, b, date); votes (rcid, country), with the roll call's year
 *   fixed by its first import; incidents (key).
 * - Series: stored points directly (coincidence, aid…, arms); `agreement`,
 *   `agreement-half`, `kappa`, `s-score` computed from the stored votes per calendar year
 *   by src/core/convergence; `strikes` summed per year from the incidents. Symmetric
 *   measures (coincidence and the vote measures) accept the dyad in either order.
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
import type { ParsedFile, Reject, StructuralRecord } from './structural-records.ts';
import { yearEnd } from './structural-records.ts';

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

export const SERIES_SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS points (
    measure TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, date TEXT NOT NULL,
    known_at TEXT NOT NULL, value REAL NOT NULL, period TEXT NOT NULL, detail TEXT NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (measure, a, b, date)) STRICT;
  CREATE TABLE IF NOT EXISTS roll_calls (
    rcid TEXT PRIMARY KEY, year INTEGER NOT NULL, date TEXT, source TEXT NOT NULL) STRICT;
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

export interface SqliteSeriesStore extends SeriesStore {
  /** Stores one parsed file in one transaction. */
  write(parsed: ParsedFile): Promise<StoreResult>;
  /** Like `series`, with the period label and source detail of each point. */
  rows(request: SeriesRequest): Promise<SeriesRow[]>;
}

export const SYMMETRIC_MEASURES: readonly string[] = ['coincidence', ...MEASURE_NAMES];

/** The path that opens a private in-memory store, discarded when closed (`proviso … --scratch`). */
export const IN_MEMORY_SERIES = ':memory:';

export function openSqliteSeriesStore(path: string): SqliteSeriesStore {
  const inMemory = path === IN_MEMORY_SERIES;
  const file = inMemory ? path : resolve(path);
  if (!inMemory) mkdirSync(dirname(file), { recursive: true });
  const db: SqliteConnection = new Database(file) as unknown as SqliteConnection;
  if (!inMemory) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SERIES_SCHEMA_VERSION) {
    db.close();
    throw new Error(`${file}: written by a newer Proviso (series schema ${version}); upgrade Proviso to read it`);
  }
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SERIES_SCHEMA_VERSION}`);

  const st = {
    pointGet: db.prepare('SELECT value, known_at, period, detail FROM points WHERE measure = ? AND a = ? AND b = ? AND date = ?'),
    pointPut: db.prepare('INSERT INTO points VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    rollGet: db.prepare('SELECT year FROM roll_calls WHERE rcid = ?'),
    rollPut: db.prepare('INSERT INTO roll_calls VALUES (?, ?, ?, ?)'),
    voteGet: db.prepare('SELECT vote FROM votes WHERE rcid = ? AND country = ?'),
    votePut: db.prepare('INSERT INTO votes VALUES (?, ?, ?)'),
    incidentGet: db.prepare('SELECT 1 FROM incidents WHERE key = ?'),
    incidentPut: db.prepare('INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?)'),
    points: db.prepare(
      'SELECT date, known_at, value, period, detail FROM points WHERE measure = ? AND a = ? AND b = ? ORDER BY date',
    ),
    dyadVotes: db.prepare(
      `SELECT r.year AS year, x.vote AS va, y.vote AS vb FROM votes x
       JOIN votes y ON y.rcid = x.rcid AND y.country = ?
       JOIN roll_calls r ON r.rcid = x.rcid
       WHERE x.country = ? ORDER BY r.year, x.rcid`,
    ),
    strikes: db.prepare(
      'SELECT substr(date, 1, 4) AS year, sum(count) AS n, count(*) AS records FROM incidents WHERE a = ? AND b = ? GROUP BY 1 ORDER BY 1',
    ),
  };

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
        const year = st.rollGet.get(r.rcid) as { year: number } | undefined;
        if (year === undefined) st.rollPut.run(r.rcid, r.year, r.date ?? null, source);
        else if (year.year !== r.year) return `rcid: roll call ${r.rcid} is stored in ${year.year}, this line says ${r.year}`;
        const old = st.voteGet.get(r.rcid, r.country) as { vote: number } | undefined;
        if (old === undefined) {
          st.votePut.run(r.rcid, r.country, r.vote);
          return 'added';
        }
        return old.vote === r.vote
          ? 'unchanged'
          : `vote: ${r.country} on ${r.rcid} is stored as ${old.vote}, this line says ${r.vote}`;
      }
      case 'incident': {
        if (st.incidentGet.get(r.key) !== undefined) return 'unchanged';
        st.incidentPut.run(r.key, r.a, r.b, r.date, r.count, JSON.stringify(r.detail), source);
        return 'added';
      }
    }
  };

  const writeAll = db.transaction((parsed: ParsedFile): StoreResult => {
    let added = 0;
    let unchanged = 0;
    const conflicts: Reject[] = [];
    const source = parsed.file.split(/[/\\]/).pop() ?? parsed.file;
    for (const r of parsed.records) {
      const outcome = storeRecord(r, source);
      if (outcome === 'added') added++;
      else if (outcome === 'unchanged') unchanged++;
      else conflicts.push({ file: parsed.file, line: r.line, reason: `conflict: ${outcome}`, raw: '' });
    }
    return { added, unchanged, conflicts };
  });

  const readRows = (request: SeriesRequest): SeriesRow[] => {
    const [first, second] = request.dyad;
    if (first === undefined) throw new RangeError('series: give at least one country code');
    const a = first.toUpperCase();
    const b = (second ?? '').toUpperCase();
    if ((MEASURE_NAMES as readonly string[]).includes(request.measure)) {
      if (b === '') throw new RangeError(`${request.measure} is a dyad measure: give two country codes, e.g. USA,PAK`);
      return voteRows(request.measure as ConvergenceMeasure, a, b);
    }
    if (request.measure === 'strikes') return strikeRows(a, b);
    type PointRow = { date: string; known_at: string; value: number; period: string; detail: string };
    let rows = st.points.all(request.measure, a, b) as PointRow[];
    if (rows.length === 0 && SYMMETRIC_MEASURES.includes(request.measure))
      rows = st.points.all(request.measure, b, a) as PointRow[];
    if (rows.length === 0 && b === '' && request.measure.startsWith('aid'))
      rows = st.points.all(request.measure, 'USA', a) as PointRow[];
    return rows.map((r) => ({
      date: r.date as IsoDate,
      knownAt: r.known_at as IsoDate,
      value: r.value,
      year: Number(r.date.slice(0, 4)),
      period: r.period,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  };

  const voteRows = (measure: ConvergenceMeasure, a: string, b: string): SeriesRow[] => {
    const byYear = new Map<number, { va: number[]; vb: number[] }>();
    for (const r of st.dyadVotes.all(b, a) as { year: number; va: number; vb: number }[]) {
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
        detail: { rollCalls: v.va.length, n: counts.n, same: counts.same, partial: counts.partial, opposite: counts.opposite },
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
    write: async (parsed) => writeAll.immediate(parsed),
    rows: async (request) => readRows(request),
    series: async (request) => readRows(request).map(({ date, knownAt, value }) => ({ date, knownAt, value })),
    close: async () => {
      db.close();
    },
  };
}

/** The series file inside a store folder. */
export { SERIES_FILE };

/** Opens `<storeDir>/series.sqlite` for reading, or undefined when nothing was imported there (for `Effects.openSeriesStore`). */
export async function openSeriesStoreIfPresent(storeDir: string): Promise<SqliteSeriesStore | undefined> {
  const file = resolve(storeDir, SERIES_FILE);
  return existsSync(file) ? openSqliteSeriesStore(file) : undefined;
}
