/**
 * Event indicators weighted by articles, sources or Goldstein scores: the store's daily
 * aggregates on the real GDELT samples equal sums computed here from the files with a
 * plain split loop (GDELT columns by the codebook's positions), never from the readers or
 * the store. A day with an event that has no such weight (ICEWS; a GDELT row without the
 * count) has no sum, and an indicator reads it as unknown.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventSeriesPoints } from '../../src/core/series.ts';
import type { EventFilter } from '../../src/ports/event-store.ts';
import { ingest, openStore, SHARED, tempDir } from './support.ts';

const GDELT = join(SHARED, 'gdelt');
const FILES = {
  v1: join(GDELT, 'spark-gdelt_events_v1_mixed_57_58col.tsv'),
  export: join(GDELT, 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv'),
  translingual: join(GDELT, 'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv'),
};
const ICEWS = join(SHARED, 'icews', 'icews_events.2018.sample.tab');

/** The codebook's 0-based positions (the same in 1.0 and 2.0 up to AvgTone). */
const COL = { sqlDate: 1, actor1: 5, actor2: 15, root: 28, quad: 29, goldstein: 30, sources: 32, articles: 33 };

interface Expected {
  count: number;
  articles: number;
  sources: number;
  goldstein: number;
}

/** Sums by (event day, day added), keyed `YYYY-MM-DD YYYY-MM-DD`, over the rows `keep` selects. */
function expectedSums(paths: readonly string[], keep: (cells: string[]) => boolean): Map<string, Expected> {
  const out = new Map<string, Expected>();
  for (const path of paths) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line === '') continue;
      const cells = line.split('\t');
      if (!keep(cells)) continue;
      // DATEADDED: the 57th column in 1.0, the 60th in 2.0 (YYYYMMDD or YYYYMMDDHHMMSS).
      const added = (cells.length === 61 ? cells[59] : cells[56]) as string;
      const iso = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
      const key = `${iso(cells[COL.sqlDate] as string)} ${iso(added)}`;
      const e = out.get(key) ?? { count: 0, articles: 0, sources: 0, goldstein: 0 };
      e.count += 1;
      e.articles += Number(cells[COL.articles]);
      e.sources += Number(cells[COL.sources]);
      e.goldstein += Number(cells[COL.goldstein] || '0');
      out.set(key, e);
    }
  }
  return out;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Filters and the same selection written as a test on a row's cells. */
const FILTERS: readonly [string, EventFilter, (c: string[]) => boolean][] = [
  ['every event', {}, () => true],
  [
    'USA on either side',
    { actor1: ['USA'], either: true },
    (c) => (c[COL.actor1] as string).startsWith('USA') || (c[COL.actor2] as string).startsWith('USA'),
  ],
  ['cooperation (quad 1, 2)', { quadClasses: [1, 2] }, (c) => c[COL.quad] === '1' || c[COL.quad] === '2'],
  ['roots 04 and 19', { rootCodes: ['04', '19'] }, (c) => c[COL.root] === '04' || c[COL.root] === '19'],
];

describe('event indicators weighted by articles, sources or Goldstein scores', () => {
  const paths = [FILES.v1, FILES.export, FILES.translingual];

  for (const [what, filter, keep] of FILTERS) {
    it(`sums NumArticles, NumSources and GoldsteinScale per day as the files give them: ${what}`, async () => {
      const dir = tempDir('measures');
      // Re-emitted events kept, so that every row of the files is an event of the store.
      const r = await ingest(dir, paths, false);
      assert.equal(r.kind === 'done' && r.summary.inserted, 300);
      const expected = expectedSums(paths, keep);
      assert.ok(expected.size > 0);
      const store = await openStore(dir);
      try {
        const daily = await store.dailyAggregates(filter);
        assert.deepEqual(
          daily.map((d) => [`${d.date} ${d.knownAt}`, d.count, d.articlesSum, d.sourcesSum, round(d.goldsteinSum)]),
          [...expected.entries()]
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([k, e]) => [k, e.count, e.articles, e.sources, round(e.goldstein)]),
        );
        // The indicator's points under each measure: the same sums.
        const loaded = [{ from: '1970-01-01' as const, to: '2030-12-31' as const }];
        const total = (m: 'count' | 'articles' | 'sources' | 'goldstein-sum') =>
          round(eventSeriesPoints(m, daily, loaded).points.reduce((a, p) => a + p.value, 0));
        const sum = (f: (e: Expected) => number) => round([...expected.values()].reduce((a, e) => a + f(e), 0));
        assert.equal(
          total('count'),
          sum((e) => e.count),
        );
        assert.equal(
          total('articles'),
          sum((e) => e.articles),
        );
        assert.equal(
          total('sources'),
          sum((e) => e.sources),
        );
        assert.equal(
          total('goldstein-sum'),
          sum((e) => e.goldstein),
        );
        assert.ok(total('articles') > total('count'), 'the weights are not the counts');
      } finally {
        await store.close();
      }
    });
  }

  it('gives no article or source sum for a day with an event that has none (ICEWS; an empty count)', async () => {
    const dir = tempDir('measures-unknown');
    // A real 2.0 row whose NumArticles and NumSources are emptied, beside the unchanged file.
    const rows = readFileSync(FILES.export, 'utf8').split('\n');
    const cells = (rows[0] as string).split('\t');
    cells[0] = '999999999';
    cells[COL.sources] = '';
    cells[COL.articles] = '';
    const blank = join(dir, 'blank.export.CSV');
    writeFileSync(blank, `${cells.join('\t')}\n`);
    const r = await ingest(dir, [FILES.export, blank, ICEWS], false);
    assert.equal(r.kind === 'done' && r.summary.rejected, 0);
    const store = await openStore(dir);
    try {
      const daily = await store.dailyAggregates({});
      const iso = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
      const blankDay = `${iso(cells[COL.sqlDate] as string)} ${iso(cells[59] as string)}`;
      const icewsDays = new Set(
        readFileSync(ICEWS, 'utf8')
          .split('\n')
          .slice(1)
          .filter((l) => l !== '')
          .map((l) => l.split('\t')[1] as string),
      );
      let unknown = 0;
      let known = 0;
      for (const d of daily) {
        const isUnknown = `${d.date} ${d.knownAt}` === blankDay || icewsDays.has(d.date);
        if (isUnknown) {
          unknown++;
          assert.equal(d.articlesSum, null, `${d.date} ${d.knownAt}`);
          assert.equal(d.sourcesSum, null, `${d.date} ${d.knownAt}`);
        } else {
          known++;
          assert.equal(typeof d.articlesSum, 'number', `${d.date} ${d.knownAt}`);
        }
      }
      assert.equal(unknown, icewsDays.size + 1);
      assert.ok(known > 0);
      // An indicator weighted by articles: those days give no point and are not covered.
      const loaded = [{ from: '2015-01-01' as const, to: '2020-12-31' as const }];
      const { points, coverage } = eventSeriesPoints('articles', daily, loaded);
      assert.ok(points.every((p) => !icewsDays.has(p.date) && p.date !== blankDay.slice(0, 10)));
      for (const day of [...icewsDays, blankDay.slice(0, 10)]) {
        assert.ok(!coverage.some((c) => c.from <= day && day <= c.to), `${day} is not covered`);
      }
      // Counted, every day is known.
      assert.equal(eventSeriesPoints('count', daily, loaded).points.length, daily.length);
    } finally {
      await store.close();
    }
  });
});
