/**
 * The ClickHouse event store: implements the `EventStore` port, and loads staged event files
 * through the same `FileLoad` steps as the DuckDB store (so `ingestEventFiles`, its parsers
 * and its rejects, serve both). Runs on ClickHouse 18.16 (Debian's package) and later.
 *
 * Invariants (the DuckDB store's, kept without transactions):
 * - An event's key is (source, event_id) for GDELT and (event_id, event_date) for ICEWS. A
 *   key is stored at most once; a row with a stored key adds nothing (a duplicate); within
 *   one file the first line of a key wins.
 * - Re-emitted GDELT events are folded as the DuckDB store folds them (same source, event
 *   day, Actor1Code, Actor2Code, EventCode and a non-empty SOURCEURL; across files when added
 *   at most the fold window apart, every copy of the later file; within a file the earliest
 *   DATEADDED, then the lowest id, stays). Folding runs in the engine, on the file's staged
 *   rows, before any of them reaches `event_rows`: folded rows are never stored.
 * - A file is visible only once committed: its rows carry its `file_id`, and every read
 *   keeps only rows whose `file_id` is in `ingested_files`, which gets the file's record
 *   after its rows are stored. A crash (kill -9) at any point leaves at most rows of a file
 *   without a record: invisible, never counted, never matched as duplicates or folded
 *   against; a rerun loads the file again under a new id. Load ids are never reused
 *   (`loads`). Stage tables and invisible rows of a dead load of this host are removed when
 *   a writer next opens the store.
 * - A file's rows are streamed into a stage table made `AS event_rows` (its columns, its
 *   partitions and order, plus each row's position `seq`), where the duplicate checks and
 *   the folding run; the rows kept are then attached to `event_rows` part by part (`ATTACH
 *   PARTITION … FROM`: hard links, no copy), or, when some rows go, first copied without
 *   them into a second table made the same way. Either way they stay invisible until the
 *   file's record is written.
 * - One ingest at a time per database (a second one begun at the same moment is refused
 *   when it takes the same load id; otherwise the two are not kept apart: don't).
 * - With a cluster, `event_rows` is a Distributed table (explicit columns; inserts
 *   synchronous) over `event_rows_local` on each shard, sharded by event id; the stage is a
 *   Distributed table over a stage on each shard, sharded the same way, so that each shard
 *   attaches its own rows; the file log, load ids and the table of rows that go live on the
 *   server the adapter talks to, and every subquery a shard must see goes as GLOBAL IN.
 * - Values reach SQL only through `clickhouse-sql.ts` (18.16 takes no query parameters).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { IsoDate } from '../../core/dates.ts';
import type { EventDayAggregate, EventFilter, Period, PeriodAggregate } from '../../ports/event-store.ts';
import type { GroupNames } from '../duckdb/compile-event-filter.ts';
// Types only: DuckDB's library is never loaded by this adapter.
import type {
  CommitOptions,
  DuckDbEventStore,
  FileLoad,
  InsertOptions,
  LoadOutcome,
  StoredFile,
} from '../duckdb/duckdb-event-store.ts';
import type { FileIdentity } from '../event-formats/read-event-file.ts';
import type { IdRange } from '../event-formats/staged-events.ts';
import {
  type ClickHouseConnection,
  type ClickHouseTarget,
  type ConnectClickHouse,
  connectClickHouse,
  describeClickHouseTarget,
  type Settings,
} from './clickhouse-connection.ts';
import { CLICKHOUSE_DATE_MAX, CLICKHOUSE_DATE_MIN, sqlDate, sqlIdentifier, sqlInteger, sqlString } from './clickhouse-sql.ts';
import { compileClickHouseEventFilter } from './compile-event-filter.ts';
import { CLICKHOUSE_VIEWS } from './event-views.ts';
import {
  dayText,
  FoldKeyRepeats,
  partHasData,
  REAL_BITS_COLUMNS,
  STAGE_INSERT_COLUMNS,
  type StagedPartStats,
  stagedPartAsTsv,
} from './staged-to-tsv.ts';

/** The stored columns, with their ClickHouse types, in order. */
const EVENT_COLUMNS: readonly (readonly [string, string])[] = [
  ['source', "Enum8('gdelt1' = 1, 'gdelt2' = 2, 'icews' = 3)"],
  ['event_id', 'UInt64'],
  ['event_date', 'Date'],
  ['known_at', 'Date'],
  ['added_at', "Nullable(DateTime('UTC'))"],
  ['actor1_code', 'String'],
  ['actor2_code', 'String'],
  ['is_root', 'Nullable(Int8)'],
  ['event_code', 'String'],
  ['event_root', 'String'],
  ['quad_class', 'Nullable(Int8)'],
  ['goldstein', 'Nullable(Float64)'],
  ['num_mentions', 'Nullable(Int64)'],
  ['num_sources', 'Nullable(Int64)'],
  ['num_articles', 'Nullable(Int64)'],
  ['avg_tone', 'Nullable(Float64)'],
  ['source_url', 'String'],
  ['packed', 'String'],
  ['extra', 'String'],
  ['fold_key', 'UInt64'],
  ['file_id', 'UInt32'],
];
const EVENT_NAMES = EVENT_COLUMNS.map(([n]) => n);
const EVENT_TYPES: ReadonlyMap<string, string> = new Map(EVENT_COLUMNS.map(([n, t]) => [n, t]));
/**
 * The stage's columns beyond those of `event_rows`, dropped before its parts are attached:
 * each row's position, and the bits its real numbers arrive as (see `staged-to-tsv.ts`).
 */
const STAGE_EXTRA_COLUMNS: readonly (readonly [string, string])[] = [
  ['seq', 'UInt64'],
  ...Object.values(REAL_BITS_COLUMNS).map((bits) => [bits, 'Nullable(String)'] as const),
];
/** Positions of a file's second staged part start here (above any first part's). */
const PART_SEQ_SPAN = 2 ** 40;
const columnsSql = (cols: readonly (readonly [string, string])[]) => cols.map(([n, t]) => `${n} ${t}`).join(',\n  ');

/** An event's key day (ICEWS keys are (id, day); GDELT ids alone), its added time ordering copies (none last, as DuckDB orders NULLs). */
const KEY_DAY = `if(source = 'icews', event_date, toDate('1970-01-01'))`;
const ADDED_ORDER = `ifNull(added_at, toDateTime(4294967295, 'UTC'))`;
/**
 * The fold key of a stored row, computed by the stage table as rows arrive: GDELT rows with
 * a SOURCEURL, by source, event day, actor codes, EventCode and SOURCEURL; 0 for the others.
 */
const FOLD_KEY = `if(source != 'icews' AND source_url != '', cityHash64(toString(source), event_date, actor1_code, actor2_code, event_code, source_url), 0)`;

/** Rows of committed files only (see the invariants). */
const COMMITTED = 'file_id GLOBAL IN (SELECT file_id FROM ingested_files)';

/**
 * Per-load table names: the stage and the kept rows (on a cluster, Distributed tables over
 * `…_local` tables on each shard), and the rows that go (on the server the adapter talks to).
 */
const stageTable = (id: number) => `stage_${sqlInteger(id)}`;
const keptTable = (id: number) => `kept_${sqlInteger(id)}`;
const goneTable = (id: number) => `gone_${sqlInteger(id)}`;
/** The fold keys of the staged rows (made as `fold_keys`, plus `seq`), filled by a view of the stage as rows arrive. */
const keysTable = (id: number) => `keys_${sqlInteger(id)}`;
const keysView = (id: number) => `keys_${sqlInteger(id)}_view`;
const local = (table: string) => `${table}_local`;

/** The fold window's default, in days: the DuckDB store's (a test checks that they agree). */
export const DEFAULT_FOLD_WINDOW_DAYS = 30;

/** Why a staged row is not stored, in `gone_<id>`. */
const GONE = { duplicate: 1, foldedStored: 2, foldedFile: 3 } as const;

export interface OpenClickHouseEventStoreOptions {
  readonly groupNames?: GroupNames;
  /** Open for reading only: nothing is created or written; the store must exist. */
  readonly readOnly?: boolean;
  /** Where staged files go (local to this process; default a folder under the OS temp dir). */
  readonly stagingDir?: string;
  /** Rows per block of a streamed insert (default 100,000: bounds the server's memory per insert). */
  readonly insertBlockRows?: number;
  /** How connections are opened (default `connectClickHouse`, over HTTP; tests give chdb's). */
  readonly connect?: ConnectClickHouse;
}

export type ClickHouseEventStore = DuckDbEventStore & {
  readonly target: ClickHouseTarget;
  /** The server's version, e.g. `18.16.1`. */
  readonly serverVersion: string;
};

/** True when the target database holds an event store (its tables are there). */
export async function clickHouseEventStoreExists(
  target: ClickHouseTarget,
  connect: ConnectClickHouse = connectClickHouse,
): Promise<boolean> {
  const conn = connect(target.url, undefined, target);
  try {
    const r = await conn.rows<{ n: string }>(
      `SELECT count() AS n FROM system.tables WHERE database = ${sqlString(target.database)} AND name IN ('event_rows', 'ingested_files', 'loads')`,
    );
    return Number(r[0]?.n ?? 0) === 3;
  } finally {
    await conn.close();
  }
}

export async function openClickHouseEventStore(
  target: ClickHouseTarget,
  opts: OpenClickHouseEventStoreOptions = {},
): Promise<ClickHouseEventStore> {
  const db = sqlIdentifier(target.database);
  const readOnly = opts.readOnly === true;
  const connect = opts.connect ?? connectClickHouse;
  const admin = connect(target.url, undefined, target);
  let version: string;
  try {
    version = String((await admin.rows<{ v: string }>('SELECT version() AS v'))[0]?.v ?? '');
    if (readOnly) {
      if (!(await clickHouseEventStoreExists(target, connect)))
        throw new Error(`${describeClickHouseTarget(target)}: no event store here (nothing was ingested)`);
    } else {
      await admin.run(`CREATE DATABASE IF NOT EXISTS ${db}`);
    }
  } finally {
    await admin.close();
  }
  const conn = connect(target.url, target.database, target);
  try {
    if (!readOnly) await createSchema(conn, target, connect);
    const store = new Store(
      target,
      version,
      conn,
      readOnly,
      opts.groupNames ?? (() => undefined),
      opts.stagingDir ?? join(tmpdir(), 'proviso-clickhouse-staging'),
      opts.insertBlockRows ?? 100_000,
      connect,
    );
    if (!readOnly) {
      await store.removeDeadLoads();
      mkdirSync(store.stagingDir, { recursive: true });
      // Staged files are named after the process writing them: those of processes that are
      // gone (a crashed ingest) are removed; a running ingest's are left alone.
      for (const f of readdirSync(store.stagingDir)) {
        const pid = /^(\d+)-/.exec(f)?.[1];
        if (pid !== undefined && !processIsAlive(Number(pid))) rmSync(join(store.stagingDir, f), { force: true });
      }
    }
    return store;
  } catch (err) {
    await conn.close();
    throw err;
  }
}

/**
 * The engine of `event_rows` (of each shard's `event_rows_local`) in a new store: ordered by
 * the actor codes, so that a dyad's events are read alone (an actor filter is a prefix of the
 * order: `compile-event-filter.ts`); no more keys, as each costs the inserts' sorting more
 * than it saves a query. Not partitioned: a file's rows, whatever
 * their days, make one part per insert block. (Stores made before were ordered by source and
 * id and partitioned by the year known; they keep working as they are.) Lookups by id are
 * bounded by the file log (ids of each file); lookups by fold key go to `fold_keys`.
 */
const EVENT_ROWS_ENGINE = 'ENGINE = MergeTree() ORDER BY (actor1_code, actor2_code)';

/**
 * The fold keys of the stored events that can be folded (GDELT rows with a SOURCEURL), by
 * the day known, on the server the adapter talks to: what a later file's re-emissions are
 * looked up in (a window of days known, then the file's keys), without reading `event_rows`.
 * Rows of files without a record are not events here either.
 */
const FOLD_KEYS_TABLE = `(fold_key UInt64, event_date Date, known_at Date, file_id UInt32)
  ENGINE = MergeTree() ORDER BY (known_at, fold_key)`;

/** The file log's columns (a file's record: what ingest reports of it). */
const FILE_LOG_COLUMNS: readonly (readonly [string, string])[] = [
  ['file_id', 'UInt32'],
  ['path', 'String'],
  ['size', 'UInt64'],
  ['mtime_ms', 'String'],
  ['sha256', 'String'],
  ['format', 'String'],
  ['staged', 'UInt64'],
  ['duplicates', 'UInt64'],
  ['folded', 'UInt64'],
  ['inserted', 'UInt64'],
  ['recorded', "DateTime('UTC')"],
];

/**
 * What a file's rows span, written with its load: the range of their event ids, and the
 * days known of those that can be folded (min > max: none). It spares reading events: a
 * new file's keys can repeat only those of files whose id ranges meet its own, its
 * re-emissions only fold into files whose days meet its window. A recorded file with no
 * bounds (stored by an earlier version) meets every range.
 */
const FILE_BOUNDS_TABLE = `(file_id UInt32, ids_min UInt64, ids_max UInt64, foldable_known_min Date, foldable_known_max Date)
  ENGINE = MergeTree() ORDER BY file_id`;

async function createSchema(conn: ClickHouseConnection, target: ClickHouseTarget, connect: ConnectClickHouse): Promise<void> {
  const mergeTree = EVENT_ROWS_ENGINE;
  if (target.cluster === undefined) {
    await conn.run(`CREATE TABLE IF NOT EXISTS event_rows (\n  ${columnsSql(EVENT_COLUMNS)}\n) ${mergeTree}`);
  } else {
    const db = sqlIdentifier(target.database);
    for (const shard of target.cluster.shards) {
      const s = connect(shard, undefined, target);
      try {
        await s.run(`CREATE DATABASE IF NOT EXISTS ${db}`);
        await s.run(`CREATE TABLE IF NOT EXISTS ${db}.event_rows_local (\n  ${columnsSql(EVENT_COLUMNS)}\n) ${mergeTree}`);
      } finally {
        await s.close();
      }
    }
    // Explicit columns (a table made `AS` the local one copies what breaks inserts on 18.16).
    await conn.run(
      `CREATE TABLE IF NOT EXISTS event_rows (\n  ${columnsSql(EVENT_COLUMNS)}\n) ENGINE = Distributed(${sqlIdentifier(target.cluster.name)}, ${db}, event_rows_local, cityHash64(event_id))`,
    );
  }
  await conn.run(
    `CREATE TABLE IF NOT EXISTS ingested_files (\n  ${columnsSql(FILE_LOG_COLUMNS)}\n) ENGINE = MergeTree() ORDER BY file_id`,
  );
  await conn.run(`CREATE TABLE IF NOT EXISTS file_bounds ${FILE_BOUNDS_TABLE}`);
  // The fold keys (a store of an earlier version gets them from its events, once: filled
  // under another name, then renamed, so that a crash leaves either none or all).
  const tables = new Set(
    (await conn.rows<{ name: string }>(`SELECT name FROM system.tables WHERE database = ${sqlString(target.database)}`)).map(
      (r) => r.name,
    ),
  );
  if (!tables.has('fold_keys')) {
    await conn.run('DROP TABLE IF EXISTS fold_keys_filling');
    await conn.run(`CREATE TABLE fold_keys_filling ${FOLD_KEYS_TABLE}`);
    await conn.run(
      'INSERT INTO fold_keys_filling SELECT fold_key, event_date, known_at, file_id FROM event_rows WHERE fold_key != 0',
    );
    await conn.run('RENAME TABLE fold_keys_filling TO fold_keys');
  }
  await conn.run(`CREATE TABLE IF NOT EXISTS loads (
  file_id UInt32, host String, pid UInt32, begun DateTime('UTC')
) ENGINE = MergeTree() ORDER BY file_id`);
  await conn.run('CREATE TABLE IF NOT EXISTS cleaned_loads (file_id UInt32) ENGINE = MergeTree() ORDER BY file_id');
  await createViews(conn, target);
}

/**
 * Makes the researchers' views (`event-views.ts`) or brings them to this version's
 * definitions. Which definition each view was made from is kept in `views_made` (the
 * SHA-256 of its SELECT; `made` numbers the rows, a name's last row counts): a view
 * missing or made from another definition is made anew under another name, then swapped in
 * by one RENAME, so that a reader finds the old view or the new one (18.16 has no CREATE OR
 * REPLACE VIEW).
 */
async function createViews(conn: ClickHouseConnection, target: ClickHouseTarget): Promise<void> {
  await conn.run(
    'CREATE TABLE IF NOT EXISTS views_made (name String, sha256 String, made UInt64) ENGINE = MergeTree() ORDER BY (name, made)',
  );
  const made = new Map(
    (
      await conn.rows<{ name: string; sha: string }>('SELECT name, argMax(sha256, made) AS sha FROM views_made GROUP BY name')
    ).map((r) => [r.name, r.sha]),
  );
  const present = new Set(
    (
      await conn.rows<{ name: string }>(
        `SELECT name FROM system.tables WHERE database = ${sqlString(target.database)} AND name IN (${CLICKHOUSE_VIEWS.map((v) => sqlString(v.name)).join(', ')})`,
      )
    ).map((r) => r.name),
  );
  for (const view of CLICKHOUSE_VIEWS) {
    const sha = createHash('sha256').update(view.select).digest('hex');
    if (present.has(view.name) && made.get(view.name) === sha) continue;
    const fresh = `${view.name}_new`;
    const old = `${view.name}_old`;
    await conn.run(`DROP TABLE IF EXISTS ${fresh}`);
    await conn.run(`DROP TABLE IF EXISTS ${old}`);
    await conn.run(`CREATE VIEW ${fresh} AS ${view.select}`);
    if (present.has(view.name)) {
      await conn.run(`RENAME TABLE ${view.name} TO ${old}, ${fresh} TO ${view.name}`);
      await conn.run(`DROP TABLE ${old}`);
    } else await conn.run(`RENAME TABLE ${fresh} TO ${view.name}`);
    await conn.run(
      `INSERT INTO views_made (name, sha256, made) SELECT ${sqlString(view.name)}, ${sqlString(sha)}, max(made) + 1 FROM views_made`,
    );
  }
}

const num = (v: unknown): number => Number(v ?? 0);

function addDays(day: string, days: number): string {
  const t = new Date(`${day}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  const s = t.toISOString().slice(0, 10);
  return s < '1970-01-01' ? '1970-01-01' : s > '2105-12-31' ? '2105-12-31' : s;
}

/** Where a load's tables live: the server the adapter talks to, and the shards' servers with a cluster. */
interface LoadTables {
  readonly c: ClickHouseConnection;
  readonly target: ClickHouseTarget;
  /** One connection per shard (cluster only). */
  readonly shards: readonly ClickHouseConnection[];
}

/** Runs `sql(table)` for the per-load MergeTree table `table`: on the server, or on every shard (its `_local` table). */
async function onEachPart(t: LoadTables, table: string, run: (c: ClickHouseConnection, local: string) => Promise<void>) {
  if (t.target.cluster === undefined) await run(t.c, table);
  else await Promise.all(t.shards.map((s) => run(s, local(table))));
}

/**
 * Creates `table` made as `event_rows` (columns, partitions, order), plus `extra` columns:
 * on one server, a MergeTree table; on a cluster, a MergeTree `_local` table on each shard
 * and a Distributed table over them, sharded as `event_rows` is. Column defaults given in
 * `defaults` are computed where rows are inserted.
 */
async function createLike(
  t: LoadTables,
  table: string,
  extra: readonly (readonly [string, string])[],
  defaults: Readonly<Record<string, string>>,
): Promise<void> {
  const alter = [
    ...extra.map(([n, type]) => `ADD COLUMN ${n} ${type}`),
    ...Object.entries(defaults).map(([n, d]) => `MODIFY COLUMN ${n} ${EVENT_TYPES.get(n)} DEFAULT ${d}`),
  ];
  if (t.target.cluster === undefined) {
    await t.c.run(`CREATE TABLE ${table} AS event_rows`);
    if (alter.length > 0) await t.c.run(`ALTER TABLE ${table} ${alter.join(', ')}`);
    return;
  }
  await onEachPart(t, table, async (s, name) => {
    await s.run(`CREATE TABLE ${name} AS event_rows_local`);
    if (extra.length > 0) await s.run(`ALTER TABLE ${name} ${extra.map(([n, type]) => `ADD COLUMN ${n} ${type}`).join(', ')}`);
  });
  const cols = [...EVENT_COLUMNS, ...extra].map(([n, type]) =>
    defaults[n] === undefined ? `${n} ${type}` : `${n} ${type} DEFAULT ${defaults[n]}`,
  );
  await t.c.run(
    `CREATE TABLE ${table} (\n  ${cols.join(',\n  ')}\n) ENGINE = Distributed(${sqlIdentifier(t.target.cluster.name)}, ${sqlIdentifier(t.target.database)}, ${local(table)}, cityHash64(event_id))`,
  );
}

/** Drops a load's tables wherever they are; never throws. */
async function dropLoadTables(t: LoadTables, id: number): Promise<void> {
  const quietly = (c: ClickHouseConnection, sql: string) => c.run(sql).catch(() => undefined);
  // The view first: while it exists, rows reaching the stage go on to the keys.
  await quietly(t.c, `DROP TABLE IF EXISTS ${keysView(id)}`);
  await Promise.all(
    [stageTable(id), keptTable(id), goneTable(id), keysTable(id)].map((table) => quietly(t.c, `DROP TABLE IF EXISTS ${table}`)),
  );
  if (t.target.cluster !== undefined)
    await Promise.all(
      t.shards.map(async (s) => {
        for (const table of [stageTable(id), keptTable(id)]) await quietly(s, `DROP TABLE IF EXISTS ${local(table)}`);
      }),
    );
}

/** Attaches every part of `from` to `to` (tables made alike): hard links, no copy. */
async function attachParts(c: ClickHouseConnection, database: string, from: string, to: string): Promise<void> {
  const partitions = await c.rows<{ p: string }>(
    `SELECT DISTINCT partition_id AS p FROM system.parts
     WHERE database = ${sqlString(database)} AND table = ${sqlString(from)} AND active`,
  );
  for (const { p } of partitions) await c.run(`ALTER TABLE ${to} ATTACH PARTITION ID ${sqlString(p)} FROM ${from}`);
}

class Load implements FileLoad {
  private inserted = 0;
  private dropped = 0;
  private open = true;
  /** Least and greatest known day (YYYYMMDD) of the staged rows that can be folded. */
  private foldableKnown: { readonly lo: number; readonly hi: number } | undefined;
  /** The range of the staged event ids, when exact. */
  private ids: IdRange | undefined;
  /** How many fold keys repeat within the file (asked once its rows are staged). */
  private repeatedKeys: Promise<number> | undefined;
  /** Whether a fold key may repeat within the file, from the rows as they are streamed. */
  private readonly foldKeys = new FoldKeyRepeats();
  /** The staged parts followed while being written (see `follow`), and what stopping gave. */
  private following:
    | {
        stop(written: readonly string[]): Promise<{ readonly stats: readonly StagedPartStats[]; readonly mayRepeat: boolean }>;
      }
    | undefined;
  private stopped: Promise<{ stats: StagedPartStats[]; mayRepeat: boolean }> | undefined;

  constructor(
    private readonly t: LoadTables,
    private readonly id: number,
    private readonly insertBlockRows: number,
    private readonly insertSettings: Settings,
    private readonly release: () => void,
  ) {}

  private get c(): ClickHouseConnection {
    return this.t.c;
  }

  private get stage(): string {
    return stageTable(this.id);
  }

  private get gone(): string {
    return goneTable(this.id);
  }

  private get keys(): string {
    return keysTable(this.id);
  }

  /** Staged rows not (yet) known to go. */
  private get alive(): string {
    return `seq GLOBAL NOT IN (SELECT seq FROM ${this.gone})`;
  }

  follow(stagedPaths: readonly string[]): void {
    if (this.following !== undefined) throw new Error('a load follows its staged parts once');
    const parts = stagedPaths.map((path, i) => ({ path, firstSeq: i * PART_SEQ_SPAN }));
    // A part's stream starts once it holds rows: a part never written sends nothing.
    const followed = parts.map(({ path, firstSeq }) => {
      let settle: (written: boolean) => void = () => undefined;
      const complete = new Promise<boolean>((resolve) => {
        settle = resolve;
      });
      const part = stagedPartAsTsv(path, firstSeq, complete, this.foldKeys);
      const sent = partHasData(path, complete).then((has) => (has ? this.send(part.stream) : undefined));
      sent.catch(() => undefined);
      return { path, settle, part, sent };
    });
    this.following = {
      stop: async (written) => {
        for (const f of followed) f.settle(written.includes(f.path));
        await Promise.all(followed.map((f) => f.sent));
        return {
          stats: followed.filter((f) => written.includes(f.path)).map((f) => f.part.stats()),
          mayRepeat: this.foldKeys.mayRepeat,
        };
      },
    };
  }

  /** Streams stage rows into the stage. */
  private send(stream: Readable): Promise<void> {
    return this.c.insertStream(
      this.stage,
      stream,
      { ...this.insertSettings, max_insert_block_size: this.insertBlockRows },
      STAGE_INSERT_COLUMNS,
    );
  }

  /** Ends the following of the staged parts: those in `written` are whole, the others never will be (once). */
  private stopFollowing(written: readonly string[]): Promise<{ stats: StagedPartStats[]; mayRepeat: boolean }> {
    this.stopped ??= (this.following?.stop(written) ?? Promise.resolve({ stats: [], mayRepeat: false })).then((r) => ({
      stats: [...r.stats],
      mayRepeat: r.mayRepeat,
    }));
    return this.stopped;
  }

  async insert(stagedPaths: readonly string[], opts: InsertOptions): Promise<number> {
    // Each part in a stream of its own, at once (the server parses them in parallel); the
    // positions of a later part lie above every position of an earlier one. Parts followed
    // while being written are streaming already.
    const parts: StagedPartStats[] = [];
    let mayRepeat = false;
    if (this.following !== undefined) {
      const r = await this.stopFollowing(stagedPaths);
      parts.push(...r.stats);
      mayRepeat = r.mayRepeat;
    } else {
      const now = stagedPaths.map((p, i) => stagedPartAsTsv(p, i * PART_SEQ_SPAN, undefined, this.foldKeys));
      await Promise.all(now.map((part) => this.send(part.stream)));
      parts.push(...now.map((part) => part.stats()));
      mayRepeat = this.foldKeys.mayRepeat;
    }
    let staged = 0;
    for (const st of parts) {
      staged += st.rows;
      const k = st.foldableKnown;
      if (k !== undefined) {
        const had = this.foldableKnown;
        this.foldableKnown = had === undefined ? k : { lo: Math.min(k.lo, had.lo), hi: Math.max(k.hi, had.hi) };
      }
    }
    // Whether any fold key repeats within the file: most files have none, which the rows'
    // hashes prove; else the store is asked now, and answers while the duplicate checks run.
    this.repeatedKeys = !mayRepeat
      ? Promise.resolve(0)
      : this.c
          .rows<{ n: string }>(
            `SELECT count() AS n FROM (SELECT fold_key FROM ${this.keys} GROUP BY fold_key HAVING count() > 1)`,
          )
          .then((r) => num(r[0]?.n));
    this.repeatedKeys.catch(() => undefined);
    const ids = opts.ids;
    this.ids = ids;
    const idRange = ids === undefined ? '1' : `event_id BETWEEN ${sqlInteger(ids.min)} AND ${sqlInteger(ids.max)}`;
    // A new GDELT file's ids lie above every stored one: when no recorded file holds ids in
    // its range, none of its rows can repeat a stored key (the file log tells, reading no event).
    const againstStored =
      ids === undefined ||
      num(
        (
          await this.c.rows<{ n: string }>(
            `SELECT count() AS n FROM ingested_files WHERE inserted > 0 AND file_id NOT IN (
               SELECT file_id FROM file_bounds WHERE ids_max < ${sqlInteger(ids.min)} OR ids_min > ${sqlInteger(ids.max)})`,
          )
        )[0]?.n,
      ) > 0;
    if (againstStored) {
      await this.c.run(
        `INSERT INTO ${this.gone} SELECT seq, ${GONE.duplicate} FROM ${this.stage}
         WHERE (source, event_id, ${KEY_DAY}) GLOBAL IN (
           SELECT source, event_id, ${KEY_DAY} FROM event_rows WHERE ${idRange} AND ${COMMITTED})`,
      );
    }
    if (!opts.keysIncreasing) {
      // Keys repeated within the file: the first line of each stays.
      const repeated = `SELECT source, event_id, ${KEY_DAY} AS day, min(seq) AS first FROM ${this.stage}
                        GROUP BY source, event_id, day HAVING count() > 1`;
      await this.c.run(
        `INSERT INTO ${this.gone} SELECT seq, ${GONE.duplicate} FROM ${this.stage}
         WHERE (source, event_id, ${KEY_DAY}) GLOBAL IN (SELECT source, event_id, day FROM (${repeated}))
           AND (source, event_id, ${KEY_DAY}, seq) GLOBAL NOT IN (SELECT source, event_id, day, first FROM (${repeated}))
           AND ${this.alive}`,
      );
    }
    const duplicates = num((await this.c.rows<{ n: string }>(`SELECT uniqExact(seq) AS n FROM ${this.gone}`))[0]?.n);
    this.dropped = duplicates;
    this.inserted = staged - duplicates;
    return this.inserted;
  }

  async commit(file: FileIdentity, format: string, opts: CommitOptions): Promise<LoadOutcome> {
    const c = this.c;
    try {
      // Nothing staged (no insert): parts followed were never written.
      await this.stopFollowing([]);
      let folded = 0;
      if (opts.fold && this.inserted > 0) {
        const windowDays = opts.foldWindowDays ?? DEFAULT_FOLD_WINDOW_DAYS;
        if (!Number.isInteger(windowDays) || windowDays < 0)
          throw new RangeError(`fold window: expected whole days (0 or more), got ${windowDays}`);
        const range = this.foldableKnown;
        const lo = range === undefined ? '' : sqlDate(addDays(dayText(range.lo), -windowDays));
        const hi = range === undefined ? '' : sqlDate(addDays(dayText(range.hi), windowDays));
        // Whether any recorded file holds foldable rows known within the window of this
        // file's (the file log tells, reading no event).
        const near =
          range !== undefined &&
          num(
            (
              await c.rows<{ n: string }>(
                `SELECT count() AS n FROM ingested_files WHERE inserted > 0 AND file_id NOT IN (
                   SELECT file_id FROM file_bounds WHERE foldable_known_max < ${lo} OR foldable_known_min > ${hi})`,
              )
            )[0]?.n,
          ) > 0;
        if (near) {
          // Re-emissions of events stored by earlier files, added within the window of them:
          // every copy in this file goes. Only the fold keys of stored events known within
          // the window of this file's foldable rows are read, those of its keys joined.
          await c.run(
            `INSERT INTO ${this.gone} SELECT DISTINCT seq, ${GONE.foldedStored} FROM (
               SELECT seq, fold_key AS fk, event_date, known_at AS kn FROM ${this.keys} WHERE ${this.alive}
             ) AS file_keys ALL INNER JOIN (
               SELECT fold_key AS fk, event_date, known_at AS o_known FROM fold_keys
               WHERE known_at BETWEEN ${lo} AND ${hi} AND fold_key IN (SELECT fold_key FROM ${this.keys})
                 AND ${COMMITTED}
             ) AS stored_keys USING (fk, event_date)
             WHERE abs(toInt32(kn) - toInt32(o_known)) <= ${sqlInteger(windowDays)}`,
          );
        }
        // Re-emissions within this file: the earliest DATEADDED, then the lowest id, stays.
        // Most files have none, which one pass over the fold keys told.
        if (((await this.repeatedKeys) ?? 1) > 0) {
          const groups = `FROM ${this.stage} WHERE fold_key != 0 AND ${this.alive} GROUP BY fold_key HAVING count() > 1`;
          await c.run(
            `INSERT INTO ${this.gone} SELECT seq, ${GONE.foldedFile} FROM ${this.stage}
             WHERE fold_key != 0 AND ${this.alive}
               AND fold_key GLOBAL IN (SELECT fold_key ${groups})
               AND (fold_key, seq) GLOBAL NOT IN (SELECT fold_key, argMin(seq, (known_at, ${ADDED_ORDER}, event_id)) ${groups})`,
          );
        }
        folded = num(
          (
            await c.rows<{ n: string }>(
              `SELECT uniqExact(seq) AS n FROM ${this.gone} WHERE why IN (${GONE.foldedStored}, ${GONE.foldedFile})`,
            )
          )[0]?.n,
        );
      }
      if (this.inserted - folded > 0) await this.moveKeptRows(this.dropped + folded > 0);
      const outcome: LoadOutcome = {
        staged: opts.staged,
        duplicates: opts.staged - this.inserted,
        folded,
        inserted: this.inserted - folded,
      };
      // The file's bounds (read only for recorded files), then its record: from here on its
      // rows are visible (see the invariants).
      const known = this.foldableKnown;
      await c.run(
        `INSERT INTO file_bounds (file_id, ids_min, ids_max, foldable_known_min, foldable_known_max)
         VALUES (${sqlInteger(this.id)}, ${this.ids === undefined ? '0' : sqlInteger(this.ids.min)},
                 ${this.ids === undefined ? sqlInteger(2n ** 64n - 1n) : sqlInteger(this.ids.max)},
                 ${known === undefined ? sqlDate(CLICKHOUSE_DATE_MAX) : sqlDate(dayText(known.lo))},
                 ${known === undefined ? sqlDate(CLICKHOUSE_DATE_MIN) : sqlDate(dayText(known.hi))})`,
      );
      await c.run(
        `INSERT INTO ingested_files (file_id, path, size, mtime_ms, sha256, format, staged, duplicates, folded, inserted, recorded)
         VALUES (${sqlInteger(this.id)}, ${sqlString(file.path)}, ${sqlInteger(file.size)}, ${sqlString(String(file.mtimeMs))},
                 ${sqlString(file.sha256)}, ${sqlString(format)}, ${sqlInteger(outcome.staged)}, ${sqlInteger(outcome.duplicates)},
                 ${sqlInteger(outcome.folded)}, ${sqlInteger(outcome.inserted)}, now())`,
      );
      this.open = false;
      await dropLoadTables(this.t, this.id);
      this.release();
      return outcome;
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  /**
   * Puts the rows kept into `event_rows` (still invisible: the file has no record yet). With
   * none to leave out, the stage's parts are attached as they are (once its `seq` column is
   * dropped, the stage is made exactly as `event_rows`); else the rows kept are first copied
   * into a table made as `event_rows`, whose parts are attached.
   */
  private async moveKeptRows(someGo: boolean): Promise<void> {
    // The view stops here: nothing more reaches the keys.
    await this.c.run(`DROP TABLE IF EXISTS ${keysView(this.id)}`);
    if (someGo)
      await this.c.run(
        `INSERT INTO fold_keys SELECT fold_key, event_date, known_at, file_id FROM ${this.keys} WHERE ${this.alive}`,
      );
    else {
      await this.c.run(`ALTER TABLE ${this.keys} DROP COLUMN seq`);
      await attachParts(this.c, this.t.target.database, this.keys, 'fold_keys');
    }
    let from = this.stage;
    if (someGo) {
      from = keptTable(this.id);
      await createLike(this.t, from, [], {});
      await this.c.run(
        `INSERT INTO ${from} (${EVENT_NAMES.join(', ')}) SELECT ${EVENT_NAMES.join(', ')} FROM ${this.stage} WHERE ${this.alive}`,
        { ...this.insertSettings, min_insert_block_size_rows: this.insertBlockRows },
      );
    } else {
      // The real numbers' defaults read the bits (on one server; a cluster's shards hold no
      // defaults): they go first, in a statement of their own (the values stay). A default
      // of NULL, not none: a type alone drops the default on 18.16 but keeps it on later
      // versions (which spell it `REMOVE DEFAULT`, unknown to 18.16), and these check a
      // column dropped against the defaults as they were before the statement.
      if (this.t.target.cluster === undefined)
        await this.c.run(
          `ALTER TABLE ${this.stage} ${Object.keys(REAL_BITS_COLUMNS)
            .map((n) => `MODIFY COLUMN ${n} ${EVENT_TYPES.get(n)} DEFAULT NULL`)
            .join(', ')}`,
        );
      const drop = STAGE_EXTRA_COLUMNS.map(([n]) => `DROP COLUMN ${n}`);
      await onEachPart(this.t, this.stage, (s, name) => s.run(`ALTER TABLE ${name} ${drop.join(', ')}`));
    }
    const target = this.t.target.cluster === undefined ? 'event_rows' : 'event_rows_local';
    await onEachPart(this.t, from, (s, name) => attachParts(s, this.t.target.database, name, target));
  }

  /** Drops the load's tables; rows already attached stay invisible (no record) and are removed when a writer next opens. */
  async abort(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.stopFollowing([]).catch(() => undefined);
    await dropLoadTables(this.t, this.id);
    this.release();
  }
}

class Store implements ClickHouseEventStore {
  private loading = false;
  /** Loads begin before a file is read and take its staged rows as they are written. */
  readonly loadsWhileStaging = true;

  constructor(
    readonly target: ClickHouseTarget,
    readonly serverVersion: string,
    private readonly c: ClickHouseConnection,
    private readonly readOnly: boolean,
    private readonly groupNames: GroupNames,
    readonly stagingDir: string,
    private readonly insertBlockRows: number,
    private readonly connect: ConnectClickHouse,
  ) {}

  get path(): string {
    return describeClickHouseTarget(this.target);
  }

  private get insertSettings(): Settings {
    return {
      min_insert_block_size_rows: this.insertBlockRows,
      ...(this.target.cluster === undefined ? {} : { insert_distributed_sync: 1 }),
    };
  }

  /**
   * Loads begun on this host by processes that are gone and never recorded: their stage
   * tables are dropped and their rows (invisible) deleted, once.
   */
  async removeDeadLoads(): Promise<void> {
    const host = hostname();
    const dead = (
      await this.c.rows<{ file_id: number; pid: number }>(
        `SELECT file_id, pid FROM loads WHERE host = ${sqlString(host)}
           AND file_id NOT IN (SELECT file_id FROM ingested_files) AND file_id NOT IN (SELECT file_id FROM cleaned_loads)`,
      )
    ).filter((l) => !processIsAlive(Number(l.pid)));
    if (dead.length === 0) return;
    const ids = dead.map((l) => sqlInteger(Number(l.file_id)));
    const shards = this.connectShards();
    try {
      const t: LoadTables = { c: this.c, target: this.target, shards };
      for (const l of dead) await dropLoadTables(t, Number(l.file_id));
      const del = `DELETE WHERE file_id IN (${ids.join(', ')})`;
      if (this.target.cluster === undefined) await this.c.run(`ALTER TABLE event_rows ${del}`);
      else for (const s of shards) await s.run(`ALTER TABLE event_rows_local ${del}`);
      await this.c.run(`ALTER TABLE fold_keys ${del}`);
    } finally {
      await Promise.all(shards.map((s) => s.close()));
    }
    await this.c.run(`INSERT INTO cleaned_loads (file_id) VALUES ${ids.map((i) => `(${i})`).join(', ')}`);
  }

  async wasLoaded(file: Omit<StoredFile, 'sha256'>): Promise<boolean> {
    const r = await this.c.rows<{ n: string }>(
      `SELECT count() AS n FROM ingested_files WHERE path = ${sqlString(file.path)} AND size = ${sqlInteger(file.size)}
         AND mtime_ms = ${sqlString(String(file.mtimeMs))}`,
    );
    return num(r[0]?.n) > 0;
  }

  async beginLoad(): Promise<FileLoad> {
    if (this.readOnly) throw new Error(`${this.path} was opened for reading only`);
    if (this.loading) throw new Error('one load at a time per store');
    const id = num((await this.c.rows<{ id: string }>('SELECT max(file_id) + 1 AS id FROM loads'))[0]?.id);
    await this.c.run(
      `INSERT INTO loads (file_id, host, pid, begun) VALUES (${sqlInteger(id)}, ${sqlString(hostname())}, ${sqlInteger(process.pid)}, now())`,
    );
    const taken = num(
      (await this.c.rows<{ n: string }>(`SELECT count() AS n FROM loads WHERE file_id = ${sqlInteger(id)}`))[0]?.n,
    );
    if (taken !== 1)
      throw new Error(`${this.path}: another ingest began load ${id} at the same moment; run one ingest at a time per database`);
    this.loading = true;
    const shards = this.connectShards();
    const release = () => {
      this.loading = false;
      for (const s of shards) void s.close();
    };
    const t: LoadTables = { c: this.c, target: this.target, shards };
    try {
      // The stage: rows as stored, plus their position; the fold key and the file id are
      // computed by the server as rows arrive.
      await createLike(t, stageTable(id), STAGE_EXTRA_COLUMNS, {
        fold_key: FOLD_KEY,
        file_id: sqlInteger(id),
        ...Object.fromEntries(
          Object.entries(REAL_BITS_COLUMNS).map(([n, bits]) => [
            n,
            `if(isNull(${bits}), NULL, reinterpretAsFloat64(unhex(assumeNotNull(${bits}))))`,
          ]),
        ),
      });
      await this.c.run(`CREATE TABLE ${goneTable(id)} (seq UInt64, why UInt8) ENGINE = MergeTree() ORDER BY seq`);
      await this.c.run(`CREATE TABLE ${keysTable(id)} AS fold_keys`);
      await this.c.run(`ALTER TABLE ${keysTable(id)} ADD COLUMN seq UInt64`);
      await this.c.run(
        `CREATE MATERIALIZED VIEW ${keysView(id)} TO ${keysTable(id)}
         AS SELECT fold_key, event_date, known_at, file_id, seq FROM ${stageTable(id)} WHERE fold_key != 0`,
      );
    } catch (err) {
      await dropLoadTables(t, id);
      release();
      throw err;
    }
    return new Load(t, id, this.insertBlockRows, this.insertSettings, release);
  }

  /** A connection to each shard's server (none without a cluster); the caller closes them. */
  private connectShards(): ClickHouseConnection[] {
    return (this.target.cluster?.shards ?? []).map((url) => this.connect(url, this.target.database, this.target));
  }

  async dailyAggregates(filter: EventFilter): Promise<EventDayAggregate[]> {
    const where = compileClickHouseEventFilter(filter, this.groupNames);
    // A weight's sum is NULL when an event of the group has no such value (see the port).
    const rows = await this.c.rows<Record<string, string | number | null>>(
      `SELECT toString(event_date) AS date, toString(known_at) AS known, count() AS n,
              sum(ifNull(goldstein, 0)) AS g, sum(ifNull(avg_tone, 0)) AS t,
              if(count(num_articles) = count(), toNullable(toFloat64(sum(num_articles))), NULL) AS a,
              if(count(num_sources) = count(), toNullable(toFloat64(sum(num_sources))), NULL) AS s
       FROM event_rows WHERE ${COMMITTED} AND (${where})
       GROUP BY event_date, known_at ORDER BY event_date, known_at`,
    );
    return rows.map((r) => ({
      date: String(r.date) as IsoDate,
      knownAt: String(r.known) as IsoDate,
      count: num(r.n),
      goldsteinSum: num(r.g),
      toneSum: num(r.t),
      articlesSum: r.a === null ? null : num(r.a),
      sourcesSum: r.s === null ? null : num(r.s),
    }));
  }

  async periodAggregates(filter: EventFilter, by: Period): Promise<PeriodAggregate[]> {
    const where = compileClickHouseEventFilter(filter, this.groupNames);
    const [trunc, fmt] =
      by === 'day'
        ? ['event_date', '%Y-%m-%d']
        : by === 'month'
          ? ['toStartOfMonth(event_date)', '%Y-%m']
          : ['toStartOfYear(event_date)', '%Y'];
    const rows = await this.c.rows<Record<string, string | number | null>>(
      `SELECT formatDateTime(p, ${sqlString(fmt)}) AS period, n, gs, gm, tone FROM (
         SELECT ${trunc} AS p, count() AS n, sum(ifNull(goldstein, 0)) AS gs, avg(goldstein) AS gm, avg(avg_tone) AS tone
         FROM event_rows WHERE ${COMMITTED} AND (${where}) GROUP BY p)
       ORDER BY p`,
    );
    return rows.map((r) => ({
      period: String(r.period),
      count: num(r.n),
      goldsteinSum: num(r.gs),
      goldsteinMean: r.gm === null ? null : num(r.gm),
      avgTone: r.tone === null ? null : num(r.tone),
    }));
  }

  /** Every stored event, its stored columns but the file id, `|`-joined (NULL as ∅), ordered by key. */
  async dumpEvents(): Promise<string[]> {
    const cols = EVENT_NAMES.filter((n) => n !== 'file_id');
    const rows = await this.c.rows<{ line: string }>(
      `SELECT concat(${cols.map((n, i) => `${i === 0 ? '' : "'|', "}ifNull(toString(${n}), '∅')`).join(', ')}) AS line
       FROM event_rows WHERE ${COMMITTED} ORDER BY source, event_id, event_date`,
    );
    return rows.map((r) => r.line);
  }

  async count(): Promise<number> {
    return num((await this.c.rows<{ n: string }>(`SELECT count() AS n FROM event_rows WHERE ${COMMITTED}`))[0]?.n);
  }

  async close(): Promise<void> {
    await this.c.close();
  }
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
