/**
 * Webhook delivery against a real local HTTP receiver: retries, give-ups, signatures,
 * backoff and shutdown.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, describe, it } from 'node:test';
import {
  alertPayload,
  backoffDelay,
  createWebhookDispatcher,
  signPayload,
  verifySignature,
  type WebhookDispatcherDeps,
} from '../src/adapters/webhooks/webhook-delivery.ts';
import type { AlertRecord, DeliveryInput, Webhook } from '../src/ports/team-store.ts';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Receiver {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

const servers: Server[] = [];

/** A receiver answering the statuses in turn (the last one from then on); `hang` never answers. */
async function startReceiver(statuses: readonly (number | 'hang')[]): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = statuses[Math.min(received.length, statuses.length) - 1] ?? 200;
      if (status === 'hang') return;
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`answer ${status}`);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL nothing listens on: a port that was just freed. */
async function unreachableUrl(): Promise<string> {
  const r = await startReceiver([200]);
  await r.close();
  return r.url;
}

afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});
after(() => {
  for (const s of servers) s.close();
});

function fakeStore(hooks: Webhook[]) {
  const deliveries: DeliveryInput[] = [];
  const listeners: (() => unknown)[] = [];
  return {
    deliveries,
    /** Resolves once `n` deliveries are recorded. */
    recorded: (n: number) =>
      new Promise<void>((resolve) => {
        const check = (): boolean => {
          if (deliveries.length < n) return false;
          resolve();
          return true;
        };
        if (!check()) listeners.push(check);
      }),
    store: {
      webhooks: async () => [...hooks],
      recordDelivery: async (d: DeliveryInput) => {
        deliveries.push(d);
        for (const l of listeners) l();
      },
    },
  };
}

const SECRET = 'whsec-test-secret';
const NOW = new Date('2026-11-28T12:00:00.000Z');
const NOW_SECONDS = String(NOW.getTime() / 1000);

function hook(id: string, url: string, secret = SECRET): Webhook {
  return { id, url, secret, created: '2026-11-01T00:00:00.000Z' };
}

function alert(seq: number): AlertRecord {
  return {
    seq,
    caseId: 'us-pakistan',
    kind: 'benchmark-status',
    subject: 'let-jem-leaders-imprisoned',
    from: 'not-met',
    to: 'pending',
    asOf: '2026-11-28',
    evidenceIds: ['ev-test-azhar-imprisoned'],
    actor: 'ana',
    at: '2026-11-28T12:00:00.000Z',
  };
}

function dispatcherFor(store: WebhookDispatcherDeps['store'], extra: Partial<WebhookDispatcherDeps> = {}) {
  const delays: number[] = [];
  const dispatcher = createWebhookDispatcher({
    store,
    now: () => NOW,
    sleep: async (ms) => {
      delays.push(ms);
    },
    onError: (e) => assert.fail(`unexpected infrastructure error: ${String(e)}`),
    ...extra,
  });
  return { dispatcher, delays };
}

const summary = (ds: readonly DeliveryInput[]) => ds.map((d) => `${d.alertSeq}/${d.webhookId} #${d.attempt} ${d.status} ${d.ok}`);

describe('webhook delivery', () => {
  it('retries a receiver that fails twice with 500, then records the delivery; the signature verifies', async () => {
    const receiver = await startReceiver([500, 500, 200]);
    const { store, deliveries } = fakeStore([hook('hook-a', receiver.url)]);
    const { dispatcher, delays } = dispatcherFor(store, { random: () => 0.5 });
    dispatcher.dispatch([alert(7)]);
    await dispatcher.idle();

    assert.deepEqual(summary(deliveries), ['7/hook-a #1 500 false', '7/hook-a #2 500 false', '7/hook-a #3 200 true']);
    assert.deepEqual(
      deliveries.map((d) => [d.at, d.error]),
      [
        ['2026-11-28T12:00:00.000Z', 'HTTP 500'],
        ['2026-11-28T12:00:00.000Z', 'HTTP 500'],
        ['2026-11-28T12:00:00.000Z', undefined],
      ],
    );
    assert.deepEqual(delays, [750, 1500]);
    assert.equal(receiver.received.length, 3);
    for (const r of receiver.received) {
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.headers['x-proviso-event'], 'alert');
      assert.equal(r.headers['x-proviso-delivery'], '7-hook-a');
      assert.equal(r.headers['x-proviso-timestamp'], NOW_SECONDS);
      assert.deepEqual(JSON.parse(r.body), { type: 'proviso.alert', alert: alert(7) });
      assert.equal(r.body, alertPayload(alert(7)));
      const signature = String(r.headers['x-proviso-signature']);
      assert.match(signature, /^sha256=[0-9a-f]{64}$/);
      assert.ok(verifySignature(SECRET, NOW_SECONDS, r.body, signature), 'verifies with the secret');
      assert.ok(!verifySignature('another-secret', NOW_SECONDS, r.body, signature), 'fails with another secret');
      assert.ok(!verifySignature(SECRET, String(Number(NOW_SECONDS) + 1), r.body, signature), 'fails with another timestamp');
      assert.ok(!verifySignature(SECRET, NOW_SECONDS, r.body.replace('pending', 'met'), signature), 'fails on a changed body');
    }
  });

  it('does not retry a 400', async () => {
    const receiver = await startReceiver([400]);
    const { store, deliveries } = fakeStore([hook('hook-a', receiver.url)]);
    const { dispatcher, delays } = dispatcherFor(store);
    dispatcher.dispatch([alert(1)]);
    await dispatcher.idle();
    assert.deepEqual(summary(deliveries), ['1/hook-a #1 400 false']);
    assert.equal(deliveries[0]?.error, 'HTTP 400');
    assert.deepEqual(delays, []);
    assert.equal(receiver.received.length, 1);
  });

  it('retries 408 and 429 like server errors', async () => {
    const receiver = await startReceiver([429, 408, 204]);
    const { store, deliveries } = fakeStore([hook('hook-a', receiver.url)]);
    const { dispatcher } = dispatcherFor(store);
    dispatcher.dispatch([alert(2)]);
    await dispatcher.idle();
    assert.deepEqual(summary(deliveries), ['2/hook-a #1 429 false', '2/hook-a #2 408 false', '2/hook-a #3 204 true']);
  });

  it('gives up on an unreachable URL after maxAttempts attempts with status 0, backing off more each time', async () => {
    const { store, deliveries } = fakeStore([hook('hook-down', await unreachableUrl())]);
    const { dispatcher, delays } = dispatcherFor(store);
    dispatcher.dispatch([alert(3)]);
    await dispatcher.idle();
    assert.deepEqual(
      summary(deliveries),
      [1, 2, 3, 4, 5].map((n) => `3/hook-down #${n} 0 false`),
    );
    for (const d of deliveries) assert.match(d.error ?? '', /ECONNREFUSED/);
    // Equal jitter: attempt n waits between half and all of 1000 × 2^(n−1) ms.
    assert.equal(delays.length, 4);
    delays.forEach((d, i) => {
      const ceiling = 1000 * 2 ** i;
      assert.ok(d >= ceiling / 2 && d <= ceiling, `delay ${i + 1} = ${d}`);
      if (i > 0) assert.ok(d >= (delays[i - 1] ?? 0), `delays grow: ${delays.join(', ')}`);
    });
  });

  it('times out a receiver that never answers and records it as no response', async () => {
    const receiver = await startReceiver(['hang']);
    const { store, deliveries } = fakeStore([hook('hook-slow', receiver.url)]);
    const { dispatcher } = dispatcherFor(store, { timeoutMs: 150, maxAttempts: 2 });
    dispatcher.dispatch([alert(4)]);
    await dispatcher.idle();
    assert.deepEqual(summary(deliveries), ['4/hook-slow #1 0 false', '4/hook-slow #2 0 false']);
    assert.equal(deliveries[0]?.error, 'no response within 150 ms');
  });

  it('delivers every alert to every webhook, in the background, each signed with its own secret', async () => {
    const a = await startReceiver([200]);
    const b = await startReceiver([200]);
    const { store, deliveries } = fakeStore([hook('a', a.url, 'secret-a'), hook('b', b.url, 'secret-b')]);
    const { dispatcher } = dispatcherFor(store);
    dispatcher.dispatch([alert(10), alert(11)]);
    assert.equal(deliveries.length, 0, 'dispatch returns before delivering');
    await dispatcher.idle();
    assert.deepEqual(summary(deliveries).sort(), [
      '10/a #1 200 true',
      '10/b #1 200 true',
      '11/a #1 200 true',
      '11/b #1 200 true',
    ]);
    for (const [r, secret] of [
      [a, 'secret-a'],
      [b, 'secret-b'],
    ] as const) {
      assert.deepEqual(r.received.map((x) => JSON.parse(x.body).alert.seq).sort(), [10, 11]);
      for (const x of r.received) {
        const sig = String(x.headers['x-proviso-signature']);
        assert.ok(verifySignature(secret, String(x.headers['x-proviso-timestamp']), x.body, sig));
      }
    }
  });

  it('close() abandons waiting retries and resolves; later dispatches deliver nothing', async () => {
    const receiver = await startReceiver([503]);
    const { store, deliveries, recorded } = fakeStore([hook('hook-a', receiver.url)]);
    // The real sleep, with a delay long enough that only close() can end it.
    const dispatcher = createWebhookDispatcher({ store, now: () => NOW, baseDelayMs: 600_000 });
    dispatcher.dispatch([alert(5)]);
    await recorded(1);
    await new Promise((resolve) => setTimeout(resolve, 50)); // now waiting for the retry
    const started = Date.now();
    await dispatcher.close();
    assert.ok(Date.now() - started < 2000, 'close did not wait for the retry');
    dispatcher.dispatch([alert(6)]);
    await dispatcher.idle();
    assert.deepEqual(summary(deliveries), ['5/hook-a #1 503 false']);
    assert.equal(receiver.received.length, 1);
  });

  it('close() also ends a wait in an injected sleep that never resolves', async () => {
    const receiver = await startReceiver([500]);
    const { store, deliveries, recorded } = fakeStore([hook('hook-a', receiver.url)]);
    let sleeping = 0;
    const dispatcher = createWebhookDispatcher({
      store,
      now: () => NOW,
      sleep: () => {
        sleeping++;
        return new Promise<void>(() => {});
      },
    });
    dispatcher.dispatch([alert(9)]);
    await recorded(1);
    while (sleeping === 0) await new Promise((resolve) => setImmediate(resolve));
    await dispatcher.close();
    assert.deepEqual(summary(deliveries), ['9/hook-a #1 500 false']);
  });

  it('reports a store that fails to record, and goes on delivering', async () => {
    const receiver = await startReceiver([500, 200]);
    const errors: unknown[] = [];
    let calls = 0;
    const dispatcher = createWebhookDispatcher({
      store: {
        webhooks: async () => [hook('hook-a', receiver.url)],
        recordDelivery: async () => {
          calls++;
          throw new Error('database is locked');
        },
      },
      now: () => NOW,
      sleep: async () => {},
      onError: (e) => errors.push(e),
    });
    dispatcher.dispatch([alert(8)]);
    await dispatcher.idle();
    assert.equal(calls, 2);
    assert.equal(receiver.received.length, 2);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['database is locked', 'database is locked'],
    );
  });
});

describe('signatures and backoff', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256 (a known vector)', () => {
    // printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac key
    const expected = 'sha256=a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03';
    assert.equal(signPayload('key', 1700000000, '{"a":1}'), expected);
    assert.equal(signPayload('key', '1700000000', '{"a":1}'), expected);
  });

  it('rejects malformed signatures without throwing', () => {
    const sig = signPayload(SECRET, 1, 'body');
    assert.ok(verifySignature(SECRET, 1, 'body', sig));
    assert.ok(!verifySignature(SECRET, 1, 'body', ''));
    assert.ok(!verifySignature(SECRET, 1, 'body', sig.slice(7)));
    assert.ok(!verifySignature(SECRET, 1, 'body', `${sig}00`));
    assert.ok(!verifySignature(SECRET, 1, 'body', sig.toUpperCase()));
  });

  it('caps the backoff and keeps the jitter in the upper half', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 5000, () => 0)),
      [500, 1000, 2000, 2500, 2500, 2500],
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 5000, () => 0.999999)),
      [1000, 2000, 4000, 5000, 5000, 5000],
    );
  });

  it('validates its options at set-up', () => {
    const store = fakeStore([]).store;
    assert.throws(() => createWebhookDispatcher({ store, maxAttempts: 0 }), /maxAttempts/);
    assert.throws(() => createWebhookDispatcher({ store, timeoutMs: -1 }), /timeoutMs/);
  });
});
