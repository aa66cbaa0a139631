/**
 * Heavy work in worker threads (src/http/heavy-work.ts, src/http/workers/): what the
 * server answers is byte for byte what the main thread computes with the same functions,
 * before and after a write (which ships only the new entry to the worker); and the pool's
 * limits are answered as the API says: 503 `busy` with `Retry-After` when the queue or a
 * caller's share is full, 504 `timeout` naming the limit, the stopped worker replaced.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/http/app.ts';
import { WorkPool, type WorkPoolOptions } from '../../src/http/workers/work-pool.ts';
import type { Role } from '../../src/ports/team-store.ts';
import { buildFullBrief } from '../../src/report/full-brief.ts';
import { renderHtmlBrief } from '../../src/report/html-brief.ts';
import { renderMarkdownBrief } from '../../src/report/markdown-brief.ts';
import { renderBenchmarkPage } from '../../src/web/benchmark-page.ts';
import { renderDashboardPage } from '../../src/web/dashboard-page.ts';
import { renderJustificationsPage } from '../../src/web/justifications-page.ts';
import type { PageContext } from '../../src/web/layout.ts';
import { REPO_ROOT } from '../support/cli-harness.ts';
import { jsonInit, newEvidence, type StoreOpener, sqliteOpener, startTestServer, type TestServer } from './support.ts';

const CASE = 'us-pakistan';

type Request = (path: string, as: Role, init?: RequestInit) => Promise<Response>;

interface PooledServer {
  readonly s: TestServer;
  readonly pool: WorkPool;
  readonly request: Request;
  close(): Promise<void>;
}

/** A test server whose app runs its heavy work in a pool made here, so that the test sees it. */
async function serverWithPool(open: StoreOpener, options: WorkPoolOptions): Promise<PooledServer> {
  const s = await startTestServer(open);
  const pool = new WorkPool(s.deps.cases.list(), options);
  const app = createApp({ ...s.deps, heavyWork: pool }, { packageRoot: REPO_ROOT, logError: () => {} });
  const request: Request = (path, as, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${s.users[as].token}`);
    return Promise.resolve(app.request(path, { ...init, headers }));
  };
  return {
    s,
    pool,
    request,
    close: async () => {
      await pool.close();
      await s.close();
    },
  };
}

const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;

describe('heavy work in worker threads', () => {
  const stores = sqliteOpener();
  let server: PooledServer;

  before(async () => {
    server = await serverWithPool(stores.open, { size: 1 });
  });
  after(async () => {
    await server.close();
    stores.cleanup();
  });

  /** What the main thread computes for a request, with the functions the routes called before workers. */
  async function mainThread(path: string, as: Role): Promise<string> {
    const { s } = server;
    const url = new URL(path, 'http://x');
    const q = (k: string) => url.searchParams.get(k) ?? undefined;
    const served = s.deps.cases.get(CASE);
    assert.ok(served);
    const entries = await s.deps.cases.entries(CASE);
    const inputs = { series: served.series, coverage: served.coverage };
    const asOf = q('asOf') ?? s.deps.now().toISOString().slice(0, 10);
    const ctx: PageContext = {
      user: { name: s.users[as].user.name, role: s.users[as].user.role },
      csrfToken: '',
      ...(q('asOf') === undefined ? {} : { asOf }),
    };
    if (url.pathname.endsWith('/assessment')) return s.deps.cases.assessmentJson(CASE, asOf, q('recordedBy'));
    if (url.pathname.endsWith('/history')) {
      const step = (q('step') ?? 'month') as 'month';
      return JSON.stringify(await s.deps.cases.history(CASE, q('from') ?? '', q('to') ?? asOf, step, q('recordedBy')));
    }
    if (url.pathname.endsWith('/brief')) {
      const model = buildFullBrief(served.case, entries, asOf, q('since'), inputs);
      return q('format') === 'md' ? renderMarkdownBrief(model) : renderHtmlBrief(model);
    }
    if (url.pathname === `/cases/${CASE}`) {
      const alerts = (await s.store.alerts({ caseId: CASE })).slice(-50);
      const brief = buildFullBrief(served.case, entries, asOf, undefined, inputs);
      return renderDashboardPage(ctx, { case: served.case, brief, alerts });
    }
    if (url.pathname.endsWith('/justifications'))
      return renderJustificationsPage(ctx, { case: served.case, assessment: await s.deps.cases.assessment(CASE, asOf) });
    const benchmark = /\/benchmarks\/([^/]+)$/.exec(url.pathname)?.[1];
    assert.ok(benchmark !== undefined, `no main-thread counterpart for ${path}`);
    const result = (await s.deps.cases.assessment(CASE, asOf)).benchmarks.find((b) => b.id === benchmark);
    assert.ok(result);
    return renderBenchmarkPage(ctx, { case: served.case, result, asOf, ledger: entries });
  }

  const REQUESTS: readonly string[] = [
    `/api/cases/${CASE}/assessment?asOf=2023-03-03`,
    `/api/cases/${CASE}/assessment`,
    `/api/cases/${CASE}/assessment?asOf=2100-12-31`,
    `/api/cases/${CASE}/assessment?asOf=1900-01-01`,
    `/api/cases/${CASE}/assessment?asOf=2023-03-03&recordedBy=2020-01-01`,
    // The longest history the limits allow (600 points), and others.
    `/api/cases/${CASE}/history?from=2051-01-01&to=2100-12-01&step=month`,
    `/api/cases/${CASE}/history?from=2015-01-01&to=2023-12-31&step=quarter`,
    `/api/cases/${CASE}/history?from=1990-01-01&to=2023-03-03&step=year&recordedBy=2026-01-01`,
    `/api/cases/${CASE}/brief?asOf=2023-03-03&since=2022-01-01`,
    `/api/cases/${CASE}/brief?asOf=2100-12-31&format=md`,
    `/api/cases/${CASE}/brief?asOf=2100-12-31&since=1900-01-01`,
    `/cases/${CASE}?asOf=2023-03-03`,
    `/cases/${CASE}`,
    `/cases/${CASE}/justifications?asOf=2019-06-30`,
    `/cases/${CASE}/benchmarks/let-chief-in-custody?asOf=2023-03-03`,
  ];

  async function assertSameAsMainThread(as: Role): Promise<void> {
    for (const path of REQUESTS) {
      const res = await server.request(path, as);
      assert.equal(res.status, 200, path);
      const got = Buffer.from(await res.arrayBuffer());
      const expected = Buffer.from(await mainThread(path, as));
      assert.ok(got.equals(expected), `${path}: the worker's answer differs from the main thread's`);
    }
  }

  it('answers byte for byte what the main thread computes', async () => {
    await assertSameAsMainThread('viewer');
    assert.equal(server.pool.counts.fullShipments, 1, 'the ledger went to the worker once');
  });

  it('after a write, ships the worker only the new entry, and still answers as the main thread', async () => {
    const before = server.pool.counts;
    const res = await server.request(`/api/cases/${CASE}/evidence`, 'analyst', jsonInit('POST', newEvidence('ev-heavy-1')));
    assert.equal(res.status, 201);
    await assertSameAsMainThread('analyst');
    const now = server.pool.counts;
    assert.equal(now.fullShipments, before.fullShipments, 'no whole ledger shipped again');
    assert.equal(now.partialShipments, before.partialShipments + 1);
    assert.equal(now.entriesShipped, before.entriesShipped + 1);
    assert.equal(now.started, 1, 'one worker all along');
  });

  it('answers a benchmark the case does not have with the 404 page', async () => {
    const res = await server.request(`/cases/${CASE}/benchmarks/no-such-benchmark`, 'viewer');
    assert.equal(res.status, 404);
    assert.match(await res.text(), /has no benchmark “no-such-benchmark”/);
  });
});

describe('limits of the heavy work', () => {
  const stores = sqliteOpener();
  after(() => stores.cleanup());

  it('refuses a job beyond the queue with 503 busy and Retry-After, naming the limit', async () => {
    const s = await startTestServer(stores.open, { heavyWork: { size: 1, queueLimit: 1, perCallerLimit: 10 } });
    try {
      // One runs (its worker starting), one waits, the third finds the queue full.
      const paths = ['2051-01-01', '2052-01-01', '2053-01-01'].map(
        (from) => `/api/cases/${CASE}/history?from=${from}&to=2100-12-01&step=month`,
      );
      const answers = await Promise.all(paths.map((p) => s.request(p, { as: 'viewer' })));
      assert.deepEqual(answers.map((r) => r.status).sort(), [200, 200, 503]);
      const refused = answers.find((r) => r.status === 503) as Response;
      assert.match(refused.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/);
      const error = await errorOf(refused);
      assert.equal(error.code, 'busy');
      assert.deepEqual({ reason: error.details?.reason, limit: error.details?.limit }, { reason: 'queue-full', limit: 1 });
      assert.match(error.message, /1 heavy requests are already waiting/);
    } finally {
      await s.close();
    }
  });

  it('holds one caller to its share and serves the others meanwhile', async () => {
    const s = await startTestServer(stores.open, { heavyWork: { size: 1, queueLimit: 10, perCallerLimit: 1 } });
    try {
      const [first, second, other] = await Promise.all([
        s.request(`/api/cases/${CASE}/brief?asOf=2100-12-31`, { as: 'viewer' }),
        s.request(`/api/cases/${CASE}/brief?asOf=2100-12-30`, { as: 'viewer' }),
        s.request(`/api/cases/${CASE}/brief?asOf=2100-12-29`, { as: 'analyst' }),
      ]);
      assert.deepEqual([first?.status, second?.status].sort(), [200, 503]);
      assert.equal(other?.status, 200, 'another user is not refused for the viewer’s share');
      const refused = (first?.status === 503 ? first : second) as Response;
      const error = await errorOf(refused);
      assert.equal(error.code, 'busy');
      assert.equal(error.details?.reason, 'caller-limit');
      assert.ok(refused.headers.has('retry-after'));
      // A browser asking for two pages at once: the second gets an error page with the same status.
      const pages = await Promise.all([
        s.request(`/cases/${CASE}?asOf=2100-12-31`, { as: 'viewer' }),
        s.request(`/cases/${CASE}?asOf=2100-12-30`, { as: 'viewer' }),
      ]);
      const busyPage = pages.find((r) => r.status === 503);
      assert.ok(busyPage, 'one of two pages at once is refused');
      assert.match(busyPage.headers.get('content-type') ?? '', /^text\/html/);
      assert.ok(busyPage.headers.has('retry-after'));
      assert.match(await busyPage.text(), /heavy requests waiting or running/);
    } finally {
      await s.close();
    }
  });

  it('stops a job over the time limit with 504 timeout naming the limit, and replaces the worker', async () => {
    const { pool, request, close } = await serverWithPool(stores.open, { size: 1, timeoutMs: 1 });
    try {
      const worst = `/api/cases/${CASE}/history?from=2051-01-01&to=2100-12-01&step=month`;
      const res = await request(worst, 'viewer');
      assert.equal(res.status, 504);
      const error = await errorOf(res);
      assert.equal(error.code, 'timeout');
      assert.deepEqual(error.details, { limitMs: 1 });
      assert.match(error.message, /time limit of 1 ms/);
      // Nothing of the stopped job is kept: the same request runs again, on a new worker.
      assert.equal((await request(worst, 'viewer')).status, 504);
      assert.equal(pool.counts.timedOut, 2);
      assert.equal(pool.counts.started, 2, 'the stopped worker was replaced');
    } finally {
      await close();
    }
  });
});
