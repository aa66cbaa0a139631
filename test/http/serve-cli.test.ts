/**
 * The server's CLI as a user runs it, in child processes: `user add` (generated and stdin
 * passwords, duplicates, bad roles), `token create`, then `serve` answering with that token,
 * deleting expired sessions at start and stopping cleanly on SIGTERM; the audit log records
 * each write; `--allow-private-webhooks` lets webhooks to loopback addresses through.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { openSqliteTeamStore } from '../../src/adapters/sqlite/sqlite-team-store.ts';
import { REPO_ROOT } from '../support/cli-harness.ts';
import { postgresUrlForTests } from '../support/postgres.ts';

const CLI = join(REPO_ROOT, 'test', 'http', 'run-cli.ts');

function run(args: readonly string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    input: input ?? '',
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `proviso serve --port 0 …`; resolves once it prints its URL and its worker pool's limits. */
async function startServe(
  args: readonly string[],
): Promise<{ url: string; heavyWork: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let url: string | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    const m = /at (http:\/\/\S+) \(store: /.exec(line);
    if (m) url = m[1] as string;
    if (url !== undefined && line.startsWith('Heavy work: ')) {
      return {
        url,
        heavyWork: line,
        stop: async () => {
          child.kill('SIGTERM');
          const code = await exited;
          if (code !== 0) process.stderr.write(stderr);
          return code;
        },
      };
    }
  }
  throw new Error(`serve did not start: ${stderr}`);
}

describe('proviso user, token and serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'proviso-serve-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let token = '';

  it('adds users with a generated or a typed password, and refuses duplicates and unknown roles', () => {
    const ana = run(['user', 'add', 'ana', '--role', 'admin', '--store', dir]);
    assert.equal(ana.code, 0, ana.stderr);
    assert.match(ana.stdout, /User ana \(admin\) added/);
    assert.match(ana.stdout, /Password \(shown once\): \S{20}/);
    const bob = run(['user', 'add', 'bob', '--role', 'viewer', '--password-stdin', '--store', dir], 'a long enough passphrase\n');
    assert.equal(bob.code, 0, bob.stderr);
    assert.doesNotMatch(bob.stdout, /Password/);
    const again = run(['user', 'add', 'ana', '--role', 'viewer', '--store', dir]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
    const badRole = run(['user', 'add', 'eve', '--role', 'boss', '--store', dir]);
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /--role: expected one of viewer, analyst, admin/);
    const short = run(['user', 'add', 'eve', '--role', 'viewer', '--password-stdin', '--store', dir], 'short\n');
    assert.equal(short.code, 2);
  });

  it('creates a token shown once on stdout, stored only as a hash', async () => {
    const r = run(['token', 'create', '--user', 'ana', '--name', 'laptop', '--store', dir]);
    assert.equal(r.code, 0, r.stderr);
    token = r.stdout.trim();
    assert.match(token, /^pvs_[A-Za-z0-9_-]{43}$/);
    const store = openSqliteTeamStore(join(dir, 'ledger.sqlite'));
    try {
      const found = await store.findToken(token);
      assert.equal(found, undefined, 'the clear token is not a key of the store');
    } finally {
      await store.close();
    }
    assert.equal(run(['token', 'create', '--user', 'nobody', '--store', dir]).code, 1);
  });

  it('serves the reference case with that token, deletes expired sessions, and stops cleanly on SIGTERM', async () => {
    const sessions = openSqliteTeamStore(join(dir, 'ledger.sqlite'));
    const ana = await sessions.findUserByName('ana');
    assert.ok(ana !== undefined);
    const session = { userId: ana.id, csrfToken: 'csrf', created: '2020-01-01T00:00:00.000Z' };
    await sessions.createSession({ ...session, idHash: 'expired', expires: '2020-01-01T12:00:00.000Z' });
    await sessions.createSession({ ...session, idHash: 'live', expires: '2999-01-01T00:00:00.000Z' });
    await sessions.close();

    const { url, stop } = await startServe(['--store', dir]);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    assert.equal((await fetch(`${url}/api/me`)).status, 401);
    const me = await fetch(`${url}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { user: { name: string } }).user.name, 'ana');
    const cases = (await (await fetch(`${url}/api/cases`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      id: string;
      evidence: number;
    }[];
    assert.equal(cases[0]?.id, 'us-pakistan');
    assert.ok((cases[0]?.evidence ?? 0) > 50);
    assert.equal(await stop(), 0);

    const store = openSqliteTeamStore(join(dir, 'ledger.sqlite'));
    try {
      const actions = (await store.audit()).map((a) => a.action);
      assert.deepEqual(
        actions.filter((a) => a !== 'case.import'),
        ['user.add', 'user.add', 'token.create'],
      );
      assert.equal(actions.filter((a) => a === 'case.import').length, 1, 'the case files were imported once, audited');
      // Looked up as of a time when both were live: only the expired one was deleted.
      assert.equal(await store.findSession('expired', '2020-01-01T01:00:00.000Z'), undefined, 'expired session deleted');
      assert.ok((await store.findSession('live', '2020-01-01T01:00:00.000Z')) !== undefined, 'live session kept');
    } finally {
      await store.close();
    }
  });

  it('refuses worker-pool flags out of range, naming the flag and the range, before opening the store', () => {
    const nowhere = join(dir, 'not-created');
    const cases: readonly (readonly [string, string, string])[] = [
      ['--workers', '0', 'worker threads from 1 to 256'],
      ['--workers', '1e2', 'worker threads from 1 to 256'],
      ['--workers', '257', 'worker threads from 1 to 256'],
      ['--queue', '-1', 'requests from 0 to 10000'],
      ['--queue', '0x10', 'requests from 0 to 10000'],
      ['--job-timeout', '1.5', 'seconds from 1 to 3600'],
      ['--job-timeout', '3601', 'seconds from 1 to 3600'],
      ['--worker-memory', '16', 'MiB from 64 to 65536'],
      ['--worker-memory', '', 'MiB from 64 to 65536'],
    ];
    for (const [flag, value, range] of cases) {
      const r = run(['serve', '--port', '0', '--store', nowhere, flag, value]);
      assert.equal(r.code, 2, `${flag} ${value}: ${r.stderr}`);
      assert.ok(
        r.stderr.includes(`${flag}: expected a whole number of ${range}, got "${value}"`),
        `${flag} ${value}: ${r.stderr}`,
      );
    }
    assert.equal(existsSync(nowhere), false, 'no store was created');
  });

  it('starts with the worker pool the flags ask for, and says so', async (t) => {
    const server = await startServe([
      '--store',
      dir,
      '--workers',
      '1',
      '--queue',
      '3',
      '--job-timeout',
      '7',
      '--worker-memory',
      '512',
    ]);
    assert.equal(
      server.heavyWork,
      'Heavy work: 1 worker thread started (512 MiB heap each), up to 3 requests waiting, 2 per user, 7 s per request',
    );
    const res = await fetch(`${server.url}/api/cases/us-pakistan/history?from=2015-01-01&to=2023-12-31&step=quarter`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    const stopping = performance.now();
    assert.equal(await server.stop(), 0);
    t.diagnostic(`SIGTERM to exit: ${(performance.now() - stopping).toFixed(0)} ms`);
  });

  it('refuses webhooks to loopback addresses unless started with --allow-private-webhooks', async () => {
    const register = (server: string) =>
      fetch(`${server}/api/webhooks`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ url: 'http://127.0.0.1:9/hook' }),
      });
    const strict = await startServe(['--store', dir]);
    const refused = await register(strict.url);
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /--allow-private-webhooks/);
    assert.equal(await strict.stop(), 0);
    const lax = await startServe(['--store', dir, '--allow-private-webhooks']);
    assert.equal((await register(lax.url)).status, 201);
    assert.equal(await lax.stop(), 0);
  });
});

describe('proviso serve on PostgreSQL', () => {
  it('adds a user and a token to a postgres:// store and serves from it', async () => {
    const url = await postgresUrlForTests();
    const add = run(['user', 'add', 'pat', '--role', 'analyst', '--store', url]);
    assert.equal(add.code, 0, add.stderr);
    assert.ok(!add.stdout.includes(new URL(url).password || '\u0000'), 'the password of the URL is not printed');
    const tok = run(['token', 'create', '--user', 'pat', '--store', url]);
    assert.equal(tok.code, 0, tok.stderr);
    const token = tok.stdout.trim();
    const data = mkdtempSync(join(tmpdir(), 'proviso-serve-pg-'));
    try {
      const server = await startServe(['--store', url, '--data', data]);
      const res = await fetch(`${server.url}/api/cases/us-pakistan/evidence?limit=1`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      assert.ok(((await res.json()) as { total: number }).total > 50, 'the case files were imported into PostgreSQL');
      assert.equal(await server.stop(), 0);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
