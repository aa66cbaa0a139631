/**
 * The DuckDB event store (`<dir>/events.duckdb`): implements the `EventStore` port and
 * loads staged event files.
 *
 * Invariants:
 * - An event's key is (source, event_id): `gdelt1`, `gdelt2` and `icews` ids are separate
 *   spaces. A key is stored at most once; re-loading a row with a stored key adds nothing
 *   (counted as a duplicate). Within one file the first line with a key wins.
 * - De-duplication of re-emitted GDELT events ("folding"): two GDELT rows of the same source
 *   with the same event day (SQLDATE), Actor1Code, Actor2Code, EventCode and a non-empty
 *   SOURCEURL are one event. The row kept is the one stored first; within one file, the
 *   earliest DATEADDED, then the lowest GLOBALEVENTID. Rows without a URL (1.0 backfile)
 *   and ICEWS rows are never folded. Folded rows are counted, never stored. Folding is on
 *   unless the load asks to keep re-emitted rows.
 * - Each file is loaded in one transaction together with its `ingested_files` record, so a
 *   crash at any moment leaves the store as it was before that file, or with the file whole.
 * - Only this module sees DuckDB's API; callers get plain values.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { IsoDate } from '../../core/dates.ts';
import type { EventDayAggregate, EventFilter, EventStore } from '../../ports/event-store.ts';
import type { FileIdentity } from '../event-formats/read-event-file.ts';
import { STAGED_COLUMNS, type StagedColumnKind } from '../event-formats/staged-events.ts';
import { compileEventFilter, type GroupNames } from './compile-event-filter.ts';

export const EVENT_STORE_FILE = 'events.duckdb';
export const PERIODS = ['day', 'month', 'year'] as const;
export type Period = (typeof PERIODS)[number];

export interface PeriodAggregate {
  readonly period: string;
  readonly count: number;
  readonly goldsteinSum: number;
  readonly goldsteinMean: number | null;
  readonly avgTone: number | null;
}

export interface LoadOutcome {
  /** Rows in the staged file. */
  readonly staged: number;
  /** Rows whose key was already stored (or repeated in the file). */
  readonly duplicates: number;
  /** Rows folded into an earlier copy of the same event by the de-duplication rule. */
  readonly folded: number;
  readonly inserted: number;
}

export interface StoredFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

export interface DuckDbEventStore extends EventStore {
  readonly path: string;
  /** The directory for staged files (emptied when the store opens). */
  readonly stagingDir: string;
  /** True when a file with this path, size and modification time was loaded before. */
  wasLoaded(file: Omit<StoredFile, 'sha256'>): Promise<boolean>;
  /** Loads a staged file and records `file`, all in one transaction. */
  loadStaged(stagedPath: string, file: FileIdentity, format: string, fold?: boolean): Promise<LoadOutcome>;
  periodAggregates(filter: EventFilter, by: Period): Promise<PeriodAggregate[]>;
  /** Every stored event as canonical text lines, ordered by key (for comparing stores in tests). */
  dumpEvents(): Promise<string[]>;
  count(): Promise<number>;
}

const SQL_TYPE: Record<StagedColumnKind, string> = {
  integer: 'BIGINT',
  text: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  small: 'TINYINT',
  real: 'DOUBLE',
};

const EVENT_COLUMNS = STAGED_COLUMNS.filter(([name]) => name !== 'line_no').map(([name]) => name);

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  ${STAGED_COLUMNS.filter(([n]) => n !== 'line_no')
    .map(([n, k]) => `${n} ${SQL_TYPE[k]}${['source', 'event_id', 'event_date', 'known_at'].includes(n) ? ' NOT NULL' : ''}`)
    .join(',\n  ')},
  fold_key UBIGINT,
  file_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ingested_files (
  file_id INTEGER PRIMARY KEY,
  path VARCHAR NOT NULL,
  size BIGINT NOT NULL,
  mtime_ms DOUBLE NOT NULL,
  sha256 VARCHAR NOT NULL,
  format VARCHAR NOT NULL,
  staged BIGINT NOT NULL,
  duplicates BIGINT NOT NULL,
  folded BIGINT NOT NULL,
  inserted BIGINT NOT NULL
);`;

export interface OpenEventStoreOptions {
  /** DuckDB memory limit, e.g. `256MB` (default); DuckDB spills to disk beyond it. */
  readonly memoryLimit?: string;
  readonly threads?: number;
  readonly groupNames?: GroupNames;
}

export async function openDuckDbEventStore(dir: string, opts: OpenEventStoreOptions = {}): Promise<DuckDbEventStore> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, EVENT_STORE_FILE);
  const config: Record<string, string> = { memory_limit: opts.memoryLimit ?? '256MB' };
  if (opts.threads !== undefined) config.threads = String(opts.threads);
  const instance = await DuckDBInstance.create(path, config);
  const conn = await instance.connect();
  await conn.run(SCHEMA);
  // The store's lock is held now, so no other ingest uses the staging directory.
  const stagingDir = join(dir, 'staging');
  mkdirSync(stagingDir, { recursive: true });
  for (const f of readdirSync(stagingDir)) rmSync(join(stagingDir, f), { force: true });
  const groupNames = opts.groupNames ?? (() => undefined);
  return new Store(path, stagingDir, instance, conn, groupNames);
}

class Store implements DuckDbEventStore {
  constructor(
    readonly path: string,
    readonly stagingDir: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly groupNames: GroupNames,
  ) {}

  async wasLoaded(file: Omit<StoredFile, 'sha256'>): Promise<boolean> {
    const r = await this.conn.runAndReadAll(
      'SELECT count(*)::INTEGER AS n FROM ingested_files WHERE path = ? AND size = ? AND mtime_ms = ?',
      [file.path, file.size, file.mtimeMs],
    );
    return Number(r.getRowObjectsJS()[0]?.n ?? 0) > 0;
  }

  async loadStaged(stagedPath: string, file: FileIdentity, format: string, fold = true): Promise<LoadOutcome> {
    const c = this.conn;
    const columns = STAGED_COLUMNS.map(([n, k]) => `'${n}': '${SQL_TYPE[k]}'`).join(', ');
    const read = `read_csv(?, delim='\t', header=false, quote='', escape='', nullstr='', auto_detect=false, dateformat='%Y%m%d', timestampformat='%Y%m%d%H%M%S', columns={${columns}})`;
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run(
        `CREATE OR REPLACE TEMP TABLE staged AS SELECT *,
           CASE WHEN source <> 'icews' AND source_url IS NOT NULL
                THEN hash(source, event_date, coalesce(actor1_code, ''), coalesce(actor2_code, ''), event_code, source_url) END AS fold_key
         FROM ${read}`,
        [stagedPath],
      );
      await c.run(
        `CREATE OR REPLACE TEMP TABLE fresh AS
         SELECT s.* FROM staged s ANTI JOIN events e ON e.source = s.source AND e.event_id = s.event_id
         QUALIFY row_number() OVER (PARTITION BY s.source, s.event_id ORDER BY s.line_no) = 1`,
      );
      const fileId = Number(
        (await c.runAndReadAll('SELECT coalesce(max(file_id), 0)::INTEGER + 1 AS id FROM ingested_files')).getRowObjectsJS()[0]
          ?.id,
      );
      await c.run(
        `INSERT INTO events (${EVENT_COLUMNS.join(', ')}, fold_key, file_id)
         SELECT ${EVENT_COLUMNS.map((n) => `f.${n}`).join(', ')}, f.fold_key, ?::INTEGER FROM fresh f
         ${
           fold
             ? `WHERE f.fold_key IS NULL OR NOT EXISTS (SELECT 1 FROM events e WHERE e.fold_key = f.fold_key)
                QUALIFY f.fold_key IS NULL OR row_number() OVER (PARTITION BY f.fold_key ORDER BY f.known_at, f.added_at, f.event_id) = 1`
             : ''
         }`,
        [fileId],
      );
      const counts = (
        await c.runAndReadAll(
          `SELECT (SELECT count(*) FROM staged)::BIGINT AS staged, (SELECT count(*) FROM fresh)::BIGINT AS fresh,
                  (SELECT count(*) FROM events WHERE file_id = ?::INTEGER)::BIGINT AS inserted`,
          [fileId],
        )
      ).getRowObjectsJS()[0] as { staged: bigint; fresh: bigint; inserted: bigint };
      const outcome: LoadOutcome = {
        staged: Number(counts.staged),
        duplicates: Number(counts.staged - counts.fresh),
        folded: Number(counts.fresh - counts.inserted),
        inserted: Number(counts.inserted),
      };
      await c.run(
        'INSERT INTO ingested_files VALUES (?::INTEGER, ?, ?::BIGINT, ?::DOUBLE, ?, ?, ?::BIGINT, ?::BIGINT, ?::BIGINT, ?::BIGINT)',
        [
          fileId,
          file.path,
          file.size,
          file.mtimeMs,
          file.sha256,
          format,
          outcome.staged,
          outcome.duplicates,
          outcome.folded,
          outcome.inserted,
        ],
      );
      await c.run('DROP TABLE staged');
      await c.run('DROP TABLE fresh');
      await c.run('COMMIT');
      return outcome;
    } catch (err) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async dailyAggregates(filter: EventFilter): Promise<EventDayAggregate[]> {
    const { where, params } = compileEventFilter(filter, this.groupNames);
    const r = await this.conn.runAndReadAll(
      `SELECT strftime(event_date, '%Y-%m-%d') AS date, strftime(known_at, '%Y-%m-%d') AS known_at,
              count(*)::DOUBLE AS n, coalesce(sum(goldstein), 0)::DOUBLE AS g, coalesce(sum(avg_tone), 0)::DOUBLE AS t
       FROM events WHERE ${where} GROUP BY event_date, known_at ORDER BY event_date, known_at`,
      params,
    );
    const cols = r.getColumnsJS() as [string[], string[], number[], number[], number[]];
    // DuckDB gives no columns at all for an empty result.
    const out: EventDayAggregate[] = new Array(cols[0]?.length ?? 0);
    for (let i = 0; i < out.length; i++) {
      out[i] = {
        date: cols[0][i] as IsoDate,
        knownAt: cols[1][i] as IsoDate,
        count: cols[2][i] as number,
        goldsteinSum: cols[3][i] as number,
        toneSum: cols[4][i] as number,
      };
    }
    return out;
  }

  async periodAggregates(filter: EventFilter, by: Period): Promise<PeriodAggregate[]> {
    const { where, params } = compileEventFilter(filter, this.groupNames);
    const fmt = by === 'day' ? '%Y-%m-%d' : by === 'month' ? '%Y-%m' : '%Y';
    const r = await this.conn.runAndReadAll(
      `SELECT strftime(date_trunc('${by}', event_date), '${fmt}') AS period, count(*)::DOUBLE AS count,
              coalesce(sum(goldstein), 0)::DOUBLE AS goldstein_sum, avg(goldstein)::DOUBLE AS goldstein_mean,
              avg(avg_tone)::DOUBLE AS avg_tone
       FROM events WHERE ${where} GROUP BY 1 ORDER BY 1`,
      params,
    );
    return r.getRowObjectsJS().map((row) => ({
      period: String(row.period),
      count: Number(row.count),
      goldsteinSum: Number(row.goldstein_sum),
      goldsteinMean: row.goldstein_mean === null ? null : Number(row.goldstein_mean),
      avgTone: row.avg_tone === null ? null : Number(row.avg_tone),
    }));
  }

  async dumpEvents(): Promise<string[]> {
    const r = await this.conn.runAndReadAll(
      `SELECT concat_ws('|', ${EVENT_COLUMNS.map((n) => `coalesce(CAST(${n} AS VARCHAR), '∅')`).join(', ')}) AS line
       FROM events ORDER BY source, event_id`,
    );
    return r.getRowObjectsJS().map((row) => String(row.line));
  }

  async count(): Promise<number> {
    const r = await this.conn.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM events');
    return Number(r.getRowObjectsJS()[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
