/**
 * Known groups: `SASREB`, the Phoenix dictionary code for Lashkar-e-Taiba and
 * Jaish-e-Mohammad (and other South Asian rebel groups), matches actors coded SASREB and
 * actors whose name is one of the group's names, in GDELT and ICEWS rows alike.
 *
 * The fixture is built from real rows, not found in them: no row of the GDELT or ICEWS
 * samples in ../shared/data names LeT, JeM or any SASREB group (searched for LASHKAR,
 * JAISH, TAIBA and REB actor codes). So real rows of the GDELT 2.0 export sample and of
 * the ICEWS 2018 sample keep their layout and every other field, and only their actor
 * code, name and country are changed, as noted per row below.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventsCommand } from '../../src/cli/event-commands.ts';
import { captureEffects, ingest, openStore, SHARED, tempDir } from './support.ts';

const GDELT_EXPORT = join(SHARED, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv');
const ICEWS = join(SHARED, 'icews', 'icews_events.2018.sample.tab');

/** GDELT 2.0 columns (0-based): Actor1Code, Actor1Name, Actor1CountryCode, Actor1Type1Code and the same for Actor2. */
const A1 = { code: 5, name: 6, country: 7, type: 12 } as const;
const A2 = { code: 15, name: 16, country: 17, type: 22 } as const;

function gdeltFixture(dir: string): string {
  const real = readFileSync(GDELT_EXPORT, 'utf8').split('\n').slice(0, 8);
  const rows = real.map((l) => l.split('\t'));
  const set = (row: number, actor: typeof A1 | typeof A2, code: string, name: string, country: string, type: string) => {
    const r = rows[row] as string[];
    r[actor.code] = code;
    r[actor.name] = name;
    r[actor.country] = country;
    r[actor.type] = type;
  };
  // 0: coded SASREB, named as the dictionary spells it (code and name both match).
  set(0, A1, 'SASREB', 'LASHKAR-E-TAIBA', '', 'REB');
  // 1: coded by country and type only; the name matches JAISH-E-MOHAMMAD_(JEM)_.
  set(1, A1, 'PAKREB', 'JAISH-E-MOHAMMAD', 'PAK', 'REB');
  // 2: the group as the target, under one of the dictionary's other spellings.
  set(2, A1, 'IND', 'INDIA', 'IND', '');
  set(2, A2, 'PAKREB', 'LASHKAR E TAYYIBA', 'PAK', 'REB');
  // 3: a rebel group of another Phoenix code (Taliban: AFGREB) — not SASREB.
  set(3, A1, 'AFGREB', 'TALIBAN', 'AFG', 'REB');
  // 4: "Lashkar" alone names no group; SAS (the South Asia region code) is not SASREB.
  set(4, A1, 'PAKREB', 'LASHKAR', 'PAK', 'REB');
  set(5, A1, 'SAS', 'SOUTH ASIA', 'SAS', '');
  const path = join(dir, 'known-groups.export.CSV');
  writeFileSync(path, `${rows.map((r) => r.join('\t')).join('\n')}\n`);
  return path;
}

function icewsFixture(dir: string): string {
  const lines = readFileSync(ICEWS, 'utf8').split('\n');
  const header = (lines[0] as string).split('\t');
  const col = (name: string) => header.indexOf(name);
  // A real row: "Militant (India)" fights "Military (India)" in Srinagar (event 32890170).
  const base = lines.find((l) => l.startsWith('32890170\t')) as string;
  const source = base.split('\t');
  source[col('Source Name')] = 'Lashkar-e-Taiba';
  source[col('Source Country')] = 'Pakistan';
  // Its mirror row (32890169), with the group as the target.
  const mirror = (lines.find((l) => l.startsWith('32890169\t')) as string).split('\t');
  mirror[col('Target Name')] = 'Jaish-e-Mohammad';
  mirror[col('Target Country')] = 'Pakistan';
  const path = join(dir, 'known-groups.tab');
  writeFileSync(path, `${[lines[0], source.join('\t'), mirror.join('\t')].join('\n')}\n`);
  return path;
}

describe('known group SASREB (LeT, JeM)', () => {
  it('matches GDELT and ICEWS actors by the group code or one of its names', async () => {
    const dir = tempDir('groups');
    const files = [gdeltFixture(dir), icewsFixture(dir)];
    const r = await ingest(dir, files, false);
    assert.equal(r.kind, 'done');
    assert.equal(r.kind === 'done' && r.summary.rejected, 0);
    const store = await openStore(dir);
    const count = async (filter: Parameters<typeof store.periodAggregates>[0]) =>
      (await store.periodAggregates(filter, 'year')).reduce((a, p) => a + p.count, 0);
    try {
      // GDELT rows 0 and 1, the ICEWS row 32890170.
      assert.equal(await count({ actor1: ['SASREB'] }), 3);
      // GDELT row 2, the ICEWS row 32890169.
      assert.equal(await count({ actor2: ['SASREB'] }), 2);
      assert.equal(await count({ actor1: ['SASREB'], either: true }), 5);
      // The group and India, either way: GDELT row 1 (its real Actor2 is IND, Mumbai), row 2
      // (India against the group), and both ICEWS rows (against the Indian military).
      assert.equal(await count({ actor1: ['SASREB'], actor2: ['IND'], either: true }), 4);
      // The group's own code matches by prefix like any actor code: only row 0 is coded SASREB.
      assert.equal(await count({ actor1: ['AFGREB'] }), 1, 'Taliban: AFGREB by code and name');
      assert.equal(await count({ actor1: ['SAS'] }), 2, 'SAS is a plain prefix: SAS and SASREB');
    } finally {
      await store.close();
    }
    // Through the command, which resolves group codes with the shipped Phoenix dictionary.
    const { effects, stdout } = captureEffects(dir);
    await eventsCommand({ store: dir, actor1: 'SASREB', either: true, by: 'year', format: 'json' }, effects);
    const rows = JSON.parse(stdout()) as { period: string; count: number }[];
    assert.deepEqual(
      rows.map((p) => [p.period, p.count]),
      [
        // The GDELT rows by their SQLDATE's year, read from the sample; the ICEWS rows are of 2018.
        ...expectedGdeltYears(),
        ['2018', 2],
      ].sort(),
    );
  });
});

/** Years (SQLDATE) of the three GDELT fixture rows that name the group, counted from the sample itself. */
function expectedGdeltYears(): [string, number][] {
  const years = new Map<string, number>();
  for (const line of readFileSync(GDELT_EXPORT, 'utf8').split('\n').slice(0, 3)) {
    const year = (line.split('\t')[1] as string).slice(0, 4);
    years.set(year, (years.get(year) ?? 0) + 1);
  }
  return [...years];
}
