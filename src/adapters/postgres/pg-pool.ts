/**
 * The slice of node-postgres (`pg`) the PostgreSQL adapter uses, and nothing more: a pool
 * that lends clients, plain-text queries with positional parameters, rows as plain
 * objects. Nothing of `pg` leaves `src/adapters/postgres/`.
 *
 * Contracts:
 * - `transaction` runs its work on one client between BEGIN and COMMIT (READ COMMITTED);
 *   if the work throws, it rolls back and rethrows; a client whose rollback fails is
 *   destroyed rather than returned to the pool.
 * - Values come back as `pg` parses them by default: `text` as strings, `integer` as
 *   numbers, `boolean` as booleans, `bigint` (counts, sequence numbers) as decimal
 *   strings, which callers convert with `Number`.
 */
import pg from 'pg';

export interface PgRows {
  readonly rows: readonly Record<string, unknown>[];
  /** Rows inserted, updated or deleted (null for statements that report none). */
  readonly rowCount: number | null;
}

/** Something queries can be sent to: the pool (any free client) or one lent client. */
export interface PgQueryable {
  query(text: string, values?: readonly unknown[]): Promise<PgRows>;
}

interface PgPoolClient extends PgQueryable {
  /** Returns the client to the pool; with an error, destroys it instead. */
  release(destroy?: Error | boolean): void;
}

export interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PgPoolConfig {
  readonly connectionString: string;
  readonly max: number;
  readonly connectionTimeoutMillis: number;
  readonly idleTimeoutMillis: number;
  readonly application_name: string;
}

export function createPool(config: PgPoolConfig): PgPool {
  const pool = new pg.Pool({ ...config });
  return {
    query: (text, values) => pool.query(text, values === undefined ? undefined : [...values]),
    connect: () => pool.connect(),
    end: () => pool.end(),
    on: (event, listener) => pool.on(event, listener),
  };
}

/** Runs `work` in one transaction on one client (see the module comment). */
export async function transaction<T>(pool: PgPool, work: (tx: PgQueryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let destroy: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      destroy = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(destroy);
  }
}

/** The SQLSTATE of a database error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
