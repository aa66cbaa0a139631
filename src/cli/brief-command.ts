/**
 * `proviso brief <case> --out FILE.html|FILE.pdf|FILE.md [--as-of D] [--since D]`.
 *
 * The format follows the file name, unless --format says otherwise. All three share one brief model: the assessment as
 * of the date, a monthly history for the status timeline (the eight years to the date, or
 * from --since if that is earlier), and with --since the transitions since that date —
 * all from one sweep over the ledger (see `buildFullBrief` in src/report/full-brief.ts).
 * The PDF is the HTML printed by Chromium; without Chromium the PDF path fails with a
 * usage-independent, actionable message while HTML and Markdown keep working.
 */
import { extname, relative, resolve } from 'node:path';
import type { Case } from '../core/case-model.ts';
import type { Evidence } from '../core/evidence.ts';
import type { BriefInputs } from '../report/full-brief.ts';
import type { PdfPrinter } from '../report/pdf-brief.ts';
import { CliError, type Effects, EXIT } from './effects.ts';
import { loadCaseWithLedger } from './load.ts';
import { parseDateOption } from './options.ts';

export type { BriefInputs } from '../report/full-brief.ts';

export const BRIEF_FORMATS = ['html', 'pdf', 'md'] as const;
export type BriefFormat = (typeof BRIEF_FORMATS)[number];

export interface BriefOpts {
  readonly asOf?: string;
  readonly since?: string;
  readonly out: string;
  /** Overrides the format the --out extension gives. */
  readonly format?: BriefFormat;
  readonly store?: string;
  readonly scratch?: boolean;
}

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
  const format = opts.format ?? briefFormatOf(opts.out);
  const asOf = parseDateOption('as-of', opts.asOf) ?? effects.today();
  const since = parseDateOption('since', opts.since);
  if (since !== undefined && since > asOf) {
    throw new CliError(`--since ${since} is after --as-of ${asOf}`, EXIT.usage, 'bad-option');
  }
  const loaded = await loadCaseWithLedger(dir, opts.store, effects, { scratch: opts.scratch === true });
  const path = resolve(effects.cwd, opts.out);
  const inputs = { series: loaded.series, coverage: loaded.coverage };
  await writeBrief(loaded.case, loaded.ledger, { asOf, since, format, path, inputs }, effects, loadPrinter);
  effects.stdout(
    `${format === 'md' ? 'Markdown' : format.toUpperCase()} brief written to ${relative(effects.cwd, path) || path}\n`,
  );
  return EXIT.ok;
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
  // The report modules (ECharts among them) load only when a brief is written.
  const [{ buildFullBrief }, { renderHtmlBrief }, { renderMarkdownBrief }] = await Promise.all([
    import('../report/full-brief.ts'),
    import('../report/html-brief.ts'),
    import('../report/markdown-brief.ts'),
  ]);
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
