/** Country names and COW codes map to ISO 3166-1 alpha-3 codes, read from the shipped tables, never to CAMEO-only codes. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { countryCodes, lookupIso3ByCow, lookupIso3ByName } from '../../src/adapters/structural/country-codes.ts';

const REPO = join(import.meta.dirname, '..', '..');

describe('country codes', () => {
  it('are alpha-3 codes GeoNames lists, every one', () => {
    const alpha3 = new Set(
      readFileSync(join(REPO, 'data', 'cameo', 'spark-gdelt_countryInfo.txt'), 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('#') && l.trim() !== '')
        .map((l) => l.split('\t')[1]),
    );
    const { byName, byCow } = countryCodes();
    assert.deepEqual(
      [...byName.values(), ...byCow.values()].filter((c) => !alpha3.has(c)),
      [],
    );
  });

  it('where CAMEO differs from ISO, follow ISO', () => {
    assert.equal(lookupIso3ByName('Antarctica'), 'ATA'); // CAMEO: ANT
    assert.equal(lookupIso3ByName('Timor-Leste'), 'TLS'); // CAMEO: TMP
    assert.equal(lookupIso3ByName('American Samoa'), 'ASM'); // CAMEO: USAASM
    assert.equal(lookupIso3ByCow(860), 'TLS');
  });

  it('read the names and codes the data uses', () => {
    assert.equal(lookupIso3ByName('Pakistan'), 'PAK');
    assert.equal(lookupIso3ByName('United States of America'), 'USA');
    assert.equal(lookupIso3ByName("  Democratic People's  Republic of Korea* "), 'PRK');
    assert.equal(lookupIso3ByCow(770), 'PAK');
    assert.equal(lookupIso3ByCow(2), 'USA');
    assert.equal(lookupIso3ByName('Yugoslavia'), undefined);
  });
});
