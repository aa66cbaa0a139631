/**
 * `proviso serve`, `proviso user add`, `proviso token create`: the server's composition
 * root and its administration commands.
 *
 * The store is a folder (SQLite: the ledger file and the team tables in one database,
 * `<dir>/ledger.sqlite` — the same ledger the other commands use) or a `postgres://` URL
 * (multi-user). Event and structural data stay in a local data folder (`--data`, default
 * the store folder, or `.proviso` with PostgreSQL).
 */
import { join, resolve } from 'node:path';
import { createWebhookDispatcher } from '../adapters/webhooks/webhook-delivery.ts';
import { canonicalJson } from '../core/canonical-json.ts';
import type { Evidence } from '../core/evidence.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, newApiToken, newId, newSecret, sha256Hex } from '../http/auth.ts';
import { CaseService, type ServedCase } from '../http/case-service.ts';
import type { ServerDeps } from '../http/context.ts';
import { type SessionPurge, startSessionPurge } from '../http/session-purge.ts';
import type { WorkPool, WorkPoolLimits, WorkPoolOptions } from '../http/workers/work-pool.ts';
import { ROLES, type Role, type TeamStore } from '../ports/team-store.ts';
import { CliError, type Effects, EXIT } from './effects.ts';
import { loadValidCase } from './load.ts';
import { DEFAULT_STORE } from './options.ts';
import { conflictProblems } from './problems.ts';
import { loadSeriesInputs } from './series-inputs.ts';
import { isPostgresUrl, type ServerEffects, WORK_POOL_FLAGS } from './server-commands.ts';

export const SYSTEM_ACTOR = 'system';

function storeSpec(store: string | undefined, effects: Effects): string {
  const spec = store ?? DEFAULT_STORE;
  return isPostgresUrl(spec) ? spec : resolve(effects.cwd, spec);
}

function dataDirOf(opts: { store?: string; data?: string }, effects: Effects): string {
  if (opts.data !== undefined) return resolve(effects.cwd, opts.data);
  const spec = opts.store ?? DEFAULT_STORE;
  return resolve(effects.cwd, isPostgresUrl(spec) ? DEFAULT_STORE : spec);
}

/**
 * Loads case folders for serving: validates each, brings its files' evidence into the
 * ledger (one audited append of what is new; a conflict refuses to start) and loads its
 * series inputs from the data folder.
 */
export async function loadServedCases(
  store: TeamStore,
  dirs: readonly string[],
  dataDir: string,
  effects: Effects,
  now: () => Date,
): Promise<ServedCase[]> {
  const served: ServedCase[] = [];
  for (const dir of dirs) {
    const loaded = await loadValidCase(dir, effects);
    const caseId = loaded.case.id;
    if (served.some((s) => s.case.id === caseId))
      throw new CliError(`${dir}: case id "${caseId}" is served twice`, EXIT.usage, 'bad-option');
    const stored = new Map((await store.ledger.entries(caseId)).map((e) => [e.id, canonicalJson(e)]));
    const fresh: Evidence[] = loaded.evidence.filter((e) => stored.get(e.id) !== canonicalJson(e));
    if (fresh.length > 0) {
      const result = await store.appendEvidence(caseId, fresh, {
        actor: SYSTEM_ACTOR,
        action: 'case.import',
        at: now().toISOString(),
        caseId,
        ids: fresh.map((e) => e.id),
        supersedes: fresh.flatMap((e) => (e.supersedes === undefined ? [] : [e.supersedes])),
        detail: { dir },
      });
      if (!result.ok)
        throw new CliError(`The store ${store.location} was left as it was.`, EXIT.problems, 'ledger-conflict', {
          problems: conflictProblems(result.conflicts, join(dir, 'evidence')),
        });
    }
    try {
      await effects.importCaseData?.(dir, dataDir);
    } catch (err) {
      throw new CliError(`case data: ${(err as Error).message}`, EXIT.problems, 'invalid-data');
    }
    const { series, coverage } = await loadSeriesInputs(loaded.case, dataDir, effects);
    served.push({ case: loaded.case, dir, series, coverage });
  }
  return served;
}

export interface ServeOpts {
  readonly port?: string;
  readonly host?: string;
  readonly store?: string;
  readonly data?: string;
  readonly case?: readonly string[];
  readonly secureCookies?: boolean;
  readonly trustProxy?: boolean;
  readonly allowPrivateWebhooks?: boolean;
  readonly workers?: string;
  readonly queue?: string;
  readonly jobTimeout?: string;
  readonly workerMemory?: string;
}

/** A whole-number option in its range (`WORK_POOL_FLAGS`); a usage error names the flag and the range. */
function poolFlag(flag: keyof typeof WORK_POOL_FLAGS, value: string | undefined, unit: string): number | undefined {
  if (value === undefined) return undefined;
  const { min, max } = WORK_POOL_FLAGS[flag];
  const n = /^[0-9]{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max))
    throw new CliError(
      `--${flag}: expected a whole number of ${unit} from ${min} to ${max}, got "${value}"`,
      EXIT.usage,
      'bad-option',
    );
  return n;
}

/** The worker pool's limits as the flags give them (the pool's defaults for the others). */
export function workPoolOptionsOf(opts: ServeOpts): WorkPoolOptions {
  const size = poolFlag('workers', opts.workers, 'worker threads');
  const queueLimit = poolFlag('queue', opts.queue, 'requests');
  const timeoutSeconds = poolFlag('job-timeout', opts.jobTimeout, 'seconds');
  const memoryMb = poolFlag('worker-memory', opts.workerMemory, 'MiB');
  return {
    ...(size === undefined ? {} : { size }),
    ...(queueLimit === undefined ? {} : { queueLimit }),
    ...(timeoutSeconds === undefined ? {} : { timeoutMs: timeoutSeconds * 1000 }),
    ...(memoryMb === undefined ? {} : { memoryMb }),
  };
}

/** The pool's effective limits, as the start-up lines show them. */
export function describeWorkPool(limits: WorkPoolLimits): string {
  const workers = `${limits.size} worker thread${limits.size === 1 ? '' : 's'}`;
  const heap = limits.memoryMb === undefined ? "Node's default heap" : `${limits.memoryMb} MiB heap`;
  return (
    `Heavy work: ${workers} started (${heap} each), up to ${limits.queueLimit} requests waiting, ` +
    `${limits.perCallerLimit} per user, ${limits.timeoutMs / 1000} s per request\n`
  );
}

/** A server started by `startServer`: listening, its workers started with the ledgers. */
export interface RunningServer {
  readonly url: string;
  readonly cases: readonly ServedCase[];
  readonly store: TeamStore;
  readonly pool: WorkPool;
  /**
   * Terminates the workers (a heavy request still running is answered 503), stops
   * listening, lets webhook deliveries finish for up to `deliveriesMs` (default 5 000), and
   * closes the store. Calls after the first wait for it.
   */
  stop(deliveriesMs?: number): Promise<void>;
}

/**
 * `proviso serve` up to listening: the flags checked (before anything is opened), the
 * cases loaded into the ledger, the app built, and the worker pool started with each
 * case's ledger (`WorkPool.warm`) while the socket opens; resolves once both are done, so
 * that the first heavy request finds its worker ready. Whatever fails on the way is closed.
 */
export async function startServer(opts: ServeOpts, effects: ServerEffects): Promise<RunningServer> {
  const port = Number(opts.port ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port: expected a port number 0–65535, got "${opts.port}"`, EXIT.usage, 'bad-option');
  const host = opts.host ?? '127.0.0.1';
  const poolOptions = workPoolOptionsOf(opts);
  const store = await effects.openTeamStore(storeSpec(opts.store, effects));
  const dispatcher = createWebhookDispatcher({ store });
  let sessionPurge: SessionPurge | undefined;
  let pool: WorkPool | undefined;
  let server: { url: string; close: () => Promise<void> } | undefined;
  let closed: Promise<void> | undefined;
  const closeAll = (deliveriesMs: number) => {
    closed ??= closeOnce(deliveriesMs);
    return closed;
  };
  const closeOnce = async (deliveriesMs: number) => {
    // The workers first: a heavy request still computing is answered 503 at once (and new
    // ones, until the socket closes). Then the socket: Node waits for the connections still
    // open, and closes those idle at that moment; a keep-alive connection whose request is
    // answered after it would hold the close until the client lets it go (seconds).
    await pool?.close();
    await server?.close();
    if (deliveriesMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([dispatcher.idle(), new Promise((r) => (timer = setTimeout(r, deliveriesMs)))]);
      clearTimeout(timer);
    }
    await sessionPurge?.stop();
    await dispatcher.close();
    await store.close();
  };
  try {
    const dataDir = dataDirOf(opts, effects);
    const dirs =
      (opts.case?.length ?? 0) > 0
        ? (opts.case as string[]).map((d) => resolve(effects.cwd, d))
        : [join(effects.packageRoot, 'examples', 'us-pakistan')];
    const cases = await loadServedCases(store, dirs, dataDir, effects, effects.now);
    const queryEvents = await effects.openEventQuery?.(dataDir);
    const caseService = new CaseService(cases, store.ledger);
    // The HTTP stack (Hono, the OpenAPI schemas, the web pages, the report) and the worker
    // pool load only to serve.
    const [{ createApp }, { WorkPool }] = await Promise.all([import('../http/app.ts'), import('../http/workers/work-pool.ts')]);
    const workPool = new WorkPool(
      cases.map((s) => ({ case: s.case, series: s.series, coverage: s.coverage })),
      poolOptions,
    );
    pool = workPool;
    // The ledgers as the routes will pass them to the pool (CaseService.entries), shipped ahead.
    const ledgers = new Map(
      await Promise.all(cases.map(async (s) => [s.case.id, await caseService.entries(s.case.id)] as const)),
    );
    const warming = workPool.warm(ledgers);
    warming.catch(() => {}); // awaited below, after listening
    const deps: ServerDeps = {
      store,
      cases: caseService,
      now: effects.now,
      alerts: dispatcher,
      heavyWork: workPool,
      ...(queryEvents === undefined ? {} : { queryEvents }),
      ...(effects.bundleClient === undefined ? {} : { clientScript: effects.bundleClient }),
      secureCookies: opts.secureCookies === true,
      trustProxy: opts.trustProxy === true,
      allowPrivateWebhooks: opts.allowPrivateWebhooks === true,
    };
    const app = createApp(deps, { packageRoot: effects.packageRoot });
    // Expired sessions are deleted now and hourly; the timer does not keep the process alive.
    sessionPurge = startSessionPurge({
      store,
      now: effects.now,
      onError: (err) => effects.stderr(`Deleting expired sessions failed (retried within the hour): ${String(err)}\n`),
    });
    server = await effects.listen(app.fetch, port, host);
    try {
      await warming;
    } catch (err) {
      throw new CliError(
        `the worker threads for heavy work did not start: ${(err as Error).message}` +
          (poolOptions.memoryMb === undefined ? '' : ` (--worker-memory ${poolOptions.memoryMb}: try more)`),
        EXIT.internal,
        'workers-failed',
      );
    }
    const url = server.url;
    return { url, cases, store, pool: workPool, stop: (deliveriesMs = 5000) => closeAll(deliveriesMs) };
  } catch (err) {
    await closeAll(0);
    throw err;
  }
}

export async function serveCommand(opts: ServeOpts, effects: ServerEffects): Promise<number> {
  const running = await startServer(opts, effects);
  try {
    const { url, store, cases } = running;
    const users = await store.listUsers();
    effects.stdout(
      `Proviso serving ${cases.map((s) => s.case.id).join(', ')} at ${url} (store: ${store.location})\n` +
        describeWorkPool(running.pool.limits) +
        (users.length === 0
          ? `No users yet: create one with  proviso user add <name> --role admin${opts.store === undefined ? '' : ` --store ${opts.store}`}\n`
          : `${users.length} user${users.length === 1 ? '' : 's'}; API description at ${url}/openapi.json\n`),
    );
    await effects.untilShutdown();
    effects.stdout('Stopping: finishing webhook deliveries…\n');
  } finally {
    await running.stop();
  }
  return EXIT.ok;
}

export interface UserAddOpts {
  readonly format?: 'text' | 'json';
  readonly role: string;
  readonly store?: string;
  readonly passwordStdin?: boolean;
}

export async function userAddCommand(name: string, opts: UserAddOpts, effects: ServerEffects): Promise<number> {
  if (!(ROLES as readonly string[]).includes(opts.role))
    throw new CliError(`--role: expected one of ${ROLES.join(', ')}, got "${opts.role}"`, EXIT.usage, 'bad-option');
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name))
    throw new CliError(`user name "${name}": expected 1–64 letters, digits or . _ @ -`, EXIT.usage, 'bad-option');
  let password: string;
  let generated = false;
  if (opts.passwordStdin === true) {
    password = (await effects.readStdin()).split(/\r?\n/)[0] ?? '';
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new CliError(
        `the password read from stdin is shorter than ${MIN_PASSWORD_LENGTH} characters`,
        EXIT.usage,
        'bad-option',
      );
  } else {
    password = newSecret().slice(0, 20);
    generated = true;
  }
  const store = await effects.openTeamStore(storeSpec(opts.store, effects));
  try {
    const at = effects.now().toISOString();
    const created = await store.createUser({
      id: newId('usr'),
      name,
      role: opts.role as Role,
      passwordHash: await hashPassword(password),
      created: at,
    });
    if (!created.ok) throw new CliError(`a user named "${name}" already exists in ${store.location}`, EXIT.problems, 'exists');
    await store.recordAudit({
      actor: SYSTEM_ACTOR,
      action: 'user.add',
      at,
      ids: [created.value.id],
      detail: { name, role: opts.role, via: 'cli' },
    });
    if (opts.format === 'json') {
      const shown = { id: created.value.id, name, role: opts.role, store: store.location };
      effects.stdout(`${JSON.stringify(generated ? { ...shown, password } : shown, null, 2)}\n`);
    } else {
      effects.stdout(`User ${name} (${opts.role}) added to ${store.location}\n`);
      if (generated) effects.stdout(`Password (shown once): ${password}\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export interface TokenCreateOpts {
  readonly format?: 'text' | 'json';
  readonly user: string;
  readonly name?: string;
  readonly store?: string;
}

export async function tokenCreateCommand(opts: TokenCreateOpts, effects: ServerEffects): Promise<number> {
  const store = await effects.openTeamStore(storeSpec(opts.store, effects));
  try {
    const user = await store.findUserByName(opts.user);
    if (user === undefined)
      throw new CliError(`no user "${opts.user}" in ${store.location}: add it with proviso user add`, EXIT.problems, 'not-found');
    const token = newApiToken();
    const at = effects.now().toISOString();
    const label = opts.name ?? 'cli';
    const stored = await store.createToken({
      id: newId('tok'),
      userId: user.id,
      name: label,
      tokenHash: sha256Hex(token),
      created: at,
    });
    await store.recordAudit({
      actor: SYSTEM_ACTOR,
      action: 'token.create',
      at,
      ids: [stored.id],
      detail: { user: user.name, name: label, via: 'cli' },
    });
    if (opts.format === 'json') {
      effects.stdout(`${JSON.stringify({ id: stored.id, user: user.name, role: user.role, token }, null, 2)}\n`);
    } else {
      effects.stderr(`Token ${stored.id} for ${user.name} (${user.role}); it is shown once — store it now:\n`);
      effects.stdout(`${token}\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
