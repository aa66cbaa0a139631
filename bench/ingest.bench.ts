/**
 * Event ingest benchmark (`npm run bench:ingest [-- --rows N] [-- --file F] [-- --repeat R] [-- --tsx]`).
 *
 * Generates a synthetic GDELT 2.0 export (default 2,000,000 rows) or takes a real file,
 * then measures:
 *   (a) `proviso ingest` (our reader + DuckDB load) vs DuckDB `CREATE TABLE … AS SELECT * FROM read_csv(…)`;
 *   (b) the monthly USA–PAK dyad aggregate on the stored events (median of 5, warm);
 *   (c) a scan-only monthly dyad aggregate straight from the file: our byte scanner (one
 *       part of the file per core) vs DuckDB `read_csv` + `GROUP BY`, with `wc -l` as the floor;
 *       both answers are compared;
 *   (d) a later file into the stored events (a tenth of the rows: half re-emissions of stored
 *       events under new ids, half new events), as a store grows file by file: `proviso ingest`
 *       (with its duplicate checks and folding) vs DuckDB appending the same file to its
 *       table with `INSERT … SELECT * FROM read_csv(…)` (no checks).
 * Each step runs in a child process of its own (so peak RSS is per step), as compiled
 * JavaScript: this file and the parse worker are bundled with esbuild first, which is how
 * `proviso` runs once built. `--tsx` runs the steps through tsx instead (its module-hooks
 * thread adds about 60 MB of RSS). Steps (a) and (c) run `--repeat` times (default 3),
 * ours and DuckDB's alternating; times and CPU (user + system, all threads) are medians,
 * peak RSS the largest seen. Numbers belong in notes, not asserts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
// The scan workers load this module too: anything heavier than this is imported where used.
import { readFileRange } from '../src/adapters/event-formats/file-chunks.ts';
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
  rows?: number;
  /** Ingest phases: reading and staging; DuckDB's load, folding and commit. */
  phases?: { readMs: number; storeMs: number };
  /** Scan answers: months, matched events and their Goldstein sum. */
  scan?: { months: number; events: number; goldstein: number };
  /** A later file's outcome: rows stored and rows folded into stored events. */
  more?: { inserted: number; folded: number };
}

async function child(step: string, file: string, dir: string, repo: string): Promise<StepResult> {
  const t0 = performance.now();
  let rows: number | undefined;
  let phases: StepResult['phases'];
  let scan: StepResult['scan'];
  let more: StepResult['more'];
  // Only the steps that use DuckDB load it (the scan does not need its 70 MB library).
  const duckdb = () => import('@duckdb/node-api');
  if (step === 'ours-ingest') {
    const { openDuckDbEventStore } = await import('../src/adapters/duckdb/duckdb-event-store.ts');
    const { ingestEventFiles } = await import('../src/adapters/duckdb/ingest-event-files.ts');
    const { loadCameoTables } = await import('../src/adapters/event-formats/cameo-tables.ts');
    const tables = loadCameoTables(join(repo, 'data', 'cameo'));
    const storeDir = join(dir, 'ours');
    rmSync(storeDir, { recursive: true, force: true });
    const store = await openDuckDbEventStore(storeDir);
    let tRead = 0;
    let tLoad = 0;
    const r = await ingestEventFiles(store, [file], {
      format: 'auto',
      tables,
      rejectsPath: join(dir, 'rejects.jsonl'),
      onEvent: (e) => {
        if (e.kind === 'file-start') tRead = performance.now();
        else if (e.kind === 'loading') tLoad = performance.now();
        else if (e.kind === 'file-done') phases = { readMs: tLoad - tRead, storeMs: performance.now() - tLoad };
      },
    });
    await store.close();
    rows = r.summary.inserted;
  } else if (step === 'ours-ingest-more') {
    const { openDuckDbEventStore } = await import('../src/adapters/duckdb/duckdb-event-store.ts');
    const { ingestEventFiles } = await import('../src/adapters/duckdb/ingest-event-files.ts');
    const { loadCameoTables } = await import('../src/adapters/event-formats/cameo-tables.ts');
    const store = await openDuckDbEventStore(join(dir, 'ours-more'));
    const r = await ingestEventFiles(store, [file], {
      format: 'auto',
      tables: loadCameoTables(join(repo, 'data', 'cameo')),
      rejectsPath: join(dir, 'rejects-more.jsonl'),
    });
    await store.close();
    rows = r.summary.accepted;
    more = { inserted: r.summary.inserted, folded: r.summary.folded };
  } else if (step === 'duckdb-append') {
    const { DuckDBInstance } = await duckdb();
    const db = await DuckDBInstance.create(join(dir, 'ctas-more.duckdb'));
    const c = await db.connect();
    rows = (
      await c.run(`INSERT INTO events SELECT * FROM read_csv('${file}', delim='\t', header=false, quote='', all_varchar=false)`)
    ).rowsChanged;
    c.closeSync();
    db.closeSync();
  } else if (step === 'duckdb-ctas') {
    const { DuckDBInstance } = await duckdb();
    const path = join(dir, 'ctas.duckdb');
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
    const db = await DuckDBInstance.create(path);
    const c = await db.connect();
    await c.run(
      `CREATE TABLE events AS SELECT * FROM read_csv('${file}', delim='\t', header=false, quote='', all_varchar=false)`,
    );
    rows = Number((await c.runAndReadAll('SELECT count(*)::DOUBLE n FROM events')).getRowObjectsJS()[0]?.n);
    c.closeSync();
    db.closeSync();
  } else if (step === 'duckdb-scan') {
    const { DuckDBInstance } = await duckdb();
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const r = await c.runAndReadAll(
      `SELECT substr(CAST(column01 AS VARCHAR), 1, 6) AS month, count(*)::DOUBLE AS n, sum(column30)::DOUBLE AS g
       FROM read_csv('${file}', delim='\t', header=false, quote='', types={'column01': 'VARCHAR', 'column05': 'VARCHAR', 'column15': 'VARCHAR'})
       WHERE (starts_with(column05, 'USA') AND starts_with(column15, 'PAK')) OR (starts_with(column05, 'PAK') AND starts_with(column15, 'USA'))
       GROUP BY 1`,
    );
    const months = r.getRowObjectsJS();
    scan = {
      months: months.length,
      events: months.reduce((a, m) => a + Number(m.n), 0),
      goldstein: months.reduce((a, m) => a + Number(m.g), 0),
    };
  } else if (step === 'ours-scan') {
    scan = await scanDyadMonthly(file);
  }
  const usage = process.resourceUsage();
  return {
    ms: performance.now() - t0,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    maxRssMb: usage.maxRSS / 1024,
    ...(rows === undefined ? {} : { rows }),
    ...(phases === undefined ? {} : { phases }),
    ...(scan === undefined ? {} : { scan }),
    ...(more === undefined ? {} : { more }),
  };
}

/** Months are indexed from January 1800 (`(year - 1800) * 12 + month - 1`). */
const SCAN_MONTHS = 400 * 12;

interface ScanPart {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

interface ScanTotals {
  readonly counts: Float64Array;
  readonly goldstein: Float64Array;
}

/**
 * Our scan: monthly USA–PAK dyad counts and Goldstein sums, one part of the file per core
 * (cut at line starts), each read in reused chunks by a byte loop that decodes nothing it
 * does not need and leaves a line as soon as its actors rule it out.
 */
async function scanDyadMonthly(file: string): Promise<NonNullable<StepResult['scan']>> {
  const size = statSync(file).size;
  const parts = await cutAtLines(file, size, Math.max(1, Math.min(availableParallelism(), 8)));
  const workers = parts.slice(1).map(
    (part) =>
      new Promise<ScanTotals>((ok, fail) => {
        const w = startScanWorker(part);
        w.once('message', (m: ScanTotals) => ok(m));
        w.once('error', fail);
      }),
  );
  const totals = [await scanPart(parts[0] as ScanPart), ...(await Promise.all(workers))];
  let months = 0;
  let events = 0;
  let goldstein = 0;
  for (let m = 0; m < SCAN_MONTHS; m++) {
    let n = 0;
    for (const t of totals) {
      n += t.counts[m] as number;
      goldstein += t.goldstein[m] as number;
    }
    if (n > 0) months++;
    events += n;
  }
  return { months, events, goldstein };
}

/** A worker running this module on one part (from TypeScript, as under tsx, it registers tsx first). */
function startScanWorker(part: ScanPart): Worker {
  const workerData = { scanPart: part };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(import.meta.url), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`,
    { eval: true, workerData },
  );
}

async function cutAtLines(file: string, size: number, count: number): Promise<ScanPart[]> {
  const cuts = [0];
  const fh = await openFile(file, 'r');
  try {
    const window = Buffer.alloc(1 << 16);
    for (let k = 1; k < count; k++) {
      let at = Math.floor((size * k) / count);
      let cut = -1;
      while (cut === -1 && at < size) {
        const { bytesRead } = await fh.read(window, 0, window.length, at);
        if (bytesRead === 0) break;
        const nl = window.subarray(0, bytesRead).indexOf(10);
        if (nl !== -1) cut = at + nl + 1;
        at += bytesRead;
      }
      if (cut > (cuts[cuts.length - 1] as number) && cut < size) cuts.push(cut);
    }
  } finally {
    await fh.close();
  }
  cuts.push(size);
  return cuts.slice(1).map((end, i) => ({ file, start: cuts[i] as number, end }));
}

const TAB = 9;
const NL = 10;

/** `b[s..s+2]` is `c0 c1 c2` and the field is at least 3 bytes long. */
function startsWith3(b: Buffer, s: number, e: number, c0: number, c1: number, c2: number): boolean {
  return e - s >= 3 && b[s] === c0 && b[s + 1] === c1 && b[s + 2] === c2;
}

/** A decimal `-?digits(.digits)?` as a number, without making a string (NaN otherwise). */
function decimalOf(b: Buffer, s: number, e: number): number {
  let i = s;
  const negative = b[i] === 45;
  if (negative) i++;
  let mantissa = 0;
  let scale = 1;
  let dot = false;
  let digits = 0;
  for (; i < e; i++) {
    const c = b[i] as number;
    if (c === 46 && !dot) dot = true;
    else if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (dot) scale *= 10;
    } else return Number(b.toString('latin1', s, e));
  }
  if (digits === 0 || digits > 15) return Number(b.toString('latin1', s, e));
  const v = mantissa / scale;
  return negative ? -v : v;
}

async function scanPart(part: ScanPart): Promise<ScanTotals> {
  const counts = new Float64Array(SCAN_MONTHS);
  const goldstein = new Float64Array(SCAN_MONTHS);
  type Code = readonly [number, number, number];
  const USA: Code = [85, 83, 65];
  const PAK: Code = [80, 65, 75];
  /** One line: columns 1 (SQLDATE), 5 and 15 (actor codes), 30 (GoldsteinScale). */
  const line = (b: Buffer, s: number, e: number): void => {
    let tab = 0;
    let i = s;
    let dateS = -1;
    let a1s = -1;
    let want: Code = USA;
    let a2s = -1;
    let goldS = -1;
    for (; i < e; i++) {
      if (b[i] !== TAB) continue;
      tab++;
      if (tab === 1) dateS = i + 1;
      else if (tab === 5) a1s = i + 1;
      else if (tab === 6) {
        if (startsWith3(b, a1s, i, USA[0], USA[1], USA[2])) want = PAK;
        else if (!startsWith3(b, a1s, i, PAK[0], PAK[1], PAK[2])) return;
      } else if (tab === 15) a2s = i + 1;
      else if (tab === 16) {
        if (!startsWith3(b, a2s, i, want[0], want[1], want[2])) return;
      } else if (tab === 30) goldS = i + 1;
      else if (tab === 31) {
        let y = 0;
        for (let k = dateS; k < dateS + 4; k++) y = y * 10 + ((b[k] as number) - 48);
        const m = ((b[dateS + 4] as number) - 48) * 10 + ((b[dateS + 5] as number) - 48);
        const month = (y - 1800) * 12 + m - 1;
        if (month >= 0 && month < SCAN_MONTHS) {
          counts[month] = (counts[month] as number) + 1;
          const g = goldS < i ? decimalOf(b, goldS, i) : 0;
          goldstein[month] = (goldstein[month] as number) + (Number.isNaN(g) ? 0 : g);
        }
        return;
      }
    }
  };
  let carry: Buffer | undefined;
  for await (const chunk of readFileRange(part.file, part.start, part.end)) {
    let pos = 0;
    if (carry !== undefined) {
      const nl = chunk.indexOf(NL);
      if (nl === -1) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      const whole = Buffer.concat([carry, chunk.subarray(0, nl)]);
      line(whole, 0, whole.length);
      carry = undefined;
      pos = nl + 1;
    }
    for (let nl = chunk.indexOf(NL, pos); nl !== -1; nl = chunk.indexOf(NL, pos)) {
      line(chunk, pos, nl);
      pos = nl + 1;
    }
    if (pos < chunk.length) carry = Buffer.from(chunk.subarray(pos));
  }
  if (carry !== undefined) line(carry, 0, carry.length);
  return { counts, goldstein };
}

/** The compiled benchmark: this file and the parse worker bundled into `outdir`. */
function buildBench(outdir: string, repo: string): Promise<string> {
  // The native DuckDB packages stay outside the bundle, imported from this checkout.
  return bundleBench(outdir, repo, 'ingest-bench', SELF, /^@duckdb\//);
}

function runChild(entry: string, viaTsx: boolean, step: string, file: string, dir: string, repo: string): StepResult {
  const args = [...(viaTsx ? ['--import', 'tsx'] : []), entry, '--child', step, '--file', file, '--dir', dir, '--repo', repo];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: repo });
  if (r.status !== 0) throw new Error(`${step} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as StepResult;
}

/** The ratios of the runs made back to back (theirs / ours), as `(pairs: 1.31, 1.52, 1.18)`: each pair ran under much the same load of a shared machine. */
function pairRatios(theirs: readonly StepResult[], ours: readonly StepResult[]): string {
  return `(pairs: ${ours.map((o, i) => ((theirs[i] as StepResult).ms / o.ms).toFixed(2)).join(', ')})`;
}

/** The medians (time, CPU) and the largest peak RSS of repeated runs of one step. */
function summarise(runs: readonly StepResult[]): StepResult & { allMs: number[] } {
  const mid = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)] as StepResult;
  return {
    ...mid,
    ms: median(runs.map((r) => r.ms)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
    allMs: runs.map((r) => r.ms),
  };
}

async function main(): Promise<void> {
  const step = arg('child');
  if (step !== undefined) {
    const r = await child(step, arg('file') as string, arg('dir') as string, arg('repo') as string);
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const repo = resolve(SELF, '..', '..');
  const repeat = Math.max(1, Number(arg('repeat') ?? 3));
  const viaTsx = process.argv.includes('--tsx');
  const dir = mkdtempSync(join(tmpdir(), 'proviso-bench-ingest-'));
  try {
    const entry = viaTsx ? SELF : await buildBench(join(dir, 'build'), repo);
    const rows = Number(arg('rows') ?? 2_000_000);
    let file = arg('file');
    if (file === undefined) {
      file = join(dir, 'synthetic.export.CSV');
      process.stdout.write(`generating ${rows.toLocaleString('en-US')} synthetic GDELT 2.0 rows…\n`);
      await generateGdelt2File(file, rows);
    }
    file = resolve(file);
    const mb = statSync(file).size / 1e6;
    process.stdout.write(
      `file ${file}: ${mb.toFixed(1)} MB; ${availableParallelism()} cores; steps ${viaTsx ? 'through tsx' : 'compiled (esbuild)'}, ${repeat}× each\n\n`,
    );
    const run = (name: string) => runChild(entry, viaTsx, name, file as string, dir, repo);

    const oursRuns: StepResult[] = [];
    const ctasRuns: StepResult[] = [];
    for (let i = 0; i < repeat; i++) {
      oursRuns.push(run('ours-ingest'));
      ctasRuns.push(run('duckdb-ctas'));
    }
    const ours = summarise(oursRuns);
    const ctas = summarise(ctasRuns);
    const n = ours.rows ?? rows;
    /** One step's line; `rows` and `megabytes` are those of the file it read (by default the main one). */
    const line = (name: string, r: StepResult & { allMs: number[] }, rows = n, megabytes = mb) =>
      `  ${name.padEnd(34)} ${(r.ms / 1000).toFixed(2).padStart(6)} s  ${Math.round(rows / (r.ms / 1000))
        .toLocaleString('en-US')
        .padStart(
          10,
        )} rows/s  ${(megabytes / (r.ms / 1000)).toFixed(1).padStart(6)} MB/s  CPU ${(r.cpuMs / 1000).toFixed(2).padStart(6)} s  peak RSS ${r.maxRssMb
        .toFixed(0)
        .padStart(5)} MB  (runs: ${r.allMs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s)`;
    process.stdout.write(`(a) ingest\n${line('proviso ingest', ours)}\n${line('DuckDB CREATE TABLE AS read_csv', ctas)}\n`);
    if (ours.phases)
      process.stdout.write(
        `  ours, median run: read + stage ${(ours.phases.readMs / 1000).toFixed(2)} s, DuckDB load + fold + commit ${(ours.phases.storeMs / 1000).toFixed(2)} s\n`,
      );
    process.stdout.write(
      `  ratio (DuckDB time / ours; >1 means we are faster): ${(ctas.ms / ours.ms).toFixed(2)}× ${pairRatios(ctasRuns, oursRuns)}; CPU ratio ${(ctas.cpuMs / ours.cpuMs).toFixed(2)}×\n\n`,
    );

    const { openDuckDbEventStore } = await import('../src/adapters/duckdb/duckdb-event-store.ts');
    const store = await openDuckDbEventStore(join(dir, 'ours'));
    const filter = { actor1: ['USA'], actor2: ['PAK'], either: true } as const;
    await store.periodAggregates(filter, 'month');
    const times: number[] = [];
    let groups = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      groups = (await store.periodAggregates(filter, 'month')).length;
      times.push(performance.now() - t0);
    }
    await store.close();
    process.stdout.write(
      `(b) monthly USA–PAK dyad aggregate on stored events: ${median(times).toFixed(1)} ms median of 5 (${groups} months)\n\n`,
    );

    const scanRuns: StepResult[] = [];
    const duckScanRuns: StepResult[] = [];
    const wcRuns: number[] = [];
    for (let i = 0; i < repeat; i++) {
      scanRuns.push(run('ours-scan'));
      duckScanRuns.push(run('duckdb-scan'));
      const t0 = performance.now();
      execFileSync('wc', ['-l', file]);
      wcRuns.push(performance.now() - t0);
    }
    const scan = summarise(scanRuns);
    const duckScan = summarise(duckScanRuns);
    const wcMs = median(wcRuns);
    const a = scan.scan;
    const d = duckScan.scan;
    const agree =
      a !== undefined &&
      d !== undefined &&
      a.months === d.months &&
      a.events === d.events &&
      Math.abs(a.goldstein - d.goldstein) <= 1e-6 * Math.max(1, Math.abs(d.goldstein));
    process.stdout.write(
      `(c) scan-only monthly USA–PAK dyad aggregate from the file\n${line('our byte scanner', scan)}\n${line('DuckDB read_csv + GROUP BY', duckScan)}\n` +
        `  wc -l (floor)                      ${(wcMs / 1000).toFixed(2).padStart(6)} s  ${(mb / (wcMs / 1000)).toFixed(1)} MB/s\n` +
        `  answers ${agree ? 'agree' : 'DIFFER'}: ${a?.months} months, ${a?.events} events, Goldstein ${a?.goldstein.toFixed(1)} (DuckDB: ${d?.months}, ${d?.events}, ${d?.goldstein.toFixed(1)})\n`,
    );
    process.stdout.write(
      `  ratio (DuckDB time / ours): ${(duckScan.ms / scan.ms).toFixed(2)}× ${pairRatios(duckScanRuns, scanRuns)}; CPU ratio ${(duckScan.cpuMs / scan.cpuMs).toFixed(2)}×; ours / wc -l: ${(scan.ms / wcMs).toFixed(2)}×\n`,
    );

    if (arg('file') !== undefined) {
      process.stdout.write('\n(d) a later file: only with the synthetic file (it re-emits stored events)\n');
      return;
    }
    // The later file: new events (ids and URLs past the stored ones), then re-emissions of
    // stored events under new ids (ids still increasing, as GDELT's do).
    const { syntheticGdelt2Row } = await import('../test/events/support.ts');
    const half = Math.max(1, Math.floor(rows / 20));
    const moreFile = join(dir, 'later.export.CSV');
    await generateGdelt2File(moreFile, 2 * half, (i) => {
      if (i < half) return syntheticGdelt2Row(rows + i);
      const c = syntheticGdelt2Row(i - half).split('\t');
      c[0] = String(500_000_000 + 2 * rows + (i - half));
      return c.join('\t');
    });
    const moreOurs: StepResult[] = [];
    const moreDuck: StepResult[] = [];
    for (let i = 0; i < repeat; i++) {
      rmSync(join(dir, 'ours-more'), { recursive: true, force: true });
      cpSync(join(dir, 'ours'), join(dir, 'ours-more'), { recursive: true });
      moreOurs.push(runChild(entry, viaTsx, 'ours-ingest-more', moreFile, dir, repo));
      rmSync(join(dir, 'ctas-more.duckdb'), { force: true });
      cpSync(join(dir, 'ctas.duckdb'), join(dir, 'ctas-more.duckdb'));
      moreDuck.push(runChild(entry, viaTsx, 'duckdb-append', moreFile, dir, repo));
    }
    const mo = summarise(moreOurs);
    const md = summarise(moreDuck);
    const moreMb = statSync(moreFile).size / 1e6;
    process.stdout.write(
      `\n(d) a later file into the stored events: ${(2 * half).toLocaleString('en-US')} rows (${moreMb.toFixed(1)} MB), half of them re-emissions of stored events; ours checks keys and folds, DuckDB only appends\n` +
        `${line('proviso ingest', mo, 2 * half, moreMb)}\n${line('DuckDB INSERT … read_csv', md, 2 * half, moreMb)}\n` +
        `  ours: ${mo.more?.inserted.toLocaleString('en-US')} stored, ${mo.more?.folded.toLocaleString('en-US')} folded; DuckDB appended ${md.rows?.toLocaleString('en-US')}\n` +
        `  ratio (DuckDB time / ours): ${(md.ms / mo.ms).toFixed(2)}× ${pairRatios(moreDuck, moreOurs)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainThread) await main();
else {
  const part = (workerData as { scanPart?: ScanPart } | undefined)?.scanPart;
  if (part !== undefined) {
    const totals = await scanPart(part);
    parentPort?.postMessage(totals, [totals.counts.buffer as ArrayBuffer, totals.goldstein.buffer as ArrayBuffer]);
  }
}
