/**
 * Servers for bench:serve, each run in its own process so that the load generator does not
 * share their event loop. Prints `READY <json>` on stdout once listening.
 *
 *   tsx bench/serve-target.ts app|bare
 *
 * - `app`: the real Proviso server (SQLite team store in a temp folder, the reference case
 *   loaded as `proviso serve` loads it, viewer and analyst tokens), its worker pool started
 *   before it says READY. JSON: `{ url, viewer, analyst, workers }`.
 * - `bare`: the floors, bare `node:http` handlers answering every request with fixed bytes
 *   computed once: the assessment JSON the app answers for `ASSESSMENT_PATH` (`assessment`),
 *   the same assessment brotli-compressed as the app answers it to `Accept-Encoding: br`
 *   (`assessmentBr`), and `{"ok":true}`, the body of the app's `/healthz` (`hello`). JSON:
 *   `{ assessment, assessmentBr, hello }`, one URL each.
 */
import { createServer, type OutgoingHttpHeaders } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from '../src/http/app.ts';
import { WorkPool } from '../src/http/workers/work-pool.ts';
import { sqliteOpener, startTestServer, TEST_NOW } from '../test/http/support.ts';
import { REPO_ROOT } from '../test/support/cli-harness.ts';

export const ASSESSMENT_PATH = '/api/cases/us-pakistan/assessment?asOf=2023-03-03';

const mode = process.argv[2] ?? 'app';
const s = await startTestServer(sqliteOpener().open, { now: () => TEST_NOW });

function listenBare(body: Uint8Array, headers: OutgoingHttpHeaders): Promise<string> {
  const server = createServer((_req, out) => {
    out.writeHead(200, { ...headers, 'Content-Length': body.byteLength });
    out.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)),
  );
}

if (mode === 'bare') {
  const identity = await s.request(ASSESSMENT_PATH, { as: 'viewer' });
  const br = await s.request(ASSESSMENT_PATH, { as: 'viewer', headers: { 'Accept-Encoding': 'br' } });
  if (br.headers.get('content-encoding') !== 'br') throw new Error('the app did not answer brotli');
  const json = { 'Content-Type': 'application/json' };
  const urls = {
    assessment: await listenBare(new Uint8Array(await identity.arrayBuffer()), json),
    assessmentBr: await listenBare(new Uint8Array(await br.arrayBuffer()), { ...json, 'Content-Encoding': 'br' }),
    hello: await listenBare(new TextEncoder().encode('{"ok":true}'), json),
  };
  console.log(`READY ${JSON.stringify(urls)}`);
} else {
  const pool = new WorkPool(s.deps.cases.list());
  const app = createApp({ ...s.deps, heavyWork: pool }, { packageRoot: REPO_ROOT });
  await pool.warm();
  serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    const ready = {
      url: `http://127.0.0.1:${info.port}`,
      viewer: s.users.viewer.token,
      analyst: s.users.analyst.token,
      workers: pool.limits.size,
    };
    console.log(`READY ${JSON.stringify(ready)}`);
  });
}
