#!/usr/bin/env node
// Runs every test file (src/**/*.test.ts, test/**/*.test.ts) with node's test runner,
// TypeScript loaded through tsx, fast-check seeded (FC_SEED) so runs are repeatable.
// Extra arguments are passed to `node --test`.
//
// PostgreSQL: the PostgreSQL tests need a server. Unless PROVISO_TEST_PG_URL names one (an
// admin URL), this starts ONE embedded server for the whole run (scripts/embedded-postgres.mjs),
// hands its admin URL to the tests in PROVISO_TEST_PG_URL, and stops it afterwards — on
// failure and on SIGINT/SIGTERM/SIGHUP too; should this process be killed outright, the
// server's keeper notices and stops it. Each test file creates its own databases on it.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { startPostgresKeeper } from './embedded-postgres.mjs';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = [...find('src'), ...find('test')].sort();
const env = { ...process.env, TZ: 'UTC' };

let keeper;
if (!env.PROVISO_TEST_PG_URL) {
  const started = performance.now();
  try {
    keeper = await startPostgresKeeper();
    env.PROVISO_TEST_PG_URL = keeper.url;
    const total = Math.round(performance.now() - started);
    console.log(
      `PostgreSQL for the tests: embedded server ready in ${total} ms (initdb ${keeper.initdbMs} ms, start ${keeper.startMs} ms)`,
    );
  } catch (error) {
    console.error(
      `${error instanceof Error ? error.message : error}\n` +
        'The PostgreSQL tests will try to start a server of their own; to use an existing server instead, ' +
        'set PROVISO_TEST_PG_URL to an admin URL (postgres://user:password@host:port/postgres).',
    );
  }
}

const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--import',
    './test/support/fast-check-seed.ts',
    '--test',
    '--test-reporter=spec',
    ...process.argv.slice(2),
    ...files,
  ],
  { stdio: 'inherit', env },
);
// A Ctrl-C reaches the test runner too (same process group); a signal sent to this process
// alone is passed on. Either way the runner ends, and the server is stopped below.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));

const status = await new Promise((resolve) => {
  child.on('error', (error) => {
    console.error(`could not run node --test: ${error.message}`);
    resolve(1);
  });
  child.on('exit', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 0)));
});
await keeper?.stop();
process.exit(status);
