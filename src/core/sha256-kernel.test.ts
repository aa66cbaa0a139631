import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { wasmSha256 } from './sha256-kernel.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('SHA-256 over the WebAssembly kernel', () => {
  const make = wasmSha256();

  it('is available where WebAssembly runs', () => {
    assert.notEqual(make, null);
  });

  it('gives the standard digests of the FIPS 180-4 examples', () => {
    const of = (text: string) => {
      const h = make?.() ?? sha256.create();
      h.update(new TextEncoder().encode(text));
      return hex(h.digest());
    };
    assert.equal(of(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(of('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(
      of('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it("equals Node's SHA-256 for any bytes, however they are split into parts (property)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 700 }),
        fc.array(fc.nat({ max: 200 }), { maxLength: 8 }),
        fc.nat({ max: 300_000 }),
        (bytes, cuts, long) => {
          // Sometimes far longer than one slice of the kernel's memory.
          const data = long > 290_000 ? new Uint8Array(long).map((_, i) => (i * 7) & 255) : bytes;
          const h = make?.() ?? sha256.create();
          let at = 0;
          for (const n of cuts) {
            h.update(data.subarray(at, at + n));
            at = Math.min(data.length, at + n);
          }
          h.update(data.subarray(at));
          assert.equal(hex(h.digest()), createHash('sha256').update(data).digest('hex'));
        },
      ),
      { numRuns: 400 },
    );
  });
});
