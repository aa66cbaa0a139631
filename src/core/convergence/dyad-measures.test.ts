import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { countAllDyadsBitParallel, countAllDyadsNaive, equalCountsTables, pairIndex, popcount32, readPair } from './all-dyads.ts';
import { countDyad, measureFromCounts, parseVoteChoice, VOTE_CODE } from './dyad-measures.ts';

const { yes, abstain, no, absent } = VOTE_CODE;
const close = (x: number | null, y: number) => assert.ok(x !== null && Math.abs(x - y) < 1e-12, `${x} ≠ ${y}`);

describe('dyad measures on a hand-computed fixture', () => {
  // r0 yes/yes, r1 yes/no, r2 no/no, r3 abstain/yes, r4 yes/abstain, r5 absent/yes (left out)
  const a = [yes, yes, no, abstain, yes, absent];
  const b = [yes, no, no, yes, abstain, yes];

  it('counts: n 5, same 2, opposite 1, partial 2', () => {
    assert.deepEqual(countDyad(a, b), { n: 5, same: 2, opposite: 1, partial: 2, aYes: 3, aAbstain: 1, bYes: 2, bAbstain: 1 });
  });

  it('agreement 2/5, half-agreement 3/5, S = 1 − 2·4/10, kappa (0.4 − 0.36)/0.64', () => {
    const m = measureFromCounts(countDyad(a, b));
    close(m.agreement, 0.4);
    close(m.agreementHalf, 0.6);
    // city-block distance on yes=1, abstain=2, no=3: 0 + 2 + 0 + 1 + 1 = 4; d_max = 2·5
    close(m.sScore, 1 - (2 * 4) / 10);
    // pₑ = (3·2 + 1·1 + 1·2)/25 = 0.36
    close(m.kappa, (0.4 - 0.36) / 0.64);
  });

  it('perfect opposition gives S = −1 and kappa = −1', () => {
    const m = measureFromCounts(countDyad([yes, no], [no, yes]));
    close(m.sScore, -1);
    close(m.kappa, -1);
    close(m.agreement, 0);
  });

  it('no shared roll call: every measure unknown', () => {
    assert.deepEqual(measureFromCounts(countDyad([yes, absent], [absent, no])), {
      n: 0,
      agreement: null,
      agreementHalf: null,
      kappa: null,
      sScore: null,
    });
  });

  it('always the same single choice: kappa defined as 1', () => {
    close(measureFromCounts(countDyad([yes, yes], [yes, yes])).kappa, 1);
  });

  it('parses Voeten codes and words; rejects the rest', () => {
    assert.equal(parseVoteChoice('1'), 'yes');
    assert.equal(parseVoteChoice('2'), 'abstain');
    assert.equal(parseVoteChoice(' 3 '), 'no');
    assert.equal(parseVoteChoice('8'), 'absent');
    assert.equal(parseVoteChoice('9'), 'absent');
    assert.equal(parseVoteChoice('Yes'), 'yes');
    assert.equal(parseVoteChoice('4'), undefined);
  });
});

describe('popcount and pair index', () => {
  it('popcount32 matches a bit loop', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (x) => {
        let c = 0;
        for (let b = 0; b < 32; b++) c += (x >>> b) & 1;
        return popcount32(x) === c;
      }),
    );
  });
  it('pair indexes are dense and ordered', () => {
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) seen.push(pairIndex(i, j, 6));
    assert.deepEqual(
      seen,
      seen.map((_, k) => k),
    );
  });
});

const codes = fc.constantFrom(absent, yes, abstain, no);
const votePair = fc
  .integer({ min: 0, max: 90 })
  .chain((len) =>
    fc.tuple(fc.array(codes, { minLength: len, maxLength: len }), fc.array(codes, { minLength: len, maxLength: len })),
  );

describe('properties', () => {
  it('symmetry: every measure is the same for (a, b) and (b, a)', () => {
    fc.assert(
      fc.property(votePair, ([a, b]) => {
        const x = measureFromCounts(countDyad(a, b));
        const y = measureFromCounts(countDyad(b, a));
        for (const k of ['agreement', 'agreementHalf', 'kappa', 'sScore'] as const) {
          const u = x[k];
          const v = y[k];
          if (u === null || v === null ? u !== v : Math.abs(u - v) > 1e-12) return false;
        }
        return true;
      }),
    );
  });

  it('identical voters give 1 on every measure (when they share a roll call)', () => {
    fc.assert(
      fc.property(fc.array(codes, { maxLength: 90 }), (a) => {
        const m = measureFromCounts(countDyad(a, a));
        if (m.n === 0) return m.agreement === null;
        return m.agreement === 1 && m.agreementHalf === 1 && m.kappa === 1 && m.sScore === 1;
      }),
    );
  });

  it('ranges: agreement in [0, 1]; kappa and S in [−1, 1]; S = 2·half-agreement − 1', () => {
    fc.assert(
      fc.property(votePair, ([a, b]) => {
        const m = measureFromCounts(countDyad(a, b));
        if (m.n === 0) return true;
        const eps = 1e-12;
        const { agreement: ag, agreementHalf: ah, kappa: k, sScore: s } = m as { [K in keyof typeof m]: number };
        return (
          ag >= 0 &&
          ag <= 1 &&
          ah >= ag - eps &&
          ah <= 1 &&
          k >= -1 - eps &&
          k <= 1 + eps &&
          s >= -1 &&
          s <= 1 &&
          Math.abs(s - (2 * ah - 1)) < eps
        );
      }),
    );
  });

  it('bit-parallel counts equal the straightforward counts for every pair', () => {
    const matrix = fc
      .record({ size: fc.integer({ min: 2, max: 7 }), rollCalls: fc.integer({ min: 0, max: 100 }) })
      .chain(({ size, rollCalls }) =>
        fc
          .array(codes, { minLength: size * rollCalls, maxLength: size * rollCalls })
          .map((v) => ({ countries: Array.from({ length: size }, (_, i) => `C${i}`), rollCalls, votes: Uint8Array.from(v) })),
      );
    fc.assert(
      fc.property(matrix, (m) => {
        const fast = countAllDyadsBitParallel(m);
        const slow = countAllDyadsNaive(m);
        if (!equalCountsTables(fast, slow)) return false;
        const row = (c: number) => Array.from(m.votes.subarray(c * m.rollCalls, (c + 1) * m.rollCalls));
        return JSON.stringify(readPair(fast, 0, 1)) === JSON.stringify(countDyad(row(0), row(1)));
      }),
    );
  });
});
