/**
 * What a careless or hostile client sends, and what it gets back, run against each store
 * (api-sqlite.test.ts, api-postgres.test.ts): strings over their limits, invalid UTF-8,
 * dates outside 1900–2100, integers that are not decimal, histories of too many points,
 * writes without a body, cross-site writes through a session, and webhooks into the
 * server's own network. Each refusal is checked for its status, its error code and the
 * problem's code and path (and the limit it names); nothing refused is stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/http/auth.ts';
import { SESSION_COOKIE } from '../../src/http/session.ts';
import { jsonInit, newEvidence, type StoreOpener, startTestServer, type TestServer } from './support.ts';

const CASE = 'us-pakistan';

interface Problem {
  code: string;
  path?: string;
  message: string;
  details?: Record<string, unknown>;
}
interface Envelope {
  error: { code: string; message: string; problems?: Problem[] };
}

/** The error of an answer, checked to have `status`. */
async function refusal(res: Response | Promise<Response>, status: number): Promise<Envelope['error']> {
  const r = await res;
  const text = await r.text();
  assert.equal(r.status, status, text);
  return (JSON.parse(text) as Envelope).error;
}

/** The single problem of a 400, checked for its code and path. */
async function problem(res: Response | Promise<Response>, code: string, path: string): Promise<Problem> {
  const error = await refusal(res, 400);
  assert.equal(error.code, 'invalid-request');
  const found = error.problems?.find((p) => p.path === path);
  assert.ok(found, `a problem at "${path}" in ${JSON.stringify(error.problems)}`);
  assert.equal(found.code, code, JSON.stringify(found));
  return found;
}

/** A request with a raw byte body. */
function bytesInit(method: string, bytes: Uint8Array<ArrayBuffer>, as: 'analyst' | 'admin'): RequestInit & { as: typeof as } {
  return { method, headers: { 'Content-Type': 'application/json' }, body: bytes, as };
}

/** `prefix`, the raw bytes, then `suffix`, as one body. */
function withBytes(prefix: string, raw: readonly number[], suffix: string): Uint8Array<ArrayBuffer> {
  const enc = new TextEncoder();
  return new Uint8Array([...enc.encode(prefix), ...raw, ...enc.encode(suffix)]);
}

export function runAbuseSuite(name: string, open: StoreOpener): void {
  describe(`abuse of the HTTP API on ${name}`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(open);
    });
    after(async () => {
      await s.close();
    });

    describe('lengths', () => {
      it('refuses an evidence id of 10,001 characters with too-big at id, naming the limit, and stores nothing', async () => {
        const count = await s.store.ledger.count(CASE);
        const p = await problem(
          s.request(`/api/cases/${CASE}/evidence`, jsonInit('POST', newEvidence('e'.repeat(10_001)), 'analyst')),
          'too-big',
          'id',
        );
        assert.equal(p.details?.limit, 200);
        assert.match(p.message, /at most 200 characters \(got 10001\)/);
        assert.equal(await s.store.ledger.count(CASE), count);
      });

      it('refuses long descriptions, titles, URLs, notes, tags and lists, each at its path, in a batch under entries.N', async () => {
        const long = (n: number) => 'x'.repeat(n);
        const error = await refusal(
          s.request(
            `/api/cases/${CASE}/evidence`,
            jsonInit(
              'POST',
              {
                entries: [
                  newEvidence('ev-abuse-ok'),
                  newEvidence('ev-abuse-long', {
                    description: long(10_001),
                    note: long(10_001),
                    tags: ['ok', long(101)],
                    sources: [
                      {
                        publisher: long(201),
                        title: long(1_001),
                        url: `https://example.org/${long(2_048)}`,
                        date: '2026-11-21',
                        reliability: 'B',
                        credibility: 2,
                      },
                    ],
                  }),
                  newEvidence('ev-abuse-many', { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }),
                ],
              },
              'analyst',
            ),
          ),
          400,
        );
        const limits = Object.fromEntries((error.problems ?? []).map((p) => [p.path, [p.code, p.details?.limit]]));
        assert.deepEqual(limits, {
          'entries.1.description': ['too-big', 10_000],
          'entries.1.note': ['too-big', 10_000],
          'entries.1.tags.1': ['too-big', 100],
          'entries.1.sources.0.publisher': ['too-big', 200],
          'entries.1.sources.0.title': ['too-big', 1_000],
          'entries.1.sources.0.url': ['too-big', 2_048],
          'entries.2.tags': ['too-big', 50],
        });
        assert.equal(
          (await s.store.ledger.entries(CASE)).find((e) => e.id === 'ev-abuse-ok'),
          undefined,
          'nothing stored',
        );
      });

      it('refuses long names, passwords and URLs of users, tokens and webhooks', async () => {
        const long = (n: number) => 'a'.repeat(n);
        assert.equal(
          (await problem(s.request('/api/tokens', jsonInit('POST', { name: long(101) }, 'analyst')), 'too-big', 'name')).details
            ?.limit,
          100,
        );
        assert.equal(
          (
            await problem(
              s.request('/api/users', jsonInit('POST', { name: 'ann', role: 'viewer', password: long(201) }, 'admin')),
              'too-big',
              'password',
            )
          ).details?.limit,
          200,
        );
        await problem(
          s.request('/api/users', jsonInit('POST', { name: long(65), role: 'viewer', password: long(20) }, 'admin')),
          'too-big',
          'name',
        );
        assert.equal(
          (
            await problem(
              s.request('/api/webhooks', jsonInit('POST', { url: `https://example.org/${long(2_048)}` }, 'admin')),
              'too-big',
              'url',
            )
          ).details?.limit,
          2_048,
        );
      });

      it('refuses long query and path parameters by name', async () => {
        const long = (n: number) => 'k'.repeat(n);
        await problem(s.request(`/api/cases/${CASE}/evidence?q=${long(501)}`, { as: 'viewer' }), 'too-big', 'q');
        await problem(s.request(`/api/cases/${CASE}/evidence?actor=${long(201)}`, { as: 'viewer' }), 'too-big', 'actor');
        await problem(s.request(`/api/alerts?caseId=${long(101)}`, { as: 'viewer' }), 'too-big', 'caseId');
        await problem(s.request(`/api/events?actor1=${long(1_001)}`, { as: 'viewer' }), 'too-big', 'actor1');
        await problem(s.request(`/api/cases/${long(101)}`, { as: 'viewer' }), 'too-big', 'caseId');
        await problem(s.request(`/api/cases/${CASE}/evidence/${long(201)}`, { as: 'viewer' }), 'too-big', 'id');
        await problem(s.request(`/api/tokens/${long(101)}`, { method: 'DELETE', as: 'analyst' }), 'too-big', 'id');
      });

      it('shows the limits in /openapi.json', async () => {
        const doc = (await (await s.request('/openapi.json', { as: 'viewer' })).json()) as {
          paths: Record<string, Record<string, unknown>>;
          components: { schemas: Record<string, Record<string, unknown>> };
        };
        const schemas = doc.components.schemas;
        const props = (name: string) => schemas[name]?.properties as Record<string, Record<string, unknown>>;
        assert.equal(props('EvidenceItem').description?.maxLength, 10_000);
        assert.equal(props('EvidenceItem').tags?.maxItems, 50);
        assert.equal(schemas.EvidenceItem_evidenceId?.maxLength, 200);
        assert.equal(props('EvidenceItem_evidenceSource').title?.maxLength, 1_000);
        const createToken = doc.paths['/api/tokens']?.post as {
          requestBody: { content: { 'application/json': { schema: { properties: Record<string, Record<string, unknown>> } } } };
        };
        const tokenBody = createToken.requestBody.content['application/json'].schema.properties;
        assert.deepEqual([tokenBody.name?.maxLength, tokenBody.user?.maxLength], [100, 64]);
        const listEvidence = doc.paths['/api/cases/{caseId}/evidence']?.get as {
          parameters: { name: string; schema: Record<string, unknown> }[];
        };
        const param = (n: string) => listEvidence.parameters.find((p) => p.name === n)?.schema;
        assert.deepEqual([param('limit')?.type, param('limit')?.maximum, param('limit')?.default], ['integer', 500, 50]);
        assert.deepEqual([param('offset')?.type, param('offset')?.maximum], ['integer', 1_000_000]);
        assert.equal(param('q')?.maxLength, 500);
        assert.match(String(param('from')?.description), /1900-01-01 to 2100-12-31/);
      });
    });

    describe('strict UTF-8', () => {
      it('refuses invalid bytes in a field with invalid-utf8 naming the field, instead of replacing them', async () => {
        const before = (await s.store.listTokens(s.users.analyst.user.id)).length;
        const p = await problem(
          s.request('/api/tokens', bytesInit('POST', withBytes('{"name":"lap', [0xff], 'top"}'), 'analyst')),
          'invalid-utf8',
          'name',
        );
        assert.equal(p.details?.offset, 12);
        assert.equal((await s.store.listTokens(s.users.analyst.user.id)).length, before, 'no token created');
      });

      it('names the field of a batch entry, and the body when the bytes are outside any string', async () => {
        const [head, tail] = JSON.stringify(newEvidence('ev-utf8-bad')).split('Test entry') as [string, string];
        await problem(
          s.request(
            `/api/cases/${CASE}/evidence`,
            bytesInit('POST', withBytes(`{"entries":[${head}Test `, [0xc3, 0x28], ` entry${tail}]}`), 'analyst'),
          ),
          'invalid-utf8',
          'entries.0.description',
        );
        await problem(
          s.request('/api/tokens', bytesInit('POST', withBytes('{"name":"x"', [0xfe], '}'), 'analyst')),
          'invalid-utf8',
          '',
        );
      });

      it('refuses overlong forms, encoded surrogates, truncated sequences and lone surrogate escapes', async () => {
        for (const raw of [
          [0xc0, 0xaf],
          [0xe0, 0x80, 0xaf],
          [0xed, 0xa0, 0x80],
          [0xf4, 0x90, 0x80, 0x80],
          [0xe2, 0x82],
        ])
          await problem(
            s.request('/api/tokens', bytesInit('POST', withBytes('{"name":"', raw, '"}'), 'analyst')),
            'invalid-utf8',
            'name',
          );
        await problem(
          s.request('/api/tokens', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: '{"name":"half \\ud800 a pair"}',
            as: 'analyst',
          }),
          'invalid-utf8',
          'name',
        );
      });

      it('keeps valid UTF-8 as sent: accents, CJK, emoji and escaped pairs', async () => {
        const name = 'café 東京 🛰️ \\ud83d\\ude80';
        const res = await s.request('/api/tokens', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json; charset=utf-8' },
          body: `{"name":"${name}"}`,
          as: 'analyst',
        });
        assert.equal(res.status, 201, await res.clone().text());
        assert.equal(((await res.json()) as { name: string }).name, 'café 東京 🛰️ 🚀');
      });
    });

    describe('dates', () => {
      it('refuses 0000-01-01 and 9999-12-31 in every date parameter, naming the limit', async () => {
        for (const [url, param] of [
          [`/api/cases/${CASE}/assessment?asOf=`, 'asOf'],
          [`/api/cases/${CASE}/assessment?recordedBy=`, 'recordedBy'],
          [`/api/cases/${CASE}/brief?asOf=`, 'asOf'],
          [`/api/cases/${CASE}/evidence?from=`, 'from'],
          [`/api/events?to=`, 'to'],
        ] as const) {
          const low = await problem(s.request(`${url}0000-01-01`, { as: 'viewer' }), 'too-small', param);
          assert.equal(low.details?.limit, '1900-01-01');
          const high = await problem(s.request(`${url}9999-12-31`, { as: 'viewer' }), 'too-big', param);
          assert.equal(high.details?.limit, '2100-12-31');
          assert.match(high.message, /2100-12-31/);
        }
      });

      it('answers the worst history request with 400 at once, not after 90 s', async () => {
        const started = performance.now();
        const error = await refusal(
          s.request(`/api/cases/${CASE}/history?from=0001-01-01&to=9999-12-31&step=month`, { as: 'viewer' }),
          400,
        );
        assert.ok(performance.now() - started < 1_000, 'within a second');
        assert.deepEqual(
          error.problems?.map((p) => [p.code, p.path]),
          [
            ['too-small', 'from'],
            ['too-big', 'to'],
          ],
        );
      });

      it('refuses evidence dates outside 1900–2100 at their paths', async () => {
        const error = await refusal(
          s.request(
            `/api/cases/${CASE}/evidence`,
            jsonInit(
              'POST',
              newEvidence('ev-abuse-date', {
                occurred: '0000-01-01',
                reported: '9999-12-31',
                sources: [{ publisher: 'P', title: 'T', date: 9999, reliability: 'B', credibility: 2 }],
              }),
              'analyst',
            ),
          ),
          400,
        );
        const byPath = Object.fromEntries((error.problems ?? []).map((p) => [p.path, [p.code, p.details?.limit]]));
        assert.deepEqual(byPath.occurred, ['too-small', '1900-01-01']);
        assert.deepEqual(byPath.reported, ['too-big', '2100-12-31']);
        assert.deepEqual(byPath['sources.0.date'], ['too-big', '2100-12-31']);
      });

      it('answers a web page asked for as of 9999-12-31 with 400, not a minute of work', async () => {
        const res = await s.request(`/cases/${CASE}?asOf=9999-12-31`, { as: 'viewer' });
        assert.equal(res.status, 400);
        assert.match(await res.text(), /2100-12-31/);
      });
    });

    describe('integers in query parameters', () => {
      it('takes decimal digits only: 0x10, +5, 1e2, 1.0, -1 and " 5" are refused at limit', async () => {
        for (const bad of ['0x10', '%2B5', '1e2', '1.0', '-1', '%205', '', 'null'])
          await problem(s.request(`/api/cases/${CASE}/evidence?limit=${bad}`, { as: 'viewer' }), 'invalid-format', 'limit');
        const ok = await s.request(`/api/cases/${CASE}/evidence?limit=16`, { as: 'viewer' });
        assert.equal(((await ok.json()) as { limit: number }).limit, 16);
      });

      it('bounds limits, offsets and sequence numbers, naming the bound', async () => {
        assert.equal(
          (await problem(s.request(`/api/cases/${CASE}/evidence?limit=501`, { as: 'viewer' }), 'too-big', 'limit')).details
            ?.limit,
          500,
        );
        assert.equal(
          (await problem(s.request(`/api/cases/${CASE}/evidence?offset=1000001`, { as: 'viewer' }), 'too-big', 'offset')).details
            ?.limit,
          1_000_000,
        );
        await problem(s.request('/api/alerts?limit=1001', { as: 'viewer' }), 'too-big', 'limit');
        await problem(s.request('/api/alerts?afterSeq=null', { as: 'viewer' }), 'invalid-format', 'afterSeq');
        await problem(s.request('/api/audit?afterSeq=9007199254740992', { as: 'analyst' }), 'too-big', 'afterSeq');
        await problem(s.request('/api/audit?afterSeq=99999999999999999999', { as: 'analyst' }), 'invalid-format', 'afterSeq');
      });
    });

    describe('bounded history', () => {
      it('refuses more than 600 points with the limit and the points asked for', async () => {
        const p = await problem(
          s.request(`/api/cases/${CASE}/history?from=1900-01-01&to=2100-12-31&step=month`, { as: 'viewer' }),
          'too-big',
          'from',
        );
        assert.deepEqual(p.details, { limit: 600, points: 2_413 });
        assert.match(p.message, /2413 points; at most 600/);
        const edge = await problem(
          s.request(`/api/cases/${CASE}/history?from=1990-01-01&to=2040-01-01&step=month`, { as: 'viewer' }),
          'too-big',
          'from',
        );
        assert.equal(edge.details?.points, 601);
        const fine = await s.request(`/api/cases/${CASE}/history?from=2000-01-01&to=2026-11-28&step=year`, { as: 'viewer' });
        assert.equal(fine.status, 200);
      });
    });

    describe('required bodies', () => {
      it('answers every POST without a body or content type with 400 required at the body, and a viewer with 403 first', async () => {
        const doc = (await (await s.request('/openapi.json', { as: 'admin' })).json()) as {
          paths: Record<string, Record<string, unknown>>;
        };
        const writes = Object.entries(doc.paths).flatMap(([path, ops]) =>
          Object.keys(ops)
            .filter((m) => ['post', 'put', 'patch'].includes(m))
            .map((m) => ({
              method: m.toUpperCase(),
              path: path.replace('{caseId}', CASE).replace('{id}', 'ev-1999-pressler-waiver'),
            })),
        );
        assert.ok(writes.length >= 6, JSON.stringify(writes));
        for (const w of writes) {
          const p = await problem(s.request(w.path, { method: w.method, as: 'admin' }), 'required', '');
          assert.match(p.message, /JSON body/);
          const empty = await s.request(w.path, {
            method: w.method,
            headers: { 'Content-Type': 'application/json' },
            as: 'admin',
          });
          assert.equal(empty.status, 400, `${w.method} ${w.path} with an empty JSON body`);
          const untyped = await s.request(w.path, {
            method: w.method,
            body: new TextEncoder().encode('{"name":"x"}'),
            as: 'admin',
          });
          assert.equal(untyped.status, 415, `${w.method} ${w.path} with a body and no content type`);
          assert.equal((await s.request(w.path, { method: w.method, as: 'viewer' })).status, 403, `${w.method} ${w.path}`);
        }
      });
    });

    describe('cross-site writes through a session', () => {
      const sessionId = `abuse-session-${Math.random().toString(36).slice(2)}`;
      const csrf = 'abuse-csrf-token-0123456789';
      before(async () => {
        const now = new Date('2026-11-28T12:00:00.000Z');
        await s.store.createSession({
          idHash: sha256Hex(sessionId),
          userId: s.users.analyst.user.id,
          csrfToken: csrf,
          created: now.toISOString(),
          expires: new Date(now.getTime() + 3_600_000).toISOString(),
        });
      });
      const write = (headers: Record<string, string>) =>
        s.request('/api/tokens', {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Cookie: `${SESSION_COOKIE}=${sessionId}`,
            'X-CSRF-Token': csrf,
            ...headers,
          },
          body: JSON.stringify({ name: 'from a page' }),
        });

      it('refuses a write from https://evil.example with a valid session and CSRF token (403 csrf)', async () => {
        const error = await refusal(write({ Origin: 'https://evil.example' }), 403);
        assert.equal(error.code, 'csrf');
        assert.match(error.message, /evil\.example/);
      });

      it('refuses Sec-Fetch-Site cross-site and same-site, and Origin null', async () => {
        for (const headers of [
          { 'Sec-Fetch-Site': 'cross-site' },
          { 'Sec-Fetch-Site': 'same-site', Origin: 'http://localhost' },
          { Origin: 'null' },
        ])
          assert.equal((await refusal(write(headers), 403)).code, 'csrf', JSON.stringify(headers));
      });

      it('accepts same-origin writes, with Origin or with Sec-Fetch-Site only, and writes with neither', async () => {
        for (const headers of [{ Origin: 'http://localhost' }, { 'Sec-Fetch-Site': 'same-origin' }, {}]) {
          const res = await write(headers);
          assert.equal(res.status, 201, `${JSON.stringify(headers)}: ${await res.clone().text()}`);
        }
      });

      it('does not hold bearer-token requests to it: they carry no ambient credential', async () => {
        const res = await s.request('/api/tokens', {
          ...jsonInit('POST', { name: 'script' }, 'analyst'),
          headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
        });
        assert.equal(res.status, 201, await res.clone().text());
      });

      it('refuses cross-site posts of the web forms, sign-in included', async () => {
        const form = await s.request(`/cases/${CASE}/evidence/new`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Cookie: `${SESSION_COOKIE}=${sessionId}`,
            Origin: 'https://evil.example',
          },
          body: `_csrf=${csrf}&id=ev-from-evil`,
        });
        assert.equal((await refusal(form, 403)).code, 'csrf');
        const login = await s.request('/login', {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'cross-site' },
          body: 'name=a&password=b',
        });
        assert.equal((await refusal(login, 403)).code, 'csrf');
      });
    });

    describe('webhook URLs', () => {
      const register = (url: string, server: TestServer = s) =>
        server.request('/api/webhooks', jsonInit('POST', { url }, 'admin'));

      it('refuses loopback, private, link-local and unspecified hosts, however spelt', async () => {
        for (const url of [
          'http://127.0.0.1/hook',
          'http://127.9.9.9:8080/hook',
          'http://localhost:8080/hook',
          'http://LOCALHOST./hook',
          'http://api.localhost/hook',
          'http://[::1]/hook',
          'http://[::ffff:127.0.0.1]/hook',
          'http://10.1.2.3/hook',
          'http://172.16.0.1/hook',
          'http://172.31.255.255/hook',
          'http://192.168.1.1/hook',
          'http://169.254.169.254/latest/meta-data',
          'http://[fc00::1]/hook',
          'http://[fd12:3456::1]/hook',
          'http://[fe80::1]/hook',
          'http://0.0.0.0/hook',
          'http://0/hook',
          'http://2130706433/hook',
          'http://0x7f.1/hook',
          'http://100.64.0.1/hook',
        ]) {
          const p = await problem(register(url), 'custom', 'url');
          assert.match(p.message, /--allow-private-webhooks/, url);
        }
        assert.deepEqual(await s.store.webhooks(), [], 'none stored');
      });

      it('refuses other schemes, URLs without a host, and whitespace or control characters', async () => {
        for (const url of [
          'ftp://example.org/hook',
          'javascript:alert(1)',
          'file:///etc/passwd',
          'http://',
          'https:/example.org',
          'http://example.org/\n',
          'http://exa\tmple.org/hook',
          'http://example.org/a b',
          'http://example.org/\u0000',
          'http://example.org/\u007f',
          'http://example.org/\u2028',
          ' http://example.org/',
        ])
          await problem(register(url), 'custom', 'url');
      });

      it('accepts public http(s) URLs', async () => {
        for (const url of [
          'https://hooks.example.org/proviso',
          'http://172.32.0.1/hook',
          'http://8.8.8.8/hook',
          'https://[2001:db8::1]/h',
        ]) {
          const res = await register(url);
          assert.equal(res.status, 201, `${url}: ${await res.clone().text()}`);
        }
      });

      it('accepts private addresses when the server allows them, but still no control characters', async () => {
        const permissive = await startTestServer(open, { allowPrivateWebhooks: true });
        try {
          assert.equal((await register('http://127.0.0.1:9/hook', permissive)).status, 201);
          assert.equal((await register('http://localhost:9/hook', permissive)).status, 201);
          await problem(register('http://127.0.0.1:9/\nhook', permissive), 'custom', 'url');
        } finally {
          await permissive.close();
        }
      });
    });
  });
}
