/**
 * Answers served many times (src/http/representation.ts, src/http/fast-answers.ts): content
 * negotiation and `If-None-Match` as RFC 9110 reads them; the assessment with a strong ETag,
 * 304 when the client holds it, gzip and brotli negotiated (each coding its own ETag);
 * the answer served before the middleware chain identical to the full route's, and still
 * held to the same authentication, role, parameters and ledger freshness.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { negotiateEncoding, noneMatchHits, Representation, RepresentationCache } from '../../src/http/representation.ts';
import { jsonInit, newEvidence, sqliteOpener, startTestServer, type TestServer } from './support.ts';

const CASE = 'us-pakistan';
const PATH = `/api/cases/${CASE}/assessment?asOf=2023-03-03`;

describe('content negotiation', () => {
  it('picks the acceptable coding of highest weight, brotli on a tie, identity when none', () => {
    const cases: [string | undefined, string | undefined][] = [
      [undefined, undefined],
      ['', undefined],
      ['identity', undefined],
      ['gzip', 'gzip'],
      ['GZip', 'gzip'],
      ['gzip, deflate, br', 'br'],
      ['br;q=0, gzip', 'gzip'],
      ['gzip;q=0.5, br;q=0.4', 'gzip'],
      ['gzip;q=0.5, br;q=0.5', 'br'],
      ['*', 'br'],
      ['*;q=0', undefined],
      ['*, br;q=0', 'gzip'],
      ['gzip;q=0, br;q=0, *;q=0.1', undefined],
      ['deflate, compress', undefined],
      ['gzip ; q = 0.8 , br ; q=0.9', 'br'],
    ];
    for (const [header, expected] of cases) assert.equal(negotiateEncoding(header), expected, String(header));
  });

  it('reads If-None-Match: a list, weak tags compared weakly, and *', () => {
    const etag = '"abc"';
    assert.equal(noneMatchHits(undefined, etag), false);
    assert.equal(noneMatchHits('"abc"', etag), true);
    assert.equal(noneMatchHits('W/"abc"', etag), true);
    assert.equal(noneMatchHits('"x", "abc"', etag), true);
    assert.equal(noneMatchHits('"abcd"', etag), false);
    assert.equal(noneMatchHits('*', etag), true);
    assert.equal(noneMatchHits('"abc-gzip"', etag), false);
  });

  it('keeps representations within the byte budget, least recently used out, one computation per key', async () => {
    const cache = new RepresentationCache(10_000);
    let made = 0;
    const rep = (n: number) => async () => {
      made += 1;
      return new Representation(new Uint8Array(n), 'application/octet-stream');
    };
    const [a, b] = await Promise.all([cache.get('a', rep(2000)), cache.get('a', rep(2000))]);
    assert.equal(a, b);
    assert.equal(made, 1, 'concurrent requests shared one computation');
    await cache.get('b', rep(2000));
    cache.peek('a');
    await cache.get('c', rep(2000));
    assert.equal(cache.peek('b'), undefined, 'b, least recently used, went first');
    assert.ok(cache.peek('a') !== undefined && cache.peek('c') !== undefined);
    assert.ok(cache.bytes <= 10_000);
    await cache.get('huge', rep(6000));
    assert.equal(cache.peek('huge'), undefined, 'a representation over the budget is not kept');
    await assert.rejects(
      cache.get('fails', async () => {
        throw new Error('no');
      }),
    );
    assert.equal((await cache.get('fails', rep(10))).body.byteLength, 10, 'a failure is not kept');
  });
});

describe('the cached assessment over HTTP', () => {
  const stores = sqliteOpener();
  let s: TestServer;
  before(async () => {
    s = await startTestServer(stores.open);
  });
  after(async () => {
    await s.close();
    stores.cleanup();
  });

  const headersOf = (res: Response) => {
    const h = Object.fromEntries(res.headers);
    delete h.date;
    return h;
  };

  /** How many token look-ups `run` makes: the fast answer authenticates once, a request through the chain twice. */
  async function tokenLookups<T>(run: () => Promise<T>): Promise<{ result: T; lookups: number }> {
    const store = s.store as { findToken: TestServer['store']['findToken'] };
    const original = store.findToken;
    let lookups = 0;
    store.findToken = (hash) => {
      lookups += 1;
      return original.call(s.store, hash);
    };
    try {
      return { result: await run(), lookups };
    } finally {
      store.findToken = original;
    }
  }

  it('answers from before the middleware exactly what the full route answers', async () => {
    const { result: full, lookups: fullLookups } = await tokenLookups(() => s.request(PATH, { as: 'viewer' }));
    const { result: fast, lookups: fastLookups } = await tokenLookups(() => s.request(PATH, { as: 'viewer' }));
    assert.deepEqual([fullLookups, fastLookups], [2, 1], 'computed through the chain, then answered before it');
    assert.equal(full.status, 200);
    assert.equal(fast.status, 200);
    assert.deepEqual(headersOf(fast), headersOf(full));
    assert.ok(Buffer.from(await fast.arrayBuffer()).equals(Buffer.from(await full.arrayBuffer())));
    const h = headersOf(fast);
    assert.match(h.etag ?? '', /^"[A-Za-z0-9_-]{27}"$/);
    assert.equal(h.vary, 'Accept-Encoding');
    assert.equal(h['cache-control'], 'private, no-cache');
    assert.equal(h['content-type'], 'application/json');
    assert.equal(h['x-content-type-options'], 'nosniff');
    assert.equal(h['x-frame-options'], 'DENY');
    assert.equal(h['referrer-policy'], 'no-referrer');
    assert.equal(h['cross-origin-opener-policy'], 'same-origin');
    const head = await s.request(PATH, { as: 'viewer', method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('etag'), h.etag);
    assert.equal((await head.arrayBuffer()).byteLength, 0);
  });

  it('answers 304 with no body when the client holds the representation', async () => {
    const first = await s.request(PATH, { as: 'viewer' });
    const etag = first.headers.get('etag') ?? '';
    for (const inm of [etag, `"other", ${etag}`, `W/${etag}`, '*']) {
      const res = await s.request(PATH, { as: 'viewer', headers: { 'If-None-Match': inm } });
      assert.equal(res.status, 304, inm);
      assert.equal(res.headers.get('etag'), etag);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal((await res.arrayBuffer()).byteLength, 0);
    }
    const other = await s.request(PATH, { as: 'viewer', headers: { 'If-None-Match': '"not-it"' } });
    assert.equal(other.status, 200);
    // Its ETag names the identity bytes: a client accepting gzip gets the gzip representation.
    const coded = await s.request(PATH, { as: 'viewer', headers: { 'If-None-Match': etag, 'Accept-Encoding': 'gzip' } });
    assert.equal(coded.status, 200);
  });

  it('negotiates gzip and brotli, each its own representation with its own ETag', async () => {
    const identity = await s.request(PATH, { as: 'viewer' });
    const bytes = Buffer.from(await identity.arrayBuffer());
    const etag = identity.headers.get('etag') ?? '';
    for (const [accept, coding, decode] of [
      ['gzip', 'gzip', gunzipSync],
      ['gzip, br', 'br', brotliDecompressSync],
    ] as const) {
      for (let i = 0; i < 2; i += 1) {
        const res = await s.request(PATH, { as: 'viewer', headers: { 'Accept-Encoding': accept } });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-encoding'), coding);
        assert.equal(res.headers.get('vary'), 'Accept-Encoding');
        assert.equal(res.headers.get('etag'), `${etag.slice(0, -1)}-${coding}"`);
        const body = Buffer.from(await res.arrayBuffer());
        assert.ok(body.length < bytes.length);
        assert.ok(decode(body).equals(bytes), `${coding} decodes to the identity bytes`);
        const held = await s.request(PATH, {
          as: 'viewer',
          headers: { 'Accept-Encoding': accept, 'If-None-Match': res.headers.get('etag') ?? '' },
        });
        assert.equal(held.status, 304);
      }
    }
  });

  it('holds the fast answer to the route’s authentication, role, parameters and case', async () => {
    assert.equal((await s.request(PATH, { as: 'viewer' })).status, 200, 'cached');
    const none = await s.request(PATH);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
    assert.equal((await s.request(PATH, { headers: { Authorization: 'Bearer pvs_wrong' } })).status, 401);
    assert.equal((await s.request(`${PATH}&asOf=2023-03-04`, { as: 'viewer' })).status, 400, 'asOf twice');
    assert.equal((await s.request(`/api/cases/${CASE}/assessment?asOf=2023-3-3`, { as: 'viewer' })).status, 400);
    assert.equal((await s.request('/api/cases/no-such-case/assessment?asOf=2023-03-03', { as: 'viewer' })).status, 404);
    // A revoked token is refused at once, cached answer or not.
    const viewer = s.users.viewer;
    const [token] = await s.store.listTokens(viewer.user.id);
    assert.ok(token);
    assert.equal(await s.store.revokeToken(token.id, new Date().toISOString()), true);
    assert.equal((await s.request(PATH, { as: 'viewer' })).status, 401);
  });

  it('answers the ledger as stored now: a write changes today’s assessment and its ETag', async () => {
    const today = `/api/cases/${CASE}/assessment`;
    const before = await s.request(today, { as: 'analyst' });
    assert.equal((await s.request(today, { as: 'analyst' })).headers.get('etag'), before.headers.get('etag'));
    const write = await s.request(
      `/api/cases/${CASE}/evidence`,
      jsonInit('POST', newEvidence('ev-representation-1', { occurred: '2026-11-20' }), 'analyst'),
    );
    assert.equal(write.status, 201);
    const after = await s.request(today, { as: 'analyst' });
    assert.notEqual(after.headers.get('etag'), before.headers.get('etag'));
    const expected = await s.deps.cases.assessmentJson(CASE, '2026-11-28');
    assert.equal(await after.text(), expected);
    const stale = await s.request(today, {
      as: 'analyst',
      headers: { 'If-None-Match': before.headers.get('etag') ?? '' },
    });
    assert.equal(stale.status, 200, 'the old ETag no longer matches');
  });
});
