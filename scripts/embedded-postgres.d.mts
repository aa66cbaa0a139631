/** Types of `embedded-postgres.mjs` (plain JS, shared by `run-tests.mjs` and the tests). */
export interface PostgresKeeper {
  /** Admin URL of the server (user `postgres`, database `postgres`), password included. */
  readonly url: string;
  /** How long initdb took, in ms. */
  readonly initdbMs: number;
  /** How long the server took to accept connections once initialised, in ms. */
  readonly startMs: number;
  /** Stops the server, removes its files, and waits for the keeper to exit. */
  stop(): Promise<void>;
}

/** Starts a keeper process running a throwaway PostgreSQL server; resolves once it is ready. */
export function startPostgresKeeper(): Promise<PostgresKeeper>;
