/**
 * Counts for every dyad of one year's roll calls, three ways with identical results:
 * - {@link countAllDyads}: what callers use — the WebAssembly kernel of dyad-kernel.ts
 *   (64 roll calls per step, one `i64.popcnt` per tally), or, where WebAssembly is
 *   unavailable or the matrix too large for its memory, the bit-parallel JavaScript path;
 * - {@link countAllDyadsBitParallel}: each country's yes / abstain / no votes packed as bit
 *   masks in Uint32Array words (bit r of word r>>>5 = roll call r), a dyad's tallies read by
 *   AND/OR and popcount — 32 roll calls per operation;
 * - {@link countAllDyadsNaive}: the straightforward per-pair loop over vote codes, kept as
 *   the reference for tests and the benchmark.
 *
 * Contract: pairs are (i, j) with i < j in the order of `countries`; the tallies for pair
 * (i, j) are those of {@link countDyad}(votes of i, votes of j), a = i, b = j. Vote codes
 * above 3 are refused (RangeError) by the packed paths.
 */

import { DYAD_KERNEL_MAX_BYTES, dyadKernel, KERNEL_BLOCK_BYTES, KERNEL_BLOCK_PAIRS } from './dyad-kernel.ts';
import { countDyad, type DyadCounts } from './dyad-measures.ts';

/** One year (or any group) of roll calls: `votes[c * rollCalls + r]` is country c's vote code on roll call r. */
export interface VoteMatrix {
  readonly countries: readonly string[];
  readonly rollCalls: number;
  /** codes 0 absent, 1 yes, 2 abstain, 3 no */
  readonly votes: Uint8Array;
}

/** Struct-of-arrays tallies for all N·(N−1)/2 pairs; see {@link pairIndex}. */
export interface DyadCountsTable {
  readonly countries: readonly string[];
  readonly n: Uint32Array;
  readonly same: Uint32Array;
  readonly opposite: Uint32Array;
  readonly aYes: Uint32Array;
  readonly aAbstain: Uint32Array;
  readonly bYes: Uint32Array;
  readonly bAbstain: Uint32Array;
}

/** Index of pair (i, j), i < j < size, in a {@link DyadCountsTable}. */
export function pairIndex(i: number, j: number, size: number): number {
  if (!(i < j && j < size && i >= 0)) throw new RangeError(`pair (${i}, ${j}) is not i < j < ${size}`);
  return (i * (2 * size - i - 1)) / 2 + (j - i - 1);
}

/** Reads pair (i, j)'s counts out of a table. */
export function readPair(t: DyadCountsTable, i: number, j: number): DyadCounts {
  const k = pairIndex(i, j, t.countries.length);
  const n = t.n[k] as number;
  const same = t.same[k] as number;
  const opposite = t.opposite[k] as number;
  return {
    n,
    same,
    opposite,
    partial: n - same - opposite,
    aYes: t.aYes[k] as number,
    aAbstain: t.aAbstain[k] as number,
    bYes: t.bYes[k] as number,
    bAbstain: t.bAbstain[k] as number,
  };
}

function emptyTable(countries: readonly string[]): DyadCountsTable {
  const pairs = (countries.length * (countries.length - 1)) / 2;
  return {
    countries,
    n: new Uint32Array(pairs),
    same: new Uint32Array(pairs),
    opposite: new Uint32Array(pairs),
    aYes: new Uint32Array(pairs),
    aAbstain: new Uint32Array(pairs),
    bYes: new Uint32Array(pairs),
    bAbstain: new Uint32Array(pairs),
  };
}

function checkMatrix(m: VoteMatrix): void {
  if (m.votes.length !== m.countries.length * m.rollCalls) {
    throw new RangeError(`vote matrix has ${m.votes.length} cells, expected ${m.countries.length} × ${m.rollCalls}`);
  }
}

/** The reference: every pair compared vote by vote. */
export function countAllDyadsNaive(m: VoteMatrix): DyadCountsTable {
  checkMatrix(m);
  const size = m.countries.length;
  const t = emptyTable(m.countries);
  const rows: Uint8Array[] = [];
  for (let c = 0; c < size; c++) rows.push(m.votes.subarray(c * m.rollCalls, (c + 1) * m.rollCalls));
  let k = 0;
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++, k++) {
      const c = countDyad(rows[i] as Uint8Array, rows[j] as Uint8Array);
      t.n[k] = c.n;
      t.same[k] = c.same;
      t.opposite[k] = c.opposite;
      t.aYes[k] = c.aYes;
      t.aAbstain[k] = c.aAbstain;
      t.bYes[k] = c.bYes;
      t.bAbstain[k] = c.bAbstain;
    }
  }
  return t;
}

/** Number of set bits in a 32-bit word (SWAR). */
export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}

/** Packed masks: for country c, word w of choice k at `masks[(c * 3 + k) * words + w]`, k = 0 yes, 1 abstain, 2 no. */
export function packVoteMasks(m: VoteMatrix): { words: number; masks: Uint32Array } {
  checkMatrix(m);
  const words = (m.rollCalls + 31) >>> 5;
  const masks = new Uint32Array(m.countries.length * 3 * words);
  for (let c = 0; c < m.countries.length; c++) {
    const row = c * m.rollCalls;
    for (let r = 0; r < m.rollCalls; r++) {
      const code = m.votes[row + r] as number;
      if (code === 0) continue;
      if (code > 3) throw new RangeError(`vote code ${code} for ${m.countries[c]} on roll call ${r} is not 0–3`);
      const at = (c * 3 + (code - 1)) * words + (r >>> 5);
      masks[at] = (masks[at] as number) | (1 << (r & 31));
    }
  }
  return { words, masks };
}

/** All pairs at once from packed masks: 9 popcounts per word per pair. */
export function countAllDyadsBitParallel(m: VoteMatrix): DyadCountsTable {
  const { words, masks } = packVoteMasks(m);
  const size = m.countries.length;
  const t = emptyTable(m.countries);
  let k = 0;
  for (let i = 0; i < size; i++) {
    const iy = i * 3 * words;
    const ia = iy + words;
    const ino = ia + words;
    for (let j = i + 1; j < size; j++, k++) {
      const jy = j * 3 * words;
      const ja = jy + words;
      const jno = ja + words;
      let n = 0;
      let same = 0;
      let opposite = 0;
      let aYes = 0;
      let aAbstain = 0;
      let bYes = 0;
      let bAbstain = 0;
      for (let w = 0; w < words; w++) {
        const yi = masks[iy + w] as number;
        const ai = masks[ia + w] as number;
        const ni = masks[ino + w] as number;
        const yj = masks[jy + w] as number;
        const aj = masks[ja + w] as number;
        const nj = masks[jno + w] as number;
        const both = (yi | ai | ni) & (yj | aj | nj);
        if (both === 0) continue;
        n += popcount32(both);
        same += popcount32((yi & yj) | (ai & aj) | (ni & nj));
        opposite += popcount32((yi & nj) | (ni & yj));
        aYes += popcount32(yi & both);
        aAbstain += popcount32(ai & both);
        bYes += popcount32(yj & both);
        bAbstain += popcount32(aj & both);
      }
      t.n[k] = n;
      t.same[k] = same;
      t.opposite[k] = opposite;
      t.aYes[k] = aYes;
      t.aAbstain[k] = aAbstain;
      t.bYes[k] = bYes;
      t.bAbstain[k] = bAbstain;
    }
  }
  return t;
}

/** The seven columns in one allocation. */
function packedTable(countries: readonly string[]): DyadCountsTable {
  const pairs = (countries.length * (countries.length - 1)) / 2;
  const buffer = new ArrayBuffer(pairs * 28);
  const column = (k: number) => new Uint32Array(buffer, k * pairs * 4, pairs);
  return {
    countries,
    n: column(0),
    same: column(1),
    opposite: column(2),
    aYes: column(3),
    aAbstain: column(4),
    bYes: column(5),
    bAbstain: column(6),
  };
}

/**
 * All pairs by the WebAssembly kernel; null when the kernel is unavailable or the matrix
 * needs more than its memory (a row of more than KERNEL_BLOCK_PAIRS pairs, or over
 * DYAD_KERNEL_MAX_BYTES in all). `blockPairs` (how many pairs one kernel call writes before
 * they are copied out, at most KERNEL_BLOCK_PAIRS) is there for tests: any value ≥ 1 gives
 * the same table.
 */
export function countAllDyadsWasm(m: VoteMatrix, blockPairs: number = KERNEL_BLOCK_PAIRS): DyadCountsTable | null {
  checkMatrix(m);
  const kernel = dyadKernel();
  const size = m.countries.length;
  if (kernel === null || size - 1 > KERNEL_BLOCK_PAIRS) return null;
  const block = Math.min(Math.max(1, blockPairs), KERNEL_BLOCK_PAIRS);
  const rollCalls = m.rollCalls;
  const words = (rollCalls + 63) >>> 6;
  // memory: the vote codes (then at least 7 bytes: pack reads eight at a time), the masks, one output block
  const masksAt = Math.ceil((m.votes.length + 7) / 8) * 8;
  const outAt = masksAt + size * words * 32;
  const need = outAt + KERNEL_BLOCK_BYTES;
  if (need > DYAD_KERNEL_MAX_BYTES) return null;
  const t = packedTable(m.countries);
  if (size === 0 || words === 0) return t;
  new Uint8Array(kernel.reserve(need), 0, m.votes.length).set(m.votes);
  const bad = kernel.pack(size, rollCalls, 0, masksAt, words);
  if (bad >= 0) {
    const c = Math.floor(bad / rollCalls);
    throw new RangeError(`vote code ${m.votes[bad]} for ${m.countries[c]} on roll call ${bad - c * rollCalls} is not 0–3`);
  }
  if (size < 2) return t;
  const columns = [t.n, t.same, t.opposite, t.aYes, t.aAbstain, t.bYes, t.bAbstain];
  const fieldBytes = KERNEL_BLOCK_BYTES / 7;
  let done = 0;
  for (let i0 = 0; i0 < size - 1; ) {
    let i1 = i0;
    let pairs = 0;
    while (i1 < size - 1 && (pairs === 0 || pairs + (size - 1 - i1) <= block)) pairs += size - 1 - i1++;
    kernel.count(i0, i1, size, words, masksAt, outAt);
    const memory = kernel.reserve(need);
    for (let f = 0; f < 7; f++) (columns[f] as Uint32Array).set(new Uint32Array(memory, outAt + f * fieldBytes, pairs), done);
    done += pairs;
    i0 = i1;
  }
  return t;
}

/** All pairs, the fastest way available here (see the module comment); the same table as {@link countAllDyadsNaive}. */
export function countAllDyads(m: VoteMatrix): DyadCountsTable {
  return countAllDyadsWasm(m) ?? countAllDyadsBitParallel(m);
}

/** Which path {@link countAllDyads} takes in this process. */
export function allDyadsKernel(): 'webassembly' | 'javascript' {
  return dyadKernel() === null ? 'javascript' : 'webassembly';
}

/** True when two tables hold the same countries and the same counts for every pair. */
export function equalCountsTables(x: DyadCountsTable, y: DyadCountsTable): boolean {
  if (x.countries.length !== y.countries.length || x.countries.some((c, i) => c !== y.countries[i])) return false;
  const cols = ['n', 'same', 'opposite', 'aYes', 'aAbstain', 'bYes', 'bAbstain'] as const;
  return cols.every((col) => x[col].every((v, i) => v === y[col][i]));
}
