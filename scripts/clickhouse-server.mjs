#!/usr/bin/env node
// Throwaway ClickHouse servers for the tests and the bench, run in a process of their own:
// the "keeper" (as scripts/embedded-postgres.mjs does for PostgreSQL).
//
// Run as a program (`node scripts/clickhouse-server.mjs [shards] [--query-log]`, default 1
// shard), the keeper
// creates a temporary directory, writes a config per server (its own data path, HTTP and
// native ports on 127.0.0.1 only, the default user without a password, reachable from
// loopback only, logs in the directory), starts `clickhouse-server` once per shard, waits
// for each `/ping`, and with two or more shards declares on every server the cluster
// `proviso_shards` (one `<shard>` per server) for Distributed tables. With `--query-log`, every
// query is logged to `system.query_log` (duration, rows and bytes read, memory), for
// profiling; off by default, as it costs a little. It writes ONE line of
// JSON on stdout — {"urls": [http urls, one per shard], "nativePorts", "cluster", "startMs",
// "binary"} or {"error"} — and then waits. When its stdin ends (the process that started it
// closed it, or died, however it died) or it gets SIGTERM/SIGINT/SIGHUP, it stops the
// servers and removes the directory. It runs in its own process group.
//
// Imported, `startClickHouseKeeper({shards})` starts a keeper and resolves once every server
// answers; `findClickHouseServer()` says where the binary is (undefined when absent).
//
// The binary: $PROVISO_CLICKHOUSE_SERVER, else /usr/sbin/clickhouse-server or
// /usr/bin/clickhouse-server (Debian's `clickhouse-server` package, 18.16), else
// `clickhouse-server` or `clickhouse` (then run as `clickhouse server`) on the PATH.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const KEEPER = fileURLToPath(import.meta.url);
export const CLUSTER = 'proviso_shards';

/** The ClickHouse server binary and the arguments before `--config-file`, or undefined. */
export function findClickHouseServer() {
  const fromEnv = process.env.PROVISO_CLICKHOUSE_SERVER;
  if (fromEnv) return existsSync(fromEnv) ? { binary: fromEnv, args: [] } : undefined;
  for (const p of ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'])
    if (existsSync(p)) return { binary: p, args: [] };
  for (const [name, args] of [
    ['clickhouse-server', []],
    ['clickhouse', ['server']],
  ]) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    const path = r.stdout.trim();
    if (r.status === 0 && path !== '') return { binary: path, args };
  }
  return undefined;
}

/** Starts a keeper (see above); resolves with the servers' URLs and `stop`. */
export async function startClickHouseKeeper({ shards = 1, queryLog = false } = {}) {
  const args = [KEEPER, String(shards), ...(queryLog ? ['--query-log'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const line = await firstLine(child.stdout);
  let message;
  try {
    message = JSON.parse(line ?? 'null');
  } catch {
    message = null;
  }
  if (message === null || !Array.isArray(message.urls)) {
    child.stdin.end();
    await exited;
    const reason = message?.error ?? `the keeper exited before the servers were ready (${line ?? 'no output'})`;
    throw new Error(`could not start a ClickHouse server: ${reason}`);
  }
  child.stdout.destroy();
  child.stdin.unref();
  child.unref();
  return {
    urls: message.urls,
    nativePorts: message.nativePorts,
    cluster: message.cluster,
    startMs: message.startMs,
    binary: message.binary,
    async stop() {
      child.ref();
      child.stdin.ref();
      child.stdin.end();
      await exited;
    },
  };
}

function firstLine(stream) {
  return new Promise((resolve) => {
    let text = '';
    const done = (value) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      resolve(value);
    };
    const onData = (chunk) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end >= 0) done(text.slice(0, end));
    };
    const onEnd = () => done(text === '' ? undefined : text);
    stream.on('data', onData);
    stream.on('end', onEnd);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The config of one server: its folder, ports, the cluster of every shard's native port. */
function configXml(dir, ports, nativePorts, queryLog) {
  const shards = nativePorts
    .map((p) => `      <shard><replica><host>127.0.0.1</host><port>${p}</port></replica></shard>`)
    .join('\n');
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${dir}/server.log</log>
    <errorlog>${dir}/server.err.log</errorlog>
    <size>10M</size>
    <count>1</count>
    <console>0</console>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.native}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>30</keep_alive_timeout>
  <max_concurrent_queries>64</max_concurrent_queries>
  <uncompressed_cache_size>0</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
${
  queryLog
    ? `  <query_log>
    <database>system</database>
    <table>query_log</table>
    <flush_interval_milliseconds>1000</flush_interval_milliseconds>
  </query_log>
`
    : ''
}  <remote_servers>
    <${CLUSTER}>
${shards}
    </${CLUSTER}>
  </remote_servers>
</yandex>
`;
}

const usersXml = (queryLog) => `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <use_uncompressed_cache>0</use_uncompressed_cache>
      <load_balancing>random</load_balancing>
      <log_queries>${queryLog ? 1 : 0}</log_queries>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default>
  </quotas>
</yandex>
`;

async function ping(url, deadline) {
  for (;;) {
    try {
      const r = await fetch(`${url}/ping`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url}/ping within the start timeout`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function keep(shardCount, queryLog) {
  const found = findClickHouseServer();
  if (found === undefined) {
    process.stdout.write(
      `${JSON.stringify({ error: 'no clickhouse-server binary (apt-get install clickhouse-server clickhouse-client, or set PROVISO_CLICKHOUSE_SERVER)' })}\n`,
    );
    process.exit(1);
  }
  const root = mkdtempSync(join(tmpdir(), 'proviso-ch-'));
  const servers = [];
  let stopping;
  const stop = () => {
    stopping ??= Promise.all(
      servers.map(
        (s) =>
          new Promise((resolve) => {
            if (s.exitCode !== null || s.signalCode !== null) return resolve();
            s.once('exit', resolve);
            s.kill('SIGTERM');
            setTimeout(() => s.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    ).then(() => rmSync(root, { recursive: true, force: true }));
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop().then(() => process.exit(0)));
  process.stdin.on('end', () => stop().then(() => process.exit(0)));
  process.stdin.on('error', () => stop().then(() => process.exit(0)));
  process.stdin.resume();
  try {
    const t0 = performance.now();
    const ports = [];
    for (let i = 0; i < shardCount; i++)
      ports.push({ http: await freePort(), native: await freePort(), interserver: await freePort() });
    const nativePorts = ports.map((p) => p.native);
    const urls = [];
    for (const [i, p] of ports.entries()) {
      const dir = join(root, `shard${i + 1}`);
      for (const sub of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, 'users.xml'), usersXml(queryLog));
      writeFileSync(join(dir, 'config.xml'), configXml(dir, p, nativePorts, queryLog));
      const s = spawn(found.binary, [...found.args, `--config-file=${join(dir, 'config.xml')}`], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      s.once('exit', (code, signal) => {
        if (stopping === undefined) {
          let err = '';
          try {
            err = readFileSync(join(dir, 'server.err.log'), 'utf8').split('\n').slice(-5).join('\n');
          } catch {
            // no log
          }
          process.stderr.write(`clickhouse-server (shard ${i + 1}) exited (${code ?? signal}) ${err}\n`);
        }
      });
      servers.push(s);
      urls.push(`http://127.0.0.1:${p.http}`);
    }
    const deadline = Date.now() + 30_000;
    await Promise.all(urls.map((u) => ping(u, deadline)));
    process.stdout.write(
      `${JSON.stringify({ urls, nativePorts, cluster: CLUSTER, startMs: Math.round(performance.now() - t0), binary: found.binary })}\n`,
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stdout.write(`${JSON.stringify({ error: reason })}\n`);
    await stop();
    process.exit(1);
  }
}

if (process.argv[1] === KEEPER)
  await keep(Math.max(1, Number(process.argv[2] ?? '1') || 1), process.argv.slice(3).includes('--query-log'));
