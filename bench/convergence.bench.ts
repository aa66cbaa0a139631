/**
 * bench:convergence — counts for all dyads of all years, bit-parallel
 * (`countAllDyadsBitParallel`) against the straightforward per-pair loop
 * (`countAllDyadsNaive`), on one synthetic roll-call set, in the same process.
 *
 *   npm run bench:convergence [-- --countries 200 --years 80 --votes 100 --seed 42]
 *
 * Votes come from a seeded PRNG (mulberry32): each country leans towards one of three blocs,
 * with ~8% absences, so the counts are not trivially uniform. Prints both times, the ratio
 * and checks that every count of every pair of every year is identical.
 */
import {
  countAllDyadsBitParallel,
  countAllDyadsNaive,
  type DyadCountsTable,
  equalCountsTables,
  type VoteMatrix,
} from '../src/core/convergence/all-dyads.ts';
import { benchArg } from './bench-args.ts';
import { mulberry32 } from './synthetic-case.ts';

function arg(name: string, fallback: string): number {
  return Number(benchArg(name, fallback));
}

const countries = arg('countries', '200');
const years = arg('years', '80');
const votesPerYear = arg('votes', '100');
const random = mulberry32(arg('seed', '42'));

const names = Array.from({ length: countries }, (_, i) => `C${String(i).padStart(3, '0')}`);
const bloc = names.map(() => Math.floor(random() * 3));
const matrices: VoteMatrix[] = [];
for (let y = 0; y < years; y++) {
  const votes = new Uint8Array(countries * votesPerYear);
  const blocVotes = Array.from({ length: 3 }, () => Array.from({ length: votesPerYear }, () => 1 + Math.floor(random() * 3)));
  for (let c = 0; c < countries; c++) {
    for (let r = 0; r < votesPerYear; r++) {
      const u = random();
      votes[c * votesPerYear + r] =
        u < 0.08 ? 0 : u < 0.7 ? (blocVotes[bloc[c] as number]?.[r] as number) : 1 + Math.floor(random() * 3);
    }
  }
  matrices.push({ countries: names, rollCalls: votesPerYear, votes });
}
const pairs = (countries * (countries - 1)) / 2;
console.log(
  `synthetic roll calls: ${countries} countries × ${years} years × ${votesPerYear} votes a year; ${pairs} dyads a year`,
);

function time(label: string, f: (m: VoteMatrix) => DyadCountsTable): { ms: number; tables: DyadCountsTable[] } {
  const t0 = performance.now();
  const tables = matrices.map(f);
  const ms = performance.now() - t0;
  console.log(`${label} ${ms.toFixed(0)} ms (${((pairs * years) / ms / 1000).toFixed(2)} M dyad-years/s)`);
  return { ms, tables };
}

// warm both paths once on one year so the JIT is fair to each
countAllDyadsNaive(matrices[0] as VoteMatrix);
countAllDyadsBitParallel(matrices[0] as VoteMatrix);

const naive = time('straightforward (per-pair loop):', countAllDyadsNaive);
const fast = time('bit-parallel (packed masks):    ', countAllDyadsBitParallel);
const same = naive.tables.every((t, i) => equalCountsTables(t, fast.tables[i] as DyadCountsTable));
console.log(`identical counts for all ${pairs * years} dyad-years: ${same ? 'yes' : 'NO'}`);
console.log(`ratio (straightforward / bit-parallel): ${(naive.ms / fast.ms).toFixed(1)}×`);
if (!same) process.exitCode = 1;
