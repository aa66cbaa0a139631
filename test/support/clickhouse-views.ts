/**
 * Checks that a ClickHouse event store's researcher views (`gdelt_events`, `icews_events`)
 * show what the DuckDB store's views show for the same ingested files: the same column
 * names in the same order, types that correspond (below), and the same rows — by
 * `SELECT *`, and by queries written once and run unchanged on both.
 *
 * Normalised, as docs/event-views.md ("On ClickHouse") documents, and nothing else:
 * - Types: DuckDB's BIGINT is ClickHouse's Int64, DOUBLE Float64, VARCHAR String, DATE Date,
 *   each possibly `Nullable(…)` on ClickHouse (DuckDB's types do not say).
 * - 64-bit integers are compared as their decimal text (ClickHouse sends them quoted in JSON,
 *   DuckDB gives bigints).
 * - With `realsWithinUlp`, reals that the store keeps as text (coordinates, a FractionDate
 *   the file gave) may differ by an ulp or two: ClickHouse 18.16 reads decimal text that way
 *   (`2.26244343891403` as `2.2624434389140298`). Every other real must be the same double.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ClickHouseConnection } from '../../src/adapters/clickhouse/clickhouse-connection.ts';
import { EVENT_STORE_FILE } from '../../src/adapters/duckdb/event-store-layout.ts';

type Cell = string | number | null;

/** Reals the store keeps as text, read by the views with `toFloat64OrNull`. */
const REALS_FROM_TEXT = /(_Lat|_Long|^FractionDate|^Latitude|^Longitude)$/;

const TYPES: Readonly<Record<string, string>> = { BIGINT: 'Int64', DOUBLE: 'Float64', VARCHAR: 'String', DATE: 'Date' };

/** Queries written once (as docs/event-views.md shows them) and run unchanged on both stores. */
export const SHARED_QUERIES: readonly string[] = [
  `SELECT SQLDATE, Actor1Code, Actor2Code, EventCode, GoldsteinScale, NumArticles, ActionGeo_FullName
   FROM gdelt_events WHERE Actor1Code LIKE 'USA%' AND QuadClass >= 3 ORDER BY GLOBALEVENTID, source`,
  `SELECT "Event Date", "Source Name", "Target Name", "CAMEO Code", Intensity, Publisher, Latitude, Longitude
   FROM icews_events WHERE "Target Country" = 'Pakistan' ORDER BY "Event ID", "Event Date"`,
  `SELECT Year, source, count(*) AS n, sum(NumArticles) AS articles FROM gdelt_events GROUP BY Year, source ORDER BY Year, source`,
  `SELECT "Source Country", count(*) AS n FROM icews_events GROUP BY "Source Country" ORDER BY n DESC, "Source Country" LIMIT 10`,
];

async function readDuckDb(dir: string, sql: string): Promise<{ names: string[]; types: string[]; rows: Cell[][] }> {
  const db = await DuckDBInstance.create(join(dir, EVENT_STORE_FILE), { access_mode: 'READ_ONLY' });
  try {
    const c = await db.connect();
    try {
      const r = await c.runAndReadAll(sql);
      return {
        names: r.columnNames(),
        types: r.columnTypes().map((t) => t.toString()),
        rows: r.getRowsJS().map((row) => row.map(duckCell)),
      };
    } finally {
      c.closeSync();
    }
  } finally {
    db.closeSync();
  }
}

function duckCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

/** A ClickHouse JSON value: 64-bit integers arrive as text, 8- to 32-bit ones as numbers. */
function clickHouseCell(v: unknown, type: string): Cell {
  if (v === null || v === undefined) return null;
  if (/^(Nullable\()?U?Int(8|16|32)\b/.test(type) && typeof v === 'number') return String(v);
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

async function readClickHouse(
  c: ClickHouseConnection,
  sql: string,
): Promise<{ names: string[]; types: string[]; rows: Cell[][] }> {
  // Column names and types in order, from the engine (JSON objects do not say the order).
  const described = await c.rows<{ name: string; type: string }>(`DESCRIBE TABLE (${sql})`);
  const names = described.map((d) => d.name);
  const types = described.map((d) => d.type);
  const rows = (await c.rows<Record<string, unknown>>(sql)).map((r) =>
    names.map((n, i) => clickHouseCell(r[n], types[i] as string)),
  );
  return { names, types, rows };
}

function sameCell(a: Cell, b: Cell, column: string, realsWithinUlp: boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number' && realsWithinUlp && REALS_FROM_TEXT.test(column))
    return Math.abs(a - b) <= 2 * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b));
  return a === b;
}

function assertSameRows(
  duck: { names: string[]; rows: Cell[][] },
  ch: { names: string[]; rows: Cell[][] },
  label: string,
  realsWithinUlp: boolean,
): void {
  assert.deepEqual(ch.names, duck.names, `${label}: columns`);
  assert.equal(ch.rows.length, duck.rows.length, `${label}: rows`);
  for (const [i, want] of duck.rows.entries()) {
    const got = ch.rows[i] as Cell[];
    for (const [k, name] of duck.names.entries())
      if (!sameCell(got[k] as Cell, want[k] as Cell, name, realsWithinUlp))
        assert.fail(`${label}, row ${i + 1}, ${name}: ClickHouse ${JSON.stringify(got[k])}, DuckDB ${JSON.stringify(want[k])}`);
  }
}

/**
 * Asserts the views of the DuckDB store in `duckDir` and of the ClickHouse store `c` is
 * connected to (its database) agree; returns the rows compared per view.
 */
export async function assertViewsMatchDuckDb(
  duckDir: string,
  c: ClickHouseConnection,
  opts: { readonly realsWithinUlp: boolean },
): Promise<Record<string, number>> {
  const counted: Record<string, number> = {};
  for (const [view, order] of [
    ['gdelt_events', 'GLOBALEVENTID, source'],
    ['icews_events', '"Event ID", "Event Date"'],
  ] as const) {
    const sql = `SELECT * FROM ${view} ORDER BY ${order}`;
    const duck = await readDuckDb(duckDir, sql);
    const ch = await readClickHouse(c, sql);
    assert.deepEqual(
      ch.types.map((t) => t.replace(/^Nullable\((.*)\)$/, '$1')),
      duck.types.map((t) => TYPES[t] ?? t),
      `${view}: types`,
    );
    assertSameRows(duck, ch, view, opts.realsWithinUlp);
    counted[view] = duck.rows.length;
  }
  for (const sql of SHARED_QUERIES) {
    const duck = await readDuckDb(duckDir, sql);
    const ch = await readClickHouse(c, sql);
    assert.ok(duck.rows.length > 0, `the query finds rows: ${sql}`);
    assertSameRows(duck, ch, sql.replace(/\s+/g, ' ').slice(0, 80), opts.realsWithinUlp);
  }
  return counted;
}
