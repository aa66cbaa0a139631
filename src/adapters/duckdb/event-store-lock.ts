/**
 * The event store's file lock as callers see it, without loading DuckDB: who holds it, and
 * the error an open gives up with. DuckDB lets one process open a file for writing, or
 * several for reading, never both; its lock error names the process holding the file.
 */

import { StoreBusyError } from '../../ports/event-store.ts';

/** The process holding a store's file lock, as DuckDB names it. */
export interface LockHolder {
  readonly file: string;
  /** The holder's program, e.g. `/usr/bin/node`; undefined when DuckDB does not say. */
  readonly program: string | undefined;
  readonly pid: number | undefined;
}

/** The store's file stayed locked by another process for longer than the open would wait. */
export class EventStoreLockedError extends StoreBusyError {
  override readonly name: string = 'EventStoreLockedError';
  constructor(
    readonly holder: LockHolder,
    readonly waitedMs: number,
    readonly readOnly: boolean,
  ) {
    super(
      `${holder.file} is ${readOnly ? 'being written' : 'in use'} by another process${describeHolder(holder)}; ` +
        `waited ${Math.round(waitedMs / 1000)} s for it. Try again when that process has finished${holder.pid === undefined ? '' : ` (or stop it: kill ${holder.pid})`}.`,
    );
  }
}

/** ` (PID 1234, /usr/bin/node)`, or what of it is known. */
export function describeHolder(h: LockHolder): string {
  const parts = [h.pid === undefined ? undefined : `PID ${h.pid}`, h.program].filter((x) => x !== undefined);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** The holder named by DuckDB's lock error, or undefined when the error is not a lock conflict. */
export function lockHolderOf(err: unknown, file: string): LockHolder | undefined {
  const message = err instanceof Error ? err.message : String(err);
  if (!/Could not set lock on file/.test(message)) return undefined;
  const m = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(message);
  return { file, program: m?.[1], pid: m?.[2] === undefined ? undefined : Number(m[2]) };
}
