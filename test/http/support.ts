/**
 * A server under test: a real team store (SQLite file or PostgreSQL database), the
 * reference case loaded through the same path `proviso serve` uses, users of each role
 * with API tokens, and the app answering in-process (`request`) or on a real socket
 * (`listen`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { openSqliteTeamStore } from '../../src/adapters/sqlite/sqlite-team-store.ts';
import { loadServedCases } from '../../src/cli/serve-command.ts';
import { createApp } from '../../src/http/app.ts';
import { hashPassword, newApiToken, sha256Hex } from '../../src/http/auth.ts';
import { CaseService } from '../../src/http/case-service.ts';
import type { AlertSink, AppEnv, ServerDeps } from '../../src/http/context.ts';
import type { Role, TeamStore, User } from '../../src/ports/team-store.ts';
import { REFERENCE_CASE, REPO_ROOT } from '../support/cli-harness.ts';

export const TEST_NOW = new Date('2026-11-28T12:00:00.000Z');
export const PASSWORD = 'correct horse battery';

export interface TestUser {
  readonly user: User;
  readonly token: string;
}

export interface TestServer {
  readonly app: OpenAPIHono<AppEnv>;
  readonly deps: ServerDeps;
  readonly store: TeamStore;
  readonly users: Readonly<Record<Role, TestUser>>;
  /** In-process request; `as` adds that user's bearer token. */
  request(path: string, init?: RequestInit & { as?: Role }): Promise<Response>;
  /** Moves the server's clock (for tests of the ledger date). */
  setNow(date: Date): void;
  listen(): Promise<{ url: string; close: () => Promise<void> }>;
  close(): Promise<void>;
}

export type StoreOpener = () => Promise<TeamStore>;

export function sqliteOpener(): { open: StoreOpener; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'proviso-http-'));
  return {
    open: async () => openSqliteTeamStore(join(dir, 'ledger.sqlite')),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function startTestServer(
  open: StoreOpener,
  options: {
    alerts?: AlertSink;
    maxBodyBytes?: number;
    now?: () => Date;
    logError?: (err: unknown) => void;
    queryEvents?: ServerDeps['queryEvents'];
    allowPrivateWebhooks?: boolean;
    trustProxy?: boolean;
    heavyWork?: ServerDeps['heavyWork'];
    answerCacheBytes?: number;
  } = {},
): Promise<TestServer> {
  const store = await open();
  let clock = TEST_NOW;
  const now = options.now ?? (() => clock);
  const dataDir = mkdtempSync(join(tmpdir(), 'proviso-http-data-'));
  // The CLI's effects, for loading case folders and their data as `serve` does.
  const effects = await cliEffects(dataDir);
  const cases = await loadServedCases(store, [REFERENCE_CASE], dataDir, effects, now);
  const users = {} as Record<Role, TestUser>;
  for (const role of ['viewer', 'analyst', 'admin'] as const) {
    const suffix = Math.random().toString(36).slice(2, 8);
    const created = await store.createUser({
      id: `usr-${role}-${suffix}`,
      name: `${role}-${suffix}`,
      role,
      passwordHash: await hashPassword(PASSWORD),
      created: now().toISOString(),
    });
    if (!created.ok) throw new Error('test user exists');
    const token = newApiToken();
    await store.createToken({
      id: `tok-${role}-${suffix}`,
      userId: created.value.id,
      name: 'test',
      tokenHash: sha256Hex(token),
      created: now().toISOString(),
    });
    users[role] = { user: created.value, token };
  }
  const deps: ServerDeps = {
    store,
    cases: new CaseService(cases, store.ledger),
    now,
    ...(options.alerts === undefined ? {} : { alerts: options.alerts }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.queryEvents === undefined ? {} : { queryEvents: options.queryEvents }),
    ...(options.allowPrivateWebhooks === undefined ? {} : { allowPrivateWebhooks: options.allowPrivateWebhooks }),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    ...(options.heavyWork === undefined ? {} : { heavyWork: options.heavyWork }),
    ...(options.answerCacheBytes === undefined ? {} : { answerCacheBytes: options.answerCacheBytes }),
  };
  const app = createApp(deps, {
    packageRoot: REPO_ROOT,
    ...(options.logError !== undefined
      ? { logError: options.logError }
      : process.env.PROVISO_TEST_LOG === '1'
        ? {}
        : { logError: () => {} }),
  });
  return {
    app,
    deps,
    store,
    users,
    setNow: (date) => {
      clock = date;
    },
    request: async (path, init = {}) => {
      const { as, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (as !== undefined) headers.set('Authorization', `Bearer ${users[as].token}`);
      return app.request(path, { ...rest, headers });
    },
    listen: () =>
      new Promise((resolve) => {
        const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
          resolve({
            url: `http://127.0.0.1:${info.port}`,
            close: () =>
              new Promise<void>((done) => {
                (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
                server.close(() => done());
              }),
          });
        });
      }),
    close: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The effects `serve` loads case folders with (quiet, real stores). */
async function cliEffects(dataDir: string) {
  const { openEventStoreIfPresent } = await import('../../src/adapters/duckdb/open-event-store-if-present.ts');
  const { openSeriesStoreIfPresent } = await import('../../src/adapters/structural/sqlite-series-store.ts');
  const { importCaseData } = await import('../../src/adapters/structural/import-case-data.ts');
  const { openSqliteLedgerStore } = await import('../../src/adapters/sqlite/sqlite-ledger-store.ts');
  return {
    stdout: () => {},
    stderr: () => {},
    today: () => TEST_NOW.toISOString().slice(0, 10),
    cwd: dataDir,
    openLedger: (path: string) => openSqliteLedgerStore(path),
    openSeriesStore: (dir: string) => openSeriesStoreIfPresent(dir),
    openEventStore: (dir: string) => openEventStoreIfPresent(dir, join(REPO_ROOT, 'data', 'cameo')),
    importCaseData: (caseDir: string, dir: string) => importCaseData(caseDir, dir),
    writeFile: async () => {},
    packageRoot: REPO_ROOT,
  };
}

/** A valid new evidence item for the reference case (JSON as a client sends it). */
export function newEvidence(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    kind: 'statement',
    actors: ['pakistan'],
    description: `Test entry ${id}`,
    occurred: '2026-11-20',
    reported: '2026-11-21',
    sources: [{ publisher: 'Test Wire', title: `Report ${id}`, date: '2026-11-21', reliability: 'B', credibility: 2 }],
    ...fields,
  };
}

export function jsonInit(method: string, body: unknown, as?: Role): RequestInit & { as?: Role } {
  return {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    ...(as === undefined ? {} : { as }),
  };
}
