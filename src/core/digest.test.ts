/**
 * The input digests hash fixed bytes: the header's canonical JSON, then each entry's
 * canonical JSON (its fields as an array in a fixed order), each part preceded by its
 * UTF-8 byte length and a colon. However they are produced (chunked, in one pass for two
 * digests, with the core's SHA-256 or Node's), they equal this reference.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json.ts';
import { digestOfEntries, digestsOfEntriesAndSubset, type Sha256 } from './digest.ts';
import type { Evidence } from './evidence.ts';

/** Reference implementation (intentional twin of digest.ts): the canonical text, written out again so the test pins it. */
function canonicalEntry(e: Evidence): string {
  return JSON.stringify([
    e.id,
    e.kind,
    e.actors,
    e.description,
    e.occurred,
    e.occurredTo,
    e.reported,
    e.recorded,
    e.sources.map((x) => [x.publisher, x.title, x.date, x.url ?? null, x.reliability, x.credibility, x.origin ?? null]),
    e.amount ?? null,
    e.currency ?? null,
    e.quantity === undefined ? null : [e.quantity.value, e.quantity.of ?? null, e.quantity.unit ?? null],
    e.tags,
    e.supersedes ?? null,
    e.retracted ?? null,
    e.note ?? null,
  ]);
}

function reference(header: unknown, entries: readonly Evidence[]): string {
  const hash = createHash('sha256');
  for (const text of [canonicalJson(header), ...entries.map(canonicalEntry)]) {
    const bytes = new TextEncoder().encode(text);
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return `sha256:${hash.digest('hex')}`;
}

const nodeSha256: Sha256 = () => createHash('sha256');

/** Texts that are ASCII, multi-byte (2, 3 and 4 bytes per character) or need escaping. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('é', '中文', '😀', '"quoted" \\ back', '\n\t', '\ud800 lone'),
);

const evidence: fc.Arbitrary<Evidence> = fc
  .record(
    {
      id: fc.string({ minLength: 1 }),
      kind: fc.constantFrom('arrest', 'release', 'aid'),
      actors: fc.array(text, { maxLength: 3 }),
      description: fc.oneof(
        text,
        fc.tuple(text, fc.integer({ min: 0, max: 40 })).map(([t, n]) => t.repeat(n)),
      ),
      sources: fc.array(
        fc.record(
          {
            publisher: text,
            title: text,
            date: fc.constant('2020-01-01'),
            url: text,
            reliability: fc.constantFrom('A' as const, 'C' as const),
            credibility: fc.constantFrom(1 as const, 4 as const),
            origin: text,
          },
          { requiredKeys: ['publisher', 'title', 'date', 'reliability', 'credibility'] },
        ),
        { maxLength: 2 },
      ),
      amount: fc.double({ noNaN: true, noDefaultInfinity: true }),
      currency: fc.constantFrom('USD', 'EUR'),
      quantity: fc.record({ value: fc.integer(), of: fc.integer() }, { requiredKeys: ['value'] }),
      tags: fc.array(text, { maxLength: 2 }),
      supersedes: fc.string(),
      retracted: fc.boolean(),
      note: text,
    },
    { requiredKeys: ['id', 'kind', 'actors', 'description', 'sources', 'tags'] },
  )
  .map((r) => ({ ...r, occurred: '2020-01-01', occurredTo: '2020-01-02', reported: '2020-01-03', recorded: '2020-01-04' }));

describe('input digests', () => {
  it('hash the length-prefixed canonical texts, with the core SHA-256 or a native one', () => {
    fc.assert(
      fc.property(fc.array(evidence, { maxLength: 12 }), (entries) => {
        const expected = reference({ engine: 'x', asOf: '2020-01-05' }, entries);
        assert.equal(digestOfEntries({ engine: 'x', asOf: '2020-01-05' }, entries), expected);
        // Again on the same objects (their texts are kept now), and with Node's SHA-256.
        assert.equal(digestOfEntries({ engine: 'x', asOf: '2020-01-05' }, entries, nodeSha256), expected);
      }),
    );
  });

  it('give two digests in one pass: of all entries and of a subset', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(evidence, fc.boolean()), { maxLength: 12 }), fc.boolean(), (pairs, native) => {
        const entries = pairs.map(([e]) => e);
        const chosen = new Set(pairs.filter(([, inSubset]) => inSubset).map(([e]) => e));
        const { all, subset } = digestsOfEntriesAndSubset(
          { all: true },
          entries,
          { all: false },
          (e) => chosen.has(e),
          native ? nodeSha256 : undefined,
        );
        assert.equal(all, reference({ all: true }, entries));
        assert.equal(subset, reference({ all: false }, [...chosen]));
      }),
    );
  });

  it('handle entries larger than a chunk and byte lengths with more digits than character counts', () => {
    const base = { kind: 'k', actors: [], occurred: '2020-01-01', occurredTo: '2020-01-01', reported: '2020-01-01' };
    const entry = (id: string, description: string): Evidence => ({
      ...base,
      id,
      description,
      recorded: '2020-01-01',
      sources: [],
      tags: [],
    });
    const entries = [
      entry('huge-multibyte', 'é'.repeat(700_000)),
      entry('huge-ascii', 'z'.repeat(1_200_000)),
      // 99 characters of JSON around 'é' whose bytes need three digits: "[\"n\",\"k\",…]"
      ...Array.from({ length: 60 }, (_, n) => entry(`n${n}`, `${'é'.repeat(n)}${'y'.repeat(40)}`)),
      entry('last', '😀'),
    ];
    const every = (e: Evidence) => e.id.startsWith('n') && Number(e.id.slice(1)) % 2 === 0;
    const { all, subset } = digestsOfEntriesAndSubset({ h: 1 }, entries, { h: 2 }, every, nodeSha256);
    assert.equal(all, reference({ h: 1 }, entries));
    assert.equal(subset, reference({ h: 2 }, entries.filter(every)));
    assert.equal(digestOfEntries({ h: 1 }, entries), all);
  });
});
