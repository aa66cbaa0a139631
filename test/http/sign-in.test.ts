/**
 * Sign-in throttling and the purge of expired sessions, as users and operators rely on
 * them: wrong passwords through the web form until 429 with `Retry-After`; the right
 * password refused too while locked, and accepted once the window has passed (the clock is
 * injected: no sleeping); a success clearing the account's failures; the same answer for
 * names that are no user's; a refused attempt checking nothing and starting no session;
 * limits per client address (IPv6 by /64, `X-Forwarded-For` only when trusted); concurrent
 * guesses counted before any passes; bounded memory. Then the purge: at start and on each
 * tick, live sessions kept, failures reported and retried, an unref'd timer, `stop` waiting
 * for a purge in progress.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createApp } from '../../src/http/app.ts';
import { newSecret, sha256Hex } from '../../src/http/auth.ts';
import type { AppEnv, ServerDeps } from '../../src/http/context.ts';
import { LOGIN_CSRF_COOKIE, SESSION_COOKIE } from '../../src/http/session.ts';
import { type Repeat, startSessionPurge } from '../../src/http/session-purge.ts';
import {
  addressKey,
  createSignInThrottle,
  DEFAULT_SIGN_IN_LIMITS,
  type SignInThrottleOptions,
} from '../../src/http/sign-in-throttle.ts';
import type { TeamStore } from '../../src/ports/team-store.ts';
import { REPO_ROOT } from '../support/cli-harness.ts';
import { PASSWORD, sqliteOpener, startTestServer, TEST_NOW, type TestServer } from './support.ts';

const WRONG = 'not the password';
const MINUTE = 60_000;
const ACCOUNT_LIMIT = DEFAULT_SIGN_IN_LIMITS.perAccount.maxFailures;
const ACCOUNT_WINDOW_S = DEFAULT_SIGN_IN_LIMITS.perAccount.windowMs / 1000;

/** A store that records which of its methods were called. */
function spyOn(store: TeamStore): { store: TeamStore; calls: string[] } {
  const calls: string[] = [];
  const spied = new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: spied, calls };
}

interface SignInApp {
  readonly app: OpenAPIHono<AppEnv>;
  /** Moves this app's clock by `ms`. */
  advance(ms: number): void;
  /** Posts the sign-in form as a browser would (with its CSRF cookie), from `address`. */
  signIn(name: string, password: string, from?: { address?: string; forwardedFor?: string }): Promise<Response>;
}

describe('sign-in throttling through the web form', () => {
  const opener = sqliteOpener();
  let s: TestServer;
  before(async () => {
    s = await startTestServer(opener.open);
  });
  after(async () => {
    await s?.close();
    opener.cleanup();
  });

  /** A fresh app on the shared store, with its own clock and throttle (default limits unless given). */
  const newApp = (options: { throttle?: SignInThrottleOptions; trustProxy?: boolean; store?: TeamStore } = {}): SignInApp => {
    let clock = TEST_NOW.getTime();
    const deps: ServerDeps = {
      ...s.deps,
      ...(options.store === undefined ? {} : { store: options.store }),
      now: () => new Date(clock),
      ...(options.throttle === undefined ? {} : { signInThrottle: createSignInThrottle(options.throttle) }),
      ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    };
    const app = createApp(deps, { packageRoot: REPO_ROOT, logError: () => {} });
    return {
      app,
      advance: (ms) => {
        clock += ms;
      },
      signIn: (name, password, from = {}) => {
        const csrf = newSecret();
        const headers: Record<string, string> = {
          'Content-Type': 'application/x-www-form-urlencoded',
          Cookie: `${LOGIN_CSRF_COOKIE}=${csrf}`,
        };
        if (from.forwardedFor !== undefined) headers['X-Forwarded-For'] = from.forwardedFor;
        const body = new URLSearchParams({ _csrf: csrf, name, password, next: '/alerts' });
        // The bindings @hono/node-server passes: the socket the request came in on.
        const env = from.address === undefined ? undefined : { incoming: { socket: { remoteAddress: from.address } } };
        return Promise.resolve(app.request('/login', { method: 'POST', headers, body }, env));
      },
    };
  };

  const sessionCookieOf = (res: Response): string | undefined =>
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`))
      ?.split(';')[0];

  /** The message of the error block beside the form. */
  const alertOf = async (res: Response): Promise<string> => {
    const html = await res.text();
    assert.match(html, /<form method="post" action="\/login"/, 'the form is shown again');
    return /<p id="login-error">([^<]*)<\/p>/.exec(html)?.[1] ?? '';
  };

  it(`refuses the attempt after ${ACCOUNT_LIMIT} wrong passwords with 429 and Retry-After, the right password included, and starts no session`, async () => {
    const { store, calls } = spyOn(s.store);
    const a = newApp({ store });
    const name = s.users.analyst.user.name;
    for (let i = 1; i <= ACCOUNT_LIMIT; i++) {
      const res = await a.signIn(name, WRONG);
      assert.equal(res.status, 400, `wrong password ${i} is answered as wrong`);
      assert.equal(await alertOf(res), 'Wrong name or password.');
    }
    a.advance(MINUTE);
    calls.length = 0;
    for (const password of [WRONG, PASSWORD]) {
      const res = await a.signIn(name, password);
      assert.equal(res.status, 429, `refused while locked (${password === PASSWORD ? 'right' : 'wrong'} password)`);
      assert.equal(
        res.headers.get('retry-after'),
        String(ACCOUNT_WINDOW_S - 60),
        'the wait ends when the first failure leaves the window',
      );
      assert.match(res.headers.get('content-security-policy') ?? '', /script-src/);
      assert.match(await alertOf(res), /^Too many failed sign-in attempts .*Wait 14 minutes, then try again\.$/);
      assert.equal(sessionCookieOf(res), undefined, 'no session cookie');
    }
    assert.deepEqual(calls, [], 'a refused attempt looks up no user and writes no session');
  });

  it('accepts the right password again once the window has passed, and a success clears the account’s failures', async () => {
    const a = newApp();
    const name = s.users.admin.user.name;
    for (let i = 0; i < ACCOUNT_LIMIT; i++) assert.equal((await a.signIn(name, WRONG)).status, 400);
    assert.equal((await a.signIn(name, PASSWORD)).status, 429);
    a.advance(DEFAULT_SIGN_IN_LIMITS.perAccount.windowMs - 1000);
    const stillLocked = await a.signIn(name, PASSWORD);
    assert.equal(stillLocked.status, 429);
    assert.equal(stillLocked.headers.get('retry-after'), '1');
    assert.match(await alertOf(stillLocked), /Wait 1 second, then try again/);
    a.advance(1000);

    const ok = await a.signIn(name, PASSWORD);
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/alerts');
    const cookie = sessionCookieOf(ok);
    assert.ok(cookie !== undefined, 'signed in: a session cookie');
    assert.equal((await a.app.request('/alerts', { headers: { Cookie: cookie } })).status, 200, 'the session works');

    // One failure short of the limit, then a success: a full allowance of failures again.
    for (let i = 1; i < ACCOUNT_LIMIT; i++) assert.equal((await a.signIn(name, WRONG)).status, 400);
    assert.equal((await a.signIn(name, PASSWORD)).status, 303);
    for (let i = 1; i <= ACCOUNT_LIMIT; i++) assert.equal((await a.signIn(name, WRONG)).status, 400, `wrong password ${i}`);
    assert.equal((await a.signIn(name, WRONG)).status, 429);
  });

  it('answers the same for a name that is no user’s: it is refused after as many failures, with the same words', async () => {
    const a = newApp();
    const known = s.users.viewer.user.name;
    const unknown = `nobody-${newSecret().slice(0, 8)}`;
    const answers = async (name: string): Promise<{ status: number[]; retryAfter: string | null; message: string }> => {
      const status: number[] = [];
      for (let i = 0; i < ACCOUNT_LIMIT; i++) status.push((await a.signIn(name, WRONG)).status);
      const refused = await a.signIn(name, WRONG);
      status.push(refused.status);
      return { status, retryAfter: refused.headers.get('retry-after'), message: await alertOf(refused) };
    };
    const forKnown = await answers(known);
    const forUnknown = await answers(unknown);
    assert.deepEqual(forUnknown, forKnown);
    assert.deepEqual(forKnown.status, [...Array<number>(ACCOUNT_LIMIT).fill(400), 429]);
  });

  it('counts failures per client address across names, and other addresses are not held back', async () => {
    const a = newApp({
      throttle: { perAddress: { maxFailures: 3, windowMs: 10 * MINUTE }, perAccount: { maxFailures: 100, windowMs: MINUTE } },
    });
    const from = { address: '203.0.113.7' };
    for (const name of ['anna', 'ben', 'carl']) assert.equal((await a.signIn(name, WRONG, from)).status, 400);
    const refused = await a.signIn(s.users.analyst.user.name, PASSWORD, from);
    assert.equal(refused.status, 429, 'the right password of another account is refused from that address');
    assert.equal(refused.headers.get('retry-after'), '600');
    // The same client over IPv4-mapped IPv6 is the same address.
    assert.equal((await a.signIn('dora', WRONG, { address: '::ffff:203.0.113.7' })).status, 429);
    const elsewhere = await a.signIn(s.users.analyst.user.name, PASSWORD, { address: '198.51.100.1' });
    assert.equal(elsewhere.status, 303, 'another address signs in');
    assert.equal(
      (await a.signIn(s.users.analyst.user.name, PASSWORD, from)).status,
      429,
      'a success elsewhere does not clear the address’s failures',
    );
  });

  it('counts IPv6 clients by their /64 prefix', async () => {
    const a = newApp({ throttle: { perAddress: { maxFailures: 2, windowMs: MINUTE } } });
    assert.equal((await a.signIn('x1', WRONG, { address: '2001:db8:1:2::1' })).status, 400);
    assert.equal((await a.signIn('x2', WRONG, { address: '2001:db8:1:2:ffff:ffff:ffff:fffe' })).status, 400);
    assert.equal((await a.signIn('x3', WRONG, { address: '2001:0db8:0001:0002::9' })).status, 429);
    assert.equal((await a.signIn('x4', WRONG, { address: '2001:db8:1:3::1' })).status, 400, 'the next /64 is another client');
  });

  it('uses X-Forwarded-For only when the proxy is trusted, and then its last entry', async () => {
    const limits = { perAddress: { maxFailures: 2, windowMs: MINUTE } };
    const direct = newApp({ throttle: limits });
    for (const [i, spoof] of ['10.0.0.1', '10.0.0.2'].entries()) {
      assert.equal((await direct.signIn(`y${i}`, WRONG, { address: '203.0.113.9', forwardedFor: spoof })).status, 400);
    }
    assert.equal(
      (await direct.signIn('y9', WRONG, { address: '203.0.113.9', forwardedFor: '10.0.0.3' })).status,
      429,
      'an untrusted header does not make a new client',
    );

    const proxied = newApp({ throttle: limits, trustProxy: true });
    const proxy = '127.0.0.1';
    for (const name of ['z1', 'z2']) {
      // The first entry is whatever the client claims; the last is the one the proxy added.
      assert.equal(
        (await proxied.signIn(name, WRONG, { address: proxy, forwardedFor: `10.9.9.${name}, 198.51.100.20` })).status,
        400,
      );
    }
    assert.equal((await proxied.signIn('z3', WRONG, { address: proxy, forwardedFor: '1.1.1.1, 198.51.100.20' })).status, 429);
    const other = await proxied.signIn(s.users.viewer.user.name, PASSWORD, { address: proxy, forwardedFor: '198.51.100.21' });
    assert.equal(other.status, 303, 'another client behind the same proxy signs in');
  });

  it('counts concurrent guesses before any of them is checked: no more get through than the limit', async () => {
    const a = newApp();
    const name = s.users.analyst.user.name;
    const answers = await Promise.all(Array.from({ length: ACCOUNT_LIMIT * 2 }, () => a.signIn(name, WRONG)));
    const status = answers.map((r) => r.status).sort();
    assert.deepEqual(status, [...Array<number>(ACCOUNT_LIMIT).fill(400), ...Array<number>(ACCOUNT_LIMIT).fill(429)]);
  });

  it('still checks the CSRF token first: a forged post is 403 and counts for nothing', async () => {
    const a = newApp({ throttle: { perAccount: { maxFailures: 1, windowMs: MINUTE } } });
    const name = s.users.viewer.user.name;
    for (let i = 0; i < 3; i++) {
      const res = await a.app.request('/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name, password: WRONG }),
      });
      assert.equal(res.status, 403);
    }
    assert.equal((await a.signIn(name, PASSWORD)).status, 303);
  });
});

describe('sign-in throttle', () => {
  const t0 = new Date('2026-11-28T12:00:00.000Z');
  const plus = (ms: number): Date => new Date(t0.getTime() + ms);

  it('is a sliding window: one more attempt each time the oldest failure leaves it', () => {
    const throttle = createSignInThrottle({ perAccount: { maxFailures: 3, windowMs: 10 * MINUTE } });
    for (const m of [0, 2, 4]) assert.equal(throttle.begin('ana', '192.0.2.1', plus(m * MINUTE)).kind, 'allowed');
    assert.deepEqual(throttle.begin('ana', '192.0.2.1', plus(5 * MINUTE)), { kind: 'refused', retryAfterSeconds: 300 });
    assert.deepEqual(throttle.begin('ana', '192.0.2.1', plus(10 * MINUTE - 1)), { kind: 'refused', retryAfterSeconds: 1 });
    assert.equal(throttle.begin('ana', '192.0.2.1', plus(10 * MINUTE)).kind, 'allowed', 'the failure at 0 has left');
    assert.deepEqual(throttle.begin('ana', '192.0.2.1', plus(11 * MINUTE)), { kind: 'refused', retryAfterSeconds: 60 });
    assert.equal(throttle.begin('bob', '192.0.2.1', plus(11 * MINUTE)).kind, 'allowed', 'other names are not held back');
  });

  it('does not count refused attempts, so hammering does not extend the lock', () => {
    const throttle = createSignInThrottle({ perAccount: { maxFailures: 1, windowMs: MINUTE } });
    assert.equal(throttle.begin('ana', undefined, t0).kind, 'allowed');
    for (let s = 1; s < 60; s++) assert.equal(throttle.begin('ana', undefined, plus(s * 1000)).kind, 'refused');
    assert.equal(throttle.begin('ana', undefined, plus(MINUTE)).kind, 'allowed');
  });

  it('forgets the least recent keys first when a table is full, keeping memory bounded', () => {
    const throttle = createSignInThrottle({ perAccount: { maxFailures: 1, windowMs: MINUTE }, maxTracked: 2 });
    throttle.begin('a', undefined, t0);
    throttle.begin('b', undefined, plus(1));
    assert.equal(throttle.begin('a', '192.0.2.1', plus(2)).kind, 'refused');
    throttle.begin('c', undefined, plus(3));
    assert.equal(throttle.begin('b', undefined, plus(4)).kind, 'refused', 'b failed after a: kept');
    assert.equal(throttle.begin('c', undefined, plus(5)).kind, 'refused');
    assert.equal(throttle.begin('a', undefined, plus(6)).kind, 'allowed', 'a, the least recent, was forgotten');
  });

  it('refuses limits that would throttle nothing or everything', () => {
    assert.throws(() => createSignInThrottle({ perAccount: { maxFailures: 0, windowMs: MINUTE } }), RangeError);
    assert.throws(() => createSignInThrottle({ perAddress: { maxFailures: 3, windowMs: Number.NaN } }), RangeError);
    assert.throws(() => createSignInThrottle({ maxTracked: 0 }), RangeError);
  });

  it('keys addresses: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by /64, unknown together', () => {
    assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('2001:DB8:0:0:1:2:3:4'), '2001:db8:0:0::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey(undefined), 'unknown');
    assert.equal(addressKey(''), 'unknown');
  });
});

describe('purge of expired sessions', () => {
  const opener = sqliteOpener();
  let store: TeamStore;
  const userId = `usr-purge-${newSecret().slice(0, 6)}`;
  before(async () => {
    store = await opener.open();
    await store.createUser({ id: userId, name: userId, role: 'viewer', passwordHash: 'x', created: TEST_NOW.toISOString() });
  });
  after(async () => {
    await store?.close();
    opener.cleanup();
  });

  const at = (minutes: number): string => new Date(TEST_NOW.getTime() + minutes * MINUTE).toISOString();
  /** Creates a session expiring at `expiresMinutes` after TEST_NOW; returns its id hash. */
  const session = async (expiresMinutes: number): Promise<string> => {
    const idHash = sha256Hex(newSecret());
    await store.createSession({ idHash, userId, csrfToken: newSecret(), created: at(-60), expires: at(expiresMinutes) });
    return idHash;
  };
  const isStored = async (idHash: string): Promise<boolean> => (await store.findSession(idHash, at(-30))) !== undefined;

  /** A `Repeat` that runs only when the test says so. */
  const manualRepeat = (): { repeat: Repeat; tick: () => void; everyMs: () => number | undefined; cancelled: () => boolean } => {
    let run: (() => void) | undefined;
    let every: number | undefined;
    let cancelled = false;
    return {
      repeat: (r, ms) => {
        run = r;
        every = ms;
        return { cancel: () => (cancelled = true) };
      },
      tick: () => run?.(),
      everyMs: () => every,
      cancelled: () => cancelled,
    };
  };

  it('purges at start and on each tick, as of the clock, keeping live sessions', async () => {
    const expired = await session(-1);
    const endsNow = await session(0);
    const live = await session(30);
    let clock = TEST_NOW.getTime();
    const timer = manualRepeat();
    const purge = startSessionPurge({ store, now: () => new Date(clock), repeat: timer.repeat });
    assert.equal(timer.everyMs(), 3600_000, 'hourly by default');
    await purge.stop();
    assert.equal(timer.cancelled(), true);
    assert.deepEqual([await isStored(expired), await isStored(endsNow), await isStored(live)], [false, false, true]);

    const again = startSessionPurge({ store, now: () => new Date(clock), repeat: timer.repeat, everyMs: 10 * MINUTE });
    clock += 30 * MINUTE;
    timer.tick();
    await again.stop();
    assert.equal(await isStored(live), false, 'purged on the tick once expired');
  });

  it('reports a failed purge and tries again on the next tick; a tick during a purge is skipped', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    let release: () => void = () => {};
    const failing: Pick<TeamStore, 'deleteExpiredSessions'> = {
      deleteExpiredSessions: async () => {
        calls++;
        if (calls === 1) throw new Error('database unavailable');
        await new Promise<void>((r) => {
          release = r;
        });
        return 0;
      },
    };
    const timer = manualRepeat();
    const purge = startSessionPurge({
      store: failing,
      now: () => TEST_NOW,
      repeat: timer.repeat,
      onError: (e) => errors.push(e),
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(calls, 1);
    assert.match(String(errors[0]), /database unavailable/);
    timer.tick();
    await new Promise((r) => setImmediate(r));
    timer.tick();
    await new Promise((r) => setImmediate(r));
    assert.equal(calls, 2, 'one purge at a time');
    let stopped = false;
    const stopping = purge.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(stopped, false, 'stop waits for the purge in progress');
    release();
    await stopping;
    timer.tick();
    await new Promise((r) => setImmediate(r));
    assert.equal(calls, 2, 'nothing runs after stop');
    await purge.stop();
  });

  it('uses a timer that does not keep the process alive', async () => {
    const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timeouts();
    const purge = startSessionPurge({ store, now: () => TEST_NOW });
    assert.equal(timeouts(), before, 'no referenced timer was added');
    await purge.stop();
  });
});
