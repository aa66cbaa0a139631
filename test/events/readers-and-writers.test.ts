/**
 * Commands that only read open the stores read-only and hold the event store's file only
 * while a query runs, so `serve`, `events`, `brief` and an `ingest` work beside each other
 * (each test has two processes: one holding a store, the other using it). DuckDB lets one
 * process write a file or several read it, never both at once: where they meet, the one that
 * comes second waits and says which process holds the file. A read of a store that does not
 * exist says so, creates nothing and exits 1; an impossible date is refused by every
 * reading command.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EventStoreLockedError, openDuckDbEventStore } from '../../src/adapters/duckdb/duckdb-event-store.ts';
import { openEventStoreIfPresent } from '../../src/adapters/duckdb/open-event-store-if-present.ts';
import { makeTempDir, runCli } from '../support/cli-harness.ts';
import { ingest, REPO, SHARED, tempDir } from './support.ts';

const HOLD = join(REPO, 'test', 'events', 'hold-store.ts');
const GDELT = join(SHARED, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv');
const CAMEO = join(REPO, 'data', 'cameo');

/** Starts a process holding a store (see hold-store.ts); resolves once it holds it. */
function hold(mode: string, dir: string, ms: number): Promise<{ pid: number; done: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', HOLD, mode, dir, String(ms)], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const done = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^held \d+\n/.test(out)) resolve({ pid: child.pid as number, done });
    });
    child.on('exit', (code) => reject(new Error(`hold-store ${mode} exited (${code}) before holding the store`)));
  });
}

/** A store folder holding the GDELT 2.0 sample, re-emissions kept (100 events). */
async function storeWithEvents(): Promise<string> {
  const { dir } = makeTempDir('proviso-rw-');
  const store = join(dir, '.proviso');
  const r = await ingest(store, [GDELT], false);
  assert.equal(r.summary.inserted, 100);
  return dir;
}

const eventsByYear = ['events', '--by', 'year', '--format', 'json'];

describe('readers and writers of the stores', () => {
  it('a read waits for a writer in another process, naming it, and then reads', { timeout: 120_000 }, async () => {
    const cwd = await storeWithEvents();
    const writer = await hold('events-write', join(cwd, '.proviso'), 2500);
    const started = Date.now();
    const r = await runCli(eventsByYear, cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`events\\.duckdb is in use by another process \\(PID ${writer.pid}, [^)]*\\); waiting for it…`),
    );
    assert.ok(Date.now() - started >= 1000, 'the read waited for the writer');
    // The sample's events by the year they happened.
    assert.deepEqual(
      (JSON.parse(r.stdout) as { period: string; count: number }[]).map((p) => [p.period, p.count]),
      [
        ['2014', 25],
        ['2015', 25],
        ['2019', 4],
        ['2020', 46],
      ],
    );
    assert.equal(await writer.done, 0);
  });

  it('readers run at once; a writer waits for a reader, naming it, and then writes', { timeout: 120_000 }, async () => {
    const cwd = await storeWithEvents();
    const reader = await hold('events-read', join(cwd, '.proviso'), 2500);
    // Another reader: no wait.
    const read = await runCli(eventsByYear, cwd);
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.stderr, '');
    // A writer (an ingest of another file) waits for the reader.
    const data = tempDir('rw-data');
    const file = join(data, 'translingual.tsv');
    copyFileSync(join(SHARED, 'gdelt', 'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv'), file);
    const written = await runCli(['ingest', file, '--json'], cwd);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stderr, new RegExp(`is in use by another process \\(PID ${reader.pid}, [^)]*\\); waiting for it…`));
    assert.ok((JSON.parse(written.stdout) as { inserted: number }).inserted > 0);
    assert.equal(await reader.done, 0);
  });

  it('a store held open for reading (as `serve` holds it) does not keep an ingest out', { timeout: 120_000 }, async () => {
    const cwd = await storeWithEvents();
    const dir = join(cwd, '.proviso');
    const served = await openEventStoreIfPresent(dir, CAMEO);
    assert.ok(served !== undefined);
    try {
      assert.equal(
        (await served.dailyAggregates({})).reduce((n, d) => n + d.count, 0),
        100,
      );
      // An ingest in another process, while the store stays open here.
      const file = join(SHARED, 'gdelt', 'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv');
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(REPO, 'test', 'events', 'run-event-cli.ts'), 'ingest', file, '--store', dir],
        {
          cwd: REPO,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const code = await new Promise<number | null>((ok) => child.on('exit', ok));
      assert.equal(code, 0, err);
      assert.doesNotMatch(err, /waiting/);
      // The open store reads the new events.
      assert.ok((await served.dailyAggregates({})).reduce((n, d) => n + d.count, 0) > 100);
    } finally {
      await served.close();
    }
  });

  it('an open that cannot get the lock in time fails naming the process that holds it', { timeout: 120_000 }, async () => {
    const cwd = await storeWithEvents();
    const dir = join(cwd, '.proviso');
    const writer = await hold('events-write', dir, 3000);
    const waits: (number | undefined)[] = [];
    await assert.rejects(
      openDuckDbEventStore(dir, { readOnly: true, lockWaitMs: 300, onLockWait: (h) => waits.push(h.pid) }),
      (err: unknown) =>
        err instanceof EventStoreLockedError &&
        err.holder.pid === writer.pid &&
        new RegExp(`events\\.duckdb is being written by another process \\(PID ${writer.pid}`).test(err.message),
    );
    assert.deepEqual(waits, [writer.pid]);
    await writer.done;
  });

  it('series reads while an import holds a write transaction on the series store', { timeout: 120_000 }, async () => {
    const { dir: cwd } = makeTempDir('proviso-rw-series-');
    const files = [2022, 2023].map((y) => join(SHARED, 'unga', `state-dept_un-coincidence-${y}.csv`));
    assert.equal((await runCli(['import', 'unga-coincidence', ...files], cwd)).code, 0);
    const series = join(cwd, '.proviso', 'series.sqlite');
    const before = readFileSync(series);
    const writer = await hold('series-write', join(cwd, '.proviso'), 2500);
    const started = Date.now();
    const r = await runCli(['series', '--measure', 'coincidence', '--dyad', 'USA,PAK', '--format', 'json'], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - started < 2000, 'the read did not wait for the writer');
    assert.deepEqual(
      (JSON.parse(r.stdout) as { value: number }[]).map((x) => x.value),
      [0.35, 0.36],
    );
    assert.equal(await writer.done, 0);
    assert.deepEqual(readFileSync(series), before, 'the read wrote nothing');
  });

  it('a read of a store that does not exist says so, creates nothing and exits 1', async () => {
    const { dir: cwd } = makeTempDir('proviso-nostore-');
    const events = await runCli(['events'], cwd);
    assert.equal(events.code, 1);
    assert.match(events.stderr, /no event store at \.proviso\/events\.duckdb: run `proviso ingest <files>…` first/);
    const series = await runCli(['series', '--measure', 'agreement', '--dyad', 'USA,PAK', '--store', 'elsewhere'], cwd);
    assert.equal(series.code, 1);
    assert.match(series.stderr, /no series store at elsewhere\/series\.sqlite/);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('an impossible date is refused by events and series alike', async () => {
    const cwd = await storeWithEvents();
    for (const args of [
      ['events', '--from', '2018-02-31'],
      ['series', '--measure', 'agreement', '--dyad', 'USA,PAK', '--from', '2018-02-31'],
      ['series', '--measure', 'agreement', '--dyad', 'USA,PAK', '--to', '2019-13-01'],
    ]) {
      const r = await runCli(args, cwd);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /--(from|to): "\d{4}-\d{2}-\d{2}" (is impossible|has no month)/, args.join(' '));
    }
    assert.ok(!existsSync(join(cwd, '.proviso', 'series.sqlite')));
  });
});
