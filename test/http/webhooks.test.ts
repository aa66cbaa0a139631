/**
 * Alerts end to end: an admin registers a webhook through the API, an analyst's evidence
 * changes a benchmark, and a real receiver gets the alert signed with the webhook's secret
 * (after a first failed attempt that is retried); every attempt is recorded.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createWebhookDispatcher, verifySignature } from '../../src/adapters/webhooks/webhook-delivery.ts';
import { jsonInit, newEvidence, sqliteOpener, startTestServer, type TestServer } from './support.ts';

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

describe('alerts reach registered webhooks, signed', () => {
  const opener = sqliteOpener();
  const received: Received[] = [];
  let calls = 0;
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(503).end();
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  let s: TestServer;
  let dispatcher: ReturnType<typeof createWebhookDispatcher>;
  let receiverUrl = '';

  before(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    let store: Parameters<typeof createWebhookDispatcher>[0]['store'] | undefined;
    const lazy = {
      webhooks: () => (store as NonNullable<typeof store>).webhooks(),
      recordDelivery: (d: Parameters<NonNullable<typeof store>['recordDelivery']>[0]) =>
        (store as NonNullable<typeof store>).recordDelivery(d),
    };
    dispatcher = createWebhookDispatcher({ store: lazy, baseDelayMs: 20, maxAttempts: 3 });
    s = await startTestServer(opener.open, { alerts: dispatcher, allowPrivateWebhooks: true });
    store = s.store;
  });
  after(async () => {
    await dispatcher.close();
    await s.close();
    receiver.close();
    opener.cleanup();
  });

  it('registers, delivers after a retry, and records both attempts', async () => {
    const created = await s.request('/api/webhooks', jsonInit('POST', { url: receiverUrl }, 'admin'));
    assert.equal(created.status, 201);
    const hook = (await created.json()) as { id: string; secret: string };
    assert.ok(hook.secret.length >= 32);
    const listed = (await (await s.request('/api/webhooks', { as: 'admin' })).json()) as Record<string, unknown>[];
    assert.deepEqual(
      listed.map((h) => h.id),
      [hook.id],
    );
    assert.ok(!JSON.stringify(listed).includes(hook.secret), 'the secret is shown once only');

    const res = await s.request(
      '/api/cases/us-pakistan/evidence',
      jsonInit(
        'POST',
        newEvidence('ev-hook-azhar', {
          kind: 'conviction',
          actors: ['masood-azhar', 'pakistan'],
          description: 'Hypothetical test entry: Masood Azhar convicted and imprisoned.',
          occurred: '2025-01-10',
          reported: '2025-01-10',
        }),
        'analyst',
      ),
    );
    assert.equal(res.status, 201);
    const { alerts } = (await res.json()) as { alerts: { seq: number; subject: string }[] };
    assert.ok(alerts.length > 0);
    await dispatcher.idle();

    assert.equal(received.length, alerts.length, 'each alert delivered once');
    for (const r of received) {
      const timestamp = String(r.headers['x-proviso-timestamp']);
      const signature = String(r.headers['x-proviso-signature']);
      assert.ok(verifySignature(hook.secret, timestamp, r.body, signature), 'signed with the webhook secret');
      assert.ok(!verifySignature('another secret', timestamp, r.body, signature));
      const payload = JSON.parse(r.body) as { type: string; alert: { subject: string; evidenceIds: string[] } };
      assert.equal(payload.type, 'proviso.alert');
      assert.deepEqual(payload.alert.evidenceIds, ['ev-hook-azhar']);
    }
    assert.ok(
      received.some((r) => (JSON.parse(r.body) as { alert: { subject: string } }).alert.subject === 'let-jem-leaders-imprisoned'),
    );
    const all = await s.store.deliveries();
    assert.equal(all.filter((d) => !d.ok).length, 1, 'one failed attempt (the receiver’s first answer)');
    for (const a of alerts) {
      const attempts = all.filter((d) => d.alertSeq === a.seq).sort((x, y) => x.attempt - y.attempt);
      assert.equal(attempts.at(-1)?.ok, true, `alert ${a.seq} delivered`);
      if (attempts.length === 2)
        assert.deepEqual(
          attempts.map((d) => [d.attempt, d.status, d.ok]),
          [
            [1, 503, false],
            [2, 204, true],
          ],
        );
      else
        assert.deepEqual(
          attempts.map((d) => [d.attempt, d.status]),
          [[1, 204]],
        );
    }
    const audit = await s.store.audit({ action: 'webhook.add' });
    assert.deepEqual(audit.at(-1)?.ids, [hook.id]);
  });
});
