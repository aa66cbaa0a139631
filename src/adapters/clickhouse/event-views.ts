/**
 * The researchers' views of a ClickHouse event store: `gdelt_events` and `icews_events`, the
 * DuckDB store's views (`../duckdb/event-views.ts`, docs/event-views.md) under the same
 * names, with the same columns in the same order, so that a query written for one store runs
 * on the other where ClickHouse's SQL allows.
 *
 * Invariants:
 * - The columns are the DuckDB views' (their names and order are taken from
 *   `GDELT_COLUMNS` and `ICEWS_COLUMNS`; a name without a ClickHouse expression here stops
 *   the module from loading), `gdelt_events` then `source`.
 * - Each value is the DuckDB view's: absent (the store's empty text, an empty packed value)
 *   is NULL; a geography stored as a repeat (`=1`, `=2`) is the one it repeats; MonthYear,
 *   Year, DATEADDED and (unless the file gave its own) FractionDate are derived as DuckDB
 *   derives them.
 * - Types, as ClickHouse 18.16 has them: the codebook's INTEGER is `Int64`, FLOAT `Float64`,
 *   STRING `String`, ICEWS's date `Date`; `Nullable(…)` where a value can be absent, the bare
 *   type where it never is (event ids, days, DATEADDED, `source`).
 * - Only events are shown: rows of files with a record in `ingested_files` (the store's
 *   reads' rule; rows of an unfinished load are not events).
 * - Pure: statements only; the event store runs them.
 */
import { GDELT_COLUMNS, ICEWS_COLUMNS } from '../duckdb/event-views.ts';
import { GDELT_EXTRA_VALUES, ICEWS_EXTRA_VALUES, PACKED_VALUES } from '../event-formats/staged-events.ts';

const SEP = "'\\x1F'";

/** A value of `packed` as text, NULL when empty. */
const packed = (name: (typeof PACKED_VALUES)[number]) =>
  `nullIf(splitByChar(${SEP}, packed)[${PACKED_VALUES.indexOf(name) + 1}], '')`;
/** A value of `extra` as stored ('' when empty or never stored). */
const extraRaw = (index: number) => `splitByChar(${SEP}, extra)[${index + 1}]`;
const gdeltRaw = (name: (typeof GDELT_EXTRA_VALUES)[number]) => extraRaw(GDELT_EXTRA_VALUES.indexOf(name));
const icewsRaw = (name: (typeof ICEWS_EXTRA_VALUES)[number]) => extraRaw(ICEWS_EXTRA_VALUES.indexOf(name));
/** A stored text column, NULL when empty (the store keeps absent text as ''). */
const text = (column: string) => `nullIf(${column}, '')`;

type Geo = 'Actor1Geo' | 'Actor2Geo' | 'ActionGeo';
type GeoField = 'Type' | 'FullName' | 'CountryCode' | 'ADM1Code' | 'ADM2Code' | 'Lat' | 'Long' | 'FeatureID';

/**
 * A geography's field as stored text ('' when absent): its own value, or that of the
 * geography it repeats (Actor2Geo or ActionGeo staged as `=1`: as Actor1Geo; ActionGeo as
 * `=2`: as Actor2Geo). ActionGeo's country code is always `action_country_fips`.
 */
function geoRaw(g: Geo, field: GeoField): string {
  if (g === 'ActionGeo' && field === 'CountryCode')
    return `splitByChar(${SEP}, packed)[${PACKED_VALUES.indexOf('action_country_fips') + 1}]`;
  const own = gdeltRaw(`${g}_${field}` as (typeof GDELT_EXTRA_VALUES)[number]);
  if (g === 'Actor1Geo') return own;
  if (g === 'Actor2Geo') return `if(${gdeltRaw('Actor2Geo_Type')} = '=1', ${geoRaw('Actor1Geo', field)}, ${own})`;
  return `multiIf(${gdeltRaw('ActionGeo_Type')} = '=1', ${geoRaw('Actor1Geo', field)}, ${gdeltRaw('ActionGeo_Type')} = '=2', ${geoRaw('Actor2Geo', field)}, ${own})`;
}

/** Text held as a number's digits (the readers checked them), as the number; NULL when empty. */
const int = (raw: string) => `toInt64OrNull(${raw})`;
const real = (raw: string) => `toFloat64OrNull(${raw})`;

/**
 * FractionDate: the file's own when it did not restate the event day, NULL when the file
 * left it empty (`-`), else derived from the event day as GDELT derives it (Year +
 * ((Month − 1) × 30 + Day) / 365, to four places).
 */
const FRACTION_DATE = `if(${gdeltRaw('FractionDate')} = '-', NULL, ifNull(${real(gdeltRaw('FractionDate'))},
    round(toYear(event_date) + ((toMonth(event_date) - 1) * 30 + toDayOfMonth(event_date)) / 365, 4)))`;

const GDELT_SQL: Readonly<Record<string, string>> = (() => {
  const m: Record<string, string> = {
    GLOBALEVENTID: 'toInt64(event_id)',
    SQLDATE: 'toInt64(toYYYYMMDD(event_date))',
    MonthYear: 'toInt64(toYYYYMM(event_date))',
    Year: 'toInt64(toYear(event_date))',
    FractionDate: FRACTION_DATE,
    IsRootEvent: 'toInt64(is_root)',
    EventCode: text('event_code'),
    EventBaseCode: packed('event_base'),
    EventRootCode: text('event_root'),
    QuadClass: 'toInt64(quad_class)',
    GoldsteinScale: 'goldstein',
    NumMentions: 'num_mentions',
    NumSources: 'num_sources',
    NumArticles: 'num_articles',
    AvgTone: 'avg_tone',
    DATEADDED: `if(isNull(added_at), toInt64(toYYYYMMDD(known_at)), toInt64(toYYYYMMDDhhmmss(assumeNotNull(added_at))))`,
    SOURCEURL: text('source_url'),
  };
  for (const k of [1, 2] as const) {
    m[`Actor${k}Code`] = text(`actor${k}_code`);
    m[`Actor${k}Name`] = packed(`actor${k}_name`);
    m[`Actor${k}CountryCode`] = packed(`actor${k}_country`);
    m[`Actor${k}KnownGroupCode`] = packed(`actor${k}_group`);
    m[`Actor${k}Type1Code`] = packed(`actor${k}_type`);
    for (const f of ['EthnicCode', 'Religion1Code', 'Religion2Code', 'Type2Code', 'Type3Code'] as const)
      m[`Actor${k}${f}`] = `nullIf(${gdeltRaw(`Actor${k}${f}`)}, '')`;
  }
  for (const g of ['Actor1Geo', 'Actor2Geo', 'ActionGeo'] as const)
    for (const f of ['Type', 'FullName', 'CountryCode', 'ADM1Code', 'ADM2Code', 'Lat', 'Long', 'FeatureID'] as const) {
      const raw = geoRaw(g, f);
      m[`${g}_${f}`] = f === 'Type' ? int(raw) : f === 'Lat' || f === 'Long' ? real(raw) : `nullIf(${raw}, '')`;
    }
  return m;
})();

const ICEWS_SQL: Readonly<Record<string, string>> = {
  'Event ID': 'toInt64(event_id)',
  'Event Date': 'event_date',
  'Source Name': packed('actor1_name'),
  'Source Sectors': `nullIf(${icewsRaw('Source Sectors')}, '')`,
  'Source Country': `nullIf(${icewsRaw('Source Country')}, '')`,
  'Event Text': `nullIf(${icewsRaw('Event Text')}, '')`,
  'CAMEO Code': text('event_code'),
  Intensity: 'goldstein',
  'Target Name': packed('actor2_name'),
  'Target Sectors': `nullIf(${icewsRaw('Target Sectors')}, '')`,
  'Target Country': `nullIf(${icewsRaw('Target Country')}, '')`,
  'Story ID': int(icewsRaw('Story ID')),
  'Sentence Number': int(icewsRaw('Sentence Number')),
  Publisher: `nullIf(${icewsRaw('Publisher')}, '')`,
  City: `nullIf(${icewsRaw('City')}, '')`,
  District: `nullIf(${icewsRaw('District')}, '')`,
  Province: `nullIf(${icewsRaw('Province')}, '')`,
  Country: `nullIf(${icewsRaw('Country')}, '')`,
  Latitude: real(icewsRaw('Latitude')),
  Longitude: real(icewsRaw('Longitude')),
};

/** `expr AS \`Name\`` for each of the DuckDB view's columns, in its order. */
function select(columns: readonly { readonly name: string }[], sql: Readonly<Record<string, string>>, view: string): string {
  return columns
    .map(({ name }) => {
      const e = sql[name];
      if (e === undefined) throw new Error(`${view}: no ClickHouse expression for the column "${name}"`);
      if (!/^[A-Za-z0-9_ ]+$/.test(name)) throw new Error(`${view}: column name "${name}" cannot be quoted here`);
      return `${e} AS \`${name}\``;
    })
    .join(',\n  ');
}

/** Rows of recorded files only (the store's rule). */
const COMMITTED = 'file_id GLOBAL IN (SELECT file_id FROM ingested_files)';

/** The views: name, and the SELECT that defines it over `event_rows`. */
export const CLICKHOUSE_VIEWS: readonly { readonly name: 'gdelt_events' | 'icews_events'; readonly select: string }[] = [
  {
    name: 'gdelt_events',
    select: `SELECT
  ${select(GDELT_COLUMNS, GDELT_SQL, 'gdelt_events')},
  toString(source) AS source
FROM event_rows WHERE source IN ('gdelt1', 'gdelt2') AND ${COMMITTED}`,
  },
  {
    name: 'icews_events',
    select: `SELECT
  ${select(ICEWS_COLUMNS, ICEWS_SQL, 'icews_events')}
FROM event_rows WHERE source = 'icews' AND ${COMMITTED}`,
  },
];
