/**
 * Removal of expired web sessions, so that the sessions table holds live sessions only
 * instead of every sign-in ever made. Sessions are not history (the audit log is):
 * deleting expired ones loses nothing.
 *
 * Contracts:
 * - `startSessionPurge` purges once at once, then every `everyMs` (default one hour), each
 *   time deleting the sessions expired as of the server's clock (`now`).
 * - The default timer is unref'd: it never keeps the process alive.
 * - At most one purge runs at a time (a tick during one is skipped); a failed purge goes
 *   to `onError` and the next tick tries again. Nothing here throws.
 * - `stop` cancels the timer and resolves once a purge in progress has finished, so the
 *   store can be closed right after. Stopping twice is harmless.
 */
import type { TeamStore } from '../ports/team-store.ts';

export const DEFAULT_SESSION_PURGE_MS = 3600_000;

/** Runs `run` every `everyMs` until cancelled (the default: an unref'd `setInterval`). */
export type Repeat = (run: () => void, everyMs: number) => { cancel(): void };

export interface SessionPurgeDeps {
  readonly store: Pick<TeamStore, 'deleteExpiredSessions'>;
  readonly now: () => Date;
  /** How often to purge, in ms (default one hour). */
  readonly everyMs?: number;
  readonly repeat?: Repeat;
  /** Told about a failed purge (default: console.error). */
  readonly onError?: (error: unknown) => void;
}

export interface SessionPurge {
  stop(): Promise<void>;
}

const unrefInterval: Repeat = (run, everyMs) => {
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { cancel: () => clearInterval(timer) };
};

export function startSessionPurge(deps: SessionPurgeDeps): SessionPurge {
  const everyMs = deps.everyMs ?? DEFAULT_SESSION_PURGE_MS;
  if (!(Number.isFinite(everyMs) && everyMs >= 1000)) {
    throw new RangeError(`everyMs ${everyMs} is not a duration of at least 1000 ms`);
  }
  const onError = deps.onError ?? ((error: unknown) => console.error(error));
  let running: Promise<void> | undefined;
  let stopped = false;
  const purge = (): void => {
    if (running !== undefined || stopped) return;
    const current: Promise<void> = Promise.resolve()
      .then(() => deps.store.deleteExpiredSessions(deps.now().toISOString()))
      .then(() => undefined, onError)
      .finally(() => {
        if (running === current) running = undefined;
      });
    running = current;
  };
  purge();
  const timer = (deps.repeat ?? unrefInterval)(purge, everyMs);
  return {
    async stop() {
      stopped = true;
      timer.cancel();
      await running;
    },
  };
}
