/**
 * bench:brief — the HTML brief for a synthetic case with 100,000 evidence entries, end to
 * end (engine, brief model, HTML with charts), against the previous path as the named
 * baseline, in the same process.
 *
 *   npm run bench:brief [-- --benchmarks 200 --evidence 100000 --years 20 --since 2023-01-01]
 *
 * Baseline: what `buildFullBrief` did before — `assess` as of the date, then a separate
 * monthly `history` over the eight years for the status timeline and, with --since, a
 * second history from --since for "what changed", each evaluating the ledger from
 * scratch. Brief: `buildFullBrief` as it is — one monthly history sweep that also
 * explains its last step (`withAssessment`) and from whose steps the changes are read;
 * its two input digests (the history's and the assessment's) come from one pass over the
 * entries and are hashed with Node's native SHA-256 (the same digests; the baseline, as
 * before, hashes with the core's pure-JavaScript one).
 * Both then build the model and render the HTML; the bench checks the HTML is identical.
 * Two scenarios: without --since, and with --since (one year before the date unless given).
 * Both paths use the engine as it is now (streams, sweep, digest code), so the ratio
 * measures the path, not the engine's own speed-ups (run an earlier checkout for those).
 *
 * Fairness: after an untimed warm-up (both paths on a small synthetic case, then one
 * full-size assess on a throwaway copy of the ledger), each timed run gets its own copy of
 * the ledger, because the input digest caches each entry's serialisation per object and a
 * later run would otherwise get an earlier one's for free. Numbers are printed, never
 * asserted; the goal (issue 4) is the HTML brief in under 2 s end to end.
 */

import { createHash } from 'node:crypto';
import { assess } from '../src/core/assess.ts';
import { addDuration, parseDuration, subtractDuration } from '../src/core/dates.ts';
import { digestOfEntries } from '../src/core/digest.ts';
import type { Evidence } from '../src/core/evidence.ts';
import { history } from '../src/core/history.ts';
import { buildBriefModel } from '../src/report/brief-model.ts';
import { buildFullBrief, caseStart, timelineStart, timelineStep } from '../src/report/full-brief.ts';
import { renderHtmlBrief } from '../src/report/html-brief.ts';
import { renderMarkdownBrief } from '../src/report/markdown-brief.ts';
import { benchArg, syntheticOptions } from './bench-args.ts';
import { syntheticCase } from './synthetic-case.ts';

const nodeSha256 = () => createHash('sha256');
const opts = syntheticOptions();
const asOf = addDuration(opts.from, parseDuration(`P${opts.years}Y`));
const since = benchArg('since', subtractDuration(asOf, parseDuration('P1Y')));
const { case: c, ledger } = syntheticCase(opts);
console.log(
  `synthetic case: ${c.benchmarks.length} benchmarks, ${ledger.length} evidence entries, brief as of ${asOf}; status timeline from the case's start, ${timelineStep(timelineStart(asOf, undefined, caseStart(c, ledger, asOf)), asOf, ledger.length)}ly steps`,
);

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const v = f();
  return [v, performance.now() - t];
};
/** A fresh copy of every entry: no serialisation cached from an earlier run. */
const freshLedger = (): Evidence[] => ledger.map((e) => ({ ...e }));
const ms = (t: number) => `${t.toFixed(0)} ms`.padStart(8);

/** The previous path: assess, the timeline history and, with --since, a second history; each timed. */
function baseline(l: readonly Evidence[], s: string | undefined) {
  const [a, tAssess] = time(() => assess(c, l, asOf));
  const [changes, tChanges] = time(() => (s === undefined ? undefined : history(c, l, s, asOf, 'month')));
  const from = timelineStart(asOf, s, caseStart(c, l, asOf));
  const [timeline, tTimeline] = time(() =>
    history(c, l, from, asOf, timelineStep(from, asOf, l.length), s === undefined ? {} : { monthlyFrom: s }),
  );
  const [model, tModel] = time(() =>
    buildBriefModel(c, a, l, {
      timeline,
      ...(changes === undefined ? {} : { changes }),
      ...(s === undefined ? {} : { since: s }),
    }),
  );
  const [html, tHtml] = time(() => renderHtmlBrief(model));
  return { html, tAssess, tChanges, tTimeline, tModel, tHtml, total: tAssess + tChanges + tTimeline + tModel + tHtml };
}

// Warm-up, untimed, identical for both paths: a small case of the same shape, with and
// without --since, then one full-size assess on a throwaway copy (grows the heap and
// tiers up the hot loops, so the first timed run does not pay for it alone).
{
  const small = syntheticCase({ ...opts, benchmarks: 40, evidence: 5000 });
  for (const s of [undefined, since]) {
    const a = assess(small.case, small.ledger, asOf);
    const from = timelineStart(asOf, s, caseStart(small.case, small.ledger, asOf));
    const h = history(small.case, small.ledger, from, asOf, timelineStep(from, asOf, small.ledger.length));
    renderHtmlBrief(buildBriefModel(small.case, a, small.ledger, { timeline: h }));
    renderHtmlBrief(buildFullBrief(small.case, small.ledger, asOf, s));
  }
  assess(c, freshLedger(), asOf);
}

let allSame = true;
let headline = 0;
for (const s of [undefined, since]) {
  console.log(s === undefined ? '\nwithout --since' : `\nwith --since ${s} (the timeline starts on its monthly grid)`);
  // The brief runs first, so whatever a first big run costs (heap growth, compiling the
  // renderers for large inputs) counts against it, not against the baseline.
  const mine = freshLedger();
  const [model, tBrief] = time(() => buildFullBrief(c, mine, asOf, s));
  const [html, tHtml] = time(() => renderHtmlBrief(model));
  const base = baseline(freshLedger(), s);
  const tEnd = tBrief + tHtml;
  console.log('  baseline (previous path: assess, then separate monthly histories):');
  console.log(`    assess                              ${ms(base.tAssess)}`);
  if (s !== undefined) console.log(`    history from --since (what changed)  ${ms(base.tChanges)}`);
  console.log(`    history for the status timeline     ${ms(base.tTimeline)}`);
  console.log(`    brief model                         ${ms(base.tModel)}`);
  console.log(`    HTML render (charts included)       ${ms(base.tHtml)}`);
  console.log(`    end to end                          ${ms(base.total)}`);
  console.log('  brief (one history sweep that also explains its last step):');
  console.log(`    sweep + assessment + brief model    ${ms(tBrief)} (${model.citations.length} citations)`);
  console.log(`    HTML render (charts included)       ${ms(tHtml)} (${(html.length / 1024).toFixed(0)} KiB)`);
  console.log(`    end to end                          ${ms(tEnd)} — goal < 2000 ms: ${tEnd < 2000 ? 'met' : 'NOT met'}`);
  const same = html === base.html;
  allSame &&= same;
  console.log(`  same HTML as the baseline: ${same ? 'yes' : 'NO'}`);
  console.log(`  ratio: end to end ${(base.total / tEnd).toFixed(2)}x faster than the baseline`);
  if (s === undefined) {
    headline = tEnd;
    const [md, tMd] = time(() => renderMarkdownBrief(model));
    console.log(`  (Markdown render, same model: ${tMd.toFixed(0)} ms, ${(md.length / 1024).toFixed(0)} KiB)`);
  }
}

// For reading the numbers, on fresh copies after the timed runs (so not part of them):
// the sweep alone as the brief runs it, and the parts of an input digest (every path
// computes two: the assessment's and the history's) — serialising the entries, and
// hashing them with the core's pure-JavaScript SHA-256 or with Node's.
const [, tSweep] = time(() =>
  history(
    c,
    freshLedger(),
    timelineStart(asOf, undefined, caseStart(c, ledger, asOf)),
    asOf,
    timelineStep(timelineStart(asOf, undefined, caseStart(c, ledger, asOf)), asOf, ledger.length),
    {
      withAssessment: true,
      sha256: nodeSha256,
    },
  ),
);
const probe = freshLedger();
const [, tSerialiseAndNative] = time(() => digestOfEntries({ probe: 1 }, probe, nodeSha256));
const [, tNoble] = time(() => digestOfEntries({ probe: 2 }, probe));
const [, tNative] = time(() => digestOfEntries({ probe: 3 }, probe, nodeSha256));
console.log(
  `\nfor reading (fresh copies, after the timed runs): the brief's sweep alone (history + assessment, without --since) ${tSweep.toFixed(0)} ms;`,
);
console.log(
  `  one input digest (src/core/digest.ts): serialising ${Math.max(0, tSerialiseAndNative - tNative).toFixed(0)} ms, then hashing ${tNoble.toFixed(0)} ms pure-JS or ${tNative.toFixed(0)} ms native`,
);
// Issue 13: what the paths to unlock and the sensitivity searches add. The baseline is the
// same assessment with them switched off (`analyses: false`), measured here in the same run;
// the difference is set against the brief's end-to-end time (goal: at most +30%).
{
  const runs = 3;
  let tWith = Number.POSITIVE_INFINITY;
  let tWithout = Number.POSITIVE_INFINITY;
  let tried = 0;
  for (let k = 0; k < runs; k++) {
    const [without, t0] = time(() => assess(c, freshLedger(), asOf, { analyses: false }));
    const [withA, t1] = time(() => assess(c, freshLedger(), asOf));
    tWithout = Math.min(tWithout, t0);
    tWith = Math.min(tWith, t1);
    if (without.instruments.some((i) => i.unlock !== null || i.sensitivity !== null))
      throw new Error('analyses: false still computed them');
    tried =
      withA.instruments.reduce((n, i) => n + (i.sensitivity?.tried ?? 0), 0) +
      withA.justifications.reduce((n, j) => n + (j.sensitivity?.tried ?? 0), 0);
  }
  const added = Math.max(0, tWith - tWithout);
  console.log(
    `\npaths to unlock + sensitivity (issue 13; best of ${runs}): assess ${tWithout.toFixed(0)} ms without (baseline), ${tWith.toFixed(0)} ms with — adds ${added.toFixed(0)} ms, ${tried} single changes tried`,
  );
  const share = (100 * added) / headline;
  console.log(
    `  ratio: adds ${share.toFixed(1)}% to the HTML brief end to end (${headline.toFixed(0)} ms) — goal at most 30%: ${share <= 30 ? 'met' : 'NOT met'}`,
  );
}
console.log(`headline: HTML brief end to end ${headline.toFixed(0)} ms (goal < 2000 ms)`);
if (!allSame) process.exitCode = 1;
