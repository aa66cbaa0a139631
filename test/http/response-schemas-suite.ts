/**
 * Every answer of the API is what `/openapi.json` says it is: real requests on the reference
 * case (examples/us-pakistan) — reads, writes, and their errors — are answered with bodies
 * that the zod schema each route declares for that status parses to the very same value
 * (so a field the schema does not describe fails too), and with a media type the route
 * declares. Every route is exercised. Run against each store (api-sqlite.test.ts,
 * api-postgres.test.ts): what a store returns is answered as is.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { z } from '@hono/zod-openapi';
import { ErrorSchema } from '../../src/http/problems.ts';
import type { Role } from '../../src/ports/team-store.ts';
import { jsonInit, newEvidence, type StoreOpener, startTestServer, type TestServer } from './support.ts';

const CASE = 'us-pakistan';

interface DeclaredRoute {
  readonly method: string;
  readonly path: string;
  readonly responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

interface Call {
  readonly method: string;
  /** The route's path as the description writes it (`/api/cases/{caseId}`). */
  readonly route: string;
  readonly url: string;
  readonly init?: RequestInit & { as?: Role };
  readonly status: number;
}

function isZod(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && 'safeParse' in value;
}

/** Sends the call and checks its answer against the route's declared response. */
async function checkCall(s: TestServer, routes: readonly DeclaredRoute[], exercised: Set<string>, call: Call): Promise<unknown> {
  const res = await s.request(call.url, { as: 'admin', ...call.init, method: call.method });
  const text = await res.text();
  assert.equal(res.status, call.status, `${call.method} ${call.url}: ${text.slice(0, 500)}`);
  const route = routes.find((r) => r.method === call.method.toLowerCase() && r.path === call.route);
  assert.ok(route, `no route ${call.method} ${call.route} in the description`);
  exercised.add(`${route.method} ${route.path}`);
  const declared = route.responses[String(call.status)];
  assert.ok(declared, `${call.method} ${call.route} does not declare ${call.status}`);
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0] ?? '';
  const content = declared.content?.[mediaType];
  assert.ok(content, `${call.method} ${call.route} ${call.status} does not declare ${mediaType}`);
  if (mediaType !== 'application/json') return text;
  const schema = content.schema;
  assert.ok(isZod(schema), `${call.method} ${call.route} ${call.status}: not a zod schema`);
  const body: unknown = JSON.parse(text);
  const parsed = schema.safeParse(body);
  assert.ok(
    parsed.success,
    `${call.method} ${call.url} ${call.status}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 5), null, 2)}`,
  );
  assert.deepEqual(parsed.data, body, `${call.method} ${call.url}: a field the schema does not describe`);
  return body;
}

const get = (route: string, url: string, status = 200, as: Role = 'admin'): Call => ({
  method: 'GET',
  route,
  url,
  status,
  init: { as },
});
const send = (method: string, route: string, url: string, body: unknown, status: number, as: Role = 'admin'): Call => ({
  method,
  route,
  url,
  status,
  init: jsonInit(method, body, as),
});

export function runResponseSchemaSuite(name: string, open: StoreOpener): void {
  describe(`API responses against their declared schemas on ${name}`, () => {
    let s: TestServer;
    let routes: DeclaredRoute[];
    const exercised = new Set<string>();
    const check = (call: Call) => checkCall(s, routes, exercised, call);

    before(async () => {
      s = await startTestServer(open);
      routes = s.app.openAPIRegistry.definitions.flatMap((d) =>
        d.type === 'route' ? [d.route as unknown as DeclaredRoute] : [],
      );
    });
    after(async () => {
      await s.close();
    });

    it('answers reads of the reference case as described', async () => {
      await check(get('/api/me', '/api/me'));
      await check(get('/api/cases', '/api/cases'));
      await check(get('/api/cases/{caseId}', `/api/cases/${CASE}`));
      await check(get('/api/cases/{caseId}', '/api/cases/nope', 404));
      const page = (await check(get('/api/cases/{caseId}/evidence', `/api/cases/${CASE}/evidence?limit=500`))) as {
        items: { id: string }[];
        total: number;
      };
      assert.ok(page.total > 50, 'the reference ledger');
      for (const item of page.items.slice(0, 60)) {
        await check(get('/api/cases/{caseId}/evidence/{id}', `/api/cases/${CASE}/evidence/${item.id}`));
      }
      await check(get('/api/cases/{caseId}/evidence', `/api/cases/${CASE}/evidence?from=2023-02-30`, 400));
      for (const asOf of ['1998-06-30', '2010-06-30', '2018-01-31', '2023-03-03']) {
        await check(get('/api/cases/{caseId}/assessment', `/api/cases/${CASE}/assessment?asOf=${asOf}`));
      }
      await check(get('/api/cases/{caseId}/assessment', `/api/cases/${CASE}/assessment`));
      await check(get('/api/cases/{caseId}/assessment', `/api/cases/${CASE}/assessment?asOf=2023-02-30`, 400));
      const history = (await check(
        get('/api/cases/{caseId}/history', `/api/cases/${CASE}/history?from=1998-01-01&to=2024-12-31&step=quarter`),
      )) as { points: unknown[]; transitions: unknown[] };
      assert.ok(history.points.length > 100 && history.transitions.length > 0);
      await check(get('/api/cases/{caseId}/history', `/api/cases/${CASE}/history?from=2015-01-01&recordedBy=2026-11-28`));
      await check(get('/api/cases/{caseId}/history', `/api/cases/${CASE}/history?from=2024-01-01&to=2023-01-01`, 400));
      await check(get('/api/cases/{caseId}/brief', `/api/cases/${CASE}/brief?asOf=2023-03-03`));
      await check(get('/api/cases/{caseId}/brief', `/api/cases/${CASE}/brief?asOf=2023-03-03&format=md`));
      await check(get('/api/cases/{caseId}/brief', `/api/cases/${CASE}/brief?since=2024-01-01&asOf=2023-01-01`, 400));
      await check(get('/api/events', '/api/events?actor1=USA', 503));
      await check(get('/api/events', '/api/events?actor1=U', 400));
    });

    it('answers writes, and their refusals, as described', async () => {
      const evidence = `/api/cases/${CASE}/evidence`;
      await check(send('POST', '/api/cases/{caseId}/evidence', evidence, newEvidence('ev-schema-1'), 201));
      const raised = (await check(
        send(
          'POST',
          '/api/cases/{caseId}/evidence',
          evidence,
          newEvidence('ev-schema-azhar', {
            kind: 'conviction',
            actors: ['masood-azhar', 'pakistan'],
            description: 'Hypothetical test entry: Masood Azhar convicted and imprisoned.',
            occurred: '2025-01-10',
            reported: '2025-01-10',
          }),
          201,
        ),
      )) as { alerts: unknown[] };
      assert.ok(raised.alerts.length > 0, 'an alert, described too');
      await check(send('POST', '/api/cases/{caseId}/evidence', evidence, { entries: [newEvidence('ev-schema-2')] }, 201));
      await check(
        send('POST', '/api/cases/{caseId}/evidence', evidence, newEvidence('ev-schema-1', { description: 'changed' }), 409),
      );
      await check(send('POST', '/api/cases/{caseId}/evidence', evidence, newEvidence('ev-schema-bad', { occurred: 'x' }), 400));
      await check(send('POST', '/api/cases/{caseId}/evidence', evidence, newEvidence('ev-schema-v'), 403, 'viewer'));
      await check(
        send(
          'POST',
          '/api/cases/{caseId}/evidence/{id}/corrections',
          `${evidence}/ev-schema-1/corrections`,
          newEvidence('ev-schema-1-fix'),
          201,
        ),
      );
      await check(
        send(
          'POST',
          '/api/cases/{caseId}/evidence/{id}/retractions',
          `${evidence}/ev-schema-1-fix/retractions`,
          { id: 'ev-schema-1-gone', description: 'Withdrawn', reported: '2026-11-27', sources: newEvidence('x').sources },
          201,
        ),
      );
      await check(
        send(
          'POST',
          '/api/cases/{caseId}/evidence/{id}/retractions',
          `${evidence}/nope/retractions`,
          { id: 'ev-schema-x', description: 'Withdrawn', reported: '2026-11-27', sources: newEvidence('x').sources },
          404,
        ),
      );
      await check(get('/api/alerts', `/api/alerts?caseId=${CASE}`, 200, 'viewer'));
      await check(get('/api/alerts', '/api/alerts?limit=0', 400));
      await check(get('/api/audit', '/api/audit'));
      await check(get('/api/audit', '/api/audit', 403, 'viewer'));

      await check(get('/api/users', '/api/users'));
      await check(
        send('POST', '/api/users', '/api/users', { name: 'schema-user', role: 'viewer', password: 'x'.repeat(12) }, 201),
      );
      await check(
        send('POST', '/api/users', '/api/users', { name: 'schema-user', role: 'viewer', password: 'x'.repeat(12) }, 409),
      );
      await check(send('POST', '/api/users', '/api/users', { name: 'schema user', role: 'boss', password: 'short' }, 400));

      const token = (await check(send('POST', '/api/tokens', '/api/tokens', { name: 'schema' }, 201, 'analyst'))) as {
        id: string;
      };
      await check(send('POST', '/api/tokens', '/api/tokens', { name: 'schema', user: 'nobody' }, 404));
      await check(get('/api/tokens', '/api/tokens', 200, 'viewer'));
      await check({
        method: 'DELETE',
        route: '/api/tokens/{id}',
        url: `/api/tokens/${token.id}`,
        status: 200,
        init: { as: 'analyst' },
      });
      await check({
        method: 'DELETE',
        route: '/api/tokens/{id}',
        url: `/api/tokens/${token.id}`,
        status: 404,
        init: { as: 'analyst' },
      });

      const hook = (await check(
        send('POST', '/api/webhooks', '/api/webhooks', { url: 'https://hooks.example.org/hook' }, 201),
      )) as {
        id: string;
      };
      await check(send('POST', '/api/webhooks', '/api/webhooks', { url: 'ftp://example.org' }, 400));
      await check(send('POST', '/api/webhooks', '/api/webhooks', { url: 'http://127.0.0.1:9/hook' }, 400));
      await check(get('/api/webhooks', '/api/webhooks'));
      await check({ method: 'DELETE', route: '/api/webhooks/{id}', url: `/api/webhooks/${hook.id}`, status: 200 });
      await check({ method: 'DELETE', route: '/api/webhooks/{id}', url: `/api/webhooks/${hook.id}`, status: 404 });
    });

    it('exercised every route of the description', () => {
      const missing = routes.map((r) => `${r.method} ${r.path}`).filter((r) => !exercised.has(r));
      assert.deepEqual(missing, []);
    });

    it('answers unauthenticated requests, unknown paths and wrong methods with the error envelope', async () => {
      for (const [path, init, status] of [
        ['/api/cases', {}, 401],
        ['/api/no-such-thing', { as: 'viewer' }, 404],
        ['/api/cases', { method: 'PUT', as: 'viewer' }, 405],
      ] as const) {
        const res = await s.request(path, init);
        assert.equal(res.status, status);
        const body: unknown = await res.json();
        const parsed = ErrorSchema.safeParse(body);
        assert.ok(parsed.success, JSON.stringify(body));
        assert.deepEqual(parsed.data, body);
      }
    });
  });
}
