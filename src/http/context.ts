/**
 * What every route sees: the server's dependencies and the request's authenticated user.
 */
import type { EventFilter, Period, PeriodAggregate } from '../ports/event-store.ts';
import type { AlertRecord, Session, TeamStore, User } from '../ports/team-store.ts';
import type { CaseService } from './case-service.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';
import type { WorkPool, WorkPoolOptions } from './workers/work-pool.ts';

/** The event store as the server uses it (absent when nothing was ingested). */
export type EventQueryFn = (filter: EventFilter, by: Period) => Promise<PeriodAggregate[] | undefined>;

export interface AlertSink {
  dispatch(alerts: readonly AlertRecord[]): void;
}

export interface ServerDeps {
  readonly store: TeamStore;
  readonly cases: CaseService;
  /** The clock: timestamps of audit records, sessions and alerts; "today" for alerts. */
  readonly now: () => Date;
  readonly alerts?: AlertSink;
  readonly queryEvents?: EventQueryFn;
  /** Largest accepted request body in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Set the Secure attribute on cookies (behind HTTPS). */
  readonly secureCookies?: boolean;
  /** How long a web session lasts, in hours (default 12). */
  readonly sessionHours?: number;
  /** Throttles password sign-ins (default: one `createSignInThrottle()` per app, in memory). */
  readonly signInThrottle?: SignInThrottle;
  /**
   * Count sign-in attempts under the last address of `X-Forwarded-For` instead of the
   * socket's peer. Only behind a reverse proxy that appends it: otherwise a client could
   * name its own address and escape the per-address limit.
   */
  readonly trustProxy?: boolean;
  /**
   * Accept webhook URLs whose host is `localhost` or a loopback, private or link-local
   * address (`proviso serve --allow-private-webhooks`); refused by default, since the
   * server would POST into its own network (webhook-url.ts).
   */
  readonly allowPrivateWebhooks?: boolean;
  /**
   * Heavy work (assessments, histories, briefs, the case pages) runs in worker threads
   * (workers/work-pool.ts): the pool's limits, or a pool to use (default: a pool with the
   * default limits, started when first needed).
   */
  readonly heavyWork?: WorkPoolOptions | WorkPool;
  /** Byte budget of the cache of computed answers (default 64 MiB; representation.ts). */
  readonly answerCacheBytes?: number;
  /** The browser enhancement script (bundled once). */
  readonly clientScript?: () => Promise<string>;
}

export interface AuthContext {
  readonly user: User;
  readonly via: 'token' | 'session';
  readonly session?: Session;
}

export type AppEnv = {
  Variables: {
    auth: AuthContext | undefined;
  };
};
