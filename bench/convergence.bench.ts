/**
 * bench:convergence — counts for all dyads of all years by `countAllDyads` (the WebAssembly
 * kernel, `i64.popcnt` over 64 roll calls; the JavaScript bit-parallel path where WebAssembly
 * is unavailable) and by the JavaScript bit-parallel path (`countAllDyadsBitParallel`, SWAR
 * popcount over 32 roll calls), against the baseline, the straightforward per-pair loop
 * (`countAllDyadsNaive`), in the same process, on two roll-call sets:
 * 1. synthetic: votes from a seeded PRNG (mulberry32): each country leans towards one of
 *    three blocs, with ~8% absences, so the counts are not trivially uniform;
 * 2. real: the `unvotes` R package's UN General Assembly votes (870,109 votes, 1946–2019,
 *    `<shared data>/unga/unvotes/un_votes.csv.gz` joined to `un_roll_calls.csv.gz` by rcid
 *    for the year; skipped when the files are absent), one vote matrix per calendar year
 *    over the countries that voted that year. Its "end to end" time counts building the
 *    matrices from the parsed votes, counting every dyad of every year and deriving the
 *    agreement of each — everything after reading the files.
 *
 *   npm run bench:convergence [-- --countries 200 --years 80 --votes 100 --seed 42 --data DIR --rounds 3]
 *
 * Each path runs `--rounds` times over all years, the paths taking turns within a round so
 * that background load and garbage collection fall on all of them alike; the best time of
 * each is printed (every time too) with the ratios of the baseline's best to the others'
 * best. Checks that every count of every pair of every year is identical, and prints the
 * peak RSS.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  allDyadsKernel,
  countAllDyads,
  countAllDyadsBitParallel,
  countAllDyadsNaive,
  type DyadCountsTable,
  equalCountsTables,
  type VoteMatrix,
} from '../src/core/convergence/all-dyads.ts';
import { measureFromCounts } from '../src/core/convergence/dyad-measures.ts';
import { benchArg } from './bench-args.ts';
import { mulberry32 } from './synthetic-case.ts';

function arg(name: string, fallback: string): number {
  return Number(benchArg(name, fallback));
}

const countries = arg('countries', '200');
const years = arg('years', '80');
const votesPerYear = arg('votes', '100');
const rounds = Math.max(1, arg('rounds', '3'));
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

type Count = (m: VoteMatrix) => DyadCountsTable;
const PATHS: readonly { name: string; f: Count }[] = [
  { name: 'straightforward (per-pair loop)', f: countAllDyadsNaive },
  { name: 'bit-parallel JavaScript', f: countAllDyadsBitParallel },
  { name: `countAllDyads (${allDyadsKernel()})`, f: countAllDyads },
];
const width = Math.max(...PATHS.map((p) => p.name.length)) + 1;

/** Every path `rounds` times over all the matrices, in turns; prints the best times, the ratios and whether all tables agree. */
function compare(set: readonly VoteMatrix[], dyadYears: number): boolean {
  // warm every path once on one year so the JIT (and WebAssembly's tier-up) is fair to each
  for (const p of PATHS) p.f(set[set.length - 1] as VoteMatrix);
  const times: number[][] = PATHS.map(() => []);
  let reference: DyadCountsTable[] = [];
  let same = true;
  for (let r = 0; r < rounds; r++) {
    PATHS.forEach((p, k) => {
      const start = performance.now();
      const tables = set.map(p.f);
      (times[k] as number[]).push(performance.now() - start);
      if (r > 0) return;
      if (k === 0) reference = tables;
      else same &&= tables.every((t, i) => equalCountsTables(t, reference[i] as DyadCountsTable));
    });
  }
  reference = [];
  const best = times.map((t) => Math.min(...t));
  PATHS.forEach((p, k) => {
    const ms = best[k] as number;
    const all = (times[k] as number[]).map((t) => t.toFixed(0)).join(', ');
    console.log(
      `${`${p.name}:`.padEnd(width)} ${ms.toFixed(1)} ms best of ${rounds} [${all}] (${(dyadYears / ms / 1000).toFixed(2)} M dyad-years/s)`,
    );
  });
  console.log(`identical counts for all ${dyadYears} dyad-years, all paths: ${same ? 'yes' : 'NO'}`);
  for (let k = 1; k < PATHS.length; k++) {
    console.log(
      `ratio (straightforward / ${(PATHS[k] as { name: string }).name}): ${((best[0] as number) / (best[k] as number)).toFixed(1)}×`,
    );
  }
  return same;
}

if (!compare(matrices, pairs * years)) process.exitCode = 1;

// --- 2. The real UN General Assembly votes -------------------------------------------------
const dataDir = resolve(
  benchArg('data', process.env.PROVISO_SHARED_DATA ?? join(import.meta.dirname, '..', '..', 'shared', 'data')),
);
const votesFile = join(dataDir, 'unga', 'unvotes', 'un_votes.csv.gz');
const rollCallsFile = join(dataDir, 'unga', 'unvotes', 'un_roll_calls.csv.gz');
if (!existsSync(votesFile) || !existsSync(rollCallsFile)) {
  console.log(`\nreal roll calls: skipped (no ${votesFile})`);
} else {
  const gunzipLines = (file: string) => gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  // un_roll_calls: rcid,session,importantvote,date,… — the first four fields are never quoted.
  const yearOf = new Map<string, number>();
  for (const line of gunzipLines(rollCallsFile).slice(1)) {
    const f = line.split(',', 4);
    if (f[3] !== undefined && /^\d{4}-/.test(f[3])) yearOf.set(f[0] as string, Number(f[3].slice(0, 4)));
  }
  // un_votes: rcid,country,country_code,vote (no quoted fields); a country without a code goes by its name.
  const CODE = { yes: 1, abstain: 2, no: 3 } as Record<string, number>;
  const parsed: { rcid: string; country: string; vote: number }[] = [];
  for (const line of gunzipLines(votesFile).slice(1)) {
    if (line === '') continue;
    const [rcid, name, code, vote] = line.split(',') as [string, string, string, string];
    parsed.push({ rcid, country: code === '' ? name : code, vote: CODE[vote] ?? 0 });
  }
  const t0 = performance.now();
  /** One matrix per year: the countries that voted that year × its roll calls. */
  const buildMatrices = (): VoteMatrix[] => {
    const byYear = new Map<number, { rcids: Map<string, number>; countries: Map<string, number>; votes: typeof parsed }>();
    for (const v of parsed) {
      const year = yearOf.get(v.rcid);
      if (year === undefined) continue;
      let y = byYear.get(year);
      if (y === undefined) byYear.set(year, (y = { rcids: new Map(), countries: new Map(), votes: [] }));
      if (!y.rcids.has(v.rcid)) y.rcids.set(v.rcid, y.rcids.size);
      if (!y.countries.has(v.country)) y.countries.set(v.country, y.countries.size);
      y.votes.push(v);
    }
    return [...byYear.keys()].sort().map((year) => {
      const y = byYear.get(year) as NonNullable<ReturnType<typeof byYear.get>>;
      const rollCalls = y.rcids.size;
      const votes = new Uint8Array(y.countries.size * rollCalls);
      for (const v of y.votes)
        votes[(y.countries.get(v.country) as number) * rollCalls + (y.rcids.get(v.rcid) as number)] = v.vote;
      return { countries: [...y.countries.keys()], rollCalls, votes };
    });
  };
  const real = buildMatrices();
  const buildMs = performance.now() - t0;
  const realPairs = real.reduce((a, m) => a + (m.countries.length * (m.countries.length - 1)) / 2, 0);
  console.log(
    `\nreal roll calls (unvotes): ${parsed.length.toLocaleString('en-US')} votes, ${real.length} years, ` +
      `${real.reduce((a, m) => a + m.rollCalls, 0)} roll calls, ${realPairs.toLocaleString('en-US')} dyad-years; matrices built in ${buildMs.toFixed(0)} ms`,
  );
  const realSame = compare(real, realPairs);
  // End to end: matrices, counts and the agreement of every dyad of every year.
  const e0 = performance.now();
  let measured = 0;
  for (const m of buildMatrices()) {
    const t = countAllDyads(m);
    for (let k = 0; k < t.n.length; k++) {
      const n = t.n[k] as number;
      if (n === 0) continue;
      const c = measureFromCounts({
        n,
        same: t.same[k] as number,
        opposite: t.opposite[k] as number,
        partial: n - (t.same[k] as number) - (t.opposite[k] as number),
        aYes: t.aYes[k] as number,
        aAbstain: t.aAbstain[k] as number,
        bYes: t.bYes[k] as number,
        bAbstain: t.bAbstain[k] as number,
      });
      if (c.agreement !== null) measured++;
    }
  }
  console.log(
    `end to end (matrices + countAllDyads + agreement of ${measured.toLocaleString('en-US')} dyad-years): ${(performance.now() - e0).toFixed(0)} ms`,
  );
  if (!realSame) process.exitCode = 1;
}
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
