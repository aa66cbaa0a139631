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
  // warm every path on the last five years so the JIT (and WebAssembly's tier-up) is fair to each
  for (const p of PATHS) set.slice(-5).forEach(p.f);
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
  // The parsed votes are kept as columns of small integers, not one object a vote: a large
  // live heap lengthens every full garbage collection, and a pause lands on whichever path is
  // running, the short ones most of all (bench/README.md, "bench:convergence").
  const parseVotes = (lines: readonly string[]) => {
    const voteRcid = new Int32Array(lines.length);
    const voteCountry = new Int32Array(lines.length);
    const voteCode = new Uint8Array(lines.length);
    const rcidIds = new Map<string, number>();
    const rcidYears: number[] = [];
    const countryIds = new Map<string, number>();
    const countryNames: string[] = [];
    let voteCount = 0;
    for (const line of lines.slice(1)) {
      if (line === '') continue;
      const [rcid, name, code, vote] = line.split(',') as [string, string, string, string];
      const country = code === '' ? name : code;
      let r = rcidIds.get(rcid);
      if (r === undefined) {
        rcidIds.set(rcid, (r = rcidYears.length));
        rcidYears.push(yearOf.get(rcid) ?? 0);
      }
      let c = countryIds.get(country);
      if (c === undefined) {
        countryIds.set(country, (c = countryNames.length));
        countryNames.push(country);
      }
      voteRcid[voteCount] = r;
      voteCountry[voteCount] = c;
      voteCode[voteCount++] = CODE[vote] ?? 0;
    }
    return { voteRcid, voteCountry, voteCode, voteCount, rcidYears, countryNames };
  };
  const { voteRcid, voteCountry, voteCode, voteCount, rcidYears, countryNames } = parseVotes(gunzipLines(votesFile));
  const t0 = performance.now();
  /** One matrix per year: the countries that voted that year × its roll calls. */
  const buildMatrices = (): VoteMatrix[] => {
    const byYear = new Map<number, { rcids: Map<number, number>; countries: Map<number, number>; votes: number[] }>();
    for (let v = 0; v < voteCount; v++) {
      const rcid = voteRcid[v] as number;
      const country = voteCountry[v] as number;
      const year = rcidYears[rcid] as number;
      if (year === 0) continue;
      let y = byYear.get(year);
      if (y === undefined) byYear.set(year, (y = { rcids: new Map(), countries: new Map(), votes: [] }));
      if (!y.rcids.has(rcid)) y.rcids.set(rcid, y.rcids.size);
      if (!y.countries.has(country)) y.countries.set(country, y.countries.size);
      y.votes.push(v);
    }
    return [...byYear.keys()].sort().map((year) => {
      const y = byYear.get(year) as NonNullable<ReturnType<typeof byYear.get>>;
      const rollCalls = y.rcids.size;
      const votes = new Uint8Array(y.countries.size * rollCalls);
      for (const v of y.votes) {
        const at =
          (y.countries.get(voteCountry[v] as number) as number) * rollCalls + (y.rcids.get(voteRcid[v] as number) as number);
        votes[at] = voteCode[v] as number;
      }
      return { countries: [...y.countries.keys()].map((c) => countryNames[c] as string), rollCalls, votes };
    });
  };
  const real = buildMatrices();
  const buildMs = performance.now() - t0;
  const realPairs = real.reduce((a, m) => a + (m.countries.length * (m.countries.length - 1)) / 2, 0);
  console.log(
    `\nreal roll calls (unvotes): ${voteCount.toLocaleString('en-US')} votes, ${real.length} years, ` +
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
