/**
 * The contract every event store passes (DuckDB, ClickHouse on one server, ClickHouse on two
 * shards): the promises of `src/ports/event-store.ts` and of the loads `ingestEventFiles`
 * drives, checked through the store's interface and the CLI only.
 *
 * `fresh(label)` gives a new, empty store for one test; `open()` opens it (again and again:
 * reopening is part of the contract); `cli` are the CLI options that name it. Expected
 * values are worked out here from the rows (plain string splitting), never taken from an
 * adapter.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DuckDbEventStore } from '../../src/adapters/duckdb/duckdb-event-store.ts';
import { type IngestResult, ingestEventFiles } from '../../src/adapters/duckdb/ingest-event-files.ts';
import { REPO, SHARED, syntheticGdelt2Row, TABLES, tempDir } from './support.ts';

export interface StoreUnderTest {
  open(): Promise<DuckDbEventStore>;
  /** CLI options naming this store (`--store DIR` or `--store DIR --events URL`). */
  readonly cli: readonly string[];
}

const CLI = join(REPO, 'test', 'events', 'run-event-cli.ts');
const GDELT = {
  v1: join(SHARED, 'gdelt', 'spark-gdelt_events_v1_mixed_57_58col.tsv'),
  export: join(SHARED, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv'),
  translingual: join(SHARED, 'gdelt', 'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv'),
};
const ICEWS = join(SHARED, 'icews', 'icews_events.2018.sample.tab');

const gdeltRows = (path: string): string[][] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));

async function ingestInto(
  s: StoreUnderTest,
  files: string[],
  opts: { fold?: boolean; foldWindowDays?: number; rejects?: string } = {},
): Promise<IngestResult> {
  const store = await s.open();
  try {
    return await ingestEventFiles(store, files, {
      format: 'auto',
      tables: TABLES,
      rejectsPath: opts.rejects ?? join(tempDir('rejects'), 'rejects.jsonl'),
      fold: opts.fold ?? true,
      ...(opts.foldWindowDays === undefined ? {} : { foldWindowDays: opts.foldWindowDays }),
    });
  } finally {
    await store.close();
  }
}

async function withStore<T>(s: StoreUnderTest, f: (store: DuckDbEventStore) => Promise<T>): Promise<T> {
  const store = await s.open();
  try {
    return await f(store);
  } finally {
    await store.close();
  }
}

const totals = ({ fileReports: _, rejectsFile: __, ...rest }: IngestResult['summary']) => rest;

/** Row `i` with another event id and, when given, another DATEADDED. */
function copyOf(i: number, id: number, dateAdded?: string): string {
  const c = syntheticGdelt2Row(i).split('\t');
  c[0] = String(id);
  if (dateAdded !== undefined) c[59] = dateAdded;
  return c.join('\t');
}
function addedAfter(i: number, days: number): string {
  const a = syntheticGdelt2Row(i).split('\t')[59] as string;
  const t = new Date(Date.UTC(Number(a.slice(0, 4)), Number(a.slice(4, 6)) - 1, Number(a.slice(6, 8)) + days));
  return `${t.toISOString().slice(0, 10).replaceAll('-', '')}${a.slice(8)}`;
}

/** What a store under test cannot be put through, each with the reason (stated where the contract is run). */
export interface ContractExclusions {
  /**
   * The checks that run the CLI in processes of their own (`cli`: kill -9 during ingest,
   * then a rerun; the totals through the CLI): not run when the store cannot be reached from
   * another process (chdb is an engine inside the test's process, not a server).
   */
  readonly withoutCli?: true;
}

export function runEventStoreContract(
  name: string,
  fresh: (label: string) => Promise<StoreUnderTest>,
  exclusions: ContractExclusions = {},
): void {
  const cliIt = exclusions.withoutCli === true ? () => undefined : it;
  describe(`EventStore contract: ${name}`, () => {
    it('ingests the real GDELT and ICEWS samples and answers counts computed from the files', async () => {
      const s = await fresh('real');
      const r = await ingestInto(s, [GDELT.v1, GDELT.export, GDELT.translingual, ICEWS], { fold: false });
      assert.equal(r.kind, 'done');
      assert.deepEqual([r.summary.rows, r.summary.accepted, r.summary.rejected, r.summary.inserted], [4005, 4005, 0, 4005]);
      await withStore(s, async (store) => {
        assert.equal(await store.count(), 4005);
        const daily = await store.dailyAggregates({});
        assert.equal(
          daily.reduce((a, d) => a + d.count, 0),
          4005,
          'an empty filter covers every event once',
        );
        const gdelt = [GDELT.v1, GDELT.export, GDELT.translingual].flatMap(gdeltRows);
        for (const code of ['USA', 'PAK', 'IND', 'CHN', 'GOV']) {
          const got = await store.periodAggregates({ actor1: [code], either: true, to: '2017-12-31' }, 'year');
          const expected = gdelt.filter(
            (row) => (row[1] as string) <= '20171231' && ((row[5] ?? '').startsWith(code) || (row[15] ?? '').startsWith(code)),
          ).length;
          assert.equal(
            got.reduce((a, p) => a + p.count, 0),
            expected,
            `actor ${code}`,
          );
        }
        // SOURCES.md: 740 ICEWS rows have the United States as source or target, 20 Pakistan.
        const usa = await store.periodAggregates({ actor1: ['USA'], either: true, from: '2018-01-01', to: '2018-12-31' }, 'day');
        assert.equal(
          usa.reduce((a, p) => a + p.count, 0),
          740,
        );
        const pak = await store.periodAggregates(
          { actor1: ['PAK'], either: true, from: '2018-01-01', to: '2018-12-31' },
          'month',
        );
        assert.equal(
          pak.reduce((a, p) => a + p.count, 0),
          20,
        );
        const q4 = await store.periodAggregates({ quadClasses: [4], from: '2015-01-01', to: '2017-12-31' }, 'year');
        assert.equal(
          q4.reduce((a, p) => a + p.count, 0),
          gdelt.filter((row) => row[29] === '4' && (row[1] as string) >= '20150101' && (row[1] as string) <= '20171231').length,
        );
        const root04 = await store.periodAggregates({ rootCodes: ['4'], to: '2017-12-31' }, 'year');
        assert.equal(
          root04.reduce((a, p) => a + p.count, 0),
          gdelt.filter((row) => row[28] === '04' && (row[1] as string) <= '20171231').length,
        );
        // As of: knownAt is DATEADDED's day, not SQLDATE.
        const known = new Set(daily.map((d) => d.knownAt));
        assert.ok(known.has('2015-02-18') && known.has('2020-03-18'));
        assert.ok(daily.some((d) => d.date < d.knownAt));
      });
    });

    it('sums, means and periods equal those computed from synthetic rows', async () => {
      const s = await fresh('sums');
      const data = tempDir('sums-data');
      const file = join(data, 'rows.export.CSV');
      const rows = Array.from({ length: 900 }, (_, i) => syntheticGdelt2Row(i));
      writeFileSync(file, `${rows.join('\n')}\n`);
      const r = await ingestInto(s, [file], { fold: false });
      assert.equal(r.summary.inserted, 900);
      const cells = rows.map((l) => l.split('\t'));
      const dyad = cells.filter((c) => {
        const a = c[5] as string;
        const b = c[15] as string;
        return (a.startsWith('USA') && b.startsWith('PAK')) || (a.startsWith('PAK') && b.startsWith('USA'));
      });
      await withStore(s, async (store) => {
        const months = await store.periodAggregates({ actor1: ['USA'], actor2: ['PAK'], either: true }, 'month');
        const byMonth = new Map<string, { n: number; g: number; t: number }>();
        for (const c of dyad) {
          const d = c[1] as string;
          const k = `${d.slice(0, 4)}-${d.slice(4, 6)}`;
          const m = byMonth.get(k) ?? { n: 0, g: 0, t: 0 };
          m.n++;
          m.g += Number(c[30]);
          m.t += Number(c[34]);
          byMonth.set(k, m);
        }
        assert.deepEqual(
          months.map((m) => m.period),
          [...byMonth.keys()].sort(),
        );
        for (const m of months) {
          const e = byMonth.get(m.period);
          assert.ok(e !== undefined);
          assert.equal(m.count, e.n);
          assert.ok(Math.abs(m.goldsteinSum - e.g) < 1e-9, `goldstein sum of ${m.period}`);
          assert.ok(Math.abs((m.goldsteinMean ?? Number.NaN) - e.g / e.n) < 1e-9);
          assert.ok(Math.abs((m.avgTone ?? Number.NaN) - e.t / e.n) < 1e-9);
        }
        const daily = await store.dailyAggregates({ actor1: ['USA'], actor2: ['PAK'], either: true });
        assert.equal(
          daily.reduce((a, d) => a + d.count, 0),
          dyad.length,
        );
        assert.equal(
          daily.reduce((a, d) => a + (d.articlesSum ?? Number.NaN), 0),
          dyad.reduce((a, c) => a + Number(c[33]), 0),
        );
        for (const d of daily) assert.equal(d.knownAt, d.date, 'synthetic rows are added on their event day');
        assert.deepEqual(await store.periodAggregates({ from: '2030-01-01' }, 'year'), []);
        assert.deepEqual(await store.periodAggregates({ actor1: ["O'BRIEN\\"] }, 'year'), [], 'hostile codes are values');
      });
    });

    it('folds re-emitted events across files within the window, and more with a wider one', async () => {
      const data = tempDir('fold-data');
      const first = join(data, 'first.export.CSV');
      writeFileSync(first, `${Array.from({ length: 600 }, (_, i) => syntheticGdelt2Row(i)).join('\n')}\n`);
      const rows: string[] = [];
      for (let i = 0; i < 100; i++) rows.push(copyOf(i, 600_000_000 + i, addedAfter(i, i % 31)));
      for (let i = 150; i < 170; i++) rows.push(copyOf(i, 600_000_000 + i, addedAfter(i, 365)));
      for (let i = 100; i < 150; i++) rows.push(syntheticGdelt2Row(i));
      for (let i = 1000; i < 1200; i++) rows.push(syntheticGdelt2Row(i));
      for (let i = 1000; i < 1040; i++) rows.push(copyOf(i, 700_000_000 + i, addedAfter(i, 365)));
      for (let i = 1040; i < 1050; i++) rows.push(copyOf(i, 700_000_000 + i, addedAfter(i, -365)));
      const second = join(data, 'second.export.CSV');
      writeFileSync(second, `${rows.join('\n')}\n`);

      const s = await fresh('fold');
      const a = await ingestInto(s, [first]);
      assert.deepEqual([a.summary.inserted, a.summary.folded], [600, 0]);
      const b = await ingestInto(s, [second]);
      assert.deepEqual(
        [b.summary.accepted, b.summary.duplicates, b.summary.folded, b.summary.inserted],
        [420, 50, 100 + 40 + 10, 220],
      );
      const ids = new Set((await withStore(s, (st) => st.dumpEvents())).map((l) => Number(l.split('|')[1])));
      assert.equal(ids.size, 820);
      for (let i = 0; i < 100; i++) assert.ok(!ids.has(600_000_000 + i), 'a re-emission of a stored event is folded');
      for (let i = 150; i < 170; i++) assert.ok(ids.has(600_000_000 + i), 'a copy added a year later is kept');
      for (let i = 1000; i < 1040; i++)
        assert.ok(ids.has(500_000_000 + i) && !ids.has(700_000_000 + i), 'the earliest copy stays');
      for (let i = 1040; i < 1050; i++)
        assert.ok(!ids.has(500_000_000 + i) && ids.has(700_000_000 + i), 'the earliest copy stays');

      const wide = await fresh('fold-wide');
      await ingestInto(wide, [first]);
      const w = await ingestInto(wide, [second], { foldWindowDays: 400 });
      assert.deepEqual([w.summary.folded, w.summary.inserted], [100 + 20 + 40 + 10, 200]);

      const kept = await fresh('fold-kept');
      const k = await ingestInto(kept, [first, second], { fold: false });
      assert.deepEqual([k.summary.folded, k.summary.inserted], [0, 600 + 370]);
    });

    it('is idempotent: a rerun skips loaded files, a copy adds nothing, ICEWS keys are (id, day)', async () => {
      const s = await fresh('idem');
      const data = tempDir('idem-data');
      const [header, first] = readFileSync(ICEWS, 'utf8').split('\n') as [string, string];
      const cells = first.split('\t');
      const otherDay = [cells[0], '2018-06-02', ...cells.slice(2)].join('\t');
      const icews = join(data, 'events.tab');
      writeFileSync(icews, `${header}\n${first}\n${otherDay}\n${first}\n`);
      const r = await ingestInto(s, [icews, GDELT.export]);
      assert.deepEqual([r.summary.accepted, r.summary.duplicates], [103, 1]);
      const before = await withStore(s, (st) => st.dumpEvents());
      assert.deepEqual(
        before.filter((l) => l.startsWith('icews|')).map((l) => l.split('|').slice(0, 3).join('|')),
        [`icews|${cells[0]}|2018-06-01`, `icews|${cells[0]}|2018-06-02`],
      );
      const again = await ingestInto(s, [icews, GDELT.export]);
      assert.deepEqual([again.summary.skippedFiles, again.summary.inserted], [2, 0]);
      const copy = join(data, 'copy.export.CSV');
      copyFileSync(GDELT.export, copy);
      const c = await ingestInto(s, [copy]);
      assert.deepEqual([c.summary.accepted, c.summary.inserted], [100, 0]);
      assert.equal(c.summary.duplicates + c.summary.folded, 100);
      assert.deepEqual(await withStore(s, (st) => st.dumpEvents()), before);
    });

    it('stores the good rows of a file with bad ones and lists the bad ones as problems', async () => {
      const s = await fresh('rejects');
      const data = tempDir('rejects-data');
      const file = join(data, 'mixed.export.CSV');
      const bad1 = syntheticGdelt2Row(2).split('\t');
      bad1[1] = '2019-13-45';
      const bad2 = syntheticGdelt2Row(3).split('\t').slice(0, 20);
      writeFileSync(file, `${syntheticGdelt2Row(1)}\n${bad1.join('\t')}\n${bad2.join('\t')}\n${syntheticGdelt2Row(4)}\n`);
      const rejects = join(data, 'rejects.jsonl');
      const r = await ingestInto(s, [file], { rejects });
      assert.deepEqual([r.summary.rows, r.summary.accepted, r.summary.rejected, r.summary.inserted], [4, 2, 2, 2]);
      const problems = readFileSync(rejects, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { line: number; code: string });
      assert.deepEqual(
        problems.map((p) => p.line),
        [2, 3],
      );
      assert.equal(await withStore(s, (st) => st.count()), 2);
    });

    it('an aborted load leaves the store as it was', async () => {
      const s = await fresh('abort');
      await ingestInto(s, [GDELT.translingual]);
      const before = await withStore(s, (st) => st.dumpEvents());
      const data = tempDir('abort-data');
      const staged = join(data, 'x.tsv');
      await withStore(s, async (store) => {
        // A staged file as the readers write it: read one real file into it, load it, then abort.
        const { readEventFile } = await import('../../src/adapters/event-formats/read-event-file.ts');
        const { StagedWriter } = await import('../../src/adapters/event-formats/staged-events.ts');
        const out = new StagedWriter(staged);
        await readEventFile(GDELT.export, { format: 'auto', tables: TABLES, out, onReject: () => undefined });
        out.close();
        const load = await store.beginLoad();
        await load.insert([staged], { keysIncreasing: out.keysIncreasing, maxRowBytes: out.maxRowBytes });
        await load.abort();
      });
      assert.deepEqual(await withStore(s, (st) => st.dumpEvents()), before);
    });

    cliIt('a rerun after kill -9 during ingest gives the store of a clean run', { timeout: 300_000 }, async () => {
      const data = tempDir('crash-data');
      const files = [0, 1].map((k) => {
        const path = join(data, `part${k}.export.CSV`);
        const rows: string[] = [];
        for (let i = 0; i < 60_000; i++) rows.push(syntheticGdelt2Row(k * 1_000_000 + i));
        writeFileSync(path, `${rows.join('\n')}\n`);
        return path;
      });
      const clean = await fresh('crash-clean');
      const c = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'ingest', ...files, ...clean.cli], { cwd: REPO });
      assert.equal(c.status, 0, String(c.stderr));
      const expected = await withStore(clean, (st) => st.dumpEvents());
      assert.equal(expected.length, 120_000);
      const crashed = await fresh('crash-killed');
      for (const ms of [600, 1300, 2000, 2800]) {
        await new Promise<void>((done) => {
          const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'ingest', ...files, ...crashed.cli], {
            cwd: REPO,
            stdio: 'ignore',
          });
          const timer = setTimeout(() => child.kill('SIGKILL'), ms);
          child.on('exit', () => {
            clearTimeout(timer);
            done();
          });
        });
      }
      const rerun = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'ingest', ...files, ...crashed.cli], { cwd: REPO });
      assert.equal(rerun.status, 0, String(rerun.stderr));
      const got = await withStore(crashed, (st) => st.dumpEvents());
      assert.equal(got.length, expected.length);
      assert.deepEqual(got, expected);
    });

    cliIt('reports the same totals through the CLI as through the store', async () => {
      const s = await fresh('cli');
      const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'ingest', GDELT.export, ...s.cli, '--format', 'json'], {
        cwd: REPO,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      const summary = JSON.parse(r.stdout) as { inserted: number; folded: number };
      assert.equal(summary.inserted + summary.folded, 100);
      const ev = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'events', ...s.cli, '--by', 'year', '--format', 'json'], {
        cwd: REPO,
        encoding: 'utf8',
      });
      assert.equal(ev.status, 0, ev.stderr);
      const years = JSON.parse(ev.stdout) as { count: number }[];
      assert.equal(
        years.reduce((a, y) => a + y.count, 0),
        summary.inserted,
      );
      assert.deepEqual(totals((await ingestInto(s, [GDELT.export])).summary).skippedFiles, 1);
    });
  });
}
