/**
 * Event ingest benchmark (`npm run bench:ingest [-- --rows N] [-- --file F]`).
 *
 * Generates a synthetic GDELT 2.0 export (default 2,000,000 rows) or takes a real file,
 * then measures, each step in its own child process (so peak RSS is per step):
 *   (a) `proviso ingest` (our reader + DuckDB load) vs DuckDB `CREATE TABLE … AS SELECT * FROM read_csv(…)`;
 *   (b) the monthly USA–PAK dyad aggregate on the stored events (median of 5, warm);
 *   (c) a scan-only monthly dyad aggregate straight from the file: our byte scanner vs
 *       DuckDB `read_csv` + `GROUP BY`, with `wc -l` as the floor.
 * Prints rows/s, MB/s, peak RSS and the ratios. Numbers belong in notes, not asserts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDbEventStore } from '../src/adapters/duckdb/duckdb-event-store.ts';
import { ingestEventFiles } from '../src/adapters/duckdb/ingest-event-files.ts';
import { loadCameoTables } from '../src/adapters/event-formats/cameo-tables.ts';
import { LineScanner } from '../src/adapters/event-formats/line-scanner.ts';
import { syntheticGdelt2Row } from '../test/events/support.ts';

const SELF = fileURLToPath(import.meta.url);
const REPO = resolve(SELF, '..', '..');
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};

interface StepResult {
  ms: number;
  maxRssMb: number;
  rows?: number;
  groups?: number;
}

async function child(step: string, file: string, dir: string): Promise<StepResult> {
  const t0 = performance.now();
  let rows: number | undefined;
  let groups: number | undefined;
  if (step === 'ours-ingest') {
    const tables = loadCameoTables(join(REPO, 'data', 'cameo'));
    const store = await openDuckDbEventStore(join(dir, 'ours'));
    const r = await ingestEventFiles(store, [file], { format: 'auto', tables, rejectsPath: join(dir, 'rejects.jsonl') });
    await store.close();
    rows = r.summary.inserted;
  } else if (step === 'duckdb-ctas') {
    const db = await DuckDBInstance.create(join(dir, 'ctas.duckdb'));
    const c = await db.connect();
    await c.run(
      `CREATE TABLE events AS SELECT * FROM read_csv('${file}', delim='\t', header=false, quote='', all_varchar=false)`,
    );
    rows = Number((await c.runAndReadAll('SELECT count(*)::DOUBLE n FROM events')).getRowObjectsJS()[0]?.n);
    c.closeSync();
    db.closeSync();
  } else if (step === 'duckdb-scan') {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const r = await c.runAndReadAll(
      `SELECT substr(CAST(column01 AS VARCHAR), 1, 6) AS month, count(*) AS n, sum(column30) AS g
       FROM read_csv('${file}', delim='\t', header=false, quote='', types={'column01': 'VARCHAR', 'column05': 'VARCHAR', 'column15': 'VARCHAR'})
       WHERE (starts_with(column05, 'USA') AND starts_with(column15, 'PAK')) OR (starts_with(column05, 'PAK') AND starts_with(column15, 'USA'))
       GROUP BY 1`,
    );
    groups = r.getRowObjectsJS().length;
  } else if (step === 'ours-scan') {
    groups = await scanDyadMonthly(file);
  }
  return {
    ms: performance.now() - t0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...(rows === undefined ? {} : { rows }),
    ...(groups === undefined ? {} : { groups }),
  };
}

/** Our byte-level scan: monthly USA–PAK dyad counts and Goldstein sums, no decoding of unused fields. */
async function scanDyadMonthly(file: string): Promise<number> {
  const months = new Map<number, { n: number; g: number }>();
  const tabs = new Int32Array(70);
  const startsWith = (b: Buffer, s: number, e: number, c0: number, c1: number, c2: number) =>
    e - s >= 3 && b[s] === c0 && b[s + 1] === c1 && b[s + 2] === c2;
  const scanner = new LineScanner(
    (b, s, e) => {
      let n = 0;
      for (let i = s; i < e && n < 35; i++) if (b[i] === 9) tabs[n++] = i;
      if (n < 35) return;
      const a1s = (tabs[4] as number) + 1;
      const a1e = tabs[5] as number;
      const a2s = (tabs[14] as number) + 1;
      const a2e = tabs[15] as number;
      const usaPak =
        (startsWith(b, a1s, a1e, 85, 83, 65) && startsWith(b, a2s, a2e, 80, 65, 75)) ||
        (startsWith(b, a1s, a1e, 80, 65, 75) && startsWith(b, a2s, a2e, 85, 83, 65));
      if (!usaPak) return;
      const d = (tabs[0] as number) + 1;
      let month = 0;
      for (let i = d; i < d + 6; i++) month = month * 10 + ((b[i] as number) - 48);
      const g = Number(b.toString('latin1', (tabs[29] as number) + 1, tabs[30] as number));
      const m = months.get(month);
      if (m) {
        m.n++;
        m.g += g;
      } else months.set(month, { n: 1, g });
    },
    () => undefined,
  );
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) scanner.push(chunk as Buffer);
  scanner.end();
  return months.size;
}

function runChild(step: string, file: string, dir: string): StepResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', step, '--file', file, '--dir', dir], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${step} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as StepResult;
}

async function generate(path: string, rows: number): Promise<void> {
  const w = createWriteStream(path);
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    batch.push(syntheticGdelt2Row(i));
    if (batch.length === 10_000) {
      if (!w.write(`${batch.join('\n')}\n`)) await new Promise<void>((r) => w.once('drain', () => r()));
      batch = [];
    }
  }
  if (batch.length > 0) w.write(`${batch.join('\n')}\n`);
  await new Promise<void>((r) => w.end(r));
}

async function main(): Promise<void> {
  const step = arg('child');
  if (step !== undefined) {
    process.stdout.write(`${JSON.stringify(await child(step, arg('file') as string, arg('dir') as string))}\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'proviso-bench-ingest-'));
  try {
    const rows = Number(arg('rows') ?? 2_000_000);
    let file = arg('file');
    if (file === undefined) {
      file = join(dir, 'synthetic.export.CSV');
      process.stdout.write(`generating ${rows.toLocaleString('en-US')} synthetic GDELT 2.0 rows…\n`);
      await generate(file, rows);
    }
    const mb = statSync(file).size / 1e6;
    process.stdout.write(`file ${file}: ${mb.toFixed(1)} MB\n\n`);
    const ours = runChild('ours-ingest', file, dir);
    const ctas = runChild('duckdb-ctas', file, dir);
    const n = ours.rows ?? rows;
    const line = (name: string, r: StepResult) =>
      `  ${name.padEnd(34)} ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${Math.round(n / (r.ms / 1000))
        .toLocaleString('en-US')
        .padStart(
          11,
        )} rows/s  ${(mb / (r.ms / 1000)).toFixed(1).padStart(7)} MB/s  peak RSS ${r.maxRssMb.toFixed(0).padStart(5)} MB`;
    process.stdout.write(`(a) ingest\n${line('proviso ingest', ours)}\n${line('DuckDB CREATE TABLE AS read_csv', ctas)}\n`);
    process.stdout.write(`  ratio (DuckDB time / ours; >1 means we are faster): ${(ctas.ms / ours.ms).toFixed(2)}×\n\n`);

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
    times.sort((x, y) => x - y);
    process.stdout.write(
      `(b) monthly USA–PAK dyad aggregate on stored events: ${(times[2] as number).toFixed(1)} ms median of 5 (${groups} months)\n\n`,
    );

    const scan = runChild('ours-scan', file, dir);
    const duckScan = runChild('duckdb-scan', file, dir);
    const t0 = performance.now();
    execFileSync('wc', ['-l', file]);
    const wcMs = performance.now() - t0;
    process.stdout.write(
      `(c) scan-only monthly USA–PAK dyad aggregate from the file\n${line('our byte scanner', scan)}  (${scan.groups} months)\n${line('DuckDB read_csv + GROUP BY', duckScan)}  (${duckScan.groups} months)\n  wc -l (floor)                      ${(wcMs / 1000).toFixed(2).padStart(7)} s  ${(mb / (wcMs / 1000)).toFixed(1)} MB/s\n`,
    );
    process.stdout.write(
      `  ratio (DuckDB time / ours): ${(duckScan.ms / scan.ms).toFixed(2)}×; ours / wc -l: ${(scan.ms / wcMs).toFixed(2)}×\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
