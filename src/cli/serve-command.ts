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
import { ROLES, type Role, type TeamStore } from '../ports/team-store.ts';
import { CliError, type Effects, EXIT } from './effects.ts';
import { loadValidCase } from './load.ts';
import { DEFAULT_STORE } from './options.ts';
import { conflictProblems } from './problems.ts';
import { loadSeriesInputs } from './series-inputs.ts';
import { isPostgresUrl, type ServerEffects } from './server-commands.ts';

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
}

export async function serveCommand(opts: ServeOpts, effects: ServerEffects): Promise<number> {
  const port = Number(opts.port ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port: expected a port number 0–65535, got "${opts.port}"`, EXIT.usage, 'bad-option');
  const host = opts.host ?? '127.0.0.1';
  const store = await effects.openTeamStore(storeSpec(opts.store, effects));
  const dispatcher = createWebhookDispatcher({ store });
  let sessionPurge: SessionPurge | undefined;
  try {
    const dataDir = dataDirOf(opts, effects);
    const dirs =
      (opts.case?.length ?? 0) > 0
        ? (opts.case as string[]).map((d) => resolve(effects.cwd, d))
        : [join(effects.packageRoot, 'examples', 'us-pakistan')];
    const cases = await loadServedCases(store, dirs, dataDir, effects, effects.now);
    const queryEvents = await effects.openEventQuery?.(dataDir);
    const deps: ServerDeps = {
      store,
      cases: new CaseService(cases, store.ledger),
      now: effects.now,
      alerts: dispatcher,
      ...(queryEvents === undefined ? {} : { queryEvents }),
      ...(effects.bundleClient === undefined ? {} : { clientScript: effects.bundleClient }),
      secureCookies: opts.secureCookies === true,
      trustProxy: opts.trustProxy === true,
      allowPrivateWebhooks: opts.allowPrivateWebhooks === true,
    };
    // The HTTP stack (Hono, the OpenAPI schemas, the web pages, the report) loads only to serve.
    const { createApp } = await import('../http/app.ts');
    const app = createApp(deps, { packageRoot: effects.packageRoot });
    // Expired sessions are deleted now and hourly; the timer does not keep the process alive.
    sessionPurge = startSessionPurge({
      store,
      now: effects.now,
      onError: (err) => effects.stderr(`Deleting expired sessions failed (retried within the hour): ${String(err)}\n`),
    });
    const server = await effects.listen(app.fetch, port, host);
    const users = await store.listUsers();
    effects.stdout(
      `Proviso serving ${cases.map((s) => s.case.id).join(', ')} at ${server.url} (store: ${store.location})\n` +
        (users.length === 0
          ? `No users yet: create one with  proviso user add <name> --role admin${opts.store === undefined ? '' : ` --store ${opts.store}`}\n`
          : `${users.length} user${users.length === 1 ? '' : 's'}; API description at ${server.url}/openapi.json\n`),
    );
    await effects.untilShutdown();
    effects.stdout('Stopping: finishing webhook deliveries…\n');
    await server.close();
    await Promise.race([dispatcher.idle(), new Promise((r) => setTimeout(r, 5000))]);
    return EXIT.ok;
  } finally {
    await sessionPurge?.stop();
    await dispatcher.close();
    await store.close();
  }
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
