/**
 * `proviso serve`'s worker pool, started with the server and stopped with it
 * (src/cli/serve-command.ts `startServer`): once the server says it is listening, every
 * worker has started and holds the case's ledger, so the first heavy request neither starts
 * a worker nor ships a ledger; stopping the server terminates the workers and refuses
 * further work. What a warm start saves is measured, not asserted (see the diagnostics).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { realEffects, realServerEffects } from '../../src/cli/main.ts';
import { type RunningServer, startServer } from '../../src/cli/serve-command.ts';
import { newApiToken, sha256Hex } from '../../src/http/auth.ts';
import { WorkRefusedError } from '../../src/http/workers/work-pool.ts';

const CASE = 'us-pakistan';

/** A token of a new viewer named `name` in the server's store. */
async function viewerToken(server: RunningServer, name: string): Promise<string> {
  const at = new Date().toISOString();
  const created = await server.store.createUser({ id: `usr-${name}`, name, role: 'viewer', passwordHash: 'x', created: at });
  assert.ok(created.ok);
  const token = newApiToken();
  await server.store.createToken({
    id: `tok-${name}`,
    userId: created.value.id,
    name: 'test',
    tokenHash: sha256Hex(token),
    created: at,
  });
  return token;
}

describe('proviso serve starts its workers with the server and stops them with it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'proviso-serve-warm-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers the first heavy request from workers started and shipped the ledger at start', async (t) => {
    const effects = realServerEffects({ ...realEffects(), stdout: () => {}, stderr: () => {} });
    const server = await startServer({ port: '0', store: dir, workers: '2', queue: '4', jobTimeout: '20' }, effects);
    let stopped = false;
    try {
      const { pool } = server;
      assert.deepEqual(
        { size: pool.limits.size, queueLimit: pool.limits.queueLimit, timeoutMs: pool.limits.timeoutMs },
        { size: 2, queueLimit: 4, timeoutMs: 20_000 },
        'the flags set the limits',
      );
      const atStart = pool.counts;
      assert.equal(pool.workers, 2, 'both workers running before any request');
      assert.equal(atStart.started, 2);
      assert.equal(atStart.fullShipments, 2, 'each worker was shipped the ledger');
      assert.equal(pool.load.running, 0, 'and is idle');

      const token = await viewerToken(server, 'warm');
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/cases/${CASE}/brief?asOf=2023-03-03&format=md`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const ms = performance.now() - t0;
      assert.equal(res.status, 200);
      assert.match(await res.text(), /^# /m);
      t.diagnostic(`first heavy request (brief) after a warm start: ${ms.toFixed(0)} ms`);
      const afterFirst = pool.counts;
      assert.equal(afterFirst.started, atStart.started, 'no worker started for the request');
      assert.equal(afterFirst.fullShipments, atStart.fullShipments, 'no ledger shipped for the request');
      assert.equal(afterFirst.partialShipments, atStart.partialShipments);

      stopped = true;
      await server.stop(0);
      assert.equal(pool.workers, 0, 'the workers were terminated');
      await assert.rejects(
        pool.run({ kind: 'assessment', caseId: CASE, asOf: '2023-03-03' }, [], 'anyone'),
        (err: unknown) => err instanceof WorkRefusedError && err.reason === 'closed',
      );
    } finally {
      if (!stopped) await server.stop(0);
    }
  });

  it('answers a heavy request still computing when it stops with 503 busy, and does not wait for it', async (t) => {
    const effects = realServerEffects({ ...realEffects(), stdout: () => {}, stderr: () => {} });
    const server = await startServer({ port: '0', store: dir, workers: '1' }, effects);
    let stopped = false;
    try {
      const token = await viewerToken(server, 'closing');
      const answer = fetch(`${server.url}/api/cases/${CASE}/brief?asOf=2100-12-31&since=1900-01-01`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      while (server.pool.load.running === 0) await new Promise((r) => setTimeout(r, 5));
      const t0 = performance.now();
      stopped = true;
      await server.stop(0);
      t.diagnostic(`stopped in ${(performance.now() - t0).toFixed(0)} ms with a heavy request computing`);
      const res = await answer;
      assert.equal(res.status, 503);
      const body = (await res.json()) as { error: { code: string; details?: { reason?: string } } };
      assert.deepEqual([body.error.code, body.error.details?.reason], ['busy', 'closed']);
      assert.ok(res.headers.has('retry-after'));
      assert.equal(server.pool.workers, 0);
    } finally {
      if (!stopped) await server.stop(0);
    }
  });
});
