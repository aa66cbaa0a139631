/** Types of `clickhouse-server.mjs` (plain JS, shared by the tests and the bench). */
export interface ClickHouseKeeper {
  /** The servers' HTTP URLs (`http://127.0.0.1:PORT`), one per shard. */
  readonly urls: readonly string[];
  /** The servers' native ports, one per shard. */
  readonly nativePorts: readonly number[];
  /** The cluster every server declares (`remote_servers`), one shard per server. */
  readonly cluster: string;
  readonly startMs: number;
  readonly binary: string;
  /** Stops the servers, removes their files, and waits for the keeper to exit. */
  stop(): Promise<void>;
}

export const CLUSTER: string;

/** The server binary and the arguments before `--config-file`, or undefined when none is installed. */
export function findClickHouseServer(): { binary: string; args: string[] } | undefined;

/**
 * Starts a keeper process running `shards` throwaway servers on loopback; resolves once all
 * answer. `queryLog` logs every query to `system.query_log` (for profiling; off by default).
 */
export function startClickHouseKeeper(opts?: { shards?: number; queryLog?: boolean }): Promise<ClickHouseKeeper>;
