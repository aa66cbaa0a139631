/**
 * bench:serve — the server under load, as ratios against floors measured in the same run
 * (issue 18):
 *
 * 1. the cached assessment (`GET /api/cases/us-pakistan/assessment?asOf=2023-03-03`,
 *    token-authenticated, SQLite) against a bare `node:http` handler answering the same
 *    bytes; once uncompressed and once brotli-compressed (the app negotiating
 *    `Accept-Encoding: br`, the bare handler answering the app's compressed bytes);
 * 2. `GET /healthz` against a bare hello-world answering the same body;
 * 3. `GET /healthz` while two clients send the heaviest requests the limits allow, back to
 *    back (the 600-point history, the brief in 2100 with changes since 1900, the dashboard in
 *    2100; each request different, so none comes from the cache), against `/healthz` alone;
 * 4. writes (one writer and 20 at once, at 100k entries, SQLite and PostgreSQL): bench/writes.bench.ts,
 *    run last, in its own processes (see `writes()`).
 *
 * Every server runs in its own process (bench/serve-target.ts); autocannon runs here, with
 * the same connections and duration for a run and its floor. Before measuring, the app's
 * answers are checked to be byte for byte the bytes the floors serve. Each run alternates
 * with its floor for `--rounds` rounds, and the ratios printed are the medians of the
 * rounds' ratios: on a shared machine the load of other processes changes over a run.
 *
 * 5. the live assessment on the main thread after each write, at 100k entries: what answering
 *    today's assessment without a worker would hold the event loop for (`liveOnMainThread`).
 *
 *   npm run bench:serve [-- --seconds 5 --connections 10 --rounds 5 --write-entries 100000 --writes 200 --writers 20
 *                          --live-entries 100000 --live-writes 20]
 *   npm run bench:serve -- --only live [--live-entries 100000 --live-writes 20]   (step 5 alone)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Evidence } from '../src/core/evidence.ts';
import { benchArg } from './bench-args.ts';

const seconds = Number(benchArg('seconds', '5'));
const connections = Number(benchArg('connections', '10'));
const rounds = Number(benchArg('rounds', '5'));
const warmSeconds = Math.max(1, Math.round(seconds / 5));
const ASSESSMENT = '/api/cases/us-pakistan/assessment?asOf=2023-03-03';

interface Bare {
  readonly assessment: string;
  readonly assessmentBr: string;
  readonly hello: string;
}
interface App {
  readonly url: string;
  readonly viewer: string;
  readonly analyst: string;
  readonly workers: number;
}

async function startTarget<T>(mode: 'app' | 'bare'): Promise<{ ready: T; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/serve-target.ts', mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TZ: 'UTC' },
  });
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
  for await (const line of lines) {
    if (line.startsWith('READY ')) return { ready: JSON.parse(line.slice(6)) as T, child };
  }
  throw new Error(`${mode} server did not start`);
}

interface Run {
  readonly label: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

async function load(
  label: string,
  url: string,
  o: { headers?: Record<string, string>; seconds?: number; connections?: number; quiet?: boolean } = {},
): Promise<Run> {
  const result = await autocannon({
    url,
    connections: o.connections ?? connections,
    duration: o.seconds ?? seconds,
    headers: o.headers ?? {},
  });
  const run = {
    label,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.non2xx,
  };
  if (o.quiet !== true)
    console.log(
      `  ${label.padEnd(52)} ${run.rps.toFixed(0).padStart(7)} req/s   p50 ${String(run.p50).padStart(3)} ms   p99 ${String(run.p99).padStart(4)} ms${run.failed > 0 ? `   FAILED ${run.failed}` : ''}`,
    );
  return run;
}

function getBytes(url: string, headers: Record<string, string>, agent?: Agent): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers, ...(agent === undefined ? {} : { agent }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** The heaviest requests the limits allow, each one different (so that none is answered from the cache). */
function worst(i: number): string {
  const year = 2100 - Math.floor(i / 28);
  const asOf = `${year}-12-${String(28 - (i % 28)).padStart(2, '0')}`;
  switch (i % 3) {
    case 0:
      return `/api/cases/us-pakistan/history?from=${year - 49}-01-01&to=${year}-12-01&step=month&recordedBy=${asOf}`;
    case 1:
      return `/api/cases/us-pakistan/brief?asOf=${asOf}&since=1900-01-01`;
    default:
      return `/cases/us-pakistan?asOf=${asOf}`;
  }
}

/** Heavy requests sent so far in this run: each round continues the sequence, so none repeats. */
let heavySent = 0;

/** Two clients sending `worst` requests back to back until `stop()`; counts what was answered. */
function heavyClients(app: App): { stop: () => Promise<{ answered: number; refused: number; medianMs: number }> } {
  const agent = new Agent({ keepAlive: true });
  let stopped = false;
  const times: number[] = [];
  let refused = 0;
  const loop = async () => {
    while (!stopped) {
      const started = performance.now();
      const { status } = await getBytes(app.url + worst(heavySent++), { Authorization: `Bearer ${app.viewer}` }, agent);
      if (status === 200) times.push(performance.now() - started);
      else refused += 1;
    }
  };
  const loops = [loop(), loop()];
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      times.sort((a, b) => a - b);
      return { answered: times.length, refused, medianMs: times[Math.floor(times.length / 2)] ?? Number.NaN };
    },
  };
}

/**
 * Write throughput — single writer and 20 writers × 200 entries on SQLite and PostgreSQL
 * with 100,000 entries in the ledger — belongs to issue 18 point 2 (incremental writes),
 * which adds it here, printed as ratios like the runs above.
 */
/**
 * 4. Writes through the server at 100k entries, one writer and 20 at once, on SQLite and
 * PostgreSQL, against the store's own append: bench/writes.bench.ts in its own processes,
 * once the servers above are stopped (`--write-entries`, `--writes`, `--writers`).
 */
async function writes(): Promise<void> {
  console.log('\n4. writes (bench/writes.bench.ts):');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./writes.bench.ts', import.meta.url)),
      '--entries',
      benchArg('write-entries', '100000'),
      '--writes',
      benchArg('writes', '200'),
      '--writers',
      benchArg('writers', '20'),
    ],
    { stdio: 'inherit' },
  );
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  if (code !== 0) process.exitCode = 1;
}

/**
 * 5. What answering today's assessment from the live assessment (CaseService, kept up to
 * date by the writes) instead of a worker would hold the event loop for after each write:
 * `LiveAssessment.assessment()` after one append, its JSON and its ETag, with the reference
 * case and `--live-entries` seeded entries (0 skips), over `--live-writes` writes. The route
 * keeps the worker while this is over ~20 ms (docs/server.md, "Answers served many times").
 */
async function liveOnMainThread(): Promise<void> {
  const entries = Number(benchArg('live-entries', '100000'));
  const count = Number(benchArg('live-writes', '20'));
  if (!(entries > 0)) return;
  const [{ nativeSha256 }, { LiveAssessment }, { strongEtag }, { sqliteOpener, startTestServer }] = await Promise.all([
    import('../src/adapters/native-sha256.ts'),
    import('../src/core/live-assessment.ts'),
    import('../src/http/representation.ts'),
    import('../test/http/support.ts'),
  ]);
  const stores = sqliteOpener();
  const s = await startTestServer(stores.open);
  try {
    const served = s.deps.cases.get('us-pakistan');
    if (served === undefined) throw new Error('the reference case is not served');
    const day = (n: number) => new Date(Date.UTC(2000, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    const entry = (id: string, occurred: string): Evidence => ({
      id,
      kind: 'terrorist-attack',
      actors: ['let', 'india'],
      description: `Seeded entry ${id}`,
      occurred,
      occurredTo: occurred,
      reported: occurred,
      recorded: '2025-12-31',
      sources: [{ publisher: 'Wire', title: `Report ${id}`, date: occurred, reliability: 'B', credibility: 2 }],
      tags: [],
    });
    const ledger: Evidence[] = [...(await s.deps.cases.entries('us-pakistan'))];
    for (let i = 0; i < entries; i++) ledger.push(entry(`seed-${String(i).padStart(7, '0')}`, day((i * 7919) % 9131)));
    const today = new Date().toISOString().slice(0, 10);
    const live = new LiveAssessment(served.case, ledger, today, {
      series: served.series,
      coverage: served.coverage,
      sha256: nativeSha256,
    });
    live.assessment();
    const held: { record: number; json: number; etag: number; total: number }[] = [];
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      live.append([entry(`new-${String(i).padStart(5, '0')}`, day(9400 + (i % 30)))]);
      const t0 = performance.now();
      const record = live.assessment();
      const t1 = performance.now();
      const body = Buffer.from(JSON.stringify(record));
      const t2 = performance.now();
      strongEtag(body);
      const t3 = performance.now();
      bytes = body.byteLength;
      held.push({ record: t1 - t0, json: t2 - t1, etag: t3 - t2, total: t3 - t0 });
    }
    const p = (key: keyof (typeof held)[number], q: number) => {
      const xs = held.map((h) => h[key]).sort((a, b) => a - b);
      return (xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] as number).toFixed(1);
    };
    console.log(
      `\n5. the live assessment on the main thread after a write (${entries} entries, ${count} writes, ${(bytes / 1e6).toFixed(2)} MB of JSON):`,
    );
    console.log(
      `   assessment() p50 ${p('record', 0.5)} ms, max ${p('record', 1)} ms; JSON p50 ${p('json', 0.5)} ms; ETag p50 ${p('etag', 0.5)} ms; ` +
        `event loop held p50 ${p('total', 0.5)} ms, max ${p('total', 1)} ms [answer from it only under ~20 ms]`,
    );
  } finally {
    await s.close();
    stores.cleanup();
  }
}

if (benchArg('only', '') === 'live') {
  await liveOnMainThread();
  process.exit();
}

console.log(
  `bench:serve — autocannon, ${connections} connections, ${seconds} s per run, ${rounds} rounds alternating each run with its floor (medians shown), ${process.platform} ${process.arch}, node ${process.version}`,
);

const bare = await startTarget<Bare>('bare');
const app = await startTarget<App>('app');
try {
  const auth = { Authorization: `Bearer ${app.ready.viewer}` };
  const br = { ...auth, 'Accept-Encoding': 'br' };
  const same = async (floorUrl: string, appUrl: string, headers: Record<string, string>) =>
    (await getBytes(floorUrl, {})).body.equals((await getBytes(appUrl, headers)).body);
  if (
    !(await same(bare.ready.assessment, app.ready.url + ASSESSMENT, auth)) ||
    !(await same(bare.ready.assessmentBr, app.ready.url + ASSESSMENT, br)) ||
    !(await same(bare.ready.hello, `${app.ready.url}/healthz`, {}))
  )
    throw new Error('the app does not answer the bytes the floor serves');
  console.log(`app: SQLite store, ${app.ready.workers} worker thread${app.ready.workers === 1 ? '' : 's'}`);

  const pairs = [
    { name: 'cached assessment', floor: bare.ready.assessment, app: app.ready.url + ASSESSMENT, headers: auth },
    {
      name: 'cached assessment, Accept-Encoding: br',
      floor: bare.ready.assessmentBr,
      app: app.ready.url + ASSESSMENT,
      headers: br,
    },
    { name: '/healthz', floor: bare.ready.hello, app: `${app.ready.url}/healthz`, headers: {} },
  ] as const;
  const measured = new Map<string, { floor: Run[]; app: Run[] }>(pairs.map((p) => [p.name, { floor: [], app: [] }]));
  const loaded: { alone: Run[]; during: Run[]; heavy: { answered: number; refused: number; medianMs: number }[] } = {
    alone: [],
    during: [],
    heavy: [],
  };
  for (let round = 1; round <= rounds; round += 1) {
    console.log(`\nround ${round} of ${rounds}`);
    for (const p of pairs) {
      const m = measured.get(p.name) as { floor: Run[]; app: Run[] };
      if (round === 1) {
        await load('warm-up', p.floor, { seconds: warmSeconds, quiet: true });
        await load('warm-up', p.app, { headers: p.headers, seconds: warmSeconds, quiet: true });
      }
      m.floor.push(
        await load(`floor: bare node:http, ${p.name === '/healthz' ? 'hello world' : `same bytes (${p.name})`}`, p.floor),
      );
      m.app.push(await load(`proviso: ${p.name}`, p.app, { headers: p.headers }));
    }
    loaded.alone.push(await load('proviso: /healthz alone', `${app.ready.url}/healthz`));
    const clients = heavyClients(app.ready);
    loaded.during.push(await load('proviso: /healthz during the heaviest requests', `${app.ready.url}/healthz`));
    const heavy = await clients.stop();
    loaded.heavy.push(heavy);
    console.log(
      `  (meanwhile ${heavy.answered} heavy requests answered, median ${heavy.medianMs.toFixed(0)} ms; ${heavy.refused} refused)`,
    );
  }

  const median = (xs: readonly number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  const ratioOf = (name: string) => {
    const m = measured.get(name) as { floor: Run[]; app: Run[] };
    return {
      throughput: median(m.app.map((r, i) => r.rps / (m.floor[i] as Run).rps)),
      p99: median(m.app.map((r) => r.p99)),
      floorP99: median(m.floor.map((r) => r.p99)),
    };
  };
  const a = ratioOf('cached assessment');
  const b = ratioOf('cached assessment, Accept-Encoding: br');
  const h = ratioOf('/healthz');
  const during = loaded.during.map((r) => r.p99);
  console.log(`\nratios, medians of ${rounds} rounds (goal in brackets)`);
  console.log(
    `1. cached assessment vs bare node:http, same bytes:       throughput ${a.throughput.toFixed(2)}x [≥ 0.5x]   p99 ${a.p99} ms [< 20 ms] (floor ${a.floorP99} ms)`,
  );
  console.log(
    `   the same, brotli negotiated vs bare, same br bytes:     throughput ${b.throughput.toFixed(2)}x            p99 ${b.p99} ms (floor ${b.floorP99} ms)`,
  );
  console.log(
    `2. /healthz vs hello world:                                throughput ${h.throughput.toFixed(2)}x [≥ 0.5x]   p99 ${h.p99} ms (floor ${h.floorP99} ms)`,
  );
  console.log(
    `3. /healthz p99 during the heaviest requests:              ${median(during)} ms [< 50 ms] (worst round ${Math.max(...during)} ms; alone ${median(loaded.alone.map((r) => r.p99))} ms); throughput ${median(loaded.during.map((r, i) => r.rps / (loaded.alone[i] as Run).rps)).toFixed(2)}x of /healthz alone`,
  );
  const runs = [...[...measured.values()].flatMap((m) => [...m.floor, ...m.app]), ...loaded.alone, ...loaded.during];
  const failed = runs.reduce((n, r) => n + r.failed, 0);
  if (failed > 0 || loaded.heavy.some((x) => x.answered === 0)) {
    console.log(failed > 0 ? `${failed} requests failed` : 'in some round no heavy request was answered');
    process.exitCode = 1;
  }
} finally {
  bare.child.kill();
  app.child.kill();
}

await writes();
await liveOnMainThread();
