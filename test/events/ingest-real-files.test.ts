/**
 * Every real GDELT and ICEWS sample ingests with the row counts of SOURCES.md and no
 * rejects, and `events`/`dailyAggregates` answers equal counts computed here directly from
 * the files (plain string splitting, independent of the readers).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ingest, openStore, SHARED, tempDir } from './support.ts';

const GDELT = {
  v1: join(SHARED, 'gdelt', 'spark-gdelt_events_v1_mixed_57_58col.tsv'),
  export: join(SHARED, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv'),
  translingual: join(SHARED, 'gdelt', 'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv'),
};
const ICEWS = join(SHARED, 'icews', 'icews_events.2018.sample.tab');
const EXPECTED_ROWS: Record<string, number> = { [GDELT.v1]: 100, [GDELT.export]: 100, [GDELT.translingual]: 100, [ICEWS]: 3705 };

function gdeltRows(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/** Independent count: rows whose Actor1Code/Actor2Code start with `code`, in either role. */
function countInvolving(rows: string[][], code: string): number {
  return rows.filter((r) => (r[5] ?? '').startsWith(code) || (r[15] ?? '').startsWith(code)).length;
}

describe('real event files', () => {
  for (const [path, rows] of Object.entries(EXPECTED_ROWS)) {
    it(`ingests ${path.split('/').pop()} with ${rows} rows and zero rejects`, async () => {
      const dir = tempDir('real');
      const r = await ingest(dir, [path], false);
      assert.equal(r.kind, 'done');
      assert.equal(r.summary.rows, rows);
      assert.equal(r.summary.accepted, rows);
      assert.equal(r.summary.rejected, 0);
      assert.equal(r.summary.inserted, rows);
      assert.equal(r.summary.rejectsFile, null);
    });
  }

  it('detects 57- and 58-column GDELT 1.0 rows in one file', async () => {
    const rows = gdeltRows(GDELT.v1);
    assert.deepEqual([...new Set(rows.map((r) => r.length))].sort(), [57, 58]);
    const r = await ingest(tempDir('v1'), [GDELT.v1], false);
    assert.equal(r.kind === 'done' && r.summary.fileReports[0]?.formats.join(), 'gdelt1');
  });

  it('answers counts equal to an independent count from the files', async () => {
    const dir = tempDir('counts');
    const files = [GDELT.v1, GDELT.export, GDELT.translingual, ICEWS];
    const r = await ingest(dir, files, false);
    assert.equal(r.kind, 'done');
    const store = await openStore(dir);
    try {
      const all = await store.periodAggregates({}, 'year');
      assert.equal(
        all.reduce((a, p) => a + p.count, 0),
        3705 + 300,
        'no filter: counts add up to the store total',
      );
      const daily = await store.dailyAggregates({});
      assert.equal(
        daily.reduce((a, d) => a + d.count, 0),
        4005,
      );
      const gdelt = [GDELT.v1, GDELT.export, GDELT.translingual].flatMap(gdeltRows);
      for (const code of ['USA', 'PAK', 'IND', 'CHN', 'GOV']) {
        const stored = await store.periodAggregates({ actor1: [code], either: true, to: '2017-12-31' }, 'year');
        const expected = countInvolving(
          gdelt.filter((row) => (row[1] as string) <= '20171231'),
          code,
        );
        const got = stored.reduce((a, p) => a + p.count, 0);
        const icewsOnly = 0; // ICEWS events are all in 2018, outside --to 2017-12-31
        assert.equal(got, expected + icewsOnly, `actor ${code}`);
      }
      // SOURCES.md: 740 ICEWS rows have the United States as source or target, 20 Pakistan.
      const icewsUsa = await store.periodAggregates(
        { actor1: ['USA'], either: true, from: '2018-01-01', to: '2018-12-31' },
        'day',
      );
      assert.equal(
        icewsUsa.reduce((a, p) => a + p.count, 0),
        740,
      );
      const icewsPak = await store.periodAggregates(
        { actor1: ['PAK'], either: true, from: '2018-01-01', to: '2018-12-31' },
        'day',
      );
      assert.equal(
        icewsPak.reduce((a, p) => a + p.count, 0),
        20,
      );
      // Root codes and quad classes, against the files.
      const exportRows = gdeltRows(GDELT.export);
      const q4 = exportRows.filter(
        (row) => row[29] === '4' && (row[1] as string) >= '20150101' && (row[1] as string) <= '20201231',
      );
      const sinceQ4 = await store.periodAggregates({ quadClasses: [4], from: '2015-01-01', to: '2017-12-31' }, 'year');
      const expectedQ4 = [GDELT.v1, GDELT.export, GDELT.translingual]
        .flatMap(gdeltRows)
        .filter((row) => row[29] === '4' && (row[1] as string) >= '20150101' && (row[1] as string) <= '20171231').length;
      assert.equal(
        sinceQ4.reduce((a, p) => a + p.count, 0),
        expectedQ4,
      );
      assert.ok(q4.length > 0);
      const root04 = await store.periodAggregates({ rootCodes: ['04'], to: '2017-12-31' }, 'year');
      assert.equal(
        root04.reduce((a, p) => a + p.count, 0),
        gdelt.filter((row) => row[28] === '04' && (row[1] as string) <= '20171231').length,
      );
      // As-of: knownAt is DATEADDED's day, not SQLDATE.
      const known = new Set(daily.map((d) => d.knownAt));
      assert.ok(known.has('2015-02-18') && known.has('2020-03-18'));
      assert.ok(daily.some((d) => d.date < d.knownAt));
    } finally {
      await store.close();
    }
  });

  it('folds re-emitted GDELT events by the documented rule and reports how many', async () => {
    const rows = gdeltRows(GDELT.export);
    const keys = new Set<string>();
    let folded = 0;
    for (const r of rows) {
      if ((r[60] ?? '') === '') continue;
      const k = [r[1], r[5], r[15], r[26], r[60]].join('|');
      if (keys.has(k)) folded++;
      else keys.add(k);
    }
    const res = await ingest(tempDir('fold'), [GDELT.export], true);
    assert.equal(res.kind, 'done');
    assert.equal(res.summary.folded, folded);
    assert.equal(res.summary.inserted, 100 - folded);
  });
});
