/**
 * bench:writes — evidence writes through the server with a large ledger (issue 18, point 2).
 *
 *   npm run bench:writes -- [--entries 100000] [--writes 200] [--writers 20] [--span-days 30] [--store sqlite|postgres|both]
 *
 * For each store: a server process (the real app over the reference case, as `serve` runs
 * it) whose ledger is seeded with `--entries` entries, then
 * - baseline: the store's own append of one entry with its audit record, called directly
 *   in the server process (no HTTP, validation, assessment or alerts): the floor a write
 *   through the server can approach;
 * - one writer: `--writes` single-entry POSTs in turn, each acknowledged before the next;
 * - `--writers` writers at once, `--writes` single-entry POSTs each.
 * New entries are dated in the `--span-days` (default 30) days before today, as new
 * evidence mostly is; a larger span makes each write replay more of its benchmarks'
 * history (an entry dated in the past changes every day since).
 * It prints latencies (p50, p99), writes/s, the ratio against the baseline, and checks that
 * the ledger holds every acknowledged entry afterwards. With BENCH_PROFILE_DIR set, the
 * server process writes a CPU profile there when stopped.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import type { Evidence } from '../src/core/evidence.ts';
import type { TeamStore } from '../src/ports/team-store.ts';

const CASE = 'us-pakistan';
const KINDS = [
  { kind: 'statement', actors: ['pakistan'] },
  { kind: 'terrorist-attack', actors: ['let', 'india'] },
  { kind: 'arrest', actors: ['hafiz-saeed', 'pakistan'] },
  { kind: 'release', actors: ['hafiz-saeed', 'pakistan'] },
  { kind: 'aid-withheld', actors: ['usa', 'pakistan'], amount: 1_000_000, currency: 'USD' },
] as const;

function day(n: number): string {
  return new Date(Date.UTC(2000, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
}

/** A seeded ledger entry (as stored), spread over 2000–2025. */
function seedEntry(i: number): Evidence {
  const k = KINDS[i % KINDS.length] as (typeof KINDS)[number];
  const occurred = day((i * 7919) % 9131);
  return {
    id: `seed-${String(i).padStart(7, '0')}`,
    kind: k.kind,
    actors: [...k.actors],
    description: `Seeded entry ${i}`,
    occurred,
    occurredTo: occurred,
    reported: occurred,
    recorded: '2025-12-31',
    sources: [{ publisher: `Wire ${i % 13}`, title: `Report ${i}`, date: occurred, reliability: 'B', credibility: 2 }],
    tags: [],
    ...('amount' in k ? { amount: k.amount, currency: k.currency } : {}),
  };
}

/** Days from 2000-01-01 to today (UTC). */
const TODAY = Math.floor((Date.now() - Date.UTC(2000, 0, 1)) / 86_400_000);

/** A new entry as a client sends it, dated in the `span` days before today. */
function postEntry(id: string, i: number, span: number): Record<string, unknown> {
  const k = KINDS[i % KINDS.length] as (typeof KINDS)[number];
  const occurred = day(TODAY - ((i * 31) % span));
  return {
    id,
    kind: k.kind,
    actors: [...k.actors],
    description: `Bench write ${id}`,
    occurred,
    reported: occurred,
    sources: [{ publisher: 'Bench Wire', title: `Report ${id}`, date: occurred, reliability: 'B', credibility: 2 }],
    ...('amount' in k ? { amount: k.amount, currency: k.currency } : {}),
  };
}

// ---------------------------------------------------------------- the server process

async function runTarget(storeKind: string, entries: number, baselineWrites: number): Promise<void> {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  if (profileDir !== undefined) {
    // A CPU profile of the server process, written when it is stopped.
    const { Session } = await import('node:inspector/promises');
    const { writeFileSync } = await import('node:fs');
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    process.on('SIGTERM', async () => {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(`${profileDir}/writes-${storeKind}-${process.pid}.cpuprofile`, JSON.stringify(profile));
      process.exit(0);
    });
  }
  const { startTestServer, sqliteOpener } = await import('../test/http/support.ts');
  let open: () => Promise<TeamStore>;
  if (storeKind === 'postgres') {
    const { openPostgresTeamStore } = await import('../src/adapters/postgres/postgres-team-store.ts');
    const url = process.env.BENCH_PG_URL as string;
    open = async () => openPostgresTeamStore(url);
  } else {
    open = sqliteOpener().open;
  }
  const now = () => new Date();
  const s = await startTestServer(open, { now });
  const at = now().toISOString();
  const seedStart = performance.now();
  for (let i = 0; i < entries; i += 1000) {
    const batch: Evidence[] = [];
    for (let j = i; j < Math.min(entries, i + 1000); j++) batch.push(seedEntry(j));
    const r = await s.store.appendEvidence(CASE, batch, { actor: 'bench', action: 'evidence.append', at, caseId: CASE });
    if (!r.ok) throw new Error(`seeding failed: ${JSON.stringify(r.conflicts.slice(0, 3))}`);
  }
  const seedMs = performance.now() - seedStart;
  // Baseline: the store's append alone, one entry at a time.
  const times: number[] = [];
  for (let i = 0; i < baselineWrites; i++) {
    const e = { ...seedEntry(entries + i), id: `base-${String(i).padStart(5, '0')}`, recorded: at.slice(0, 10) };
    const t0 = performance.now();
    const r = await s.store.appendEvidence(CASE, [e], {
      actor: 'bench',
      action: 'evidence.append',
      at,
      caseId: CASE,
      ids: [e.id],
    });
    times.push(performance.now() - t0);
    if (!r.ok) throw new Error('baseline append refused');
  }
  const total = times.reduce((a, b) => a + b, 0);
  console.log(
    `BASELINE ${JSON.stringify({ seedMs, p50: pct(times, 0.5), p99: pct(times, 0.99), perSecond: (times.length / total) * 1000 })}`,
  );
  serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    console.log(`READY http://127.0.0.1:${info.port} ${s.users.analyst.token}`);
  });
}

// ---------------------------------------------------------------- the load generator

function pct(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

interface Target {
  readonly url: string;
  readonly token: string;
  readonly baseline: { seedMs: number; p50: number; p99: number; perSecond: number };
  readonly child: ChildProcess;
}

async function startTarget(storeKind: string, entries: number, writes: number, env: NodeJS.ProcessEnv): Promise<Target> {
  const profile = process.env.BENCH_PROFILE_DIR;
  const child = spawn(
    process.execPath,
    [
      ...(profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profile]),
      '--import',
      'tsx',
      new URL(import.meta.url).pathname,
      '--target',
      storeKind,
      '--entries',
      String(entries),
      '--writes',
      String(writes),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  let baseline: Target['baseline'] | undefined;
  for await (const line of lines) {
    if (line.startsWith('BASELINE ')) baseline = JSON.parse(line.slice(9));
    if (line.startsWith('READY ')) {
      const [, url, token] = line.split(' ');
      if (baseline === undefined) throw new Error('no baseline');
      return { url: url as string, token: token as string, baseline, child };
    }
  }
  throw new Error('server exited before it was ready');
}

async function post(t: Target, id: string, i: number, span = SPAN): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${t.url}/api/cases/${CASE}/evidence`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(postEntry(id, i, span)),
  });
  const text = await res.text();
  if (res.status !== 201 && res.status !== 200) throw new Error(`write ${id}: ${res.status} ${text.slice(0, 300)}`);
  return performance.now() - t0;
}

async function ledgerSize(t: Target): Promise<number> {
  const res = await fetch(`${t.url}/api/cases`, { headers: { Authorization: `Bearer ${t.token}` } });
  const body = (await res.json()) as { id: string; evidence: number }[];
  return body.find((c) => c.id === CASE)?.evidence ?? -1;
}

async function benchStore(storeKind: string, entries: number, writes: number, writers: number, env: NodeJS.ProcessEnv) {
  const t = await startTarget(storeKind, entries, writes, env);
  try {
    const before = await ledgerSize(t);
    for (let i = 0; i < 5; i++) await post(t, `warm-${i}`, i);
    const single: number[] = [];
    const s0 = performance.now();
    for (let i = 0; i < writes; i++) single.push(await post(t, `one-${String(i).padStart(5, '0')}`, i));
    const singleMs = performance.now() - s0;
    const many: number[] = [];
    const m0 = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < writes; i++)
          many.push(await post(t, `w${String(w).padStart(2, '0')}-${String(i).padStart(5, '0')}`, w * writes + i));
      }),
    );
    const manyMs = performance.now() - m0;
    const after = await ledgerSize(t);
    const expected = before + 5 + writes + writers * writes;
    const singleRate = (writes / singleMs) * 1000;
    const manyRate = ((writers * writes) / manyMs) * 1000;
    const b = t.baseline;
    console.log(`\n${storeKind}: ledger of ${before} entries (seeded in ${(b.seedMs / 1000).toFixed(1)} s)`);
    console.log(
      `  baseline, the store's append alone:  p50 ${b.p50.toFixed(2)} ms, p99 ${b.p99.toFixed(2)} ms, ${b.perSecond.toFixed(0)} appends/s`,
    );
    console.log(
      `  one writer through the server:      p50 ${pct(single, 0.5).toFixed(2)} ms, p99 ${pct(single, 0.99).toFixed(2)} ms, ${singleRate.toFixed(0)} writes/s  (${(singleRate / b.perSecond).toFixed(2)}x baseline)`,
    );
    console.log(
      `  ${writers} writers x ${writes} through the server: p50 ${pct(many, 0.5).toFixed(2)} ms, p99 ${pct(many, 0.99).toFixed(2)} ms, ${manyRate.toFixed(0)} writes/s  (${(manyRate / b.perSecond).toFixed(2)}x baseline)`,
    );
    console.log(
      `  ledger afterwards: ${after} entries, expected ${expected}: ${after === expected ? 'nothing lost' : 'MISMATCH'}`,
    );
    return after === expected;
  } finally {
    t.child.kill();
  }
}

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    entries: { type: 'string', default: '100000' },
    writes: { type: 'string', default: '200' },
    writers: { type: 'string', default: '20' },
    store: { type: 'string', default: 'both' },
    'span-days': { type: 'string', default: '30' },
  },
});
/** New entries are dated in this many days before today (how far back each write replays). */
const SPAN = Number(values['span-days']);
const entries = Number(values.entries);
const writes = Number(values.writes);
if (values.target !== undefined) {
  await runTarget(values.target, entries, writes);
} else {
  const stores = values.store === 'both' ? ['sqlite', 'postgres'] : [values.store as string];
  let ok = true;
  for (const storeKind of stores) {
    if (storeKind === 'postgres') {
      const { startPostgresKeeper } = await import('../scripts/embedded-postgres.mjs');
      const keeper = await startPostgresKeeper();
      try {
        const pg = (await import('pg')).default;
        const db = `bench_${Date.now()}`;
        const admin = new pg.Client({ connectionString: keeper.url });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${db}`);
        await admin.end();
        const url = new URL(keeper.url);
        url.pathname = `/${db}`;
        ok =
          (await benchStore('postgres', entries, writes, Number(values.writers), {
            ...process.env,
            BENCH_PG_URL: url.toString(),
          })) && ok;
      } finally {
        await keeper.stop();
      }
    } else {
      ok = (await benchStore(storeKind, entries, writes, Number(values.writers), process.env)) && ok;
    }
  }
  process.exitCode = ok ? 0 : 1;
}
