/**
 * The slice of `@clickhouse/client` the ClickHouse adapter uses, and the connection URL.
 *
 * Promises:
 * - `rows` reads a whole result as plain objects (JSONEachRow) and asks the server to
 *   finish the query before it answers (`wait_end_of_query=1`): an error met after the
 *   first block is a failed request, never a 200 with an error inside the rows.
 * - `run` runs a statement; `insertStream` streams TabSeparated bytes into a table in
 *   blocks (the server holds one block at a time, not the stream); `toFile` writes a
 *   query's whole answer, in the format its SQL names, to a file (the server finishes the
 *   query first, so a failure is a failed call, never an error inside the file).
 * - Every failure of the server is a `ClickHouseError` with the server's numeric code
 *   (parsed from `Code: N` in its message: 18.16 sends no code header the client reads)
 *   and the statement's first line; an unreachable server says where it looked.
 * - Values never reach SQL here: callers build statements with `clickhouse-sql.ts`.
 */
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ClickHouseClient, ClickHouseLogLevel, type ClickHouseSettings, createClient } from '@clickhouse/client';
import { sqlIdentifier } from './clickhouse-sql.ts';

/** What `clickhouse://user:password@host:port/database?cluster=…&shards=…` says. */
export interface ClickHouseTarget {
  /** The server the adapter talks to (HTTP), e.g. `http://127.0.0.1:8123`. */
  readonly url: string;
  readonly database: string;
  readonly username: string;
  readonly password: string;
  /**
   * With a cluster (`remote_servers` of the server's config), events are kept in a
   * Distributed table over one MergeTree table per shard; `shards` are the HTTP addresses
   * of the shards' servers, where the adapter creates those tables (`ON CLUSTER` needs
   * ZooKeeper, which 18.16 setups here do not have).
   */
  readonly cluster?: { readonly name: string; readonly shards: readonly string[] };
}

/** The URL as written, the password left out (for messages). */
export function describeClickHouseTarget(t: ClickHouseTarget): string {
  const user = t.username === 'default' ? '' : `${t.username}@`;
  const host = t.url.replace(/^https?:\/\//, '');
  const cluster =
    t.cluster === undefined
      ? ''
      : `?cluster=${t.cluster.name}&shards=${t.cluster.shards.map((s) => s.replace(/^https?:\/\//, '')).join(',')}`;
  return `clickhouse://${user}${host}/${t.database}${cluster}`;
}

/**
 * Parses an event-store URL: `clickhouse://[user[:password]@]host[:port]/database`
 * (`clickhouses://` for HTTPS; port 8123 by default, 8443 for HTTPS), optionally
 * `?cluster=NAME&shards=host:port,host:port` (see `ClickHouseTarget.cluster`). Throws an
 * `Error` saying what is wrong and what is expected.
 */
export function parseClickHouseUrl(text: string): ClickHouseTarget {
  const expected = 'expected clickhouse://[user[:password]@]host[:port]/database[?cluster=NAME&shards=host:port,host:port]';
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new Error(`"${text}" is not a URL: ${expected}`);
  }
  const secure = u.protocol === 'clickhouses:';
  if (u.protocol !== 'clickhouse:' && !secure) throw new Error(`"${u.protocol}" is not a ClickHouse URL scheme: ${expected}`);
  if (u.hostname === '') throw new Error(`no host in "${text}": ${expected}`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (database === '') throw new Error(`no database in "${text}": ${expected}`);
  sqlIdentifier(database);
  const scheme = secure ? 'https' : 'http';
  const port = u.port === '' ? (secure ? '8443' : '8123') : u.port;
  for (const key of u.searchParams.keys())
    if (key !== 'cluster' && key !== 'shards') throw new Error(`unknown option "${key}" in "${text}": ${expected}`);
  const clusterName = u.searchParams.get('cluster');
  const shardList = u.searchParams.get('shards');
  if ((clusterName === null) !== (shardList === null))
    throw new Error(`"cluster" and "shards" go together (the cluster's name and its shards' HTTP addresses): ${expected}`);
  let cluster: ClickHouseTarget['cluster'];
  if (clusterName !== null && shardList !== null) {
    sqlIdentifier(clusterName);
    const shards = shardList.split(',').map((s) => s.trim());
    for (const s of shards)
      if (!/^[A-Za-z0-9.-]+:\d+$/.test(s) && !/^\[[0-9a-fA-F:]+\]:\d+$/.test(s))
        throw new Error(`shard "${s}" is not host:port (the shard server's HTTP port): ${expected}`);
    cluster = { name: clusterName, shards: shards.map((s) => `${scheme}://${s}`) };
  }
  return {
    url: `${scheme}://${u.hostname}:${port}`,
    database,
    username: u.username === '' ? 'default' : decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    ...(cluster === undefined ? {} : { cluster }),
  };
}

/** A failure reported by the ClickHouse server (or of reaching it). */
export class ClickHouseError extends Error {
  override readonly name: string = 'ClickHouseError';
  constructor(
    message: string,
    /** The server's error code (`Code: N`), undefined when the server did not answer. */
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

/** The server's code in an error message (`Code: 60, e.displayText() = …`), if any. */
export function clickHouseErrorCode(message: string): number | undefined {
  const m = /(?:^|\s)Code: (\d+)/.exec(message);
  return m === null ? undefined : Number(m[1]);
}

export type Settings = Readonly<Record<string, string | number>>;

export interface ClickHouseConnection {
  readonly where: string;
  rows<T = Record<string, unknown>>(sql: string, settings?: Settings): Promise<T[]>;
  run(sql: string, settings?: Settings): Promise<void>;
  /** Streams TabSeparated rows of `columns` (default: all, in order) into `table`. */
  insertStream(table: string, tsv: Readable, settings?: Settings, columns?: readonly string[]): Promise<void>;
  /** Writes the answer of `sql` (which ends in `FORMAT …`) to the file at `path` (created, or replaced). */
  toFile(sql: string, path: string, settings?: Settings): Promise<void>;
  close(): Promise<void>;
}

/**
 * What opens a connection: the adapter's only way to reach an engine, so that another
 * implementation of `ClickHouseConnection` can run its statements (the tests run them on
 * chdb, an in-process ClickHouse of a current version: test/support/chdb-connection.ts).
 * `database` undefined: statements name their database themselves.
 */
export type ConnectClickHouse = (
  url: string,
  database: string | undefined,
  auth: { readonly username: string; readonly password: string },
) => ClickHouseConnection;

/** Opens a connection to `url` (no request is made until the first statement). */
export function connectClickHouse(
  url: string,
  database: string | undefined,
  auth: { readonly username: string; readonly password: string },
): ClickHouseConnection {
  const client: ClickHouseClient = createClient({
    url,
    ...(database === undefined ? {} : { database }),
    username: auth.username,
    password: auth.password,
    request_timeout: 30 * 60_000,
    compression: { request: false, response: false },
    keep_alive: { enabled: true, idle_socket_ttl: 2000 },
    // The client warns about long timeouts without progress headers; errors still throw.
    log: { level: ClickHouseLogLevel.OFF },
  });
  const where = `${url}${database === undefined ? '' : `/${database}`}`;
  const fail = (sql: string, err: unknown): never => {
    const message = err instanceof Error ? err.message : String(err);
    const firstLine = sql.trim().split('\n')[0]?.slice(0, 160) ?? '';
    const code = clickHouseErrorCode(message);
    const errno = (err as NodeJS.ErrnoException | undefined)?.code;
    if (code === undefined && (errno === 'ECONNREFUSED' || errno === 'ENOTFOUND' || errno === 'EHOSTUNREACH'))
      throw new ClickHouseError(
        `cannot reach the ClickHouse server at ${url} (${errno}): is it running, and is this its HTTP port?`,
        undefined,
      );
    throw new ClickHouseError(`ClickHouse (${where}): ${message.trim()}\n  in: ${firstLine}`, code);
  };
  return {
    where,
    async rows<T>(sql: string, settings: Settings = {}): Promise<T[]> {
      try {
        const rs = await client.query({
          query: sql,
          format: 'JSONEachRow',
          clickhouse_settings: { wait_end_of_query: 1, ...settings } as unknown as ClickHouseSettings,
        });
        return (await rs.json()) as T[];
      } catch (err) {
        return fail(sql, err);
      }
    },
    async run(sql: string, settings: Settings = {}): Promise<void> {
      try {
        await client.command({
          query: sql,
          clickhouse_settings: { wait_end_of_query: 1, ...settings } as unknown as ClickHouseSettings,
        });
      } catch (err) {
        fail(sql, err);
      }
    },
    async insertStream(table: string, tsv: Readable, settings: Settings = {}, columns?: readonly string[]): Promise<void> {
      try {
        await client.insert({
          table,
          values: tsv,
          format: 'TabSeparated',
          ...(columns === undefined || columns.length === 0 ? {} : { columns: columns as [string, ...string[]] }),
          clickhouse_settings: settings as unknown as ClickHouseSettings,
        });
      } catch (err) {
        fail(`INSERT INTO ${table} FORMAT TabSeparated`, err);
      }
    },
    async toFile(sql: string, path: string, settings: Settings = {}): Promise<void> {
      try {
        const r = await client.exec({
          query: sql,
          clickhouse_settings: { wait_end_of_query: 1, ...settings } as unknown as ClickHouseSettings,
        });
        await pipeline(r.stream, createWriteStream(path));
      } catch (err) {
        fail(sql, err);
      }
    },
    close: () => client.close(),
  };
}
