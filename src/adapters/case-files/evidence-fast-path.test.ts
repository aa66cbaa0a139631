/**
 * The loader's fast check of evidence items against the schema it stands in for: whatever
 * it accepts, zod accepts with the same output; every well-formed item takes the fast path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CREDIBILITIES, FINDING_GRADES, RELIABILITIES } from '../../core/case-model.ts';
import { ACTION_KINDS, CLAIM_KINDS, FLOW_KINDS } from '../../core/evidence.ts';
import { CURRENCY_PATTERN, EVIDENCE_ID_PATTERN, evidenceItemSchema, ID_PATTERN } from './case-schema.ts';
import { parseEvidenceFast } from './evidence-fast-path.ts';

const text = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('Reuters', 'arrest', 'é – ✓'));
const id = fc.stringMatching(ID_PATTERN);
const partialDate = fc.oneof(fc.constantFrom('2020', '2020-02', '2020-02-30', 'soon', ''), fc.integer({ min: 1000, max: 9999 }));
const source = fc.record(
  {
    publisher: text,
    title: text,
    date: partialDate,
    url: fc.constantFrom('https://example.org/a?b=1', 'http://news.example/x'),
    reliability: fc.constantFrom(...RELIABILITIES),
    credibility: fc.constantFrom(...CREDIBILITIES),
    origin: text,
  },
  { requiredKeys: ['publisher', 'title', 'date', 'reliability', 'credibility'] },
);
const validItem = fc.record(
  {
    id: fc.stringMatching(EVIDENCE_ID_PATTERN),
    kind: text,
    actors: fc.array(id, { maxLength: 3 }),
    description: text,
    occurred: fc.oneof(partialDate, fc.record({ from: partialDate, to: partialDate })),
    reported: partialDate,
    recorded: fc.constantFrom('2021-01-05', '2021-13-01', 'x'),
    amount: fc.double({ noNaN: true, noDefaultInfinity: true }),
    currency: fc.stringMatching(CURRENCY_PATTERN),
    quantity: fc.record({ value: fc.integer(), of: fc.integer(), unit: text }, { requiredKeys: ['value'] }),
    tags: fc.array(text, { maxLength: 3 }),
    supersedes: fc.stringMatching(EVIDENCE_ID_PATTERN),
    retracted: fc.boolean(),
    note: text,
    action: fc.record({ instrument: id, kind: fc.constantFrom(...ACTION_KINDS) }),
    claim: fc.constantFrom(...CLAIM_KINDS),
    flow: fc.record({ kind: fc.constantFrom(...FLOW_KINDS), payer: id, payee: id }),
    finding: fc.record({ benchmark: id, grade: fc.constantFrom(...FINDING_GRADES), assessor: text }),
    sources: fc.array(source, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ['id', 'kind', 'actors', 'description', 'occurred', 'reported', 'recorded', 'sources'] },
);

/** Values a broken item may hold where another is expected. */
const wrong = fc.oneof(
  fc.constantFrom(null, '', 'X Y', 'https//nope', 0, -1, 1.5, 10000, 999, Number.NaN, Number.POSITIVE_INFINITY, true, [], {}, [
    'ok',
  ]),
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.double(),
  fc.constant(undefined),
);

type Item = Record<string, unknown>;

/** A broken copy: one value somewhere (the item, a source, a nested mapping) replaced, removed or added. */
function broken(item: Item, choice: { path: number; key: number; how: number; value: unknown; extra: string }): Item {
  const copy = structuredClone(item) as Item;
  const sources = copy.sources as Item[];
  const holders: Item[] = [copy, ...sources];
  for (const k of ['occurred', 'quantity', 'action', 'flow', 'finding']) {
    const v = copy[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) holders.push(v as Item);
  }
  const target = holders[choice.path % holders.length] as Item;
  const keys = Object.keys(target);
  const key = keys[choice.key % Math.max(1, keys.length)] ?? 'id';
  if (choice.how === 0) delete target[key];
  else if (choice.how === 1) target[choice.extra] = choice.value;
  else if (choice.how === 2 && Array.isArray(target[key])) (target[key] as unknown[]).push(choice.value);
  else target[key] = choice.value;
  return copy;
}

describe('the fast check of evidence items', () => {
  it('takes every well-formed item, with the output zod gives (property)', () => {
    fc.assert(
      fc.property(validItem, (item) => {
        const z = evidenceItemSchema.safeParse(item);
        const fast = parseEvidenceFast(item);
        assert.equal(z.success, true);
        assert.notEqual(fast, undefined);
        assert.deepStrictEqual(fast, z.data);
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts nothing zod rejects, and gives zod’s output for what it accepts (property)', () => {
    fc.assert(
      fc.property(
        validItem,
        fc.record({
          path: fc.nat(),
          key: fc.nat(),
          how: fc.integer({ min: 0, max: 3 }),
          value: wrong,
          extra: fc.constantFrom('extra', 'Id', 'source', '__proto__', 'value'),
        }),
        (item, choice) => {
          const value = broken(item as Item, choice);
          const fast = parseEvidenceFast(value);
          if (fast === undefined) return;
          const z = evidenceItemSchema.safeParse(value);
          assert.equal(z.success, true, JSON.stringify(value));
          assert.deepStrictEqual(fast, z.data);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('leaves anything that is not a mapping to zod', () => {
    for (const v of [null, undefined, 'item', 3, [], [{ id: 'a' }]]) assert.equal(parseEvidenceFast(v), undefined);
  });
});
