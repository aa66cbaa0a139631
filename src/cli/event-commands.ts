/**
 * The event-data commands: `ingest` (GDELT/ICEWS files into the DuckDB event store) and
 * `events` (per-period counts, Goldstein and tone from the store).
 *
 * Exit codes of `ingest`: 0 every row accepted; 3 some rows rejected (see the rejects
 * file); 1 fatal (a missing, unreadable, non-text or unrecognised file — nothing of that
 * file is stored; a master file list with bad lines, or a listed file that does not match
 * the list and cannot be downloaded to match — nothing is ingested); 2 bad usage.
 * `ingest --list` takes the event files of a GDELT master file list (master-file-list.ts).
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { EVENT_STORE_FILE } from '../adapters/duckdb/event-store-layout.ts';
import { describeHolder, EventStoreLockedError, type LockHolder } from '../adapters/duckdb/event-store-lock.ts';
import type { IngestEvent, IngestSummary } from '../adapters/duckdb/ingest-event-files.ts';
import { loadCameoTables } from '../adapters/event-formats/cameo-tables.ts';
import { INPUT_FORMATS, type InputFormat, type ReadProgress } from '../adapters/event-formats/read-event-file.ts';
import type { Problem } from '../core/problem.ts';
import { type EventFilterInput, parseEventFilterInput } from '../ports/event-filter-input.ts';
import { type EventFilter, type EventStore, PERIODS, type Period, type PeriodAggregate } from '../ports/event-store.ts';
import {
  eventStoreUrl,
  eventsOption,
  openClickHouseAsCliError,
  openClickHouseIfPresent,
  recordEventStoreUrl,
} from './clickhouse-events.ts';
import { toCsv } from './csv.ts';
import { CliError, type Effects, EXIT } from './effects.ts';
import { DEFAULT_STORE, formatOption, OUTPUT_FORMATS, type OutputFormat, storeOption } from './options.ts';

/** The event store lives in the store folder all commands share. */
export const DEFAULT_EVENT_STORE_DIR = DEFAULT_STORE;
export const INGEST_EXIT = { ok: 0, fatal: 1, usage: 2, rejected: 3 } as const;

/** Where ingest progress goes: a terminal (`isTTY`) gets one bar redrawn in place, anything else plain lines. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  /** The terminal's width in characters (default 80); the bar's line never wraps. */
  readonly columns?: number;
  write(text: string): unknown;
}

/** What the event commands need beyond `Effects`: where progress goes, and the clock. */
export interface EventEffects {
  readonly progress: ProgressStream;
  readonly nowMs: () => number;
}

/** The real ones: a bar on standard error when it is a terminal, else plain lines through `effects.stderr`. */
export function defaultEventEffects(effects: Effects): EventEffects {
  const progress: ProgressStream = process.stderr.isTTY ? process.stderr : { isTTY: false, write: (t) => effects.stderr(t) };
  return { progress, nowMs: () => Date.now() };
}

/** The bar is redrawn at most this often; plain lines are written at most this often. */
const BAR_REDRAW_MS = 100;
const PLAIN_LINE_MS = 5000;
const BAR_CELLS = 20;

export interface IngestOpts {
  /** The files' format (detected per file with `auto`). */
  readonly inputFormat: InputFormat;
  /** The summary's format; an input format here is the old spelling of --input-format (deprecated). */
  readonly format: OutputFormat | InputFormat;
  readonly store?: string;
  /** A ClickHouse event store (`clickhouse://host:port/db`) instead of the store folder's DuckDB file. */
  readonly events?: string;
  /** The old spelling of --format json (deprecated). */
  readonly json?: boolean;
  readonly rejects?: string;
  readonly keepReemitted?: boolean;
  readonly foldWindow?: string;
  readonly maxLineBytes?: string;
  /** A GDELT master file list (size, MD5, URL a line): its event files are ingested (master-file-list.ts). */
  readonly list?: string;
  /** Where the list's http(s) files are, and downloaded to when missing (default: the list's folder). */
  readonly mirror?: string;
}

/** A master file list read and checked, its event files not yet fetched (see `master-file-list.ts`). */
interface ReadList {
  readonly file: string;
  readonly mirror: string;
  readonly entries: readonly import('./master-file-list.ts').ListEntry[];
  /** Entries that are not event files (mentions, GKG). */
  readonly others: number;
}

async function readList(opts: IngestOpts, effects: Effects): Promise<ReadList | undefined> {
  if (opts.list === undefined) {
    if (opts.mirror !== undefined) throw new CliError('--mirror goes with --list', EXIT.usage, 'bad-option');
    return undefined;
  }
  const { isEventFile, parseMasterFileList } = await import('./master-file-list.ts');
  const file = resolve(effects.cwd, opts.list);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`--list ${opts.list}: ${(err as Error).message}; nothing was ingested`, INGEST_EXIT.fatal, 'unreadable');
  }
  const parsed = parseMasterFileList(text, file);
  if (parsed.problems.length > 0)
    throw new CliError(
      `${opts.list}: ${parsed.problems.length} line${parsed.problems.length === 1 ? ' is' : 's are'} not "size md5 url"; nothing was ingested`,
      INGEST_EXIT.fatal,
      'bad-list',
      { problems: parsed.problems },
    );
  const entries = parsed.entries.filter(isEventFile);
  return {
    file,
    mirror: resolve(effects.cwd, opts.mirror ?? dirname(file)),
    entries,
    others: parsed.entries.length - entries.length,
  };
}

/**
 * The list's event files, each checked against the list (or downloaded into the mirror):
 * those already loaded are taken as they are, unread. The first that cannot be made to match
 * stops the run before anything is ingested.
 */
async function fetchListed(
  list: ReadList,
  store: { wasLoaded(file: { path: string; size: number; mtimeMs: number }): Promise<boolean> },
  ev: EventEffects,
): Promise<string[]> {
  const { ensureListedFile, localPathOf } = await import('./master-file-list.ts');
  const files: string[] = [];
  let downloaded = 0;
  for (const entry of list.entries) {
    const path = localPathOf(entry, list.file, list.mirror);
    const st = existsSync(path) ? statSync(path) : undefined;
    if (st !== undefined && st.size === entry.size && (await store.wasLoaded({ path, size: st.size, mtimeMs: st.mtimeMs }))) {
      files.push(path);
      continue;
    }
    if (!existsSync(list.mirror)) mkdirSync(list.mirror, { recursive: true });
    const r = await ensureListedFile(entry, path, list.file);
    if (r.kind === 'problem')
      throw new CliError(`${r.problem.message}; nothing was ingested`, INGEST_EXIT.fatal, r.problem.code, {
        problems: [r.problem],
      });
    if (r.kind === 'downloaded') {
      downloaded++;
      ev.progress.write(`downloaded ${entry.url} to ${path}\n`);
    }
    files.push(path);
  }
  ev.progress.write(
    `list ${list.file}: ${list.entries.length} event file${list.entries.length === 1 ? '' : 's'} (${downloaded} downloaded), ${list.others} other entr${list.others === 1 ? 'y' : 'ies'} (mentions, GKG) left out\n`,
  );
  return files;
}

export async function ingestCommand(
  paths: readonly string[],
  opts: IngestOpts,
  effects: Effects,
  ev: EventEffects,
): Promise<number> {
  const storeDir = resolve(effects.cwd, opts.store ?? DEFAULT_EVENT_STORE_DIR);
  const maxLineBytes = opts.maxLineBytes === undefined ? undefined : Number(opts.maxLineBytes);
  if (maxLineBytes !== undefined && !(Number.isInteger(maxLineBytes) && maxLineBytes > 0)) {
    throw new CliError(`--max-line-bytes: expected a positive integer, got "${opts.maxLineBytes}"`, EXIT.usage, 'bad-option');
  }
  const foldWindowDays = opts.foldWindow === undefined ? undefined : Number(opts.foldWindow);
  if (foldWindowDays !== undefined && !(Number.isInteger(foldWindowDays) && foldWindowDays >= 0)) {
    throw new CliError(
      `--fold-window: expected a number of days (0 or more), got "${opts.foldWindow}"`,
      EXIT.usage,
      'bad-option',
    );
  }
  if (paths.length === 0 && opts.list === undefined)
    throw new CliError('give event files or folders, or a master file list with --list', EXIT.usage, 'bad-option');
  const list = await readList(opts, effects);
  const eventsUrl = eventStoreUrl(opts.events, storeDir);
  const { expandEventPaths, ingestEventFiles } = await import('../adapters/duckdb/ingest-event-files.ts');
  const { files, missing } = await expandEventPaths(paths.map((p) => resolve(effects.cwd, p)));
  if (missing.length > 0) {
    throw new CliError(
      `cannot read ${missing.join(', ')}: no such file or not readable; nothing was ingested`,
      INGEST_EXIT.fatal,
      'unreadable',
      { problems: missing.map((file) => ({ code: 'unreadable', message: 'no such file or not readable', file })) },
    );
  }
  const started = ev.nowMs();
  const rejectsPath = opts.rejects
    ? resolve(effects.cwd, opts.rejects)
    : join(storeDir, 'rejects', `ingest-${new Date(started).toISOString().replace(/[:.]/g, '-')}.jsonl`);
  mkdirSync(join(rejectsPath, '..'), { recursive: true });
  const tables = loadCameoTables(join(effects.packageRoot, 'data', 'cameo'));
  const progress = makeProgress(ev);
  const onLockWait = (h: LockHolder) => {
    progress.stop();
    ev.progress.write(lockWaitLine(h, effects.cwd));
  };
  const store = await storeLockedAsCliError(
    eventsUrl === undefined
      ? // DuckDB's library loads only for the commands that use its event store.
        import('../adapters/duckdb/duckdb-event-store.ts').then(({ openDuckDbEventStore }) =>
          openDuckDbEventStore(storeDir, { groupNames: (c) => tables.groupNames.get(c), onLockWait }),
        )
      : openClickHouseAsCliError(eventsUrl, {
          groupNames: (c) => tables.groupNames.get(c),
          stagingDir: join(storeDir, 'staging'),
        }),
  );
  if (eventsUrl !== undefined) recordEventStoreUrl(storeDir, eventsUrl);
  try {
    if (list !== undefined) files.push(...(await fetchListed(list, store, ev)));
    const result = await storeLockedAsCliError(
      ingestEventFiles(store, files, {
        format: inputFormatOf(opts, effects),
        tables,
        rejectsPath,
        fold: opts.keepReemitted !== true,
        ...(foldWindowDays === undefined ? {} : { foldWindowDays }),
        onEvent: progress.onEvent,
        ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
      }),
    );
    progress.stop();
    const seconds = (ev.nowMs() - started) / 1000;
    writeSummary(result.summary, seconds, outputFormatOf(opts), effects, eventsUrl === undefined ? storeDir : store.path);
    if (result.kind === 'fatal') {
      throw new CliError('nothing of this file was stored (files before it were loaded whole)', INGEST_EXIT.fatal, result.code, {
        problems: [{ code: result.code, message: result.message, file: result.file }],
      });
    }
    return result.summary.rejected > 0 ? INGEST_EXIT.rejected : INGEST_EXIT.ok;
  } finally {
    progress.stop();
    await store.close();
  }
}

/** The line a command writes when another process holds the store's file: who, and that it waits. */
export function lockWaitLine(h: LockHolder, cwd: string): string {
  return `proviso: ${relative(cwd, h.file) || h.file} is in use by another process${describeHolder(h)}; waiting for it…\n`;
}

/** A store lock held past the wait becomes a CLI error (exit 1) naming the process that holds it. */
export async function storeLockedAsCliError<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof EventStoreLockedError)
      throw new CliError(err.message, EXIT.problems, 'store-locked', {
        details: { file: err.holder.file, pid: err.holder.pid ?? null },
      });
    throw err;
  }
}

/**
 * The event store of a store folder as the reading commands (assess, brief, serve) use it:
 * read-only (nothing created or written; the file is locked only while a query runs, so an
 * ingest can run beside them), undefined when nothing was ingested there. A wait for an
 * ingest's lock is told on `stderr`; a lock held past the wait is a CLI error naming the
 * process.
 */
export async function openEventStoreForReading(
  storeDir: string,
  tablesDir: string,
  stderr: (text: string) => void,
  cwd: string,
): Promise<(EventStore & { periodAggregates(filter: EventFilter, by: Period): Promise<PeriodAggregate[]> }) | undefined> {
  const url = eventStoreUrl(undefined, storeDir);
  const store =
    url === undefined
      ? await storeLockedAsCliError(
          import('../adapters/duckdb/open-event-store-if-present.ts').then(({ openEventStoreIfPresent }) =>
            openEventStoreIfPresent(storeDir, tablesDir, { onLockWait: (h) => stderr(lockWaitLine(h, cwd)) }),
          ),
        )
      : await openClickHouseIfPresent(url, tablesDir);
  if (store === undefined) return undefined;
  return {
    dailyAggregates: (filter) => storeLockedAsCliError(store.dailyAggregates(filter)),
    periodAggregates: (filter, by) => storeLockedAsCliError(store.periodAggregates(filter, by)),
    close: () => store.close(),
  };
}

/** The input format: --input-format, or an input format given to --format (the old spelling, with a note on stderr). */
function inputFormatOf(opts: IngestOpts, effects: Effects): InputFormat {
  if ((INPUT_FORMATS as readonly string[]).includes(opts.format)) {
    effects.stderr(`proviso: --format ${opts.format} is deprecated for the input format; write --input-format ${opts.format}\n`);
    return opts.format as InputFormat;
  }
  return opts.inputFormat;
}

/** The summary's format: --format, or json for the old --json. */
export function outputFormatOf(opts: Pick<IngestOpts, 'format' | 'json'>): OutputFormat {
  if (opts.json === true) return 'json';
  return (OUTPUT_FORMATS as readonly string[]).includes(opts.format) ? (opts.format as OutputFormat) : 'text';
}

function writeSummary(s: IngestSummary, seconds: number, format: OutputFormat, effects: Effects, storeDir: string): void {
  if (format === 'csv') {
    effects.stdout(
      toCsv(
        ['file', 'formats', 'rows', 'accepted', 'rejected', 'duplicates', 'folded', 'inserted', 'skipped'],
        s.fileReports.map((f) => [
          f.path,
          f.formats.join(';'),
          f.rows,
          f.accepted,
          f.rejected,
          f.duplicates,
          f.folded,
          f.inserted,
          f.skipped,
        ]),
      ),
    );
    return;
  }
  if (format === 'json') {
    const { fileReports, ...totals } = s;
    effects.stdout(
      `${JSON.stringify({ ...totals, seconds: Math.round(seconds * 1000) / 1000, store: storeDir, fileReports }, null, 2)}\n`,
    );
    return;
  }
  const n = (x: number) => x.toLocaleString('en-US');
  effects.stdout(
    `${n(s.files)} file${s.files === 1 ? '' : 's'} (${n(s.skippedFiles)} unchanged, skipped): ${n(s.rows)} rows read, ${n(s.accepted)} accepted, ` +
      `${n(s.rejected)} rejected, ${n(s.duplicates)} duplicates skipped, ${n(s.folded)} re-emitted events folded, ${n(s.inserted)} stored ` +
      `in ${seconds.toFixed(1)} s${s.rejectsFile ? `\nrejected rows: ${relative(effects.cwd, s.rejectsFile) || s.rejectsFile}` : ''}\n`,
  );
}

/**
 * Progress of an ingest, per file: bytes read of the file's size, rows, rows/s and the time
 * left at the rate so far. On a terminal one line is redrawn in place (`\r`, erased to its
 * end); otherwise a plain line every few seconds. Times come from `ev.nowMs` only.
 */
function makeProgress(ev: EventEffects): { onEvent: (e: IngestEvent) => void; stop: () => void } {
  const out = ev.progress;
  const tty = out.isTTY === true;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  let file = { label: '', startedMs: 0 };
  let drawn = false;
  let lastMs = Number.NEGATIVE_INFINITY;
  const figures = (p: ReadProgress, now: number) => {
    const secs = Math.max(0.001, (now - file.startedMs) / 1000);
    const share = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 1;
    const eta = p.bytesDone > 0 ? formatEta((secs * (p.bytesTotal - p.bytesDone)) / p.bytesDone) : '--';
    return {
      share,
      text: `${mb(p.bytesDone)}/${mb(p.bytesTotal)} MB  ${n(p.rows)} rows  ${n(p.rows / secs)} rows/s  ETA ${eta}`,
    };
  };
  const draw = (p: ReadProgress, now: number) => {
    const { share, text } = figures(p, now);
    const cells = Math.round(share * BAR_CELLS);
    const line = `${file.label} [${'█'.repeat(cells)}${'░'.repeat(BAR_CELLS - cells)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${text}`;
    out.write(`\r${line.slice(0, Math.max(20, (out.columns ?? 80) - 1))}\x1b[K`);
    drawn = true;
  };
  const endLine = () => {
    if (drawn) out.write('\n');
    drawn = false;
  };
  return {
    stop: endLine,
    onEvent: (e) => {
      const now = ev.nowMs();
      if (e.kind === 'file-start') {
        endLine();
        file = { label: `${e.index}/${e.of} ${e.path.split('/').pop() ?? e.path}`, startedMs: now };
        lastMs = Number.NEGATIVE_INFINITY;
        if (tty) draw({ bytesDone: 0, bytesTotal: e.bytes, rows: 0 }, now);
        else out.write(`ingest ${e.index}/${e.of}: ${e.path} (${mb(e.bytes)} MB)\n`);
      } else if (e.kind === 'progress') {
        const p = e.progress;
        const last = p.bytesDone >= p.bytesTotal;
        if (tty && (last || now - lastMs >= BAR_REDRAW_MS)) {
          lastMs = now;
          draw(p, now);
        } else if (!tty && !last && now - file.startedMs >= PLAIN_LINE_MS && now - lastMs >= PLAIN_LINE_MS) {
          lastMs = now;
          const { share, text } = figures(p, now);
          out.write(`  ${Math.floor(share * 100)}%  ${text}\n`);
        }
      } else if (e.kind === 'file-skipped') {
        if (tty) out.write(`\r${file.label}: unchanged since it was loaded; skipped\x1b[K\n`);
        else out.write('  unchanged since it was loaded; skipped\n');
        drawn = false;
      } else if (e.kind === 'loading') {
        endLine();
        out.write(`  storing ${n(e.accepted)} accepted rows\n`);
      }
    },
  };
}

/** Seconds left as `45s`, `3m05s` or `2h07m`. */
function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export interface EventsOpts {
  readonly store?: string;
  readonly events?: string;
  readonly actor1?: string;
  readonly actor2?: string;
  readonly either?: boolean;
  readonly from?: string;
  readonly to?: string;
  readonly by: string;
  readonly root?: string;
  readonly quad?: string;
  readonly format: OutputFormat;
}

/** The event filter of the options, checked as the HTTP API checks it; the first problem is a usage error naming its option. */
export function parseEventFilter(opts: EventFilterInput): EventFilter {
  const parsed = parseEventFilterInput(opts);
  if (parsed.ok) return parsed.filter;
  const first = parsed.problems[0] as Problem;
  throw new CliError(`--${first.field}: ${first.message}`, EXIT.usage, 'bad-option', { problems: parsed.problems });
}

/**
 * The folder of the event store a read names (`--store`, or the default), refused as a
 * `no-store` error when it holds no event store: a read creates nothing, no store, no folder.
 */
export function existingEventStore(store: string | undefined, effects: Effects): string {
  const storeDir = resolve(effects.cwd, store ?? DEFAULT_EVENT_STORE_DIR);
  const file = join(storeDir, EVENT_STORE_FILE);
  if (!existsSync(file)) {
    throw new CliError(
      `no event store at ${relative(effects.cwd, file) || file}: run \`proviso ingest <files>…\`${store === undefined ? '' : ` --store ${store}`} first`,
      EXIT.problems,
      'no-store',
    );
  }
  return storeDir;
}

export async function eventsCommand(opts: EventsOpts, effects: Effects): Promise<number> {
  if (!(PERIODS as readonly string[]).includes(opts.by))
    throw new CliError(`--by: expected day, month or year, got "${opts.by}"`, EXIT.usage, 'bad-option');
  const filter = parseEventFilter(opts);
  const tables = loadCameoTables(join(effects.packageRoot, 'data', 'cameo'));
  const url = eventStoreUrl(opts.events, resolve(effects.cwd, opts.store ?? DEFAULT_EVENT_STORE_DIR));
  const store =
    url === undefined
      ? await storeLockedAsCliError(
          import('../adapters/duckdb/duckdb-event-store.ts').then(({ openDuckDbEventStore }) =>
            openDuckDbEventStore(existingEventStore(opts.store, effects), {
              groupNames: (c) => tables.groupNames.get(c),
              readOnly: true,
              onLockWait: (h) => effects.stderr(lockWaitLine(h, effects.cwd)),
            }),
          ),
        )
      : await openClickHouseAsCliError(url, { groupNames: (c) => tables.groupNames.get(c), readOnly: true });
  try {
    const rows = await storeLockedAsCliError(store.periodAggregates(filter, opts.by as Period));
    effects.stdout(renderRows(rows, opts.format));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function renderRows(rows: readonly PeriodAggregate[], format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const num = (x: number | null, d: number) => (x === null ? '' : x.toFixed(d));
  const cells = rows.map((r) => [r.period, String(r.count), num(r.goldsteinSum, 1), num(r.goldsteinMean, 3), num(r.avgTone, 3)]);
  const header = ['period', 'count', 'goldsteinSum', 'goldsteinMean', 'avgTone'];
  if (format === 'csv') return toCsv(header, cells);
  const total = rows.reduce((a, r) => a + r.count, 0);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (r: readonly string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return `${[line(header), ...cells.map(line)].join('\n')}\n${rows.length} period${rows.length === 1 ? '' : 's'}, ${total.toLocaleString('en-US')} events\n`;
}

export function registerEventCommands(
  program: Command,
  effects: Effects,
  setExit: (code: number) => void,
  eventEffects: EventEffects = defaultEventEffects(effects),
): void {
  const run = (p: Promise<number>) => p.then(setExit);
  program
    .command('ingest [paths...]')
    .description('load GDELT 1.0/2.0 and ICEWS event files (plain, .gz or .zip; directories are searched) into the event store')
    .addOption(
      new Option('--input-format <format>', 'input format (detected per file with auto)')
        .choices([...INPUT_FORMATS])
        .default('auto'),
    )
    .addOption(
      new Option(
        '--format <format>',
        'summary format: text, json ({files, rows, accepted, rejected, duplicates, folded, inserted, rejectsFile, …}) or csv (one row per file)',
      )
        .argParser((v: string) => {
          if ([...OUTPUT_FORMATS, ...INPUT_FORMATS].includes(v as OutputFormat)) return v;
          throw new InvalidArgumentError(`Allowed choices are ${OUTPUT_FORMATS.join(', ')}.`);
        })
        .default('text'),
    )
    .addOption(storeOption())
    .addOption(eventsOption())
    .addOption(new Option('--json', 'the old spelling of --format json (deprecated)').hideHelp())
    .option(
      '--rejects <file>',
      'rejects file, JSON lines (default <store>/rejects/ingest-<time>.jsonl, written only if rows are rejected)',
    )
    .option(
      '--keep-reemitted',
      'keep GDELT re-emitted events instead of folding them (rule: same source, SQLDATE, actor codes, EventCode and SOURCEURL; across files, added at most --fold-window days apart)',
    )
    .option(
      '--fold-window <days>',
      'fold re-emissions of events stored by other files only when added at most this many days apart',
      '30',
    )
    .option('--max-line-bytes <n>', 'reject lines longer than this (default 1048576)')
    .option(
      '--list <file>',
      "a GDELT master file list (masterfilelist.txt: size, MD5 and URL a line): its event files (*.export.CSV.zip), after the paths, each checked against the list's size and MD5",
    )
    .option(
      '--mirror <dir>',
      "where the list's http(s) files are, and are downloaded to when missing or not matching (default: the list's folder)",
    )
    .addHelpText(
      'after',
      '\nExit status: 0 every row accepted; 3 some rows rejected (listed in the rejects file as problems: file, line, code, message and the raw line);\n1 fatal: a missing, unreadable, binary or unrecognised file (nothing of it is stored); 2 bad usage.\nRe-running is safe: files already loaded are skipped, stored event ids are never added twice.',
    )
    .action((paths: string[] | undefined, o: IngestOpts) => run(ingestCommand(paths ?? [], o, effects, eventEffects)));

  program
    .command('events')
    .description('per-period event count, Goldstein sum and mean and average tone from the event store')
    .addOption(storeOption())
    .addOption(eventsOption())
    .option('--actor1 <codes>', 'CAMEO actor code prefixes, comma-separated (USA, USAGOV, PAKMIL) or known groups (SASREB)')
    .option('--actor2 <codes>', 'as --actor1, for the target actor')
    .option('--either', 'match the dyad in either direction')
    .option('--from <date>', 'first event day YYYY-MM-DD')
    .option('--to <date>', 'last event day YYYY-MM-DD')
    .addOption(new Option('--by <period>', 'period').choices([...PERIODS]).default('month'))
    .option('--root <codes>', 'CAMEO root codes, comma-separated (14,18,19)')
    .option('--quad <classes>', 'QuadClasses 1–4, comma-separated')
    .addOption(formatOption(OUTPUT_FORMATS, { table: 'text' }))
    .action((o: EventsOpts) => run(eventsCommand(o, effects)));
}
