/**
 * Writes a table of plain values (rows built in memory: an assessment's rows, a history's,
 * the ledger's, a series') to a Parquet file through DuckDB's COPY.
 *
 * Contract: the file's schema is the columns given, in order, with their declared types —
 * the same for zero rows as for many; a cell is a string, a number, a boolean or null, and
 * an empty string in a DATE, BIGINT, DOUBLE or BOOLEAN column is null. The rows go through
 * a private in-memory DuckDB; nothing else is read or written. Returns the number of rows.
 */
import { DuckDBInstance } from '@duckdb/node-api';

/** The column types a table declares (DuckDB's names). */
export const EXPORT_COLUMN_TYPES = ['VARCHAR', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'DATE'] as const;
export type ExportColumnType = (typeof EXPORT_COLUMN_TYPES)[number];

export interface ExportColumn {
  readonly name: string;
  readonly type: ExportColumnType;
}

export type ExportValue = string | number | boolean | null;

export interface ExportTable {
  readonly columns: readonly ExportColumn[];
  readonly rows: readonly (readonly ExportValue[])[];
}

export async function writeParquetTable(table: ExportTable, path: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    // Staged as text, numbers and booleans, then cast to the declared types in the COPY:
    // the appender takes each value as the JavaScript value it is.
    const staged = table.columns.map((c, i) => ({
      ...c,
      staged: c.type === 'DATE' || c.type === 'BIGINT' ? 'VARCHAR' : c.type,
      i,
    }));
    await conn.run(`CREATE TABLE export_rows (${staged.map((c) => `c${c.i} ${c.staged}`).join(', ')})`);
    const appender = await conn.createAppender('export_rows');
    try {
      for (const row of table.rows) {
        for (const c of staged) {
          const v = row[c.i] ?? null;
          if (v === null || (v === '' && c.type !== 'VARCHAR')) appender.appendNull();
          else if (c.staged === 'VARCHAR') appender.appendVarchar(String(v));
          else if (c.staged === 'DOUBLE') appender.appendDouble(Number(v));
          else appender.appendBoolean(v === true || v === 'true');
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const select = staged
      .map((c) => `${c.staged === c.type ? `c${c.i}` : `CAST(c${c.i} AS ${c.type})`} AS ${quoteIdent(c.name)}`)
      .join(', ');
    await conn.run(`COPY (SELECT ${select} FROM export_rows ORDER BY rowid) TO ${quoteString(path)} (FORMAT parquet)`);
    return table.rows.length;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
