/**
 * What the OpenAPI fuzzer (openapi-fuzz-suite.ts) found, kept as plain tests, run against
 * each store (openapi-fuzz-sqlite.test.ts, openapi-fuzz-postgres.test.ts): each names the
 * disagreement between `/openapi.json` and the server, and checks both sides of the fix —
 * what the document now says (validated with the same validator the fuzzer uses) and what
 * the server answers.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sha256Hex } from '../../src/http/auth.ts';
import { listPattern } from '../../src/http/routes/events.ts';
import { SESSION_COOKIE } from '../../src/http/session.ts';
import { EVENT_FILTER_ITEMS, parseEventFilterInput } from '../../src/ports/event-filter-input.ts';
import { DocumentValidator, type OpenApiDocument, type Operation, operationsOf } from '../support/openapi-validator.ts';
import { jsonInit, newEvidence, type StoreOpener, startTestServer, TEST_NOW, type TestServer } from './support.ts';

const CASE = 'us-pakistan';
const EVIDENCE = `/api/cases/${CASE}/evidence`;

interface Problem {
  readonly code: string;
  readonly path?: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

async function answer(res: Response | Promise<Response>): Promise<{ status: number; problems: Problem[]; text: string }> {
  const r = await res;
  const text = await r.text();
  const body = text.startsWith('{') ? (JSON.parse(text) as { error?: { problems?: Problem[] } }) : {};
  return { status: r.status, problems: body.error?.problems ?? [], text };
}

export function runOpenApiRegressionSuite(name: string, open: StoreOpener): void {
  describe(`/openapi.json and the server agree on what the fuzzer found, on ${name}`, () => {
    let s: TestServer;
    let doc: OpenApiDocument;
    let validator: DocumentValidator;
    let ops: Operation[];
    const op = (operationId: string): Operation => {
      const found = ops.find((o) => o.operationId === operationId);
      assert.ok(found, operationId);
      return found;
    };
    const bodySchema = (operationId: string) => {
      const schema = op(operationId).requestBody?.content['application/json']?.schema;
      assert.ok(schema !== undefined, `${operationId} takes a JSON body`);
      return schema;
    };
    const paramSchema = (operationId: string, param: string) => {
      const found = op(operationId).parameters.find((p) => p.name === param);
      assert.ok(found, `${operationId} has ${param}`);
      return found.schema;
    };

    before(async () => {
      s = await startTestServer(open, { maxBodyBytes: 256 * 1024 });
      doc = (await (await s.request('/openapi.json', { as: 'viewer' })).json()) as OpenApiDocument;
      validator = new DocumentValidator(doc);
      ops = operationsOf(doc);
    });
    after(async () => {
      await s.close();
    });

    it('an empty batch: the document says 1 to 1000 entries, the server answers too-small and too-big with the limit', async () => {
      const schema = bodySchema('appendEvidence');
      assert.notDeepEqual(validator.validate(schema, { entries: [] }), []);
      assert.deepEqual(validator.validate(schema, { entries: [newEvidence('ev-reg-batch')] }), []);
      const empty = await answer(s.request(EVIDENCE, jsonInit('POST', { entries: [] }, 'analyst')));
      assert.equal(empty.status, 400);
      assert.deepEqual(
        empty.problems.map((p) => [p.code, p.path, p.details?.limit]),
        [['too-small', 'entries', 1]],
      );
      const many = Array.from({ length: 1001 }, (_, i) => ({ id: `ev-reg-${i}` }));
      assert.notDeepEqual(validator.validate(schema, { entries: many }), []);
      const over = await answer(s.request(EVIDENCE, jsonInit('POST', { entries: many }, 'analyst')));
      assert.equal(over.status, 400);
      assert.deepEqual(
        over.problems.map((p) => [p.code, p.path, p.details?.limit, p.details?.size]),
        [['too-big', 'entries', 1000, 1001]],
      );
    });

    it('recorded: the document no longer requires what the server sets; another date than today is refused', async () => {
      const item = newEvidence('ev-reg-recorded');
      assert.deepEqual(validator.validate(bodySchema('appendEvidence'), item), []);
      assert.equal((await s.request(EVIDENCE, jsonInit('POST', item, 'analyst'))).status, 201);
      const today = newEvidence('ev-reg-recorded-today', { recorded: TEST_NOW.toISOString().slice(0, 10) });
      assert.equal((await s.request(EVIDENCE, jsonInit('POST', today, 'analyst'))).status, 201);
      const backdated = await answer(
        s.request(EVIDENCE, jsonInit('POST', newEvidence('ev-reg-backdated', { recorded: '2020-01-01' }), 'analyst')),
      );
      assert.equal(backdated.status, 400);
      assert.deepEqual(
        backdated.problems.map((p) => [p.code, p.path]),
        [['invalid-value', 'recorded']],
      );
    });

    it('a retraction: the document takes id, description, reported and sources (the rest from the withdrawn entry), and retracted only as true', async () => {
      assert.equal((await s.request(EVIDENCE, jsonInit('POST', newEvidence('ev-reg-to-withdraw'), 'analyst'))).status, 201);
      const retraction = {
        id: 'ev-reg-withdrawn',
        description: 'Withdrawn: the report was wrong',
        reported: '2026-11-27',
        sources: newEvidence('x').sources,
      };
      const schema = bodySchema('retractEvidence');
      assert.deepEqual(validator.validate(schema, retraction), []);
      assert.notDeepEqual(validator.validate(schema, { ...retraction, retracted: false }), []);
      const refused = await answer(
        s.request(
          `${EVIDENCE}/ev-reg-to-withdraw/retractions`,
          jsonInit('POST', { ...retraction, id: 'ev-reg-not-withdrawn', retracted: false }, 'analyst'),
        ),
      );
      assert.equal(refused.status, 400, refused.text);
      assert.deepEqual(
        refused.problems.map((p) => [p.code, p.path]),
        [['invalid-value', 'retracted']],
      );
      const stored = await s.request(`${EVIDENCE}/ev-reg-to-withdraw/retractions`, jsonInit('POST', retraction, 'analyst'));
      assert.equal(stored.status, 201, await stored.clone().text());
      const entry = (await (await s.request(`${EVIDENCE}/ev-reg-withdrawn`, { as: 'viewer' })).json()) as {
        entry: { retracted?: boolean; supersedes?: string };
      };
      assert.equal(entry.entry.retracted, true);
      assert.equal(entry.entry.supersedes, 'ev-reg-to-withdraw');
    });

    it('a source URL: the document no longer claims RFC 3986 (the server parses URLs as WHATWG does), and says which it takes', async () => {
      const source = (url: string) => ({ ...(newEvidence('x').sources as Record<string, unknown>[])[0], url });
      const schema = bodySchema('appendEvidence');
      const iri = newEvidence('ev-reg-iri', { sources: [source('https://example.org/é')] });
      assert.deepEqual(validator.validate(schema, iri), [], 'an IRI: not an RFC 3986 URI, a WHATWG URL');
      assert.equal((await s.request(EVIDENCE, jsonInit('POST', iri, 'analyst'))).status, 201);
      const url = validator.resolve('#/components/schemas/EvidenceItem_evidenceSource') as {
        properties: { url: { format?: string; description?: string } };
      };
      assert.equal(url.properties.url.format, undefined);
      assert.match(url.properties.url.description ?? '', /WHATWG/);
      const hostless = await answer(
        s.request(EVIDENCE, jsonInit('POST', newEvidence('ev-reg-hostless', { sources: [source('http://')] }), 'analyst')),
      );
      assert.deepEqual([hostless.status, hostless.problems.map((p) => [p.code, p.path])], [400, [['schema', 'sources.0.url']]]);
    });

    it('dates outside 1900–2100: the document’s date parameters refuse them too', async () => {
      const schema = paramSchema('queryEvents', 'to');
      for (const date of ['1899-12-21', '2101-01-01', '0001-01-01', '9999-12-31'])
        assert.notDeepEqual(validator.validate(schema, date), [], date);
      for (const date of ['1900-01-01', '2023-03-03', '2100-12-31']) assert.deepEqual(validator.validate(schema, date), [], date);
      const res = await answer(s.request('/api/events?to=1899-12-21', { as: 'viewer' }));
      assert.deepEqual([res.status, res.problems.map((p) => [p.code, p.path])], [400, [['too-small', 'to']]]);
    });

    it('event filters: the document’s pattern takes exactly the lists the server takes', async () => {
      for (const field of ['actor1', 'actor2', 'root', 'quad'] as const) {
        const schema = paramSchema('queryEvents', field);
        const pattern = new RegExp(listPattern(EVENT_FILTER_ITEMS[field].re), 'u');
        fc.assert(
          fc.property(
            fc.string({
              unit: fc.constantFrom('U', 'S', 'A', '1', '4', '9', ',', ' ', '\t', '\u00a0', '\ufeff', 'x', '-', '|'),
              maxLength: 12,
            }),
            (value) => {
              const server = parseEventFilterInput({ [field]: value }).ok;
              assert.equal(pattern.test(value), server, `${field}=${JSON.stringify(value)}`);
              assert.equal(validator.validate(schema, value).length === 0, server, `${field}=${JSON.stringify(value)}`);
            },
          ),
          { numRuns: 500 },
        );
      }
      const refused = await answer(s.request('/api/events?actor1=Q%2B%7C', { as: 'viewer' }));
      assert.deepEqual([refused.status, refused.problems.map((p) => p.path)], [400, ['actor1']]);
    });

    it('lengths count characters as JSON Schema does: 100 emoji are a 100-character token name', async () => {
      const schema = bodySchema('createToken');
      const emoji = '😀'.repeat(100);
      assert.deepEqual(validator.validate(schema, { name: emoji }), []);
      assert.equal((await s.request('/api/tokens', jsonInit('POST', { name: emoji }, 'analyst'))).status, 201);
      assert.notDeepEqual(validator.validate(schema, { name: `${emoji}😀` }), []);
      const over = await answer(s.request('/api/tokens', jsonInit('POST', { name: `${emoji}😀` }, 'analyst')));
      assert.equal(over.status, 400);
      assert.deepEqual(
        over.problems.map((p) => [p.code, p.path, p.message]),
        [['too-big', 'name', 'at most 100 characters (got 101)']],
      );
      const tags = Array.from({ length: 3 }, () => '😀'.repeat(100));
      const item = newEvidence('ev-reg-emoji-tags', { tags });
      assert.deepEqual(validator.validate(bodySchema('appendEvidence'), item), []);
      assert.equal((await s.request(EVIDENCE, jsonInit('POST', item, 'analyst'))).status, 201);
    });

    it('NUL (U+0000) in a name, a filter or an id: the document’s pattern refuses it, and the server answers 400, not 500 (PostgreSQL cannot hold it)', async () => {
      assert.notDeepEqual(validator.validate(bodySchema('createToken'), { name: 'lap\u0000top' }), []);
      assert.notDeepEqual(validator.validate(paramSchema('listAuditRecords', 'action'), 'a\u0000'), []);
      for (const [path, init, at] of [
        ['/api/tokens', jsonInit('POST', { name: 'lap\u0000top' }, 'admin'), 'name'],
        ['/api/tokens', jsonInit('POST', { name: 'laptop', user: 'a\u0000' }, 'admin'), 'user'],
        ['/api/audit?action=a%00b', { as: 'admin' as const }, 'action'],
        ['/api/tokens/tok%00x', { method: 'DELETE', as: 'admin' as const }, 'id'],
        ['/api/webhooks/whk%00x', { method: 'DELETE', as: 'admin' as const }, 'id'],
      ] as const) {
        const res = await answer(s.request(path, init));
        assert.deepEqual(
          [res.status, res.problems.map((p) => [p.code, p.path])],
          [400, [['invalid-format', at]]],
          `${path}: ${res.text}`,
        );
      }
    });

    it('a user name keeps its pattern in the document (the no-NUL pattern of text parameters does not replace it)', () => {
      const name = (bodySchema('createUser') as { properties: { name: { pattern?: string } } }).properties.name;
      assert.equal(name.pattern, '^[A-Za-z0-9._@-]{1,64}$');
    });

    it('DELETE with a body over the limit: 413 is documented for the operations that answer it', async () => {
      for (const [operationId, path] of [
        ['revokeToken', '/api/tokens/tok-x'],
        ['removeWebhook', '/api/webhooks/whk-x'],
      ] as const) {
        assert.ok(op(operationId).responses['413'], `${operationId} documents 413`);
        const res = await s.request(path, {
          method: 'DELETE',
          as: 'admin',
          headers: { 'Content-Type': 'application/json' },
          body: ' '.repeat(256 * 1024 + 1),
        });
        assert.equal(res.status, 413);
      }
    });

    it('invalid UTF-8 in a key: the problem’s path shows U+FFFD, and the answer is Unicode text', async () => {
      const bytes = new Uint8Array([...new TextEncoder().encode('{"na'), 0xff, ...new TextEncoder().encode('me":"x"}')]);
      const res = await answer(
        s.request('/api/tokens', { method: 'POST', as: 'analyst', headers: { 'Content-Type': 'application/json' }, body: bytes }),
      );
      assert.equal(res.status, 400);
      assert.deepEqual(
        res.problems.map((p) => [p.code, p.path]),
        [['invalid-utf8', 'na\uFFFDme']],
      );
      assert.doesNotMatch(res.text, /\\ud[89a-f][0-9a-f]{2}/i, 'no escaped half of a surrogate pair');
    });

    it('a session write whose multipart body cannot be read is a 403 csrf, not a 500', async () => {
      const session = 'reg-session-id';
      await s.store.createSession({
        idHash: sha256Hex(session),
        userId: s.users.admin.user.id,
        csrfToken: 'reg-csrf',
        created: TEST_NOW.toISOString(),
        expires: new Date(TEST_NOW.getTime() + 3600_000).toISOString(),
      });
      const res = await answer(
        s.request('/api/users', {
          method: 'POST',
          headers: { Cookie: `${SESSION_COOKIE}=${session}`, 'Content-Type': 'multipart/form-data; boundary=x' },
          body: '{"name":"x"}',
        }),
      );
      assert.equal(res.status, 403, res.text);
      assert.match(res.text, /"code":"csrf"/);
    });

    it('a body left unread ends its connection (Connection: close), so the next request on it is answered', async () => {
      const server = await s.listen();
      const url = new URL(server.url);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const send = (method: string, path: string, headers: Record<string, string>, body?: Buffer) =>
        new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
          const req = http.request(
            {
              host: url.hostname,
              port: Number(url.port),
              method,
              path,
              agent,
              headers: body === undefined ? headers : { ...headers, 'Content-Length': String(body.byteLength) },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      try {
        const token = { Authorization: `Bearer ${s.users.admin.token}` };
        // 230 KB refused before it is read (no credentials), then 413 (over the limit).
        for (const [headers, body, status] of [
          [{ 'Content-Type': 'application/json' }, Buffer.alloc(230_000, 0x20), 401],
          [{ ...token, 'Content-Type': 'application/json' }, Buffer.alloc(300_000, 0x20), 413],
        ] as const) {
          const first = await send('POST', '/api/users', headers, body);
          assert.deepEqual(first, { status, connection: 'close' });
          await new Promise((resolve) => setTimeout(resolve, 100));
          assert.equal((await send('GET', '/api/me', token)).status, 200);
        }
      } finally {
        agent.destroy();
        await server.close();
      }
    });
  });
}
