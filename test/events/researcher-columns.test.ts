/**
 * Columns researchers know: the store's `gdelt_events` view has every column of the GDELT
 * codebooks under the codebook's name, and `icews_events` every column of an ICEWS file
 * under its header name, each holding the file's value. The expected values are read here
 * from the files with a plain split, the column names from the codebooks' header files and
 * the ICEWS header line: nothing is taken from the readers or the views' definitions.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { EVENT_STORE_FILE } from '../../src/adapters/duckdb/event-store-layout.ts';
import { ingest, SHARED, tempDir } from './support.ts';

const GDELT_DIR = join(SHARED, 'gdelt');
const V2_EXPORT = join(GDELT_DIR, 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv');
const V2_TRANSLINGUAL = join(GDELT_DIR, 'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv');
const V1 = join(GDELT_DIR, 'spark-gdelt_events_v1_mixed_57_58col.tsv');
const ICEWS = join(SHARED, 'icews', 'icews_events.2018.sample.tab');

/** The 2.0 codebook: one line per column, `name,TYPE,NULLABLE,"description"`. */
function gdelt2Codebook(): { name: string; type: string }[] {
  return readFileSync(join(GDELT_DIR, 'GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [name, type] = l.split(',');
      return { name: name as string, type: type as string };
    });
}

/** The 1.0 header file: `tableId`, then one column name per line. */
function gdelt1Names(): string[] {
  return readFileSync(join(GDELT_DIR, 'GDELT_1.0_event_Column_Labels_Header_Row_Sep2016.tsv'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== 'tableId');
}

function tsvRows(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

type Row = Record<string, unknown>;

async function queryStore(dir: string, sql: string, params: (string | number)[] = []): Promise<Row[]> {
  const db = await DuckDBInstance.create(join(dir, EVENT_STORE_FILE), { access_mode: 'READ_ONLY' });
  try {
    const c = await db.connect();
    try {
      return (await c.runAndReadAll(sql, params)).getRowObjectsJS() as Row[];
    } finally {
      c.closeSync();
    }
  } finally {
    db.closeSync();
  }
}

/** A view cell as text: NULL as null, numbers as numbers, dates as `YYYY-MM-DD`. */
function cellOf(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

/**
 * Compares a view's row with the file's cells, column by column; numeric columns by value.
 * `trim`: the format's values are read without the blanks around them (ICEWS).
 */
function assertRowMatches(
  got: Row,
  names: readonly string[],
  cells: readonly string[],
  numeric: ReadonlySet<string>,
  absent: (cell: string) => boolean,
  what: string,
  trim = false,
): void {
  names.forEach((name, i) => {
    assert.ok(Object.hasOwn(got, name), `${what}: the view has a column "${name}"`);
    const cell = trim ? (cells[i] ?? '').trim() : (cells[i] ?? '');
    const value = cellOf(got[name]);
    if (absent(cell)) assert.equal(value, null, `${what} ${name}: empty in the file, NULL in the view`);
    else if (numeric.has(name)) assert.equal(value, Number(cell), `${what} ${name}`);
    else assert.equal(value, cell, `${what} ${name}`);
  });
}

describe('the GDELT view: every codebook column, with the value from the file', () => {
  it('has every GDELT 2.0 codebook column, typed as the codebook says', async () => {
    const dir = tempDir('gdelt-view-columns');
    await ingest(dir, [V2_EXPORT], false);
    const described = await queryStore(dir, 'DESCRIBE gdelt_events');
    const types = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
    const codebook = gdelt2Codebook();
    assert.equal(codebook.length, 61);
    const sqlType: Record<string, string> = { INTEGER: 'BIGINT', FLOAT: 'DOUBLE', STRING: 'VARCHAR' };
    for (const { name, type } of codebook) {
      assert.equal(types.get(name), sqlType[type], `${name} (${type})`);
    }
    // The codebook's order, then the source (1.0 or 2.0).
    assert.deepEqual(
      described.map((r) => String(r.column_name)),
      [...codebook.map((c) => c.name), 'source'],
    );
  });

  it('shows real GDELT 2.0 rows (export and translingual) field by field as in the file', async () => {
    const dir = tempDir('gdelt-view-v2');
    const r = await ingest(dir, [V2_EXPORT, V2_TRANSLINGUAL], false);
    assert.equal(r.kind === 'done' && r.summary.rejected, 0);
    const codebook = gdelt2Codebook();
    const names = codebook.map((c) => c.name);
    const numeric = new Set(codebook.filter((c) => c.type !== 'STRING').map((c) => c.name));
    let compared = 0;
    for (const file of [V2_EXPORT, V2_TRANSLINGUAL]) {
      const rows = tsvRows(file);
      // A few rows from the start, the middle (the second 15-minute file) and the end, and
      // rows giving a place twice: the action where Actor2 is (not Actor1), both actors in
      // one place, three places.
      const geo = (c: string[], from: number) => c.slice(from, from + 8).join('\t');
      const actionAtActor2 = rows.findIndex((c) => geo(c, 51) === geo(c, 43) && geo(c, 43) !== geo(c, 35));
      const actorsTogether = rows.findIndex((c) => geo(c, 43) === geo(c, 35) && (c[36] as string) !== '');
      const threePlaces = rows.findIndex((c) => new Set([geo(c, 35), geo(c, 43), geo(c, 51)]).size === 3);
      const picked = [0, 1, 2, 37, 50, 51, 73, rows.length - 1, actionAtActor2, actorsTogether, threePlaces];
      assert.ok(
        picked.every((k) => k >= 0),
        `${file}: ${picked.join(' ')}`,
      );
      for (const k of picked) {
        const cells = rows[k] as string[];
        assert.equal(cells.length, 61);
        const got = await queryStore(dir, 'SELECT * FROM gdelt_events WHERE GLOBALEVENTID = ?::BIGINT', [Number(cells[0])]);
        assert.equal(got.length, 1, `event ${cells[0]}`);
        assert.equal(got[0]?.source, 'gdelt2');
        assertRowMatches(got[0] as Row, names, cells, numeric, (c) => c === '', `${file.split('/').pop()} line ${k + 1}`);
        compared++;
      }
    }
    assert.equal(compared, 22);
  });

  it('shows real GDELT 1.0 rows (57 and 58 columns) under the 1.0 names, with no ADM2 codes', async () => {
    const dir = tempDir('gdelt-view-v1');
    const r = await ingest(dir, [V1], false);
    assert.equal(r.kind === 'done' && r.summary.rejected, 0);
    const names = gdelt1Names();
    assert.equal(names.length, 58);
    const types = new Map(gdelt2Codebook().map((c) => [c.name, c.type]));
    const numeric = new Set(names.filter((n) => types.get(n) !== 'STRING'));
    const rows = tsvRows(V1);
    const geo = (c: string[], from: number) => c.slice(from, from + 7).join('\t');
    const picked = [
      0,
      1,
      2,
      rows.findIndex((c) => c.length === 57),
      rows.findIndex((c) => c.length === 58),
      rows.length - 1,
      rows.findIndex((c) => geo(c, 49) === geo(c, 35) && (c[36] as string) !== ''),
      rows.findIndex((c) => geo(c, 49) === geo(c, 42) && geo(c, 42) !== geo(c, 35)),
    ];
    assert.ok(picked.every((k) => k >= 0));
    for (const k of picked) {
      const cells = rows[k] as string[];
      const got = await queryStore(dir, 'SELECT * FROM gdelt_events WHERE GLOBALEVENTID = ?::BIGINT', [Number(cells[0])]);
      assert.equal(got.length, 1);
      const row = got[0] as Row;
      assert.equal(row.source, 'gdelt1');
      // A 57-column (backfile) row has no SOURCEURL.
      assertRowMatches(row, names, cells, numeric, (c) => c === '', `1.0 line ${k + 1}`);
      for (const g of ['Actor1Geo', 'Actor2Geo', 'ActionGeo']) assert.equal(row[`${g}_ADM2Code`], null);
    }
  });
});

describe('FractionDate, stored only when it does not restate SQLDATE', () => {
  it('shows a value the day does not give as written, and an empty one as NULL', async () => {
    const dir = tempDir('gdelt-fraction');
    const rows = tsvRows(V2_EXPORT).slice(0, 3);
    const edited = rows.map((cells, k) => {
      const c = [...cells];
      c[0] = String(990_000_000 + k);
      if (k === 1) c[4] = '2014.5';
      if (k === 2) c[4] = '';
      return c.join('\t');
    });
    const file = join(dir, 'fraction.export.CSV');
    writeFileSync(file, `${edited.join('\n')}\n`);
    const r = await ingest(dir, [file], false);
    assert.equal(r.kind === 'done' && r.summary.rejected, 0);
    const got = await queryStore(dir, 'SELECT GLOBALEVENTID, FractionDate FROM gdelt_events ORDER BY GLOBALEVENTID');
    assert.deepEqual(
      got.map((g) => cellOf(g.FractionDate)),
      [Number((rows[0] as string[])[4]), 2014.5, null],
    );
  });
});

describe('the ICEWS view: every column of the file under its header name', () => {
  it('shows real ICEWS rows field by field as in the file (NA as NULL)', async () => {
    const dir = tempDir('icews-view');
    const r = await ingest(dir, [ICEWS], false);
    assert.equal(r.kind === 'done' && r.summary.rejected, 0);
    const [header, ...rows] = tsvRows(ICEWS);
    const names = (header as string[]).map((n) => n.trim());
    assert.equal(names.length, 20);
    const described = await queryStore(dir, 'DESCRIBE icews_events');
    assert.deepEqual(
      described.map((d) => String(d.column_name)),
      names,
    );
    const numeric = new Set(['Event ID', 'Intensity', 'Story ID', 'Sentence Number', 'Latitude', 'Longitude']);
    const withCity = rows.findIndex((c) => c[names.indexOf('City')] !== 'NA');
    const withoutCity = rows.findIndex((c) => c[names.indexOf('City')] === 'NA');
    const withoutSectors = rows.findIndex((c) => c[names.indexOf('Source Sectors')] === 'NA');
    const picked = [0, 1, 2, withCity, withoutCity, withoutSectors, 1000, 2500, rows.length - 1];
    assert.ok(picked.every((k) => k >= 0));
    for (const k of picked) {
      const cells = rows[k] as string[];
      const got = await queryStore(dir, 'SELECT * FROM icews_events WHERE "Event ID" = ?::BIGINT AND "Event Date" = ?::DATE', [
        Number(cells[0]),
        cells[1] as string,
      ]);
      assert.equal(got.length, 1, `ICEWS event ${cells[0]} ${cells[1]}`);
      assertRowMatches(got[0] as Row, names, cells, numeric, (c) => c === '' || c === 'NA', `ICEWS line ${k + 2}`, true);
    }
  });
});

describe('the common view `events`', () => {
  it('keeps its columns and adds the weights and the place of the action, for both sources', async () => {
    const dir = tempDir('events-view');
    await ingest(dir, [V2_EXPORT, ICEWS], false);
    const described = (await queryStore(dir, 'DESCRIBE events')).map((d) => String(d.column_name));
    const before = [
      'source',
      'event_id',
      'event_date',
      'known_at',
      'added_at',
      'actor1_code',
      'actor1_name',
      'actor1_country',
      'actor1_group',
      'actor1_type',
      'actor2_code',
      'actor2_name',
      'actor2_country',
      'actor2_group',
      'actor2_type',
      'is_root',
      'event_code',
      'event_base',
      'event_root',
      'quad_class',
      'goldstein',
      'num_mentions',
      'avg_tone',
      'action_country_fips',
      'source_url',
      'fold_key',
      'file_id',
    ];
    assert.deepEqual(described.slice(0, before.length), before, 'the columns it had, in their order');
    assert.deepEqual(described.slice(before.length), ['num_sources', 'num_articles', 'action_lat', 'action_long']);

    const g = tsvRows(V2_EXPORT)[5] as string[];
    const [gRow] = await queryStore(
      dir,
      `SELECT num_sources, num_articles, action_lat, action_long FROM events WHERE source = 'gdelt2' AND event_id = ?::BIGINT`,
      [Number(g[0])],
    );
    assert.deepEqual([gRow?.num_sources, gRow?.num_articles, gRow?.action_lat, gRow?.action_long].map(cellOf), [
      Number(g[32]),
      Number(g[33]),
      Number(g[56]),
      Number(g[57]),
    ]);
    const [header, ...icews] = tsvRows(ICEWS);
    const h = (header as string[]).map((n) => n.trim());
    const i = icews.find((c) => c[h.indexOf('Latitude')] !== 'NA') as string[];
    const [iRow] = await queryStore(
      dir,
      `SELECT num_sources, num_articles, action_lat, action_long FROM events WHERE source = 'icews' AND event_id = ?::BIGINT AND event_date = ?::DATE`,
      [Number(i[0]), i[1] as string],
    );
    assert.deepEqual([iRow?.num_sources, iRow?.num_articles, iRow?.action_lat, iRow?.action_long].map(cellOf), [
      null,
      null,
      Number(i[h.indexOf('Latitude')]),
      Number(i[h.indexOf('Longitude')]),
    ]);
  });
});
