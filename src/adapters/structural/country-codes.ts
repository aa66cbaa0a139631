/**
 * Country names and Correlates of War (COW) numeric codes mapped to ISO 3166-1 alpha-3 codes
 * (`PAK`, `TLS`), for tables that name countries in words (SIPRI, the State Department's
 * voting tables) or by COW code (Voeten's UN roll calls).
 *
 * Read, on first use, from two tables shipped in data/cameo (see data/cameo/SOURCES.md):
 * - GeoNames countryInfo (`spark-gdelt_countryInfo.txt`, CC BY 4.0): each current country's
 *   alpha-3 code and English name.
 * - text_to_CAMEO countrynames (`text_to_CAMEO_countrynames.txt`, MIT): name, CAMEO country
 *   code, COW code. CAMEO codes are alpha-3 for most states but not all — `ANT` is Antarctica
 *   there (ISO: ATA), `TMP` Timor-Leste (TLS), `USAASM` American Samoa (ASM) — so a CAMEO code
 *   is used only when GeoNames lists it as an alpha-3 code; otherwise the name is looked up in
 *   GeoNames, and failing that the name is left out.
 * Beside them, `OTHER_SPELLINGS`: names used by SIPRI and the State Department tables that
 * neither table has. Historical states without an alpha-3 code of their own (Yugoslavia, North
 * Yemen, South Vietnam) are deliberately absent: importers keep them under a `name:` code.
 * Keys are lower-case names with single spaces.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COUNTRY_INFO_FILE } from './iso2-codes.ts';

const PACKAGE_TABLES = fileURLToPath(new URL('../../../data/cameo/', import.meta.url));
export const CAMEO_COUNTRY_NAMES_FILE = 'text_to_CAMEO_countrynames.txt';

/** Spellings in SIPRI's and the State Department's tables that neither shipped table has, with their alpha-3 codes. */
export const OTHER_SPELLINGS: ReadonlyMap<string, string> = new Map([
  ['bolivia (plurinational state of)', 'BOL'],
  ['bosnia-herzegovina', 'BIH'],
  ['cabo verde', 'CPV'],
  ['congo (republic of the)', 'COG'],
  ['cote d’ivoire', 'CIV'],
  ['czechia (czech republic)', 'CZE'],
  ["democratic people's republic of korea", 'PRK'],
  ['democratic people’s republic of korea', 'PRK'],
  ['dprk', 'PRK'],
  ['dr congo', 'COD'],
  ['equatoria guinea', 'GNQ'],
  ['eswatini', 'SWZ'],
  ['faeroe islands', 'FRO'],
  ['gambia (republic of the)', 'GMB'],
  ['gaza', 'PSE'],
  ['irag', 'IRQ'],
  ['iran (islamic republic of)', 'IRN'],
  ["lao people's democratic republic", 'LAO'],
  ['lao people?s democratic republic', 'LAO'],
  ['lao people’s democratic republic', 'LAO'],
  ['micronesia (federated states of)', 'FSM'],
  ['north macedonia', 'MKD'],
  ['republic of korea', 'KOR'],
  ['republic of moldova', 'MDA'],
  ['saint vincent', 'VCT'],
  ['syrian arab republic', 'SYR'],
  ['timor leste', 'TLS'],
  ['timor-leste', 'TLS'],
  ['türkiye', 'TUR'],
  ['uae', 'ARE'],
  ['united kingdom of great britain and northern ireland', 'GBR'],
  ['united states of america', 'USA'],
  ['united states virgin islands', 'VIR'],
  ['venezuela, bolivarian republic of', 'VEN'],
  ['viet nam', 'VNM'],
  ['wallis and futuna islands', 'WLF'],
]);

/** COW codes the CAMEO table gives a code that is not alpha-3 and a name GeoNames spells otherwise. */
const OTHER_COW: ReadonlyMap<number, string> = new Map([[860, 'TLS']]);

export interface CountryCodes {
  readonly byName: ReadonlyMap<string, string>;
  readonly byCow: ReadonlyMap<number, string>;
}

function normalName(name: string): string {
  return name.trim().replace(/\*+$/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Builds the maps from the two tables' text (see the module header for the rules). */
export function parseCountryCodes(countryInfo: string, cameoCountryNames: string): CountryCodes {
  const geoByName = new Map<string, string>();
  const alpha3 = new Set<string>();
  for (const line of countryInfo.split(/\r\n|\r|\n/)) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const f = line.split('\t');
    const iso3 = f[1];
    const name = f[4];
    if (iso3 === undefined || name === undefined || !/^[A-Z]{3}$/.test(iso3)) continue;
    alpha3.add(iso3);
    geoByName.set(normalName(name), iso3);
  }
  const byName = new Map(geoByName);
  const byCow = new Map<number, string>();
  for (const line of cameoCountryNames.split(/\r\n|\r|\n/)) {
    const [name, cameo, cow] = line.split('\t');
    if (name === undefined || cameo === undefined || cameo === '---') continue;
    const key = normalName(name);
    const iso3 = alpha3.has(cameo) ? cameo : geoByName.get(key);
    if (iso3 === undefined) continue;
    if (!byName.has(key)) byName.set(key, iso3);
    const code = Number(cow);
    if (Number.isInteger(code) && code > 0 && !byCow.has(code)) byCow.set(code, iso3);
  }
  for (const [name, iso3] of OTHER_SPELLINGS) if (!byName.has(name)) byName.set(name, iso3);
  for (const [code, iso3] of OTHER_COW) if (!byCow.has(code)) byCow.set(code, iso3);
  return { byName, byCow };
}

let loaded: CountryCodes | undefined;

/** The maps from the package's tables, read once. */
export function countryCodes(tablesDir: string = PACKAGE_TABLES): CountryCodes {
  if (tablesDir !== PACKAGE_TABLES) {
    return parseCountryCodes(
      readFileSync(join(tablesDir, COUNTRY_INFO_FILE), 'utf8'),
      readFileSync(join(tablesDir, CAMEO_COUNTRY_NAMES_FILE), 'utf8'),
    );
  }
  loaded ??= parseCountryCodes(
    readFileSync(join(PACKAGE_TABLES, COUNTRY_INFO_FILE), 'utf8'),
    readFileSync(join(PACKAGE_TABLES, CAMEO_COUNTRY_NAMES_FILE), 'utf8'),
  );
  return loaded;
}

/** Looks up a country name (case and spacing ignored, footnote marks stripped); undefined when unknown. */
export function lookupIso3ByName(name: string): string | undefined {
  return countryCodes().byName.get(normalName(name));
}

/** Looks up a COW numeric code; undefined when unknown. */
export function lookupIso3ByCow(code: number): string | undefined {
  return countryCodes().byCow.get(code);
}
