/**
 * bench:serve — throughput and p99 latency of the assessment endpoint
 * (`GET /api/cases/us-pakistan/assessment`, token-authenticated) against a bare
 * `node:http` handler answering the same JSON, measured with autocannon in the same run.
 * Each server runs in its own process; autocannon runs here.
 *
 *   npm run bench:serve [-- --seconds 10 --connections 10]
 *
 * Three runs: the baseline; the app on one as-of date (assessment cache hits: auth, ledger
 * size check, JSON); the app on as-of dates spread over 2022–2023 (365 dates, more than
 * the cache holds, so most requests assess).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { benchArg } from './bench-args.ts';

const seconds = Number(benchArg('seconds', '10'));
const connections = Number(benchArg('connections', '10'));

async function startTarget(mode: 'app' | 'bare'): Promise<{ url: string; token: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/serve-target.ts', mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TZ: 'UTC' },
  });
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
  for await (const line of lines) {
    const m = /^READY (\S+) (\S+)$/.exec(line);
    if (m) return { url: m[1] as string, token: m[2] as string, child };
  }
  throw new Error(`${mode} server did not start`);
}

interface Run {
  readonly label: string;
  readonly rps: number;
  readonly p99: number;
  readonly p50: number;
  readonly errors: number;
  readonly non2xx: number;
}

async function load(label: string, url: string, token: string, paths: readonly string[]): Promise<Run> {
  let i = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: { Authorization: `Bearer ${token}` },
    requests: [
      {
        setupRequest: (req) => {
          req.path = paths[i++ % paths.length] as string;
          return req;
        },
      },
    ],
  });
  const run = {
    label,
    rps: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    errors: result.errors,
    non2xx: result.non2xx,
  };
  console.log(
    `${label.padEnd(44)} ${run.rps.toFixed(0).padStart(7)} req/s   p50 ${run.p50} ms   p99 ${run.p99} ms   errors ${run.errors}   non-2xx ${run.non2xx}`,
  );
  return run;
}

const path = '/api/cases/us-pakistan/assessment?asOf=2023-03-03';
const spread = Array.from({ length: 365 }, (_, d) => {
  const day = new Date(Date.UTC(2022, 2, 1) + d * 2 * 86400_000).toISOString().slice(0, 10);
  return `/api/cases/us-pakistan/assessment?asOf=${day}`;
});

console.log(
  `autocannon: ${connections} connections, ${seconds} s per run, on ${process.platform} ${process.arch}, node ${process.version}`,
);
const bare = await startTarget('bare');
let baseline: Run;
try {
  await load('warm-up (bare)', bare.url, bare.token, [path]);
  baseline = await load('baseline: bare node:http, same JSON', bare.url, bare.token, [path]);
} finally {
  bare.child.kill();
}
const app = await startTarget('app');
try {
  await load('warm-up (app)', app.url, app.token, [path]);
  const cached = await load('proviso: one as-of date (cache hits)', app.url, app.token, [path]);
  const varied = await load('proviso: 365 as-of dates (mostly assessed)', app.url, app.token, spread);
  for (const r of [cached, varied]) {
    console.log(
      `ratio ${r.label}: throughput ${(r.rps / baseline.rps).toFixed(2)}x of baseline, p99 ${(r.p99 / Math.max(baseline.p99, 1)).toFixed(1)}x baseline's`,
    );
  }
  if (cached.errors + cached.non2xx + varied.errors + varied.non2xx > 0) {
    console.log('some requests failed');
    process.exitCode = 1;
  }
} finally {
  app.child.kill();
}
