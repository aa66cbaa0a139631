/**
 * The API's behaviour, run against each store (SQLite and PostgreSQL): authentication and
 * roles on every route of the OpenAPI description, validation, conflicts, size limits,
 * corrections and retractions, as-of reproduction, alerts, injection strings, and 20
 * concurrent writers over a real socket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AlertRecord } from '../../src/ports/team-store.ts';
import { jsonInit, newEvidence, type StoreOpener, startTestServer, type TestServer } from './support.ts';

const CASE = 'us-pakistan';

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: unknown }>>;
  components: { schemas: Record<string, unknown> };
}

/** Every operation of the description, with path parameters filled in. */
function operations(doc: OpenApiDoc): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of Object.keys(ops)) {
      out.push({
        method: method.toUpperCase(),
        path: path
          .replace('{caseId}', CASE)
          .replace('{id}', 'ev-1999-pressler-waiver-x')
          .replace(/\{[^}]+\}/g, 'x'),
      });
    }
  }
  return out;
}

export function runApiSuite(name: string, open: StoreOpener): void {
  describe(`HTTP API on ${name}`, () => {
    let s: TestServer;
    const dispatched: AlertRecord[] = [];
    before(async () => {
      s = await startTestServer(open, { alerts: { dispatch: (a) => dispatched.push(...a) }, maxBodyBytes: 64 * 1024 });
    });
    after(async () => {
      await s.close();
    });

    it('answers the health check without authentication, and nothing else', async () => {
      assert.equal((await s.request('/healthz')).status, 200);
      const api = await s.request('/api/cases');
      assert.equal(api.status, 401);
      assert.match(api.headers.get('www-authenticate') ?? '', /Bearer/);
      assert.equal((await s.request('/openapi.json')).status, 401);
      const page = await s.request('/cases/us-pakistan');
      assert.equal(page.status, 303);
      assert.match(page.headers.get('location') ?? '', /^\/login\?next=/);
      assert.equal((await s.request('/api/cases', { headers: { Authorization: 'Bearer pvs_not-a-token' } })).status, 401);
    });

    it('describes itself in OpenAPI 3.1, evidence schema included', async () => {
      const res = await s.request('/openapi.json', { as: 'viewer' });
      assert.equal(res.status, 200);
      const doc = (await res.json()) as OpenApiDoc;
      assert.equal(doc.openapi, '3.1.0');
      for (const p of [
        '/api/cases',
        '/api/cases/{caseId}/evidence',
        '/api/cases/{caseId}/assessment',
        '/api/cases/{caseId}/history',
        '/api/events',
        '/api/cases/{caseId}/brief',
      ])
        assert.ok(doc.paths[p], `missing ${p}`);
      const item = doc.components.schemas.EvidenceItem as { properties: Record<string, unknown> };
      assert.ok(item.properties.sources && item.properties.occurred, 'EvidenceItem schema from the case-file schema');
      assert.ok(!JSON.stringify(doc).includes('#/$defs/'), 'refs resolve inside the document');
    });

    it('answers a bodiless or non-JSON write with 400 and a problem, never 500', async () => {
      for (const path of [`/api/cases/${CASE}/evidence`, '/api/users', '/api/webhooks']) {
        const none = await s.request(path, { method: 'POST', as: 'admin' });
        assert.equal(none.status, 400, `POST ${path} without a body: ${await none.clone().text()}`);
        const bad = await s.request(path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{',
          as: 'admin',
        });
        assert.equal(bad.status, 400, `POST ${path} with broken JSON: ${await bad.clone().text()}`);
        assert.ok(((await bad.json()) as { error?: { code?: string } }).error?.code, 'a problem with a code');
      }
    });

    it('answers 405 with Allow for a method a path does not take, and 404 for a path that does not exist', async () => {
      const put = await s.request('/api/cases', { method: 'PUT', as: 'admin' });
      assert.equal(put.status, 405);
      assert.equal(put.headers.get('allow'), 'GET, HEAD');
      assert.equal(((await put.json()) as { error: { code: string } }).error.code, 'method-not-allowed');
      const del = await s.request(`/api/cases/${CASE}/evidence`, { method: 'DELETE', as: 'admin' });
      assert.equal(del.status, 405);
      assert.equal(del.headers.get('allow'), 'GET, HEAD, POST');
      assert.equal((await s.request('/api/no-such-thing', { as: 'admin' })).status, 404);
    });

    it('guards HEAD as GET: a viewer gets 403 on HEAD of the routes it may not read, and no body', async () => {
      for (const path of ['/api/users', '/api/audit', '/api/webhooks']) {
        const get = await s.request(path, { as: 'viewer' });
        assert.equal(get.status, 403, `GET ${path}`);
        const head = await s.request(path, { method: 'HEAD', as: 'viewer' });
        assert.equal(head.status, 403, `HEAD ${path}`);
        assert.equal(await head.text(), '');
      }
      assert.equal((await s.request('/api/users', { method: 'HEAD', as: 'admin' })).status, 200, 'an admin may');
    });

    it('refuses every write route without a token (401) and with a viewer token (403)', async () => {
      const doc = (await (await s.request('/openapi.json', { as: 'admin' })).json()) as OpenApiDoc;
      const writes = operations(doc).filter((o) => o.method !== 'GET');
      assert.ok(writes.length >= 8, `expected the write routes, got ${writes.length}`);
      const count = await s.store.ledger.count(CASE);
      for (const op of writes) {
        const body = JSON.stringify(newEvidence('ev-should-not-exist'));
        const anon = await s.request(op.path, { method: op.method, headers: { 'Content-Type': 'application/json' }, body });
        assert.equal(anon.status, 401, `${op.method} ${op.path} without a token`);
        const viewer = await s.request(op.path, {
          method: op.method,
          headers: { 'Content-Type': 'application/json' },
          body,
          as: 'viewer',
        });
        assert.equal(viewer.status, 403, `${op.method} ${op.path} as viewer`);
      }
      assert.equal(await s.store.ledger.count(CASE), count);
      // Analysts write evidence but do not manage users or webhooks.
      const users = await s.request(
        '/api/users',
        jsonInit('POST', { name: 'mallory', role: 'admin', password: 'x'.repeat(12) }, 'analyst'),
      );
      assert.equal(users.status, 403);
      assert.equal((await s.request('/api/webhooks', jsonInit('POST', { url: 'http://127.0.0.1:9/h' }, 'analyst'))).status, 403);
    });

    it('stores valid evidence with an audit record, and lists it', async () => {
      const before = await s.store.ledger.count(CASE);
      const res = await s.request(`/api/cases/${CASE}/evidence`, jsonInit('POST', newEvidence('ev-api-1'), 'analyst'));
      assert.equal(res.status, 201, await res.clone().text());
      const body = (await res.json()) as { added: number; ids: string[] };
      assert.deepEqual([body.added, body.ids], [1, ['ev-api-1']]);
      assert.equal(await s.store.ledger.count(CASE), before + 1);
      const stored = (await s.store.ledger.entries(CASE)).find((e) => e.id === 'ev-api-1');
      assert.equal(stored?.recorded, '2026-11-28', 'recorded is the server’s today');
      const audit = await s.store.audit({ caseId: CASE, action: 'evidence.append' });
      const rec = audit.find((a) => a.ids.includes('ev-api-1'));
      assert.equal(rec?.actor, s.users.analyst.user.name);
      const list = await s.request(`/api/cases/${CASE}/evidence?q=ev-api-1`, { as: 'viewer' });
      const page = (await list.json()) as { total: number; items: { id: string }[] };
      assert.equal(page.total, 1);
      assert.equal(page.items[0]?.id, 'ev-api-1');
      // The same entry again is unchanged, not a conflict.
      const again = (await (
        await s.request(`/api/cases/${CASE}/evidence`, jsonInit('POST', newEvidence('ev-api-1'), 'analyst'))
      ).json()) as {
        added: number;
        unchanged: number;
      };
      assert.deepEqual([again.added, again.unchanged], [0, 1]);
    });

    it('refuses invalid evidence with one problem per field, storing nothing', async () => {
      const count = await s.store.ledger.count(CASE);
      const problemsOf = async (body: unknown) => {
        const res = await s.request(`/api/cases/${CASE}/evidence`, jsonInit('POST', body, 'analyst'));
        assert.equal(res.status, 400);
        const err = (await res.json()) as { error: { code: string; problems: { path: string; message: string }[] } };
        assert.equal(err.error.code, 'invalid-request');
        return err.error.problems;
      };
      const shape = await problemsOf(
        newEvidence('ev-api-bad', {
          sources: [{ publisher: 'X', title: 'Y', date: '2026-11-21', reliability: 'Z', credibility: 2 }],
        }),
      );
      assert.deepEqual(
        shape.map((p) => p.path),
        ['sources.0.reliability'],
      );
      const refs = await problemsOf(newEvidence('ev-api-bad', { actors: ['pakistan', 'atlantis'], occurred: '2026-02-30' }));
      const paths = refs.map((p) => p.path).sort();
      assert.deepEqual(paths, ['actors.1', 'occurred'], JSON.stringify(refs));
      assert.match(refs.find((p) => p.path === 'actors.1')?.message ?? '', /atlantis/);
      const backdated = await s.request(
        `/api/cases/${CASE}/evidence`,
        jsonInit('POST', newEvidence('ev-api-back', { recorded: '2020-01-01' }), 'analyst'),
      );
      assert.equal(backdated.status, 400);
      assert.equal(((await backdated.json()) as { error: { problems: { path: string }[] } }).error.problems[0]?.path, 'recorded');
      const batch = await s.request(
        `/api/cases/${CASE}/evidence`,
        jsonInit('POST', { entries: [newEvidence('ev-api-b1'), newEvidence('ev-api-b2', { kind: '' })] }, 'analyst'),
      );
      assert.equal(batch.status, 400);
      const batchErr = (await batch.json()) as { error: { problems: { path: string }[] } };
      assert.ok(
        batchErr.error.problems.every((p) => p.path.startsWith('entries.1.')),
        JSON.stringify(batchErr),
      );
      assert.equal(await s.store.ledger.count(CASE), count, 'a refused batch stores nothing');
      const notJson = await s.request(`/api/cases/${CASE}/evidence`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"id":',
        as: 'analyst',
      });
      assert.equal(notJson.status, 400);
    });

    it('answers 409 for different content under a stored id, 404 for unknown cases and ids, 413 for large bodies', async () => {
      const conflict = await s.request(
        `/api/cases/${CASE}/evidence`,
        jsonInit('POST', newEvidence('ev-api-1', { description: 'changed' }), 'analyst'),
      );
      assert.equal(conflict.status, 409);
      const conflictBody = (await conflict.json()) as {
        error: { code: string; problems: { code: string; path: string; details: { id: string } }[] };
      };
      assert.equal(conflictBody.error.code, 'conflict');
      assert.deepEqual(
        conflictBody.error.problems.map((p) => [p.code, p.path, p.details.id]),
        [['conflict', 'id', 'ev-api-1']],
      );
      assert.equal((await s.request('/api/cases/nope/assessment', { as: 'viewer' })).status, 404);
      assert.equal((await s.request(`/api/cases/${CASE}/evidence/nope`, { as: 'viewer' })).status, 404);
      assert.equal(
        (await s.request(`/api/cases/${CASE}/evidence/nope/corrections`, jsonInit('POST', newEvidence('ev-x'), 'analyst')))
          .status,
        404,
      );
      const big = {
        entries: Array.from({ length: 400 }, (_, i) => newEvidence(`ev-big-${i}`, { description: 'x'.repeat(200) })),
      };
      const tooLarge = await s.request(`/api/cases/${CASE}/evidence`, jsonInit('POST', big, 'analyst'));
      assert.equal(tooLarge.status, 413);
      assert.equal((await s.store.ledger.entries(CASE)).filter((e) => e.id.startsWith('ev-big-')).length, 0);
    });

    it('records corrections and retractions as superseding entries, and reproduces the earlier view by recordedBy', async () => {
      const corr = await s.request(
        `/api/cases/${CASE}/evidence/ev-api-1/corrections`,
        jsonInit('POST', newEvidence('ev-api-1-fix', { description: 'Corrected' }), 'analyst'),
      );
      assert.equal(corr.status, 201, await corr.clone().text());
      const detail = (await (await s.request(`/api/cases/${CASE}/evidence/ev-api-1`, { as: 'viewer' })).json()) as {
        supersededBy: string[];
      };
      assert.deepEqual(detail.supersededBy, ['ev-api-1-fix']);
      const retr = await s.request(
        `/api/cases/${CASE}/evidence/ev-api-1-fix/retractions`,
        jsonInit(
          'POST',
          {
            id: 'ev-api-1-retract',
            description: 'Withdrawn: the wire story was wrong',
            reported: '2026-11-27',
            sources: newEvidence('x').sources,
          },
          'analyst',
        ),
      );
      assert.equal(retr.status, 201, await retr.clone().text());
      const audit = await s.store.audit({ caseId: CASE, action: 'evidence.retraction' });
      assert.deepEqual(audit.at(-1)?.supersedes, ['ev-api-1-fix']);
      // Reproduce: the assessment taken today, asked for again after tomorrow's write, by recordedBy.
      const assessment = async (q: string) =>
        (await (await s.request(`/api/cases/${CASE}/assessment?${q}`, { as: 'viewer' })).json()) as {
          digest: string;
          ledger: { known: number };
        };
      const today = await assessment('asOf=2026-11-28&recordedBy=2026-11-28');
      const todayAll = await assessment('asOf=2026-11-28');
      s.setNow(new Date('2026-11-29T09:00:00.000Z'));
      try {
        const later = await s.request(
          `/api/cases/${CASE}/evidence`,
          jsonInit('POST', newEvidence('ev-api-next-day', { occurred: '2026-11-25', reported: '2026-11-26' }), 'analyst'),
        );
        assert.equal(later.status, 201);
        const now = await assessment('asOf=2026-11-28');
        assert.equal(now.ledger.known, todayAll.ledger.known + 1, 'the new entry is known as of 2026-11-28');
        const reproduced = await assessment('asOf=2026-11-28&recordedBy=2026-11-28');
        assert.equal(reproduced.digest, today.digest, 'recordedBy reproduces the earlier assessment exactly');
        assert.equal(reproduced.ledger.known, today.ledger.known);
      } finally {
        s.setNow(new Date('2026-11-28T12:00:00.000Z'));
      }
      const bad = await s.request(`/api/cases/${CASE}/assessment?asOf=2023-02-30`, { as: 'viewer' });
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as { error: { problems: { path: string }[] } }).error.problems[0]?.path, 'asOf');
    });

    it('raises an alert when new evidence changes a benchmark status, and hands it to the webhooks', async () => {
      const before = (await (await s.request(`/api/cases/${CASE}/assessment`, { as: 'viewer' })).json()) as {
        benchmarks: { id: string; status: string }[];
      };
      const was = before.benchmarks.find((b) => b.id === 'let-jem-leaders-imprisoned')?.status;
      assert.equal(was, 'not-met');
      const res = await s.request(
        `/api/cases/${CASE}/evidence`,
        jsonInit(
          'POST',
          newEvidence('ev-api-azhar', {
            kind: 'conviction',
            actors: ['masood-azhar', 'pakistan'],
            description: 'Hypothetical test entry: Masood Azhar convicted and imprisoned.',
            occurred: '2025-01-10',
            reported: '2025-01-10',
          }),
          'analyst',
        ),
      );
      assert.equal(res.status, 201, await res.clone().text());
      const body = (await res.json()) as { alerts: AlertRecord[] };
      const alert = body.alerts.find((a) => a.subject === 'let-jem-leaders-imprisoned');
      assert.ok(alert, JSON.stringify(body.alerts));
      assert.equal(alert.from, 'not-met');
      assert.deepEqual(alert.evidenceIds, ['ev-api-azhar']);
      assert.ok(dispatched.some((a) => a.seq === alert.seq));
      const listed = (await (await s.request(`/api/alerts?caseId=${CASE}`, { as: 'viewer' })).json()) as AlertRecord[];
      assert.ok(listed.some((a) => a.seq === alert.seq));
    });

    it('raises a departure alert when the principal is recorded acting on an instrument whose conditions are unmet', async () => {
      const before = (await (await s.request(`/api/cases/${CASE}/assessment`, { as: 'viewer' })).json()) as {
        instruments: { id: string; decision: string; departure: string | null }[];
      };
      const broader = before.instruments.find((i) => i.id === 'broader-security-assistance');
      assert.equal(broader?.decision, 'locked');
      assert.equal(broader?.departure, null);
      const res = await s.request(
        `/api/cases/${CASE}/evidence`,
        jsonInit(
          'POST',
          newEvidence('ev-api-fmf-resumed', {
            kind: 'aid-resumption',
            actors: ['usa', 'pakistan'],
            description: 'Hypothetical test entry: the principal resumes the suspended security assistance.',
            occurred: '2025-02-01',
            reported: '2025-02-01',
            action: { instrument: 'broader-security-assistance', kind: 'resumed' },
          }),
          'analyst',
        ),
      );
      assert.equal(res.status, 201, await res.clone().text());
      const body = (await res.json()) as { alerts: AlertRecord[] };
      const alert = body.alerts.find((a) => a.kind === 'departure');
      assert.deepEqual(alert && { subject: alert.subject, from: alert.from, to: alert.to, evidenceIds: alert.evidenceIds }, {
        subject: 'broader-security-assistance',
        from: 'none',
        to: 'acted-while-locked',
        evidenceIds: ['ev-api-fmf-resumed'],
      });
      assert.ok(
        dispatched.some((a) => a.seq === alert?.seq),
        'handed to the webhooks',
      );
    });

    it('describes the assessment in OpenAPI with what was done, the path to unlock and sensitivity', async () => {
      const doc = (await (await s.request('/openapi.json', { as: 'viewer' })).json()) as OpenApiDoc;
      const inst = doc.components.schemas.InstrumentResult as { properties: Record<string, unknown>; required: string[] };
      for (const field of ['decision', 'actual', 'departure', 'unlock', 'sensitivity']) {
        assert.ok(inst.properties[field], `InstrumentResult.${field}`);
        assert.ok(inst.required.includes(field), `${field} is required`);
      }
      for (const name of ['UnlockPath', 'Blocker', 'Sensitivity', 'Flip', 'ActualUse', 'JustificationResult']) {
        assert.ok(doc.components.schemas[name], `schema ${name}`);
      }
    });

    it('treats SQL and script injection strings in every filter as plain values', async () => {
      const inject = ["' OR '1'='1", '1; DROP TABLE evidence; --', '"; DELETE FROM audit; --', '<script>alert(1)</script>'];
      const count = await s.store.ledger.count(CASE);
      const auditCount = (await s.store.audit()).length;
      for (const x of inject) {
        const q = encodeURIComponent(x);
        const ev = await s.request(`/api/cases/${CASE}/evidence?q=${q}&actor=${q}&kind=${q}`, { as: 'viewer' });
        assert.equal(ev.status, 200);
        assert.equal(((await ev.json()) as { total: number }).total, 0);
        const audit = await s.request(`/api/audit?caseId=${q}&action=${q}`, { as: 'analyst' });
        assert.equal(audit.status, 200);
        assert.deepEqual(await audit.json(), []);
        const alerts = await s.request(`/api/alerts?caseId=${q}`, { as: 'viewer' });
        assert.deepEqual(await alerts.json(), []);
        assert.equal((await s.request(`/api/events?actor1=${q}`, { as: 'viewer' })).status, 400);
        assert.equal((await s.request(`/api/cases/${q}/assessment`, { as: 'viewer' })).status, 404);
      }
      assert.equal(await s.store.ledger.count(CASE), count);
      assert.equal((await s.store.audit()).length, auditCount);
    });

    it('loses nothing when 20 clients write at once over a real socket: evidence and audit agree', async () => {
      const server = await s.listen();
      try {
        const before = await s.store.ledger.count(CASE);
        const auditBefore = (await s.store.audit({ caseId: CASE, action: 'evidence.append' })).length;
        const ids = Array.from({ length: 20 }, (_, i) => `ev-concurrent-${i}`);
        const responses = await Promise.all(
          ids.map((id) =>
            fetch(`${server.url}/api/cases/${CASE}/evidence`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${s.users.analyst.token}` },
              body: JSON.stringify(newEvidence(id)),
            }),
          ),
        );
        assert.deepEqual(
          responses.map((r) => r.status),
          ids.map(() => 201),
        );
        assert.equal(await s.store.ledger.count(CASE), before + 20);
        const audit = await s.store.audit({ caseId: CASE, action: 'evidence.append' });
        assert.equal(audit.length, auditBefore + 20);
        const audited = new Set(audit.flatMap((a) => a.ids));
        for (const id of ids) assert.ok(audited.has(id), `no audit record for ${id}`);
      } finally {
        await server.close();
      }
    });
  });
}
