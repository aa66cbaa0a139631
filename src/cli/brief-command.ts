/**
 * `proviso brief <case> --out FILE.html|FILE.pdf|FILE.md [--as-of D] [--since D]`.
 *
 * The format follows the file name. All three share one brief model: the assessment as
 * of the date, a monthly history for the status timeline (the eight years to the date, or
 * from --since if that is earlier), and with --since the transitions since that date —
 * all from one sweep over the ledger (see `buildFullBrief`).
 * The PDF is the HTML printed by Chromium; without Chromium the PDF path fails with a
 * usage-independent, actionable message while HTML and Markdown keep working.
 */
import { extname, relative, resolve } from 'node:path';
import type { Case } from '../core/case-model.ts';
import { type IsoDate, parseDuration, stepDates, subtractDuration } from '../core/dates.ts';
import type { Evidence } from '../core/evidence.ts';
import { type History, history } from '../core/history.ts';
import { type SeriesCoverage, type SeriesInputs, seriesEvidence } from '../core/series.ts';
import { type BriefModel, buildBriefModel } from '../report/brief-model.ts';
import { renderHtmlBrief } from '../report/html-brief.ts';
import { renderMarkdownBrief } from '../report/markdown-brief.ts';
import type { PdfPrinter } from '../report/pdf-brief.ts';
import { CliError, type Effects, EXIT } from './effects.ts';
import { loadCaseWithLedger, parseDateOption } from './load.ts';

export const BRIEF_FORMATS = ['html', 'pdf', 'md'] as const;
export type BriefFormat = (typeof BRIEF_FORMATS)[number];

export interface BriefOpts {
  readonly asOf?: string;
  readonly since?: string;
  readonly out: string;
  readonly store?: string;
}

/** How far back the status timeline reaches when --since does not reach further. */
export const TIMELINE_SPAN = parseDuration('P8Y');

/** The PDF printer, loaded only when a PDF is asked for (playwright-core stays out of other runs). */
export type LoadPdfPrinter = () => Promise<PdfPrinter>;

const loadDefaultPrinter: LoadPdfPrinter = async () => (await import('../report/pdf-brief.ts')).printPdf;

export function briefFormatOf(out: string): BriefFormat {
  const ext = extname(out).toLowerCase().slice(1);
  if (ext === 'htm') return 'html';
  if ((BRIEF_FORMATS as readonly string[]).includes(ext)) return ext as BriefFormat;
  throw new CliError(
    `--out ${out}: give a file name ending in .html, .pdf or .md (the format follows the extension)`,
    EXIT.usage,
    'bad-option',
  );
}

export async function briefCommand(
  dir: string,
  opts: BriefOpts,
  effects: Effects,
  loadPrinter: LoadPdfPrinter = loadDefaultPrinter,
): Promise<number> {
  const format = briefFormatOf(opts.out);
  const asOf = parseDateOption('as-of', opts.asOf) ?? effects.today();
  const since = parseDateOption('since', opts.since);
  if (since !== undefined && since > asOf) {
    throw new CliError(`--since ${since} is after --as-of ${asOf}`, EXIT.usage, 'bad-option');
  }
  const loaded = await loadCaseWithLedger(dir, opts.store, effects);
  const path = resolve(effects.cwd, opts.out);
  const inputs = { series: loaded.series, coverage: loaded.coverage };
  await writeBrief(loaded.case, loaded.ledger, { asOf, since, format, path, inputs }, effects, loadPrinter);
  effects.stdout(
    `${format === 'md' ? 'Markdown' : format.toUpperCase()} brief written to ${relative(effects.cwd, path) || path}\n`,
  );
  return EXIT.ok;
}

/** The external series a brief's assessment reads, with their coverage (as `assess` takes them). */
export interface BriefInputs {
  readonly series?: SeriesInputs;
  readonly coverage?: SeriesCoverage;
}

/**
 * Where the status timeline starts: eight years before the date, or at --since if that is
 * earlier. With a later --since, the start is moved back onto the monthly grid of --since
 * (at most a month earlier), so that the timeline's steps from --since on are exactly the
 * steps of a history from --since and one sweep serves both.
 */
export function timelineStart(asOf: IsoDate, since: IsoDate | undefined): IsoDate {
  const span = subtractDuration(asOf, TIMELINE_SPAN);
  if (since === undefined) return span;
  if (since <= span) return since;
  let months = 0;
  let from = since;
  while (from > span) {
    months += 1;
    from = subtractDuration(since, { years: 0, months, days: 0, text: `P${months}M` });
  }
  return from;
}

/** The transitions of a monthly history from `since` to the timeline's end, read off the timeline when its steps allow. */
function changesSince(timeline: History, since: IsoDate): Pick<History, 'transitions'> | undefined {
  if (since === timeline.from) return timeline;
  const wanted = stepDates(since, timeline.to, 'month');
  const have = timeline.points.filter((p) => p.asOf >= since);
  if (have.length !== wanted.length || have.some((p, i) => p.asOf !== wanted[i])) return undefined;
  // Each point depends only on its date, so the steps after `since` change exactly as in a history from `since`.
  return { transitions: timeline.transitions.filter((t) => t.asOf > since) };
}

/**
 * The brief model with everything the HTML and PDF show (and the Markdown uses).
 *
 * The ledger is evaluated once: one monthly history sweep gives the status timeline, the
 * transitions since --since and, at its last step, the full assessment (equal to
 * `assess` as of the date). Only when --since falls off the timeline's monthly grid (a
 * day 29–31 that months clamp) does a second history run for the changes.
 */
export function buildFullBrief(
  c: Case,
  ledger: readonly Evidence[],
  asOf: string,
  since: string | undefined,
  inputs: BriefInputs = {},
): BriefModel {
  const timeline = history(c, ledger, timelineStart(asOf, since), asOf, 'month', { ...inputs, withAssessment: true });
  const changes =
    since === undefined ? undefined : (changesSince(timeline, since) ?? history(c, ledger, since, asOf, 'month', inputs));
  // Series points cite their dataset like evidence entries.
  const citable = [...ledger, ...seriesEvidence(c, inputs.series).items];
  return buildBriefModel(c, timeline.assessment, citable, {
    timeline,
    ...(changes === undefined ? {} : { changes }),
    ...(since === undefined ? {} : { since }),
    ...(inputs.coverage === undefined ? {} : { coverage: inputs.coverage }),
  });
}

export async function writeBrief(
  c: Case,
  ledger: readonly Evidence[],
  target: {
    readonly asOf: string;
    readonly since: string | undefined;
    readonly format: BriefFormat;
    readonly path: string;
    readonly inputs?: BriefInputs;
  },
  effects: Effects,
  loadPrinter: LoadPdfPrinter = loadDefaultPrinter,
): Promise<string> {
  const model = buildFullBrief(c, ledger, target.asOf, target.since, target.inputs);
  if (target.format === 'md') {
    await effects.writeFile(target.path, renderMarkdownBrief(model));
  } else if (target.format === 'html') {
    await effects.writeFile(target.path, renderHtmlBrief(model));
  } else {
    const html = renderHtmlBrief(model);
    const printer = await loadPrinter();
    try {
      // The printer writes the (binary) file itself, creating its folder.
      await printer(html, target.path, { title: `${c.title} — brief as of ${target.asOf}` });
    } catch (err) {
      if (err instanceof Error && err.name === 'PdfUnavailableError') {
        throw new CliError(err.message, EXIT.problems, 'pdf-unavailable');
      }
      throw err;
    }
  }
  return target.path;
}
