/**
 * Reads an exported file back with DuckDB, as a researcher would (read_csv_auto,
 * read_json_auto, read_parquet), so the tests compare what came out with what the reading
 * commands give, and never with the exporter's own code.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { runCli } from '../support/cli-harness.ts';

export const FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type Format = (typeof FORMATS)[number];

/** The file as a DuckDB table expression. */
export function source(path: string, format: Format): string {
  const p = `'${path.replaceAll("'", "''")}'`;
  if (format === 'csv') return `read_csv_auto(${p}, header = true)`;
  if (format === 'jsonl') return `read_json_auto(${p}, format = 'newline_delimited')`;
  return `read_parquet(${p})`;
}

export interface Reader {
  /** The first row of a query over `{src}` (the file), values as JSON-safe JS (BIGINT and DATE as text). */
  one(sql: string): Promise<Record<string, unknown>>;
  all(sql: string): Promise<Record<string, unknown>[]>;
  /** Column names and DuckDB types, in order. */
  describe(): Promise<{ name: string; type: string }[]>;
  close(): void;
}

export async function readBack(path: string, format: Format): Promise<Reader> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn: DuckDBConnection = await instance.connect();
  const src = source(path, format);
  const all = async (sql: string) => (await conn.runAndReadAll(sql.replaceAll('{src}', src))).getRowObjectsJson();
  return {
    all,
    one: async (sql) => (await all(sql))[0] ?? {},
    describe: async () =>
      (await all('DESCRIBE SELECT * FROM {src}')).map((r) => ({ name: String(r.column_name), type: String(r.column_type) })),
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** md5 of lines sorted by code unit (the same order as DuckDB's for ASCII), joined by newlines. */
export function md5OfSorted(lines: readonly string[]): string {
  const sorted = [...lines].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('md5').update(sorted.join('\n')).digest('hex');
}

/** Runs `proviso` in-process and fails the test with its stderr when the exit code is not the one expected. */
export async function cli(args: readonly string[], cwd: string, expected = 0): Promise<{ stdout: string; stderr: string }> {
  const r = await runCli(args, cwd);
  if (r.code !== expected) throw new Error(`proviso ${args.join(' ')}: exit ${r.code}, expected ${expected}\n${r.stderr}`);
  return r;
}

/** The files in a folder (to check that a failed export left nothing, not even a temporary file). */
export function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}
