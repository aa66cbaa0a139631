/**
 * Exports stored events, one row per event, to a file: the columns of one of the store's views
 * (`EVENT_EXPORT_COLUMNS`: `common`, the `events` view's, every source under one set of
 * names; `gdelt`, the `gdelt_events` view's, every GDELT column under the codebook's names;
 * `icews`, the `icews_events` view's, ICEWS's) for the events an `EventFilter` selects.
 *
 * Contract:
 * - Read-only: the store is opened as the reading commands open it (nothing created or
 *   written; a store of an earlier layout is upgraded first, as every reader does), and the
 *   file is held only while the export runs; another process's lock is waited for and told
 *   to `onLockWait`, then fails with an {@link EventStoreLockedError}.
 * - Rows are ordered by the store's key (source, event id, event day), so two exports of one
 *   store are the same file. The view's bookkeeping columns (`fold_key`, `file_id`) are left
 *   out; every other column of the view is exported, with its type (Parquet keeps DATE,
 *   TIMESTAMP, BIGINT, TINYINT and DOUBLE).
 * - The filter means the same whatever the columns: it is the filter of `proviso events`,
 *   compiled over the common columns of the same stored rows (for ICEWS, the actor codes and
 *   QuadClass derived from its countries, sectors and CAMEO code). `gdelt` and `icews` export
 *   the rows of their view that it selects: the `common` export's rows of that source.
 * - Every format is written by DuckDB's COPY straight from the query, so memory stays bounded
 *   and a million rows take seconds whatever the store's size (reading values into JavaScript
 *   cost about 20 µs a row). CSV follows the program's one CSV dialect (src/cli/csv.ts): a
 *   header line, RFC 4180 quoting, NULL as an empty cell, and a text cell a spreadsheet would
 *   run as a formula prefixed with an apostrophe (`csvTextSql`, checked against the CLI's
 *   writer by test/export/events-csv-dialect.test.ts); DuckDB also quotes a value holding `#`,
 *   which every CSV reader reads back the same.
 * - The file at `path` is written whole or the call throws (the caller removes it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { EventFilter } from '../../ports/event-store.ts';
import { PACKED_VALUES } from '../event-formats/staged-events.ts';
import { compileEventFilter, type GroupNames } from './compile-event-filter.ts';
import { openDuckDbEventStore } from './duckdb-event-store.ts';
import { EVENT_STORE_FILE } from './event-store-layout.ts';
import type { LockHolder } from './event-store-lock.ts';
import { COMMON_SQL, GDELT_COLUMNS, ICEWS_COLUMNS, type ViewColumn } from './event-views.ts';
import { openDuckDbWaiting } from './open-waiting.ts';

export const EVENT_EXPORT_FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type EventExportFormat = (typeof EVENT_EXPORT_FORMATS)[number];

/** Which view's columns an export writes: `events`, `gdelt_events` or `icews_events`. */
export const EVENT_EXPORT_COLUMNS = ['common', 'gdelt', 'icews'] as const;
export type EventExportColumns = (typeof EVENT_EXPORT_COLUMNS)[number];

/** The codebook views: their columns and the sources whose rows they show. */
const CODEBOOK_VIEWS: Readonly<
  Record<Exclude<EventExportColumns, 'common'>, { columns: readonly ViewColumn[]; sources: readonly string[] }>
> = {
  gdelt: { columns: [...GDELT_COLUMNS, { name: 'source', type: 'VARCHAR', sql: 'source' }], sources: ['gdelt1', 'gdelt2'] },
  icews: { columns: ICEWS_COLUMNS, sources: ['icews'] },
};

export interface EventExportOptions {
  readonly groupNames?: GroupNames;
  /** The view whose columns are written (default `common`). */
  readonly columns?: EventExportColumns;
  /** Told once per wait when another process holds the store's file. */
  readonly onLockWait?: (holder: LockHolder) => void;
  /** How long to wait for another process's lock (default 10 minutes). */
  readonly lockWaitMs?: number;
}

export interface EventExportResult {
  readonly rows: number;
  /** The exported columns, in order. */
  readonly columns: readonly string[];
}

/** Columns of the view that are the store's bookkeeping, not event data. */
const BOOKKEEPING = new Set(['fold_key', 'file_id']);
const DEFAULT_LOCK_WAIT_MS = 10 * 60_000;
/**
 * DuckDB's memory limit while it sorts and writes; beyond it the sort spills to a temporary
 * folder. (500,000 events: CSV 2 s, Parquet 3 s, about 470 MB peak RSS for the whole process.)
 */
const EXPORT_MEMORY_LIMIT = '256MB';

/** A number as text (csv.ts's NUMBER): exempt from the formula guard. */
const NUMBER_RE = '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?$';
/** What a spreadsheet runs as a formula (csv.ts's FORMULA_START). */
const FORMULA_START_RE = '^[=+\\-@\\t\\r]';

/**
 * A text expression as the CLI's CSV writer writes it, before quoting: an empty value is
 * absent (NULL), and a value a spreadsheet would run as a formula, not a number, gets a
 * leading apostrophe.
 */
export function csvTextSql(expr: string): string {
  const v = `nullif(${expr}, '')`;
  return `CASE WHEN regexp_matches(${v}, '${FORMULA_START_RE}') AND NOT regexp_matches(${v}, '${NUMBER_RE}') THEN '''' || ${v} ELSE ${v} END`;
}

export async function exportEvents(
  storeDir: string,
  filter: EventFilter,
  format: EventExportFormat,
  path: string,
  opts: EventExportOptions = {},
): Promise<EventExportResult> {
  const groupNames = opts.groupNames ?? (() => undefined);
  const lockWaitMs = opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
  // Opening as a reader brings a store of an earlier layout to the current one (and checks it is there).
  const store = await openDuckDbEventStore(storeDir, {
    readOnly: true,
    groupNames,
    lockWaitMs,
    ...(opts.onLockWait === undefined ? {} : { onLockWait: opts.onLockWait }),
  });
  await store.close();
  // A large sorted export may spill: to a private folder, never into the store folder.
  const spill = mkdtempSync(join(tmpdir(), 'proviso-export-'));
  const { instance, conn } = await openReadOnly(join(storeDir, EVENT_STORE_FILE), spill, lockWaitMs, opts.onLockWait);
  try {
    if (opts.columns !== undefined && opts.columns !== 'common') {
      const query = codebookQuery(CODEBOOK_VIEWS[opts.columns], filter, format, groupNames);
      const r = await conn.run(`COPY (${query.sql}) TO ${quoteString(path)} (${COPY_OPTIONS[format]})`, query.params);
      return { rows: r.rowsChanged, columns: CODEBOOK_VIEWS[opts.columns].columns.map((c) => c.name) };
    }
    const described = (
      await conn.runAndReadAll(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position`,
      )
    )
      .getRowObjectsJS()
      .map((r) => ({ name: String(r.column_name), type: String(r.data_type) }))
      .filter((c) => !BOOKKEEPING.has(c.name));
    const columns = described.map((c) => c.name);
    const { where, params } = compileEventFilter(filter, groupNames);
    const order = ['source', 'event_id', 'event_date'].filter((c) => columns.includes(c));
    const select = described.map(({ name, type }) =>
      format === 'csv' && type === 'VARCHAR' ? `${csvTextSql(quoteIdent(name))} AS ${quoteIdent(name)}` : quoteIdent(name),
    );
    // The filter and the order name the view's columns, not the select's.
    const query = `SELECT ${select.join(', ')} FROM events e WHERE ${where}${order.length > 0 ? ` ORDER BY ${order.map((c) => `e.${c}`).join(', ')}` : ''}`;
    const r = await conn.run(`COPY (${query}) TO ${quoteString(path)} (${COPY_OPTIONS[format]})`, params);
    return { rows: r.rowsChanged, columns };
  } finally {
    conn.closeSync();
    instance.closeSync();
    rmSync(spill, { recursive: true, force: true });
  }
}

const COPY_OPTIONS: Readonly<Record<EventExportFormat, string>> = {
  csv: 'FORMAT csv, HEADER true',
  jsonl: 'FORMAT json',
  parquet: 'FORMAT parquet',
};

/**
 * The query of a codebook view's export: the view's column expressions over the stored rows
 * of its sources, filtered by the filter compiled over the common columns (the stored ones,
 * and the packed ones the filter may name, unpacked as the `events` view unpacks them).
 */
function codebookQuery(
  view: { columns: readonly ViewColumn[]; sources: readonly string[] },
  filter: EventFilter,
  format: EventExportFormat,
  groupNames: GroupNames,
): { sql: string; params: (string | number)[] } {
  const { where, params } = compileEventFilter(filter, groupNames);
  const unpacked = PACKED_VALUES.map((n) => `${COMMON_SQL[n]} AS ${n}`).join(', ');
  const select = view.columns.map(({ name, type, sql }) =>
    format === 'csv' && type === 'VARCHAR' ? `${csvTextSql(`(${sql})`)} AS ${quoteIdent(name)}` : `${sql} AS ${quoteIdent(name)}`,
  );
  const sources = view.sources.map((s) => quoteString(s)).join(', ');
  return {
    sql: `SELECT ${select.join(', ')} FROM (SELECT *, ${unpacked} FROM event_rows WHERE source IN (${sources})) e
WHERE ${where} ORDER BY e.source, e.event_id, e.event_date`,
    params,
  };
}

/** Opens the store's file for reading, waiting (up to `lockWaitMs`) while a writer holds it. */
function openReadOnly(
  file: string,
  spill: string,
  lockWaitMs: number,
  onLockWait: ((holder: LockHolder) => void) | undefined,
): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const config = { access_mode: 'READ_ONLY', temp_directory: spill, memory_limit: EXPORT_MEMORY_LIMIT };
  return openDuckDbWaiting(file, config, true, lockWaitMs, onLockWait);
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
