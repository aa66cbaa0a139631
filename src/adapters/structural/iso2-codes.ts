/**
 * ISO 3166-1 alpha-2 country codes (`US`, `PK`) mapped to the alpha-3 codes the series
 * store uses (`USA`, `PAK`), for roll-call data that names countries by alpha-2 (the
 * `unvotes` R package).
 *
 * Source: GeoNames countryInfo (CC BY 4.0), shipped as `data/cameo/spark-gdelt_countryInfo.txt`
 * (see data/cameo/SOURCES.md): tab-separated, `#` comment lines, columns ISO, ISO3, ….
 * Beside it, the codes of states that no longer exist, from ISO 3166-3 ("formerly used
 * codes"), which roll-call data keeps for their votes: CS Czechoslovakia (CSK), DD German
 * Democratic Republic (DDR), YD Democratic Yemen (YMD), YU Yugoslavia (YUG), SU USSR (SUN),
 * ZR Zaire (ZAR), VD North Vietnam (VDR). They take precedence: GeoNames gives CS to Serbia
 * and Montenegro (CS was reassigned to it from 2003 to 2006), while in UN voting data CS is
 * Czechoslovakia (a member until 1992).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const COUNTRY_INFO_FILE = 'spark-gdelt_countryInfo.txt';

/** ISO 3166-3 formerly used alpha-2 codes → their alpha-3 codes. */
export const FORMER_ISO2: ReadonlyMap<string, string> = new Map([
  ['CS', 'CSK'],
  ['DD', 'DDR'],
  ['YD', 'YMD'],
  ['YU', 'YUG'],
  ['SU', 'SUN'],
  ['ZR', 'ZAR'],
  ['VD', 'VDR'],
]);

/** Parses GeoNames countryInfo text: alpha-2 → alpha-3, then the formerly used codes over it. */
export function parseCountryInfo(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [iso2, iso3] = line.split('\t');
    if (iso2 !== undefined && iso3 !== undefined && /^[A-Z]{2}$/.test(iso2) && /^[A-Z]{3}$/.test(iso3)) map.set(iso2, iso3);
  }
  for (const [iso2, iso3] of FORMER_ISO2) map.set(iso2, iso3);
  return map;
}

/** Reads the alpha-2 → alpha-3 map from the shipped table in `tablesDir` (the package's data/cameo). */
export function loadIso2ToIso3(tablesDir: string): ReadonlyMap<string, string> {
  return parseCountryInfo(readFileSync(join(tablesDir, COUNTRY_INFO_FILE), 'utf8'));
}
