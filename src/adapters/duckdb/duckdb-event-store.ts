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
 *   SOURCEURL are one event when they were added (DATEADDED's day) at most the fold window
 *   apart (default 30 days); two rows of one file always are. The row kept is the one stored
 *   first; within one file, the earliest DATEADDED, then the lowest GLOBALEVENTID. Rows
 *   without a URL (1.0 backfile) and ICEWS rows are never folded. Folded rows are counted,
 *   never stored. Folding is on unless the load asks to keep re-emitted rows. (The window
 *   lets a file be compared with the stored events added near it, not with the whole store:
 *   a year of 15-minute files would otherwise cost each file a pass over a growing store.)
 * - Each file is loaded in one transaction together with its `ingested_files` record, so a
 *   crash at any moment leaves the store as it was before that file, or with the file whole.
 * - Only this module sees DuckDB's API; callers get plain values.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { IsoDate } from '../../core/dates.ts';
import type { EventDayAggregate, EventFilter, EventStore, Period, PeriodAggregate } from '../../ports/event-store.ts';
import type { FileIdentity } from '../event-formats/read-event-file.ts';
import { type IdRange, PACKED_VALUES, STAGED_COLUMNS, type StagedColumnKind } from '../event-formats/staged-events.ts';
import { compileEventFilter, type GroupNames } from './compile-event-filter.ts';

import { EVENT_STORE_FILE } from './event-store-layout.ts';

export { EVENT_STORE_FILE } from './event-store-layout.ts';

export interface LoadOutcome {
  /** Rows in the staged file. */
  readonly staged: number;
  /** Rows whose key was already stored (or repeated in the file). */
  readonly duplicates: number;
  /** Rows folded into an earlier copy of the same event by the de-duplication rule. */
  readonly folded: number;
  readonly inserted: number;
}

/**
 * One file's load: one transaction holding one INSERT of the file's staged rows, the
 * folding of re-emitted events and the file's record. One at a time per store.
 */
export interface FileLoad {
  /**
   * Stores the rows of a file's staged parts (in line order, `line_no` increasing across
   * them) except those whose key (source, event id) is already stored; returns how many
   * were stored. Within the file the first line of a key wins;
   * `keysIncreasing` (strictly increasing keys, so no repeats) spares looking for repeats;
   * `ids`, the range of the staged event ids when known, limits the comparison with stored
   * events to those in that range (GDELT ids grow, so a new file's range holds few or none).
   * `maxRowBytes` is the longest staged row. Call once per load.
   */
  insert(stagedPaths: readonly string[], opts: InsertOptions): Promise<number>;
  /** Folds re-emitted events (when `fold`), records the file and commits. `staged` counts the staged rows. */
  commit(file: FileIdentity, format: string, opts: CommitOptions): Promise<LoadOutcome>;
  /** Rolls back. Never throws. */
  abort(): Promise<void>;
}

export interface CommitOptions {
  readonly fold: boolean;
  /** Rows folded across files were added at most this many days apart (see the invariants; default 30). */
  readonly foldWindowDays?: number;
  readonly staged: number;
}

/** The fold window's default, in days. */
export const DEFAULT_FOLD_WINDOW_DAYS = 30;

export interface InsertOptions {
  readonly keysIncreasing: boolean;
  readonly maxRowBytes: number;
  readonly ids?: IdRange | undefined;
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
  /** Starts loading one file (a transaction; see `FileLoad`). */
  beginLoad(): Promise<FileLoad>;
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

/** The columns of `event_rows` that come from the staged rows: all but the line number. */
const STORED_COLUMNS = STAGED_COLUMNS.filter(([name]) => name !== 'line_no');
const STORED_NAMES = STORED_COLUMNS.map(([name]) => name);

/** An event as the `events` view shows it (and `dumpEvents` lists it): every value under its own name. */
const EVENT_COLUMNS = [
  'source',
  'event_id',
  'event_date',
  'known_at',
  'added_at',
  'actor1_code',
  'actor1_name',
  'actor1_country',
  'actor1_group',
  'actor1_type',
  'actor2_code',
  'actor2_name',
  'actor2_country',
  'actor2_group',
  'actor2_type',
  'is_root',
  'event_code',
  'event_base',
  'event_root',
  'quad_class',
  'goldstein',
  'num_mentions',
  'avg_tone',
  'action_country_fips',
  'source_url',
] as const;

const eventRowsTable = (name: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  ${STORED_COLUMNS.map(([n, k]) => `${n} ${SQL_TYPE[k]}${['source', 'event_id', 'event_date', 'known_at'].includes(n) ? ' NOT NULL' : ''}`).join(',\n  ')},
  fold_key UBIGINT,
  file_id INTEGER NOT NULL
);`;

/**
 * The `events` view: the stored rows with the packed values unpacked under their own names
 * (an empty value is NULL, as an empty staged field is). Queries read the view; loads and
 * folding write `event_rows`.
 */
const EVENTS_VIEW = `
CREATE OR REPLACE VIEW events AS SELECT
  ${EVENT_COLUMNS.map((n) => {
    const k = (PACKED_VALUES as readonly string[]).indexOf(n);
    return k === -1 ? n : `nullif(split_part(packed, chr(31), ${k + 1}), '') AS ${n}`;
  }).join(',\n  ')},
  fold_key, file_id
FROM event_rows;`;

const SCHEMA = `${eventRowsTable('event_rows')}
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

/** A value packed as the readers pack it: absent is empty, a U+001F inside is a space. */
const packedValue = (column: string) => `replace(coalesce(${column}, ''), chr(31), ' ')`;

/**
 * Makes `events` the view over `event_rows` of the current layout: created in a new store,
 * left as it is in a current one (no write on open). Stores of an earlier layout are
 * upgraded in one transaction, every value kept:
 * - a table `events` with a column per value (before packing): its rows move to `event_rows`;
 * - `event_rows` with the 8 short codes packed in `codes` and the actor names as columns:
 *   the names join the packed values, in a new `event_rows`.
 * Then `events` becomes the view.
 */
async function ensureEventsView(conn: DuckDBConnection): Promise<void> {
  const layout = (
    await conn.runAndReadAll(
      `SELECT (SELECT table_type FROM information_schema.tables WHERE table_name = 'events') AS kind,
              (SELECT count(*) FROM information_schema.columns WHERE table_name = 'event_rows' AND column_name = 'codes')::INTEGER AS codes`,
    )
  ).getRowObjectsJS()[0];
  const kind = layout?.kind ?? undefined;
  const namesApart = layout?.codes === 1;
  if (kind === 'VIEW' && !namesApart) return;
  if (kind === undefined) {
    await conn.run(EVENTS_VIEW);
    return;
  }
  const select = (packed: string) =>
    `SELECT ${STORED_NAMES.map((n) => (n === 'packed' ? packed : n)).join(', ')}, fold_key, file_id`;
  const insert = `INSERT INTO event_rows (${STORED_NAMES.join(', ')}, fold_key, file_id)`;
  await conn.run('BEGIN TRANSACTION');
  try {
    if (kind === 'VIEW') {
      await conn.run('DROP VIEW events');
      await conn.run('ALTER TABLE event_rows RENAME TO event_rows_codes');
      await conn.run(eventRowsTable('event_rows'));
      await conn.run(
        `${insert} ${select(`codes || chr(31) || ${packedValue('actor1_name')} || chr(31) || ${packedValue('actor2_name')}`)} FROM event_rows_codes`,
      );
      await conn.run('DROP TABLE event_rows_codes');
    } else {
      await conn.run(`${insert} ${select(PACKED_VALUES.map(packedValue).join(' || chr(31) || '))} FROM events`);
      await conn.run('DROP TABLE events');
    }
    await conn.run(EVENTS_VIEW);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

export interface OpenEventStoreOptions {
  /**
   * DuckDB memory limit, e.g. `128MB`; DuckDB spills to disk beyond it, and its allocations
   * outside the limit add some 50 MB. The default is 128 MB: a 2M-row ingest peaks at
   * 270–295 MB RSS. 96 MB peaked lower (240–270 MB) but ran out of memory once in CI on a
   * second 120k-row file after a kill -9 (an ingest that fails is worse than 25 MB more);
   * 64 MB runs out of memory when a 2M-row file's keys are compared with 2M stored ones.
   */
  readonly memoryLimit?: string;
  readonly threads?: number;
  readonly groupNames?: GroupNames;
  /**
   * The most fold keys one step of folding holds in a hash table (default 250,000): folding
   * runs in as many steps as a file needs, whatever the store's size.
   */
  readonly foldSliceRows?: number;
}

export async function openDuckDbEventStore(dir: string, opts: OpenEventStoreOptions = {}): Promise<DuckDbEventStore> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, EVENT_STORE_FILE);
  // Insertion order is not part of the store's contract (every read orders or aggregates),
  // and without it DuckDB writes a load with all its threads. A new store is written in the
  // storage format of DuckDB 1.5 (its default is 0.10's, for older readers): its text
  // compression stores a 2M-row load about a quarter faster. A store made before keeps its
  // format (DuckDB reads the format from the file).
  const memoryLimit = opts.memoryLimit ?? '128MB';
  const config: Record<string, string> = {
    memory_limit: memoryLimit,
    preserve_insertion_order: 'false',
    storage_compatibility_version: 'v1.5.0',
  };
  if (opts.threads !== undefined) config.threads = String(opts.threads);
  const instance = await DuckDBInstance.create(path, config);
  const conn = await instance.connect();
  await conn.run(SCHEMA);
  await ensureEventsView(conn);
  // The store's lock is held now, so no other ingest uses the staging directory.
  const stagingDir = join(dir, 'staging');
  mkdirSync(stagingDir, { recursive: true });
  for (const f of readdirSync(stagingDir)) rmSync(join(stagingDir, f), { force: true });
  const groupNames = opts.groupNames ?? (() => undefined);
  return new Store(path, stagingDir, instance, conn, groupNames, opts.foldSliceRows ?? FOLD_SLICE_ROWS, memoryLimit);
}

/**
 * The staged columns as `read_csv` reads them: explicit types, ISO dates, no sniffing, and
 * small read buffers (they count against memory, outside DuckDB's limit).
 */
function readStaged(pathSql: string, maxRowBytes: number): string {
  const columns = STAGED_COLUMNS.map(([n, k]) => `'${n}': '${SQL_TYPE[k]}'`).join(', ');
  const maxLine = Math.max(1 << 20, maxRowBytes + 1024);
  return `read_csv(${pathSql}, delim='\t', header=false, quote='', escape='', nullstr='', auto_detect=false,
    max_line_size=${maxLine}, buffer_size=${2 * maxLine}, columns={${columns}})`;
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** DuckDB's memory limit while it looks for keys repeated within a file (see `insert`). */
const REPEATED_KEYS_MEMORY = '64MB';

/** The most fold keys one step of folding groups or joins at a time, by default (see `commit`). */
const FOLD_SLICE_ROWS = 250_000;

const FOLD_KEY_SQL = `CASE WHEN s.source <> 'icews' AND s.source_url IS NOT NULL
  THEN hash(s.source, s.event_date, coalesce(s.actor1_code, ''), coalesce(s.actor2_code, ''), s.event_code, s.source_url) END`;

class Load implements FileLoad {
  private inserted = 0;
  private open = true;

  constructor(
    private readonly c: DuckDBConnection,
    private readonly fileId: number,
    private readonly sliceRows: number,
    private readonly memoryLimit: string,
  ) {}

  async insert(stagedPaths: readonly string[], opts: InsertOptions): Promise<number> {
    // A new GDELT file's ids lie above every stored one: when no stored event has an id in
    // the file's range, none can be a stored duplicate, and the rows go in without a join.
    // (DuckDB may build an anti join's hash table on the staged side, every column of every
    // row, when few stored keys are expected: that tripled the load of a 2M-row file.)
    const ids = opts.ids;
    const againstStored =
      ids === undefined ||
      (
        await this.c.runAndReadAll(
          'SELECT count(*)::INTEGER AS n FROM (SELECT 1 FROM event_rows WHERE event_id BETWEEN ?::BIGINT AND ?::BIGINT LIMIT 1)',
          [ids.min, ids.max],
        )
      ).getRowObjectsJS()[0]?.n !== 0;
    // One statement for the whole file: DuckDB writes it with all its threads straight into
    // row groups (several INSERTs in one transaction cost far more at commit, and the
    // earlier temporary tables and windows over every row cost more than the load).
    const params: (number | bigint)[] = [this.fileId];
    let stored = '';
    if (againstStored) {
      stored = `ANTI JOIN (SELECT source, event_id FROM event_rows${ids === undefined ? '' : ' WHERE event_id BETWEEN ?::BIGINT AND ?::BIGINT'}) e
         ON e.source = s.source AND e.event_id = s.event_id`;
      if (ids !== undefined) params.push(ids.min, ids.max);
    }
    const staged = readStaged(`[${stagedPaths.map(sqlString).join(', ')}]`, opts.maxRowBytes);
    let repeats = '';
    if (!opts.keysIncreasing) {
      // Keys repeated within the file: the first line of each stays. They are found by
      // grouping the keys alone, under a lower memory limit so that DuckDB spills the grouping
      // to disk early (at 128 MB its grouping of 2M keys ran out of memory; a window over the
      // rows, ordering each key's lines, held every row of the file at once and did too).
      await this.c.run(`SET memory_limit = '${REPEATED_KEYS_MEMORY}'`);
      try {
        await this.c.run(
          `CREATE TEMP TABLE repeated_keys AS
           SELECT source, event_id, min(line_no) AS first_line FROM ${staged}
           GROUP BY source, event_id HAVING count(*) > 1`,
        );
      } finally {
        await this.c.run(`SET memory_limit = '${this.memoryLimit}'`);
      }
      repeats = 'ANTI JOIN repeated_keys k ON k.source = s.source AND k.event_id = s.event_id AND s.line_no <> k.first_line';
    }
    const r = await this.c.run(
      `INSERT INTO event_rows (${STORED_NAMES.join(', ')}, fold_key, file_id)
       SELECT ${STORED_NAMES.map((n) => `s.${n}`).join(', ')}, ${FOLD_KEY_SQL}, ?::INTEGER
       FROM ${staged} s
       ${stored}
       ${repeats}`,
      params,
    );
    if (!opts.keysIncreasing) await this.c.run('DROP TABLE repeated_keys');
    this.inserted += r.rowsChanged;
    return r.rowsChanged;
  }

  async commit(file: FileIdentity, format: string, opts: CommitOptions): Promise<LoadOutcome> {
    const c = this.c;
    const f = this.fileId;
    try {
      let folded = 0;
      if (opts.fold && this.inserted > 0) {
        // Both steps group or join on fold keys; they run over slices of the key space
        // (fold_key % parts) so that no hash table holds more than about `sliceRows` of this
        // file's keys: this bounds DuckDB's memory (and the process's RSS) whatever the size
        // of the file and of the store.
        const others = Number(
          (
            await c.runAndReadAll(
              'SELECT coalesce(sum(inserted), 0)::DOUBLE AS n FROM ingested_files WHERE file_id <> ?::INTEGER',
              [f],
            )
          ).getRowObjectsJS()[0]?.n ?? 0,
        );
        // Re-emissions of an event stored by an earlier file, added within the fold window of
        // it: every copy in this file goes. Only stored events added within the window of this
        // file's rows can match, and the store's row groups are skipped by that range (events
        // are added file by file, so `known_at` grows with them): a file costs a pass over
        // the events added near it, not over the store.
        // The slices are of this file's keys only, copied to a temporary table so that each
        // join builds its hash table on them (the optimizer, misjudging how many stored rows
        // pass the filters, may otherwise build it on the store). The window is a filter after
        // an equality join: as a condition of the semi join it made DuckDB compare rows pair
        // by pair (200k re-emissions into a 2M-row store: 63 s instead of 1.5 s).
        const windowDays = opts.foldWindowDays ?? DEFAULT_FOLD_WINDOW_DAYS;
        // The days within the window of this file's rows (none when no row has a fold key).
        const range =
          others === 0
            ? undefined
            : (
                await c.runAndReadAll(
                  `SELECT strftime(min(known_at) - to_days(?::INTEGER), '%Y-%m-%d') AS lo,
                          strftime(max(known_at) + to_days(?::INTEGER), '%Y-%m-%d') AS hi
                   FROM event_rows WHERE file_id = ?::INTEGER AND fold_key IS NOT NULL`,
                  [windowDays, windowDays, f],
                )
              ).getRowObjectsJS()[0];
        if (typeof range?.lo === 'string' && typeof range.hi === 'string') {
          const parts = Math.max(1, Math.ceil(this.inserted / this.sliceRows));
          for (let part = 0; part < parts; part++) {
            await c.run(
              `CREATE TEMP TABLE fold_slice AS SELECT fold_key, event_date FROM event_rows
               WHERE file_id = ?::INTEGER AND fold_key IS NOT NULL AND fold_key % ?::UBIGINT = ?::UBIGINT`,
              [f, parts, part],
            );
            folded += (
              await c.run(
                `DELETE FROM event_rows WHERE rowid IN (
                   SELECT m.rowid FROM event_rows m
                   JOIN (SELECT o.fold_key, o.event_date, o.known_at FROM event_rows o
                         SEMI JOIN fold_slice n ON n.fold_key = o.fold_key AND n.event_date = o.event_date
                         WHERE o.known_at BETWEEN ?::DATE AND ?::DATE AND o.file_id <> ?::INTEGER
                           AND o.fold_key IS NOT NULL AND o.fold_key % ?::UBIGINT = ?::UBIGINT) x
                     ON x.fold_key = m.fold_key AND x.event_date = m.event_date
                   WHERE m.file_id = ?::INTEGER AND m.fold_key IS NOT NULL AND m.fold_key % ?::UBIGINT = ?::UBIGINT
                     AND abs(date_diff('day', x.known_at, m.known_at)) <= ?::INTEGER)`,
                [range.lo, range.hi, f, parts, part, f, parts, part, windowDays],
              )
            ).rowsChanged;
            await c.run('DROP TABLE fold_slice');
          }
        }
        // Re-emissions within this file: the earliest DATEADDED, then the lowest id, stays.
        const parts = Math.max(1, Math.ceil(this.inserted / this.sliceRows));
        for (let part = 0; part < parts; part++) {
          folded += (
            await c.run(
              `DELETE FROM event_rows WHERE rowid IN (
                 SELECT rowid FROM event_rows
                 WHERE file_id = ?::INTEGER AND fold_key % ?::UBIGINT = ?::UBIGINT AND fold_key IN (
                   SELECT fold_key FROM event_rows
                   WHERE file_id = ?::INTEGER AND fold_key IS NOT NULL AND fold_key % ?::UBIGINT = ?::UBIGINT
                   GROUP BY fold_key HAVING count(*) > 1)
                 QUALIFY row_number() OVER (PARTITION BY fold_key ORDER BY known_at, added_at, event_id) > 1)`,
              [f, parts, part, f, parts, part],
            )
          ).rowsChanged;
        }
      }
      const outcome: LoadOutcome = {
        staged: opts.staged,
        duplicates: opts.staged - this.inserted,
        folded,
        inserted: this.inserted - folded,
      };
      await c.run(
        'INSERT INTO ingested_files VALUES (?::INTEGER, ?, ?::BIGINT, ?::DOUBLE, ?, ?, ?::BIGINT, ?::BIGINT, ?::BIGINT, ?::BIGINT)',
        [
          f,
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
      await c.run('COMMIT');
      this.open = false;
      return outcome;
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  async abort(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.c.run('ROLLBACK').catch(() => undefined);
  }
}

class Store implements DuckDbEventStore {
  constructor(
    readonly path: string,
    readonly stagingDir: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly groupNames: GroupNames,
    private readonly foldSliceRows: number,
    private readonly memoryLimit: string,
  ) {}

  async wasLoaded(file: Omit<StoredFile, 'sha256'>): Promise<boolean> {
    const r = await this.conn.runAndReadAll(
      'SELECT count(*)::INTEGER AS n FROM ingested_files WHERE path = ? AND size = ? AND mtime_ms = ?',
      [file.path, file.size, file.mtimeMs],
    );
    return Number(r.getRowObjectsJS()[0]?.n ?? 0) > 0;
  }

  async beginLoad(): Promise<FileLoad> {
    const c = this.conn;
    await c.run('BEGIN TRANSACTION');
    try {
      const id = (
        await c.runAndReadAll('SELECT coalesce(max(file_id), 0)::INTEGER + 1 AS id FROM ingested_files')
      ).getRowObjectsJS()[0]?.id;
      return new Load(c, Number(id), this.foldSliceRows, this.memoryLimit);
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
      // Grouped by the truncated date; only the groups are formatted.
      `SELECT strftime(p, '${fmt}') AS period, count, goldstein_sum, goldstein_mean, avg_tone FROM (
         SELECT date_trunc('${by}', event_date) AS p, count(*)::DOUBLE AS count,
                coalesce(sum(goldstein), 0)::DOUBLE AS goldstein_sum, avg(goldstein)::DOUBLE AS goldstein_mean,
                avg(avg_tone)::DOUBLE AS avg_tone
         FROM events WHERE ${where} GROUP BY 1)
       ORDER BY p`,
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
    const r = await this.conn.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM event_rows');
    return Number(r.getRowObjectsJS()[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
