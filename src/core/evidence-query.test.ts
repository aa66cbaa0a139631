import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { evidence, source } from '../../test/support/builders.ts';
import { RELIABILITIES, type Reliability } from './case-model.ts';
import type { Evidence } from './evidence.ts';
import { type EvidenceFilter, matchesEvidenceFilter, queryEvidence } from './evidence-query.ts';

const ALL = { offset: 0, limit: Number.POSITIVE_INFINITY };

const entries: Evidence[] = [
  evidence('ev-b', 'arrest', '2019-07-17', {
    actors: ['hafiz-saeed', 'pakistan'],
    description: 'Hafiz Saeed arrested on terror-financing charges',
    tags: ['fatf'],
    sources: [source({ publisher: 'Hindustan Times', title: 'Saeed held', reliability: 'B', credibility: 2 })],
  }),
  evidence('ev-a', 'release', '2019-07-17', {
    actors: ['masood-azhar'],
    description: 'Released from house arrest',
    sources: [source({ publisher: 'Dawn', reliability: 'C', credibility: 3 })],
  }),
  evidence('ev-c', 'conviction', '2020-02-12', {
    actors: ['hafiz-saeed'],
    description: 'Convicted by an anti-terrorism court',
    sources: [
      source({ publisher: 'Reuters', title: 'Court convicts', reliability: 'A', credibility: 1 }),
      source({ publisher: 'Blog', reliability: 'E', credibility: 5 }),
    ],
  }),
  evidence('ev-span', 'detention', '2018-12-01', {
    occurredTo: '2019-03-31',
    reported: '2019-04-01',
    actors: ['pakistan'],
    description: 'Detention of militants over a winter',
    sources: [],
  }),
];

const ids = (es: readonly Evidence[]) => es.map((e) => e.id);

describe('queryEvidence', () => {
  it('orders newest occurrence first, then by id, and counts every match', () => {
    const r = queryEvidence(entries, {}, ALL);
    assert.equal(r.total, 4);
    assert.deepEqual(ids(r.items), ['ev-c', 'ev-a', 'ev-b', 'ev-span']);
  });

  it('selects entries whose occurrence overlaps the date range', () => {
    assert.deepEqual(ids(queryEvidence(entries, { from: '2019-03-01', to: '2019-03-31' }, ALL).items), ['ev-span']);
    assert.deepEqual(ids(queryEvidence(entries, { from: '2019-04-01' }, ALL).items), ['ev-c', 'ev-a', 'ev-b']);
    assert.deepEqual(ids(queryEvidence(entries, { to: '2018-12-01' }, ALL).items), ['ev-span']);
    assert.deepEqual(ids(queryEvidence(entries, { to: '2018-11-30' }, ALL).items), []);
  });

  it('filters by actor, kind and minimum source reliability', () => {
    assert.deepEqual(ids(queryEvidence(entries, { actor: 'hafiz-saeed' }, ALL).items), ['ev-c', 'ev-b']);
    assert.deepEqual(ids(queryEvidence(entries, { kind: 'release' }, ALL).items), ['ev-a']);
    assert.deepEqual(ids(queryEvidence(entries, { reliability: 'B' }, ALL).items), ['ev-c', 'ev-b']);
    assert.deepEqual(ids(queryEvidence(entries, { reliability: 'A' }, ALL).items), ['ev-c']);
    // An entry without sources passes no reliability bar, not even F.
    assert.deepEqual(ids(queryEvidence(entries, { reliability: 'F' }, ALL).items), ['ev-c', 'ev-a', 'ev-b']);
  });

  it('searches every word, case-insensitively, across id, kind, text, actors, tags and sources', () => {
    const q = (text: string) => ids(queryEvidence(entries, { q: text }, ALL).items);
    assert.deepEqual(q('SAEED arrested'), ['ev-b']);
    assert.deepEqual(q('fatf'), ['ev-b']);
    assert.deepEqual(q('reuters'), ['ev-c']);
    assert.deepEqual(q('court convicts'), ['ev-c']);
    assert.deepEqual(q('ev-span'), ['ev-span']);
    assert.deepEqual(q('masood'), ['ev-a']);
    assert.deepEqual(q('release'), ['ev-a']);
    assert.deepEqual(q('saeed dawn'), []);
    assert.deepEqual(q('   '), ['ev-c', 'ev-a', 'ev-b', 'ev-span']);
  });

  it('returns facets over all entries searched, whatever matched', () => {
    const r = queryEvidence(entries, { kind: 'release' }, ALL);
    assert.deepEqual(r.facets.kinds, ['arrest', 'conviction', 'detention', 'release']);
    assert.deepEqual(r.facets.actors, ['hafiz-saeed', 'masood-azhar', 'pakistan']);
  });

  it('pages, clamping odd offsets and limits', () => {
    assert.deepEqual(ids(queryEvidence(entries, {}, { offset: 1, limit: 2 }).items), ['ev-a', 'ev-b']);
    assert.deepEqual(ids(queryEvidence(entries, {}, { offset: -5, limit: 1 }).items), ['ev-c']);
    assert.deepEqual(ids(queryEvidence(entries, {}, { offset: 0, limit: 0 }).items), []);
    assert.deepEqual(ids(queryEvidence(entries, {}, { offset: Number.NaN, limit: Number.NaN }).items), []);
    assert.equal(queryEvidence(entries, {}, { offset: 10, limit: 5 }).total, 4);
  });
});

// ---- Properties ------------------------------------------------------------------------

const day = fc.integer({ min: 0, max: 60 }).map((n) => {
  const d = new Date(Date.UTC(2020, 0, 1 + n));
  return d.toISOString().slice(0, 10);
});
const word = fc.constantFrom('arrest', 'release', 'saeed', 'azhar', 'court', 'fatf', 'Dawn', 'REUTERS');
const entryArb = fc
  .record({
    id: fc.stringMatching(/^[a-z0-9]{1,6}$/),
    kind: fc.constantFrom('arrest', 'release', 'conviction'),
    actors: fc.subarray(['a1', 'a2', 'a3']),
    start: day,
    length: fc.integer({ min: 0, max: 10 }),
    words: fc.array(word, { maxLength: 3 }),
    tags: fc.subarray(['fatf', 'un']),
    grades: fc.array(fc.constantFrom(...RELIABILITIES), { maxLength: 3 }),
  })
  .map((r): Evidence => {
    const end = new Date(
      Date.UTC(Number(r.start.slice(0, 4)), Number(r.start.slice(5, 7)) - 1, Number(r.start.slice(8)) + r.length),
    )
      .toISOString()
      .slice(0, 10);
    return evidence(r.id, r.kind, r.start, {
      occurredTo: end,
      actors: r.actors,
      description: r.words.join(' '),
      tags: r.tags,
      sources: r.grades.map((g, i) => source({ publisher: `P${i}`, reliability: g })),
    });
  });
const ledgerArb = fc.uniqueArray(entryArb, { selector: (e) => e.id, maxLength: 25 });
const queryArb: fc.Arbitrary<EvidenceFilter> = fc.record(
  {
    from: day,
    to: day,
    actor: fc.constantFrom('a1', 'a2', 'a3'),
    kind: fc.constantFrom('arrest', 'release', 'conviction'),
    reliability: fc.constantFrom<Reliability>(...RELIABILITIES),
    q: fc.array(word, { maxLength: 2 }).map((ws) => ws.join(' ')),
  },
  { requiredKeys: [] },
);

describe('queryEvidence properties', () => {
  it('concatenating the pages gives the unpaged result', () => {
    fc.assert(
      fc.property(ledgerArb, queryArb, fc.integer({ min: 1, max: 7 }), (ledger, query, size) => {
        const all = queryEvidence(ledger, query, ALL);
        const pages: Evidence[] = [];
        for (let offset = 0; offset < all.total; offset += size) {
          const page = queryEvidence(ledger, query, { offset, limit: size });
          assert.equal(page.total, all.total);
          assert.ok(page.items.length <= size);
          pages.push(...page.items);
        }
        assert.deepEqual(ids(pages), ids(all.items));
      }),
    );
  });

  it('filters are conjunctive: a query matches exactly the entries every one-filter query matches', () => {
    fc.assert(
      fc.property(ledgerArb, queryArb, (ledger, query) => {
        const single = (Object.keys(query) as (keyof EvidenceFilter)[]).map(
          (k) => new Set(ids(queryEvidence(ledger, { [k]: query[k] }, ALL).items)),
        );
        const expected = ledger.filter((e) => single.every((s) => s.has(e.id)));
        const got = queryEvidence(ledger, query, ALL).items;
        assert.deepEqual(new Set(ids(got)), new Set(ids(expected)));
        for (const e of got) assert.ok(matchesEvidenceFilter(e, query));
      }),
    );
  });

  it('the order is newest occurrence first, ids ascending within a day, and independent of input order', () => {
    fc.assert(
      fc.property(ledgerArb, (ledger) => {
        const a = ids(queryEvidence(ledger, {}, ALL).items);
        const b = ids(queryEvidence([...ledger].reverse(), {}, ALL).items);
        assert.deepEqual(a, b);
        const items = queryEvidence(ledger, {}, ALL).items;
        for (let i = 1; i < items.length; i++) {
          const [p, n] = [items[i - 1]!, items[i]!];
          assert.ok(p.occurred > n.occurred || (p.occurred === n.occurred && p.id < n.id));
        }
      }),
    );
  });
});
