/**
 * Stores of earlier layouts open as stores of the current layout: every event as it was,
 * the files they came from still known (so ingesting them again adds nothing), and new
 * files load beside them. The layouts: a table `events` with a column per value (before
 * packing); `event_rows` with the short codes packed in `codes` but the actor names as
 * columns; and `event_rows` with every value of the `events` view packed but without the
 * fields kept since (NumSources, NumArticles, the geography, ICEWS's story, sentence,
 * publisher, place and coordinates). Those fields were never stored, so in an upgraded
 * store they are NULL (unknown) for the events it held, never filled in; events loaded
 * after the upgrade have them.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { EVENT_STORE_FILE } from '../../src/adapters/duckdb/event-store-layout.ts';
import { ingest, openStore, SHARED, tempDir } from './support.ts';

/** The tables holding the files, the same in every layout. */
const INGESTED_FILES = `
CREATE TABLE ingested_files (
  file_id INTEGER PRIMARY KEY, path VARCHAR NOT NULL, size BIGINT NOT NULL, mtime_ms DOUBLE NOT NULL,
  sha256 VARCHAR NOT NULL, format VARCHAR NOT NULL, staged BIGINT NOT NULL, duplicates BIGINT NOT NULL,
  folded BIGINT NOT NULL, inserted BIGINT NOT NULL
);`;

/** The columns of `ingested_files` in every layout (later layouts add the key rule, `key_version`). */
const FILE_COLUMNS = 'file_id, path, size, mtime_ms, sha256, format, staged, duplicates, folded, inserted';

/** An earlier layout, exactly as its version created it, and how to fill it from the `events` view of a current store. */
interface Layout {
  readonly name: string;
  readonly schema: string;
  readonly fill: string;
  /** How to fill `ingested_files` (by default, the columns every layout has). */
  readonly files?: string;
}

const UNPACKED_COLUMNS =
  'source, event_id, event_date, known_at, added_at, actor1_code, actor1_name, actor1_country, actor1_group, actor1_type, actor2_code, actor2_name, actor2_country, actor2_group, actor2_type, is_root, event_code, event_base, event_root, quad_class, goldstein, num_mentions, avg_tone, action_country_fips, source_url, fold_key, file_id';

/** The columns of `event_rows` in the layout before every field was kept. */
const PACKED_ROWS_COLUMNS =
  'source, event_id, event_date, known_at, added_at, actor1_code, actor2_code, is_root, event_code, event_root, quad_class, goldstein, num_mentions, avg_tone, source_url, packed, fold_key, file_id';

const LAYOUTS: readonly Layout[] = [
  {
    name: 'a table `events` with a column per value (before packing)',
    schema: `
CREATE TABLE events (
  source VARCHAR NOT NULL, event_id BIGINT NOT NULL, event_date DATE NOT NULL, known_at DATE NOT NULL,
  added_at TIMESTAMP, actor1_code VARCHAR, actor1_name VARCHAR, actor1_country VARCHAR,
  actor1_group VARCHAR, actor1_type VARCHAR, actor2_code VARCHAR, actor2_name VARCHAR,
  actor2_country VARCHAR, actor2_group VARCHAR, actor2_type VARCHAR, is_root TINYINT,
  event_code VARCHAR, event_base VARCHAR, event_root VARCHAR, quad_class TINYINT, goldstein DOUBLE,
  num_mentions BIGINT, avg_tone DOUBLE, action_country_fips VARCHAR, source_url VARCHAR,
  fold_key UBIGINT, file_id INTEGER NOT NULL
);${INGESTED_FILES}`,
    fill: `INSERT INTO events SELECT ${UNPACKED_COLUMNS} FROM cur.events WHERE source <> 'icews'`,
  },
  {
    name: '`event_rows` with the short codes packed in `codes` and the actor names as columns',
    schema: `
CREATE TABLE event_rows (
  source VARCHAR NOT NULL, event_id BIGINT NOT NULL, event_date DATE NOT NULL, known_at DATE NOT NULL,
  added_at TIMESTAMP, actor1_code VARCHAR, actor1_name VARCHAR, actor2_code VARCHAR, actor2_name VARCHAR,
  is_root TINYINT, event_code VARCHAR, event_root VARCHAR, quad_class TINYINT, goldstein DOUBLE,
  num_mentions BIGINT, avg_tone DOUBLE, source_url VARCHAR, codes VARCHAR, fold_key UBIGINT,
  file_id INTEGER NOT NULL
);${INGESTED_FILES}
CREATE VIEW events AS SELECT
  source, event_id, event_date, known_at, added_at, actor1_code, actor1_name,
  nullif(split_part(codes, chr(31), 1), '') AS actor1_country, nullif(split_part(codes, chr(31), 2), '') AS actor1_group,
  nullif(split_part(codes, chr(31), 3), '') AS actor1_type, actor2_code, actor2_name,
  nullif(split_part(codes, chr(31), 4), '') AS actor2_country, nullif(split_part(codes, chr(31), 5), '') AS actor2_group,
  nullif(split_part(codes, chr(31), 6), '') AS actor2_type, is_root, event_code,
  nullif(split_part(codes, chr(31), 7), '') AS event_base, event_root, quad_class, goldstein, num_mentions, avg_tone,
  nullif(split_part(codes, chr(31), 8), '') AS action_country_fips, source_url, fold_key, file_id
FROM event_rows;`,
    fill: `INSERT INTO event_rows SELECT source, event_id, event_date, known_at, added_at, actor1_code, actor1_name,
      actor2_code, actor2_name, is_root, event_code, event_root, quad_class, goldstein, num_mentions, avg_tone, source_url,
      concat_ws(chr(31), ${['actor1_country', 'actor1_group', 'actor1_type', 'actor2_country', 'actor2_group', 'actor2_type', 'event_base', 'action_country_fips'].map((c) => `coalesce(${c}, '')`).join(', ')}),
      fold_key, file_id FROM cur.events WHERE source <> 'icews'`,
  },
  {
    name: '`event_rows` with the values packed but without NumSources, NumArticles and the fields of `extra`',
    schema: `
CREATE TABLE event_rows (
  source VARCHAR NOT NULL, event_id BIGINT NOT NULL, event_date DATE NOT NULL, known_at DATE NOT NULL,
  added_at TIMESTAMP, actor1_code VARCHAR, actor2_code VARCHAR, is_root TINYINT, event_code VARCHAR,
  event_root VARCHAR, quad_class TINYINT, goldstein DOUBLE, num_mentions BIGINT, avg_tone DOUBLE,
  source_url VARCHAR, packed VARCHAR, fold_key UBIGINT, file_id INTEGER NOT NULL
);
CREATE TABLE ingested_files (
  file_id INTEGER PRIMARY KEY, path VARCHAR NOT NULL, size BIGINT NOT NULL, mtime_ms DOUBLE NOT NULL,
  sha256 VARCHAR NOT NULL, format VARCHAR NOT NULL, staged BIGINT NOT NULL, duplicates BIGINT NOT NULL,
  folded BIGINT NOT NULL, inserted BIGINT NOT NULL, key_version INTEGER NOT NULL DEFAULT 2
);
CREATE VIEW events AS SELECT
  source, event_id, event_date, known_at, added_at, actor1_code,
  nullif(split_part(packed, chr(31), 9), '') AS actor1_name, nullif(split_part(packed, chr(31), 1), '') AS actor1_country,
  nullif(split_part(packed, chr(31), 2), '') AS actor1_group, nullif(split_part(packed, chr(31), 3), '') AS actor1_type,
  actor2_code, nullif(split_part(packed, chr(31), 10), '') AS actor2_name, nullif(split_part(packed, chr(31), 4), '') AS actor2_country,
  nullif(split_part(packed, chr(31), 5), '') AS actor2_group, nullif(split_part(packed, chr(31), 6), '') AS actor2_type,
  is_root, event_code, nullif(split_part(packed, chr(31), 7), '') AS event_base, event_root, quad_class, goldstein,
  num_mentions, avg_tone, nullif(split_part(packed, chr(31), 8), '') AS action_country_fips, source_url, fold_key, file_id
FROM event_rows;`,
    fill: `INSERT INTO event_rows SELECT ${PACKED_ROWS_COLUMNS} FROM cur.event_rows WHERE source <> 'icews'`,
    files: `INSERT INTO ingested_files SELECT ${FILE_COLUMNS}, key_version FROM cur.ingested_files WHERE format <> 'icews'`,
  },
];

/** The columns of `events` that every layout kept. */
const KEPT_EVERYWHERE = UNPACKED_COLUMNS.split(', ').filter((c) => c !== 'fold_key' && c !== 'file_id');

/** The columns whose values were never stored before every field was kept. */
const NEVER_STORED = {
  events: ['num_sources', 'num_articles', 'action_lat', 'action_long'],
  gdelt_events: [
    'Actor1EthnicCode',
    'Actor1Religion1Code',
    'Actor1Type2Code',
    'Actor2EthnicCode',
    'NumSources',
    'NumArticles',
    'Actor1Geo_Type',
    'Actor1Geo_FullName',
    'Actor1Geo_Lat',
    'Actor2Geo_FeatureID',
    'ActionGeo_Type',
    'ActionGeo_FullName',
    'ActionGeo_ADM1Code',
    'ActionGeo_Lat',
    'ActionGeo_Long',
    'ActionGeo_FeatureID',
  ],
} as const;

/** The GDELT view's columns an earlier layout could show: the kept values and what restates them. */
const GDELT_KEPT =
  'GLOBALEVENTID, SQLDATE, MonthYear, "Year", FractionDate, Actor1Code, Actor1Name, Actor1CountryCode, Actor1KnownGroupCode, Actor1Type1Code, Actor2Code, Actor2Name, Actor2CountryCode, Actor2KnownGroupCode, Actor2Type1Code, IsRootEvent, EventCode, EventBaseCode, EventRootCode, QuadClass, GoldsteinScale, NumMentions, AvgTone, ActionGeo_CountryCode, DATEADDED, SOURCEURL, source';

async function rowsOf(dir: string, sql: string): Promise<string[]> {
  const db = await DuckDBInstance.create(join(dir, EVENT_STORE_FILE), { access_mode: 'READ_ONLY' });
  try {
    const c = await db.connect();
    try {
      return (await c.runAndReadAll(sql)).getRowObjectsJson().map((r) => JSON.stringify(r));
    } finally {
      c.closeSync();
    }
  } finally {
    db.closeSync();
  }
}

describe('event stores of earlier layouts', () => {
  for (const layout of LAYOUTS) {
    it(`open with every event and file as they were, and take new files: ${layout.name}`, { timeout: 120_000 }, async () => {
      const gdelt = join(SHARED, 'gdelt');
      const files = readdirSync(gdelt)
        .filter((f) => f.startsWith('spark-gdelt_events'))
        .map((f) => join(gdelt, f));
      const icews = join(SHARED, 'icews', 'icews_events.2018.sample.tab');
      assert.ok(files.length >= 2);

      // The reference: today's layout, the GDELT files then the ICEWS file.
      const current = tempDir('upgrade-current');
      await ingest(current, files);
      await ingest(current, [icews]);
      const store = await openStore(current);
      const expected = await store.dumpEvents();
      const expectedDaily = await store.dailyAggregates({});
      await store.close();
      assert.ok(expected.length > 200);
      assert.ok(
        expected.some((l) => l.includes('|PAK|')),
        'codes such as actor countries are shown',
      );
      assert.ok(
        expected.some((l) => l.includes('|PAKISTAN|')),
        'actor names are shown',
      );
      assert.ok(
        expectedDaily.some((d) => d.articlesSum !== null && d.articlesSum > 0),
        'the reference store has article counts',
      );

      // An old store holding the GDELT files: the same rows in the old layout.
      const old = tempDir('upgrade-old');
      {
        const db = await DuckDBInstance.create(join(old, EVENT_STORE_FILE));
        const c = await db.connect();
        await c.run(layout.schema);
        await c.run(`ATTACH '${join(current, EVENT_STORE_FILE)}' AS cur (READ_ONLY)`);
        await c.run(layout.fill);
        await c.run(
          layout.files ?? `INSERT INTO ingested_files SELECT ${FILE_COLUMNS} FROM cur.ingested_files WHERE format <> 'icews'`,
        );
        await c.run('DETACH cur');
        c.closeSync();
        db.closeSync();
      }

      // Opened by this version: the GDELT events as they were, the files known.
      const again = await ingest(old, files);
      assert.equal(again.summary.inserted, 0);
      assert.equal(again.summary.skippedFiles, files.length);
      // A new file loads beside them.
      await ingest(old, [icews]);
      const upgraded = await openStore(old);
      let daily: Awaited<ReturnType<typeof upgraded.dailyAggregates>>;
      try {
        const dump = await upgraded.dumpEvents();
        assert.equal(await upgraded.count(), expected.length);
        assert.equal(dump.length, expected.length);
        // The events loaded after the upgrade have every field.
        assert.deepEqual(
          dump.filter((l) => l.startsWith('icews|')),
          expected.filter((l) => l.startsWith('icews|')),
        );
        daily = await upgraded.dailyAggregates({});
      } finally {
        await upgraded.close();
      }
      const order = 'ORDER BY source, event_id, event_date';
      // Every value the old layout held is shown as it was.
      assert.deepEqual(
        await rowsOf(old, `SELECT ${KEPT_EVERYWHERE.join(', ')} FROM events ${order}`),
        await rowsOf(current, `SELECT ${KEPT_EVERYWHERE.join(', ')} FROM events ${order}`),
      );
      assert.deepEqual(
        await rowsOf(old, `SELECT ${GDELT_KEPT} FROM gdelt_events ORDER BY source, GLOBALEVENTID`),
        await rowsOf(current, `SELECT ${GDELT_KEPT} FROM gdelt_events ORDER BY source, GLOBALEVENTID`),
      );
      assert.deepEqual(
        await rowsOf(old, `SELECT * FROM icews_events ORDER BY "Event ID", "Event Date"`),
        await rowsOf(current, `SELECT * FROM icews_events ORDER BY "Event ID", "Event Date"`),
      );
      // The fields it never stored are NULL for its events (the reference has them).
      for (const [view, columns] of Object.entries(NEVER_STORED)) {
        const anyKnown = `SELECT count(*)::INTEGER AS n FROM ${view} WHERE ${view === 'events' ? "source <> 'icews' AND " : ''}(${columns.map((c) => `"${c}" IS NOT NULL`).join(' OR ')})`;
        assert.deepEqual(await rowsOf(old, anyKnown), ['{"n":0}'], `${view}: never stored, so NULL`);
        assert.notDeepEqual(await rowsOf(current, anyKnown), ['{"n":0}'], `${view}: the reference has them`);
      }
      // An indicator weighted by articles finds them unknown for those events, never 0.
      const gdeltDays = new Set(expectedDaily.filter((d) => d.articlesSum !== null).map((d) => `${d.date} ${d.knownAt}`));
      const upgradedGdelt = daily.filter((d) => gdeltDays.has(`${d.date} ${d.knownAt}`));
      assert.ok(upgradedGdelt.length > 0);
      assert.ok(upgradedGdelt.every((d) => d.articlesSum === null && d.sourcesSum === null));
      // (Sums of doubles rounded: DuckDB adds them in no fixed order.)
      const day = (d: (typeof daily)[number]) => [d.date, d.knownAt, d.count, Math.round(d.goldsteinSum * 1e6) / 1e6];
      assert.deepEqual(daily.map(day), expectedDaily.map(day));
    });
  }
});
