/**
 * Event indicators weighted by articles, sources and Goldstein scores, end to end through the
 * CLI: `proviso ingest` loads the real GDELT 2.0 samples into a temporary store, `proviso
 * assess --format json` assesses a case written here, and each indicator's value equals the
 * sum of NumArticles, NumSources or GoldsteinScale over the matching rows, computed here by
 * splitting the raw files by the codebook's column positions (never from the readers, the
 * store or the assessment).
 *
 * The files hold two batches each (added 2015-02-18 and 2020-03-18), so the store holds data
 * for those two days only. An indicator over all time is then never complete: the assessment
 * gives no `value` but `atLeast`, the sum of what is known by the as-of date, which is where
 * the as-of rule shows (rows added after the date do not count). An indicator over a one-day
 * window ending on a day the store holds is complete, and gives its `value`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTempDir, REPO_ROOT, runCli } from './support/cli-harness.ts';
import { SHARED_DATA } from './support/shared-data.ts';

const FILES = [
  join(SHARED_DATA, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv'),
  join(SHARED_DATA, 'gdelt', 'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv'),
];

/** GDELT 2.0's 0-based column positions (codebook order). */
const COL = {
  sqlDate: 1,
  actor1: 5,
  actor2: 15,
  root: 28,
  quad: 29,
  goldstein: 30,
  sources: 32,
  articles: 33,
  dateAdded: 59,
} as const;

interface Row {
  readonly eventDay: string;
  readonly addedDay: string;
  readonly actor1: string;
  readonly actor2: string;
  readonly root: string;
  readonly quad: string;
  readonly goldstein: number;
  readonly sources: number;
  readonly articles: number;
}

const iso = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;

function readRows(paths: readonly string[]): Row[] {
  const rows: Row[] = [];
  for (const path of paths) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line === '') continue;
      const c = line.split('\t');
      assert.equal(c.length, 61, `${path}: a GDELT 2.0 row has 61 columns`);
      const cell = (i: number) => c[i] as string;
      rows.push({
        eventDay: iso(cell(COL.sqlDate)),
        addedDay: iso(cell(COL.dateAdded)),
        actor1: cell(COL.actor1),
        actor2: cell(COL.actor2),
        root: cell(COL.root),
        quad: cell(COL.quad),
        goldstein: Number(cell(COL.goldstein) || '0'),
        sources: Number(cell(COL.sources)),
        articles: Number(cell(COL.articles)),
      });
    }
  }
  return rows;
}

type Weight = 'articles' | 'sources' | 'goldstein';

interface IndicatorSpec {
  readonly id: string;
  readonly measure: 'articles' | 'sources' | 'goldstein-sum';
  readonly weight: Weight;
  /** The `events:` filter as YAML flow text. */
  readonly events: string;
  /** The same selection as a test on a raw row. */
  readonly keep: (r: Row) => boolean;
  /** A one-day trailing window, or all time. */
  readonly window?: 'P1D';
}

const usaEither = (r: Row) => r.actor1.startsWith('USA') || r.actor2.startsWith('USA');
const cooperation = (r: Row) => r.quad === '1' || r.quad === '2';
const roots0104 = (r: Row) => r.root === '01' || r.root === '04';

const INDICATORS: readonly IndicatorSpec[] = [
  { id: 'usa_articles', measure: 'articles', weight: 'articles', events: '{actor1: [USA], either: true}', keep: usaEither },
  { id: 'coop_sources', measure: 'sources', weight: 'sources', events: '{quad: [1, 2]}', keep: cooperation },
  {
    id: 'talk_goldstein',
    measure: 'goldstein-sum',
    weight: 'goldstein',
    events: '{root: ["01", "04"]}',
    keep: roots0104,
  },
  {
    id: 'usa_articles_day',
    measure: 'articles',
    weight: 'articles',
    events: '{actor1: [USA], either: true}',
    keep: usaEither,
    window: 'P1D',
  },
  {
    id: 'coop_sources_day',
    measure: 'sources',
    weight: 'sources',
    events: '{quad: [1, 2]}',
    keep: cooperation,
    window: 'P1D',
  },
  {
    id: 'talk_goldstein_day',
    measure: 'goldstein-sum',
    weight: 'goldstein',
    events: '{root: ["01", "04"]}',
    keep: roots0104,
    window: 'P1D',
  },
];

function writeCase(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'case.yaml'),
    [
      'case:',
      '  id: weighted-events',
      '  title: Event indicators weighted by articles, sources and Goldstein scores',
      '  principal: united-states',
      '  counterpart: pakistan',
      'actors:',
      '  - {id: united-states, name: United States, kind: state, cameo: [USA]}',
      '  - {id: pakistan, name: Pakistan, kind: state, cameo: [PAK]}',
      '',
    ].join('\n'),
  );
  const indicators = INDICATORS.flatMap((i) => [
    `  - id: ${i.id}`,
    `    title: ${i.id}`,
    '    kind: series',
    `    source: {events: ${i.events}, measure: ${i.measure}}`,
    '    aggregate: sum',
    ...(i.window === undefined ? [] : [`    window: ${i.window}`]),
    '    dataset: {publisher: GDELT Project, title: GDELT 2.0 event exports, date: "2020"}',
    '    reliability: C',
    '    credibility: 3',
  ]);
  // One benchmark per indicator, so that each indicator's value is reported with it.
  const benchmarks = INDICATORS.flatMap((i) => [
    `  - id: ${i.id.replaceAll('_', '-')}`,
    `    title: ${i.id} is reported`,
    `    condition: ${i.id} > -1000000.0`,
  ]);
  writeFileSync(join(dir, 'measures.yaml'), ['indicators:', ...indicators, 'benchmarks:', ...benchmarks, ''].join('\n'));
}

interface AssessedIndicator {
  readonly id: string;
  readonly value: number | boolean | null;
  readonly atLeast?: number;
}

async function assessIndicators(caseDir: string, store: string, asOf: string): Promise<Map<string, AssessedIndicator>> {
  const r = await runCli(['assess', caseDir, '--store', store, '--as-of', asOf, '--format', 'json'], REPO_ROOT);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { benchmarks: { indicators: AssessedIndicator[] }[] };
  const byId = new Map<string, AssessedIndicator>();
  for (const b of out.benchmarks) for (const i of b.indicators) byId.set(i.id, i);
  assert.deepEqual([...byId.keys()].sort(), INDICATORS.map((i) => i.id).sort());
  return byId;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** The expected sum: matching rows added by `asOf` (and, for a one-day window, dated `asOf`). */
function expectedSum(rows: readonly Row[], spec: IndicatorSpec, asOf: string): { sum: number; n: number } {
  let sum = 0;
  let n = 0;
  for (const r of rows) {
    if (!spec.keep(r) || r.addedDay > asOf) continue;
    if (spec.window === 'P1D' && r.eventDay !== asOf) continue;
    sum += r[spec.weight];
    n++;
  }
  return { sum: round(sum), n };
}

describe('proviso assess: event indicators weighted by articles, sources and Goldstein scores', () => {
  const { dir, cleanup } = makeTempDir('proviso-weighted-events-');
  const store = join(dir, 'store');
  const caseDir = join(dir, 'case');
  const rows = readRows(FILES);

  before(async () => {
    writeCase(caseDir);
    const r = await runCli(['ingest', '--store', store, '--keep-reemitted', '--format', 'json', ...FILES], REPO_ROOT);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { accepted: number; inserted: number; rejected: number };
    assert.equal(summary.rejected, 0);
    assert.equal(summary.inserted, rows.length, 'every row of the files is an event of the store');
  });
  after(cleanup);

  it('reads the two batches of each file (the as-of dates below fall between and on them)', () => {
    assert.equal(rows.length, 200);
    assert.deepEqual([...new Set(rows.map((r) => r.addedDay))].sort(), ['2015-02-18', '2020-03-18']);
  });

  // Before the first batch, on it, between the batches, on the second one, and after it.
  for (const asOf of ['2015-02-17', '2015-02-18', '2020-03-17', '2020-03-18', '2021-01-01']) {
    it(`as of ${asOf}: each indicator is the sum over the matching rows added by then`, async () => {
      const got = await assessIndicators(caseDir, store, asOf);
      const storeDays = new Set(rows.map((r) => r.addedDay));
      for (const spec of INDICATORS) {
        const a = got.get(spec.id) as AssessedIndicator;
        const e = expectedSum(rows, spec, asOf);
        if (spec.window === 'P1D' && storeDays.has(asOf)) {
          // A one-day window on a day the store holds: complete, a value.
          assert.ok(e.n > 0, `${spec.id}: the test selects rows on ${asOf}`);
          assert.equal(typeof a.value, 'number', `${spec.id} as of ${asOf}: ${JSON.stringify(a)}`);
          assert.equal(round(a.value as number), e.sum, `${spec.id} as of ${asOf}`);
        } else {
          // All time, or a day the store holds nothing for: incomplete, the known sum as a lower bound.
          assert.equal(a.value, null, `${spec.id} as of ${asOf}: ${JSON.stringify(a)}`);
          assert.equal(round(a.atLeast ?? 0), e.sum, `${spec.id} as of ${asOf}: ${JSON.stringify(a)}`);
        }
      }
    });
  }

  it('counts the second batch only from the day it was added', async () => {
    // The selection is not empty in either batch, and the weights are not row counts.
    for (const spec of INDICATORS.filter((i) => i.window === undefined)) {
      const first = expectedSum(rows, spec, '2020-03-17');
      const both = expectedSum(rows, spec, '2020-03-18');
      assert.ok(first.n > 0 && both.n > first.n, `${spec.id}: rows in both batches`);
      assert.notEqual(first.sum, both.sum, `${spec.id}: the second batch changes the sum`);
      if (spec.weight !== 'goldstein') assert.ok(both.sum > both.n, `${spec.id}: weights, not counts`);
    }
    const before2020 = await assessIndicators(caseDir, store, '2020-03-17');
    const on2020 = await assessIndicators(caseDir, store, '2020-03-18');
    for (const spec of INDICATORS.filter((i) => i.window === undefined)) {
      assert.notEqual(before2020.get(spec.id)?.atLeast, on2020.get(spec.id)?.atLeast, spec.id);
    }
  });
});
