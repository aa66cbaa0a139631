/**
 * The commands. Each takes parsed options and the effects object, and returns the exit
 * code; expected failures are thrown as CliError and mapped once in main.ts.
 */

import { join, relative, resolve } from 'node:path';
import { loadCase } from '../adapters/case-files/load-case.ts';
import { ledgerDrift, NO_DRIFT } from '../adapters/ledger-drift.ts';
import { nativeSha256 } from '../adapters/native-sha256.ts';
import { type Assessment, assess } from '../core/assess.ts';
import type { Case } from '../core/case-model.ts';
import { STEPS, type Step } from '../core/dates.ts';
import { type History, history } from '../core/history.ts';
import { WARRANT_WORDS } from '../report/principal-words.ts';
import {
  type BriefInputs,
  type BriefOpts,
  briefFormatOf,
  briefCommand as runBriefCommand,
  writeBrief as writeBriefFile,
} from './brief-command.ts';
import { toCsv } from './csv.ts';
import { CliError, type Effects, EXIT } from './effects.ts';
import { loadCaseWithLedger } from './load.ts';
import { DEFAULT_STORE, LEDGER_FILE, type OutputFormat, parseDateOption, parseDateRange } from './options.ts';
import { assessmentCsv, historyCsv, unlockCsv } from './render-csv.ts';
import { plain, renderAssessmentText, renderBottomLines, renderHistoryText, unlockLines } from './render-text.ts';
import { driftWarnings, shownPath, warnTo } from './warnings.ts';

export type Format = OutputFormat;

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export interface ValidateOpts {
  readonly format: Format;
  readonly store?: string;
  readonly scratch?: boolean;
}

/**
 * Checks a case folder, and compares it with the ledger of the store (`--store`, or the
 * default store when its ledger exists) without writing anything: drift is a warning (on
 * stderr, and as `drift` in the JSON summary), never a failure. `--scratch` skips the
 * comparison.
 */
export async function validateCommand(dir: string, opts: ValidateOpts, effects: Effects): Promise<number> {
  const result = await loadCase(dir);
  if (result.ok) {
    const ledgerPath = opts.scratch === true ? undefined : join(resolve(effects.cwd, opts.store ?? DEFAULT_STORE), LEDGER_FILE);
    let reader: Awaited<ReturnType<NonNullable<Effects['readLedger']>>>;
    let drift = NO_DRIFT;
    try {
      reader = ledgerPath === undefined ? undefined : await effects.readLedger?.(ledgerPath);
      if (reader !== undefined) {
        try {
          drift = ledgerDrift(result.evidence, await reader.entries(result.case.id));
        } finally {
          await reader.close();
        }
      }
    } catch (err) {
      throw new CliError(
        `${dir} is valid, but the ledger ${ledgerPath} could not be read to compare with it: ${(err as Error).message}. Pass --scratch to check the folder alone.`,
        EXIT.problems,
        'ledger-unreadable',
      );
    }
    const shownLedger = reader === undefined || ledgerPath === undefined ? null : shownPath(ledgerPath, effects.cwd);
    if (shownLedger !== null) {
      const warn = warnTo(effects, opts.format);
      for (const w of driftWarnings(drift, { caseId: result.case.id, folder: dir, ledger: shownLedger, store: opts.store })) {
        warn(w);
      }
    }
    const summary = {
      ok: true,
      case: result.case.id,
      files: result.files.length,
      evidence: result.evidence.length,
      ledger: shownLedger,
      drift: { notInFolder: drift.notInFolder, differs: drift.differs.map((d) => d.id) },
      problems: [],
    };
    effects.stdout(
      opts.format === 'json'
        ? json(summary)
        : opts.format === 'csv'
          ? toCsv(
              ['case', 'files', 'evidence', 'ledger', 'not_in_folder', 'differs'],
              [
                [
                  summary.case,
                  summary.files,
                  summary.evidence,
                  summary.ledger,
                  summary.drift.notInFolder.join(';'),
                  summary.drift.differs.join(';'),
                ],
              ],
            )
          : `${dir}: valid — case ${result.case.id}, ${result.files.length} files, ${result.evidence.length} evidence entries\n`,
    );
    return EXIT.ok;
  }
  throw new CliError(
    `${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${dir}`,
    EXIT.problems,
    'invalid-case',
    { problems: result.problems },
  );
}

export interface AssessOpts {
  readonly asOf?: string;
  readonly recordedBy?: string;
  readonly format: Format;
  readonly store?: string;
  readonly scratch?: boolean;
}

/**
 * Loads the case and its ledger as the options say and assesses it as of `--as-of` (today
 * by default); `check` runs on the loaded case first (option checks that need the case).
 * Returns how long the assessment itself took, for commands that report it.
 */
export async function loadAndAssess(
  dir: string,
  opts: AssessOpts,
  effects: Effects,
  check: (c: Case) => void = () => {},
): Promise<{ readonly loaded: Awaited<ReturnType<typeof loadCaseWithLedger>>; readonly a: Assessment; readonly ms: number }> {
  const asOf = parseDateOption('as-of', opts.asOf) ?? effects.today();
  const recordedBy = parseDateOption('recorded-by', opts.recordedBy);
  const loaded = await loadCaseWithLedger(dir, opts.store, effects, {
    scratch: opts.scratch === true,
    warn: warnTo(effects, opts.format),
  });
  check(loaded.case);
  const started = performance.now();
  const a = assess(loaded.case, loaded.ledger, asOf, {
    series: loaded.series,
    coverage: loaded.coverage,
    sha256: nativeSha256,
    ...(recordedBy === undefined ? {} : { recordedBy }),
  });
  return { loaded, a, ms: performance.now() - started };
}

export async function assessCommand(dir: string, opts: AssessOpts, effects: Effects): Promise<number> {
  const { loaded, a } = await loadAndAssess(dir, opts, effects);
  effects.stdout(
    opts.format === 'json'
      ? json(a)
      : opts.format === 'csv'
        ? assessmentCsv(a)
        : `${renderAssessmentText(a, loaded.case.title)}\n`,
  );
  return EXIT.ok;
}

export interface UnlockOpts extends AssessOpts {
  readonly instrument?: string;
}

/** `proviso unlock`: what each instrument still needs, beside what the principal did; the search's size and time on stderr. */
export async function unlockCommand(dir: string, opts: UnlockOpts, effects: Effects): Promise<number> {
  const { loaded, a, ms } = await loadAndAssess(dir, opts, effects, (c) => {
    const ids = c.instruments.map((i) => i.id);
    if (opts.instrument !== undefined && !ids.includes(opts.instrument)) {
      throw new CliError(
        `--instrument: no instrument "${opts.instrument}" in the case; its instruments are ${ids.join(', ')}`,
        EXIT.usage,
        'bad-option',
      );
    }
  });
  const chosen = a.instruments.filter((i) => opts.instrument === undefined || i.id === opts.instrument);
  const instruments = chosen.map((i) => ({
    id: i.id,
    title: i.title,
    decision: i.decision,
    missing: i.missing,
    actual: i.actual,
    departure: i.departure,
    unlock: i.unlock,
    sensitivity: i.sensitivity,
  }));
  if (opts.format === 'json') {
    effects.stdout(json({ case: a.case, asOf: a.asOf, recordedBy: a.recordedBy, digest: a.digest, instruments }));
    return EXIT.ok;
  }
  if (opts.format === 'csv') {
    effects.stdout(unlockCsv(chosen));
    return EXIT.ok;
  }
  const lines: string[] = [`${plain(loaded.case.title)} — what would unlock each instrument, as of ${a.asOf}`];
  for (const i of chosen) {
    const warranted = WARRANT_WORDS[i.decision].long;
    const done =
      i.actual === null
        ? 'nothing recorded of what the principal did'
        : `${i.actual.state} on ${i.actual.since} (${i.actual.evidence.join(', ')})`;
    lines.push(
      '',
      `${plain(i.title)} — ${warranted}; done: ${done}${i.departure === null ? '' : ` — DEPARTURE (${i.departure})`}`,
    );
    if (i.unlock === null) lines.push(i.decision === 'not-applicable' ? '  not in force on this date' : '  nothing to unlock');
    else lines.push(...unlockLines(i));
    if (i.sensitivity !== null) lines.push(`  ${plain(i.sensitivity.summary)}`);
  }
  effects.stdout(`${lines.join('\n')}\n`);
  const tried =
    a.instruments.reduce((n, i) => n + (i.sensitivity?.tried ?? 0), 0) +
    a.justifications.reduce((n, j) => n + (j.sensitivity?.tried ?? 0), 0);
  effects.stderr(`assessed in ${ms.toFixed(0)} ms, paths to unlock and sensitivity included (${tried} single changes tried)\n`);
  return EXIT.ok;
}

export interface HistoryOpts {
  readonly from?: string;
  readonly to?: string;
  readonly step: string;
  readonly recordedBy?: string;
  readonly format: Format;
  readonly store?: string;
  readonly scratch?: boolean;
}

export async function historyCommand(dir: string, opts: HistoryOpts, effects: Effects): Promise<number> {
  const { history: h, case: c } = await loadHistoryWithCase(dir, opts, effects);
  const groupOf = new Map<string, string>();
  for (const g of c.groups ?? []) if (g.parent === undefined) for (const m of g.members) groupOf.set(m, g.title);
  effects.stdout(
    opts.format === 'json'
      ? json(h)
      : opts.format === 'csv'
        ? historyCsv(h)
        : `${renderHistoryText(h, (id) => groupOf.get(id))}\n`,
  );
  return EXIT.ok;
}

/** Loads the case and its ledger as the options say and computes its history (`history` and `export history`). */
export async function loadHistory(dir: string, opts: HistoryOpts, effects: Effects): Promise<History> {
  return (await loadHistoryWithCase(dir, opts, effects)).history;
}

async function loadHistoryWithCase(dir: string, opts: HistoryOpts, effects: Effects): Promise<{ history: History; case: Case }> {
  if (!(STEPS as readonly string[]).includes(opts.step)) {
    throw new CliError(`--step: expected one of ${STEPS.join(', ')}, got "${opts.step}"`, EXIT.usage, 'bad-option');
  }
  const { from, to } = parseDateRange(opts, {
    to: effects.today,
    from: (to) => `${Number(to.slice(0, 4)) - 10}${to.slice(4)}`,
  });
  const recordedBy = parseDateOption('recorded-by', opts.recordedBy);
  const loaded = await loadCaseWithLedger(dir, opts.store, effects, {
    scratch: opts.scratch === true,
    warn: warnTo(effects, opts.format),
  });
  return {
    case: loaded.case,
    history: history(loaded.case, loaded.ledger, from, to, opts.step as Step, {
      series: loaded.series,
      coverage: loaded.coverage,
      ...(recordedBy === undefined ? {} : { recordedBy }),
    }),
  };
}

export type { BriefOpts } from './brief-command.ts';

/** `proviso brief`: see brief-command.ts (.html, .pdf or .md, chosen by the --out extension). */
export async function briefCommand(dir: string, opts: BriefOpts, effects: Effects): Promise<number> {
  return runBriefCommand(dir, opts, effects);
}

/** Writes one brief of the reference case for the demo; the format follows the extension. */
async function writeBrief(
  c: Parameters<typeof assess>[0],
  ledger: Parameters<typeof assess>[1],
  asOf: string,
  since: string | undefined,
  path: string,
  effects: Effects,
  inputs: BriefInputs,
): Promise<string> {
  return writeBriefFile(c, ledger, { asOf, since, format: briefFormatOf(path), path, inputs }, effects);
}

export const ESSAY_DATE = '2023-03-03';

/** The main job: the reference case, assessed today and on the essay's date, and a brief. */
export async function demoCommand(
  opts: { store?: string; outDir?: string; scratch?: boolean },
  effects: Effects,
): Promise<number> {
  const dir = join(effects.packageRoot, 'examples', 'us-pakistan');
  const loaded = await loadCaseWithLedger(dir, opts.store, effects, { scratch: opts.scratch === true });
  effects.stdout(
    loaded.scratch
      ? `Reference case ${loaded.case.id}: ${loaded.ledger.length} entries in a scratch ledger (in memory; nothing written to the store)\n\n`
      : `Reference case ${loaded.case.id}: ${loaded.ledger.length} ledger entries in ${relative(effects.cwd, loaded.storePath)} (${loaded.import.added} added now, ${loaded.import.unchanged} already there)\n\n`,
  );
  for (const asOf of [effects.today(), ESSAY_DATE]) {
    const a = assess(loaded.case, loaded.ledger, asOf, { series: loaded.series, coverage: loaded.coverage });
    effects.stdout(`${renderAssessmentText(a, loaded.case.title)}\n\n`);
  }
  const outDir = resolve(effects.cwd, opts.outDir ?? 'out');
  const path = join(outDir, `us-pakistan-brief-${ESSAY_DATE}.md`);
  const inputs = { series: loaded.series, coverage: loaded.coverage };
  await writeBrief(loaded.case, loaded.ledger, ESSAY_DATE, undefined, path, effects, inputs);
  effects.stdout(`Markdown brief as of ${ESSAY_DATE} written to ${relative(effects.cwd, path)}\n`);
  const htmlPath = join(outDir, `us-pakistan-brief-${ESSAY_DATE}.html`);
  await writeBrief(loaded.case, loaded.ledger, ESSAY_DATE, undefined, htmlPath, effects, inputs);
  effects.stdout(
    `HTML brief as of ${ESSAY_DATE} written to ${relative(effects.cwd, htmlPath)} (open it in a browser; works offline)\n`,
  );
  effects.stdout('\nThe other example cases, each on a date that shows what it is about:\n\n');
  for (const [name, asOf] of OTHER_EXAMPLES) {
    const other = await loadCaseWithLedger(join(effects.packageRoot, 'examples', name), opts.store, effects, {
      scratch: opts.scratch === true,
    });
    const a = assess(other.case, other.ledger, asOf, { series: other.series, coverage: other.coverage });
    effects.stdout(`${renderBottomLines(a, other.case.title)}\n\n`);
  }
  effects.stdout(`Next: proviso history ${relative(effects.cwd, dir) || dir} --from 2015-01-01 --to 2023-12-31\n`);
  return EXIT.ok;
}

/** The example cases besides the reference case, with the date `demo` shows each on. */
export const OTHER_EXAMPLES: readonly (readonly [string, string])[] = [
  ['mcc-tanzania', '2016-04-01'],
  ['us-egypt-fmf', '2023-09-30'],
];
