import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  allDyadsKernel,
  countAllDyads,
  countAllDyadsBitParallel,
  countAllDyadsNaive,
  countAllDyadsWasm,
  type DyadCountsTable,
  equalCountsTables,
  readPair,
  type VoteMatrix,
} from './all-dyads.ts';
import { countDyad, measureFromCounts, VOTE_CODE } from './dyad-measures.ts';

const { yes, abstain, no, absent } = VOTE_CODE;

/** One country's votes on r roll calls: mixed, none at all, abstaining or absent only, or one choice throughout. */
const countryVotes = (r: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.constantFrom(absent, yes, abstain, no), { minLength: r, maxLength: r }) },
    { weight: 1, arbitrary: fc.constant(new Array<number>(r).fill(absent)) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(absent, abstain), { minLength: r, maxLength: r }) },
    { weight: 1, arbitrary: fc.constantFrom(yes, abstain, no).map((v) => new Array<number>(r).fill(v)) },
  );

/**
 * Roll-call counts: none or one; around the 8-vote groups and 32- and 64-bit word edges;
 * one to three 64-bit words (the kernel's unrolled cases) and more (its general loop).
 */
const rollCallCount = fc.oneof(
  fc.integer({ min: 0, max: 2 }),
  fc.constantFrom(7, 8, 9, 31, 32, 33, 63, 64, 65, 127, 128, 129, 191, 192, 193, 255, 256, 257),
  fc.integer({ min: 0, max: 300 }),
);

const voteMatrix: fc.Arbitrary<VoteMatrix> = fc
  .record({ size: fc.integer({ min: 0, max: 12 }), rollCalls: rollCallCount })
  .chain(({ size, rollCalls }) =>
    fc.array(countryVotes(rollCalls), { minLength: size, maxLength: size }).map((rows) => ({
      countries: rows.map((_, i) => `C${i}`),
      rollCalls,
      votes: Uint8Array.from(rows.flat()),
    })),
  );

const row = (m: VoteMatrix, c: number) => Array.from(m.votes.subarray(c * m.rollCalls, (c + 1) * m.rollCalls));

describe('all dyads: every path gives the per-pair reference table', () => {
  it('runs the WebAssembly kernel here (Node 20)', () => {
    assert.equal(allDyadsKernel(), 'webassembly');
  });

  it('countAllDyads, the WebAssembly kernel (any block size) and the JavaScript bit-parallel path equal the per-pair loop', () => {
    fc.assert(
      fc.property(voteMatrix, fc.integer({ min: 1, max: 40 }), (m, blockPairs) => {
        const reference = countAllDyadsNaive(m);
        const tables: (DyadCountsTable | null)[] = [
          countAllDyads(m),
          countAllDyadsWasm(m),
          countAllDyadsWasm(m, blockPairs),
          countAllDyadsBitParallel(m),
        ];
        return tables.every((t) => t !== null && t.n.length === reference.n.length && equalCountsTables(t, reference));
      }),
      { numRuns: 300 },
    );
  });

  it('every measure of every pair is identical to the one from countDyad on the two rows', () => {
    fc.assert(
      fc.property(voteMatrix, (m) => {
        const t = countAllDyads(m);
        for (let i = 0; i < m.countries.length; i++) {
          for (let j = i + 1; j < m.countries.length; j++) {
            assert.deepStrictEqual(measureFromCounts(readPair(t, i, j)), measureFromCounts(countDyad(row(m, i), row(m, j))));
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('years counted one after another (the kernel reuses its memory) each equal the reference', () => {
    fc.assert(
      fc.property(fc.array(voteMatrix, { minLength: 1, maxLength: 6 }), (years) => {
        const fast = years.map(countAllDyads);
        return years.every((m, y) => equalCountsTables(fast[y] as DyadCountsTable, countAllDyadsNaive(m)));
      }),
      { numRuns: 60 },
    );
  });

  it('a year larger than one kernel block (300 countries, 70 roll calls: 44,850 pairs)', () => {
    const size = 300;
    const rollCalls = 70;
    let seed = 7;
    const votes = Uint8Array.from({ length: size * rollCalls }, () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) & 3;
    });
    const m = { countries: Array.from({ length: size }, (_, i) => `C${i}`), rollCalls, votes };
    assert.ok(equalCountsTables(countAllDyads(m), countAllDyadsNaive(m)));
  });

  it('refuses vote codes above 3 on both packed paths, naming the country and roll call, and goes on working', () => {
    const m = { countries: ['AA', 'BB'], rollCalls: 3, votes: Uint8Array.from([1, 2, 3, 1, 4, 0]) };
    const message = /vote code 4 for BB on roll call 1 is not 0–3/;
    assert.throws(() => countAllDyads(m), message);
    assert.throws(() => countAllDyadsBitParallel(m), message);
    const ok = { ...m, votes: Uint8Array.from([1, 2, 3, 1, 3, 0]) };
    assert.ok(equalCountsTables(countAllDyads(ok), countAllDyadsNaive(ok)));
  });

  it('both packed paths name the same first vote code above 3, wherever it is', () => {
    const withBadCodes = voteMatrix
      .filter((m) => m.votes.length > 0)
      .chain((m) =>
        fc
          .array(fc.tuple(fc.nat(m.votes.length - 1), fc.integer({ min: 4, max: 255 })), { minLength: 1, maxLength: 3 })
          .map((bad) => {
            const votes = Uint8Array.from(m.votes);
            for (const [at, code] of bad) votes[at] = code;
            return { ...m, votes };
          }),
      );
    fc.assert(
      fc.property(withBadCodes, (m) => {
        const message = (f: () => unknown) => {
          try {
            f();
          } catch (e) {
            return e instanceof RangeError ? e.message : `not a RangeError: ${e}`;
          }
          return 'no error';
        };
        assert.equal(
          message(() => countAllDyads(m)),
          message(() => countAllDyadsBitParallel(m)),
        );
        assert.match(
          message(() => countAllDyads(m)),
          /^vote code \d+ for C\d+ on roll call \d+ is not 0–3$/,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a matrix whose cells do not match its countries × roll calls', () => {
    assert.throws(() => countAllDyads({ countries: ['AA', 'BB'], rollCalls: 2, votes: new Uint8Array(3) }), RangeError);
  });
});
