/**
 * Opens a DuckDB file, waiting while another process holds its lock: DuckDB lets one
 * process write a file or several read it, never both. The first wait is told through
 * `onLockWait` (who holds it); past `lockWaitMs` the open gives up with EventStoreLockedError.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { EventStoreLockedError, type LockHolder, lockHolderOf } from './event-store-lock.ts';

export async function openDuckDbWaiting(
  path: string,
  config: Record<string, string>,
  readOnly: boolean,
  lockWaitMs: number,
  onLockWait: ((holder: LockHolder) => void) | undefined,
): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const started = Date.now();
  let pause = 25;
  let told = false;
  for (;;) {
    try {
      const instance = await DuckDBInstance.create(path, config);
      try {
        return { instance, conn: await instance.connect() };
      } catch (err) {
        instance.closeSync();
        throw err;
      }
    } catch (err) {
      const holder = lockHolderOf(err, path);
      if (holder === undefined) throw err;
      const waited = Date.now() - started;
      if (waited >= lockWaitMs) throw new EventStoreLockedError(holder, waited, readOnly);
      if (!told) {
        told = true;
        onLockWait?.(holder);
      }
      await sleep(Math.min(pause, Math.max(1, lockWaitMs - waited)));
      pause = Math.min(pause * 2, 500);
    }
  }
}
