import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json.ts';

/** Reference implementation (intentional twin of canonical-json.ts): key-sorted JSON by recursion, to compare against. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

describe('canonical JSON', () => {
  it('parses back to the same data, whatever order the keys were written in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(sortKeys(v))));
        const reversed = JSON.parse(JSON.stringify(v), (_k, x) =>
          x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).reverse()) : x,
        );
        assert.equal(canonicalJson(reversed), text);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order fields were written in', () => {
    assert.equal(canonicalJson({ b: 1, a: [1, { d: 2, c: undefined }] }), '{"a":[1,{"d":2}],"b":1}');
    assert.equal(canonicalJson({ a: [1, { d: 2 }], b: 1 }), canonicalJson({ b: 1, a: [1, { d: 2 }] }));
  });
});
