/**
 * A server for bench:serve, run in its own process so the load generator does not share
 * its event loop. Prints `READY <url> <token>` on stdout once listening.
 *
 *   tsx bench/serve-target.ts app|bare
 *
 * - `app`: the real Proviso server (SQLite team store in a temp folder, the reference case
 *   loaded as `proviso serve` loads it, a viewer token).
 * - `bare`: a bare `node:http` handler answering every request with the same assessment
 *   JSON, serialised once: the floor for any server on this machine.
 */
import { createServer } from 'node:http';
import { serve } from '@hono/node-server';
import { sqliteOpener, startTestServer, TEST_NOW } from '../test/http/support.ts';

const mode = process.argv[2] ?? 'app';
const s = await startTestServer(sqliteOpener().open, { now: () => TEST_NOW });
const token = s.users.viewer.token;

if (mode === 'bare') {
  const res = await s.request('/api/cases/us-pakistan/assessment?asOf=2023-03-03', { as: 'viewer' });
  const body = Buffer.from(await res.text());
  const server = createServer((_req, out) => {
    out.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
    out.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address() as { port: number };
    console.log(`READY http://127.0.0.1:${addr.port} ${token}`);
  });
} else {
  serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    console.log(`READY http://127.0.0.1:${info.port} ${token}`);
  });
}
