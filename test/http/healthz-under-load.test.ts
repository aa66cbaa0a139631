/**
 * The server stays responsive while it does the heaviest work a client may ask for: with
 * two clients sending, back to back, the longest history the limits allow (600 monthly
 * points), the brief far in the future with changes since 1900 and the dashboard far in the
 * future (each a different request, so that no answer comes from the cache), `/healthz`
 * on the same server answers with p99 under 50 ms (issue 18). On one thread these requests
 * hold the event loop for hundreds of milliseconds each, so the bound fails unless the
 * work runs elsewhere (src/http/heavy-work.ts).
 *
 * A behaviour test over loopback sockets: the only timing assertion in the unit tests.
 */
import assert from 'node:assert/strict';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { sqliteOpener, startTestServer, type TestServer } from './support.ts';

const CASE = 'us-pakistan';
const SAMPLES = 600;
const P99_BOUND_MS = 50;

function get(agent: Agent, url: string, token?: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent, headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } }, (res) => {
      res.on('end', () => resolve({ status: (res as IncomingMessage).statusCode ?? 0, ms: performance.now() - started }));
      res.on('error', reject);
      res.resume();
    });
    req.on('error', reject);
    req.end();
  });
}

/** The worst requests, each one different: day `i` back from the end of the allowed range. */
function worst(i: number): string {
  const day = `2100-12-${String(28 - (i % 28)).padStart(2, '0')}`;
  const year = 2100 - Math.floor(i / 28);
  const asOf = `${year}${day.slice(4)}`;
  switch (i % 3) {
    case 0:
      return `/api/cases/${CASE}/history?from=${year - 49}-01-01&to=${year}-12-01&step=month&recordedBy=${asOf}`;
    case 1:
      return `/api/cases/${CASE}/brief?asOf=${asOf}&since=1900-01-01`;
    default:
      return `/cases/${CASE}?asOf=${asOf}`;
  }
}

describe('/healthz during the heaviest requests', () => {
  const stores = sqliteOpener();
  let s: TestServer;
  let server: { url: string; close: () => Promise<void> };

  before(async () => {
    s = await startTestServer(stores.open);
    server = await s.listen();
  });
  after(async () => {
    await server.close();
    await s.close();
    stores.cleanup();
  });

  it(`answers with p99 under ${P99_BOUND_MS} ms`, async () => {
    const heavyAgent = new Agent({ keepAlive: true });
    const probeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const token = s.users.viewer.token;
    // Warm up: the worker starts, and each kind of request runs once.
    for (let i = 0; i < 3; i += 1) assert.equal((await get(heavyAgent, server.url + worst(1000 + i), token)).status, 200);
    for (let i = 0; i < 20; i += 1) await get(probeAgent, `${server.url}/healthz`);

    let stop = false;
    let sent = 0;
    const heavy: number[] = [];
    const client = async (offset: number) => {
      for (let i = offset; !stop; i += 2) {
        sent += 1;
        const r = await get(heavyAgent, server.url + worst(i), token);
        assert.equal(r.status, 200, worst(i));
        heavy.push(r.ms);
      }
    };
    const clients = [client(0), client(1)];
    const probes: number[] = [];
    try {
      while (probes.length < SAMPLES) {
        const r = await get(probeAgent, `${server.url}/healthz`);
        assert.equal(r.status, 200);
        probes.push(r.ms);
        await new Promise((done) => setTimeout(done, 2));
      }
    } finally {
      stop = true;
      await Promise.all(clients);
      heavyAgent.destroy();
      probeAgent.destroy();
    }
    probes.sort((a, b) => a - b);
    const p = (q: number) => probes[Math.ceil(q * probes.length) - 1] as number;
    const summary = `healthz p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms, max ${p(1).toFixed(1)} ms over ${probes.length} probes; ${heavy.length} heavy requests answered meanwhile (median ${[...heavy].sort((a, b) => a - b)[Math.floor(heavy.length / 2)]?.toFixed(0)} ms)`;
    console.log(summary);
    assert.ok(sent >= 4, `the heavy clients kept the server busy (${sent} requests)`);
    assert.ok(p(0.99) < P99_BOUND_MS, summary);
  });
});
