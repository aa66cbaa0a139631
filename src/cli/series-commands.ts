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
import type { SeriesRow } from '../adapters/structural/sqlite-series-store.ts';
import { IMPORT_KINDS, type ImportKind } from '../adapters/structural/structural-records.ts';
import { MEASURE_NAMES } from '../core/convergence/dyad-measures.ts';
import { CliError, type Effects, EXIT } from './effects.ts';
import { DEFAULT_STORE } from './options.ts';

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

export const SERIES_FORMATS = ['table', 'csv', 'json'] as const;
type SeriesFormat = (typeof SERIES_FORMATS)[number];

export interface ImportOpts {
  readonly store?: string;
  readonly year?: string;
  readonly dyad?: string;
  readonly format: 'text' | 'json';
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
  const [{ importStructuralFile }, { openSqliteSeriesStore }] = await Promise.all([
    import('../adapters/structural/import-structural.ts'),
    import('../adapters/structural/sqlite-series-store.ts'),
  ]);
  const store = openSqliteSeriesStore(join(storeDir, SERIES_FILE));
  const results: ImportFileResult[] = [];
  try {
    for (const f of files) {
      results.push(
        await importStructuralFile(kind as ImportKind, resolve(effects.cwd, f), store, {
          rejectsDir: join(storeDir, 'rejects'),
          ...(year === undefined ? {} : { year }),
          ...(dyad === undefined ? {} : { dyad }),
        }),
      );
    }
  } finally {
    await store.close();
  }
  const show = (p: string) => relative(effects.cwd, p) || p;
  if (opts.format === 'json') {
    effects.stdout(`${JSON.stringify({ kind, store: show(join(storeDir, SERIES_FILE)), files: results }, null, 2)}\n`);
  } else {
    for (const r of results) {
      if (r.kind === 'problem') {
        effects.stderr(`${show(r.file)}:${r.line}: ${r.reason} — nothing of this file was imported\n`);
        continue;
      }
      const skipped = Object.entries(r.skipped)
        .map(([why, n]) => `${n} ${why}`)
        .join(', ');
      effects.stdout(
        `${show(r.file)}: ${r.records} records (${r.added} added, ${r.unchanged} already stored), ${r.rejected} rejected` +
          (skipped === '' ? '' : `; skipped ${skipped}`) +
          (r.layout === undefined ? '' : `; ${r.layout} form`) +
          (r.rejectsFile === undefined ? '' : ` → rejects in ${show(r.rejectsFile)}`) +
          '\n',
      );
    }
  }
  return results.some((r) => r.kind === 'problem') ? EXIT.problems : EXIT.ok;
}

export interface SeriesOpts {
  readonly store?: string;
  readonly measure: string;
  readonly dyad?: string;
  readonly from?: string;
  readonly to?: string;
  readonly format: SeriesFormat;
}

/** `--from`/`--to` as a year or a date; returns the bound as a date. */
function parseBound(raw: string | undefined, option: string, end: boolean): string | undefined {
  if (raw === undefined) return undefined;
  if (/^\d{4}$/.test(raw)) return end ? `${raw}-12-31` : `${raw}-01-01`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return raw;
  throw new CliError(`--${option} "${raw}": expected a year (2018) or a date (2018-06-30)`, EXIT.usage, 'bad-option');
}

function csvField(v: unknown): string {
  const s = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export async function seriesCommand(opts: SeriesOpts, effects: Effects): Promise<number> {
  if (!(SERIES_MEASURES as readonly string[]).includes(opts.measure)) {
    throw new CliError(`--measure "${opts.measure}": expected one of ${SERIES_MEASURES.join(', ')}`, EXIT.usage, 'bad-option');
  }
  const dyad = parseDyad(opts.dyad ?? 'USA,PAK', '--dyad');
  const from = parseBound(opts.from, 'from', false);
  const to = parseBound(opts.to, 'to', true);
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
  const store = openSqliteSeriesStore(file);
  let rows: SeriesRow[];
  try {
    rows = await store.rows({ measure: opts.measure, dyad });
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
  if (opts.format === 'json') {
    effects.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else if (opts.format === 'csv') {
    const keys = [...new Set(out.flatMap((r) => Object.keys(r)))];
    effects.stdout(
      `${[keys.join(','), ...out.map((r) => keys.map((k) => csvField((r as Record<string, unknown>)[k])).join(','))].join('\n')}\n`,
    );
  } else if (out.length === 0) {
    effects.stdout(
      `no ${opts.measure} points for ${dyad.join('–')}${from || to ? ` between ${from ?? '…'} and ${to ?? '…'}` : ''}\n`,
    );
  } else {
    const width = Math.max(...out.map((r) => r.period.length), 6);
    const lines = out.map((r) => `${r.period.padEnd(width)}  ${formatValue(r.value).padStart(16)}  known ${r.knownAt}`);
    effects.stdout(
      `${opts.measure} ${dyad.join('–')}\n${'period'.padEnd(width)}  ${'value'.padStart(16)}\n${lines.join('\n')}\n`,
    );
  }
  return EXIT.ok;
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(3);
}

export function registerSeriesCommands(program: Command, effects: Effects, setExit: (code: number) => void): void {
  const run = (p: Promise<number>) => p.then(setExit);
  program
    .command('import <kind> <files...>')
    .description(`import structural data into the series store; kinds: ${IMPORT_KINDS.join(', ')}`)
    .option('--store <dir>', `store folder (default ${DEFAULT_STORE}); the series go to <dir>/${SERIES_FILE}`)
    .option('--year <year>', 'unga-coincidence: the report year when the file name has none')
    .option('--dyad <actor,location>', 'strikes: who strikes where, e.g. USA,PAK')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((kind: string, files: string[], o: ImportOpts) => run(importCommand(kind, files, o, effects)));

  program
    .command('series')
    .description('a structural series for a dyad, by year')
    .addOption(new Option('--measure <measure>', 'what to show').choices([...SERIES_MEASURES]).makeOptionMandatory())
    .option('--dyad <codes>', 'one or two ISO3 codes, e.g. USA,PAK (supplier,recipient for arms)', 'USA,PAK')
    .option('--from <year|date>', 'first year or date')
    .option('--to <year|date>', 'last year or date')
    .option('--store <dir>', `store folder (default ${DEFAULT_STORE})`)
    .addOption(new Option('--format <format>', 'output format').choices([...SERIES_FORMATS]).default('table'))
    .action((o: SeriesOpts) => run(seriesCommand(o, effects)));
}
