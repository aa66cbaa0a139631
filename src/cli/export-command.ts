/**
 * `proviso export events|assessment|history|series|evidence [<case>] --out FILE [--format csv|parquet|jsonl]`:
 * what the reading commands show, as files for R, pandas and DuckDB (docs/export.md).
 *
 * Contract:
 * - Each kind takes the options of the command it exports (events: those of `events`;
 *   series: those of `series`; assessment and evidence: `--as-of`, `--recorded-by`;
 *   history: `--from`, `--to`, `--step`, `--recorded-by`; the case kinds also `--scratch`),
 *   checked as that command checks them; an option the kind does not take is a usage error.
 * - The format is `--format`, else the extension of `--out` (.csv, .parquet, .jsonl).
 * - The file is written beside `--out` under a temporary name and renamed over it at the
 *   end: a failed export leaves no file and no partial one. `--out`'s folder must exist.
 * - Reads create nothing: a missing event or series store is an error (exit 1); the case
 *   kinds load the case as `assess` does (into the store's ledger, or `--scratch`).
 * - One line on stderr says what was written (rows, file, format, bytes); stdout stays empty.
 *   Errors are text: `--format` names the file's format, so there are no JSON errors.
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { EventExportColumns } from '../adapters/duckdb/export-events.ts';
import type { ExportTable } from '../adapters/duckdb/export-table.ts';
import { CliError, type Effects, EXIT } from './effects.ts';
import { ASSESSMENT_TYPES, evidenceTable, HISTORY_TYPES, seriesTable, tableCsv, tableJsonl, typedTable } from './export-rows.ts';
import { parseDateOption } from './options.ts';

export const EXPORT_KINDS = ['events', 'assessment', 'history', 'series', 'evidence'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_FORMATS = ['csv', 'parquet', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The extensions that name a format when `--format` is not given. */
const FORMAT_OF_EXTENSION: Readonly<Record<string, ExportFormat>> = {
  '.csv': 'csv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

export interface ExportOpts {
  readonly out: string;
  readonly format?: ExportFormat;
  readonly store?: string;
  readonly scratch?: boolean;
  readonly asOf?: string;
  readonly recordedBy?: string;
  readonly from?: string;
  readonly to?: string;
  readonly step?: string;
  readonly actor1?: string;
  readonly actor2?: string;
  readonly either?: boolean;
  readonly root?: string;
  readonly quad?: string;
  readonly columns?: string;
  readonly measure?: string;
  readonly dyad?: string;
  readonly body?: string;
  readonly issue?: string;
}

type KindOption = Exclude<keyof ExportOpts, 'out' | 'format'>;

/** The options each kind takes besides --out and --format; any other given is refused. */
export const KIND_OPTIONS: Readonly<Record<ExportKind, readonly KindOption[]>> = {
  events: ['store', 'columns', 'actor1', 'actor2', 'either', 'from', 'to', 'root', 'quad'],
  series: ['store', 'measure', 'dyad', 'from', 'to', 'body', 'issue'],
  assessment: ['store', 'scratch', 'asOf', 'recordedBy'],
  history: ['store', 'scratch', 'from', 'to', 'step', 'recordedBy'],
  evidence: ['store', 'scratch', 'asOf', 'recordedBy'],
};

const CASE_KINDS: readonly ExportKind[] = ['assessment', 'history', 'evidence'];

const optionName = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The format of the export: --format, else --out's extension. */
export function exportFormatOf(out: string, format: string | undefined): ExportFormat {
  if (format !== undefined) {
    if ((EXPORT_FORMATS as readonly string[]).includes(format)) return format as ExportFormat;
    throw new CliError(`--format "${format}": expected one of ${EXPORT_FORMATS.join(', ')}`, EXIT.usage, 'bad-option');
  }
  const found = FORMAT_OF_EXTENSION[extname(out).toLowerCase()];
  if (found !== undefined) return found;
  throw new CliError(
    `--out ${out}: give a file name ending in .csv, .parquet or .jsonl, or say the format with --format csv|parquet|jsonl`,
    EXIT.usage,
    'bad-option',
  );
}

export async function exportCommand(kind: string, dir: string | undefined, opts: ExportOpts, effects: Effects): Promise<number> {
  if (!(EXPORT_KINDS as readonly string[]).includes(kind)) {
    throw new CliError(`unknown kind "${kind}": expected one of ${EXPORT_KINDS.join(', ')}`, EXIT.usage, 'bad-kind');
  }
  const k = kind as ExportKind;
  const needsCase = CASE_KINDS.includes(k);
  if (needsCase && dir === undefined) {
    throw new CliError(`export ${k} needs a case folder: proviso export ${k} <case> --out FILE`, EXIT.usage, 'bad-option');
  }
  if (!needsCase && dir !== undefined) {
    throw new CliError(
      `export ${k} takes no case folder (got "${dir}"): it reads the store folder (--store)`,
      EXIT.usage,
      'bad-option',
    );
  }
  const refused = (Object.keys(opts) as (keyof ExportOpts)[]).filter(
    (o) => o !== 'out' && o !== 'format' && opts[o] !== undefined && !KIND_OPTIONS[k].includes(o),
  );
  if (refused.length > 0) {
    throw new CliError(
      `${refused.map(optionName).join(', ')}: not an option of export ${k}; it takes ${KIND_OPTIONS[k].map(optionName).join(', ')}`,
      EXIT.usage,
      'bad-option',
    );
  }
  const format = exportFormatOf(opts.out, opts.format);
  const out = resolve(effects.cwd, opts.out);
  checkOutPlace(out, opts.out);
  const write = async (tmp: string): Promise<number> => {
    if (k === 'events') return writeEvents(opts, format, tmp, effects);
    return writeTable(await tableOf(k, dir as string, opts, effects), format, tmp);
  };
  const { rows, bytes } = await writeBeside(out, write);
  const n = (x: number) => x.toLocaleString('en-US');
  effects.stderr(
    `proviso: wrote ${n(rows)} row${rows === 1 ? '' : 's'} (${k}) to ${relative(effects.cwd, out) || out} (${format}, ${n(bytes)} bytes)\n`,
  );
  return EXIT.ok;
}

/** `--out`'s folder exists and `--out` is not a folder; checked before anything is read. */
function checkOutPlace(out: string, given: string): void {
  const folder = dirname(out);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new CliError(
      `--out ${given}: no folder ${folder}; create it first (mkdir -p ${folder}) or write elsewhere. Nothing was written.`,
      EXIT.problems,
      'no-folder',
    );
  }
  if (existsSync(out) && statSync(out).isDirectory()) {
    throw new CliError(
      `--out ${given} is a folder: give a file name, e.g. ${join(given, 'export.csv')}`,
      EXIT.usage,
      'bad-option',
    );
  }
}

let temporaries = 0;

/** Writes through a temporary file beside `out`, renamed over it at the end; on failure the temporary file is removed. */
export async function writeBeside(
  out: string,
  write: (tmp: string) => Promise<number>,
): Promise<{ rows: number; bytes: number }> {
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}-${++temporaries}.tmp`);
  try {
    const rows = await write(tmp);
    const bytes = statSync(tmp).size;
    renameSync(tmp, out);
    return { rows, bytes };
  } catch (err) {
    rmSync(tmp, { force: true, recursive: true });
    throw err;
  }
}

async function writeTable(table: ExportTable, format: ExportFormat, path: string): Promise<number> {
  if (format === 'parquet') {
    const { writeParquetTable } = await import('../adapters/duckdb/export-table.ts');
    return writeParquetTable(table, path);
  }
  writeFileSync(path, format === 'csv' ? tableCsv(table) : tableJsonl(table), { encoding: 'utf8', flag: 'wx' });
  return table.rows.length;
}

/** The rows of a kind built in memory, loaded as the command it exports loads them. */
async function tableOf(
  kind: Exclude<ExportKind, 'events'>,
  dir: string,
  opts: ExportOpts,
  effects: Effects,
): Promise<ExportTable> {
  if (kind === 'series') {
    const { readSeries } = await import('./series-commands.ts');
    if (opts.measure === undefined) {
      throw new CliError('export series needs --measure (as `proviso series --measure` takes it)', EXIT.usage, 'bad-option');
    }
    const { rows } = await readSeries({ ...seriesOptions(opts), measure: opts.measure }, effects);
    return seriesTable(rows);
  }
  const common = {
    format: 'text' as const,
    ...(opts.store === undefined ? {} : { store: opts.store }),
    ...(opts.scratch === undefined ? {} : { scratch: opts.scratch }),
    ...(opts.recordedBy === undefined ? {} : { recordedBy: opts.recordedBy }),
  };
  const [{ loadAndAssess, loadHistory }, { assessmentTable, historyTable }] = await Promise.all([
    import('./commands.ts'),
    import('./render-csv.ts'),
  ]);
  if (kind === 'assessment') {
    const { a } = await loadAndAssess(dir, { ...common, ...(opts.asOf === undefined ? {} : { asOf: opts.asOf }) }, effects);
    return typedTable(assessmentTable(a), ASSESSMENT_TYPES);
  }
  if (kind === 'history') {
    const h = await loadHistory(
      dir,
      {
        ...common,
        step: opts.step ?? 'month',
        ...(opts.from === undefined ? {} : { from: opts.from }),
        ...(opts.to === undefined ? {} : { to: opts.to }),
      },
      effects,
    );
    return typedTable(historyTable(h), HISTORY_TYPES);
  }
  // evidence: the case's ledger, as the case commands load it; --as-of (today by default) keeps what was known by then.
  const asOf = parseDateOption('as-of', opts.asOf) ?? effects.today();
  const recordedBy = parseDateOption('recorded-by', opts.recordedBy);
  const { loadCaseWithLedger } = await import('./load.ts');
  const loaded = await loadCaseWithLedger(dir, opts.store, effects, { scratch: opts.scratch === true });
  const entries = loaded.ledger.filter(
    (e) => e.reported <= asOf && e.occurred <= asOf && (recordedBy === undefined || e.recorded <= recordedBy),
  );
  return evidenceTable(entries);
}

function seriesOptions(opts: ExportOpts) {
  return {
    ...(opts.store === undefined ? {} : { store: opts.store }),
    ...(opts.dyad === undefined ? {} : { dyad: opts.dyad }),
    ...(opts.from === undefined ? {} : { from: opts.from }),
    ...(opts.to === undefined ? {} : { to: opts.to }),
    ...(opts.body === undefined ? {} : { body: opts.body }),
    ...(opts.issue === undefined ? {} : { issue: opts.issue }),
  };
}

/** `--columns`: which of the event store's views the export writes (docs/event-views.md). */
export const EVENT_COLUMNS = ['common', 'gdelt', 'icews'] as const satisfies readonly EventExportColumns[];
type EventColumns = (typeof EVENT_COLUMNS)[number];

function eventColumnsOf(given: string | undefined): EventColumns {
  if (given === undefined) return 'common';
  if ((EVENT_COLUMNS as readonly string[]).includes(given)) return given as EventColumns;
  throw new CliError(`--columns "${given}": expected one of ${EVENT_COLUMNS.join(', ')}`, EXIT.usage, 'bad-option');
}

/**
 * Events: the filter of `proviso events`, checked as it checks it; the store read-only, as
 * `events` reads it: the store folder's DuckDB file, or the ClickHouse store it names
 * (`event-store.url`, docs/scale-out.md), which gives the same file. `--columns` chooses
 * the view: the common columns (both stores), or GDELT's or ICEWS's codebook columns (the
 * DuckDB store's `gdelt_events` and `icews_events`; not yet exported from a ClickHouse store).
 */
async function writeEvents(opts: ExportOpts, format: ExportFormat, path: string, effects: Effects): Promise<number> {
  const columns = eventColumnsOf(opts.columns);
  const [
    { loadCameoTables },
    { DEFAULT_EVENT_STORE_DIR, existingEventStore, lockWaitLine, parseEventFilter, storeLockedAsCliError },
    { eventStoreUrl, exportFromClickHouseAsCliError },
  ] = await Promise.all([
    import('../adapters/event-formats/cameo-tables.ts'),
    import('./event-commands.ts'),
    import('./clickhouse-events.ts'),
  ]);
  const filter = parseEventFilter(opts);
  const tables = loadCameoTables(join(effects.packageRoot, 'data', 'cameo'));
  const url = eventStoreUrl(undefined, resolve(effects.cwd, opts.store ?? DEFAULT_EVENT_STORE_DIR));
  if (url !== undefined && columns !== 'common')
    throw new CliError(
      `--columns ${columns}: export does not read the ${columns === 'gdelt' ? 'GDELT' : 'ICEWS'} codebook columns from a ClickHouse event store yet (this store folder names one); export its common columns (--columns common, the default), query its ${columns}_events view on the server, or ingest the files into a DuckDB store (another --store)`,
      EXIT.usage,
      'bad-option',
    );
  if (url !== undefined)
    return (await exportFromClickHouseAsCliError(url, filter, format, path, { groupNames: (c) => tables.groupNames.get(c) }))
      .rows;
  const storeDir = existingEventStore(opts.store, effects);
  const { exportEvents } = await import('../adapters/duckdb/export-events.ts');
  const result = await storeLockedAsCliError(
    exportEvents(storeDir, filter, format, path, {
      columns,
      groupNames: (c) => tables.groupNames.get(c),
      onLockWait: (h) => effects.stderr(lockWaitLine(h, effects.cwd)),
    }),
  );
  return result.rows;
}
