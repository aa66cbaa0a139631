/**
 * bench:history — `history` against the naive baseline (`historyByReassessment`, a full
 * re-evaluation at every step), on one synthetic case, in the same process.
 *
 *   npm run bench:history [-- --benchmarks 200 --evidence 100000 --years 20 --step month]
 *
 * After an untimed one-year warm-up of each, prints both times and the ratio, and checks
 * that both produced the same output (points, transitions, digest).
 */
import { isDeepStrictEqual } from 'node:util';
import { addDuration, parseDuration } from '../src/core/dates.ts';
import { history, historyByReassessment } from '../src/core/history.ts';
import { benchArg, syntheticOptions } from './bench-args.ts';
import { syntheticCase } from './synthetic-case.ts';

const opts = syntheticOptions();
const step = benchArg('step', 'month') as 'month' | 'quarter' | 'year';
const to = addDuration(opts.from, parseDuration(`P${opts.years}Y`));

const t0 = performance.now();
const { case: c, ledger } = syntheticCase(opts);
const tGen = performance.now() - t0;
console.log(
  `synthetic case: ${c.benchmarks.length} benchmarks, ${c.indicators.length} indicators, ${ledger.length} evidence entries, ${opts.years} years, step ${step} (generated in ${tGen.toFixed(0)} ms)`,
);

// Warm-up, untimed, identical for both: one year of each (compiles the code paths and
// serialises the entries once for the input digest, which both sides compute).
const warmTo = addDuration(opts.from, parseDuration('P1Y'));
history(c, ledger, opts.from, warmTo, step);
historyByReassessment(c, ledger, opts.from, warmTo, step);

const t1 = performance.now();
const fast = history(c, ledger, opts.from, to, step);
const tFast = performance.now() - t1;
console.log(
  `history (incremental sweep, incl. input digest): ${tFast.toFixed(0)} ms for ${fast.points.length} points, ${fast.transitions.length} transitions`,
);

const t2 = performance.now();
const naive = historyByReassessment(c, ledger, opts.from, to, step);
const tNaive = performance.now() - t2;
console.log(`baseline (re-evaluate every step, same output incl. digest): ${tNaive.toFixed(0)} ms`);

const same = isDeepStrictEqual(fast, naive);
console.log(`same output (points, transitions, digest): ${same ? 'yes' : 'NO'}`);
console.log(`ratio: ${(tNaive / tFast).toFixed(1)}x faster than the naive baseline`);
if (!same) process.exitCode = 1;
