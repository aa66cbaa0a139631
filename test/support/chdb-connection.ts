/**
 * A `ClickHouseConnection` over chdb (ClickHouse 26.x in-process, the npm package `chdb`),
 * so that the ClickHouse adapter's statements — DDL, ingest and fold, reads, export — run
 * on a current engine as well as on the server (Debian's 18.16) the other tests start.
 *
 * Promises (those of `ClickHouseConnection`, as far as an in-process engine has them):
 * - Every connection made by one `chdbConnector` shares one chdb `Session` (one data
 *   directory: chdb binds one per process). Statements run one at a time, in the order they
 *   were issued; a connection made for a database runs `USE` it first, so that each
 *   statement sees the current database a server connection for that database would.
 * - Settings are applied with `SET` before the statement and restored after it; the HTTP
 *   interface's own `wait_end_of_query` has no meaning in-process (a chdb query returns
 *   only once it is done) and is dropped.
 * - 64-bit integers come back quoted in JSON, as 18.16 sends them (the adapter reads them
 *   with `Number`; an unquoted one beyond 2^53 would be silently rounded by `JSON.parse`).
 * - A failure is a `ClickHouseError` carrying chdb's ClickHouse code and the statement's
 *   first line, as the HTTP connection's are.
 * - The URL is ignored: there is no server.
 */
import { writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ClickHouseError, type ConnectClickHouse, type Settings } from '../../src/adapters/clickhouse/clickhouse-connection.ts';
import { sqlIdentifier, sqlString } from '../../src/adapters/clickhouse/clickhouse-sql.ts';

/**
 * The part of the npm package `chdb` used here. chdb is not a declared devDependency: its
 * package lists optional platform packages (macOS, Linux arm64) that the registry does not
 * serve, so a lock file holding it fails `npm ci` on a clean clone. CI installs it after
 * `npm ci` (`.ci/run`); locally, `npm install --no-save chdb@3.4.0`.
 */
interface ChdbResult {
  text(): string;
  bytes(): Uint8Array;
}
interface ChdbSession {
  query(sql: string, format?: string): string;
  queryAsync(sql: string, opts?: { readonly format?: string }): Promise<ChdbResult>;
  insert(o: {
    readonly table: string;
    readonly values: Readable;
    readonly format: string;
    readonly columns?: readonly string[];
    readonly settings?: Readonly<Record<string, string | number>>;
  }): Promise<unknown>;
  close(): void;
}
export interface ChdbModule {
  readonly Session: new (path?: string, opts?: { readonly connectionArgs?: readonly string[] }) => ChdbSession;
}

/** The npm package `chdb` when it is installed; undefined when it is not. */
export async function loadChdb(): Promise<ChdbModule | undefined> {
  const name = 'chdb'; // not a literal specifier: the type checker must not require the package
  try {
    return (await import(name)) as ChdbModule;
  } catch (err) {
    if ((err as { code?: unknown } | undefined)?.code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

/** Settings of the HTTP interface only. */
const HTTP_ONLY = new Set(['wait_end_of_query']);

export interface ChdbConnector {
  readonly connect: ConnectClickHouse;
  /** The engine's version, e.g. `26.7.2.1`. */
  readonly version: string;
  /** Closes the session (after every statement issued has finished). */
  close(): Promise<void>;
}

/** Opens a chdb session with its data in `dir` and gives connections over it. */
export function chdbConnector(chdb: ChdbModule, dir: string): ChdbConnector {
  const session = new chdb.Session(dir, { connectionArgs: ['--output_format_json_quote_64bit_integers=1'] });
  let queue: Promise<unknown> = Promise.resolve();
  /** Runs `op` once every statement issued before it is done. */
  const serially = <T>(op: () => Promise<T>): Promise<T> => {
    const result = queue.then(op);
    queue = result.catch(() => undefined);
    return result;
  };
  const version = session.query('SELECT version()', 'TSV').trim();

  const connect: ConnectClickHouse = (_url, database) => {
    const where = `chdb ${version}${database === undefined ? '' : `/${database}`}`;
    const fail = (sql: string, err: unknown): never => {
      const message = err instanceof Error ? err.message : String(err);
      const code = (err as { clickhouseCode?: unknown } | undefined)?.clickhouseCode;
      const firstLine = sql.trim().split('\n')[0]?.slice(0, 160) ?? '';
      throw new ClickHouseError(
        `ClickHouse (${where}): ${message.trim()}\n  in: ${firstLine}`,
        typeof code === 'number' ? code : undefined,
      );
    };
    /** Runs `op` in this connection's database, with `settings` set around it. */
    const withContext = <T>(sql: string, settings: Settings, op: () => Promise<T>): Promise<T> =>
      serially(async () => {
        const restore: string[] = [];
        try {
          if (database !== undefined) await session.queryAsync(`USE ${sqlIdentifier(database)}`);
          for (const [name, value] of Object.entries(settings)) {
            if (HTTP_ONLY.has(name)) continue;
            const old = (
              await session.queryAsync(`SELECT value FROM system.settings WHERE name = ${sqlString(name)}`, { format: 'TSV' })
            )
              .text()
              .trim();
            await session.queryAsync(`SET ${sqlIdentifier(name)} = ${typeof value === 'number' ? value : sqlString(value)}`);
            restore.push(`SET ${sqlIdentifier(name)} = ${sqlString(old)}`);
          }
          return await op();
        } catch (err) {
          return fail(sql, err);
        } finally {
          for (const r of restore) await session.queryAsync(r);
        }
      });
    return {
      where,
      rows<T>(sql: string, settings: Settings = {}): Promise<T[]> {
        return withContext(sql, settings, async () => {
          const text = (await session.queryAsync(sql, { format: 'JSONEachRow' })).text();
          return text
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => JSON.parse(l) as T);
        });
      },
      run(sql: string, settings: Settings = {}): Promise<void> {
        return withContext(sql, settings, async () => {
          await session.queryAsync(sql);
        });
      },
      insertStream(table: string, tsv: Readable, settings: Settings = {}, columns?: readonly string[]): Promise<void> {
        const own = Object.fromEntries(Object.entries(settings).filter(([n]) => !HTTP_ONLY.has(n)));
        return withContext(`INSERT INTO ${table} FORMAT TabSeparated`, {}, async () => {
          await session.insert({
            table: database === undefined ? table : `${database}.${table}`,
            values: tsv,
            format: 'TabSeparated',
            ...(columns === undefined || columns.length === 0 ? {} : { columns }),
            settings: own,
          });
        });
      },
      toFile(sql: string, path: string, settings: Settings = {}): Promise<void> {
        return withContext(sql, settings, async () => {
          writeFileSync(path, (await session.queryAsync(sql)).bytes());
        });
      },
      close: async () => undefined,
    };
  };

  return {
    connect,
    version,
    async close() {
      await serially(async () => undefined);
      session.close();
    },
  };
}
