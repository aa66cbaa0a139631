/**
 * Errors are mapped once (app.onError): every failure answers the core error envelope with
 * the status its code fixes; request problems carry a code, a path and a message; an
 * unexpected exception is logged and answered 500 `internal` with nothing of it leaked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StoreBusyError } from '../../src/ports/event-store.ts';
import type { TeamStore } from '../../src/ports/team-store.ts';
import { jsonInit, newEvidence, sqliteOpener, startTestServer, type TestServer } from './support.ts';

const CASE = 'us-pakistan';

interface Envelope {
  error: { code: string; message: string; problems?: { code: string; path?: string; message: string }[] };
}

/** The store, with `alerts` broken the way a lost database connection breaks it. */
function withBrokenAlerts(store: TeamStore): TeamStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'alerts')
        return async () => Promise.reject(new Error('connection to db.internal:5432 lost\n    at secret.ts:1'));
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const sqlite = sqliteOpener();
const logged: unknown[] = [];
let s: TestServer;

before(async () => {
  s = await startTestServer(async () => withBrokenAlerts(await sqlite.open()), { logError: (err) => logged.push(err) });
});
after(async () => {
  await s.close();
  sqlite.cleanup();
});

async function envelope(res: Response, status: number): Promise<Envelope['error']> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return (JSON.parse(text) as Envelope).error;
}

describe('errors', () => {
  it('answers an unexpected exception with 500 internal, logs it, and leaks nothing of it', async () => {
    const res = await s.request('/api/alerts', { as: 'viewer' });
    const text = await res.clone().text();
    const error = await envelope(res, 500);
    assert.equal(error.code, 'internal');
    assert.doesNotMatch(text, /db\.internal|secret\.ts|stack|at /);
    assert.equal(logged.length, 1);
    assert.match(String(logged[0]), /connection to db\.internal/);
  });

  it('gives each request problem a code, the parameter or field path and a message', async () => {
    const asOf = await envelope(await s.request(`/api/cases/${CASE}/assessment?asOf=2023-02-30`, { as: 'viewer' }), 400);
    assert.equal(asOf.code, 'invalid-request');
    assert.deepEqual(
      asOf.problems?.map((p) => [p.code, p.path]),
      [['custom', 'asOf']],
    );
    const limit = await envelope(await s.request(`/api/cases/${CASE}/evidence?limit=many`, { as: 'viewer' }), 400);
    assert.deepEqual(
      limit.problems?.map((p) => [p.code, p.path]),
      [['invalid-format', 'limit']],
    );
    const order = await envelope(
      await s.request(`/api/cases/${CASE}/history?from=2024-01-01&to=2023-01-01`, { as: 'viewer' }),
      400,
    );
    assert.deepEqual(
      order.problems?.map((p) => [p.code, p.path]),
      [['bad-date', 'from']],
    );
  });

  it('places evidence problems in the body, under entries.N in a batch, each with a code', async () => {
    const single = await envelope(
      await s.request(
        `/api/cases/${CASE}/evidence`,
        jsonInit('POST', newEvidence('ev-err-1', { actors: ['atlantis'] }), 'analyst'),
      ),
      400,
    );
    assert.deepEqual(
      single.problems?.map((p) => p.path),
      ['actors.0'],
    );
    const batch = await envelope(
      await s.request(
        `/api/cases/${CASE}/evidence`,
        jsonInit(
          'POST',
          { entries: [newEvidence('ev-err-2'), 'not an item', newEvidence('ev-err-3', { occurred: 'soon' })] },
          'analyst',
        ),
      ),
      400,
    );
    assert.deepEqual(batch.problems?.map((p) => p.path).sort(), ['entries.1', 'entries.2.occurred']);
    for (const p of [...(single.problems ?? []), ...(batch.problems ?? [])]) {
      assert.match(p.code, /^[a-z]+(-[a-z]+)*$/, JSON.stringify(p));
      assert.ok(p.message.length > 0);
    }
  });

  it('answers a body that is not JSON with a syntax problem, and a body of another media type with 415', async () => {
    const broken = await envelope(
      await s.request(`/api/cases/${CASE}/evidence`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"id":',
        as: 'analyst',
      }),
      400,
    );
    assert.deepEqual(
      broken.problems?.map((p) => [p.code, p.path]),
      [['syntax', '']],
    );
    const text = await envelope(
      await s.request(`/api/cases/${CASE}/evidence`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: 'id: ev-1',
        as: 'analyst',
      }),
      415,
    );
    assert.equal(text.code, 'unsupported-media-type');
  });

  it('says who may not do what: 401 with WWW-Authenticate, 403 naming the action', async () => {
    const anon = await s.request('/api/me');
    assert.match(anon.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal((await envelope(anon, 401)).code, 'unauthenticated');
    const viewer = await envelope(await s.request('/api/audit', { as: 'viewer' }), 403);
    assert.equal(viewer.code, 'forbidden');
    assert.match(viewer.message, /audit\.read/);
  });
});

describe('a busy event store', () => {
  it('answers 503 unavailable, not 500, when another process holds the store', async () => {
    const busy = sqliteOpener();
    const server = await startTestServer(() => busy.open(), {
      queryEvents: async () => {
        throw new StoreBusyError('.proviso/events.duckdb is being written by another process (PID 42); waited 600 s for it.');
      },
    });
    try {
      const error = await envelope(await server.request('/api/events?actor1=USA', { as: 'viewer' }), 503);
      assert.equal(error.code, 'unavailable');
      assert.match(error.message, /busy.*PID 42/);
    } finally {
      await server.close();
      busy.cleanup();
    }
  });
});
