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
 * - One ingest at a time per database (a second one begun at the same moment is refused
 *   when it takes the same load id; otherwise the two are not kept apart: don't).
 * - With a cluster, `event_rows` is a Distributed table (explicit columns; inserts
 *   synchronous) over `event_rows_local` on each shard, sharded by event id; the file log,
 *   load ids and stage tables live on the server the adapter talks to, and every subquery
 *   a shard must see goes as GLOBAL IN.
 * - Values reach SQL only through `clickhouse-sql.ts` (18.16 takes no query parameters).
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { STAGED_COLUMNS } from '../event-formats/staged-events.ts';
import {
  type ClickHouseConnection,
  type ClickHouseTarget,
  connectClickHouse,
  describeClickHouseTarget,
  type Settings,
} from './clickhouse-connection.ts';
import { sqlDate, sqlIdentifier, sqlInteger, sqlString } from './clickhouse-sql.ts';
import { compileClickHouseEventFilter } from './compile-event-filter.ts';
import { NULLABLE_STAGED, stagedAsTsv } from './staged-to-tsv.ts';

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
const columnsSql = (cols: readonly (readonly [string, string])[]) => cols.map(([n, t]) => `${n} ${t}`).join(',\n  ');

/** Stage table types by staged kind; nullable where an empty staged field is NULL. */
const STAGE_TYPE: Record<string, string> = {
  integer: 'Int64',
  text: 'String',
  date: 'Date',
  timestamp: "DateTime('UTC')",
  small: 'Int8',
  real: 'Float64',
};
const STAGE_COLUMNS: readonly (readonly [string, string])[] = [
  ['seq', 'UInt64'],
  ...STAGED_COLUMNS.filter(([n]) => n !== 'line_no').map(
    ([n, k]) =>
      [
        n,
        n === 'event_id' ? 'UInt64' : NULLABLE_STAGED.has(n) ? `Nullable(${STAGE_TYPE[k]})` : (STAGE_TYPE[k] as string),
      ] as const,
  ),
];

/** Expressions over a stage table: the source's name, the key's day, the day known, the fold key. */
const SRC = `transform(source, ['1', '2', 'i'], ['gdelt1', 'gdelt2', 'icews'], '')`;
const KEY_DAY_STAGE = `if(source = 'i', event_date, toDate('1970-01-01'))`;
const KEY_DAY_STORED = `if(source = 'icews', event_date, toDate('1970-01-01'))`;
const KNOWN = `assumeNotNull(coalesce(known_at, toDate(added_at), event_date))`;
const FOLD = `if(source != 'i' AND source_url != '', cityHash64(${SRC}, event_date, actor1_code, actor2_code, event_code, source_url), 0)`;
/** The added time ordering copies of one event (none last, as DuckDB orders NULLs). */
const ADDED_ORDER = `ifNull(added_at, toDateTime(4294967295, 'UTC'))`;

/** Rows of committed files only (see the invariants). */
const COMMITTED = 'file_id GLOBAL IN (SELECT file_id FROM ingested_files)';

/** Per-load table names. */
const stageTable = (id: number) => `stage_${sqlInteger(id)}`;
const goneTable = (id: number) => `gone_${sqlInteger(id)}`;

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
}

export type ClickHouseEventStore = DuckDbEventStore & {
  readonly target: ClickHouseTarget;
  /** The server's version, e.g. `18.16.1`. */
  readonly serverVersion: string;
};

/** True when the target database holds an event store (its tables are there). */
export async function clickHouseEventStoreExists(target: ClickHouseTarget): Promise<boolean> {
  const conn = connectClickHouse(target.url, undefined, target);
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
  const admin = connectClickHouse(target.url, undefined, target);
  let version: string;
  try {
    version = String((await admin.rows<{ v: string }>('SELECT version() AS v'))[0]?.v ?? '');
    if (readOnly) {
      if (!(await clickHouseEventStoreExists(target)))
        throw new Error(`${describeClickHouseTarget(target)}: no event store here (nothing was ingested)`);
    } else {
      await admin.run(`CREATE DATABASE IF NOT EXISTS ${db}`);
    }
  } finally {
    await admin.close();
  }
  const conn = connectClickHouse(target.url, target.database, target);
  try {
    if (!readOnly) await createSchema(conn, target);
    const store = new Store(
      target,
      version,
      conn,
      readOnly,
      opts.groupNames ?? (() => undefined),
      opts.stagingDir ?? join(tmpdir(), 'proviso-clickhouse-staging'),
      opts.insertBlockRows ?? 100_000,
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

async function createSchema(conn: ClickHouseConnection, target: ClickHouseTarget): Promise<void> {
  const mergeTree = 'ENGINE = MergeTree() PARTITION BY toYear(known_at) ORDER BY (source, event_id)';
  if (target.cluster === undefined) {
    await conn.run(`CREATE TABLE IF NOT EXISTS event_rows (\n  ${columnsSql(EVENT_COLUMNS)}\n) ${mergeTree}`);
  } else {
    const db = sqlIdentifier(target.database);
    for (const shard of target.cluster.shards) {
      const s = connectClickHouse(shard, undefined, target);
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
  await conn.run(`CREATE TABLE IF NOT EXISTS ingested_files (
  file_id UInt32, path String, size UInt64, mtime_ms String, sha256 String, format String,
  staged UInt64, duplicates UInt64, folded UInt64, inserted UInt64, recorded DateTime('UTC')
) ENGINE = MergeTree() ORDER BY file_id`);
  await conn.run(`CREATE TABLE IF NOT EXISTS loads (
  file_id UInt32, host String, pid UInt32, begun DateTime('UTC')
) ENGINE = MergeTree() ORDER BY file_id`);
  await conn.run('CREATE TABLE IF NOT EXISTS cleaned_loads (file_id UInt32) ENGINE = MergeTree() ORDER BY file_id');
}

const num = (v: unknown): number => Number(v ?? 0);

function addDays(day: string, days: number): string {
  const t = new Date(`${day}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  const s = t.toISOString().slice(0, 10);
  return s < '1970-01-01' ? '1970-01-01' : s > '2105-12-31' ? '2105-12-31' : s;
}

class Load implements FileLoad {
  private inserted = 0;
  private open = true;

  constructor(
    private readonly c: ClickHouseConnection,
    private readonly id: number,
    private readonly insertBlockRows: number,
    private readonly insertSettings: Settings,
    private readonly release: () => void,
  ) {}

  private get stage(): string {
    return stageTable(this.id);
  }

  private get gone(): string {
    return goneTable(this.id);
  }

  async insert(stagedPaths: readonly string[], opts: InsertOptions): Promise<number> {
    const { stream } = stagedAsTsv(stagedPaths);
    await this.c.insertStream(this.stage, stream, { max_insert_block_size: this.insertBlockRows });
    const staged = num((await this.c.rows<{ n: string }>(`SELECT count() AS n FROM ${this.stage}`))[0]?.n);
    const ids = opts.ids;
    const idRange = ids === undefined ? '1' : `event_id BETWEEN ${sqlInteger(ids.min)} AND ${sqlInteger(ids.max)}`;
    // A new GDELT file's ids lie above every stored one: with no stored event in its range,
    // none of its rows can repeat a stored key.
    const againstStored =
      ids === undefined ||
      num(
        (
          await this.c.rows<{ n: string }>(
            `SELECT count() AS n FROM (SELECT event_id FROM event_rows WHERE ${idRange} AND ${COMMITTED} LIMIT 1)`,
          )
        )[0]?.n,
      ) > 0;
    if (againstStored) {
      await this.c.run(
        `INSERT INTO ${this.gone} SELECT seq, ${GONE.duplicate} FROM ${this.stage}
         WHERE (${SRC}, event_id, ${KEY_DAY_STAGE}) GLOBAL IN (
           SELECT toString(source), event_id, ${KEY_DAY_STORED} FROM event_rows WHERE ${idRange} AND ${COMMITTED})`,
      );
    }
    if (!opts.keysIncreasing) {
      // Keys repeated within the file: the first line of each stays.
      const repeated = `SELECT source, event_id, ${KEY_DAY_STAGE} AS day, min(seq) AS first FROM ${this.stage}
                        GROUP BY source, event_id, day HAVING count() > 1`;
      await this.c.run(
        `INSERT INTO ${this.gone} SELECT seq, ${GONE.duplicate} FROM ${this.stage}
         WHERE (source, event_id, ${KEY_DAY_STAGE}) IN (SELECT source, event_id, day FROM (${repeated}))
           AND (source, event_id, ${KEY_DAY_STAGE}, seq) NOT IN (SELECT source, event_id, day, first FROM (${repeated}))
           AND seq NOT IN (SELECT seq FROM ${this.gone})`,
      );
    }
    const dropped = num((await this.c.rows<{ n: string }>(`SELECT uniqExact(seq) AS n FROM ${this.gone}`))[0]?.n);
    this.inserted = staged - dropped;
    return this.inserted;
  }

  async commit(file: FileIdentity, format: string, opts: CommitOptions): Promise<LoadOutcome> {
    const c = this.c;
    try {
      const alive = `seq NOT IN (SELECT seq FROM ${this.gone})`;
      if (opts.fold && this.inserted > 0) {
        const windowDays = opts.foldWindowDays ?? DEFAULT_FOLD_WINDOW_DAYS;
        if (!Number.isInteger(windowDays) || windowDays < 0)
          throw new RangeError(`fold window: expected whole days (0 or more), got ${windowDays}`);
        const others = num((await c.rows<{ n: string }>('SELECT count() AS n FROM ingested_files WHERE inserted > 0'))[0]?.n);
        const range = (
          await c.rows<{ lo: string; hi: string; n: string }>(
            `SELECT toString(min(${KNOWN})) AS lo, toString(max(${KNOWN})) AS hi, count() AS n FROM ${this.stage} WHERE ${FOLD} != 0 AND ${alive}`,
          )
        )[0];
        if (others > 0 && range !== undefined && num(range.n) > 0) {
          // Re-emissions of events stored by earlier files, added within the window of them:
          // every copy in this file goes. Only stored events added within the window of this
          // file's rows, with one of its fold keys, are read (the join holds those).
          await c.run(
            `INSERT INTO ${this.gone} SELECT DISTINCT seq, ${GONE.foldedStored} FROM (
               SELECT seq, ${FOLD} AS fk, event_date, ${KNOWN} AS kn FROM ${this.stage} WHERE ${FOLD} != 0 AND ${alive}
             ) ALL INNER JOIN (
               SELECT fold_key AS fk, event_date, known_at AS o_known FROM event_rows
               WHERE known_at BETWEEN ${sqlDate(addDays(range.lo, -windowDays))} AND ${sqlDate(addDays(range.hi, windowDays))}
                 AND fold_key != 0 AND fold_key GLOBAL IN (SELECT ${FOLD} FROM ${this.stage} WHERE ${FOLD} != 0)
                 AND ${COMMITTED}
             ) USING (fk, event_date)
             WHERE abs(toInt32(kn) - toInt32(o_known)) <= ${sqlInteger(windowDays)}`,
          );
        }
        // Re-emissions within this file: the earliest DATEADDED, then the lowest id, stays.
        const groups = `FROM ${this.stage} WHERE ${FOLD} != 0 AND ${alive} GROUP BY fk HAVING count() > 1`;
        await c.run(
          `INSERT INTO ${this.gone} SELECT seq, ${GONE.foldedFile} FROM ${this.stage}
           WHERE ${FOLD} != 0 AND ${alive}
             AND ${FOLD} IN (SELECT ${FOLD} AS fk ${groups})
             AND (${FOLD}, seq) NOT IN (SELECT ${FOLD} AS fk, argMin(seq, (${KNOWN}, ${ADDED_ORDER}, event_id)) ${groups})`,
        );
      }
      const folded = num(
        (
          await c.rows<{ n: string }>(
            `SELECT uniqExact(seq) AS n FROM ${this.gone} WHERE why IN (${GONE.foldedStored}, ${GONE.foldedFile})`,
          )
        )[0]?.n,
      );
      if (this.inserted > 0) {
        const values = EVENT_NAMES.map((n) => {
          if (n === 'source') return SRC;
          if (n === 'known_at') return KNOWN;
          if (n === 'fold_key') return FOLD;
          if (n === 'file_id') return sqlInteger(this.id);
          return n;
        });
        await c.run(
          `INSERT INTO event_rows (${EVENT_NAMES.join(', ')}) SELECT ${values.join(', ')} FROM ${this.stage} WHERE ${alive}`,
          this.insertSettings,
        );
      }
      const outcome: LoadOutcome = {
        staged: opts.staged,
        duplicates: opts.staged - this.inserted,
        folded,
        inserted: this.inserted - folded,
      };
      // The file's record: from here on its rows are visible (see the invariants).
      await c.run(
        `INSERT INTO ingested_files (file_id, path, size, mtime_ms, sha256, format, staged, duplicates, folded, inserted, recorded)
         VALUES (${sqlInteger(this.id)}, ${sqlString(file.path)}, ${sqlInteger(file.size)}, ${sqlString(String(file.mtimeMs))},
                 ${sqlString(file.sha256)}, ${sqlString(format)}, ${sqlInteger(outcome.staged)}, ${sqlInteger(outcome.duplicates)},
                 ${sqlInteger(outcome.folded)}, ${sqlInteger(outcome.inserted)}, now())`,
      );
      this.open = false;
      await this.dropTables();
      this.release();
      return outcome;
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  private async dropTables(): Promise<void> {
    await this.c.run(`DROP TABLE IF EXISTS ${this.stage}`).catch(() => undefined);
    await this.c.run(`DROP TABLE IF EXISTS ${this.gone}`).catch(() => undefined);
  }

  /** Drops the stage tables; rows already stored stay invisible (no record) and are removed when a writer next opens. */
  async abort(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.dropTables();
    this.release();
  }
}

class Store implements ClickHouseEventStore {
  private loading = false;

  constructor(
    readonly target: ClickHouseTarget,
    readonly serverVersion: string,
    private readonly c: ClickHouseConnection,
    private readonly readOnly: boolean,
    private readonly groupNames: GroupNames,
    readonly stagingDir: string,
    private readonly insertBlockRows: number,
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
    for (const id of dead) {
      await this.c.run(`DROP TABLE IF EXISTS ${stageTable(Number(id.file_id))}`);
      await this.c.run(`DROP TABLE IF EXISTS ${goneTable(Number(id.file_id))}`);
    }
    const del = `DELETE WHERE file_id IN (${ids.join(', ')})`;
    if (this.target.cluster === undefined) await this.c.run(`ALTER TABLE event_rows ${del}`);
    else {
      for (const shard of this.target.cluster.shards) {
        const s = connectClickHouse(shard, this.target.database, this.target);
        try {
          await s.run(`ALTER TABLE event_rows_local ${del}`);
        } finally {
          await s.close();
        }
      }
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
    try {
      await this.c.run(`CREATE TABLE ${stageTable(id)} (\n  ${columnsSql(STAGE_COLUMNS)}\n) ENGINE = Log`);
      await this.c.run(`CREATE TABLE ${goneTable(id)} (seq UInt64, why UInt8) ENGINE = MergeTree() ORDER BY seq`);
    } catch (err) {
      this.loading = false;
      throw err;
    }
    return new Load(this.c, id, this.insertBlockRows, this.insertSettings, () => {
      this.loading = false;
    });
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
