/**
 * Exports stored events from a ClickHouse event store, one row per event: the file
 * `proviso export events` writes from a DuckDB store of the same events (docs/export.md).
 *
 * Contract (the DuckDB export's, `../duckdb/export-events.ts`):
 * - Read-only: nothing is created or written in the store; only events of recorded files
 *   are exported (see the event store's invariants).
 * - The columns of the `events` view but its bookkeeping, in its order, with its types;
 *   an absent value is NULL (the store keeps absent text as ''); rows ordered by source,
 *   event id and event day, so two exports of one store are the same file.
 * - CSV (the program's one dialect, the formula guard included), JSON Lines and Parquet are
 *   written by DuckDB's COPY with the DuckDB export's expressions, so the dialect is one.
 * - The file at `path` is written whole or the call throws (the caller removes it).
 *
 * How: the selected events are read from ClickHouse as CSV into a private temporary folder
 * (the server finishes the query before it answers, so a failure never ends inside the
 * file), then a private in-memory DuckDB reads that file with the columns' types, sorts and
 * writes. Memory stays bounded on both sides (DuckDB sorts within 256 MB and spills to the
 * same folder); the folder holds the selected events as CSV while the export runs.
 * Coordinates are passed as the text the store keeps and cast by DuckDB, as the view does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventFilter } from '../../ports/event-store.ts';
import type { GroupNames } from '../duckdb/compile-event-filter.ts';
import { csvTextSql, type EventExportFormat, type EventExportResult } from '../duckdb/export-events.ts';
import { GDELT_EXTRA_VALUES, ICEWS_EXTRA_VALUES, PACKED_VALUES } from '../event-formats/staged-events.ts';
import { type ClickHouseTarget, type ConnectClickHouse, connectClickHouse } from './clickhouse-connection.ts';
import { clickHouseEventStoreExists } from './clickhouse-event-store.ts';
import { compileClickHouseEventFilter } from './compile-event-filter.ts';

/** DuckDB's memory limit while it sorts and writes (as the DuckDB export's). */
const EXPORT_MEMORY_LIMIT = '256MB';

type DuckType = 'VARCHAR' | 'BIGINT' | 'DATE' | 'TIMESTAMP' | 'TINYINT' | 'DOUBLE';

const SEP = "'\\x1F'";
const packed = (name: (typeof PACKED_VALUES)[number]) =>
  `nullIf(splitByChar(${SEP}, packed)[${PACKED_VALUES.indexOf(name) + 1}], '')`;
const extraAt = (index: number) => `splitByChar(${SEP}, extra)[${index + 1}]`;
const gdeltExtra = (name: (typeof GDELT_EXTRA_VALUES)[number]) => extraAt(GDELT_EXTRA_VALUES.indexOf(name));
const icewsExtra = (name: (typeof ICEWS_EXTRA_VALUES)[number]) => extraAt(ICEWS_EXTRA_VALUES.indexOf(name));

/**
 * The action's coordinate as the store keeps it (text): ICEWS's own; GDELT's ActionGeo, or
 * the geography it repeats (staged as `=1`: as Actor1Geo; `=2`: as Actor2Geo, itself
 * possibly `=1`), as the DuckDB view resolves it.
 */
function actionCoordinate(field: 'Lat' | 'Long'): string {
  const actor1 = gdeltExtra(`Actor1Geo_${field}`);
  const actor2 = `if(${gdeltExtra('Actor2Geo_Type')} = '=1', ${actor1}, ${gdeltExtra(`Actor2Geo_${field}`)})`;
  const gdelt = `multiIf(${gdeltExtra('ActionGeo_Type')} = '=1', ${actor1}, ${gdeltExtra('ActionGeo_Type')} = '=2', ${actor2}, ${gdeltExtra(`ActionGeo_${field}`)})`;
  return `nullIf(if(source = 'icews', ${icewsExtra(field === 'Lat' ? 'Latitude' : 'Longitude')}, ${gdelt}), '')`;
}

/** The exported columns: name, DuckDB type (that of the DuckDB store's `events` view), ClickHouse expression. */
const COLUMNS: readonly (readonly [string, DuckType, string])[] = [
  ['source', 'VARCHAR', 'toString(source)'],
  ['event_id', 'BIGINT', 'event_id'],
  ['event_date', 'DATE', 'event_date'],
  ['known_at', 'DATE', 'known_at'],
  ['added_at', 'TIMESTAMP', 'added_at'],
  ['actor1_code', 'VARCHAR', "nullIf(actor1_code, '')"],
  ['actor1_name', 'VARCHAR', packed('actor1_name')],
  ['actor1_country', 'VARCHAR', packed('actor1_country')],
  ['actor1_group', 'VARCHAR', packed('actor1_group')],
  ['actor1_type', 'VARCHAR', packed('actor1_type')],
  ['actor2_code', 'VARCHAR', "nullIf(actor2_code, '')"],
  ['actor2_name', 'VARCHAR', packed('actor2_name')],
  ['actor2_country', 'VARCHAR', packed('actor2_country')],
  ['actor2_group', 'VARCHAR', packed('actor2_group')],
  ['actor2_type', 'VARCHAR', packed('actor2_type')],
  ['is_root', 'TINYINT', 'is_root'],
  ['event_code', 'VARCHAR', "nullIf(event_code, '')"],
  ['event_base', 'VARCHAR', packed('event_base')],
  ['event_root', 'VARCHAR', "nullIf(event_root, '')"],
  ['quad_class', 'TINYINT', 'quad_class'],
  ['goldstein', 'DOUBLE', 'goldstein'],
  ['num_mentions', 'BIGINT', 'num_mentions'],
  ['avg_tone', 'DOUBLE', 'avg_tone'],
  ['action_country_fips', 'VARCHAR', packed('action_country_fips')],
  ['source_url', 'VARCHAR', "nullIf(source_url, '')"],
  ['num_sources', 'BIGINT', 'num_sources'],
  ['num_articles', 'BIGINT', 'num_articles'],
  ['action_lat', 'DOUBLE', actionCoordinate('Lat')],
  ['action_long', 'DOUBLE', actionCoordinate('Long')],
];

/** Columns passed as text and cast by DuckDB (as the DuckDB view casts them). */
const CAST_BY_DUCKDB = new Set(['action_lat', 'action_long']);

export interface ClickHouseEventExportOptions {
  readonly groupNames?: GroupNames;
  /** How connections are opened (default `connectClickHouse`; tests give chdb's). */
  readonly connect?: ConnectClickHouse;
}

export async function exportClickHouseEvents(
  target: ClickHouseTarget,
  filter: EventFilter,
  format: EventExportFormat,
  path: string,
  opts: ClickHouseEventExportOptions = {},
): Promise<EventExportResult> {
  const connect = opts.connect ?? connectClickHouse;
  if (!(await clickHouseEventStoreExists(target, connect))) throw new Error('no event store here (nothing was ingested)');
  const where = compileClickHouseEventFilter(filter, opts.groupNames ?? (() => undefined));
  const work = mkdtempSync(join(tmpdir(), 'proviso-export-'));
  try {
    const csv = join(work, 'events.csv');
    const conn = connect(target.url, target.database, target);
    try {
      await conn.toFile(
        `SELECT ${COLUMNS.map(([name, , sql]) => `${sql} AS ${name}`).join(', ')}
         FROM event_rows WHERE file_id GLOBAL IN (SELECT file_id FROM ingested_files) AND (${where})
         FORMAT CSVWithNames`,
        csv,
      );
    } finally {
      await conn.close();
    }
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:', { temp_directory: work, memory_limit: EXPORT_MEMORY_LIMIT });
    const duck = await instance.connect();
    try {
      const types = COLUMNS.map(([name, type]) => `'${name}': '${CAST_BY_DUCKDB.has(name) ? 'VARCHAR' : type}'`);
      const read = `read_csv('${csv.replaceAll("'", "''")}', header = true, delim = ',', quote = '"', escape = '"',
        nullstr = '\\N', allow_quoted_nulls = false, columns = {${types.join(', ')}})`;
      const select = COLUMNS.map(([name, type]) => {
        const value = CAST_BY_DUCKDB.has(name) ? `TRY_CAST(${name} AS ${type})` : name;
        return `${format === 'csv' && type === 'VARCHAR' ? csvTextSql(value) : value} AS ${name}`;
      });
      const options = { csv: 'FORMAT csv, HEADER true', jsonl: 'FORMAT json', parquet: 'FORMAT parquet' }[format];
      const r = await duck.run(
        `COPY (SELECT ${select.join(', ')} FROM ${read} e ORDER BY e.source, e.event_id, e.event_date)
         TO '${path.replaceAll("'", "''")}' (${options})`,
      );
      return { rows: r.rowsChanged, columns: COLUMNS.map(([name]) => name) };
    } finally {
      duck.closeSync();
      instance.closeSync();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
