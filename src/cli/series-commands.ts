/**
 * `proviso import <kind> <file>…` and `proviso series`: structural series (UN voting
 * convergence, State Department coincidence, US aid, SIPRI arms transfers, strikes) into
 * and out of the series store `<store>/series.sqlite` (default store folder `.proviso`).
 *
 * Exit codes: 0 when every file imported (rejected lines are reported, written to
 * `<store>/rejects/<file>.rejects.jsonl`, and do not fail the import); 1 when a file could not
 * be read at all (nothing of it is stored; the other files still import); 2 bad usage.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { ImportFileResult } from '../adapters/structural/import-structural.ts';
import { SERIES_FILE } from '../adapters/structural/series-store-layout.ts';
import type { SeriesRow, SqliteSeriesStore } from '../adapters/structural/sqlite-series-store.ts';
import { IMPORT_KINDS, type ImportKind, UN_BODIES, UN_BODY_NAMES } from '../adapters/structural/structural-records.ts';
import { MEASURE_NAMES } from '../core/convergence/dyad-measures.ts';
import { type CsvCell, toCsv } from './csv.ts';
import { CliError, type Effects, EXIT } from './effects.ts';
import { DEFAULT_STORE, formatOption, OUTPUT_FORMATS, type OutputFormat, parseDateOption, storeOption } from './options.ts';

export const SERIES_MEASURES = [
  ...MEASURE_NAMES,
  'coincidence',
  'aid',
  'aid-current',
  'aid-disbursements',
  'aid-disbursements-current',
  'aid-appropriated',
  'aid-appropriated-current',
  'aid-budget-request',
  'aid-budget-request-current',
  'aid-initial-allocation',
  'aid-initial-allocation-current',
  'arms',
  'strikes',
] as const;

export interface ImportOpts {
  readonly store?: string;
  readonly year?: string;
  readonly dyad?: string;
  readonly format: OutputFormat;
}

function parseDyad(raw: string, option: string): string[] {
  const codes = raw.split(',').map((c) => c.trim());
  if (codes.length < 1 || codes.length > 2 || codes.some((c) => !/^([A-Za-z]{3}|name:.+)$/.test(c))) {
    throw new CliError(
      `${option} "${raw}": give one or two country codes separated by a comma, e.g. USA,PAK`,
      EXIT.usage,
      'bad-option',
    );
  }
  return codes.map((c) => (c.startsWith('name:') ? c : c.toUpperCase()));
}

export async function importCommand(kind: string, files: readonly string[], opts: ImportOpts, effects: Effects): Promise<number> {
  if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
    throw new CliError(`unknown kind "${kind}": expected one of ${IMPORT_KINDS.join(', ')}`, EXIT.usage, 'bad-kind');
  }
  let year: number | undefined;
  if (opts.year !== undefined) {
    if (!/^\d{4}$/.test(opts.year))
      throw new CliError(`--year "${opts.year}": expected a year such as 2023`, EXIT.usage, 'bad-option');
    year = Number(opts.year);
  }
  let dyad: [string, string] | undefined;
  if (opts.dyad !== undefined) {
    const codes = parseDyad(opts.dyad, '--dyad');
    if (codes.length !== 2) throw new CliError('--dyad: give the actor and the location, e.g. USA,PAK', EXIT.usage, 'bad-option');
    dyad = [codes[0] as string, codes[1] as string];
  }
  const storeDir = resolve(effects.cwd, opts.store ?? DEFAULT_STORE);
  // The readers and SQLite load only when a command uses them.
  const [{ importStructuralFiles }, { openSqliteSeriesStore }] = await Promise.all([
    import('../adapters/structural/import-structural.ts'),
    import('../adapters/structural/sqlite-series-store.ts'),
  ]);
  const store = openSqliteSeriesStore(join(storeDir, SERIES_FILE));
  let results: ImportFileResult[];
  try {
    // The files of one call are one data set (UN votes with their roll-call table).
    results = await importStructuralFiles(
      kind as ImportKind,
      files.map((f) => resolve(effects.cwd, f)),
      store,
      {
        rejectsDir: join(storeDir, 'rejects'),
        tablesDir: join(effects.packageRoot, 'data', 'cameo'),
        ...(year === undefined ? {} : { year }),
        ...(dyad === undefined ? {} : { dyad }),
      },
    );
  } finally {
    await store.close();
  }
  const show = (p: string) => relative(effects.cwd, p) || p;
  const imported = results.filter((r): r is Imported => r.kind === 'imported');
  const problems = results.filter((r) => r.kind === 'problem');
  // On failure stdout holds only what was done: nothing when no file was imported.
  if (imported.length > 0 || problems.length === 0) {
    effects.stdout(importedText(imported, kind, show(join(storeDir, SERIES_FILE)), opts.format, show));
  }
  if (problems.length > 0) {
    throw new CliError(
      `${problems.length} of ${results.length} file${results.length === 1 ? '' : 's'} could not be imported: nothing of ${problems.length === 1 ? 'it' : 'them'} was stored${imported.length > 0 ? ' (the others were)' : ''}`,
      EXIT.problems,
      'import-failed',
      { problems: problems.map(({ kind: _kind, ...p }) => ({ ...p, file: show(p.file) })) },
    );
  }
  return EXIT.ok;
}

type Imported = Extract<ImportFileResult, { kind: 'imported' }>;

/** What `import` stored, file by file, in the chosen format. */
function importedText(
  imported: readonly Imported[],
  kind: string,
  store: string,
  format: OutputFormat,
  show: (path: string) => string,
): string {
  if (format === 'json') return `${JSON.stringify({ kind, store, files: imported }, null, 2)}\n`;
  if (format === 'csv') {
    return toCsv(
      ['file', 'records', 'added', 'unchanged', 'rejected', 'layout', 'rejects_file'],
      imported.map((r) => [r.file, r.records, r.added, r.unchanged, r.rejected, r.layout, r.rejectsFile]),
    );
  }
  return imported
    .map((r) => {
      const skipped = Object.entries(r.skipped)
        .map(([why, n]) => `${n} ${why}`)
        .join(', ');
      return (
        `${show(r.file)}: ${r.records} records (${r.added} added, ${r.unchanged} already stored), ${r.rejected} rejected` +
        (skipped === '' ? '' : `; skipped ${skipped}`) +
        (r.layout === undefined ? '' : `; ${r.layout} form`) +
        (r.rejectsFile === undefined ? '' : ` → rejects in ${show(r.rejectsFile)}`) +
        '\n'
      );
    })
    .join('');
}

export interface SeriesOpts {
  readonly store?: string;
  readonly measure: string;
  readonly dyad?: string;
  readonly from?: string;
  readonly to?: string;
  readonly body?: string;
  readonly issue?: string;
  readonly format: OutputFormat;
}

/** The `--body` choices: the General Assembly, the Security Council, or both. */
export const SERIES_BODIES = [...UN_BODIES, 'all'] as const;
export type SeriesBody = (typeof SERIES_BODIES)[number];
const BODY_WORDS: Readonly<Record<SeriesBody, string>> = { ...UN_BODY_NAMES, all: 'General Assembly and Security Council' };

/** `--from`/`--to` as a year or a date (checked by the one date parser: 2018-02-31 is refused); returns the bound as a date. */
function parseBound(raw: string | undefined, option: string, end: boolean): string | undefined {
  if (raw === undefined) return undefined;
  if (/^\d{4}$/.test(raw)) return end ? `${raw}-12-31` : `${raw}-01-01`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return parseDateOption(option, raw);
  throw new CliError(`--${option} "${raw}": expected a year (2018) or a date (2018-06-30)`, EXIT.usage, 'bad-option');
}

/** One point of a series as `series` prints it (JSON objects, CSV rows) and `export series` writes it; `detail`'s values follow the base columns. */
export interface SeriesOutRow {
  readonly year: number;
  readonly value: number;
  readonly measure: string;
  readonly dyad: string;
  readonly period: string;
  readonly date: string;
  readonly knownAt: string;
  readonly [detail: string]: unknown;
}

/** What a `series` read found: the points, and what they were selected by. */
export interface SeriesRead {
  readonly rows: readonly SeriesOutRow[];
  readonly dyad: readonly string[];
  readonly votes: boolean;
  readonly body: SeriesBody;
  readonly issue: { readonly issue: string; readonly name: string } | undefined;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

export async function seriesCommand(opts: SeriesOpts, effects: Effects): Promise<number> {
  const { rows: out, dyad, votes, body, issue, from, to } = await readSeries(opts, effects);
  if (opts.format === 'json') {
    effects.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else if (opts.format === 'csv') {
    const keys = [...new Set(out.flatMap((r) => Object.keys(r)))];
    const cell = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : (v as CsvCell));
    effects.stdout(
      toCsv(
        keys,
        out.map((r) => keys.map((k) => cell((r as Record<string, unknown>)[k]))),
      ),
    );
  } else {
    // Vote measures say whose roll calls they count, and on which issue.
    const over = votes ? `, ${BODY_WORDS[body]} roll calls${issue ? ` on ${issue.name}` : ''}` : '';
    if (out.length === 0) {
      effects.stdout(
        `no ${opts.measure} points for ${dyad.join('–')}${over}${from || to ? ` between ${from ?? '…'} and ${to ?? '…'}` : ''}\n`,
      );
    } else {
      const width = Math.max(...out.map((r) => r.period.length), 6);
      const lines = out.map((r) => `${r.period.padEnd(width)}  ${formatValue(r.value).padStart(16)}  known ${r.knownAt}`);
      effects.stdout(
        `${opts.measure} ${dyad.join('–')}${over}\n${'period'.padEnd(width)}  ${'value'.padStart(16)}\n${lines.join('\n')}\n`,
      );
    }
  }
  return EXIT.ok;
}

/** The points `series` shows for the options (checked as `series` checks them), read from the store read-only; a missing store is an error. */
export async function readSeries(opts: Omit<SeriesOpts, 'format'>, effects: Effects): Promise<SeriesRead> {
  if (!(SERIES_MEASURES as readonly string[]).includes(opts.measure)) {
    throw new CliError(`--measure "${opts.measure}": expected one of ${SERIES_MEASURES.join(', ')}`, EXIT.usage, 'bad-option');
  }
  if (opts.dyad === undefined) {
    throw new CliError(
      '--dyad: give one or two country codes (ISO3), e.g. --dyad USA,PAK; a series has no default pair',
      EXIT.usage,
      'bad-option',
    );
  }
  const dyad = parseDyad(opts.dyad, '--dyad');
  const from = parseBound(opts.from, 'from', false);
  const to = parseBound(opts.to, 'to', true);
  if (from !== undefined && to !== undefined && from > to)
    throw new CliError(`--from ${opts.from} is after --to ${opts.to}`, EXIT.usage, 'bad-option');
  const body = (opts.body ?? 'ga') as SeriesBody;
  if (!(SERIES_BODIES as readonly string[]).includes(body))
    throw new CliError(`--body "${opts.body}": expected one of ${SERIES_BODIES.join(', ')}`, EXIT.usage, 'bad-option');
  const votes = (MEASURE_NAMES as readonly string[]).includes(opts.measure);
  if (!votes && (opts.body !== undefined || opts.issue !== undefined)) {
    throw new CliError(
      `--${opts.issue === undefined ? 'body' : 'issue'} applies to the vote measures (${MEASURE_NAMES.join(', ')}), not to ${opts.measure}`,
      EXIT.usage,
      'bad-option',
    );
  }
  const storeDir = resolve(effects.cwd, opts.store ?? DEFAULT_STORE);
  const file = join(storeDir, SERIES_FILE);
  if (!existsSync(file)) {
    throw new CliError(
      `no series store at ${relative(effects.cwd, file) || file}: run \`proviso import <kind> <file>…\` first`,
      EXIT.problems,
      'no-store',
    );
  }
  const { openSqliteSeriesStore } = await import('../adapters/structural/sqlite-series-store.ts');
  // A read writes nothing: an import may run beside it.
  const store = openSqliteSeriesStore(file, { readOnly: true });
  let rows: SeriesRow[];
  let issue: { issue: string; name: string } | undefined;
  try {
    if (opts.issue !== undefined) issue = await findIssue(store, opts.issue);
    rows = await store.rows({
      measure: opts.measure,
      dyad,
      ...(votes ? { body } : {}),
      ...(issue ? { issue: issue.issue } : {}),
    });
  } catch (err) {
    if (err instanceof RangeError) throw new CliError(err.message, EXIT.usage, 'bad-option');
    throw err;
  } finally {
    await store.close();
  }
  rows = rows.filter((r) => (from === undefined || r.date >= from) && (to === undefined || r.date <= to));
  const out = rows.map((r) => ({
    year: r.year,
    value: r.value,
    measure: opts.measure,
    dyad: dyad.join(','),
    period: r.period,
    date: r.date,
    knownAt: r.knownAt,
    ...r.detail,
  }));
  return { rows: out, dyad, votes, body, issue, from, to };
}

/** The stored issue topic `--issue` names (its code, `me`, or its name, `Palestinian conflict`; any case). */
async function findIssue(store: SqliteSeriesStore, raw: string): Promise<{ issue: string; name: string }> {
  const topics = await store.issueTopics();
  const want = raw.trim().toLowerCase();
  const found = topics.find((t) => t.issue.toLowerCase() === want || t.name.toLowerCase() === want);
  if (found !== undefined) return found;
  throw new CliError(
    topics.length === 0
      ? `--issue "${raw}": the stored roll calls have no issue topics; import an issues table (rcid, short_name, issue, e.g. un_roll_call_issues.csv) with the votes`
      : `--issue "${raw}": expected one of ${topics.map((t) => `${t.issue} (${t.name})`).join(', ')}`,
    EXIT.usage,
    'bad-option',
  );
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(3);
}

export function registerSeriesCommands(program: Command, effects: Effects, setExit: (code: number) => void): void {
  const run = (p: Promise<number>) => p.then(setExit);
  program
    .command('import <kind> <files...>')
    .description(`import structural data into the series store; kinds: ${IMPORT_KINDS.join(', ')}`)
    .addOption(storeOption())
    .option('--year <year>', 'unga-coincidence: the report year when the file name has none')
    .option('--dyad <actor,location>', 'strikes: who strikes where, e.g. USA,PAK')
    .addOption(formatOption())
    .action((kind: string, files: string[], o: ImportOpts) => run(importCommand(kind, files, o, effects)));

  program
    .command('series')
    .description('a structural series for a dyad, by year')
    .addOption(new Option('--measure <measure>', 'what to show').choices([...SERIES_MEASURES]).makeOptionMandatory())
    .requiredOption('--dyad <codes>', 'one or two ISO3 codes, e.g. USA,PAK (supplier,recipient for arms)')
    .option('--from <year|date>', 'first year or date')
    .option('--to <year|date>', 'last year or date')
    .addOption(storeOption())
    .addOption(
      new Option(
        '--body <body>',
        'vote measures: the roll calls of the General Assembly (ga, the default), the Security Council (sc) or both (all)',
      ).choices([...SERIES_BODIES]),
    )
    .option(
      '--issue <topic>',
      'vote measures: only roll calls on this issue topic (unvotes: me, nu, di, hr, co, ec, or the topic name)',
    )
    .addOption(formatOption(OUTPUT_FORMATS, { table: 'text' }))
    .action((o: SeriesOpts) => run(seriesCommand(o, effects)));
}
