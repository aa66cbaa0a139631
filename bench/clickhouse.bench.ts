/**
 * ClickHouse event store benchmark
 * (`npm run bench:clickhouse [-- --rows N] [-- --file F] [-- --repeat R] [-- --aggregates K] [-- --small-files N] [-- --small-rows N] [-- --tsx]`).
 *
 * Starts throwaway ClickHouse servers on loopback (scripts/clickhouse-server.mjs: one server,
 * and two shards; every query logged in `system.query_log`), generates a synthetic GDELT 2.0
 * export (default 2,000,000 rows; the generator of the event tests) or takes a real file,
 * then measures, `--repeat` times (default 3), back to back under much the same load:
 *   (a) the baseline: `clickhouse-client` loading the same file as TabSeparated into a
 *       MergeTree table of the file's 61 columns (as String; no checks, no folding);
 *   (b) Proviso's ingest (our readers, staging, the stream into the stage table, the
 *       duplicate checks and folding in the engine, the attach), into one server and into
 *       two shards (Distributed), each into a new database;
 * then (c) the monthly USA–PAK dyad aggregate through the adapter (median of K, warm), with
 * the server's own time for the same queries from its query log; (d) a later file into
 * the stored events (a tenth of the rows: half new events, half re-emissions of stored events
 * under new ids), which exercises the fold against stored events; (e) many small files, as
 * GDELT 2.0 publishes them (`--small-files` files of `--small-rows` rows, default 40 of
 * 1,500, each added 15 minutes after the one before), into a new database, against
 * clickhouse-client loading each file with one insert; and the disk and the aggregate again
 * once the tables are merged.
 * Our steps run in child processes of their own (so peak RSS and CPU are theirs), as compiled
 * JavaScript: this file and the parse worker are bundled with esbuild first, which is how
 * `proviso` runs once built (bench:ingest does the same); `--tsx` runs them through tsx
 * instead (its module-hooks thread and on-the-fly compiling cost about a second a run).
 * Ratios are clickhouse-client's time / ours (≥ 1: we are as fast), per pair and of the
 * medians; CPU is user + system of all threads (ours: Node; the server's from its query log;
 * clickhouse-client's from /usr/bin/time when present). Numbers go in notes, not asserts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBench, generateGdelt2File, median } from './bench-stats.ts';

const SELF = fileURLToPath(import.meta.url);
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};

interface StepResult {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  /** Ingest: rows stored and folded; read + stage, and what came after the last row was staged. */
  inserted?: number;
  folded?: number;
  phases?: { readMs: number; afterMs: number };
  /** Aggregate: each call's time, and the periods answered. */
  agg?: { allMs: number[]; periods: number };
}

async function child(step: string): Promise<StepResult> {
  const t0 = performance.now();
  const url = arg('url') as string;
  const repo = arg('repo') as string;
  const { parseClickHouseUrl } = await import('../src/adapters/clickhouse/clickhouse-connection.ts');
  const { openClickHouseEventStore } = await import('../src/adapters/clickhouse/clickhouse-event-store.ts');
  const { loadCameoTables } = await import('../src/adapters/event-formats/cameo-tables.ts');
  const tables = loadCameoTables(join(repo, 'data', 'cameo'));
  const result: Partial<StepResult> = {};
  if (step === 'ours-ingest') {
    const { ingestEventFiles } = await import('../src/adapters/duckdb/ingest-event-files.ts');
    const dir = arg('dir') as string;
    const files = (arg('file') as string).split('\n');
    const store = await openClickHouseEventStore(parseClickHouseUrl(url), {
      groupNames: (c) => tables.groupNames.get(c),
      stagingDir: join(dir, 'staging'),
    });
    let tRead = 0;
    let tStaged = 0;
    const r = await ingestEventFiles(store, files, {
      format: 'auto',
      tables,
      rejectsPath: join(dir, 'rejects.jsonl'),
      onEvent: (e) => {
        if (e.kind === 'file-start' && tRead === 0) tRead = performance.now();
        else if (e.kind === 'loading') tStaged = performance.now();
        else if (e.kind === 'file-done') result.phases = { readMs: tStaged - tRead, afterMs: performance.now() - tStaged };
      },
    });
    await store.close();
    if (r.kind !== 'done') throw new Error(`ingest: ${r.message}`);
    result.inserted = r.summary.inserted;
    result.folded = r.summary.folded;
  } else if (step === 'aggregate') {
    const store = await openClickHouseEventStore(parseClickHouseUrl(url), {
      readOnly: true,
      groupNames: (c) => tables.groupNames.get(c),
    });
    const filter = { actor1: ['USA'], actor2: ['PAK'], either: true };
    let periods = (await store.periodAggregates(filter, 'month')).length; // warm
    const allMs: number[] = [];
    for (let i = 0; i < Number(arg('k')); i++) {
      const t = performance.now();
      periods = (await store.periodAggregates(filter, 'month')).length;
      allMs.push(performance.now() - t);
    }
    await store.close();
    result.agg = { allMs, periods };
  } else throw new Error(`unknown step ${step}`);
  const usage = process.resourceUsage();
  return {
    ...result,
    ms: performance.now() - t0,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    maxRssMb: usage.maxRSS / 1024,
  };
}

/** The compiled benchmark: this file and the parse worker bundled into `outdir`. */
function buildBench(outdir: string, repo: string): Promise<string> {
  // Native packages stay outside the bundle, imported from this checkout; the server keeper
  // runs only in the parent (it starts itself by its own path).
  return bundleBench(outdir, repo, 'clickhouse-bench', SELF, /^@duckdb\/|clickhouse-server\.mjs$/);
}

function runChild(entry: string, viaTsx: boolean, step: string, args: Record<string, string>): StepResult {
  const flat = Object.entries(args).flatMap(([k, v]) => [`--${k}`, v]);
  const r = spawnSync(process.execPath, [...(viaTsx ? ['--import', 'tsx'] : []), entry, '--child', step, ...flat], {
    encoding: 'utf8',
    cwd: args.repo,
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${step} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as StepResult;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const step = arg('child');
  if (step !== undefined) {
    process.stdout.write(`${JSON.stringify(await child(step))}\n`);
    return;
  }
  const { startClickHouseKeeper } = await import('../scripts/clickhouse-server.mjs');
  const { connectClickHouse } = await import('../src/adapters/clickhouse/clickhouse-connection.ts');
  type Keeper = Awaited<ReturnType<typeof startClickHouseKeeper>>;
  type Conn = ReturnType<typeof connectClickHouse>;

  const repo = resolve(SELF, '..', '..');
  const repeat = Math.max(1, Number(arg('repeat') ?? 3));
  const aggregates = Math.max(1, Number(arg('aggregates') ?? 9));
  const rows = Number(arg('rows') ?? 2_000_000);
  const viaTsx = process.argv.includes('--tsx');
  const dir = mkdtempSync(join(tmpdir(), 'proviso-chbench-'));
  const [one, two] = await Promise.all([
    startClickHouseKeeper({ shards: 1, queryLog: true }),
    startClickHouseKeeper({ shards: 2, queryLog: true }),
  ]);
  const auth = { username: 'default', password: '' };
  const conns: Conn[] = [];
  const connect = (url: string) => {
    const c = connectClickHouse(url, undefined, auth);
    conns.push(c);
    return c;
  };
  try {
    const entry = viaTsx ? SELF : await buildBench(join(dir, 'build'), repo);
    let file = arg('file');
    if (file === undefined) {
      file = join(dir, 'synthetic.export.CSV');
      process.stdout.write(`generating ${rows.toLocaleString('en-US')} synthetic GDELT 2.0 rows…\n`);
      await generateGdelt2File(file, rows);
    }
    file = resolve(file);
    const mb = statSync(file).size / 1e6;
    process.stdout.write(
      `file ${file}: ${mb.toFixed(1)} MB; ${availableParallelism()} cores; our steps ${viaTsx ? 'through tsx' : 'compiled (esbuild)'}, ${repeat}× each\n\n`,
    );
    const host = (u: string) => u.replace(/^http:\/\//, '');
    const urlOne = (db: string) => `clickhouse://${host(one.urls[0] as string)}/${db}`;
    const urlTwo = (db: string) =>
      `clickhouse://${host(two.urls[0] as string)}/${db}?cluster=${two.cluster}&shards=${two.urls.map(host).join(',')}`;
    const admin = connect(one.urls[0] as string);
    const serversOf = (k: Keeper) => k.urls.map((u) => connect(u));
    const oneServers = serversOf(one);
    const twoServers = serversOf(two);
    const now = async (c: Conn) => String((await c.rows<{ t: string }>('SELECT toString(now()) AS t'))[0]?.t);
    /**
     * The server side of a step: CPU (user + system, ms, all servers) and the largest memory
     * one query took (MB), of the queries begun in [from, to] that match `where`.
     */
    const serverSide = async (servers: readonly Conn[], from: string, to: string, where: string) => {
      let cpuMs = 0;
      let queryMb = 0;
      for (const c of servers) {
        await c.run('SYSTEM FLUSH LOGS');
        const r = await c.rows<{ us: string; mem: string }>(
          `SELECT sum(ProfileEvents.Values[indexOf(ProfileEvents.Names, 'UserTimeMicroseconds')]
                    + ProfileEvents.Values[indexOf(ProfileEvents.Names, 'SystemTimeMicroseconds')]) AS us,
                  max(memory_usage) AS mem
           FROM system.query_log WHERE type = 2 AND query_start_time BETWEEN toDateTime('${from}') AND toDateTime('${to}')
             AND query NOT LIKE '%system.%' AND (${where})`,
        );
        cpuMs += Number(r[0]?.us ?? 0) / 1000;
        queryMb = Math.max(queryMb, Number(r[0]?.mem ?? 0) / 1e6);
      }
      return { serverMs: cpuMs, queryMb };
    };
    const timeBin = existsSync('/usr/bin/time');
    const clientLoad = async () => {
      await admin.run('DROP TABLE IF EXISTS baseline.raw');
      await admin.run('CREATE DATABASE IF NOT EXISTS baseline');
      await admin.run(
        `CREATE TABLE baseline.raw (${Array.from({ length: 61 }, (_, i) => `c${i} String`).join(', ')}) ENGINE = MergeTree() ORDER BY tuple()`,
      );
      const from = await now(admin);
      const cmd = `clickhouse-client --port ${one.nativePorts[0]} --query 'INSERT INTO baseline.raw FORMAT TabSeparated' < '${(file as string).replaceAll("'", "'\\''")}'`;
      const t0 = performance.now();
      const r = spawnSync('sh', ['-c', timeBin ? `/usr/bin/time -f 'cpu %U %S' ${cmd}` : cmd], { encoding: 'utf8' });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`clickhouse-client failed: ${r.stderr}`);
      const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
      const server = await serverSide(oneServers, from, await now(admin), "query LIKE 'INSERT INTO baseline.raw%'");
      return { ms, clientCpuMs: cpu === null ? Number.NaN : (Number(cpu[1]) + Number(cpu[2])) * 1000, ...server };
    };
    const ours = async (url: string, servers: readonly Conn[], label: string, onFile = file as string) => {
      const from = await now(admin);
      const r = runChild(entry, viaTsx, 'ours-ingest', { url, file: onFile, dir: join(dir, label), repo });
      const server = await serverSide(
        servers,
        from,
        await now(admin),
        "query NOT LIKE 'INSERT INTO baseline.raw%' AND query NOT LIKE 'SELECT toString(now())%'",
      );
      return { ...r, ...server };
    };

    const base: Awaited<ReturnType<typeof clientLoad>>[] = [];
    const mine1: Awaited<ReturnType<typeof ours>>[] = [];
    const mine2: Awaited<ReturnType<typeof ours>>[] = [];
    for (let i = 0; i < repeat; i++) {
      base.push(await clientLoad());
      mine1.push(await ours(urlOne(`bench${i}`), oneServers, `one${i}`));
      mine2.push(await ours(urlTwo(`bench${i}`), twoServers, `two${i}`));
    }
    const stored = mine1[0]?.inserted ?? 0;
    const b = median(base.map((r) => r.ms));
    const line = (
      name: string,
      runs: readonly { ms: number; cpuMs?: number; serverMs: number; queryMb: number; maxRssMb?: number }[],
    ) => {
      const ms = median(runs.map((r) => r.ms));
      const cpu = runs[0]?.cpuMs === undefined ? '' : `, Node CPU ${seconds(median(runs.map((r) => r.cpuMs ?? 0)))}`;
      const rss =
        runs[0]?.maxRssMb === undefined ? '' : `, Node peak RSS ${Math.max(...runs.map((r) => r.maxRssMb ?? 0)).toFixed(0)} MB`;
      return `  ${name.padEnd(38)} ${seconds(ms).padStart(8)}  ${Math.round((stored || rows) / (ms / 1000))
        .toLocaleString('en-US')
        .padStart(
          9,
        )} rows/s  server CPU ${seconds(median(runs.map((r) => r.serverMs)))} (largest query ${Math.max(...runs.map((r) => r.queryMb)).toFixed(0)} MB)${cpu}${rss}  (runs: ${runs.map((r) => seconds(r.ms)).join(', ')})`;
    };
    const pairs = (runs: readonly { ms: number }[]) =>
      `${(b / median(runs.map((r) => r.ms))).toFixed(2)}× (pairs: ${runs.map((r, i) => ((base[i]?.ms ?? 0) / r.ms).toFixed(2)).join(', ')})`;
    const phases = (runs: readonly StepResult[]) =>
      `read + stage ${seconds(median(runs.map((r) => r.phases?.readMs ?? 0)))}, then ${seconds(median(runs.map((r) => r.phases?.afterMs ?? 0)))} to the file's record`;
    process.stdout.write(
      `(a, b) ingest of ${stored.toLocaleString('en-US')} events (${mine1[0]?.folded ?? 0} folded)\n` +
        `${line('clickhouse-client TSV load (baseline)', base)}${Number.isNaN(base[0]?.clientCpuMs ?? Number.NaN) ? '' : `, client CPU ${seconds(median(base.map((r) => r.clientCpuMs)))}`}\n` +
        `${line('proviso ingest, one server', mine1)}\n    ${phases(mine1)}\n` +
        `${line('proviso ingest, two shards', mine2)}\n    ${phases(mine2)}\n` +
        `  ratio clickhouse-client / ours (≥ 0.9 is the issue's target): one server ${pairs(mine1)}; two shards ${pairs(mine2)}\n`,
    );

    // (c) The monthly dyad aggregate, and the server's own time for it.
    const aggregate = async (url: string, servers: readonly Conn[]) => {
      const from = await now(servers[0] as Conn);
      const r = runChild(entry, viaTsx, 'aggregate', { url, k: String(aggregates), repo });
      await (servers[0] as Conn).run('SYSTEM FLUSH LOGS');
      const server = await (servers[0] as Conn).rows<{ ms: string }>(
        `SELECT query_duration_ms AS ms FROM system.query_log WHERE type = 2 AND is_initial_query
           AND query_start_time >= toDateTime('${from}') AND query LIKE 'SELECT formatDateTime(p%'`,
      );
      return { ...(r.agg as NonNullable<StepResult['agg']>), serverMs: median(server.map((s) => Number(s.ms)).slice(1)) };
    };
    const a1 = await aggregate(urlOne('bench0'), oneServers);
    const a2 = await aggregate(urlTwo('bench0'), twoServers);
    const aggLine = (name: string, a: typeof a1) =>
      `  ${name.padEnd(12)} ${median(a.allMs).toFixed(1).padStart(6)} ms median of ${a.allMs.length} through the adapter (server's own time ${a.serverMs.toFixed(0)} ms; ${a.periods} months; runs ${a.allMs.map((m) => m.toFixed(0)).join(', ')} ms)\n`;
    process.stdout.write(
      `\n(c) monthly USA–PAK dyad aggregate (goals: < 50 ms one server, < 100 ms two shards)\n${aggLine('one server', a1)}${aggLine('two shards', a2)}`,
    );

    // (d) A later file: new events (ids and URLs past the stored ones), then re-emissions of
    // stored events under new ids (ids still increasing, as GDELT's do).
    if (arg('file') === undefined) {
      const { syntheticGdelt2Row } = await import('../test/events/support.ts');
      const half = Math.max(1, Math.floor(rows / 20));
      const moreFile = join(dir, 'later.export.CSV');
      await generateGdelt2File(moreFile, 2 * half, (i) => {
        if (i < half) return syntheticGdelt2Row(rows + i);
        const c = syntheticGdelt2Row(i - half).split('\t');
        c[0] = String(500_000_000 + 2 * rows + (i - half));
        return c.join('\t');
      });
      const m1 = await ours(urlOne('bench0'), oneServers, 'more1', moreFile);
      const m2 = await ours(urlTwo('bench0'), twoServers, 'more2', moreFile);
      const moreLine = (name: string, m: typeof m1) =>
        `  ${name.padEnd(12)} ${seconds(m.ms)}: ${m.inserted?.toLocaleString('en-US')} stored, ${m.folded?.toLocaleString('en-US')} folded; server CPU ${seconds(m.serverMs)}, Node CPU ${seconds(m.cpuMs)}\n`;
      process.stdout.write(
        `\n(d) a later file into the stored events: ${(2 * half).toLocaleString('en-US')} rows, half of them re-emissions of stored events\n` +
          `${moreLine('one server', m1)}${moreLine('two shards', m2)}`,
      );
    }

    // (e) Many small files, as GDELT 2.0 publishes them: one every 15 minutes.
    const smallFiles = Math.max(1, Number(arg('small-files') ?? 40));
    const smallRows = Math.max(1, Number(arg('small-rows') ?? 1500));
    {
      const { syntheticGdelt2Row } = await import('../test/events/support.ts');
      const smallDir = join(dir, 'small');
      mkdirSync(smallDir);
      const paths: string[] = [];
      for (let f = 0; f < smallFiles; f++) {
        const added = new Date(Date.UTC(2020, 0, 1) + f * 15 * 60_000);
        const stamp = added.toISOString().replace(/\D/g, '').slice(0, 14);
        const path = join(smallDir, `${stamp}.export.CSV`);
        await generateGdelt2File(path, smallRows, (i) => {
          const c = syntheticGdelt2Row(10_000_000 + f * smallRows + i).split('\t');
          c[59] = stamp;
          return c.join('\t');
        });
        paths.push(path);
      }
      await admin.run('DROP TABLE IF EXISTS baseline.small');
      await admin.run(
        `CREATE TABLE baseline.small (${Array.from({ length: 61 }, (_, i) => `c${i} String`).join(', ')}) ENGINE = MergeTree() ORDER BY tuple()`,
      );
      const t0 = performance.now();
      for (const p of paths) {
        const r = spawnSync(
          'sh',
          [
            '-c',
            `clickhouse-client --port ${one.nativePorts[0]} --query 'INSERT INTO baseline.small FORMAT TabSeparated' < '${p}'`,
          ],
          { encoding: 'utf8' },
        );
        if (r.status !== 0) throw new Error(`clickhouse-client failed: ${r.stderr}`);
      }
      const clientMs = performance.now() - t0;
      const small1 = await ours(urlOne('small'), oneServers, 'small1', paths.join('\n'));
      const small2 = await ours(urlTwo('small'), twoServers, 'small2', paths.join('\n'));
      const each = (ms: number) => `${(ms / smallFiles).toFixed(0)} ms a file`;
      process.stdout.write(
        `\n(e) ${smallFiles} small files of ${smallRows.toLocaleString('en-US')} rows, one after the other\n` +
          `  clickhouse-client, one insert a file: ${seconds(clientMs)} (${each(clientMs)})\n` +
          `  proviso ingest, one server:          ${seconds(small1.ms)} (${each(small1.ms)}; ${small1.inserted?.toLocaleString('en-US')} stored; server CPU ${seconds(small1.serverMs)}, Node CPU ${seconds(small1.cpuMs)})\n` +
          `  proviso ingest, two shards:          ${seconds(small2.ms)} (${each(small2.ms)}; server CPU ${seconds(small2.serverMs)})\n` +
          `  ratio clickhouse-client / ours: one server ${(clientMs / small1.ms).toFixed(2)}×, two shards ${(clientMs / small2.ms).toFixed(2)}×\n`,
      );
    }

    // Disk and memory.
    const disk = async (servers: readonly Conn[], table: string) => {
      let bytes = 0;
      let count = 0;
      for (const c of servers) {
        const r = await c.rows<{ b: string; n: string }>(
          `SELECT sum(bytes_on_disk) AS b, sum(rows) AS n FROM system.parts WHERE database = 'bench0' AND table = '${table}' AND active`,
        );
        bytes += Number(r[0]?.b ?? 0);
        count += Number(r[0]?.n ?? 0);
      }
      return `${(bytes / 1e6).toFixed(1)} MB for ${count.toLocaleString('en-US')} rows (${(bytes / Math.max(1, count)).toFixed(1)} bytes a row)`;
    };
    const baseDisk = await admin.rows<{ b: string }>(
      "SELECT sum(bytes_on_disk) AS b FROM system.parts WHERE database = 'baseline' AND table = 'raw' AND active",
    );
    const peak = (k: Keeper, i: number) => {
      const port = k.urls[i]?.split(':').pop();
      const r = spawnSync('sh', ['-c', `ss -ltnpH 'sport = :${port}' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2`], {
        encoding: 'utf8',
      });
      const pid = r.stdout.trim();
      if (pid === '') return Number.NaN;
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m === null ? Number.NaN : Number(m[1]) / 1024;
    };
    process.stdout.write(
      `\ndisk (active parts, after the steps above): one server ${await disk(oneServers, 'event_rows')}; ` +
        `two shards ${await disk(twoServers, 'event_rows_local')}; clickhouse-client's 61 String columns ${(Number(baseDisk[0]?.b ?? 0) / 1e6).toFixed(1)} MB\n` +
        `servers' peak RSS over the whole run: one server ${peak(one, 0).toFixed(0)} MB (the baseline loads included); shards ${peak(two, 0).toFixed(0)} + ${peak(two, 1).toFixed(0)} MB\n`,
    );

    // Once the background merges are done (forced here), as a store answering queries usually is.
    const merge = async (servers: readonly Conn[], table: string) => {
      const t0 = performance.now();
      for (const c of servers) await c.run(`OPTIMIZE TABLE bench0.${table} FINAL`);
      return performance.now() - t0;
    };
    const m1 = await merge(oneServers, 'event_rows');
    const m2 = await merge(twoServers, 'event_rows_local');
    process.stdout.write(
      `
after merging each table into one part (OPTIMIZE FINAL: ${seconds(m1)} one server, ${seconds(m2)} the shards):
` +
        `  disk: one server ${await disk(oneServers, 'event_rows')}; two shards ${await disk(twoServers, 'event_rows_local')}
` +
        aggLine('one server', await aggregate(urlOne('bench0'), oneServers)) +
        aggLine('two shards', await aggregate(urlTwo('bench0'), twoServers)),
    );
  } finally {
    await Promise.all(conns.map((c) => c.close()));
    await Promise.all([one.stop(), two.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
