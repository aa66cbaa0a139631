/**
 * The views of the event store: how the stored rows (`event_rows`) are shown to queries,
 * to other tools (R, pandas, the DuckDB CLI) and to exports.
 *
 * - `events`, the common view: every source's events under one set of snake_case names
 *   (`COMMON_COLUMNS`, then `fold_key` and `file_id`, then `ADDED_COMMON_COLUMNS`). Every
 *   query of ours reads it.
 * - `gdelt_events`: GDELT 1.0 and 2.0 events under the codebook's names and types
 *   (`GDELT_COLUMNS`: the 61 columns of a GDELT 2.0 export in their order; GDELT 1.0 rows
 *   have no ADM2 codes, NULL there), then `source` (`gdelt1` or `gdelt2`).
 * - `icews_events`: ICEWS events under ICEWS's header names (`ICEWS_COLUMNS`, in the order
 *   of the ICEWS files).
 *
 * Invariants:
 * - A value absent in the file (empty; `NA` in ICEWS) is NULL; so is a value the store
 *   never kept: an event stored before a store kept every field (see the upgrade in the
 *   DuckDB event store) has NULL in every column that `extra`, NumSources or NumArticles
 *   feed. Nothing is filled in or guessed.
 * - Columns restating another are derived, not stored: GDELT's MonthYear and Year from
 *   SQLDATE, DATEADDED from the time (2.0) or day (1.0) added, FractionDate from SQLDATE
 *   unless the file gave another value (then that value is stored and shown).
 * - Numbers are shown as numbers (the readers checked them), codes as text (`043`). The
 *   casts are TRY_CASTs: DuckDB may evaluate a view's columns before its own filter on
 *   `source` (a query's filter is pushed below it), i.e. on another source's `extra`; a
 *   value of the view's own source always casts.
 * - The view definitions are pure text: this module touches no database.
 */
import { GDELT_EXTRA_VALUES, ICEWS_EXTRA_VALUES, PACKED_VALUES } from '../event-formats/staged-events.ts';

/** The columns of `events` since it was made, in order (existing readers may rely on them). */
export const COMMON_COLUMNS = [
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
] as const;

/** The columns `events` gained when the store came to keep every field, after `fold_key` and `file_id`. */
export const ADDED_COMMON_COLUMNS = ['num_sources', 'num_articles', 'action_lat', 'action_long'] as const;

/** One column of a view: its name, its SQL type, and the expression over `event_rows` that gives it. */
export interface ViewColumn {
  readonly name: string;
  readonly type: 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'DATE';
  readonly sql: string;
}

const SEP = 'chr(31)';

/** A value of `packed` (NULL when empty). */
export function packedValue(name: (typeof PACKED_VALUES)[number]): string {
  return `nullif(split_part(packed, ${SEP}, ${PACKED_VALUES.indexOf(name) + 1}), '')`;
}

/** A value of `extra` at `index` (0-based; NULL when empty or never stored). */
function extraAt(index: number): string {
  return `nullif(split_part(extra, ${SEP}, ${index + 1}), '')`;
}

const gdeltExtra = (name: (typeof GDELT_EXTRA_VALUES)[number]) => extraAt(GDELT_EXTRA_VALUES.indexOf(name));

type Geo = 'Actor1Geo' | 'Actor2Geo' | 'ActionGeo';
type GeoField = 'Type' | 'FullName' | 'CountryCode' | 'ADM1Code' | 'ADM2Code' | 'Lat' | 'Long' | 'FeatureID';

/** The marker a repeated geography is staged as, in its Type (see the GDELT reader). */
const geoMarker = (g: Geo) => `split_part(extra, ${SEP}, ${GDELT_EXTRA_VALUES.indexOf(`${g}_Type`) + 1})`;

/**
 * A geography's field as text: its own value, or that of the geography it repeats
 * (Actor2Geo or ActionGeo staged as `=1`, the same as Actor1Geo; ActionGeo as `=2`, the
 * same as Actor2Geo). ActionGeo's country code is always `action_country_fips`.
 */
function gdeltGeo(g: Geo, field: GeoField): string {
  if (g === 'ActionGeo' && field === 'CountryCode') return packedValue('action_country_fips');
  const own = gdeltExtra(`${g}_${field}` as (typeof GDELT_EXTRA_VALUES)[number]);
  if (g === 'Actor1Geo') return own;
  if (g === 'Actor2Geo') return `CASE WHEN ${geoMarker('Actor2Geo')} = '=1' THEN ${gdeltGeo('Actor1Geo', field)} ELSE ${own} END`;
  return `CASE ${geoMarker('ActionGeo')} WHEN '=1' THEN ${gdeltGeo('Actor1Geo', field)} WHEN '=2' THEN ${gdeltGeo('Actor2Geo', field)} ELSE ${own} END`;
}
const icewsExtra = (name: (typeof ICEWS_EXTRA_VALUES)[number]) => extraAt(ICEWS_EXTRA_VALUES.indexOf(name));

/**
 * GDELT's FractionDate: as the file gave it when it did not restate the event day, NULL
 * when the file left it empty (`-`), else derived from the event day as GDELT derives it
 * (Year + ((Month − 1) × 30 + Day) / 365, to four places; see the GDELT reader).
 */
const FRACTION_DATE_SQL = `CASE split_part(extra, ${SEP}, 1) WHEN '-' THEN NULL ELSE coalesce(
    TRY_CAST(nullif(split_part(extra, ${SEP}, 1), '') AS DOUBLE),
    round(year(event_date) + ((month(event_date) - 1) * 30 + day(event_date)) / 365::DOUBLE, 4)) END`;

/** `yyyymmdd` of a date as a number. */
const compactDay = (d: string) => `(year(${d}) * 10000 + month(${d}) * 100 + day(${d}))::BIGINT`;

/** The expression over `event_rows` of each column of `events`. */
export const COMMON_SQL: Readonly<Record<(typeof COMMON_COLUMNS)[number] | (typeof ADDED_COMMON_COLUMNS)[number], string>> = {
  ...(Object.fromEntries(COMMON_COLUMNS.map((n) => [n, n])) as Record<(typeof COMMON_COLUMNS)[number], string>),
  ...(Object.fromEntries(PACKED_VALUES.map((n) => [n, packedValue(n)])) as Record<(typeof PACKED_VALUES)[number], string>),
  num_sources: 'num_sources',
  num_articles: 'num_articles',
  action_lat: `TRY_CAST(CASE WHEN source = 'icews' THEN ${icewsExtra('Latitude')} ELSE ${gdeltGeo('ActionGeo', 'Lat')} END AS DOUBLE)`,
  action_long: `TRY_CAST(CASE WHEN source = 'icews' THEN ${icewsExtra('Longitude')} ELSE ${gdeltGeo('ActionGeo', 'Long')} END AS DOUBLE)`,
};

/**
 * The GDELT view's columns: the codebook's names and types (INTEGER as BIGINT, FLOAT as
 * DOUBLE, STRING as VARCHAR), in the order of a GDELT 2.0 export.
 */
export const GDELT_COLUMNS: readonly ViewColumn[] = (() => {
  const text = (name: string, sql: string): ViewColumn => ({ name, type: 'VARCHAR', sql });
  const int = (name: string, sql: string): ViewColumn => ({ name, type: 'BIGINT', sql: `TRY_CAST(${sql} AS BIGINT)` });
  const real = (name: string, sql: string): ViewColumn => ({ name, type: 'DOUBLE', sql: `TRY_CAST(${sql} AS DOUBLE)` });
  const actor = (k: 1 | 2): ViewColumn[] => [
    text(`Actor${k}Code`, `actor${k}_code`),
    text(`Actor${k}Name`, packedValue(`actor${k}_name`)),
    text(`Actor${k}CountryCode`, packedValue(`actor${k}_country`)),
    text(`Actor${k}KnownGroupCode`, packedValue(`actor${k}_group`)),
    text(`Actor${k}EthnicCode`, gdeltExtra(`Actor${k}EthnicCode`)),
    text(`Actor${k}Religion1Code`, gdeltExtra(`Actor${k}Religion1Code`)),
    text(`Actor${k}Religion2Code`, gdeltExtra(`Actor${k}Religion2Code`)),
    text(`Actor${k}Type1Code`, packedValue(`actor${k}_type`)),
    text(`Actor${k}Type2Code`, gdeltExtra(`Actor${k}Type2Code`)),
    text(`Actor${k}Type3Code`, gdeltExtra(`Actor${k}Type3Code`)),
  ];
  const geo = (g: Geo): ViewColumn[] => [
    int(`${g}_Type`, gdeltGeo(g, 'Type')),
    text(`${g}_FullName`, gdeltGeo(g, 'FullName')),
    text(`${g}_CountryCode`, gdeltGeo(g, 'CountryCode')),
    text(`${g}_ADM1Code`, gdeltGeo(g, 'ADM1Code')),
    text(`${g}_ADM2Code`, gdeltGeo(g, 'ADM2Code')),
    real(`${g}_Lat`, gdeltGeo(g, 'Lat')),
    real(`${g}_Long`, gdeltGeo(g, 'Long')),
    text(`${g}_FeatureID`, gdeltGeo(g, 'FeatureID')),
  ];
  return [
    int('GLOBALEVENTID', 'event_id'),
    int('SQLDATE', compactDay('event_date')),
    int('MonthYear', 'year(event_date) * 100 + month(event_date)'),
    int('Year', 'year(event_date)'),
    { name: 'FractionDate', type: 'DOUBLE', sql: FRACTION_DATE_SQL },
    ...actor(1),
    ...actor(2),
    int('IsRootEvent', 'is_root'),
    text('EventCode', 'event_code'),
    text('EventBaseCode', packedValue('event_base')),
    text('EventRootCode', 'event_root'),
    int('QuadClass', 'quad_class'),
    real('GoldsteinScale', 'goldstein'),
    int('NumMentions', 'num_mentions'),
    int('NumSources', 'num_sources'),
    int('NumArticles', 'num_articles'),
    real('AvgTone', 'avg_tone'),
    ...geo('Actor1Geo'),
    ...geo('Actor2Geo'),
    ...geo('ActionGeo'),
    int('DATEADDED', `coalesce(CAST(strftime(added_at, '%Y%m%d%H%M%S') AS BIGINT), ${compactDay('known_at')})`),
    text('SOURCEURL', 'source_url'),
  ];
})();

/** The ICEWS view's columns: ICEWS's header names, in the order of its files. */
export const ICEWS_COLUMNS: readonly ViewColumn[] = [
  { name: 'Event ID', type: 'BIGINT', sql: 'event_id' },
  { name: 'Event Date', type: 'DATE', sql: 'event_date' },
  { name: 'Source Name', type: 'VARCHAR', sql: packedValue('actor1_name') },
  { name: 'Source Sectors', type: 'VARCHAR', sql: icewsExtra('Source Sectors') },
  { name: 'Source Country', type: 'VARCHAR', sql: icewsExtra('Source Country') },
  { name: 'Event Text', type: 'VARCHAR', sql: icewsExtra('Event Text') },
  { name: 'CAMEO Code', type: 'VARCHAR', sql: 'event_code' },
  { name: 'Intensity', type: 'DOUBLE', sql: 'goldstein' },
  { name: 'Target Name', type: 'VARCHAR', sql: packedValue('actor2_name') },
  { name: 'Target Sectors', type: 'VARCHAR', sql: icewsExtra('Target Sectors') },
  { name: 'Target Country', type: 'VARCHAR', sql: icewsExtra('Target Country') },
  { name: 'Story ID', type: 'BIGINT', sql: `TRY_CAST(${icewsExtra('Story ID')} AS BIGINT)` },
  { name: 'Sentence Number', type: 'BIGINT', sql: `TRY_CAST(${icewsExtra('Sentence Number')} AS BIGINT)` },
  { name: 'Publisher', type: 'VARCHAR', sql: icewsExtra('Publisher') },
  { name: 'City', type: 'VARCHAR', sql: icewsExtra('City') },
  { name: 'District', type: 'VARCHAR', sql: icewsExtra('District') },
  { name: 'Province', type: 'VARCHAR', sql: icewsExtra('Province') },
  { name: 'Country', type: 'VARCHAR', sql: icewsExtra('Country') },
  { name: 'Latitude', type: 'DOUBLE', sql: `TRY_CAST(${icewsExtra('Latitude')} AS DOUBLE)` },
  { name: 'Longitude', type: 'DOUBLE', sql: `TRY_CAST(${icewsExtra('Longitude')} AS DOUBLE)` },
];

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The statements that (re)create the three views over `event_rows`. */
export const VIEWS_SQL: readonly string[] = [
  `CREATE OR REPLACE VIEW events AS SELECT
  ${COMMON_COLUMNS.map((n) => (COMMON_SQL[n] === n ? n : `${COMMON_SQL[n]} AS ${n}`)).join(',\n  ')},
  fold_key, file_id,
  ${ADDED_COMMON_COLUMNS.map((n) => (COMMON_SQL[n] === n ? n : `${COMMON_SQL[n]} AS ${n}`)).join(',\n  ')}
FROM event_rows;`,
  `CREATE OR REPLACE VIEW gdelt_events AS SELECT
  ${GDELT_COLUMNS.map((c) => `${c.sql} AS ${quoted(c.name)}`).join(',\n  ')},
  source
FROM event_rows WHERE source IN ('gdelt1', 'gdelt2');`,
  `CREATE OR REPLACE VIEW icews_events AS SELECT
  ${ICEWS_COLUMNS.map((c) => `${c.sql} AS ${quoted(c.name)}`).join(',\n  ')}
FROM event_rows WHERE source = 'icews';`,
];

/** The names of the views, for checking that a store has them all. */
export const VIEW_NAMES = ['events', 'gdelt_events', 'icews_events'] as const;
