/**
 * ClickHouse event store benchmark (`npm run bench:clickhouse [-- --rows N] [-- --file F] [-- --aggregates K]`).
 *
 * Starts throwaway ClickHouse servers on loopback (scripts/clickhouse-server.mjs: one server,
 * and two shards), generates a synthetic GDELT 2.0 export (default 2,000,000 rows; the
 * generator of the event tests) or takes a real file, then measures, in this run:
 *   (a) the baseline: `clickhouse-client` loading the same file as TabSeparated into a
 *       MergeTree table of the file's 61 columns (as String; no checks, no folding);
 *   (b) `proviso ingest` into the ClickHouse event store (our readers, staging, the stream
 *       into a stage table, the duplicate checks and folding in the engine, the insert),
 *       in a child process of its own so that its peak RSS is its own; the ratio is
 *       baseline time / ours (≥ 1 means we are as fast);
 *   (c) the monthly USA–PAK dyad aggregate through the adapter (median of K, warm), on one
 *       server and, after (b) again into the two-shard Distributed store, on two shards.
 * Peak RSS of each server is read from /proc after its step. Numbers go in notes, not asserts.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClickHouseKeeper, startClickHouseKeeper } from '../scripts/clickhouse-server.mjs';
import { connectClickHouse, parseClickHouseUrl } from '../src/adapters/clickhouse/clickhouse-connection.ts';
import { openClickHouseEventStore } from '../src/adapters/clickhouse/clickhouse-event-store.ts';
import { loadCameoTables } from '../src/adapters/event-formats/cameo-tables.ts';
import { syntheticGdelt2Row } from '../test/events/support.ts';
import { benchArg } from './bench-args.ts';

const REPO = join(import.meta.dirname, '..');
const rows = Number(benchArg('rows', '2000000'));
const given = benchArg('file', '');
const aggregates = Number(benchArg('aggregates', '9'));
const work = mkdtempSync(join(tmpdir(), 'proviso-chbench-'));
const TABLES = loadCameoTables(join(REPO, 'data', 'cameo'));

async function generate(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  let block: string[] = [];
  for (let i = 0; i < n; i++) {
    block.push(syntheticGdelt2Row(i));
    if (block.length === 10_000) {
      if (!out.write(`${block.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      block = [];
    }
  }
  if (block.length > 0) out.write(`${block.join('\n')}\n`);
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
}

/** Peak resident memory of the server listening on `httpUrl` (VmHWM), in MB, or NaN. */
function serverPeakMb(keeper: ClickHouseKeeper, index: number): number {
  const port = keeper.urls[index]?.split(':').pop();
  const r = spawnSync('sh', ['-c', `ss -ltnpH 'sport = :${port}' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2`], {
    encoding: 'utf8',
  });
  const pid = r.stdout.trim();
  if (pid === '') return Number.NaN;
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? Number.NaN : Number(m[1]) / 1024;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function dyadMonthly(url: string): Promise<{ ms: number; months: number }> {
  const store = await openClickHouseEventStore(parseClickHouseUrl(url), {
    readOnly: true,
    groupNames: (c) => TABLES.groupNames.get(c),
  });
  try {
    const filter = { actor1: ['USA'], actor2: ['PAK'], either: true };
    let months = (await store.periodAggregates(filter, 'month')).length; // warm
    const times: number[] = [];
    for (let i = 0; i < aggregates; i++) {
      const t = performance.now();
      months = (await store.periodAggregates(filter, 'month')).length;
      times.push(performance.now() - t);
    }
    return { ms: median(times), months };
  } finally {
    await store.close();
  }
}

function proviso(url: string, file: string, store: string): { seconds: number; rssMb: number; out: string } {
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `const { main } = await import(${JSON.stringify(join(REPO, 'src', 'cli', 'main.ts'))});
       process.exitCode = await main(process.argv.slice(1));
       process.on('exit', () => process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n'));`,
      'ingest',
      file,
      '--store',
      store,
      '--events',
      url,
      '--format',
      'json',
    ],
    { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`proviso ingest failed (${r.status}): ${r.stderr}`);
  const rss = /maxrss (\d+)/.exec(r.stderr);
  return { seconds, rssMb: rss === null ? Number.NaN : Number(rss[1]) / 1024, out: r.stdout };
}

const [one, two] = await Promise.all([startClickHouseKeeper({ shards: 1 }), startClickHouseKeeper({ shards: 2 })]);
try {
  const file = given === '' ? join(work, 'events.export.CSV') : given;
  if (given === '') await generate(file, rows);
  const mb = statSync(file).size / 1e6;
  const nativePort = one.nativePorts[0] as number;
  const host = (u: string) => u.replace(/^http:\/\//, '');
  console.log(`file: ${file} (${mb.toFixed(0)} MB${given === '' ? `, ${rows.toLocaleString('en-US')} synthetic rows` : ''})`);

  // (a) clickhouse-client's own TSV load.
  const admin = connectClickHouse(one.urls[0] as string, undefined, { username: 'default', password: '' });
  await admin.run('CREATE DATABASE IF NOT EXISTS baseline');
  await admin.run(
    `CREATE TABLE baseline.raw (${Array.from({ length: 61 }, (_, i) => `c${i} String`).join(', ')}) ENGINE = MergeTree() ORDER BY tuple()`,
  );
  await admin.close();
  const t0 = performance.now();
  const client = spawnSync(
    'sh',
    [
      '-c',
      `clickhouse-client --port ${nativePort} --query 'INSERT INTO baseline.raw FORMAT TabSeparated' < '${file.replaceAll("'", "'\\''")}'`,
    ],
    { encoding: 'utf8' },
  );
  const baseline = (performance.now() - t0) / 1000;
  if (client.status !== 0) throw new Error(`clickhouse-client failed: ${client.stderr}`);
  console.log(
    `(a) clickhouse-client TSV load: ${baseline.toFixed(1)} s; server peak RSS so far ${serverPeakMb(one, 0).toFixed(0)} MB`,
  );

  // (b) proviso ingest, one server.
  const url1 = `clickhouse://${host(one.urls[0] as string)}/bench`;
  const ours = proviso(url1, file, join(work, 'store1'));
  const summary = JSON.parse(ours.out) as { inserted: number; folded: number };
  console.log(
    `(b) proviso ingest → ClickHouse (one server): ${ours.seconds.toFixed(1)} s, ${summary.inserted.toLocaleString('en-US')} stored, ` +
      `${summary.folded.toLocaleString('en-US')} folded; Node peak RSS ${ours.rssMb.toFixed(0)} MB; server peak RSS ${serverPeakMb(one, 0).toFixed(0)} MB`,
  );
  console.log(`    ratio clickhouse-client / proviso: ${(baseline / ours.seconds).toFixed(2)}× (≥ 0.9 is the issue's target)`);

  // (c) the monthly dyad aggregate.
  const a1 = await dyadMonthly(url1);
  console.log(
    `(c) monthly USA–PAK dyad aggregate, one server: ${a1.ms.toFixed(1)} ms median of ${aggregates} (${a1.months} months)`,
  );
  const url2 = `clickhouse://${host(two.urls[0] as string)}/bench?cluster=${two.cluster}&shards=${two.urls.map(host).join(',')}`;
  const ours2 = proviso(url2, file, join(work, 'store2'));
  console.log(
    `(b) proviso ingest → ClickHouse (two shards, Distributed): ${ours2.seconds.toFixed(1)} s; Node peak RSS ${ours2.rssMb.toFixed(0)} MB; ` +
      `servers' peak RSS ${serverPeakMb(two, 0).toFixed(0)} + ${serverPeakMb(two, 1).toFixed(0)} MB`,
  );
  const a2 = await dyadMonthly(url2);
  console.log(
    `(c) monthly USA–PAK dyad aggregate, two shards: ${a2.ms.toFixed(1)} ms median of ${aggregates} (${a2.months} months)`,
  );
  const disk = spawnSync('sh', ['-c', `du -sm /tmp/proviso-ch-*/shard1/data/data/bench 2>/dev/null | head -5`], {
    encoding: 'utf8',
  });
  console.log(`disk (event_rows, one server and the shard-1 half): ${disk.stdout.trim().replace(/\n/g, '; ')} (MB)`);
} finally {
  await Promise.all([one.stop(), two.stop()]);
  rmSync(work, { recursive: true, force: true });
}
