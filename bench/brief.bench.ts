/**
 * bench:brief — the HTML brief for a synthetic case with 100,000 evidence entries.
 *
 *   npm run bench:brief [-- --benchmarks 200 --evidence 100000 --years 20]
 *
 * Times, in one process: the engine inputs the brief needs (`assess` and a monthly
 * `history` over eight years: the named baseline, since the brief cannot be faster than
 * the assessment it reports), then building the brief model, then rendering HTML (charts
 * included), and, for scale, the Markdown renderer on the same model. The goal is HTML
 * generation from the assessment in under 2 s; numbers are printed, never asserted.
 */
import { assess } from '../src/core/assess.ts';
import { addDuration, parseDuration, subtractDuration } from '../src/core/dates.ts';
import { history } from '../src/core/history.ts';
import { buildBriefModel } from '../src/report/brief-model.ts';
import { renderHtmlBrief } from '../src/report/html-brief.ts';
import { renderMarkdownBrief } from '../src/report/markdown-brief.ts';
import { syntheticOptions } from './bench-args.ts';
import { syntheticCase } from './synthetic-case.ts';

const opts = syntheticOptions();
const asOf = addDuration(opts.from, parseDuration(`P${opts.years}Y`));
const { case: c, ledger } = syntheticCase(opts);
console.log(`synthetic case: ${c.benchmarks.length} benchmarks, ${ledger.length} evidence entries, brief as of ${asOf}`);

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const v = f();
  return [v, performance.now() - t];
};

const [a, tAssess] = time(() => assess(c, ledger, asOf));
const [timeline, tHistory] = time(() => history(c, ledger, subtractDuration(asOf, parseDuration('P8Y')), asOf, 'month'));
const [model, tModel] = time(() => buildBriefModel(c, a, ledger, { timeline }));
const [html, tHtml] = time(() => renderHtmlBrief(model));
const [md, tMd] = time(() => renderMarkdownBrief(model));
const tBrief = tModel + tHtml;

console.log(`baseline, assess alone:              ${tAssess.toFixed(0)} ms`);
console.log(`history, monthly over 8 years:       ${tHistory.toFixed(0)} ms (status timeline input)`);
console.log(`brief model:                         ${tModel.toFixed(0)} ms (${model.citations.length} citations)`);
console.log(`HTML render (charts included):       ${tHtml.toFixed(0)} ms (${(html.length / 1024).toFixed(0)} KiB)`);
console.log(`Markdown render, same model:         ${tMd.toFixed(0)} ms (${(md.length / 1024).toFixed(0)} KiB)`);
console.log(
  `HTML brief generation (model + HTML): ${tBrief.toFixed(0)} ms — goal < 2000 ms: ${tBrief < 2000 ? 'met' : 'NOT met'}`,
);
console.log(`ratio: HTML brief generation takes ${(tBrief / tAssess).toFixed(2)}x the time of assess alone`);
console.log(`end to end (assess + history + model + HTML): ${(tAssess + tHistory + tBrief).toFixed(0)} ms`);
