/**
 * The DuckDB event store (`<dir>/events.duckdb`): implements the `EventStore` port and
 * loads staged event files.
 *
 * Invariants:
 * - An event's key is (source, event_id) for GDELT and (event_id, event_date) for ICEWS:
 *   `gdelt1`, `gdelt2` and `icews` ids are separate spaces, and an ICEWS Event ID is unique
 *   only together with its Event Date (the ICEWS data repeats ids on other days). A key is
 *   stored at most once; re-loading a row with a stored key adds nothing (counted as a
 *   duplicate). Within one file the first line with a key wins.
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
 * - The file is locked only while it is used: a writer from the start of a file's load to its
 *   commit (and for a moment to ask whether a file was loaded), a reader (`readOnly`) for one
 *   query. So readers (`serve`, `events`, `brief`) and an ingest take turns at the file
 *   instead of locking each other out for a whole run (DuckDB lets one process write a file,
 *   or several read it, never both at once). Meeting another process's lock, an open waits
 *   (up to `lockWaitMs`), tells `onLockWait` which process holds it, and then fails with a
 *   {@link EventStoreLockedError} naming that process.
 * - Only this module sees DuckDB's API; callers get plain values.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { IsoDate } from '../../core/dates.ts';
import type { EventDayAggregate, EventFilter, EventStore, Period, PeriodAggregate } from '../../ports/event-store.ts';
import type { FileIdentity } from '../event-formats/read-event-file.ts';
import {
  EVENT_SOURCES,
  type IdRange,
  PACKED_VALUES,
  SOURCE_CODES,
  STAGED_COLUMNS,
  type StagedColumnKind,
} from '../event-formats/staged-events.ts';
import { compileEventFilter, type GroupNames } from './compile-event-filter.ts';
import { EVENT_STORE_FILE } from './event-store-layout.ts';
import type { LockHolder } from './event-store-lock.ts';
import { ADDED_COMMON_COLUMNS, COMMON_COLUMNS, COMMON_SQL, VIEW_NAMES, VIEWS_SQL } from './event-views.ts';
import { openDuckDbWaiting } from './open-waiting.ts';

export { EVENT_STORE_FILE } from './event-store-layout.ts';
export { describeHolder, EventStoreLockedError, type LockHolder, lockHolderOf } from './event-store-lock.ts';

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
   * them) except those whose key (see the invariants) is already stored; returns how many
   * were stored. Within the file the first line of a key wins;
   * `keysIncreasing` (strictly increasing keys, so no repeats) spares looking for repeats;
   * `ids`, the range of the staged event ids when known, limits the comparison with stored
   * events to those in that range (GDELT ids grow, so a new file's range holds few or none).
   * `maxRowBytes` is the longest staged row. Call once per load.
   */
  insert(stagedPaths: readonly string[], opts: InsertOptions): Promise<number>;
  /**
   * Optional (a store that loads while staging, see `DuckDbEventStore.loadsWhileStaging`):
   * begins taking the rows of the staged parts that may be written at `stagedPaths` while
   * they are being written. `insert` then names the parts that were written, complete; a
   * part it does not name was never written; `commit` without `insert` (nothing staged) or
   * `abort` stops taking them.
   */
  follow?(stagedPaths: readonly string[]): void;
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
  /**
   * True when a load should begin before its file is read, and follow its staged parts as
   * they are written (`FileLoad.follow`): the reading and the loading then run at once.
   * Absent or false: the load begins once the file is staged.
   */
  readonly loadsWhileStaging?: boolean;
  periodAggregates(filter: EventFilter, by: Period): Promise<PeriodAggregate[]>;
  /** Every stored event as canonical text lines, ordered by key (for comparing stores in tests). */
  dumpEvents(): Promise<string[]>;
  count(): Promise<number>;
}

/** The type of a stored column by the kind of its staged field. */
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

/**
 * An event as `dumpEvents` lists it: the columns of the `events` view, then the source's
 * own values (`extra`) as stored.
 */
const DUMP_COLUMNS = [...COMMON_COLUMNS, ...ADDED_COMMON_COLUMNS, 'extra'] as const;

/** Columns of `event_rows` added when the store came to keep every field (NULL in the rows stored before). */
const FULL_FIELD_COLUMNS = ['num_sources', 'num_articles', 'extra'] as const;

const eventRowsTable = (name: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  ${STORED_COLUMNS.map(([n, k]) => `${n} ${SQL_TYPE[k]}${['source', 'event_id', 'event_date', 'known_at'].includes(n) ? ' NOT NULL' : ''}`).join(',\n  ')},
  fold_key UBIGINT,
  file_id INTEGER NOT NULL
);`;

/**
 * The rule files were de-duplicated by, recorded per file in `ingested_files.key_version`:
 * 1, (source, event id) for every source; 2, ICEWS by (Event ID, Event Date). A file loaded
 * under rule 1 lost the ICEWS rows whose id was already stored for another day, so an ICEWS
 * file with such a record is not taken as loaded: ingesting it again keeps every stored
 * event and adds the ones rule 1 dropped.
 */
const KEY_VERSION = 2;

/**
 * The key of an event beside (source, event_id): the event day for ICEWS, NULL for GDELT
 * (joined with IS NOT DISTINCT FROM, so NULL matches NULL). `t` is a table alias.
 */
const keyDay = (t: string) => `CASE WHEN ${t}.source = 'icews' THEN ${t}.event_date END`;

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
  inserted BIGINT NOT NULL,
  key_version INTEGER NOT NULL DEFAULT ${KEY_VERSION}
);`;

/** A value packed as the readers pack it: absent is empty, a U+001F inside is a space. */
const packedValue = (column: string) => `replace(coalesce(${column}, ''), chr(31), ' ')`;

/**
 * The layout facts that decide the upgrades: what `events` is (a table, a view, absent),
 * whether `event_rows` packs codes apart from the names (`codes`) and keeps every field
 * (`extra`), whether files carry their key rule, and how many of the views are those of
 * this version.
 */
async function readLayout(
  conn: DuckDBConnection,
): Promise<{ kind: string | undefined; codes: boolean; extra: boolean; keyed: boolean; views: number }> {
  const r = (
    await conn.runAndReadAll(
      `SELECT (SELECT table_type FROM information_schema.tables WHERE table_name = 'events') AS kind,
              (SELECT count(*) FROM information_schema.columns WHERE table_name = 'event_rows' AND column_name = 'codes')::INTEGER AS codes,
              (SELECT count(*) FROM information_schema.columns WHERE table_name = 'event_rows' AND column_name = 'extra')::INTEGER AS extra,
              (SELECT count(*) FROM information_schema.columns WHERE table_name = 'ingested_files' AND column_name = 'key_version')::INTEGER AS keyed,
              (SELECT count(*) FROM information_schema.tables WHERE table_type = 'VIEW' AND table_name IN (${VIEW_NAMES.map((n) => `'${n}'`).join(', ')}))::INTEGER
               + (SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' AND column_name = '${ADDED_COMMON_COLUMNS[ADDED_COMMON_COLUMNS.length - 1]}')::INTEGER AS views`,
    )
  ).getRowObjectsJS()[0];
  return {
    kind: typeof r?.kind === 'string' ? r.kind : undefined,
    codes: r?.codes === 1,
    extra: r?.extra === 1,
    keyed: r?.keyed === 1,
    views: Number(r?.views ?? 0),
  };
}

/** True when the store holds the current layout (every view, every field, files with their key rule): a reader needs no upgrade. */
async function layoutIsCurrent(conn: DuckDBConnection): Promise<boolean> {
  const l = await readLayout(conn);
  return l.kind === 'VIEW' && !l.codes && l.extra && l.keyed && l.views === VIEW_NAMES.length + 1;
}

/**
 * Files recorded before the key rule was (see `KEY_VERSION`): they get `key_version` 1, and
 * files loaded from now on the current rule. No write when the column is there.
 */
async function ensureKeyVersion(conn: DuckDBConnection): Promise<void> {
  const keyed = (
    await conn.runAndReadAll(
      `SELECT count(*)::INTEGER AS n FROM information_schema.columns WHERE table_name = 'ingested_files' AND column_name = 'key_version'`,
    )
  ).getRowObjectsJS()[0]?.n;
  if (keyed === 1) return;
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run('ALTER TABLE ingested_files ADD COLUMN key_version INTEGER DEFAULT 1');
    await conn.run(`ALTER TABLE ingested_files ALTER COLUMN key_version SET DEFAULT ${KEY_VERSION}`);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function createViews(conn: DuckDBConnection): Promise<void> {
  for (const sql of VIEWS_SQL) await conn.run(sql);
}

/**
 * Makes `events` (and the source views) the views over `event_rows` of the current layout:
 * created in a new store, left as they are in a current one (no write on open). Stores of
 * an earlier layout are upgraded in one transaction, every value kept:
 * - a table `events` with a column per value (before packing): its rows move to `event_rows`;
 * - `event_rows` with the 8 short codes packed in `codes` and the actor names as columns:
 *   the names join the packed values, in a new `event_rows`;
 * - `event_rows` without the fields kept since (NumSources, NumArticles, `extra`): the
 *   columns are added, NULL in every stored row (those values were never stored, so
 *   they are unknown, not recovered).
 * Then the views are (re)made.
 */
async function ensureEventsView(conn: DuckDBConnection): Promise<void> {
  const layout = await readLayout(conn);
  const kind = layout.kind;
  if (kind === 'VIEW' && !layout.codes && layout.extra && layout.views === VIEW_NAMES.length + 1) return;
  if (kind === undefined) {
    await createViews(conn);
    return;
  }
  // The rows of an earlier table: the packed values as `packed` gives, the fields never stored NULL.
  const select = (packed: string) =>
    `SELECT ${STORED_NAMES.map((n) => (n === 'packed' ? packed : (FULL_FIELD_COLUMNS as readonly string[]).includes(n) ? `NULL AS ${n}` : n)).join(', ')}, fold_key, file_id`;
  const insert = `INSERT INTO event_rows (${STORED_NAMES.join(', ')}, fold_key, file_id)`;
  await conn.run('BEGIN TRANSACTION');
  try {
    if (kind === 'VIEW' && layout.codes) {
      await conn.run('DROP VIEW events');
      await conn.run('ALTER TABLE event_rows RENAME TO event_rows_codes');
      await conn.run(eventRowsTable('event_rows'));
      await conn.run(
        `${insert} ${select(`codes || chr(31) || ${packedValue('actor1_name')} || chr(31) || ${packedValue('actor2_name')}`)} FROM event_rows_codes`,
      );
      await conn.run('DROP TABLE event_rows_codes');
    } else if (kind === 'VIEW') {
      if (!layout.extra) {
        const types = new Map<string, string>(STORED_COLUMNS.map(([n, k]) => [n, SQL_TYPE[k]]));
        for (const n of FULL_FIELD_COLUMNS) await conn.run(`ALTER TABLE event_rows ADD COLUMN ${n} ${types.get(n)}`);
      }
    } else {
      await conn.run(`${insert} ${select(PACKED_VALUES.map(packedValue).join(' || chr(31) || '))} FROM events`);
      await conn.run('DROP TABLE events');
    }
    await createViews(conn);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

export interface OpenEventStoreOptions {
  /**
   * DuckDB memory limit, e.g. `128MB`; DuckDB spills to disk beyond it, and allocates some
   * more outside the limit. The default, 128 MB, is the lowest that never ran out of memory
   * in bench:ingest and the crash tests (the measurements: bench/README.md).
   */
  readonly memoryLimit?: string;
  readonly threads?: number;
  readonly groupNames?: GroupNames;
  /**
   * The most fold keys one step of folding holds in a hash table (default 250,000): folding
   * runs in as many steps as a file needs, whatever the store's size.
   */
  readonly foldSliceRows?: number;
  /**
   * Open for reading only: nothing is created or written (a store of an earlier layout is
   * upgraded first, by a short write), and the file is locked only while a query runs. The
   * store must exist.
   */
  readonly readOnly?: boolean;
  /** How long an open waits for another process's lock on the file (default 10 minutes). */
  readonly lockWaitMs?: number;
  /** Called once per wait when the file is locked by another process, with that process. */
  readonly onLockWait?: (holder: LockHolder) => void;
}

const DEFAULT_LOCK_WAIT_MS = 10 * 60_000;

export async function openDuckDbEventStore(dir: string, opts: OpenEventStoreOptions = {}): Promise<DuckDbEventStore> {
  const path = join(dir, EVENT_STORE_FILE);
  const readOnly = opts.readOnly === true;
  if (readOnly && !existsSync(path)) throw new Error(`${path}: no event store here (nothing was ingested)`);
  if (!readOnly) mkdirSync(dir, { recursive: true });
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
  const files = new StoreFile(path, config, opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, opts.onLockWait);
  const stagingDir = join(dir, 'staging');
  if (readOnly) {
    // A store of an earlier layout is upgraded once, by a writer, before it is read.
    const ro = await files.open(true);
    const current = await layoutIsCurrent(ro.conn).finally(() => files.close(ro));
    if (!current) {
      const rw = await files.open(false);
      try {
        await upgrade(rw);
      } finally {
        files.close(rw);
      }
    }
  } else {
    const rw = await files.open(false);
    try {
      await upgrade(rw);
    } finally {
      files.close(rw);
    }
    mkdirSync(stagingDir, { recursive: true });
    // Staged files are named after the process writing them: those of processes that are
    // gone (a crashed ingest) are removed; a running ingest's are left alone.
    for (const f of readdirSync(stagingDir)) {
      const pid = /^(\d+)-/.exec(f)?.[1];
      if (pid === undefined || !processIsAlive(Number(pid))) rmSync(join(stagingDir, f), { force: true });
    }
  }
  const groupNames = opts.groupNames ?? (() => undefined);
  return new Store(path, stagingDir, files, readOnly, groupNames, opts.foldSliceRows ?? FOLD_SLICE_ROWS, memoryLimit);
}

/** Brings a store opened for writing to the current layout; returns the handle. */
async function upgrade(h: OpenFile): Promise<OpenFile> {
  await h.conn.run(SCHEMA);
  await ensureEventsView(h.conn);
  await ensureKeyVersion(h.conn);
  return h;
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface OpenFile {
  readonly instance: DuckDBInstance;
  readonly conn: DuckDBConnection;
  closed: boolean;
}

/** Opens the store's file (waiting for other processes' locks) and closes it. */
class StoreFile {
  constructor(
    readonly path: string,
    private readonly config: Readonly<Record<string, string>>,
    private readonly lockWaitMs: number,
    private readonly onLockWait: ((holder: LockHolder) => void) | undefined,
  ) {}

  async open(readOnly: boolean): Promise<OpenFile> {
    const config: Record<string, string> = { ...this.config };
    if (readOnly) {
      config.access_mode = 'READ_ONLY';
      delete config.storage_compatibility_version;
    }
    const opened = await openDuckDbWaiting(this.path, config, readOnly, this.lockWaitMs, this.onLockWait);
    return { ...opened, closed: false };
  }

  /** Closes the file (once; later calls do nothing). */
  close(h: OpenFile): void {
    if (h.closed) return;
    h.closed = true;
    h.conn.closeSync();
    h.instance.closeSync();
  }
}

/**
 * The rows of staged files as stored columns: the staged fields as `read_csv` reads them
 * (explicit types, no sniffing, and small read buffers: they count against memory, outside
 * DuckDB's limit), the source's code as its name, and `known_at` filled in where the
 * staged row leaves it to the store (see the staged layout).
 */
function readStaged(paths: readonly string[], maxRowBytes: number): string {
  const columns = STAGED_COLUMNS.map(([n, k]) => `'${n}': '${SQL_TYPE[k]}'`).join(', ');
  const maxLine = Math.max(1 << 20, maxRowBytes + 1024);
  const pathSql = `[${paths.map(sqlString).join(', ')}]`;
  const exprs = STAGED_COLUMNS.map(([n]) => {
    // The order of the lines: by staged file, then line; a row whose number the staged
    // file leaves out comes before every numbered row of its file (see the staged layout).
    if (n === 'line_no') return `list_position(${pathSql}, filename) * ${2 ** 50} + coalesce(line_no + 1, 0) AS line_no`;
    if (n === 'source')
      return `CASE source ${EVENT_SOURCES.map((src) => `WHEN '${SOURCE_CODES[src]}' THEN '${src}'`).join(' ')} END AS source`;
    if (n === 'known_at') return 'coalesce(known_at, CAST(added_at AS DATE), event_date) AS known_at';
    return n;
  });
  return `(SELECT ${exprs.join(', ')} FROM read_csv(${pathSql}, delim='\t', header=false, quote='', escape='', nullstr='', auto_detect=false,
    filename=true, max_line_size=${maxLine}, buffer_size=${2 * maxLine}, columns={${columns}}))`;
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
    /** Closes the file when the load ends (commit or abort). */
    private readonly release: () => void,
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
      stored = `ANTI JOIN (SELECT source, event_id, ${keyDay('r')} AS day FROM event_rows r${ids === undefined ? '' : ' WHERE event_id BETWEEN ?::BIGINT AND ?::BIGINT'}) e
         ON e.source = s.source AND e.event_id = s.event_id AND e.day IS NOT DISTINCT FROM ${keyDay('s')}`;
      if (ids !== undefined) params.push(ids.min, ids.max);
    }
    const staged = readStaged(stagedPaths, opts.maxRowBytes);
    let repeats = '';
    if (!opts.keysIncreasing) {
      // Keys repeated within the file: the first line of each stays. They are found by
      // grouping the keys alone, under a lower memory limit so that DuckDB spills the grouping
      // to disk early (at the store's limit a large file's grouping ran out of memory; a window
      // over the rows, ordering each key's lines, held every row of the file at once and did
      // too; bench/README.md).
      await this.c.run(`SET memory_limit = '${REPEATED_KEYS_MEMORY}'`);
      try {
        await this.c.run(
          `CREATE TEMP TABLE repeated_keys AS
           SELECT source, event_id, ${keyDay('f')} AS day, min(line_no) AS first_line FROM ${staged} f
           GROUP BY ALL HAVING count(*) > 1`,
        );
      } finally {
        await this.c.run(`SET memory_limit = '${this.memoryLimit}'`);
      }
      repeats = `ANTI JOIN repeated_keys k ON k.source = s.source AND k.event_id = s.event_id
        AND k.day IS NOT DISTINCT FROM ${keyDay('s')} AND s.line_no <> k.first_line`;
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
        // by pair, some 40 times slower (bench/README.md).
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
        `INSERT INTO ingested_files (file_id, path, size, mtime_ms, sha256, format, staged, duplicates, folded, inserted, key_version)
         VALUES (?::INTEGER, ?, ?::BIGINT, ?::DOUBLE, ?, ?, ?::BIGINT, ?::BIGINT, ?::BIGINT, ?::BIGINT, ${KEY_VERSION})`,
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
      this.release();
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
    this.release();
  }
}

class Store implements DuckDbEventStore {
  /** The file while a load runs (held from `beginLoad` to its commit or abort). */
  private loading: OpenFile | undefined;

  constructor(
    readonly path: string,
    readonly stagingDir: string,
    private readonly files: StoreFile,
    private readonly readOnly: boolean,
    private readonly groupNames: GroupNames,
    private readonly foldSliceRows: number,
    private readonly memoryLimit: string,
  ) {}

  /** Runs `f` with the file open (read-only for a reader), then closes it. */
  private async use<T>(f: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.loading !== undefined) return f(this.loading.conn);
    const h = await this.files.open(this.readOnly);
    try {
      return await f(h.conn);
    } finally {
      this.files.close(h);
    }
  }

  async wasLoaded(file: Omit<StoredFile, 'sha256'>): Promise<boolean> {
    const r = await this.use((c) =>
      c.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM ingested_files WHERE path = ? AND size = ? AND mtime_ms = ?
           AND (key_version >= ${KEY_VERSION} OR format NOT LIKE '%icews%')`,
        [file.path, file.size, file.mtimeMs],
      ),
    );
    return Number(r.getRowObjectsJS()[0]?.n ?? 0) > 0;
  }

  async beginLoad(): Promise<FileLoad> {
    if (this.readOnly) throw new Error(`${this.path} was opened for reading only`);
    if (this.loading !== undefined) throw new Error('one load at a time per store');
    const h = await this.files.open(false);
    this.loading = h;
    const release = () => {
      if (this.loading === h) this.loading = undefined;
      this.files.close(h);
    };
    const c = h.conn;
    try {
      await c.run('BEGIN TRANSACTION');
      try {
        const id = (
          await c.runAndReadAll('SELECT coalesce(max(file_id), 0)::INTEGER + 1 AS id FROM ingested_files')
        ).getRowObjectsJS()[0]?.id;
        return new Load(c, Number(id), this.foldSliceRows, this.memoryLimit, release);
      } catch (err) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } catch (err) {
      release();
      throw err;
    }
  }

  async dailyAggregates(filter: EventFilter): Promise<EventDayAggregate[]> {
    const { where, params } = compileEventFilter(filter, this.groupNames);
    const r = await this.use((c) =>
      c.runAndReadAll(
        // A weight's sum is NULL when an event of the group has no such value (see the port).
        `SELECT strftime(event_date, '%Y-%m-%d') AS date, strftime(known_at, '%Y-%m-%d') AS known_at,
              count(*)::DOUBLE AS n, coalesce(sum(goldstein), 0)::DOUBLE AS g, coalesce(sum(avg_tone), 0)::DOUBLE AS t,
              CASE WHEN count(num_articles) = count(*) THEN sum(num_articles) END::DOUBLE AS a,
              CASE WHEN count(num_sources) = count(*) THEN sum(num_sources) END::DOUBLE AS s
       FROM events WHERE ${where} GROUP BY event_date, known_at ORDER BY event_date, known_at`,
        params,
      ),
    );
    const cols = r.getColumnsJS() as [string[], string[], number[], number[], number[], (number | null)[], (number | null)[]];
    // DuckDB gives no columns at all for an empty result.
    const out: EventDayAggregate[] = new Array(cols[0]?.length ?? 0);
    for (let i = 0; i < out.length; i++) {
      out[i] = {
        date: cols[0][i] as IsoDate,
        knownAt: cols[1][i] as IsoDate,
        count: cols[2][i] as number,
        goldsteinSum: cols[3][i] as number,
        toneSum: cols[4][i] as number,
        articlesSum: cols[5][i] ?? null,
        sourcesSum: cols[6][i] ?? null,
      };
    }
    return out;
  }

  async periodAggregates(filter: EventFilter, by: Period): Promise<PeriodAggregate[]> {
    const { where, params } = compileEventFilter(filter, this.groupNames);
    const fmt = by === 'day' ? '%Y-%m-%d' : by === 'month' ? '%Y-%m' : '%Y';
    const r = await this.use((c) =>
      c.runAndReadAll(
        // Grouped by the truncated date; only the groups are formatted.
        `SELECT strftime(p, '${fmt}') AS period, count, goldstein_sum, goldstein_mean, avg_tone FROM (
         SELECT date_trunc('${by}', event_date) AS p, count(*)::DOUBLE AS count,
                coalesce(sum(goldstein), 0)::DOUBLE AS goldstein_sum, avg(goldstein)::DOUBLE AS goldstein_mean,
                avg(avg_tone)::DOUBLE AS avg_tone
         FROM events WHERE ${where} GROUP BY 1)
       ORDER BY p`,
        params,
      ),
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
    const r = await this.use((c) =>
      c.runAndReadAll(
        `SELECT concat_ws('|', ${DUMP_COLUMNS.map((n) => `coalesce(CAST(${n === 'extra' ? n : COMMON_SQL[n]} AS VARCHAR), '∅')`).join(', ')}) AS line
       FROM event_rows ORDER BY source, event_id, event_date`,
      ),
    );
    return r.getRowObjectsJS().map((row) => String(row.line));
  }

  async count(): Promise<number> {
    const r = await this.use((c) => c.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM event_rows'));
    return Number(r.getRowObjectsJS()[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    const h = this.loading;
    if (h === undefined) return;
    this.loading = undefined;
    await h.conn.run('ROLLBACK').catch(() => undefined);
    this.files.close(h);
  }
}
