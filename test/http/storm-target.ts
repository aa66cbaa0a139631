/**
 * A server process for the write-storm test (write-storm.test.ts): the real app over the
 * reference case, on the store named by its argument, listening on loopback. Prints
 * `READY <url> <analyst token>` on stdout once listening. Killed with SIGKILL by the test.
 *
 *   node --import tsx test/http/storm-target.ts sqlite:/path/to/ledger.sqlite
 *   node --import tsx test/http/storm-target.ts postgres://…
 */
import { serve } from '@hono/node-server';
import { openPostgresTeamStore } from '../../src/adapters/postgres/postgres-team-store.ts';
import { openSqliteTeamStore } from '../../src/adapters/sqlite/sqlite-team-store.ts';
import { startTestServer } from './support.ts';

const target = process.argv[2] ?? '';
const open = target.startsWith('sqlite:')
  ? async () => openSqliteTeamStore(target.slice('sqlite:'.length))
  : async () => openPostgresTeamStore(target);
const s = await startTestServer(open, { now: () => new Date() });
serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(`READY http://127.0.0.1:${info.port} ${s.users.analyst.token}`);
});
